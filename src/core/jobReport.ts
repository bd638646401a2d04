/**
 * The end of a bulk job as rows (item, outcome, reason or note): text for a document, CSV for a
 * file. A CSV cell is never a live formula in a spreadsheet, whatever a platform named things.
 */
import { stringify } from 'csv-stringify/sync';
import { summarize, type Outcome } from './bulk';

export interface JobReport {
  readonly title: string;
  readonly rows: readonly (readonly [item: string, outcome: string, detail: string])[];
}

const MARK: Record<Outcome<unknown>['status'], string> = { done: '✓', failed: '✗', skipped: '–', unknown: '?' };

export function reportOf<T>(title: string, outcomes: readonly Outcome<T>[], label: (item: T) => string): JobReport {
  return { title, rows: outcomes.map((o) => [label(o.item), o.status, o.status === 'done' ? (o.note ?? '') : o.reason] as const) };
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
 * prefixed with `'`, as OWASP's CSV-injection advice says: `=HYPERLINK(…)` stays text.
 */
export function neutralizeCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export function reportCsv(report: JobReport): string {
  return stringify([['item', 'outcome', 'detail'], ...report.rows.map((row) => row.map(neutralizeCell))]);
}

export function reportText(report: JobReport): string {
  return `${report.title}\n${report.rows.map(([item, status, detail]) => `${MARK[status as keyof typeof MARK] ?? ' '} ${item}${detail ? `: ${detail}` : ''}`).join('\n')}\n`;
}

const EMAILS = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+/g;

/**
 * What the log keeps of a job at info level: counts, and each distinct failure reason with how many
 * items it hit, emails masked. The per-item lines (who) go to debug; the report keeps the detail.
 */
export function reportSummaryLines<T>(title: string, outcomes: readonly Outcome<T>[]): string[] {
  const c = summarize(outcomes);
  const lines = [`${title}: ${c.done} done, ${c.failed} failed, ${c.skipped} skipped, ${c.unknown} unknown`];
  const reasons = new Map<string, number>();
  for (const o of outcomes) {
    if (o.status !== 'failed' && o.status !== 'unknown') continue;
    const reason = `${o.status}: ${o.reason.replace(EMAILS, '<email>')}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const [reason, n] of reasons) lines.push(`${title}: ${n} × ${reason}`);
  return lines;
}
