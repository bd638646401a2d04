/**
 * The reads a change needs to run or to be checked: a member by email, their role in a group or
 * project, a principal's role on a resource. Each is the platform's cheapest way to ask.
 */
import type { Member, Principal } from '../model';
import { readAllPages } from '../paging';
import { findMembers, groupsOf, sameEmail } from '../people/person';
import type { Provider, Sharing } from '../provider';
import type { Grantee, ResourceRef } from './change';

/** A capability the change needs, or an error naming what the connection cannot do. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`This connection cannot ${what}.`);
  return value;
}

export async function memberByEmail(
  provider: Provider,
  email: string,
  signal: AbortSignal,
): Promise<Member | undefined> {
  return (await findMembers(provider, email, signal)).find((m) => sameEmail(m.email, email));
}

export const userOf = (m: Pick<Member, 'id' | 'email' | 'name'>): Principal => ({
  kind: 'user',
  id: m.id,
  name: m.name,
  email: m.email,
});

/** The grantee as the platform names it: a person by email is looked up (undefined: not a member). */
export async function principalOf(provider: Provider, p: Grantee, signal: AbortSignal): Promise<Principal | undefined> {
  if (p.kind !== 'person') return p;
  const m = await memberByEmail(provider, p.email, signal);
  return m && userOf(m);
}

/** The person's role in a group (`member` where groups have no roles), or false when they are not in it. */
export async function groupRole(
  provider: Provider,
  groupId: string,
  email: string,
  signal: AbortSignal,
): Promise<string | false> {
  need(provider.groups, 'list groups');
  const member = await memberByEmail(provider, email, signal);
  const found = member && (await groupsOf(provider, member, undefined, signal)).find((g) => g.group.id === groupId);
  return found ? (found.role ?? 'member') : false;
}

/** The project's member with this email, if they are one. */
export async function inProject(
  provider: Provider,
  projectId: string,
  email: string,
  signal: AbortSignal,
): Promise<Member | undefined> {
  const projects = need(provider.projects, 'manage projects');
  const all = await readAllPages('project members', (token) => projects.members(projectId, token, signal), { signal });
  return all.find((m) => sameEmail(m.email, email));
}

/** The principal's direct role on the resource, by the platform's cheap check when it has one. */
export async function currentRole(
  sharing: Sharing,
  resource: ResourceRef,
  principal: Principal,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (sharing.roleOf) return sharing.roleOf(resource, principal, signal);
  const access = await sharing.access(resource, signal);
  return access.grants.find((g) => g.principal.kind === principal.kind && g.principal.id === principal.id)?.role;
}

/** Whether an invitation to this email is pending; undefined where the platform cannot list invitations. */
export async function pendingInvitation(
  list: ((signal?: AbortSignal) => Promise<readonly { status: string; email: string }[]>) | undefined,
  email: string,
  signal: AbortSignal,
): Promise<boolean | undefined> {
  return list ? (await list(signal)).some((i) => i.status === 'pending' && sameEmail(i.email, email)) : undefined;
}
