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

/** Giving Owner transfers ownership; the UI warns first. */
export function setMemberRole(
  ctx: ConfidentContext,
  member: Member,
  roleId: string,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.setMemberRole(ctx.http, member.id, roleId, signal);
}

/** Also removes them from every project. */
export async function removeMember(
  ctx: ConfidentContext,
  member: Member,
  signal?: AbortSignal,
): Promise<RemovalOutcome> {
  return gone((await api.removeMember(ctx.http, member.id, signal)).removed);
}
