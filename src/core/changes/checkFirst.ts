/**
 * The check just before a change is sent: is it in effect already? Another apply (another runner,
 * another checkout) may have made it since the plan; then it is not sent again. It asks the same
 * question as the check after a lost answer (verify.ts), through a view of the provider that makes
 * each read once per job: the members list, the invitations and the invite links once per connection,
 * a group's members, a member's groups, a resource's grants and a project's members once each. A plan
 * of 100 changes costs a read per connection and per resource or project it touches, not one per change.
 */
import { ApiError } from '../http/errors';
import type { Invitations, Provider } from '../provider';
import type { ChangeItem } from './change';
import { inEffect } from './verify';

/** The note of a change found in effect just before it was sent: it was not sent. */
export const ALREADY_IN_EFFECT = 'already in effect just before it was sent (made since the plan): not sent';

/**
 * Whether each change is in effect already, read through job-long views of its connection. A check
 * that cannot tell (an invitation where the platform cannot list them) or whose read fails says no:
 * the change is sent as it would have been without the check. A rate limit or a cancel is passed on
 * (the engine puts the item back, or stops).
 */
export function checkFirst(
  providerFor: (connectionId: string) => Provider,
): (item: ChangeItem, signal: AbortSignal) => Promise<boolean> {
  const views = new Map<string, Provider>();
  return async (item, signal) => {
    let view = views.get(item.connectionId);
    if (!view) views.set(item.connectionId, (view = readingOnce(providerFor(item.connectionId))));
    try {
      return (await inEffect(view, item.change, signal)) === true;
    } catch (err) {
      if (signal.aborted || (err instanceof ApiError && (err.status === 429 || err.kind === 'cancelled'))) throw err;
      return false;
    }
  };
}

/**
 * The provider as the check reads it: every read it may make is made once and kept for the job (a
 * read that fails is made again by the next check). A member is found in the members list rather
 * than by a search per email, and a role on a resource in its grants rather than per principal, so
 * checks of many changes share their reads. Only reads go through it: changes are sent by the
 * provider itself.
 */
export function readingOnce(p: Provider): Provider {
  const kept = new Map<string, Promise<unknown>>();
  function once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let value = kept.get(key) as Promise<T> | undefined;
    if (!value) {
      value = read();
      kept.set(key, value);
      value.catch(() => kept.delete(key));
    }
    return value;
  }
  const { members, groups, invitations, inviteLinks, sharing, projects } = p;
  const groupsOf = groups?.of;
  const projectInvitations = projects?.invitations;
  const listOnce = (key: string, inv: Invitations): Invitations => {
    const list = inv.list;
    return list ? { ...inv, list: (s) => once(key, () => list(s)) } : inv;
  };
  return {
    platform: p.platform,
    whoAmI: (s) => p.whoAmI(s),
    invalidate: () => kept.clear(),
    members: members && { ...members, search: undefined, list: (s) => once('members', () => members.list(s)) },
    invitations: invitations && listOnce('invitations', invitations),
    groups: groups && {
      ...groups,
      list: (s) => once('groups', () => groups.list(s)),
      members: (id, token, s) => once(`group|${id}|${token ?? ''}`, () => groups.members(id, token, s)),
      of: groupsOf && ((m, s) => once(`of|${m.id}`, () => groupsOf(m, s))),
    },
    inviteLinks: inviteLinks && { ...inviteLinks, list: (s) => once('links', () => inviteLinks.list(s)) },
    sharing: sharing && {
      ...sharing,
      roleOf: undefined,
      access: (r, s) => once(`access|${r.type}:${r.id}`, () => sharing.access(r, s)),
    },
    projects: projects && {
      ...projects,
      members: (id, token, s) => once(`project|${id}|${token ?? ''}`, () => projects.members(id, token, s)),
      invitations: projectInvitations && ((id) => listOnce(`project-invitations|${id}`, projectInvitations(id))),
    },
  };
}
