import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { summarize } from '../../core/jobs/each';
import { type Outcome } from '../../core/jobs/bulkTask';
import {
  reportCsv,
  reportMarkdown,
  reportOf,
  reportSummaryLines,
  reportText,
  type JobReport,
} from '../../core/jobs/report';
import type { ReadOnlyDocuments } from '../documents';
import type { Log } from '../outputLog';

export { removalNote, type RemovalKind } from '../../core/changes/words';

/**
 * The one summary every bulk action ends with: done, failed, skipped, unknown, and (where the
 * command checked items before sending) how many it rejected.
 */
export function summaryOf<T>(title: string, outcomes: readonly Outcome<T>[], rejected?: number): string {
  const c = summarize(outcomes);
  return rejected === undefined
    ? vscode.l10n.t(
        '{0}: {1} done, {2} failed, {3} skipped, {4} unknown.',
        title,
        c.done,
        c.failed,
        c.skipped,
        c.unknown,
      )
    : vscode.l10n.t(
        '{0}: {1} done, {2} failed, {3} skipped, {4} unknown, {5} rejected before sending.',
        title,
        c.done,
        c.failed,
        c.skipped,
        c.unknown,
        rejected,
      );
}

/** A report kept as a record: who it is about (an offboarding's person). */
export interface RecordInfo {
  readonly subject: string;
}

/** Keeps the last report, opens it as a document, saves it as CSV or Markdown. */
export class Reports {
  private last: JobReport | undefined;

  constructor(
    private readonly log: Log,
    private readonly documents: ReadOnlyDocuments,
  ) {}

  async open(report = this.last): Promise<vscode.TextEditor | undefined> {
    if (!report) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No bulk job has finished in this window yet.'));
      return undefined;
    }
    return this.documents.show(
      `${report.title.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'Report'} report.txt`,
      reportText(report),
    );
  }

  async saveCsv(report = this.last, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    return this.save(report, 'csv', target);
  }

  async saveMarkdown(report = this.last, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    return this.save(report, 'md', target);
  }

  private async save(
    report: JobReport | undefined,
    format: 'csv' | 'md',
    target?: vscode.Uri,
  ): Promise<vscode.Uri | undefined> {
    if (!report) return undefined;
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const name =
      report.subject !== undefined
        ? `${
            report.title
              .replace(/[^\w.@-]+/g, '-')
              .replace(/^-+|-+$/g, '')
              .toLowerCase() || 'record'
          }`
        : 'workspace-access-report';
    const filters: Record<string, string[]> = format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] };
    const title =
      format === 'csv' ? vscode.l10n.t('Save the report as CSV') : vscode.l10n.t('Save the report as Markdown');
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title,
        defaultUri: vscode.Uri.joinPath(base, `${name}.${format}`),
        filters,
      }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(
      uri,
      Buffer.from(format === 'csv' ? reportCsv(report) : reportMarkdown(report), 'utf8'),
    );
    // It names people: readable by its owner only.
    if (uri.scheme === 'file') await fs.promises.chmod(uri.fsPath, 0o600).catch(() => undefined);
    return uri;
  }

  /**
   * Logs every outcome and shows one summary naming the first problems, with "Show Details" (the
   * report as a document) and "Save as CSV". Nothing is dropped: every item is in the log and the report.
   */
  show<T>(
    title: string,
    outcomes: readonly Outcome<T>[],
    label: (item: T) => string,
    rejected?: number,
    record?: RecordInfo,
  ): JobReport {
    const report: JobReport = {
      ...reportOf(title, outcomes, label),
      ...(record ? { subject: record.subject, finished: new Date().toISOString() } : {}),
    };
    this.last = report;
    // Who: debug only (emails and names are personal data). Counts and failure reasons: info.
    for (const line of reportText(report).split('\n').slice(1, -1)) this.log.debug(`${title}: ${line}`);
    for (const line of reportSummaryLines(title, outcomes)) this.log.info(line);
    const summary = summaryOf(title, outcomes, rejected);
    const problems = outcomes.flatMap((o) => (o.status === 'done' ? [] : [`${label(o.item)}: ${o.reason}`]));
    const notes = outcomes.flatMap((o) => (o.status === 'done' && o.note ? [`${label(o.item)}: ${o.note}`] : []));
    const details = vscode.l10n.t('Show Details');
    const save = vscode.l10n.t('Save as CSV');
    const markdown = vscode.l10n.t('Save as Markdown');
    // A record is worth keeping even for one item.
    const actions = record ? [details, save, markdown] : outcomes.length > 1 ? [details, save] : [];
    const act = (picked: string | undefined) => {
      if (picked === details) void this.open(report);
      else if (picked === save) void this.saveCsv(report);
      else if (picked === markdown) void this.saveMarkdown(report);
    };
    if (problems.length === 0) {
      const text = notes.length
        ? `${summary} ${notes.slice(0, 3).join(' · ')}${notes.length > 3 ? ' …' : ''}`
        : summary;
      void vscode.window.showInformationMessage(text, ...actions).then(act);
    } else {
      const first = problems.slice(0, 3).join(' · ') + (problems.length > 3 ? ' …' : '');
      void vscode.window
        .showWarningMessage(`${summary} ${first}`, ...(actions.length ? actions : [details, save]))
        .then(act);
    }
    return report;
  }
}
