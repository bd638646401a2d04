/**
 * The end of a bulk job as rows (item, outcome, reason or note): text for a document, CSV for a
 * file. A CSV cell is never a live formula in a spreadsheet, whatever a platform named things.
 */
import { stringify } from 'csv-stringify/sync';
import { maskPersonal, peopleIn } from '../personal';
import { summarize } from './each';
import { type Outcome } from './bulkTask';
import { mdCell, neutralizeCell } from './cells';

export { mdCell, neutralizeCell } from './cells';

export interface JobReport {
  readonly title: string;
  readonly rows: readonly (readonly [item: string, outcome: string, detail: string])[];
  /** For a report kept as a record (an offboarding): who it is about (their own email, as the platform lists it). */
  readonly subject?: string;
  /** When the job ended (ISO time). */
  readonly finished?: string;
  /** The connection(s) the job ran on, by label. */
  readonly connections?: readonly string[];
}

/** A record's row for a change the person chose not to make (unticked in the preview): outcome `kept`. */
export const KEPT = 'kept';

/** Counts per outcome; `kept` only where a record kept something. */
export function reportCounts(report: JobReport): {
  done: number;
  failed: number;
  skipped: number;
  unknown: number;
  kept: number;
} {
  const c = { done: 0, failed: 0, skipped: 0, unknown: 0, kept: 0 };
  for (const [, status] of report.rows) if (status in c) c[status as keyof typeof c]++;
  return c;
}

/** "2 done, 1 failed, 0 skipped, 0 unknown" (and ", 1 kept" where a record kept something). */
export function countsWords(report: JobReport): string {
  const c = reportCounts(report);
  return `${c.done} done, ${c.failed} failed, ${c.skipped} skipped, ${c.unknown} unknown${c.kept ? `, ${c.kept} kept` : ''}`;
}

const MARK: Record<Outcome<unknown>['status'] | typeof KEPT, string> = {
  done: '✓',
  failed: '✗',
  skipped: '–',
  unknown: '?',
  kept: '○',
};

export function reportOf<T>(title: string, outcomes: readonly Outcome<T>[], label: (item: T) => string): JobReport {
  return {
    title,
    rows: outcomes.map((o) => [label(o.item), o.status, o.status === 'done' ? (o.note ?? '') : o.reason] as const),
  };
}

/** item, outcome, detail; a record adds who it is about and when it ended on every row. */
export function reportCsv(report: JobReport): string {
  if (report.subject === undefined)
    return stringify([['item', 'outcome', 'detail'], ...report.rows.map((row) => row.map(neutralizeCell))]);
  const head = [report.subject, report.finished ?? ''];
  return stringify([
    ['who', 'when', 'item', 'outcome', 'detail'],
    ...report.rows.map((row) => [...head, ...row].map(neutralizeCell)),
  ]);
}

/** The report as Markdown: the title, who and when, then one table row per item. */
export function reportMarkdown(report: JobReport): string {
  const lines = [`# ${mdCell(report.title)}`, ''];
  if (report.subject !== undefined) lines.push(`- **Who:** ${mdCell(report.subject)}`);
  if (report.finished !== undefined) lines.push(`- **When:** ${report.finished}`);
  if (report.connections?.length) lines.push(`- **Connections:** ${mdCell(report.connections.join(', '))}`);
  lines.push(`- **Outcome:** ${countsWords(report)}`, '', '| Change | Outcome | Detail |', '|---|---|---|');
  for (const [item, status, detail] of report.rows)
    lines.push(`| ${mdCell(item)} | ${MARK[status as keyof typeof MARK] ?? ''} ${status} | ${mdCell(detail)} |`);
  return `${lines.join('\n')}\n`;
}

/** One line per item: its mark, what, and the reason or note. */
const itemLines = (report: JobReport) =>
  report.rows.map(
    ([item, status, detail]) => `${MARK[status as keyof typeof MARK] ?? ' '} ${item}${detail ? `: ${detail}` : ''}`,
  );

/**
 * The report as a document: a header (the title, who for a record, the connection(s), when, the
 * counts per outcome), then one line per item.
 */
export function reportDocument(report: JobReport): string {
  const head = [report.title];
  if (report.subject !== undefined) head.push(`Who: ${report.subject}`);
  if (report.connections?.length)
    head.push(`${report.connections.length === 1 ? 'Connection' : 'Connections'}: ${report.connections.join(', ')}`);
  if (report.finished !== undefined) head.push(`Finished: ${report.finished}`);
  head.push(`${report.rows.length} ${report.rows.length === 1 ? 'item' : 'items'}: ${countsWords(report)}`);
  return `${head.join('\n')}\n\n${itemLines(report).join('\n')}\n`;
}

export function reportText(report: JobReport): string {
  return `${report.title}\n${itemLines(report).join('\n')}\n`;
}

/**
 * What the log keeps of a job at info level: counts, and each distinct failure reason with how many
 * items it hit, the emails and names of people masked (those its items name, and any email). The per-item lines (who) go to debug; the report keeps the detail.
 */
export function reportSummaryLines<T>(title: string, outcomes: readonly Outcome<T>[]): string[] {
  const c = summarize(outcomes);
  const lines = [`${title}: ${c.done} done, ${c.failed} failed, ${c.skipped} skipped, ${c.unknown} unknown`];
  const reasons = new Map<string, number>();
  for (const o of outcomes) {
    if (o.status !== 'failed' && o.status !== 'unknown') continue;
    const reason = `${o.status}: ${maskPersonal(o.reason, peopleIn(o.item))}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const [reason, n] of reasons) lines.push(`${title}: ${n} × ${reason}`);
  return lines;
}
