/**
 * Applying a plan: one bulk task over its changes, each through its connection's provider. Every
 * change can be checked before it is sent again (a lost answer, a resumed job), except an
 * invitation where the platform cannot list them: that one ends "unknown" and is never resent.
 */
import type { BulkTask } from '../jobs/engine';
import { connectionTask, currentRole } from './task';
import { groupRole, inProject, memberByEmail, need } from './person';
import { sameEmail } from '../people/person';
import type { Provider } from '../provider';
import { worded, type RemovalKind } from './removals';
import { linkTarget, type AccessChange, type PlannedChange } from '../access/planner';

/** What a job item is: a change in one connection (plain JSON, no secret). */
export type ApplyItem = Pick<PlannedChange, 'connectionId' | 'change'>;

export function applyKey(i: ApplyItem): string {
  const c = i.change;
  const what = (() => {
    switch (c.op) {
      case 'invite':
        return lowerEmail(c.email);
      case 'set-role':
      case 'set-locked':
      case 'remove-member':
        return c.member.id;
      case 'join-group':
      case 'set-group-role':
      case 'leave-group':
        return `${c.group.id}|${c.member.id}`;
      case 'grant':
      case 'revoke':
        return `${c.resource.type}:${c.resource.id}|${c.principal.kind}:${c.principal.id}`;
      case 'create-link':
        return linkTarget(c.target);
      case 'update-link':
      case 'delete-link':
        return c.link.id;
      case 'join-project':
        return `${c.project.id}|${lowerEmail(c.email)}`;
      case 'set-project-role':
      case 'leave-project':
        return `${c.project.id}|${c.member.id}`;
    }
  })();
  return `${i.connectionId}|${c.op}|${what}`;
}

const lowerEmail = (e: string) => e.toLowerCase();

async function run(p: Provider, c: AccessChange, signal: AbortSignal): Promise<unknown> {
  switch (c.op) {
    case 'invite':
      await need(p.invitations, 'invite members').send([c.email], { seat: c.role, groupIds: c.groups?.map((g) => g.id) }, signal);
      return undefined;
    case 'set-role':
      return need(p.members?.roles, 'change roles').set(c.member, c.role, signal);
    case 'set-locked':
      return need(p.members?.setLocked, 'lock members')(c.member, c.locked, signal);
    case 'remove-member':
      return need(p.members?.remove, 'remove members')(c.member, signal);
    case 'join-group': {
      const groups = need(p.groups, 'manage groups');
      await need(groups.add, 'add members to groups')(c.group.id, c.member.email, signal);
      // Added with the platform's usual role; another one (a team owner) is set after.
      if (c.role && groups.roles && c.role !== 'member') await groups.roles.set(c.group.id, c.member, c.role, signal);
      return undefined;
    }
    case 'set-group-role':
      return need(p.groups?.roles, 'change roles in groups').set(c.group.id, c.member, c.role, signal);
    case 'leave-group':
      return need(p.groups?.remove, 'take members out of groups')(c.group.id, c.member.email, signal);
    case 'grant': {
      const sharing = need(p.sharing, 'share resources');
      if (c.from !== undefined && sharing.changeRole) return sharing.changeRole(c.resource, c.principal, c.role, signal);
      return need(sharing.share, 'share resources')(c.resource, c.principal, c.role, signal);
    }
    case 'revoke':
      return need(p.sharing?.unshare, 'remove access')(c.resource, c.principal, signal);
    case 'create-link':
      await need(p.inviteLinks?.create, 'create invite links')(c.target, c.role, signal);
      return undefined;
    case 'update-link':
      await need(p.inviteLinks?.update, 'change invite links')(c.link, c.role, signal);
      return undefined;
    case 'delete-link':
      return need(p.inviteLinks?.delete, 'delete invite links')(c.link, signal);
    case 'join-project':
      await need(p.projects?.invitations?.(c.project.id).send, 'invite to projects')([c.email], { seat: c.role }, signal);
      return undefined;
    case 'set-project-role':
      return need(p.projects, 'manage projects').setRole(c.project.id, c.member, c.role, signal);
    case 'leave-project':
      return need(p.projects, 'manage projects').removeMember(c.project.id, c.member, signal);
  }
}

/** Whether the change is in effect: true, false (safe to send), or undefined (cannot tell). */
async function inEffect(p: Provider, c: AccessChange, signal: AbortSignal): Promise<boolean | undefined> {
  switch (c.op) {
    case 'invite': {
      if (await memberByEmail(p, c.email, signal)) return true;
      const list = p.invitations?.list;
      return list ? (await list(signal)).some((i) => i.status === 'pending' && sameEmail(i.email, c.email)) : undefined;
    }
    case 'set-role':
      return (await memberByEmail(p, c.member.email, signal))?.role === c.role;
    case 'set-locked':
      return !!(await memberByEmail(p, c.member.email, signal))?.locked === c.locked;
    case 'remove-member':
      return !(await memberByEmail(p, c.member.email, signal));
    case 'join-group': {
      const role = await groupRole(p, c.group.id, c.member.email, signal);
      return role !== false && (!c.role || role === c.role);
    }
    case 'set-group-role':
      return (await groupRole(p, c.group.id, c.member.email, signal)) === c.role;
    case 'leave-group':
      return (await groupRole(p, c.group.id, c.member.email, signal)) === false;
    case 'grant':
      return (await currentRole(need(p.sharing, 'share resources'), { resource: c.resource, principal: c.principal }, signal)) === c.role;
    case 'revoke':
      return (await currentRole(need(p.sharing, 'share resources'), { resource: c.resource, principal: c.principal }, signal)) === undefined;
    case 'create-link':
      return (await need(p.inviteLinks, 'list invite links').list(signal)).some((l) => linkTarget(l.target) === linkTarget(c.target) && l.role === c.role);
    case 'update-link':
      return (await need(p.inviteLinks, 'list invite links').list(signal)).some((l) => l.id === c.link.id && l.role === c.role);
    case 'delete-link':
      return !(await need(p.inviteLinks, 'list invite links').list(signal)).some((l) => l.id === c.link.id);
    case 'join-project': {
      if (await inProject(p, c.project.id, c.email, signal)) return true;
      const list = p.projects?.invitations?.(c.project.id).list;
      return list ? (await list(signal)).some((i) => i.status === 'pending' && sameEmail(i.email, c.email)) : undefined;
    }
    case 'set-project-role':
      return (await inProject(p, c.project.id, c.member.email, signal))?.role === c.role;
    case 'leave-project':
      return !(await inProject(p, c.project.id, c.member.email, signal));
  }
}

/** The task over a plan's changes in many connections. A removal's outcome (`not-there`, `requested`) is the item's note. */
export function applyTask(providerFor: (connectionId: string) => Provider): BulkTask<ApplyItem> {
  return connectionTask<AccessChange, ApplyItem>(providerFor, applyKey, run, inEffect);
}

/** Which removal each change of a plan is, for its outcome's words. */
const REMOVAL: Partial<Record<AccessChange['op'], RemovalKind>> = {
  'remove-member': 'member', revoke: 'grant', 'leave-project': 'projectMember', 'delete-link': 'deletion',
};

/** The task a job of a plan runs, in the extension and on the command line: removal outcomes in words. */
export function applyJobTask(providerFor: (connectionId: string) => Provider): BulkTask<unknown> {
  return worded(applyTask(providerFor), (i) => REMOVAL[i.change.op] ?? 'deletion');
}
