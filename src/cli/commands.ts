/**
 * plan, drift and export: the access file read, matched to connections by the environment's keys,
 * planned by the same core as the extension's Plan, and printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readAccessFile, type ConnectionSpec, type ParsedFile, type Problem } from '../core/access/parse';
import { InvitedStore } from '../core/access/invited';
import { RepoState, RepoStateError } from '../core/access/repoState';
import { planFile, todayUtc, type FilePlan, type Target } from '../core/access/plan';
import { ACCESS_FILE_FACTS, PLATFORMS } from '../providers';
import type { Args } from './args';
import { sha256 } from '../core/access/fingerprint';
import { isPlatform, refOf, type CliConnection, type CliSessions } from './connections';
import { CliError, readGiven } from './errors';
import { EXIT } from './exit';
import { checkOutputPath, writePrivate } from './outputs';
import { invitedFor } from './repo';
import {
  driftFindings,
  planExit,
  positions,
  problemLine,
  renderDrift,
  renderPlan,
  type Names,
  type Position,
} from './output';
import { ruleOf, SARIF_VERSION, sarifLog, type SarifFinding } from './sarif';
import { parseSavedPlan, savedPlanOf, savedPlanText } from './saved';
import { toolInfo, toolVersion } from './version';

/** What each command gets from the composition root. */
export interface Context {
  readonly args: Args;
  readonly sessions: CliSessions;
  readonly signal: AbortSignal;
  /** Where apply's journals and remembered invitations live. */
  readonly stateDir: string;
  /** stdout and stderr, both redacted; `tty` when stderr is a terminal. */
  out(text: string): void;
  err(text: string): void;
  readonly tty: boolean;
}

export { CliError, type ProblemAt } from './errors';

export interface Loaded {
  /** As the person wrote it (for messages), and absolute (for journals). */
  readonly file: string;
  readonly absolute: string;
  readonly parsed: ParsedFile;
  readonly pos: Position;
  readonly text: string;
  /** SHA-256 of the file's bytes as read: what a saved plan was made from. */
  readonly sha256: string;
}

/** Reads and checks the file; its errors are printed each at its line, and nothing is sent. */
export function load(ctx: Context): Loaded {
  const file = ctx.args.file;
  const bytes = readGiven(file, { missing: `Write one from live access with: workspace-access export ${file}` });
  const text = bytes.toString('utf8');
  const parsed = readAccessFile(text, ACCESS_FILE_FACTS);
  const pos = positions(text);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    for (const p of errors) ctx.err(`${problemLine(file, pos, p)}\n`);
    throw new CliError(
      `${file} has ${errors.length} error(s): fix ${errors.length === 1 ? 'it' : 'them'} first. Nothing was sent.`,
      EXIT.error,
      errors.map((p) => ({ ...pos(p), code: p.code, message: p.message })),
    );
  }
  return {
    file,
    absolute: path.resolve(file),
    parsed: only(ctx.args.connection, parsed, file),
    pos,
    text,
    sha256: sha256(bytes),
  };
}

/**
 * `--connection NAME`: the file with that one connection (by its workspace or organization, any
 * case; `PLATFORM:NAME` where two platforms share a name). A name the file does not hold is a usage
 * error that lists the names it does.
 */
export function only(wanted: string | undefined, parsed: ParsedFile, file: string): ParsedFile {
  if (wanted === undefined) return parsed;
  const [platform, name] = wanted.includes(':') ? wanted.split(/:(.*)/s) : [undefined, wanted];
  const same = (a: string, b: string) => a.toLowerCase() === b.trim().toLowerCase();
  const matched = parsed.connections.filter(
    (c) => same(c.name, name ?? '') && (platform === undefined || same(c.facts.platform, platform)),
  );
  const names = parsed.connections.map((c) => `${c.facts.platform}:${c.name}`).join(', ');
  if (matched.length === 1) return { ...parsed, connections: matched };
  throw new CliError(
    matched.length
      ? `--connection ${wanted}: ${matched.length} connections of ${file} have that name; name one as PLATFORM:NAME (${names}).`
      : `--connection ${wanted}: ${file} has no such connection; it has ${names || 'none'}.`,
    EXIT.usage,
  );
}

export interface Planned {
  readonly plan: FilePlan;
  readonly connections: ReadonlyMap<string, CliConnection>;
  readonly invited: InvitedStore;
  readonly names: Names;
}

/** Matches every entry to its connection; a key shared where the platform cannot tell workspaces apart is a problem. */
async function resolveAll(
  ctx: Context,
  parsed: ParsedFile,
  pos: Position,
): Promise<Map<ConnectionSpec, CliConnection | { problem: string }>> {
  const out = new Map<ConnectionSpec, CliConnection | { problem: string }>();
  // A base URL that breaks the rule stops the command before any request goes out.
  for (const spec of parsed.connections) if (isPlatform(spec.facts.platform)) ctx.sessions.baseUrl(spec.facts.platform);
  const results = await Promise.all(parsed.connections.map((spec) => ctx.sessions.resolve(spec, ctx.signal)));
  const seen = new Map<string, ConnectionSpec>();
  parsed.connections.forEach((spec, i) => {
    const r = results[i];
    const same = 'id' in r ? (spec.facts.match.by === 'label' ? seen.get(r.variable) : seen.get(r.id)) : undefined;
    if ('id' in r && same) {
      const reason =
        spec.facts.match.by === 'label'
          ? `uses the same key (${r.variable}) as the entry at line ${pos(same).line}, and ${PLATFORMS[r.platform].label} cannot tell which workspace a key is for: give each its own key`
          : `names the same ${PLATFORMS[r.platform].container} as the entry at line ${pos(same).line}: keep one`;
      out.set(spec, { problem: `"${spec.name}" ${reason}.` });
      return;
    }
    if ('id' in r) seen.set(spec.facts.match.by === 'label' ? r.variable : r.id, spec);
    out.set(spec, r);
  });
  return out;
}

/** The state file beside the access file (repo.ts); one that cannot be used is an error naming it and what to do. */
function repoState(file: string): RepoState {
  try {
    return RepoState.read(file);
  } catch (err) {
    if (err instanceof RepoStateError) throw new CliError(`${err.message} Nothing was sent.`);
    throw err;
  }
}

/** Plans the file against live, read with the environment's keys, and with the invitations this machine and the repository remember. */
export async function planned(ctx: Context, loaded: Loaded): Promise<Planned> {
  // The repository's state file first: one that cannot be used stops the plan before any read.
  const repo = repoState(loaded.absolute);
  const resolved = await resolveAll(ctx, loaded.parsed, loaded.pos);
  const invited = new InvitedStore(ctx.stateDir);
  const connections = new Map<string, CliConnection>();
  for (const r of resolved.values()) if ('id' in r) connections.set(r.id, r);
  if (ctx.tty) ctx.err(`Reading live access of ${connections.size} connection(s)…\n`);
  const plan = await planFile(
    loaded.parsed,
    (spec): Target | { problem: string } => {
      const r = resolved.get(spec) ?? { problem: 'Not matched.' };
      return 'problem' in r
        ? r
        : { connectionId: r.id, provider: r.provider, invited: invitedFor(invited, repo, r.id, r) };
    },
    { today: todayUtc(), concurrency: ctx.args.concurrency, signal: ctx.signal },
  );
  // Who has joined since an Apply invited them is no longer remembered; other files' connections are kept.
  invited.prune(
    () => true,
    (id) => {
      const live = plan.live.get(id);
      return live && new Set(live.members.map((m) => m.email.toLowerCase()));
    },
  );
  const names: Names = (id) => {
    const c = connections.get(id);
    return c
      ? { label: `${PLATFORMS[c.platform].label} "${c.name}"`, platform: c.platform }
      : { label: id, platform: id.split(':')[0] };
  };
  return { plan, connections, invited, names };
}

/** The findings that stop a plan from being whole: a connection not matched or not read. */
export function reportErrors(ctx: Context, loaded: Loaded, findings: readonly Problem[]): number {
  const errors = findings.filter((f) => f.severity === 'error');
  for (const f of errors) ctx.err(`${problemLine(loaded.file, loaded.pos, f)}\n`);
  return errors.length;
}

/** A plan larger than --max-changes is refused before anything is printed or sent. */
export function checkSize(ctx: Context, plan: FilePlan, file: string): void {
  if (plan.changes.length <= ctx.args.maxChanges) return;
  throw new CliError(
    `The plan of ${file} holds ${plan.changes.length} changes, more than --max-changes ${ctx.args.maxChanges}. Check the file; if it is right, run again with --max-changes ${plan.changes.length}. Nothing was sent.`,
  );
}

/**
 * `plan --out PLAN`, before anything is read: the path can take the file, is not the access file,
 * and holds no other kind of file. An earlier saved plan there is removed now, so a plan that
 * fails leaves none behind to be applied by mistake.
 */
function clearOut(ctx: Context): void {
  const out = ctx.args.out;
  if (out === undefined) return;
  checkOutputPath('--out', out);
  if (path.resolve(out) === path.resolve(ctx.args.file))
    throw new CliError(`--out ${out} is the access file itself: name another file for the saved plan.`, EXIT.usage);
  if (!fs.existsSync(out)) return;
  let text = '';
  try {
    text = fs.readFileSync(out, 'utf8');
  } catch {
    // unreadable: not a saved plan
  }
  if (parseSavedPlan(text, out) === undefined)
    throw new CliError(
      `--out ${out} exists and is not a saved plan: name a new file (or remove it first).`,
      EXIT.usage,
    );
  fs.rmSync(out);
}

/** `plan --out PLAN`: the plan with what it was computed from, readable by its owner only (it names people). */
function savePlan(ctx: Context, loaded: Loaded, { plan, connections }: Planned): void {
  const out = ctx.args.out;
  if (out === undefined) return;
  if (plan.findings.some((f) => f.severity === 'error')) {
    ctx.err(`No saved plan was written to ${out}: the plan is not whole (its errors are below).\n`);
    return;
  }
  const saved = savedPlanOf({
    toolVersion: toolVersion(),
    file: loaded.file,
    fileSha256: loaded.sha256,
    ...(ctx.args.connection !== undefined ? { connection: ctx.args.connection } : {}),
    plan,
    refOf: (id) => {
      const c = connections.get(id);
      return c && refOf(c);
    },
    lineOf: (c) => loaded.pos(c).line,
  });
  writePrivate(out, savedPlanText(saved));
  ctx.err(
    `Saved the plan (${saved.changes.length} change(s)) to ${out}: workspace-access apply ${out} sends exactly these, or nothing if live or ${loaded.file} moved. It names people: it is readable by you only; keep it as a short-lived private CI artifact, never in the repository.\n`,
  );
}

/** plan and drift: 0 when live matches, 2 when changes are pending, 3 when live differs in ways the file cannot fix, 1 on an error. */
export async function planOrDrift(ctx: Context, kind: 'plan' | 'drift'): Promise<number> {
  clearOut(ctx);
  const sarif = ctx.args.sarif;
  checkOutputPath('--sarif', sarif);
  const loaded = loadForSarif(ctx, kind);
  const result = await planned(ctx, loaded);
  const { plan, names } = result;
  checkSize(ctx, plan, loaded.file);
  savePlan(ctx, loaded, result);
  if (sarif) {
    const findings = driftFindings(plan).map((f) => placed(loaded.pos, f));
    const code = planExit(plan);
    writeSarif(ctx, kind, sarif, findings, code, code !== EXIT.error);
  }
  ctx.out(
    kind === 'plan'
      ? renderPlan(ctx.args.format, plan, loaded.file, loaded.pos, names)
      : renderDrift(ctx.args.format, plan, loaded.file, loaded.pos, names, loaded.text),
  );
  reportErrors(ctx, loaded, plan.findings);
  return planExit(plan);
}

/**
 * load(), and with --sarif a file with errors still gets its log: each error at its line, so code
 * scanning shows why nothing was checked. A command that stops for any other reason (no such file,
 * a missing key) writes no log: an empty one would tell code scanning that live matches.
 */
function loadForSarif(ctx: Context, kind: 'plan' | 'drift'): Loaded {
  try {
    return load(ctx);
  } catch (e) {
    const sarif = ctx.args.sarif;
    if (sarif && e instanceof CliError && e.problems.length) {
      const findings = e.problems.map((p): SarifFinding => ({
        rule: 'file-error',
        severity: 'error',
        message: p.message,
        line: p.line ?? 1,
        column: p.column ?? 1,
      }));
      writeSarif(ctx, kind, sarif, findings, e.exitCode, false);
    }
    throw e;
  }
}

/** A finding of the plan at its place in the file: its line and column, and where it ends on that line. */
function placed(pos: Position, f: Problem): SarifFinding {
  const start = pos(f);
  const end = pos({ at: [f.at[1], f.at[1]] });
  return {
    rule: ruleOf(f),
    severity: f.severity,
    message: f.message,
    ...start,
    ...(end.line === start.line ? { endColumn: end.column } : {}),
  };
}

function writeSarif(
  ctx: Context,
  kind: 'plan' | 'drift',
  file: string,
  findings: readonly SarifFinding[],
  exitCode: number,
  checked: boolean,
): void {
  const log = sarifLog({
    kind,
    file: ctx.args.file,
    findings,
    tool: toolInfo(),
    exitCode,
    checked,
    ...(ctx.args.connection !== undefined ? { connection: ctx.args.connection } : {}),
  });
  writePrivate(file, `${JSON.stringify(log, null, 2)}\n`);
  if (ctx.args.verbose) ctx.err(`Wrote ${file}: ${findings.length} finding(s) as SARIF ${SARIF_VERSION}.\n`);
}
