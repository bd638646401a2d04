import type { HttpClient } from '../../core/http/client';
import type { Invitation, Member, Page, Resource, RoleInfo } from '../../core/model';
import type { WholeList } from '../../core/paging';
import type {
  Identity,
  InviteOptions,
  InviteReport,
  Invitations,
  Members,
  Projects,
  Provider,
  RemovalOutcome,
  RoleChoice,
} from '../../core/provider';
import * as api from './client';
import { ConfidentContext } from './context';
import * as invitations from './invitations';
import * as members from './members';
import * as projects from './projects';
import { listRoles } from './roles';

/** Who a key acts as when the organization's answer leaves the organization out. */
export const UNNAMED_ORGANIZATION = '(organization not named in the answer)';

/**
 * Confident AI: one organization per key; members and roles; email invitations (listable, with
 * resend and revoke); projects, whose members and project roles are their access. Each capability
 * group is made in its own module; the methods below are the same operations, for callers that hold
 * a ConfidentProvider.
 */
export class ConfidentProvider implements Provider {
  readonly platform = 'confident';
  readonly removalConsequence = members.REMOVAL_CONSEQUENCE;
  readonly inviteWarning = invitations.INVITE_WARNING;
  readonly members: Members;
  readonly invitations: Invitations;
  readonly projects: Projects;
  private readonly ctx: ConfidentContext;

  constructor(http: HttpClient) {
    this.ctx = new ConfidentContext(http);
    this.members = members.membersCapability(this.ctx);
    this.invitations = invitations.invitationsCapability(this.ctx);
    this.projects = projects.projectsCapability(this.ctx);
  }

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    // An organization API key acts as the organization; its rights show only as 403s.
    const org = await api.getOrganization(this.ctx.http, signal);
    // The role names that members and invitations are shown with load meanwhile, so those levels wait for one request.
    void this.listRoles().catch(() => undefined);
    // An answer without the organization (the spec allows it) still says the key works; no name is made up.
    if (!org) return { name: UNNAMED_ORGANIZATION, detail: 'Organization key', isAdmin: true };
    return { name: org.name, detail: `Organization key · ${org.plan.toLowerCase()} plan`, isAdmin: true };
  }

  listRoles(signal?: AbortSignal): Promise<RoleInfo[]> {
    return listRoles(this.ctx, signal);
  }

  invalidate(): void {
    this.ctx.forget();
  }

  // Members (members.ts).

  listMembersPage(token?: string, signal?: AbortSignal): Promise<Page<Member>> {
    return members.listMembersPage(this.ctx, token, signal);
  }

  listMembers(signal?: AbortSignal): Promise<WholeList<Member>> {
    return members.listMembers(this.ctx, signal);
  }

  listMemberRoles(signal?: AbortSignal): Promise<RoleChoice[]> {
    return members.listMemberRoles(this.ctx, signal);
  }

  memberRoleWarning(list: readonly Member[], role: RoleChoice): string | undefined {
    return members.memberRoleWarning(list, role);
  }

  setMemberRole(member: Member, roleId: string, signal?: AbortSignal): Promise<unknown> {
    return members.setMemberRole(this.ctx, member, roleId, signal);
  }

  removeMember(member: Member, signal?: AbortSignal): Promise<RemovalOutcome> {
    return members.removeMember(this.ctx, member, signal);
  }

  // Invitations (invitations.ts).

  inviteMembers(emails: readonly string[], options: InviteOptions, signal?: AbortSignal): Promise<InviteReport> {
    return invitations.inviteMembers(this.ctx, emails, options, signal);
  }

  listInvitations(signal?: AbortSignal): Promise<Invitation[]> {
    return invitations.listInvitations(this.ctx, signal);
  }

  invite(emails: readonly string[], roleId?: string, signal?: AbortSignal): Promise<invitations.InviteResult> {
    return invitations.invite(this.ctx, emails, roleId, signal);
  }

  resendInvitation(invitation: Invitation, signal?: AbortSignal): Promise<Invitation> {
    return invitations.resendInvitation(this.ctx, invitation, signal);
  }

  revokeInvitation(invitation: Invitation, signal?: AbortSignal): Promise<RemovalOutcome> {
    return invitations.revokeInvitation(this.ctx, invitation, signal);
  }

  // Projects (projects.ts).

  listProjects(signal?: AbortSignal): Promise<Resource[]> {
    return projects.listProjects(this.ctx, signal);
  }

  listProjectRoles(projectId: string, signal?: AbortSignal): Promise<RoleChoice[]> {
    return projects.listProjectRoles(this.ctx, projectId, signal);
  }

  projectRoleWarning(list: readonly Member[], role: RoleChoice): string | undefined {
    return projects.projectRoleWarning(list, role);
  }

  listProjectMembersPage(projectId: string, token?: string, signal?: AbortSignal): Promise<Page<Member>> {
    return projects.listProjectMembersPage(this.ctx, projectId, token, signal);
  }

  setProjectMemberRole(projectId: string, member: Member, roleId: string, signal?: AbortSignal): Promise<unknown> {
    return projects.setProjectMemberRole(this.ctx, projectId, member, roleId, signal);
  }

  removeProjectMember(projectId: string, member: Member, signal?: AbortSignal): Promise<RemovalOutcome> {
    return projects.removeProjectMember(this.ctx, projectId, member, signal);
  }

  listProjectInvitations(projectId: string, signal?: AbortSignal): Promise<Invitation[]> {
    return projects.listProjectInvitations(this.ctx, projectId, signal);
  }

  inviteToProject(
    projectId: string,
    emails: readonly string[],
    roleId?: string,
    signal?: AbortSignal,
  ): Promise<invitations.InviteResult> {
    return projects.inviteToProject(this.ctx, projectId, emails, roleId, signal);
  }

  resendProjectInvitation(projectId: string, invitation: Invitation, signal?: AbortSignal): Promise<Invitation> {
    return projects.resendProjectInvitation(this.ctx, projectId, invitation, signal);
  }

  revokeProjectInvitation(projectId: string, invitation: Invitation, signal?: AbortSignal): Promise<RemovalOutcome> {
    return projects.revokeProjectInvitation(this.ctx, projectId, invitation, signal);
  }
}
