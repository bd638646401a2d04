import type { HttpClient } from '../../core/http/client';
import type { Invitation, Member, Page, Resource, RoleInfo } from '../../core/model';
import { nextNumbered, readNumberedPages, type WholeList } from '../../core/paging';
import type { Identity, InviteOptions, InviteReport, Invitations, Members, Projects, Provider, RemovalOutcome, RoleChoice } from '../../core/provider';
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
/** `removed: false` / `deleted: false` is an answer: there was nothing to remove. */
const gone = (done: boolean): RemovalOutcome => (done ? 'removed' : 'not-there');

function numbered<T>(page: number, pageSize: number, total: number, items: T[]): Page<T> {
  return { items, next: nextNumbered(page, pageSize, total, items.length), total };
}

/**
 * Confident AI: one organization per key; members and roles; email invitations (listable, with
 * resend and revoke); projects, whose members and project roles are their access.
 */
export class ConfidentProvider implements Provider {
  readonly platform = 'confident';
  readonly removalConsequence = 'They are also removed from every project of the organization, and their pending invitations are cleared.';
  readonly inviteWarning = 'Someone who already belongs to another Confident AI organization is removed from all of its projects and organizations when they accept.';

  private roleCache?: Promise<RoleInfo[]>;

  constructor(private readonly http: HttpClient) {}

  readonly members: Members = {
    list: (signal) => this.listMembers(signal),
    page: (token, signal) => this.listMembersPage(token, signal),
    roles: {
      kind: 'role',
      listed: true,
      choices: (signal) => this.listMemberRoles(signal),
      set: (member, roleId, signal) => this.setMemberRole(member, roleId, signal),
      warning: (members, role) => this.memberRoleWarning(members, role),
    },
    remove: (member, signal) => this.removeMember(member, signal),
    removalConsequence: this.removalConsequence,
    // Owner and Admin hold `project:manage`: every project, past project roles.
    reachesEverything: (member) => (member.roleLabel === OWNER || member.roleLabel === 'Admin' ? member.roleLabel : undefined),
  };

  readonly invitations: Invitations = {
    send: (emails, options, signal) => this.inviteMembers(emails, options, signal),
    warning: this.inviteWarning,
    list: (signal) => this.listInvitations(signal),
    resend: (invitation, signal) => this.resendInvitation(invitation, signal),
    revoke: (invitation, signal) => this.revokeInvitation(invitation, signal),
  };

  readonly projects: Projects = {
    list: (signal) => this.listProjects(signal),
    roles: (projectId, signal) => this.listProjectRoles(projectId, signal),
    roleWarning: (members, role) => this.projectRoleWarning(members, role),
    members: (projectId, token, signal) => this.listProjectMembersPage(projectId, token, signal),
    setRole: (projectId, member, roleId, signal) => this.setProjectMemberRole(projectId, member, roleId, signal),
    removeMember: (projectId, member, signal) => this.removeProjectMember(projectId, member, signal),
    invitations: (projectId) => ({
      send: async (emails, options, signal) => ({ skippedEmails: (await this.inviteToProject(projectId, emails, options.seat, signal)).skipped }),
      list: (signal) => this.listProjectInvitations(projectId, signal),
      resend: (invitation, signal) => this.resendProjectInvitation(projectId, invitation, signal),
      revoke: (invitation, signal) => this.revokeProjectInvitation(projectId, invitation, signal),
    }),
  };

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    // An organization API key acts as the organization; its rights show only as 403s.
    const org = await api.getOrganization(this.http, signal);
    // The role names that members and invitations are shown with load meanwhile, so those levels wait for one request.
    void this.listRoles().catch(() => undefined);
    return { name: org.name, detail: `Organization key · ${org.plan.toLowerCase()} plan`, isAdmin: true };
  }

  /** The organization's roles, read once per session (Refresh reads them again); a failed read is not kept. */
  listRoles(signal?: AbortSignal): Promise<RoleInfo[]> {
    this.roleCache ??= api.listRoles(this.http, signal).then((list) => list.map(toRole));
    return this.roleCache.catch((err: unknown) => {
      this.roleCache = undefined;
      throw err;
    });
  }

  invalidate(): void {
    this.roleCache = undefined;
  }

  async listMembersPage(token?: string, signal?: AbortSignal): Promise<Page<Member>> {
    const page = token ? Number(token) : 1;
    const res = await api.listMembers(this.http, page, signal);
    return numbered(page, api.PAGE_SIZE, res.total, res.members.map(toMember));
  }

  /** Every member: the first page says the total, the other pages are read side by side. */
  async listMembers(signal?: AbortSignal): Promise<WholeList<Member>> {
    const list = await readNumberedPages('Confident AI members', async (page, s) => {
      const res = await api.listMembers(this.http, page, s);
      return { items: res.members.map(toMember), total: res.total };
    }, api.PAGE_SIZE, { signal });
    if (list.incomplete) this.http.log.warn(list.incomplete);
    return list;
  }

  async listMemberRoles(signal?: AbortSignal): Promise<RoleChoice[]> {
    return (await this.listRoles(signal)).map((r) => ({ id: r.id, label: r.preset ? r.name : `${r.name} (custom)`, invitable: r.name !== OWNER }));
  }

  memberRoleWarning(members: readonly Member[], role: RoleChoice): string | undefined {
    if (role.label !== OWNER) return undefined;
    if (members.length > 1) return 'Only one person can be Owner: choose one member.';
    return 'Giving Owner transfers ownership of the organization: the current Owner becomes Admin.';
  }

  /** Giving Owner transfers ownership; the UI warns first. */
  setMemberRole(member: Member, roleId: string, signal?: AbortSignal): Promise<unknown> {
    return api.setMemberRole(this.http, member.id, roleId, signal);
  }

  /** Also removes them from every project. */
  async removeMember(member: Member, signal?: AbortSignal): Promise<RemovalOutcome> {
    return gone((await api.removeMember(this.http, member.id, signal)).data.removed);
  }

  /** All emails in one call; reports those skipped as members or already invited. */
  async inviteMembers(emails: readonly string[], options: InviteOptions, signal?: AbortSignal): Promise<InviteReport> {
    return { skippedEmails: (await this.invite(emails, options.seat, signal)).skipped };
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

  async revokeInvitation(invitation: Invitation, signal?: AbortSignal): Promise<RemovalOutcome> {
    return gone((await api.revokeInvitation(this.http, Number(invitation.id), signal)).data.deleted);
  }

  async listProjects(signal?: AbortSignal): Promise<Resource[]> {
    return (await api.listProjects(this.http, signal)).map((p) => ({ type: 'project', id: p.id, name: p.name }));
  }

  async listProjectRoles(projectId: string, signal?: AbortSignal): Promise<RoleChoice[]> {
    return (await api.listProjectRoles(this.http, projectId, signal)).map(toRole).map((r) => ({ id: r.id, label: r.preset ? r.name : `${r.name} (custom)`, invitable: r.name !== OWNER }));
  }

  projectRoleWarning(members: readonly Member[], role: RoleChoice): string | undefined {
    if (role.label !== OWNER) return undefined;
    if (members.length > 1) return 'Only one person can be a project Owner: choose one member.';
    return 'Giving Owner transfers ownership of the project: the current Owner becomes Manager.';
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
  async removeProjectMember(projectId: string, member: Member, signal?: AbortSignal): Promise<RemovalOutcome> {
    return gone((await api.removeProjectMember(this.http, projectId, member.id, signal)).data.removed);
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

  async revokeProjectInvitation(projectId: string, invitation: Invitation, signal?: AbortSignal): Promise<RemovalOutcome> {
    return gone((await api.revokeProjectInvitation(this.http, projectId, Number(invitation.id), signal)).data.deleted);
  }
}

/** The API skips existing members and pending invitees silently; name them. */
function skippedOf(emails: readonly string[], invited: readonly Invitation[]): string[] {
  const got = new Set(invited.map((i) => i.email.toLowerCase()));
  return emails.filter((e) => !got.has(e.toLowerCase()));
}
