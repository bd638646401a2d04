/**
 * `review close FILE | PLAN`: a decided, signed-off review closed from the command line. Its
 * connections are read afresh (by the names the review keeps), its decisions become changes
 * (core/review/close.ts), and the changes are sent as ONE journaled job through the same engine
 * and change task as apply: a lock per review file, `--resume` finishes an interrupted close
 * without sending anything twice. Then the evidence is written beside the review (0600) and the
 * review is marked closed. `--out PLAN` saves the plan for CI; `review close PLAN` sends it only
 * when the review's bytes and live are as they were (else exit 4, nothing sent).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BulkTask } from '../core/jobs/bulkTask';
import { JobJournal, type JobItem, type LoadedJob } from '../core/jobs/journal';
import { reportOf, reportSummaryLines, reportText } from '../core/jobs/report';
import { pruneLedgers } from '../core/jobs/ledger';
import { runJournaled } from '../core/jobs/runJournaled';
import { takeLock } from '../core/jobs/lock';
import type { ChangeItem } from '../core/changes/change';
import { changeTask } from '../core/changes/task';
import { describeChange } from '../core/changes/words';
import { sha256 } from '../core/access/fingerprint';
import type { Provider } from '../core/provider';
import { closePlan, type ClosePlan } from '../core/review/close';
import { closeLedgerEntries, closeLedgerName, notReady, withSignOff } from '../core/review/finish';
import { itemKey, type Review } from '../core/review/review';
import { CliError, type Context } from './commands';
import type { ConnectionRef } from './connections';
import { EXIT } from './exit';
import { checkOutputPath, writePrivate } from './outputs';
import { JSON_SCHEMA_VERSION } from './output';
import { closePlanText, readReviewConnections } from './reviewPlan';
import { fileErrors, readReviewFile } from './reviewFile';
import { finish, outcomeMap } from './reviewEvidence';
import { movedSinceSaved, parseSavedClose, savedCloseOf, type SavedClose } from './reviewSaved';
import { toolVersion } from './version';

/** What a close's journal keeps besides its items: which review, its connections by name, and its plan. */
interface CloseParams {
  readonly file: string;
  /** The review file as it was given, for messages. */
  readonly given: string;
  readonly sha256: string;
  readonly connections: Readonly<Record<string, ConnectionRef>>;
  readonly plan: ClosePlan;
  /** The close's ledger (core/jobs/ledger.ts): what its jobs did, for a close after one cut short. */
  readonly ledger?: string;
}

const jobsDir = (ctx: Context) => path.join(ctx.stateDir, 'jobs');
const ledgersDir = (ctx: Context) => path.join(ctx.stateDir, 'ledgers');
const KIND = 'review-close';

/** The interrupted close of this review that nobody runs now, if there is one. */
function interruptedOf(ctx: Context, absolute: string): LoadedJob | undefined {
  const { jobs } = JobJournal.list(jobsDir(ctx));
  return jobs.find(
    (j) =>
      j.header.kind === KIND &&
      (j.header.params as Partial<CloseParams> | null)?.file === absolute &&
      !JobJournal.claimed(j.file) &&
      !JobJournal.writerAlive(j),
  );
}

function savedAt(file: string): SavedClose | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // reading the review says why
  }
  const found = parseSavedClose(text, file);
  if (found && 'problem' in found) throw new CliError(found.problem);
  return found?.plan;
}

export async function reviewClose(given: Context): Promise<number> {
  const json = given.args.format === 'json';
  // --json: one document on stdout, the rest on stderr; --markdown: the plan on stdout, the job's report on stderr.
  const ctx: Context = json ? { ...given, out: (t) => given.err(t) } : given;
  // An error's JSON document is the command line's own (cli.ts), as for every command.
  const result = await closeAny(ctx);
  if (json) given.out(closeJson(given.args.file, result.code, result));
  return result.code;
}

interface Closed {
  readonly code: number;
  readonly plan?: ClosePlan;
  readonly outcomes?: Record<string, string>;
  readonly evidence?: string;
}

function closeJson(file: string, exitCode: number, c: Partial<Closed>): string {
  return `${JSON.stringify(
    {
      schemaVersion: JSON_SCHEMA_VERSION,
      command: 'review close',
      file,
      exitCode,
      changes: (c.plan?.changes ?? []).map((x) => ({
        email: x.email,
        at: x.at,
        change: x.change,
        ...(x.caution ? { caution: x.caution } : {}),
        outcome: c.outcomes?.[itemKey(x.email, x.item)],
      })),
      gone: (c.plan?.gone ?? []).map((g) => ({ email: g.email, ...g.item })),
      unreviewed: (c.plan?.unreviewed ?? []).map((g) => ({ email: g.email, ...g.item })),
      ...(c.evidence ? { evidence: c.evidence } : {}),
      errors: [],
    },
    null,
    2,
  )}\n`;
}

async function closeAny(ctx: Context): Promise<Closed> {
  const saved = savedAt(ctx.args.file);
  const file = saved ? saved.review.path : ctx.args.file;
  if (!saved) checkOutputPath('--out', ctx.args.out);
  if (saved && ctx.args.out) throw new CliError(`--out: ${ctx.args.file} is already a saved plan.`, EXIT.usage);
  const absolute = path.resolve(file);
  // One close of a review at a time on this machine: two would send the same changes.
  const lock = takeLock(
    path.join(ctx.stateDir, 'locks', `review-${createHash('sha256').update(absolute).digest('hex').slice(0, 24)}.lock`),
  );
  if (!('release' in lock))
    throw new CliError(
      `Another close of ${file} is running${lock.holder ? ` (process ${lock.holder})` : ''}. Nothing was sent from this one.`,
    );
  try {
    const interrupted = interruptedOf(ctx, absolute);
    if (ctx.args.resume) {
      if (!interrupted) throw new CliError(`No interrupted close of ${file} is in ${jobsDir(ctx)}. Nothing was sent.`);
      return await resume(ctx, interrupted);
    }
    if (interrupted)
      throw new CliError(
        `A close of ${file} was interrupted. Finish it first: workspace-access review close ${file} --resume (what was sent is checked, never sent twice). Nothing was sent.`,
      );
    return await closeFresh(ctx, file, absolute, saved);
  } finally {
    lock.release();
  }
}

function readyReview(ctx: Context, file: string) {
  const loaded = readReviewFile(file);
  const { review, problems } = loaded.parsed;
  if (loaded.errors.length || !review) throw fileErrors(ctx, loaded, 'The review was not closed; nothing was sent.');
  return { loaded, review, problems };
}

/** The reviewer git knows here (user.name and user.email), if it knows one. */
function gitIdentity(file: string): { name: string; email: string } | undefined {
  const get = (key: string) => {
    try {
      return execFileSync('git', ['config', '--get', key], {
        cwd: path.dirname(path.resolve(file)),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return '';
    }
  };
  const name = get('user.name');
  const email = get('user.email');
  return name && email ? { name, email } : undefined;
}

/** `--sign-off`: the review signed off as git's user, written to the file, once it is otherwise ready. */
function signOff(ctx: Context, file: string, saved: SavedClose | undefined): void {
  if (!ctx.args.review?.signOff) return;
  if (saved)
    throw new CliError(
      `--sign-off signs the review file, and ${ctx.args.file} is a saved plan of it as it was: sign off before review close --out.`,
      EXIT.usage,
    );
  const me = gitIdentity(file);
  if (!me)
    throw new CliError(
      `--sign-off signs as git's user.name and user.email, and git has none here: set them (git config user.email you@example.com), or add \`signoff: {name: Your Name, email: you@example.com}\` to ${file}.`,
      EXIT.usage,
    );
  const { loaded, review, problems } = readyReview(ctx, file);
  if (review.closed) return;
  const why = notReady({ ...review, signoff: { ...me, at: '' } }, problems);
  if (why) throw new CliError(`${file}: ${why} It was not signed off; nothing was sent.`, EXIT.undecided);
  writePrivate(file, withSignOff(loaded.text, { ...me, at: new Date().toISOString() }));
  ctx.err(`Signed ${file} off as ${me.name} <${me.email}>.\n`);
}

async function closeFresh(
  ctx: Context,
  file: string,
  absolute: string,
  saved: SavedClose | undefined,
): Promise<Closed> {
  signOff(ctx, file, saved);
  pruneLedgers(ledgersDir(ctx));
  const { loaded, review, problems } = readyReview(ctx, file);
  if (review.closed) {
    ctx.out(
      `${file} is already closed (${review.closed.at.slice(0, 10)}; its evidence is ${review.closed.evidence}). Nothing was sent.\n`,
    );
    return { code: EXIT.ok };
  }
  const why = notReady(review, problems);
  if (why) {
    const me = review.signoff ? undefined : gitIdentity(file);
    const hint = review.signoff
      ? ` See every undecided item with: workspace-access review status ${file}`
      : ` Add a line \`signoff: {name: Your Name, email: you@example.com}\` at the end of the file (or sign off in the editor), and commit it${me ? `; or sign off as ${me.name} <${me.email}> (git's user) with: workspace-access review close ${file} --sign-off` : ''}.`;
    throw new CliError(`${file}: ${why}${hint} Nothing was sent.`, EXIT.undecided);
  }
  const bytesSha = sha256(loaded.bytes);
  if (saved) {
    if (saved.toolVersion !== toolVersion())
      throw staleSaved(
        ctx,
        saved,
        `it was made by workspace-access ${saved.toolVersion}, and this is ${toolVersion()}`,
      );
    if (saved.review.sha256 !== bytesSha) throw staleSaved(ctx, saved, `${file} changed since the plan was made`);
  }
  const { reads, refs } = await readReviewConnections(ctx, review);
  const plan = closePlan(review, reads);
  ctx.out(closePlanText(ctx.args.format, file, plan));
  if (saved) {
    const moved = movedSinceSaved(saved, plan, reads);
    if (moved.length) {
      for (const m of moved) ctx.err(`  ${m}\n`);
      throw staleSaved(ctx, saved, `live moved under ${moved.length} change(s) since it was made (${saved.createdAt})`);
    }
  }
  if (ctx.args.out) {
    writePrivate(
      ctx.args.out,
      `${JSON.stringify(savedCloseOf({ toolVersion: toolVersion(), path: file, sha256: bytesSha, plan, reads }), null, 2)}\n`,
    );
    ctx.err(
      `Saved the close plan (${plan.changes.length} change(s)) to ${ctx.args.out}: apply it with workspace-access review close ${ctx.args.out} --yes. It names people: keep it as a short-lived private CI artifact.\n`,
    );
    return { code: plan.changes.length ? EXIT.pending : EXIT.ok, plan };
  }
  if (plan.changes.length && !ctx.args.yes) {
    const cautioned = plan.changes.filter((c) => c.caution);
    throw new CliError(
      `${plan.changes.length} change(s) remove or lower access${cautioned.length ? `, ${cautioned.length} of them of the key's own account, an owner or the last admin (${cautioned.map((c) => `${c.email}: ${c.caution}`).join(', ')})` : ''}, and need --yes: workspace-access review close ${ctx.args.file} --yes. Nothing was sent.`,
      EXIT.needsYes,
    );
  }
  const params: CloseParams = {
    file: absolute,
    given: file,
    sha256: bytesSha,
    connections: refs,
    plan,
    ledger: path.join(ledgersDir(ctx), closeLedgerName(absolute, review.snapshot)),
  };
  const providers = new Map(reads.map((r) => [r.key, r.provider]));
  const items = itemsOf(plan);
  const { journal } = JobJournal.create(jobsDir(ctx), {
    kind: KIND,
    title: `Close ${path.basename(file)}`,
    connectionId: '*',
    params,
    items,
  });
  return run(ctx, journal, items, providers, undefined, params, review);
}

function staleSaved(ctx: Context, saved: SavedClose, why: string): CliError {
  return new CliError(
    `The saved plan ${ctx.args.file} is stale: ${why}. Nothing was sent. Make it again (workspace-access review close ${saved.review.path} --out ${ctx.args.file}), review it, and apply that.`,
    EXIT.stale,
  );
}

/**
 * The close's task. Unlike apply, no change is checked against live just before it is sent: the
 * plan was made from live read moments before (or a saved plan's fingerprints were checked against
 * live just now), and the check cost three times the writes' time (review-close). A change whose
 * answer was lost is still checked before it is sent again, as in every job.
 */
export const taskOf = (providers: ReadonlyMap<string, Provider>) =>
  changeTask(
    (id) => {
      const p = providers.get(id);
      if (!p) throw new Error('Its connection is not in the review.');
      return p;
    },
    { checkFirst: false },
  ) as BulkTask<unknown>;

/** The job's window: `--concurrency` requests in flight per connection, as its help says. */
export const closeWindow = (concurrency: number, items: readonly Pick<JobItem, 'payload'>[]): number =>
  concurrency * Math.max(1, new Set(items.map((i) => (i.payload as ChangeItem).connectionId)).size);

function itemsOf(plan: ClosePlan): JobItem[] {
  const task = taskOf(new Map());
  return plan.changes.map((c) => {
    const payload: ChangeItem = { connectionId: c.at, change: c.change };
    return { key: task.key(payload), label: describeChange(c.change), payload };
  });
}

async function resume(ctx: Context, job: LoadedJob): Promise<Closed> {
  const params = job.header.params as CloseParams;
  const providers = new Map<string, Provider>();
  for (const [key, ref] of Object.entries(params.connections)) providers.set(key, ctx.sessions.rebuild(ref));
  const claim = JobJournal.claim(job.file);
  if (claim.status === 'busy')
    throw new CliError(
      `The interrupted close of ${params.given} is being resumed by process ${claim.pid ?? 'unknown'}.`,
    );
  if (claim.status === 'gone') {
    ctx.out(`The close of ${params.given} has already finished. Nothing was sent again.\n`);
    return { code: EXIT.ok };
  }
  const { review, loaded } = readyReview(ctx, params.given);
  // The evidence must record the decisions the job was planned from.
  if (!review.closed && sha256(loaded.bytes) !== params.sha256) {
    claim.journal.close();
    throw new CliError(
      `${params.given} changed since its close began: restore it as it was (git diff shows the edit), then resume. Nothing was sent.`,
    );
  }
  if (review.closed) {
    ctx.out(`${params.given} is already closed. Nothing was sent.\n`);
    return { code: EXIT.ok };
  }
  const finished = [...claim.job.prior.values()].filter((s) => s !== 'sending').length;
  ctx.err(
    `Resuming the close of ${params.given}: ${finished} of ${claim.job.header.items.length} changes finished; they are not sent again, and those whose answer was lost are checked first.\n`,
  );
  return run(ctx, claim.journal, claim.job.header.items, providers, claim.job.prior, params, review);
}

/** Sends the job, then (when it ran to its end) writes the evidence and marks the review closed. */
async function run(
  ctx: Context,
  journal: JobJournal,
  items: readonly JobItem[],
  providers: ReadonlyMap<string, Provider>,
  prior: LoadedJob['prior'] | undefined,
  params: CloseParams,
  review: Review,
): Promise<Closed> {
  const what = `Close ${path.basename(params.given)}`;
  const task = taskOf(providers);
  const { outcomes, paused } = await runJournaled(journal, items, task, {
    maxConcurrency: closeWindow(ctx.args.concurrency, items),
    signal: ctx.signal,
    prior,
    ...(params.ledger
      ? {
          ledger: {
            file: params.ledger,
            entries: closeLedgerEntries(
              params.plan.changes.map((c) => ({
                change: c,
                jobKey: task.key({ connectionId: c.at, change: c.change }),
              })),
            ),
          },
        }
      : {}),
  });
  if (items.length) {
    const report = reportOf(what, outcomes, (i) => i.label);
    const say = (t: string) => (ctx.args.format === 'markdown' ? ctx.err(t) : ctx.out(t));
    say(`\n${reportText(report)}${reportSummaryLines(what, outcomes)[0]}\n`);
  }
  if (paused)
    throw new CliError(
      `Paused: ${paused}. The review is not closed; nothing more is sent until you run: workspace-access review close ${params.given} --resume`,
    );
  if (ctx.signal.aborted) {
    ctx.err(
      `Interrupted: changes in flight finished, the rest were not sent. The review is not closed: close it again (workspace-access review close ${params.given} --yes); the rest is then sent, and the evidence records what this run did.\n`,
    );
    return { code: EXIT.interrupted, plan: params.plan };
  }
  const byKey = outcomeMap(outcomes, params.plan, items);
  const evidence = finish(ctx, params, review, byKey);
  const failed = outcomes.filter((o) => o.status !== 'done').length;
  if (failed)
    ctx.err(
      `${failed} change(s) did not go through: the evidence records each with why. Make them by hand (or in the next review).\n`,
    );
  return {
    code: failed ? EXIT.error : EXIT.ok,
    plan: params.plan,
    evidence,
    outcomes: Object.fromEntries([...byKey].map(([k, v]) => [k, v.status])),
  };
}
