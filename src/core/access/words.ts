/**
 * A plan in words: one line per change, and the summary with counts. The editor's plan details
 * and the command line print the same text, so a plan reads the same wherever it is made.
 */
import { principalLabel } from '../model';
import type { Problem } from './parse';
import type { AccessChange, PlannedChange } from './planner';
import type { FilePlan } from './plan';

const who = (m: { name: string; email: string }) => (m.name && m.name !== m.email ? `${m.name} <${m.email}>` : m.email);
const target = (t: { kind: string; id?: string; name?: string }) => (t.kind === 'organization' ? 'the organization' : `${t.kind} "${t.name ?? t.id ?? ''}"`);

export function describeChange(c: AccessChange): string {
  switch (c.op) {
    case 'invite':
      return `Invite ${c.email}${c.roleLabel ? ` as ${c.roleLabel}` : ''}${c.groups?.length ? `, in ${c.groups.map((g) => `"${g.name}"`).join(', ')}` : ''}`;
    case 'set-role':
      return `Change ${who(c.member)} from ${c.from ?? 'no role'} to ${c.roleLabel}`;
    case 'set-locked':
      return `${c.locked ? 'Lock' : 'Unlock'} ${who(c.member)}`;
    case 'remove-member':
      return `Remove ${who(c.member)}`;
    case 'join-group':
      return `Add ${who(c.member)} to "${c.group.name}"${c.role && c.role !== 'member' ? ` as ${c.role}` : ''}`;
    case 'set-group-role':
      return `Make ${who(c.member)} ${c.role} of "${c.group.name}"`;
    case 'leave-group':
      return `Take ${who(c.member)} out of "${c.group.name}"`;
    case 'grant':
      return c.from ? `Change ${principalLabel(c.principal)} on "${c.resource.name}" from ${c.from} to ${c.role}` : `Give ${principalLabel(c.principal)} ${c.role} on "${c.resource.name}"`;
    case 'revoke':
      return `Remove ${principalLabel(c.principal)}'s ${c.from} on "${c.resource.name}"`;
    case 'create-link':
      return `Create an invite link to ${target(c.target)} as ${c.role}`;
    case 'update-link':
      return `Change the invite link to ${target(c.link.target)} from ${c.link.role} to ${c.role}`;
    case 'delete-link':
      return `Delete the invite link to ${target(c.link.target)} (${c.link.role})`;
    case 'join-project':
      return `Invite ${c.email} to project "${c.project.name}" as ${c.roleLabel}`;
    case 'set-project-role':
      return `Change ${who(c.member)} in project "${c.project.name}" from ${c.from ?? 'no role'} to ${c.roleLabel}`;
    case 'leave-project':
      return `Remove ${who(c.member)} from project "${c.project.name}"`;
  }
}

const CAUTION: Record<NonNullable<PlannedChange['caution']>, string> = {
  self: "the connection's own key",
  owner: 'the owner',
  ownership: 'an ownership change',
};

export function cautionWords(c: PlannedChange): string | undefined {
  return c.caution ? (c.warning ?? CAUTION[c.caution]) : undefined;
}

/** A finding no Apply can act on: something the platform no longer has, a connection not matched or not read. */
export const cannotBeDone = (f: Pick<Problem, 'code'>) => f.code === 'unknown' || f.code === 'connection' || f.code === 'unreadable';

/** "3 to add, 1 to change, 2 to remove" or "No changes". */
export function countsLine(plan: Pick<FilePlan, 'changes' | 'findings'>): string {
  const n = planCounts(plan);
  const parts = [n.add && `${n.add} to add`, n.change && `${n.change} to change`, n.remove && `${n.remove} to remove`].filter(Boolean);
  const cannot = n.cannot ? `; ${n.cannot} cannot be done` : '';
  return `${parts.length ? parts.join(', ') : 'No changes'}${cannot}`;
}

/**
 * The plan as Markdown: per connection, each change with its line, then what cannot be done.
 * `line` turns a span into a 1-based line number; `names` names each connection.
 */
export function planMarkdown(plan: FilePlan, file: string, line: (p: Pick<Problem, 'at'>) => number, names: (connectionId: string) => string): string {
  const out = [`# Access plan: ${file}`, '', `**${countsLine(plan)}.** Planning sent nothing to any platform.`, ''];
  for (const p of plan.plans) {
    out.push(`## ${names(p.connectionId)}`, '');
    if (!p.changes.length) out.push('Live matches the file.', '');
    for (const c of p.changes) {
      const caution = cautionWords(c);
      out.push(`- ${c.kind === 'add' ? '+' : c.kind === 'remove' ? '−' : '~'} ${describeChange(c.change)} (line ${line(c)})${caution ? ` **needs a typed confirmation: ${caution}**` : ''}`);
    }
    if (p.changes.length) out.push('');
  }
  const cannot = plan.findings.filter(cannotBeDone);
  if (cannot.length) out.push('## Cannot be done', '', ...cannot.map((f) => `- line ${line(f)}: ${f.message}`), '');
  const pending = plan.findings.filter((f) => f.code === 'pending');
  if (pending.length) out.push('## Waiting', '', ...pending.map((f) => `- line ${line(f)}: ${f.message}`), '');
  return out.join('\n');
}

/** Counts for the plan's summary. */
export function planCounts(plan: Pick<FilePlan, 'changes' | 'findings'>): { add: number; change: number; remove: number; cautions: number; cannot: number } {
  const n = (k: PlannedChange['kind']) => plan.changes.filter((c) => c.kind === k).length;
  return {
    add: n('add'),
    change: n('change'),
    remove: n('remove'),
    cautions: plan.changes.filter((c) => c.caution).length,
    cannot: plan.findings.filter(cannotBeDone).length,
  };
}
