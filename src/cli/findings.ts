/**
 * `findings`: who should not be here, across every connection the keys reach: people the roster
 * says have left, accounts it does not know, external accounts, owners and admins, inactive seats
 * and stale invitations. Text, Markdown (a nightly issue), JSON or SARIF; exit 0 when nothing asks
 * for action, 6 when something does (owners and admins are listed for the record only).
 */
import * as fs from 'node:fs';
import { todayUtc } from '../core/access/plan';
import {
  findingsOf,
  type ConnectionFacts,
  type ConnectionNote,
  type Finding,
  type FindingKind,
} from '../core/roster/findings';
import { gatherConnection } from '../core/roster/gather';
import { parseRoster, type RosterProblem } from '../core/roster/parse';
import { RosterError } from '../core/roster/roster';
import { PLATFORM_IDS, PLATFORMS } from '../providers';
import { CliError, type Context } from './commands';
import { keyVariable, type CliConnection } from './connections';
import { EXIT } from './exit';
import { capMarkdown, JSON_SCHEMA_VERSION, MAX_MARKDOWN_CHARS } from './output';
import { checkOutputPath, writePrivate } from './outputs';
import { findingsSarif } from './findingsSarif';
import { toolInfo } from './version';

/** The kinds in the order a reader meets them, each with its heading. */
export const KIND_WORDS: Readonly<Record<FindingKind, string>> = {
  left: 'Left the organization, still has access',
  unknown: 'Not on the roster',
  external: 'External accounts',
  inactive: 'Inactive seats',
  'stale-invitation': 'Stale invitations',
  expiring: 'Access ending soon',
  admin: 'Owners and admins (for the record)',
};
const ORDER = Object.keys(KIND_WORDS) as FindingKind[];

/** The first line of the Markdown: a nightly workflow finds its issue by it and updates it in place. */
export const FINDINGS_MARKER = '<!-- workspace-access:findings -->';

interface Gathered {
  readonly findings: readonly Finding[];
  readonly notes: readonly ConnectionNote[];
  readonly labels: ReadonlyMap<string, string>;
  /** The connections that could not be read at all. */
  readonly unread: ReadonlySet<string>;
  readonly rosterFile?: string;
  readonly ignoredColumns: readonly string[];
  readonly rosterProblems: readonly RosterProblem[];
}

/** What asks someone to act (every finding but the record of owners and admins). */
export const actionable = (findings: readonly Finding[]) => findings.filter((f) => f.severity !== 'info');

export async function findingsCommand(ctx: Context): Promise<number> {
  const { args } = ctx;
  // Every output path is checked before anything is read, and the roster file is read whole (a
  // missing file stops the command before any request).
  checkOutputPath('--sarif', args.sarif);
  const rosterText = args.roster ? readRosterText(args.roster) : undefined;
  // The roster is parsed while the platforms answer: its CPU work (about 150 ms for 6,000 rows) would
  // otherwise be added to their wait. A roster that cannot be used stops the reads.
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const today = todayUtc();
  const reads = readEverything(ctx, today, signal);
  // Settled below in every case: a failure of the reads while the roster is parsed is not unhandled.
  reads.catch(() => undefined);
  let roster: Awaited<ReturnType<typeof parseRosterText>> | undefined;
  try {
    roster = args.roster && rosterText !== undefined ? await parseRosterText(args.roster, rosterText) : undefined;
  } catch (err) {
    stop.abort();
    await reads.catch(() => undefined);
    throw err;
  }
  const { all, failures, facts } = await reads;
  const { findings, notes } = findingsOf({
    connections: facts,
    roster: roster?.roster,
    domains: args.domains,
    today,
    inactiveDays: args.inactiveDays,
    invitationDays: args.invitationDays,
  });
  const gathered: Gathered = {
    findings,
    notes,
    labels: new Map([
      ...all.map((c) => [idOf(c), `${PLATFORMS[c.platform].label} · ${c.name}`] as const),
      ...failures.map((f) => [f.platform, `${PLATFORMS[f.platform].label} (${f.variable})`] as const),
    ]),
    unread: new Set(facts.filter((f) => !f.members).map((f) => f.connectionId)),
    rosterFile: args.roster,
    ignoredColumns: roster?.ignoredColumns ?? [],
    rosterProblems: roster?.problems ?? [],
  };
  // Anything not read (a connection, its activity) or a roster row skipped leaves the report
  // incomplete: a nightly job must not read that as "nothing to act on", nor as a whole report.
  const skipped = gathered.rosterProblems.filter((p) => p.skipped);
  const failed = notes.some((n) => n.kind === 'error') || skipped.length > 0;
  const code = failed ? EXIT.error : actionable(findings).length ? EXIT.findings : EXIT.ok;
  if (skipped.length)
    ctx.err(
      `${args.roster}: ${count(skipped.length, 'row')} skipped (line${skipped.length === 1 ? '' : 's'} ${skipped
        .slice(0, 10)
        .map((p) => p.line)
        .join(', ')}${skipped.length > 10 ? ', …' : ''}): fix the roster; the findings leave those rows out.\n`,
    );
  if (args.sarif) writePrivate(args.sarif, `${JSON.stringify(findingsSarif(gathered, code, toolInfo()), null, 2)}\n`);
  ctx.out(
    args.format === 'json'
      ? findingsJson(gathered, code)
      : args.format === 'markdown'
        ? findingsMarkdown(gathered)
        : findingsText(gathered),
  );
  return code;
}

const idOf = (c: CliConnection) => `${c.platform}:${c.name}`;

/**
 * Every connection the keys reach, and what each says (see gatherConnection). A key that is refused
 * fails its own platform: the other platforms' findings still print.
 */
async function readEverything(ctx: Context, today: string, signal: AbortSignal) {
  const { connections: all, failures } = await ctx.sessions.everyReachable(signal);
  if (!all.length && !failures.length)
    throw new CliError(`No key is set: set at least one of ${PLATFORM_IDS.map(keyVariable).join(', ')}.`);
  const facts: ConnectionFacts[] = [
    ...(await Promise.all(
      all.map((c: CliConnection) =>
        gatherConnection(c.provider, idOf(c), PLATFORMS[c.platform].label, {
          today,
          inactiveDays: ctx.args.inactiveDays,
          signal,
        }),
      ),
    )),
    ...failures.map((f) => ({ connectionId: f.platform, platformLabel: PLATFORMS[f.platform].label, error: f.error })),
  ];
  return { all, failures, facts };
}

export function readRosterText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(err)})`}.`);
  }
}

export async function parseRosterText(file: string, text: string) {
  try {
    return await parseRoster(text);
  } catch (err) {
    if (err instanceof RosterError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 findings to act on (1 left, 2 inactive); 4 owners or admins listed" */
export function findingsSummary(findings: readonly Finding[]): string {
  const act = actionable(findings);
  const by = ORDER.filter((k) => k !== 'admin')
    .map((k) => [k, act.filter((f) => f.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k === 'stale-invitation' ? 'stale invitation' : k}`);
  const admins = findings.length - act.length;
  return `${act.length ? `${count(act.length, 'finding')} to act on (${by.join(', ')})` : 'Nothing to act on'}; ${admins} ${admins === 1 ? 'owner or admin' : 'owners or admins'} listed`;
}

function rosterLines(g: Gathered): string[] {
  const out: string[] = [];
  if (!g.rosterFile) out.push('No roster given (--roster FILE): nobody is checked against the list of people.');
  if (g.ignoredColumns.length) out.push(`${g.rosterFile}: ignored columns: ${g.ignoredColumns.join(', ')}.`);
  for (const p of g.rosterProblems) out.push(`${g.rosterFile}:${p.line}: ${p.message}`);
  return out;
}

export function findingsText(g: Gathered): string {
  const lines: string[] = [...rosterLines(g)];
  for (const [id, label] of g.labels) {
    const mine = g.findings.filter((f) => f.connectionId === id);
    const notes = g.notes.filter((n) => n.connectionId === id);
    lines.push(
      '',
      `${label}: ${g.unread.has(id) ? 'could not be read' : mine.length ? findingsSummary(mine) : 'nothing found'}`,
    );
    for (const n of notes) lines.push(`  ${n.kind === 'error' ? 'error' : 'note'}: ${n.message}`);
    for (const kind of ORDER) {
      const of = mine.filter((f) => f.kind === kind);
      if (!of.length) continue;
      lines.push(`  ${KIND_WORDS[kind]}:`);
      for (const f of of) lines.push(`    ${f.email}  ${f.evidence}  → ${f.actions.join(', ')}`);
    }
  }
  lines.push('', findingsSummary(g.findings));
  return `${lines.join('\n')}\n`;
}

const TABLE_HEAD = '| Connection | Who | Evidence |';
const md = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);

export function findingsMarkdown(g: Gathered): string {
  const lines = [FINDINGS_MARKER, '# Access findings', '', `**${findingsSummary(g.findings)}**`, ''];
  for (const l of rosterLines(g)) lines.push(`> ${md(l)}`);
  for (const n of g.notes) lines.push(`- ${md(g.labels.get(n.connectionId) ?? n.connectionId)}: ${md(n.message)}`);
  for (const kind of ORDER) {
    const of = g.findings.filter((f) => f.kind === kind);
    if (!of.length) continue;
    lines.push('', `## ${KIND_WORDS[kind]} (${of.length})`, '', TABLE_HEAD, '| --- | --- | --- |');
    for (const f of of)
      lines.push(`| ${md(g.labels.get(f.connectionId) ?? f.connectionId)} | ${md(f.email)} | ${md(f.evidence)} |`);
  }
  return capMarkdown(
    `${lines.join('\n')}\n`,
    MAX_MARKDOWN_CHARS,
    'Every finding: `workspace-access findings` (or `--json`).',
    // A finding is a table row; the tables' header and separator rows are not findings.
    (l) => l.startsWith('| ') && l !== TABLE_HEAD && !l.startsWith('| ---'),
  );
}

export function findingsJson(g: Gathered, exitCode: number): string {
  return `${JSON.stringify(
    {
      schemaVersion: JSON_SCHEMA_VERSION,
      command: 'findings',
      exitCode,
      summary: findingsSummary(g.findings),
      roster: g.rosterFile
        ? { file: g.rosterFile, ignoredColumns: g.ignoredColumns, problems: g.rosterProblems }
        : undefined,
      connections: [...g.labels].map(([id, label]) => ({
        id,
        label,
        notes: g.notes.filter((n) => n.connectionId === id).map(({ kind, message }) => ({ kind, message })),
      })),
      findings: g.findings.map((f) => ({
        kind: f.kind,
        severity: f.severity,
        connection: f.connectionId,
        email: f.email,
        ...(f.memberId ? { memberId: f.memberId } : {}),
        ...(f.invitation ? { invitationId: f.invitation.id } : {}),
        evidence: f.evidence,
        ...(f.rosterLine !== undefined ? { rosterLine: f.rosterLine } : {}),
        ...(f.lastActive ? { lastActive: f.lastActive } : {}),
        actions: f.actions,
      })),
    },
    null,
    2,
  )}\n`;
}

export type { Gathered };
