import type { Member, Page } from '../../core/model';
import { readNumberedPages, type WholeList } from '../../core/paging';
import type { Members, RemovalOutcome, RoleChoice } from '../../core/provider';
import * as api from './client';
import { gone, numbered, type ConfidentContext } from './context';
import { listRoles, OWNER } from './roles';
import type { ProjectMember, Member as WireMember } from './schemas';

export const REMOVAL_CONSEQUENCE =
  'They are also removed from every project of the organization, and their pending invitations are cleared.';

export const toMember = (m: WireMember | ProjectMember): Member => {
  const role = 'organizationRole' in m ? m.organizationRole : 'projectRole' in m ? m.projectRole : undefined;
  return {
    id: m.id,
    email: m.email,
    name: m.name || m.email,
    role: role?.id,
    roleLabel: role?.name,
    owner: role?.name === OWNER,
  };
};

/** The organization's members, in numbered pages, with the roles the organization defines. */
export function membersCapability(ctx: ConfidentContext): Members {
  return {
    list: (signal) => listMembers(ctx, signal),
    page: (token, signal) => listMembersPage(ctx, token, signal),
    roles: {
      kind: 'role',
      listed: true,
      choices: (signal) => listMemberRoles(ctx, signal),
      set: (member, roleId, signal) => setMemberRole(ctx, member, roleId, signal),
      warning: (members, role) => memberRoleWarning(members, role),
    },
    remove: (member, signal) => removeMember(ctx, member, signal),
    removalConsequence: REMOVAL_CONSEQUENCE,
    // Owner and Admin hold `project:manage`: every project, past project roles.
    reachesEverything: (member) =>
      member.roleLabel === OWNER || member.roleLabel === 'Admin' ? member.roleLabel : undefined,
  };
}

export async function listMembersPage(
  ctx: ConfidentContext,
  token?: string,
  signal?: AbortSignal,
): Promise<Page<Member>> {
  const page = token ? Number(token) : 1;
  const res = await api.listMembers(ctx.http, page, signal);
  return numbered(page, api.PAGE_SIZE, res.total, res.members.map(toMember));
}

/** Every member: the first page says the total, the other pages are read side by side. */
export async function listMembers(ctx: ConfidentContext, signal?: AbortSignal): Promise<WholeList<Member>> {
  const list = await readNumberedPages(
    'Confident AI members',
    async (page, s) => {
      const res = await api.listMembers(ctx.http, page, s);
      return { items: res.members.map(toMember), total: res.total };
    },
    api.PAGE_SIZE,
    { signal },
  );
  if (list.incomplete) ctx.http.log.warn(list.incomplete);
  return list;
}

export async function listMemberRoles(ctx: ConfidentContext, signal?: AbortSignal): Promise<RoleChoice[]> {
  return (await listRoles(ctx, signal)).map((r) => ({
    id: r.id,
    label: r.preset ? r.name : `${r.name} (custom)`,
    invitable: r.name !== OWNER,
  }));
}

export function memberRoleWarning(members: readonly Member[], role: RoleChoice): string | undefined {
  if (role.label !== OWNER) return undefined;
  if (members.length > 1) return 'Only one person can be Owner: choose one member.';
  return 'Giving Owner transfers ownership of the organization: the current Owner becomes Admin.';
}

/** Giving Owner transfers ownership (the UI warns first); the done item's note says what became of the previous Owner. */
export async function setMemberRole(
  ctx: ConfidentContext,
  member: Member,
  roleId: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const owner = (await listRoles(ctx, signal)).find((r) => r.name === OWNER);
  if (roleId !== owner?.id) {
    await api.setMemberRole(ctx.http, member.id, roleId, signal);
    return undefined;
  }
  const before = await listMembers(ctx, signal);
  await api.setMemberRole(ctx.http, member.id, roleId, signal);
  const after = await listMembers(ctx, signal).catch(() => undefined);
  return previousOwnerNote(before, after, member.id, 'Admin');
}

/**
 * After Owner was given: the previous Owner's role, as read back after the transfer (Confident AI
 * makes them Admin in the organization, Manager in a project), or what the platform does when the
 * read back failed.
 */
export function previousOwnerNote(
  before: readonly Member[],
  after: readonly Member[] | undefined,
  newOwnerId: string,
  becomes: string,
): string | undefined {
  const notes = before
    .filter((m) => m.owner && m.id !== newOwnerId)
    .map((previous) => {
      if (!after) return `The previous Owner, ${previous.name}, becomes ${becomes}.`;
      const now = after.find((m) => m.id === previous.id);
      return now
        ? `The previous Owner, ${previous.name}, is now ${now.roleLabel ?? 'without a role'}.`
        : `The previous Owner, ${previous.name}, is no longer listed.`;
    });
  return notes.length ? notes.join(' ') : undefined;
}

/** Also removes them from every project. */
export async function removeMember(
  ctx: ConfidentContext,
  member: Member,
  signal?: AbortSignal,
): Promise<RemovalOutcome> {
  return gone((await api.removeMember(ctx.http, member.id, signal)).removed);
}
