import type { HttpClient } from '../../core/http/client';
import type { Invitation, Member, Page, Resource, RoleInfo } from '../../core/model';
import type { Identity, Provider } from '../../core/provider';
import * as api from './client';
import type { Invitation as WireInvitation, ProjectInvitation, ProjectMember, Member as WireMember, Role } from './schemas';

/** The preset role that transfers ownership when given (org and project alike). */
export const OWNER = 'Owner';
const PRESETS = new Set(['Owner', 'Admin', 'Member', 'Manager']);

const toRole = (r: Role & { organizationId?: string | null; projectId?: string | null }): RoleInfo => ({ id: r.id, name: r.name, preset: PRESETS.has(r.name) });
const toMember = (m: WireMember | ProjectMember): Member => {
  const role = 'organizationRole' in m ? m.organizationRole : 'projectRole' in m ? m.projectRole : undefined;
  return { id: m.id, email: m.email, name: m.name || m.email, role: role?.id, roleLabel: role?.name, owner: role?.name === OWNER };
};
const toInvitation = (i: WireInvitation | ProjectInvitation): Invitation => ({
  id: String(i.id),
  email: i.email,
  status: i.status === 'PENDING' ? 'pending' : i.status === 'ACCEPTED' ? 'accepted' : 'declined',
  roleId: ('organizationRoleId' in i ? i.organizationRoleId : 'projectRoleId' in i ? i.projectRoleId : undefined) ?? undefined,
});

/** What an invitation call did: who got an invitation, and who was skipped (already a member or invited). */
export interface InviteResult {
  readonly invited: readonly Invitation[];
  readonly skipped: readonly string[];
}

/** Page-number pagination: the token is the next page number. */
function numbered<T>(page: number, pageSize: number, total: number, items: T[]): Page<T> {
  return { items, next: page * pageSize < total ? String(page + 1) : undefined };
}

/**
 * Confident AI: one organization per key; members and roles; email invitations (listable, with
 * resend and revoke); projects, whose members and project roles are their access.
 * Its member methods are named apart from the generic Provider ones on purpose: the tree and
 * commands pick up any provider that has `listMembersPage`, `setMemberRole` or `removeMember`, and
 * Confident AI needs role records, its three warnings and project scopes there first (issue 5).
 */
export class ConfidentProvider implements Provider {
  readonly platform = 'confident';

  constructor(private readonly http: HttpClient) {}

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    // An organization API key acts as the organization; its rights show only as 403s.
    const org = await api.getOrganization(this.http, signal);
    return { name: org.name, detail: `Organization key · ${org.plan.toLowerCase()} plan`, isAdmin: true };
  }

  async listRoles(signal?: AbortSignal): Promise<RoleInfo[]> {
    return (await api.listRoles(this.http, signal)).map(toRole);
  }

  async orgMembersPage(token?: string, signal?: AbortSignal): Promise<Page<Member>> {
    const page = token ? Number(token) : 1;
    const res = await api.listMembers(this.http, page, signal);
    return numbered(page, api.PAGE_SIZE, res.total, res.members.map(toMember));
  }

  async orgMembers(signal?: AbortSignal): Promise<Member[]> {
    const all: Member[] = [];
    for (let token: string | undefined; ; ) {
      const page = await this.orgMembersPage(token, signal);
      all.push(...page.items);
      if (!page.next) return all;
      token = page.next;
    }
  }

  /** Giving Owner transfers ownership; the UI warns first. */
  setOrgRole(member: Member, roleId: string, signal?: AbortSignal): Promise<unknown> {
    return api.setMemberRole(this.http, member.id, roleId, signal);
  }

  /** Also removes them from every project. */
  async removeFromOrganization(member: Member, signal?: AbortSignal): Promise<void> {
    await api.removeMember(this.http, member.id, signal);
  }

  async listInvitations(signal?: AbortSignal): Promise<Invitation[]> {
    return (await api.listInvitations(this.http, signal)).map(toInvitation);
  }

  async invite(emails: readonly string[], roleId?: string, signal?: AbortSignal): Promise<InviteResult> {
    const invited = (await api.invite(this.http, emails, roleId, signal)).map(toInvitation);
    return { invited, skipped: skippedOf(emails, invited) };
  }

  async resendInvitation(invitation: Invitation, signal?: AbortSignal): Promise<Invitation> {
    return toInvitation((await api.resendInvitation(this.http, Number(invitation.id), signal)).data.invitation);
  }

  async revokeInvitation(invitation: Invitation, signal?: AbortSignal): Promise<void> {
    await api.revokeInvitation(this.http, Number(invitation.id), signal);
  }

  async listProjects(signal?: AbortSignal): Promise<Resource[]> {
    return (await api.listProjects(this.http, signal)).map((p) => ({ type: 'project', id: p.id, name: p.name }));
  }

  async listProjectRoles(projectId: string, signal?: AbortSignal): Promise<RoleInfo[]> {
    return (await api.listProjectRoles(this.http, projectId, signal)).map(toRole);
  }

  async listProjectMembersPage(projectId: string, token?: string, signal?: AbortSignal): Promise<Page<Member>> {
    const page = token ? Number(token) : 1;
    const res = await api.listProjectMembers(this.http, projectId, page, signal);
    return numbered(page, api.PAGE_SIZE, res.total, res.members.map(toMember));
  }

  /** Giving Owner transfers project ownership: the current Owner becomes Manager. */
  setProjectMemberRole(projectId: string, member: Member, roleId: string, signal?: AbortSignal): Promise<unknown> {
    return api.setProjectMemberRole(this.http, projectId, member.id, roleId, signal);
  }

  /** They stay in the organization. */
  async removeProjectMember(projectId: string, member: Member, signal?: AbortSignal): Promise<void> {
    await api.removeProjectMember(this.http, projectId, member.id, signal);
  }

  async listProjectInvitations(projectId: string, signal?: AbortSignal): Promise<Invitation[]> {
    return (await api.listProjectInvitations(this.http, projectId, signal)).map(toInvitation);
  }

  async inviteToProject(projectId: string, emails: readonly string[], roleId?: string, signal?: AbortSignal): Promise<InviteResult> {
    const invited = (await api.inviteToProject(this.http, projectId, emails, roleId, signal)).map(toInvitation);
    return { invited, skipped: skippedOf(emails, invited) };
  }

  async resendProjectInvitation(projectId: string, invitation: Invitation, signal?: AbortSignal): Promise<Invitation> {
    return toInvitation((await api.resendProjectInvitation(this.http, projectId, Number(invitation.id), signal)).data.invitation);
  }

  async revokeProjectInvitation(projectId: string, invitation: Invitation, signal?: AbortSignal): Promise<void> {
    await api.revokeProjectInvitation(this.http, projectId, Number(invitation.id), signal);
  }
}

/** The API skips existing members and pending invitees silently; name them. */
function skippedOf(emails: readonly string[], invited: readonly Invitation[]): string[] {
  const got = new Set(invited.map((i) => i.email.toLowerCase()));
  return emails.filter((e) => !got.has(e.toLowerCase()));
}
