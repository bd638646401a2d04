import type { Invitation, Member, Page, Resource } from '../../core/model';
import type { Projects, RemovalOutcome, RoleChoice } from '../../core/provider';
import { readNumberedPages } from '../../core/paging';
import * as api from './client';
import { gone, numbered, type ConfidentContext } from './context';
import { inviteResult, toInvitation, type InviteResult } from './invitations';
import { previousOwnerNote, toMember } from './members';
import { OWNER, toRole } from './roles';

/** Projects, whose members and project roles are their access; each with its own invitations. */
export function projectsCapability(ctx: ConfidentContext): Projects {
  return {
    list: (signal) => listProjects(ctx, signal),
    roles: (projectId, signal) => listProjectRoles(ctx, projectId, signal),
    roleWarning: (members, role) => projectRoleWarning(members, role),
    ranked: [OWNER, 'Manager', 'Member'],
    members: (projectId, token, signal) => listProjectMembersPage(ctx, projectId, token, signal),
    setRole: (projectId, member, roleId, signal) => setProjectMemberRole(ctx, projectId, member, roleId, signal),
    removeMember: (projectId, member, signal) => removeProjectMember(ctx, projectId, member, signal),
    invitations: (projectId) => ({
      send: async (emails, options, signal) => ({
        skippedEmails: (await inviteToProject(ctx, projectId, emails, options.seat, signal)).skipped,
      }),
      list: (signal) => listProjectInvitations(ctx, projectId, signal),
      resend: (invitation, signal) => resendProjectInvitation(ctx, projectId, invitation, signal),
      revoke: (invitation, signal) => revokeProjectInvitation(ctx, projectId, invitation, signal),
    }),
  };
}

/** A project the answer gives no id cannot be acted on: it is left out, with a debug line; one without a name shows its id. */
export async function listProjects(ctx: ConfidentContext, signal?: AbortSignal): Promise<Resource[]> {
  const projects: Resource[] = [];
  for (const p of await api.listProjects(ctx.http, signal)) {
    if (p.id === undefined || p.id === '') {
      ctx.http.log.debug(
        `Confident AI projects: skipped ${p.name ? `"${p.name}"` : 'a project'}: the answer gives no id`,
      );
      continue;
    }
    projects.push({ type: 'project', id: p.id, name: p.name ?? p.id });
  }
  return projects;
}

export async function listProjectRoles(
  ctx: ConfidentContext,
  projectId: string,
  signal?: AbortSignal,
): Promise<RoleChoice[]> {
  return (await api.listProjectRoles(ctx.http, projectId, signal))
    .map(toRole)
    .map((r) => ({ id: r.id, label: r.preset ? r.name : `${r.name} (custom)`, invitable: r.name !== OWNER }));
}

export function projectRoleWarning(members: readonly Member[], role: RoleChoice): string | undefined {
  if (role.label !== OWNER) return undefined;
  if (members.length > 1) return 'Only one person can be a project Owner: choose one member.';
  return 'Giving Owner transfers ownership of the project: the current Owner becomes Manager.';
}

export async function listProjectMembersPage(
  ctx: ConfidentContext,
  projectId: string,
  token?: string,
  signal?: AbortSignal,
): Promise<Page<Member>> {
  const page = token ? Number(token) : 1;
  const res = await api.listProjectMembers(ctx.http, projectId, page, signal);
  return numbered(page, api.PAGE_SIZE, res.total, res.members.map(toMember));
}

/** Giving Owner transfers project ownership; the done item's note says what became of the previous Owner (Manager). */
export async function setProjectMemberRole(
  ctx: ConfidentContext,
  projectId: string,
  member: Member,
  roleId: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const owner = (await listProjectRoles(ctx, projectId, signal)).find((r) => r.label === OWNER);
  if (roleId !== owner?.id) {
    await api.setProjectMemberRole(ctx.http, projectId, member.id, roleId, signal);
    return undefined;
  }
  const members = () =>
    readNumberedPages(
      'Confident AI project members',
      async (page, s) => {
        const res = await api.listProjectMembers(ctx.http, projectId, page, s);
        return { items: res.members.map(toMember), total: res.total };
      },
      api.PAGE_SIZE,
      { signal },
    );
  const before = await members();
  await api.setProjectMemberRole(ctx.http, projectId, member.id, roleId, signal);
  return previousOwnerNote(before, await members().catch(() => undefined), member.id, 'Manager');
}

/** They stay in the organization. */
export async function removeProjectMember(
  ctx: ConfidentContext,
  projectId: string,
  member: Member,
  signal?: AbortSignal,
): Promise<RemovalOutcome> {
  return gone((await api.removeProjectMember(ctx.http, projectId, member.id, signal)).removed);
}

export async function listProjectInvitations(
  ctx: ConfidentContext,
  projectId: string,
  signal?: AbortSignal,
): Promise<Invitation[]> {
  return (await api.listProjectInvitations(ctx.http, projectId, signal)).map(toInvitation);
}

export async function inviteToProject(
  ctx: ConfidentContext,
  projectId: string,
  emails: readonly string[],
  roleId?: string,
  signal?: AbortSignal,
): Promise<InviteResult> {
  return inviteResult(ctx, emails, await api.inviteToProject(ctx.http, projectId, emails, roleId, signal));
}

export async function resendProjectInvitation(
  ctx: ConfidentContext,
  projectId: string,
  invitation: Invitation,
  signal?: AbortSignal,
): Promise<Invitation> {
  return toInvitation(
    (await api.resendProjectInvitation(ctx.http, projectId, Number(invitation.id), signal)).invitation,
  );
}

export async function revokeProjectInvitation(
  ctx: ConfidentContext,
  projectId: string,
  invitation: Invitation,
  signal?: AbortSignal,
): Promise<RemovalOutcome> {
  return gone((await api.revokeProjectInvitation(ctx.http, projectId, Number(invitation.id), signal)).deleted);
}
