/**
 * `review start OUT`: a review file written from live. Every connection the keys reach (or those
 * `--connection` names) is read side by side as export reads it; each person gets every item they
 * hold and why, and with `--roster` / `--domains` the context a reviewer needs (roster status,
 * external, last activity, the findings' kinds), from the same findings code as `findings`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLive } from '../core/access/live';
import { todayUtc } from '../core/access/plan';
import type { Member } from '../core/model';
import { DAY_MS, findingsOf, type ConnectionFacts } from '../core/roster/findings';
import { hasLeft, isExternal, type Roster } from '../core/roster/roster';
import type { ActivityReading } from '../core/provider';
import { renderReview } from '../core/review/render';
import { REVIEW_SUFFIX, type PersonContext } from '../core/review/review';
import { startReview, type ConnectionRead } from '../core/review/start';
import { PLATFORM_IDS, PLATFORMS } from '../providers';
import { CliError, type Context } from './commands';
import { keyVariable, type CliConnection } from './connections';
import { EXIT } from './exit';
import { parseRosterText, readRosterText } from './findings';
import { writePrivate } from './outputs';
import { progressWords } from './reviewFile';

/** The keys items use for each connection: its name as the access file names it, `platform:name` where two share one. */
export function connectionKeys(all: readonly Pick<CliConnection, 'platform' | 'name'>[]): string[] {
  const count = new Map<string, number>();
  for (const c of all) count.set(c.name.toLowerCase(), (count.get(c.name.toLowerCase()) ?? 0) + 1);
  return all.map((c) => ((count.get(c.name.toLowerCase()) ?? 0) > 1 ? `${c.platform}:${c.name}` : c.name));
}

/** Whether `--connection NAME` names this connection: by name or `PLATFORM:NAME`, any case. */
const named = (c: Pick<CliConnection, 'platform' | 'name'>, wanted: string) => {
  const w = wanted.trim().toLowerCase();
  return w === c.name.toLowerCase() || w === `${c.platform}:${c.name}`.toLowerCase();
};

export async function reviewStart(ctx: Context): Promise<number> {
  const { args } = ctx;
  const r = args.review;
  if (!r?.name || !r.due) throw new CliError('review start needs --name and --due.', EXIT.usage);
  const out = args.file;
  const dir = path.dirname(path.resolve(out));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new CliError(`${out}: the folder ${dir} does not exist. Create it first (mkdir -p ${dir}).`, EXIT.usage);
  if (!out.endsWith(REVIEW_SUFFIX))
    ctx.err(`note: ${out} does not end in ${REVIEW_SUFFIX}: the editor and review verify find reviews by that name.\n`);
  if (fs.existsSync(out) && !args.force)
    throw new CliError(
      `${out} exists: review start writes a new review. Choose another name, or add --force to replace it (its decisions are lost).`,
    );
  const roster = args.roster ? await parseRosterText(args.roster, readRosterText(args.roster)) : undefined;
  const { connections: reached, failures } = await ctx.sessions.everyReachable(ctx.signal);
  if (!reached.length && !failures.length)
    throw new CliError(`No key is set: set at least one of ${PLATFORM_IDS.map(keyVariable).join(', ')}.`);
  const wanted = r.connections;
  for (const w of wanted)
    if (!reached.some((c) => named(c, w)))
      throw new CliError(
        `--connection ${w}: the keys reach no connection of that name; they reach: ${reached.map((c) => `${c.platform}:${c.name}`).join(', ') || 'none'}${failures.length ? ` (${failures.map((f) => f.variable).join(', ')} could not be checked)` : ''}.`,
        EXIT.usage,
      );
  const chosen = wanted.length ? reached.filter((c) => wanted.some((w) => named(c, w))) : reached;
  // A review of everyone that silently leaves out a platform would be wrong evidence.
  if (!wanted.length && failures.length)
    throw new CliError(
      `${failures.map((f) => `${PLATFORMS[f.platform].label} (${f.variable}): ${f.error}`).join('; ')}. No review was written: fix the key, or name the connections to review with --connection.`,
    );
  const keys = connectionKeys(chosen);
  const started = new Date().toISOString();
  const reads: ConnectionRead[] = await Promise.all(
    chosen.map(async (c, i) => ({
      key: keys[i],
      platform: c.platform,
      name: c.name,
      provider: c.provider,
      live: await readLive(c.provider, undefined, { concurrency: args.concurrency, signal: ctx.signal }),
    })),
  );
  const people = roster || args.domains ? await contextOf(ctx, reads, roster?.roster) : undefined;
  const review = startReview(reads, {
    name: r.name,
    due: r.due,
    reviewers: r.reviewers,
    scope: { people: r.scope, connections: keys, ...(r.type ? { type: r.type } : {}) },
    started,
    context: people && ((email) => people.context.get(email.toLowerCase())),
    flagged: people?.flagged,
  });
  writePrivate(out, renderReview(review));
  const items = review.people.reduce((n, p) => n + p.access.length, 0);
  ctx.err(
    `Wrote ${out}: ${review.people.length} people, ${items} item(s) across ${keys.join(', ')} (${progressWords(review)}). It names people: it is readable by you only until you commit it.\n` +
      `Decide each item (decision: keep, revoke or a lower role, with a reason), sign off (signoff: {name, email}), then: workspace-access review close ${out}\n`,
  );
  return EXIT.ok;
}

/** What the reviewer knows of each person besides their access, and who the findings name. */
async function contextOf(
  ctx: Context,
  reads: readonly ConnectionRead[],
  roster: Roster | undefined,
): Promise<{ context: Map<string, PersonContext>; flagged: Set<string> }> {
  const today = todayUtc();
  const { inactiveDays, invitationDays, domains } = ctx.args;
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - (inactiveDays + 1) * DAY_MS).toISOString();
  // The members and invitations are live's own: only activity is read besides.
  const facts: ConnectionFacts[] = await Promise.all(
    reads.map(async (r) => {
      const read = r.provider.members?.activity?.read;
      const activity: ActivityReading | { error: string } | undefined = read
        ? await read(r.live.members, since, ctx.signal).catch((err: unknown) => {
            ctx.signal.throwIfAborted();
            return { error: err instanceof Error ? err.message : String(err) };
          })
        : undefined;
      return {
        connectionId: r.key,
        platformLabel: PLATFORMS[r.platform as keyof typeof PLATFORMS]?.label ?? r.platform,
        members: r.live.members,
        invitations: r.live.invitations?.filter((i) => i.status === 'pending'),
        activity,
        adminRole: r.provider.members?.reachesEverything,
      };
    }),
  );
  const { findings, notes } = findingsOf({ connections: facts, roster, domains, today, inactiveDays, invitationDays });
  for (const n of notes) if (n.kind === 'error') ctx.err(`warning: ${n.connectionId}: ${n.message}\n`);
  const context = new Map<string, PersonContext>();
  const flagged = new Set<string>();
  const lastActive = new Map<string, string>();
  facts.forEach((f) => {
    if (!f.activity || 'error' in f.activity) return;
    const reading = f.activity;
    for (const m of f.members ?? ([] as Member[])) {
      const at = reading.lastActive.get(m.id)?.slice(0, 10);
      const k = m.email.toLowerCase();
      const none = reading.since ? `none since ${reading.since.slice(0, 10)}` : 'never';
      const was = lastActive.get(k);
      if (at && (!was || was.startsWith('n') || at > was)) lastActive.set(k, at);
      else if (!at && !was) lastActive.set(k, none);
    }
  });
  const kinds = new Map<string, Set<string>>();
  for (const f of findings) {
    const k = f.email.toLowerCase();
    if (!kinds.has(k)) kinds.set(k, new Set());
    kinds.get(k)?.add(f.kind);
    if (f.severity !== 'info') flagged.add(k);
  }
  const emails = new Set(reads.flatMap((r) => r.live.members.map((m) => m.email.toLowerCase())));
  for (const r of reads) for (const i of r.live.invitations ?? []) emails.add(i.email.toLowerCase());
  for (const email of emails) {
    const person = roster?.find(email);
    const c: PersonContext = {
      ...(roster
        ? {
            roster: person
              ? hasLeft(person, today)
                ? `left${person.endDate ? ` ${person.endDate}` : ''}`
                : 'active'
              : 'not on the roster',
          }
        : {}),
      ...(domains?.size ? { external: isExternal(email, domains) } : {}),
      ...(lastActive.has(email) ? { lastActive: lastActive.get(email) } : {}),
      ...(kinds.get(email)?.size ? { findings: [...(kinds.get(email) ?? [])].sort() } : {}),
    };
    context.set(email, c);
  }
  return { context, flagged };
}
