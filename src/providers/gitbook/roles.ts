import { RoleLadder } from '../../core/model';
import type { RoleChoice } from '../../core/provider';
import { MemberRole } from './schemas';

/** admin > create > review > edit > comment > read (the spec's order of power, not its enum order). */
export const GITBOOK_ROLES = new RoleLadder(['admin', 'create', 'review', 'edit', 'comment', 'read']);
/** `null` on the wire. */
export const GUEST = 'guest';

export const roleLabel = (role: string | null) => (role === null ? 'Guest' : role[0].toUpperCase() + role.slice(1));
export const wireRole = (role: string): MemberRole | null => (role === GUEST ? null : MemberRole.parse(role));

/** The organization roles, guest included: what a member or an invite link can be given. */
export const MEMBER_ROLES: readonly RoleChoice[] = [...GITBOOK_ROLES.roles, GUEST].map((id) => ({
  id,
  label: roleLabel(id === GUEST ? null : id),
}));
