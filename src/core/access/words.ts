/**
 * A plan in words: one line per change, and the summary with counts. The editor's plan details
 * and the command line print the same text, so a plan reads the same wherever it is made.
 */
import { describeChange } from '../changes/words';
import type { Problem } from './parse';
import type { PlannedChange } from './planner';
import type { FilePlan } from './plan';

const CAUTION: Record<NonNullable<PlannedChange['caution']>, string> = {
  self: "the connection's own key",
  owner: 'the owner',
  ownership: 'an ownership change',
};

export function cautionWords(c: PlannedChange): string | undefined {
  return c.caution ? (c.warning ?? CAUTION[c.caution]) : undefined;
}

/** A finding no Apply can act on: something the platform no longer has, a connection not matched or not read. */
export const cannotBeDone = (f: Pick<Problem, 'code'>) =>
  f.code === 'unknown' || f.code === 'connection' || f.code === 'unreadable';

/**
 * An invitation sent whose answer was lost, where the platform cannot list invitations: not a
 * change (it is never sent again automatically) and not something the file can fix.
 */
export const sentUnconfirmed = (f: Pick<Problem, 'code'>) => f.code === 'unconfirmed';

/** "3 to add, 1 to change, 2 to remove" or "No changes"; then what cannot be done, and what was sent unconfirmed. */
export function countsLine(plan: Pick<FilePlan, 'changes' | 'findings'>): string {
  const n = planCounts(plan);
  const parts = [
    n.add && `${n.add} to add`,
    n.change && `${n.change} to change`,
    n.remove && `${n.remove} to remove`,
  ].filter(Boolean);
  const cannot = n.cannot ? `; ${n.cannot} cannot be done` : '';
  const unconfirmed = n.unconfirmed ? `; ${n.unconfirmed} sent, unconfirmed` : '';
  return `${parts.length ? parts.join(', ') : 'No changes'}${cannot}${unconfirmed}`;
}

/**
 * The plan as Markdown: per connection, each change with its line, then what cannot be done.
 * `line` turns a span into a 1-based line number; `names` names each connection.
 */
export function planMarkdown(
  plan: FilePlan,
  file: string,
  line: (p: Pick<Problem, 'at'>) => number,
  names: (connectionId: string) => string,
): string {
  const out = [`# Access plan: ${file}`, '', `**${countsLine(plan)}.** Planning sent nothing to any platform.`, ''];
  for (const p of plan.plans) {
    out.push(`## ${names(p.connectionId)}`, '');
    if (!p.changes.length) out.push('Live matches the file.', '');
    for (const c of p.changes) {
      const caution = cautionWords(c);
      out.push(
        `- ${c.kind === 'add' ? '+' : c.kind === 'remove' ? '−' : '~'} ${describeChange(c.change)} (line ${line(c)})${caution ? ` **needs a typed confirmation: ${caution}**` : ''}`,
      );
    }
    if (p.changes.length) out.push('');
  }
  const cannot = plan.findings.filter(cannotBeDone);
  if (cannot.length) out.push('## Cannot be done', '', ...cannot.map((f) => `- line ${line(f)}: ${f.message}`), '');
  const unconfirmed = plan.findings.filter(sentUnconfirmed);
  if (unconfirmed.length)
    out.push('## Sent, unconfirmed', '', ...unconfirmed.map((f) => `- line ${line(f)}: ${f.message}`), '');
  const pending = plan.findings.filter((f) => f.code === 'pending');
  if (pending.length) out.push('## Waiting', '', ...pending.map((f) => `- line ${line(f)}: ${f.message}`), '');
  return out.join('\n');
}

/** Counts for the plan's summary. */
export function planCounts(plan: Pick<FilePlan, 'changes' | 'findings'>): {
  add: number;
  change: number;
  remove: number;
  cautions: number;
  cannot: number;
  unconfirmed: number;
} {
  const n = (k: PlannedChange['kind']) => plan.changes.filter((c) => c.kind === k).length;
  return {
    add: n('add'),
    change: n('change'),
    remove: n('remove'),
    cautions: plan.changes.filter((c) => c.caution).length,
    cannot: plan.findings.filter(cannotBeDone).length,
    unconfirmed: plan.findings.filter(sentUnconfirmed).length,
  };
}
