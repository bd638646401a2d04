/**
 * apply on the command line: the plan made again from live, or a saved plan (`plan --out`) checked
 * against live, then run through the same journaled bulk engine as the extension's Apply, each change
 * checked against live just before it is sent. One apply per file at a time (a lock in the state
 * folder), and one per connection from the checkout (a lock beside the file, repo.ts), whichever way
 * it was planned; its invitations are recorded in the state file beside the access file. A run that
 * is killed leaves its journal, and `--resume` finishes it without sending anything twice.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BulkTask, Outcome } from '../core/jobs/bulkTask';
import { reportCsv, reportOf, reportSummaryLines, reportText, type JobReport } from '../core/jobs/report';
import { JobJournal, type JobItem, type LoadedJob } from '../core/jobs/journal';
import { runJournaled } from '../core/jobs/runJournaled';
import { takeLock } from '../core/jobs/lock';
import type { ChangeItem } from '../core/changes/change';
import { changeTask } from '../core/changes/task';
import { InvitedStore, KEEP_DAYS } from '../core/access/invited';
import type { RepoConnection } from '../core/access/repoState';
import { sha256 } from '../core/access/fingerprint';
import type { FilePlan } from '../core/access/plan';
import { describeChange } from '../core/changes/words';
import { sentUnconfirmed } from '../core/access/words';
import type { Provider } from '../core/provider';
import { checkSize, CliError, load, planned, reportErrors, type Context, type Loaded, type Planned } from './commands';
import { checkOutputPath, writePrivate } from './outputs';
import { checkFileSha, stale } from './stale';
import { EXIT } from './exit';
import { refOf, type ConnectionRef } from './connections';
import { applyJson, needsYes, planExit, renderPlan } from './output';
import { movedSince, notInSaved, parseSavedPlan, savedFilePlan, type SavedPlan } from './saved';
import { connectionsOf, holdConnections, recordInvitations, type Recorded } from './repo';
import { toolVersion } from './version';

/** What an apply's journal keeps besides its items: which file, and how to build each connection again. */
interface ApplyParams {
  readonly file: string;
  readonly connections: Readonly<Record<string, ConnectionRef>>;
}

/** How an apply ended: its exit code, and the job's report when changes were sent. */
interface Applied {
  readonly code: number;
  readonly report?: JobReport;
}

const jobsDir = (ctx: Context) => path.join(ctx.stateDir, 'jobs');
const title = (file: string) => `Apply ${path.basename(file)}`;

/** The interrupted apply of this file that nobody runs now, if there is one. */
function interruptedOf(ctx: Context, absolute: string): LoadedJob | undefined {
  const { jobs, unreadable } = JobJournal.list(jobsDir(ctx));
  for (const u of unreadable) ctx.err(`warning: a journal cannot be read (${u.reason}); it is left at ${u.file}\n`);
  return jobs.find(
    (j) =>
      j.header.kind === 'access' &&
      (j.header.params as Partial<ApplyParams> | null)?.file === absolute &&
      !JobJournal.claimed(j.file) &&
      !JobJournal.writerAlive(j),
  );
}

/** apply FILE or apply PLAN; with --json, stdout holds one JSON document and the plan and report go to stderr. */
export async function applyCommand(ctx: Context): Promise<number> {
  const json = ctx.args.format === 'json';
  const { code, report } = await applyAny(json ? { ...ctx, out: (text) => ctx.err(text) } : ctx);
  if (json) ctx.out(applyJson(ctx.args.file, code, report));
  return code;
}

/**
 * The saved plan the file given to apply is, told by its content (any name); undefined for an
 * access file. One edited by hand or damaged is refused here, before anything is read.
 */
function savedPlanAt(file: string): SavedPlan | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // reading the access file says why
  }
  const found = parseSavedPlan(text, file);
  if (found && 'problem' in found) throw new CliError(found.problem);
  return found?.plan;
}

/** A saved plan runs as an apply of its access file, for the connection it was made for: another --connection is refused. */
function savedContext(ctx: Context, saved: SavedPlan): Context {
  const wanted = ctx.args.connection?.trim().toLowerCase();
  if (wanted !== undefined && wanted !== saved.connection?.trim().toLowerCase())
    throw new CliError(
      `--connection ${ctx.args.connection}: ${ctx.args.file} was planned for ${saved.connection === undefined ? `every connection of ${saved.file.path}` : `--connection ${saved.connection}`}; apply it without --connection. Nothing was sent.`,
      EXIT.usage,
    );
  return { ...ctx, args: { ...ctx.args, file: saved.file.path, connection: saved.connection } };
}

async function applyAny(given: Context): Promise<Applied> {
  const saved = savedPlanAt(given.args.file);
  const ctx = saved ? savedContext(given, saved) : given;
  checkOutputPath('--report', ctx.args.report);
  const absolute = path.resolve(ctx.args.file);
  // One apply of a file at a time on this machine: two would plan the same changes and send them twice.
  const lock = takeLock(
    path.join(ctx.stateDir, 'locks', `${createHash('sha256').update(absolute).digest('hex').slice(0, 24)}.lock`),
  );
  if (!('release' in lock))
    throw new CliError(
      `Another apply of ${ctx.args.file} is running${lock.holder ? ` (process ${lock.holder})` : ''}. Nothing was sent from this one.`,
    );
  try {
    const interrupted = interruptedOf(ctx, absolute);
    if (ctx.args.resume) {
      if (!interrupted)
        throw new CliError(`No interrupted apply of ${ctx.args.file} is in ${jobsDir(ctx)}. Nothing was sent.`);
      const { file, connections } = interrupted.header.params as ApplyParams;
      return await holding(ctx, file, Object.values(connections), () => resume(ctx, interrupted));
    }
    if (interrupted) {
      const finished = [...interrupted.prior.values()].filter((s) => s !== 'sending').length;
      throw new CliError(
        `An apply of ${ctx.args.file} was interrupted with ${finished} of ${interrupted.header.items.length} changes finished. Finish it first: workspace-access apply ${ctx.args.file} --resume (what was sent is checked, never sent twice). Nothing was sent.`,
      );
    }
    return await (saved ? applySaved(ctx, saved, given.args.file) : applyFresh(ctx));
  } finally {
    lock.release();
  }
}

/** Plans from live now and sends the plan, holding the lock of each connection of the file from before the plan. */
async function applyFresh(ctx: Context): Promise<Applied> {
  const loaded = load(ctx);
  return holding(ctx, loaded.absolute, connectionsOf(loaded.parsed), async () => {
    const live = await planned(ctx, loaded);
    return send(ctx, loaded, live.plan, live);
  });
}

/**
 * Runs `work` holding the lock of each connection it acts on, beside the access file (repo.ts): a
 * second apply of one of them from this repository, whatever its --state-dir, sends nothing.
 */
async function holding<T>(
  ctx: Context,
  file: string,
  connections: readonly RepoConnection[],
  work: () => Promise<T>,
): Promise<T> {
  const held = holdConnections(file, ctx.args.file, connections);
  if ('refused' in held) throw new CliError(held.refused);
  try {
    return await work();
  } finally {
    held.release();
  }
}

/**
 * Sends exactly a saved plan's changes, after checking that the tool, the access file and, per
 * connection, the live facts of every change are as they were when it was made (live is read
 * again as plan reads it). If anything moved, nothing is sent and each moved change is named.
 */
async function applySaved(ctx: Context, saved: SavedPlan, planFile: string): Promise<Applied> {
  if (saved.toolVersion !== toolVersion())
    throw stale(saved, planFile, `it was made by workspace-access ${saved.toolVersion}, and this is ${toolVersion()}`);
  let bytes: Buffer | undefined;
  try {
    bytes = fs.readFileSync(ctx.args.file);
  } catch {
    // load() names why the access file cannot be read
  }
  if (bytes) checkFileSha(saved, planFile, sha256(bytes));
  const loaded = load(ctx);
  checkFileSha(saved, planFile, loaded.sha256);
  // The fingerprints are checked and the changes sent under the same locks: nothing moves between.
  return holding(ctx, loaded.absolute, connectionsOf(loaded.parsed), () => sendSaved(ctx, saved, planFile, loaded));
}

/** The saved plan checked against live read now (the repository's state file included), then sent. */
async function sendSaved(ctx: Context, saved: SavedPlan, planFile: string, loaded: Loaded): Promise<Applied> {
  const live = await planned(ctx, loaded);
  whole(ctx, loaded, live.plan);
  const moved = movedSince(saved, live.plan);
  if (moved.length) {
    ctx.err(`Changes of ${planFile} whose live state moved since the plan:\n`);
    for (const m of moved) ctx.err(`  line ${m.change.line}: ${m.change.description}: ${m.why}\n`);
    throw stale(
      saved,
      planFile,
      `live moved under ${moved.length} of its ${saved.changes.length} change(s) since it was made (${saved.createdAt})`,
      moved.map((m) => ({ message: `${m.change.description}: ${m.why}`, line: m.change.line, code: 'stale' })),
    );
  }
  const more = notInSaved(saved, live.plan);
  if (more.length)
    ctx.err(
      `note: live needs ${more.length} change(s) that ${planFile} does not hold (live moved elsewhere since the plan), such as: ${describeChange(more[0].change)}. They are not sent: plan again for them.\n`,
    );
  return send(ctx, loaded, savedFilePlan(saved, live.plan), live);
}

/** A plan with a connection that was not matched or read cannot be applied in part. */
function whole(ctx: Context, loaded: Loaded, plan: FilePlan): void {
  if (reportErrors(ctx, loaded, plan.findings))
    throw new CliError(`${loaded.file} cannot be applied as a whole. Nothing was sent.`);
}

/**
 * Prints the plan and sends exactly its changes as one journaled job: --max-changes and --yes are
 * checked first. A fresh apply and a saved plan's both end here.
 */
async function send(ctx: Context, loaded: Loaded, plan: FilePlan, live: Planned): Promise<Applied> {
  const { connections, invited, names } = live;
  whole(ctx, loaded, plan);
  checkSize(ctx, plan, loaded.file);
  const cannot = planExit(plan) === EXIT.cannot;
  const after: AfterRun = { invited, refs: refsOf(connections), file: loaded.absolute, live: plan.live };
  if (!plan.changes.length) {
    ctx.out(`Nothing to apply: live matches ${loaded.file}${cannot ? ' as far as it can' : ''}.\n`);
    if (cannot || plan.findings.some(sentUnconfirmed))
      ctx.out(renderPlan('text', plan, loaded.file, loaded.pos, names));
    // Who has joined since is forgotten in the state file too.
    await record(ctx, [], after);
    return { code: cannot ? EXIT.cannot : EXIT.ok };
  }
  ctx.out(renderPlan('text', plan, loaded.file, loaded.pos, names).replace(/Nothing was sent\.\n$/, ''));
  const risky = plan.changes.filter(needsYes);
  if (risky.length && !ctx.args.yes) {
    throw new CliError(
      `${risky.length} change(s) remove access, lower it or change ownership and need --yes: ${risky
        .slice(0, 3)
        .map((c) => describeChange(c.change))
        .join('; ')}${risky.length > 3 ? '; …' : ''}. Nothing was sent.`,
      EXIT.needsYes,
    );
  }
  const task = changeTask(
    (id) => {
      const c = connections.get(id);
      if (!c) throw new Error('Its connection is not in the file.');
      return c.provider;
    },
    { checkFirst: true },
  ) as BulkTask<unknown>;
  const items: JobItem[] = plan.changes.map((c) => {
    const payload: ChangeItem = { connectionId: c.connectionId, change: c.change };
    return { key: task.key(payload), label: describeChange(c.change), payload };
  });
  const params: ApplyParams = { file: loaded.absolute, connections: after.refs };
  const { journal } = JobJournal.create(jobsDir(ctx), {
    kind: 'access',
    title: title(loaded.file),
    connectionId: '*',
    params,
    items,
  });
  const applied = await run(ctx, journal, items, task, undefined, after);
  return applied.code === EXIT.ok && cannot ? { ...applied, code: EXIT.cannot } : applied;
}

/** How a journal names each connection, to build it again on resume: names, never a key. */
function refsOf(connections: Planned['connections']): Record<string, ConnectionRef> {
  const refs: Record<string, ConnectionRef> = {};
  for (const c of connections.values()) refs[c.id] = refOf(c);
  return refs;
}

async function resume(ctx: Context, job: LoadedJob): Promise<Applied> {
  const params = job.header.params as ApplyParams;
  const providers = new Map<string, Provider>();
  // Every key is there before anything is sent: a missing one names its variable.
  for (const [id, ref] of Object.entries(params.connections)) providers.set(id, ctx.sessions.rebuild(ref));
  const claim = JobJournal.claim(job.file);
  if (claim.status === 'busy')
    throw new CliError(
      `The interrupted apply of ${ctx.args.file} is being resumed by process ${claim.pid ?? 'unknown'}. Nothing was sent from this one.`,
    );
  if (claim.status === 'gone') {
    ctx.out(`The apply of ${ctx.args.file} has already finished. Nothing was sent again.\n`);
    return { code: EXIT.ok };
  }
  const current = claim.job;
  const finished = [...current.prior.values()].filter((s) => s !== 'sending').length;
  ctx.err(
    `Resuming the apply of ${ctx.args.file}: ${finished} of ${current.header.items.length} changes finished; finished changes are not sent again, and those whose answer was lost are checked first.\n`,
  );
  const task = changeTask(
    (id) => {
      const p = providers.get(id);
      if (!p) throw new Error('Its connection is not in the journal.');
      return p;
    },
    { checkFirst: true },
  ) as BulkTask<unknown>;
  return run(ctx, claim.journal, current.header.items, task, current.prior, {
    invited: new InvitedStore(ctx.stateDir),
    refs: params.connections,
    file: params.file,
  });
}

/** A progress line on stderr: rewritten in place on a terminal, every few seconds in a CI log. */
function progress(ctx: Context, what: string, total: number): { update: (settled: number) => void; end: () => void } {
  let last = 0;
  return {
    update: (settled) => {
      if (ctx.tty) ctx.err(`\r${what}: ${settled} of ${total} changes`);
      else if (Date.now() - last >= 2_000 || settled === total) {
        last = Date.now();
        ctx.err(`${what}: ${settled} of ${total} changes\n`);
      }
    },
    end: () => {
      if (ctx.tty) ctx.err('\n');
    },
  };
}

/** What is recorded after the job (repo.ts): in this machine's store, and in the state file beside the access file. */
interface AfterRun extends Recorded {
  readonly invited: InvitedStore;
}

/** Remembers the job's invitations (repo.ts) and says where, and what became of those whose answer was lost. */
async function record(ctx: Context, outcomes: readonly Outcome<JobItem>[], after: AfterRun): Promise<void> {
  const { written, unconfirmed } = await recordInvitations(
    after.invited,
    outcomes.map((o) => ({ status: o.status, item: o.item.payload as ChangeItem })),
    after,
  );
  if (unconfirmed)
    ctx.out(
      `${unconfirmed} invitation(s) were sent and their answer was lost: they are "sent, unconfirmed" and are not sent again until the person joins or ${KEEP_DAYS} days pass.\n`,
    );
  if (written)
    ctx.out(`Updated ${path.relative(process.cwd(), written) || written}: commit it, so every runner plans from it.\n`);
}

/** Runs the journaled job, prints the report (and writes it as CSV), and says what the exit code means. */
async function run(
  ctx: Context,
  journal: JobJournal,
  items: readonly JobItem[],
  task: BulkTask<unknown>,
  prior: LoadedJob['prior'] | undefined,
  after: AfterRun,
): Promise<Applied> {
  const what = title(ctx.args.file);
  const line = progress(ctx, what, items.length);
  let outcomes: Outcome<JobItem>[];
  let paused: string | undefined;
  try {
    ({ outcomes, paused } = await runJournaled(journal, items, task, {
      maxConcurrency: ctx.args.concurrency,
      signal: ctx.signal,
      onSettled: line.update,
      prior,
    }));
  } finally {
    line.end();
  }
  const report = reportOf(what, outcomes, (i) => i.label);
  ctx.out(`\n${reportText(report)}${reportSummaryLines(what, outcomes)[0]}\n`);
  if (ctx.args.report) {
    writePrivate(ctx.args.report, reportCsv(report));
  }
  await record(ctx, outcomes, after);
  if (paused) {
    const left = outcomes.filter((o) => o.status === 'skipped' || o.status === 'unknown').length;
    throw new CliError(
      `Paused: ${paused}. ${left} change(s) are not finished; nothing more is sent until you run: workspace-access apply ${ctx.args.file} --resume`,
    );
  }
  if (ctx.signal.aborted) {
    ctx.err(`Interrupted: changes in flight finished, the rest were not sent. Apply again to plan from live.\n`);
    return { code: EXIT.interrupted, report };
  }
  return { code: outcomes.every((o) => o.status === 'done') ? EXIT.ok : EXIT.error, report };
}
