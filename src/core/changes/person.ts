/**
 * Changes to one person's access, in any connection: what an offboarding or a copy of someone's
 * access is made of. One bulk task runs them all, across connections, each item through its own
 * connection's provider; every write is checked before it is sent again after a lost answer.
 */
import type { BulkTask } from '../jobs/engine';
import { connectionTask, currentRole, type ResourceRef } from './task';
import type { Invitation, Member, Principal } from '../model';
import { readAllPages } from '../paging';
import type { Provider } from '../provider';
import { findMembers, groupsOf, sameEmail } from '../people/person';

/** Enough of a member to act on them again after a reload (ids and email, never a secret). */
export type MemberRef = Pick<Member, 'id' | 'email' | 'name'>;
export type GroupRef = { readonly id: string; readonly name: string };

export type Change =
  | { readonly op: 'lock'; readonly member: MemberRef }
  | { readonly op: 'remove-member'; readonly member: MemberRef }
  | { readonly op: 'leave-group'; readonly group: GroupRef; readonly member: MemberRef }
  | { readonly op: 'unshare'; readonly resource: ResourceRef; readonly member: MemberRef }
  | { readonly op: 'revoke-invitation'; readonly email: string; readonly invitation?: Invitation }
  | { readonly op: 'leave-project'; readonly project: ResourceRef; readonly member: MemberRef }
  | { readonly op: 'revoke-project-invitation'; readonly project: ResourceRef; readonly invitation: Invitation }
  | { readonly op: 'invite'; readonly email: string; readonly seat?: string; readonly seatLabel?: string; readonly groups?: readonly GroupRef[] }
  | { readonly op: 'join-group'; readonly group: GroupRef; readonly email: string; readonly role?: string }
  | { readonly op: 'share'; readonly resource: ResourceRef; readonly email: string; readonly role: string }
  | { readonly op: 'join-project'; readonly project: ResourceRef; readonly email: string; readonly roleId?: string; readonly roleLabel?: string };

/** A change in one connection. */
export interface PersonItem {
  readonly connectionId: string;
  readonly change: Change;
}

/** Whether a change needs its person to be a member first (then, for a copy, it waits as a follow-up). */
export const needsMember = (c: Change): boolean => c.op === 'join-group' || c.op === 'share' || c.op === 'join-project';

/** Stable across a reload: what the journal records outcomes under. */
export function changeKey(i: PersonItem): string {
  const c = i.change;
  const what = (() => {
    switch (c.op) {
      case 'lock':
      case 'remove-member':
        return c.member.id;
      case 'leave-group':
        return `${c.group.id}|${c.member.id}`;
      case 'unshare':
        return `${c.resource.type}:${c.resource.id}|${c.member.id}`;
      case 'revoke-invitation':
        return c.invitation?.id ?? c.email.toLowerCase();
      case 'leave-project':
        return `${c.project.id}|${c.member.id}`;
      case 'revoke-project-invitation':
        return `${c.project.id}|${c.invitation.id}`;
      case 'invite':
        return c.email.toLowerCase();
      case 'join-group':
        return `${c.group.id}|${c.email.toLowerCase()}`;
      case 'share':
        return `${c.resource.type}:${c.resource.id}|${c.email.toLowerCase()}`;
      case 'join-project':
        return `${c.project.id}|${c.email.toLowerCase()}`;
    }
  })();
  return `${i.connectionId}|${c.op}|${what}`;
}

/** A capability the change needs, or an error naming what the connection cannot do. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`This connection cannot ${what}.`);
  return value;
}

export async function memberByEmail(provider: Provider, email: string, signal: AbortSignal): Promise<Member | undefined> {
  return (await findMembers(provider, email, signal)).find((m) => sameEmail(m.email, email));
}

async function asPrincipal(provider: Provider, email: string, signal: AbortSignal): Promise<Principal> {
  const m = await memberByEmail(provider, email, signal);
  if (!m) throw new Error(`${email} is not a member yet.`);
  return { kind: 'user', id: m.id, name: m.name, email: m.email };
}

/** The person's role in a group (`member` where groups have no roles), or false when they are not in it. */
export async function groupRole(provider: Provider, groupId: string, email: string, signal: AbortSignal): Promise<string | false> {
  need(provider.groups, 'list groups');
  const member = await memberByEmail(provider, email, signal);
  const found = member && (await groupsOf(provider, member, undefined, signal)).find((g) => g.group.id === groupId);
  return found ? (found.role ?? 'member') : false;
}

const inGroup = async (provider: Provider, groupId: string, email: string, signal: AbortSignal): Promise<boolean> => (await groupRole(provider, groupId, email, signal)) !== false;

/** The project's member with this email, if they are one. */
export async function inProject(provider: Provider, projectId: string, email: string, signal: AbortSignal): Promise<Member | undefined> {
  const projects = need(provider.projects, 'manage projects');
  return (await readAllPages('project members', (token) => projects.members(projectId, token, signal), { signal })).find((m) => sameEmail(m.email, email));
}

/** Sends one change. A string it returns is the outcome's note (a removal's outcome: `not-there`, `requested`). */
async function run(provider: Provider, c: Change, signal: AbortSignal): Promise<unknown> {
  switch (c.op) {
    case 'lock':
      return need(provider.members?.setLocked, 'lock members')(c.member, true, signal);
    case 'remove-member':
      return need(provider.members?.remove, 'remove members')(c.member, signal);
    case 'leave-group':
      return need(provider.groups?.remove, 'take members out of groups')(c.group.id, c.member.email, signal);
    case 'unshare':
      return need(provider.sharing?.unshare, 'remove access')(c.resource, { kind: 'user', id: c.member.id, name: c.member.name, email: c.member.email }, signal);
    case 'revoke-invitation': {
      const inv = need(provider.invitations, 'revoke invitations');
      if (c.invitation) return need(inv.revoke, 'revoke invitations')(c.invitation, signal);
      return need(inv.revokeByEmail, 'revoke invitations by email')(c.email, signal);
    }
    case 'leave-project':
      return need(provider.projects, 'manage projects').removeMember(c.project.id, c.member, signal);
    case 'revoke-project-invitation':
      return need(provider.projects?.invitations?.(c.project.id).revoke, 'revoke project invitations')(c.invitation, signal);
    case 'invite':
      await need(provider.invitations, 'invite members').send([c.email], { seat: c.seat, groupIds: c.groups?.map((g) => g.id) }, signal);
      return undefined;
    case 'join-group': {
      const groups = need(provider.groups, 'manage groups');
      await need(groups.add, 'add members to groups')(c.group.id, c.email, signal);
      // Added with the platform's usual role; a different one (a team owner) is set after.
      const roles = groups.roles;
      const m = c.role && roles ? await memberByEmail(provider, c.email, signal) : undefined;
      if (m && roles && c.role) {
        const now = groups.of ? (await groups.of(m, signal)).find((g) => g.group.id === c.group.id)?.role : undefined;
        if (now !== c.role) await roles.set(c.group.id, m, c.role, signal);
      }
      return undefined;
    }
    case 'share':
      return need(provider.sharing?.share, 'share resources')(c.resource, await asPrincipal(provider, c.email, signal), c.role, signal);
    case 'join-project':
      await need(provider.projects?.invitations?.(c.project.id).send, 'invite to projects')([c.email], { seat: c.roleId }, signal);
      return undefined;
  }
}

/** Reads whether the change is in effect: true, false (safe to send), or undefined (cannot tell). */
async function inEffect(provider: Provider, c: Change, signal: AbortSignal): Promise<boolean | undefined> {
  switch (c.op) {
    case 'lock':
      return (await memberByEmail(provider, c.member.email, signal))?.locked ?? true;
    case 'remove-member':
      return !(await memberByEmail(provider, c.member.email, signal));
    case 'leave-group':
      return !(await inGroup(provider, c.group.id, c.member.email, signal));
    case 'unshare':
      return (await currentRole(need(provider.sharing, 'share resources'), { resource: c.resource, principal: { kind: 'user', id: c.member.id, name: c.member.name, email: c.member.email } }, signal)) === undefined;
    case 'revoke-invitation': {
      const list = provider.invitations?.list;
      if (!list) return undefined;
      return !(await list(signal)).some((i) => i.status === 'pending' && sameEmail(i.email, c.email));
    }
    case 'leave-project':
      return !(await inProject(provider, c.project.id, c.member.email, signal));
    case 'revoke-project-invitation': {
      const list = provider.projects?.invitations?.(c.project.id).list;
      return list ? !(await list(signal)).some((i) => i.id === c.invitation.id && i.status === 'pending') : undefined;
    }
    case 'invite': {
      if (await memberByEmail(provider, c.email, signal)) return true;
      const list = provider.invitations?.list;
      return list ? (await list(signal)).some((i) => i.status === 'pending' && sameEmail(i.email, c.email)) : undefined;
    }
    case 'join-group':
      return inGroup(provider, c.group.id, c.email, signal);
    case 'share': {
      const m = await memberByEmail(provider, c.email, signal);
      return m ? (await currentRole(need(provider.sharing, 'share resources'), { resource: c.resource, principal: { kind: 'user', id: m.id, name: m.name, email: m.email } }, signal)) === c.role : false;
    }
    case 'join-project': {
      if (await inProject(provider, c.project.id, c.email, signal)) return true;
      const list = provider.projects?.invitations?.(c.project.id).list;
      return list ? (await list(signal)).some((i) => i.status === 'pending' && sameEmail(i.email, c.email)) : undefined;
    }
  }
}

/** The task over changes in many connections: each item through its connection's provider. */
export function personTask(providerFor: (connectionId: string) => Provider): BulkTask<PersonItem> {
  return connectionTask<Change, PersonItem>(providerFor, changeKey, run, inEffect);
}
