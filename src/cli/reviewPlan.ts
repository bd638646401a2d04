/** A review's connections read afresh for its close (by the names it keeps), and the close plan in words. */
import { readLive } from '../core/access/live';
import type { ConnectionSpec } from '../core/access/spec';
import { describeChange } from '../core/changes/words';
import { mdCell } from '../core/jobs/report';
import type { ClosePlan, HeldItem } from '../core/review/close';
import { describeItem } from '../core/review/parse';
import type { Review } from '../core/review/review';
import type { ConnectionRead } from '../core/review/start';
import { ACCESS_FILE_FACTS } from '../providers';
import { CliError, type Context } from './commands';
import { refOf, type ConnectionRef } from './connections';
import type { Format } from './output';

/** Each connection of the review's scope, its key checked against what it names, and its live state read now. */
export async function readReviewConnections(
  ctx: Context,
  review: Review,
): Promise<{ reads: ConnectionRead[]; refs: Record<string, ConnectionRef> }> {
  const inScope = review.connections.filter((c) => review.scope.connections.includes(c.key));
  const resolved = await Promise.all(
    inScope.map(async (c) => {
      const facts = ACCESS_FILE_FACTS.find((f) => f.platform === c.platform);
      if (!facts) return { c, problem: `The command line does not know the platform "${c.platform}".` };
      // The review's connection as an access file entry naming it: resolve() checks the key reaches it.
      const spec: ConnectionSpec = { facts, name: c.name, exclusive: new Set(), at: [0, 0], path: [] };
      return { c, found: await ctx.sessions.resolve(spec, ctx.signal) };
    }),
  );
  const problems = resolved.flatMap((r) =>
    'problem' in r ? [`${r.c.key}: ${r.problem}`] : 'problem' in r.found ? [`${r.c.key}: ${r.found.problem}`] : [],
  );
  if (problems.length) throw new CliError(`${problems.join('\n')}\nThe review was not closed; nothing was sent.`);
  const refs: Record<string, ConnectionRef> = {};
  const reads = await Promise.all(
    resolved.map(async (r) => {
      if ('problem' in r || 'problem' in r.found) throw new Error('unreachable');
      refs[r.c.key] = refOf(r.found);
      return {
        key: r.c.key,
        platform: r.c.platform,
        name: r.c.name,
        provider: r.found.provider,
        live: await readLive(r.found.provider, undefined, { concurrency: ctx.args.concurrency, signal: ctx.signal }),
      };
    }),
  );
  return { reads, refs };
}

const held = (h: HeldItem) => `${h.email}: ${describeItem(h.item)}`;

/** The close plan: the changes (with each decision's reason), what is no longer held, what was never reviewed. */
export function closePlanText(format: Format, file: string, plan: ClosePlan): string {
  const head = `Close of ${file}: ${plan.changes.length} change(s), ${plan.kept} kept, ${plan.gone.length} no longer held, ${plan.unreviewed.length} granted since the review started`;
  const changes = plan.changes.map(
    (c) =>
      `${describeChange(c.change)}${c.item.reason ? ` (reason: ${c.item.reason})` : ''}${c.caution ? ` [${c.caution === 'self' ? "the key's own account" : c.caution === 'owner' ? 'an owner' : 'the last admin'}]` : ''}`,
  );
  const gone = plan.gone.map(held);
  const unreviewed = plan.unreviewed.map(held);
  if (format === 'markdown') {
    const list = (title: string, lines: string[]) =>
      lines.length ? ['', `## ${title}`, '', ...lines.map((l) => `- ${mdCell(l)}`)] : [];
    return `${[
      `<!-- workspace-access:review-close ${file.replace(/--/g, '- -')} -->`,
      `# ${mdCell(head)}`,
      ...list('Changes', changes),
      ...list('No longer held (reported, not an error)', gone),
      ...list('Granted after the review started (named, never revoked)', unreviewed),
    ].join('\n')}\n`;
  }
  const lines = [`${head}.`];
  for (const c of changes) lines.push(`  - ${c}`);
  if (gone.length) lines.push('No longer held (reported, not an error):', ...gone.map((g) => `  ${g}`));
  if (unreviewed.length)
    lines.push('Granted after the review started (named, never revoked):', ...unreviewed.map((u) => `  ${u}`));
  return `${lines.join('\n')}\n`;
}
