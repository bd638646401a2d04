/**
 * Changes in words, the one set of these texts for every front end (the extension's plan details
 * and reports, the command line): each change in a line, and a removal's outcome: done now (a note
 * only where "done" says too little), there was nothing to remove, or a request sent to the admins
 * (GitBook 202).
 */
import { principalLabel } from '../model';
import type { Change, Grantee, Op } from './change';

const who = (m: { name: string; email: string }) => (m.name && m.name !== m.email ? `${m.name} <${m.email}>` : m.email);
const target = (t: { kind: string; id?: string; name?: string }) =>
  t.kind === 'organization' ? 'the organization' : `${t.kind} "${t.name ?? t.id ?? ''}"`;
export const granteeLabel = (p: Grantee): string => (p.kind === 'person' ? p.email : principalLabel(p));

export function describeChange(c: Change): string {
  switch (c.op) {
    case 'invite':
      return `Invite ${c.email}${c.roleLabel ? ` as ${c.roleLabel}` : ''}${c.groups?.length ? `, in ${c.groups.map((g) => `"${g.name}"`).join(', ')}` : ''}`;
    case 'revoke-invitation':
      return c.invitation
        ? `Revoke the pending invitation of ${c.email}`
        : `Revoke a pending invitation of ${c.email}, if there is one`;
    case 'set-role':
      return `Change ${who(c.member)} from ${c.from ?? 'no role'} to ${c.roleLabel}`;
    case 'set-locked':
      return `${c.locked ? 'Lock' : 'Unlock'} ${who(c.member)}`;
    case 'remove-member':
      return `Remove ${who(c.member)}`;
    case 'join-group':
      return `Add ${who({ name: c.name ?? '', email: c.email })} to "${c.group.name}"${c.role && c.role !== 'member' ? ` as ${c.role}` : ''}`;
    case 'set-group-role':
      return `Make ${who(c.member)} ${c.role} of "${c.group.name}"`;
    case 'leave-group':
      return `Take ${who(c.member)} out of "${c.group.name}"`;
    case 'grant':
      return c.from
        ? `Change ${granteeLabel(c.principal)} on "${c.resource.name}" from ${c.from} to ${c.role}`
        : `Give ${granteeLabel(c.principal)} ${c.role} on "${c.resource.name}"`;
    case 'revoke':
      return c.from
        ? `Remove ${principalLabel(c.principal)}'s ${c.from} on "${c.resource.name}"`
        : `Remove ${principalLabel(c.principal)}'s access to "${c.resource.name}"`;
    case 'create-link':
      return `Create an invite link to ${target(c.target)} as ${c.role}`;
    case 'update-link':
      return `Change the invite link to ${target(c.link.target)} from ${c.link.role} to ${c.role}`;
    case 'delete-link':
      return `Delete the invite link to ${target(c.link.target)} (${c.link.role})`;
    case 'join-project':
      return `Invite ${c.email} to project "${c.project.name}" as ${c.roleLabel ?? c.role ?? 'the default role'}`;
    case 'set-project-role':
      return `Change ${who(c.member)} in project "${c.project.name}" from ${c.from ?? 'no role'} to ${c.roleLabel}`;
    case 'leave-project':
      return `Remove ${who(c.member)} from project "${c.project.name}"`;
    case 'revoke-project-invitation':
      return `Revoke the invitation of ${c.invitation.email} to project "${c.project.name}"`;
  }
}

/** What a removal removes, for its outcome's words: a member, something deleted (a team, a link), a project member, an invitation, a grant. */
export type RemovalKind = 'member' | 'deletion' | 'projectMember' | 'invitation' | 'grant';

/** Which removal each op is; the rest are worded as a deletion when the platform answers "not there". */
const REMOVAL: Partial<Record<Op, RemovalKind>> = {
  'remove-member': 'member',
  revoke: 'grant',
  'revoke-invitation': 'invitation',
  'revoke-project-invitation': 'invitation',
  'leave-project': 'projectMember',
  'delete-link': 'deletion',
};

export const removalKind = (c: Change): RemovalKind => REMOVAL[c.op] ?? 'deletion';

export function removalNote(outcome: unknown, kind: RemovalKind): string | undefined {
  if (outcome === 'requested') return 'request sent to the admins';
  if (outcome === 'not-there') {
    if (kind === 'member') return 'was not a member';
    if (kind === 'projectMember') return 'was not a member of the project';
    if (kind === 'invitation') return 'was no longer pending';
    if (kind === 'grant') return 'had no access';
    return 'was already gone';
  }
  if (outcome === 'removed' && kind === 'member') return 'removed';
  if (outcome === 'removed' && kind === 'deletion') return 'deleted';
  return undefined;
}
