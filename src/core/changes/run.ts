/**
 * How each change is sent through its connection's provider. What a call returns is passed on: a
 * removal's outcome (`removed`, `not-there`, `requested`) is worded by the task.
 */
import type { Provider } from '../provider';
import type { Change } from './change';
import { memberByEmail, need, principalOf } from './reads';

export async function runChange(p: Provider, c: Change, signal: AbortSignal): Promise<unknown> {
  switch (c.op) {
    case 'invite':
      return need(p.invitations, 'invite members').send([c.email], inviteOptions(c), signal);
    case 'revoke-invitation': {
      const inv = need(p.invitations, 'revoke invitations');
      if (c.invitation) return need(inv.revoke, 'revoke invitations')(c.invitation, signal);
      return need(inv.revokeByEmail, 'revoke invitations by email')(c.email, signal);
    }
    case 'set-role':
      return need(p.members?.roles, 'change roles').set(c.member, c.role, signal);
    case 'set-locked':
      return need(p.members?.setLocked, 'lock members')(c.member, c.locked, signal);
    case 'remove-member':
      return need(p.members?.remove, 'remove members')(c.member, signal);
    case 'join-group': {
      const groups = need(p.groups, 'manage groups');
      await need(groups.add, 'add members to groups')(c.group.id, c.email, signal);
      // Added with the platform's usual role; another one (a team owner) is set after.
      if (c.role && c.role !== 'member' && groups.roles) {
        const m = await memberByEmail(p, c.email, signal);
        if (m) await groups.roles.set(c.group.id, m, c.role, signal);
      }
      return undefined;
    }
    case 'set-group-role':
      return need(p.groups?.roles, 'change roles in groups').set(c.group.id, c.member, c.role, signal);
    case 'leave-group':
      return need(p.groups?.remove, 'take members out of groups')(c.group.id, c.member.email, signal);
    case 'grant': {
      const sharing = need(p.sharing, 'share resources');
      const principal = await principalOf(p, c.principal, signal);
      if (!principal)
        throw new Error(`${c.principal.kind === 'person' ? c.principal.email : c.principal.name} is not a member yet.`);
      if (c.from !== undefined && sharing.changeRole) return sharing.changeRole(c.resource, principal, c.role, signal);
      return need(sharing.share, 'share resources')(c.resource, principal, c.role, signal);
    }
    case 'revoke':
      return need(p.sharing?.unshare, 'remove access')(c.resource, c.principal, signal);
    case 'create-link':
      return need(p.inviteLinks?.create, 'create invite links')(c.target, c.role, signal);
    case 'update-link':
      return need(p.inviteLinks?.update, 'change invite links')(c.link, c.role, signal);
    case 'delete-link':
      return need(p.inviteLinks?.delete, 'delete invite links')(c.link, signal);
    case 'join-project':
      return need(p.projects?.invitations?.(c.project.id).send, 'invite to projects')(
        [c.email],
        { seat: c.role },
        signal,
      );
    case 'set-project-role':
      return need(p.projects, 'manage projects').setRole(c.project.id, c.member, c.role, signal);
    case 'leave-project':
      return need(p.projects, 'manage projects').removeMember(c.project.id, c.member, signal);
    case 'revoke-project-invitation':
      return need(p.projects?.invitations?.(c.project.id).revoke, 'revoke project invitations')(c.invitation, signal);
  }
}

/** What the platform's invitation call takes for an invite change. */
export const inviteOptions = (c: Extract<Change, { op: 'invite' }>) => ({
  ...(c.role !== undefined ? { seat: c.role } : {}),
  ...(c.groups?.length ? { groupIds: c.groups.map((g) => g.id) } : {}),
  ...(c.sso ? { sso: true } : {}),
});
