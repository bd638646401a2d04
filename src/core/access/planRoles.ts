/** How the file names roles and principals, and the small helpers the plan's section planners share. */
import type { MemberRef } from '../changes/change';
import type { Member, Principal } from '../model';
import type { RoleChoice } from '../provider';

export const lower = (s: string) => s.toLowerCase();
export const refOf = (m: Member): MemberRef => ({ id: m.id, email: m.email, name: m.name });
export const userOf = (m: Member): Principal => ({ kind: 'user', id: m.id, name: m.name, email: m.email });
export const bare = (label: string) => label.replace(/ \(custom\)$/, '');

/** A role named in the file: by id, or by its label (any case). */
export function resolveRole(choices: readonly RoleChoice[], name: string): RoleChoice | undefined {
  const n = lower(name);
  return choices.find((c) => c.id === name) ?? choices.find((c) => lower(c.id) === n || lower(bare(c.label)) === n);
}

/** How the file writes a role: the id where the platform fixes them, the name where roles are the organization's records. */
export const fileRole = (choice: RoleChoice | undefined, listed: boolean, fallback = ''): string =>
  choice ? (listed ? bare(choice.label) : choice.id) : fallback;

/** Whole days from `a` to `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export const expiredWords = (until: string, today: string) => {
  const days = daysBetween(until, today);
  return days === 1 ? 'expired yesterday' : `expired ${days} days ago`;
};

/** The key the file names a principal by. */
export function principalKey(p: Principal, prefix: string, groupNameTaken?: (name: string) => boolean): string {
  switch (p.kind) {
    case 'user':
      return p.email ?? p.id;
    case 'group':
      return `${prefix}:${groupNameTaken?.(p.name) ? p.id : p.name}`;
    case 'serviceAccount':
      return `service-account:${p.name}`;
    default:
      return 'default';
  }
}

/**
 * Whether `to` ranks below `from` on a ladder of roles, highest first (ids or labels). A role not on
 * the ladder (a custom role) is not compared: nothing says it is lower.
 */
export function lowerOn(ladder: readonly string[], from: string | undefined, to: string): boolean {
  if (from === undefined) return false;
  const a = ladder.indexOf(from);
  const b = ladder.indexOf(to);
  return a !== -1 && b !== -1 && b > a;
}
