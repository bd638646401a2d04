/**
 * Whether a change is in effect: true (done), false (not, so sending it is safe), or undefined
 * (cannot tell: an invitation where the platform cannot list them). The job engine asks after a
 * lost answer and on resume, so nothing is sent twice.
 */
import type { Provider } from '../provider';
import { linkTarget, type Change } from './change';
import { currentRole, groupRole, inProject, memberByEmail, need, pendingInvitation, principalOf } from './reads';

export async function inEffect(p: Provider, c: Change, signal: AbortSignal): Promise<boolean | undefined> {
  switch (c.op) {
    case 'invite':
      if (await memberByEmail(p, c.email, signal)) return true;
      return pendingInvitation(p.invitations?.list, c.email, signal);
    case 'revoke-invitation': {
      const pending = await pendingInvitation(p.invitations?.list, c.email, signal);
      return pending === undefined ? undefined : !pending;
    }
    case 'set-role':
      return (await memberByEmail(p, c.member.email, signal))?.role === c.role;
    case 'set-locked': {
      const m = await memberByEmail(p, c.member.email, signal);
      // Someone no longer a member is as locked as they can be.
      return m ? !!m.locked === c.locked : c.locked;
    }
    case 'remove-member':
      return !(await memberByEmail(p, c.member.email, signal));
    case 'join-group': {
      const role = await groupRole(p, c.group.id, c.email, signal);
      return role !== false && (!c.role || role === c.role);
    }
    case 'set-group-role':
      return (await groupRole(p, c.group.id, c.member.email, signal)) === c.role;
    case 'leave-group':
      return (await groupRole(p, c.group.id, c.member.email, signal)) === false;
    case 'grant': {
      const principal = await principalOf(p, c.principal, signal);
      return principal
        ? (await currentRole(need(p.sharing, 'share resources'), c.resource, principal, signal)) === c.role
        : false;
    }
    case 'revoke':
      return (await currentRole(need(p.sharing, 'share resources'), c.resource, c.principal, signal)) === undefined;
    case 'create-link':
      return (await need(p.inviteLinks, 'list invite links').list(signal)).some(
        (l) => linkTarget(l.target) === linkTarget(c.target) && l.role === c.role,
      );
    case 'update-link':
      return (await need(p.inviteLinks, 'list invite links').list(signal)).some(
        (l) => l.id === c.link.id && l.role === c.role,
      );
    case 'delete-link':
      return !(await need(p.inviteLinks, 'list invite links').list(signal)).some((l) => l.id === c.link.id);
    case 'join-project':
      if (await inProject(p, c.project.id, c.email, signal)) return true;
      return pendingInvitation(p.projects?.invitations?.(c.project.id).list, c.email, signal);
    case 'set-project-role':
      return (await inProject(p, c.project.id, c.member.email, signal))?.role === c.role;
    case 'leave-project':
      return !(await inProject(p, c.project.id, c.member.email, signal));
    case 'revoke-project-invitation': {
      const list = p.projects?.invitations?.(c.project.id).list;
      return list ? !(await list(signal)).some((i) => i.id === c.invitation.id && i.status === 'pending') : undefined;
    }
  }
}
