import type { Member, Page } from '../../core/model';
import type { WholeList } from '../../core/paging';
import type { ActivityReading, Members, RemovalOutcome } from '../../core/provider';
import * as api from './client';
import { all, mapWhole, removal, type GitBookContext } from './context';
import { GUEST, MEMBER_ROLES, roleLabel, wireRole } from './roles';
import type { OrganizationMember } from './schemas';

export const REMOVAL_CONSEQUENCE =
  'They lose their organization role, every team membership and every direct grant on spaces, collections and sites. Their own account stays; inviting them again does not bring the grants back.';

export function toMember(m: OrganizationMember): Member {
  return {
    id: m.id,
    email: m.user.email ?? m.user.displayName,
    name: m.user.displayName,
    role: m.role ?? GUEST,
    roleLabel: roleLabel(m.role),
    locked: m.disabled,
    joined: m.joinedAt,
    ...(m.lastSeenAt ? { lastSeen: m.lastSeenAt } : {}),
  };
}

/** What GitBook's figure is, for people. */
export const ACTIVITY_SOURCE = 'last seen in GitBook';

/**
 * Last seen and joined, from the members list itself: members that came from a list carry both
 * (`joinedAt` is required there), so nothing is read again. Members from elsewhere (built by hand,
 * say) lack `joined`; then the list is read once. `lastSeenAt` covers all time, so the reading has
 * no `since`, and a date older than the one asked for is still given (the evidence a finding shows).
 */
export async function readActivity(
  ctx: GitBookContext,
  members: readonly Member[],
  signal?: AbortSignal,
): Promise<ActivityReading> {
  const source = members.every((m) => m.joined !== undefined) ? members : await listMembers(ctx, signal);
  const wanted = new Set(members.map((m) => m.id));
  const lastActive = new Map<string, string>();
  const joined = new Map<string, string>();
  for (const m of source) {
    if (!wanted.has(m.id)) continue;
    if (m.lastSeen) lastActive.set(m.id, m.lastSeen);
    if (m.joined) joined.set(m.id, m.joined);
  }
  return { lastActive, joined };
}

/** The organization's members: read a page at a time, searched by the platform, their role changed, removed. */
export function membersCapability(ctx: GitBookContext): Members {
  return {
    list: (signal) => listMembers(ctx, signal),
    page: (token, signal) => listMembersPage(ctx, token, signal),
    search: (text, signal) => searchMembers(ctx, text, signal),
    roles: {
      kind: 'role',
      choices: () => Promise.resolve([...MEMBER_ROLES]),
      ranked: true,
      set: (member, role, signal) => setMemberRole(ctx, member, role, signal),
    },
    remove: (member, signal) => removeMember(ctx, member, signal),
    removalConsequence: REMOVAL_CONSEQUENCE,
    reachesEverything: (member) => (member.role === 'admin' ? 'Admin' : undefined),
    activity: { source: ACTIVITY_SOURCE, read: (members, _since, signal) => readActivity(ctx, members, signal) },
  };
}

export async function listMembersPage(
  ctx: GitBookContext,
  token?: string,
  signal?: AbortSignal,
): Promise<Page<Member>> {
  const res = await api.listMembers(ctx.http, ctx.org, token, undefined, signal);
  return { items: res.items.map(toMember), next: res.next?.page, total: res.count };
}

export async function searchMembers(ctx: GitBookContext, text: string, signal?: AbortSignal): Promise<Member[]> {
  return (await api.listMembers(ctx.http, ctx.org, undefined, text, signal)).items.map(toMember);
}

export async function listMembers(ctx: GitBookContext, signal?: AbortSignal): Promise<WholeList<Member>> {
  return mapWhole(
    await all(
      ctx.http,
      'members',
      (page) => api.listMembers(ctx.http, ctx.org, page, undefined, signal, api.MAX_LIMIT),
      signal,
    ),
    toMember,
  );
}

export function setMemberRole(
  ctx: GitBookContext,
  member: Member,
  role: string,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.setMemberRole(ctx.http, ctx.org, member.id, wireRole(role), signal);
}

export async function removeMember(ctx: GitBookContext, member: Member, signal?: AbortSignal): Promise<RemovalOutcome> {
  return removal(await api.removeMember(ctx.http, ctx.org, member.id, signal));
}
