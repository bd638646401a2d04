/**
 * What the command line prints: a plan or the drift as text, Markdown (a pull-request comment) or
 * JSON. The words of each change and the Markdown plan are the extension's own (core/access/words).
 */
import type { Problem } from '../core/access/parse';
import type { PlannedChange } from '../core/access/planner';
import type { FilePlan } from '../core/access/plan';
import { countsWords, mdCell, reportCounts, type JobReport } from '../core/jobs/report';
import {
  cannotBeDone,
  cautionWords,
  countsLine,
  planCounts,
  planMarkdown,
  sentUnconfirmed,
} from '../core/access/words';
import { describeChange } from '../core/changes/words';
import { EXIT } from './exit';

export type Format = 'text' | 'markdown' | 'json';

/** The version of the JSON documents `--json` prints; a reader checks it before anything else. */
export const JSON_SCHEMA_VERSION = 1;
/**
 * The longest Markdown printed (a pull-request comment or an issue body: GitHub refuses more than
 * 65,536 characters): the summary and the first changes, then how many more were left out.
 */
export const MAX_MARKDOWN_CHARS = 60_000;
/** The first line of the Markdown: a workflow finds its earlier comment by it and updates it in place. */
export const markdownMarker = (kind: 'plan' | 'drift', file: string) =>
  `<!-- workspace-access:${kind} ${file.replace(/--/g, '- -')} -->`;

/** Cuts Markdown at a line under `max` characters, saying how many list items and table rows were left out. */
export function capMarkdown(
  text: string,
  max: number,
  whole: string,
  /** What counts as one item left out: by default a list item or a table row that starts with a line number. */
  isItem: (line: string) => boolean = (l) => /^(- |\| \d)/.test(l),
): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  const note = (n: number) =>
    `_…and ${n} more not shown: this text is kept under ${max.toLocaleString('en-US')} characters. ${whole}_`;
  const budget = max - note(lines.length).length - 2;
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length + 1 > budget) break;
    kept.push(line);
    size += line.length + 1;
  }
  const more = lines.slice(kept.length).filter(isItem).length;
  return `${[...kept, '', note(more)].join('\n')}\n`;
}

/** A JSON document of its own for what stopped a command before its output: the errors, each with its line when it has one. */
export function errorJson(
  command: string,
  file: string,
  exitCode: number,
  errors: readonly { message: string; line?: number; column?: number; code?: string }[],
): string {
  return `${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command, file, exitCode, errors }, null, 2)}\n`;
}

/**
 * The Markdown of a plan or drift that stopped before its output (the file's errors, a missing key):
 * the same marker as a whole one, so a workflow updates its comment or issue with why, instead of
 * posting nothing.
 */
export function errorMarkdown(
  kind: 'plan' | 'drift',
  file: string,
  exitCode: number,
  errors: readonly { message: string; line?: number }[],
): string {
  const title = kind === 'plan' ? 'Access plan' : 'Access drift';
  const items = errors.map((e) => `- ${e.line !== undefined ? `line ${e.line}: ` : ''}${mdCell(e.message)}`);
  return capMarkdown(
    `${[markdownMarker(kind, file), `# ${title}: ${file}`, '', `**The ${kind === 'plan' ? 'plan' : 'check'} stopped (exit code ${exitCode}); nothing was sent.**`, '', ...items, ''].join('\n')}\n`,
    MAX_MARKDOWN_CHARS,
    `Every error: \`workspace-access ${kind} ${file}\`.`,
  );
}

/** apply's JSON document (`--json`): its exit code, and every change sent with its outcome. */
export function applyJson(file: string, exitCode: number, report: JobReport | undefined): string {
  const done = report ?? { title: 'Apply', rows: [] };
  return `${JSON.stringify(
    {
      schemaVersion: JSON_SCHEMA_VERSION,
      command: 'apply',
      file,
      exitCode,
      summary: countsWords(done),
      counts: reportCounts(done),
      outcomes: done.rows.map(([change, outcome, detail]) => ({ change, outcome, ...(detail ? { detail } : {}) })),
      errors: [],
    },
    null,
    2,
  )}\n`;
}

/** How a connection is named in what is printed: `GitBook "org_sandbox"`, and its platform. */
export type Names = (connectionId: string) => { readonly label: string; readonly platform: string };

/** Where a span is in the file: 1-based line and column. */
export type Position = (p: Pick<Problem, 'at'>) => { line: number; column: number };

export function positions(text: string): Position {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return ({ at }) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at[0]) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at[0] - starts[lo] + 1 };
  };
}

/** `file:line:column: severity: message [code]`, the form editors and CI problem matchers read. */
export const problemLine = (file: string, pos: Position, p: Problem) => {
  const { line, column } = pos(p);
  return `${file}:${line}:${column}: ${p.severity}: ${p.message} [${p.code}]`;
};

const MARK: Record<PlannedChange['kind'], string> = { add: '+', change: '~', remove: '-' };
/** What a change needs on the command line beyond the plan: --yes for removals, demotions and ownership. */
export const needsYes = (c: PlannedChange) => c.kind === 'remove' || !!c.caution || !!c.lowers;

/** Findings a plan cannot act on, by heading: what cannot be done, invitations sent unconfirmed, and who is waiting. */
function notes(plan: FilePlan, pos: Position): string[] {
  const out: string[] = [];
  const cannot = plan.findings.filter(cannotBeDone);
  if (cannot.length) out.push('', 'Cannot be done:', ...cannot.map((f) => `  line ${pos(f).line}: ${f.message}`));
  const unconfirmed = plan.findings.filter(sentUnconfirmed);
  if (unconfirmed.length)
    out.push('', 'Sent, unconfirmed:', ...unconfirmed.map((f) => `  line ${pos(f).line}: ${f.message}`));
  const pending = plan.findings.filter((f) => f.code === 'pending');
  if (pending.length) out.push('', 'Waiting:', ...pending.map((f) => `  line ${pos(f).line}: ${f.message}`));
  return out;
}

function planText(plan: FilePlan, file: string, pos: Position, names: Names): string {
  const out = [`Plan for ${file}: ${countsLine(plan)}.`];
  for (const p of plan.plans) {
    out.push('', `${names(p.connectionId).label}: ${p.changes.length ? countsLine(p) : 'live matches the file'}`);
    for (const c of p.changes) {
      const caution = cautionWords(c);
      out.push(
        `  ${MARK[c.kind]} line ${pos(c).line}: ${describeChange(c.change)}${needsYes(c) ? ` (needs --yes${caution ? `: ${caution}` : c.lowers ? ': lowers their access' : ''})` : ''}`,
      );
    }
  }
  out.push(...notes(plan, pos), '', 'Nothing was sent.');
  return `${out.join('\n')}\n`;
}

/** The plan as JSON: counts, every change with its connection and line, every finding. */
function planJson(
  command: 'plan' | 'drift',
  plan: FilePlan,
  file: string,
  pos: Position,
  names: Names,
  problems: readonly Problem[] = plan.findings,
): string {
  const found = (p: Problem) => ({ ...pos(p), severity: p.severity, code: p.code, message: p.message });
  const errors = plan.findings.filter((f) => f.severity === 'error');
  return `${JSON.stringify(
    {
      schemaVersion: JSON_SCHEMA_VERSION,
      command,
      file,
      exitCode: planExit(plan),
      summary: countsLine(plan),
      counts: planCounts(plan),
      changes: plan.changes.map((c) => ({
        connection: names(c.connectionId).label,
        platform: names(c.connectionId).platform,
        line: pos(c).line,
        kind: c.kind,
        op: c.change.op,
        description: describeChange(c.change),
        ...(c.caution ? { caution: cautionWords(c) } : {}),
        change: c.change,
      })),
      // Invitations whose answer was lost: not changes (never sent again automatically), each at its line.
      unconfirmed: plan.findings.filter(sentUnconfirmed).map((f) => ({
        connection: names(connectionOf(plan, f)).label,
        platform: names(connectionOf(plan, f)).platform,
        ...found(f),
      })),
      findings: problems.map(found),
      errors: errors.map(found),
    },
    null,
    2,
  )}\n`;
}

/** The connection whose plan holds a finding. */
const connectionOf = (plan: FilePlan, f: Problem) => plan.plans.find((p) => p.findings.includes(f))?.connectionId ?? '';

/**
 * plan's and drift's exit code: 1 when a connection was not matched or read, 3 when live differs in
 * ways the file cannot fix, 2 with changes pending, else 0. An invitation "sent, unconfirmed" leaves
 * it as it is: there is nothing to apply for it and nothing the file can fix, as for one waiting to
 * be accepted (the output names it, and `--json` lists it under `unconfirmed`).
 */
export function planExit(plan: Pick<FilePlan, 'changes' | 'findings'>): number {
  if (plan.findings.some((f) => f.severity === 'error')) return EXIT.error;
  if (plan.findings.some(cannotBeDone)) return EXIT.cannot;
  return plan.changes.length ? EXIT.pending : EXIT.ok;
}

export function renderPlan(format: Format, plan: FilePlan, file: string, pos: Position, names: Names): string {
  if (format === 'json') return planJson('plan', plan, file, pos, names);
  if (format === 'markdown')
    return capMarkdown(
      `${markdownMarker('plan', file)}\n${planMarkdown(
        plan,
        file,
        (p) => pos(p).line,
        (id) => names(id).label,
      )}`,
      MAX_MARKDOWN_CHARS,
      `The whole plan: \`workspace-access plan ${file}\`.`,
    );
  return planText(plan, file, pos, names);
}

/** The codes of where live differs from the file: what a nightly check reports. */
const DRIFT_CODES = new Set([
  'drift',
  'expired',
  'stale',
  'unknown',
  'pending',
  'unconfirmed',
  'connection',
  'unreadable',
]);

/** Each finding where live differs from the file, in the file's order: what drift prints and SARIF holds. */
export const driftFindings = (plan: Pick<FilePlan, 'findings'>): Problem[] =>
  plan.findings.filter((f) => DRIFT_CODES.has(f.code)).sort((a, b) => a.at[0] - b.at[0]);

/** Drift: each line of the file where live differs, as the Problems panel would show it, then the plan's counts. */
export function renderDrift(
  format: Format,
  plan: FilePlan,
  file: string,
  pos: Position,
  names: Names,
  source: string,
): string {
  const found = driftFindings(plan);
  const summary =
    found.length || plan.changes.length
      ? `${found.length} line(s) of ${file} differ from live; the plan: ${countsLine(plan)}.`
      : `Live matches ${file}.`;
  if (format === 'json') return planJson('drift', plan, file, pos, names, found);
  if (format === 'markdown') {
    const lines = source.split('\n');
    const said = (f: Problem) => lines[pos(f).line - 1]?.replace(/\s+#.*$/, '').trim() ?? '';
    const rows = found.map(
      (f) => `| ${pos(f).line} | \`${mdCell(said(f)).replace(/`/g, "'")}\` | ${f.code} | ${mdCell(f.message)} |`,
    );
    return capMarkdown(
      `${[markdownMarker('drift', file), `# Access drift: ${file}`, '', `**${summary}** Checking sent nothing to any platform.`, '', ...(rows.length ? ['| Line | The file says | Kind | Live |', '|---|---|---|---|', ...rows, ''] : [])].join('\n')}\n`,
      MAX_MARKDOWN_CHARS,
      `Every line: \`workspace-access drift ${file}\`.`,
    );
  }
  return `${[...found.map((f) => problemLine(file, pos, f)), summary].join('\n')}\n`;
}
