import * as os from 'node:os';
import * as vscode from 'vscode';
import { summarize } from '../../core/jobs/each';
import { type Outcome } from '../../core/jobs/bulkTask';
import { writePrivateFile } from '../../core/privateFile';
import {
  countsWords,
  KEPT,
  reportCsv,
  reportDocument,
  reportMarkdown,
  reportOf,
  reportSummaryLines,
  type JobReport,
} from '../../core/jobs/report';
import type { ReadOnlyDocuments } from '../documents';
import type { Log } from '../outputLog';

export { removalNote, type RemovalKind } from '../../core/changes/words';

/**
 * The one summary every bulk action ends with: done, failed, skipped, unknown, and (where the
 * command checked items before sending) what it did not send, in words ("1 already a member, 2
 * duplicates, 1 rejected").
 */
export function summaryOf<T>(title: string, outcomes: readonly Outcome<T>[], notSent?: string): string {
  const c = summarize(outcomes);
  return notSent === undefined
    ? vscode.l10n.t(
        '{0}: {1} done, {2} failed, {3} skipped, {4} unknown.',
        title,
        c.done,
        c.failed,
        c.skipped,
        c.unknown,
      )
    : vscode.l10n.t(
        '{0}: {1} done, {2} failed, {3} skipped, {4} unknown; not sent: {5}.',
        title,
        c.done,
        c.failed,
        c.skipped,
        c.unknown,
        notSent,
      );
}

/** A report kept as a record: who it is about (an offboarding's person), and what they chose to keep. */
export interface RecordInfo {
  /** The member's own email, as the platform lists it. */
  readonly subject: string;
  /** Changes the preview offered that were unticked, each with why it was kept. */
  readonly kept?: readonly { readonly label: string; readonly why: string }[];
}

/** What a job ran on and what it is about, for its report's header and its name in the save list. */
export interface ReportContext {
  /** What the command did not send after checking (an invitation list's members, duplicates, bad rows), in words. */
  readonly notSent?: string;
  readonly record?: RecordInfo;
  /** The connection(s) the job ran on, by label. */
  readonly connections?: readonly string[];
}

/**
 * How many finished reports this window keeps to save later (newest first). Only in memory, for
 * the window's session: they name people, and nothing is kept longer than the job needs.
 */
export const KEPT_REPORTS = 10;

type Format = 'csv' | 'md';

/** Keeps the last few reports, opens one as a document, saves one as CSV or Markdown. */
export class Reports {
  /** Newest first, at most KEPT_REPORTS. */
  private recent: JobReport[] = [];

  constructor(
    private readonly log: Log,
    private readonly documents: ReadOnlyDocuments,
  ) {}

  /** The reports this window can still save, newest first. */
  list(): readonly JobReport[] {
    return this.recent;
  }

  private get last(): JobReport | undefined {
    return this.recent[0];
  }

  private keep(report: JobReport): void {
    this.recent = [report, ...this.recent].slice(0, KEPT_REPORTS);
  }

  async open(report = this.last): Promise<vscode.TextEditor | undefined> {
    if (!report) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No bulk job has finished in this window yet.'));
      return undefined;
    }
    return this.documents.show(
      `${report.title.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'Report'} report.txt`,
      reportDocument(report),
    );
  }

  async saveCsv(report = this.last, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    return this.save(report, 'csv', target);
  }

  async saveMarkdown(report = this.last, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    return this.save(report, 'md', target);
  }

  /**
   * Save Job Report or Offboarding Record…: one of the last few reports (newest first, each named
   * by what, when and where), then the format, then the file. `target` skips the save dialog.
   */
  async saveEarlier(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (this.recent.length === 0) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('No job has finished in this window yet: reports are kept for this window only.'),
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      this.recent.map((report) => ({
        label: report.subject !== undefined ? `$(account) ${report.title}` : report.title,
        description: [
          report.finished ? new Date(report.finished).toLocaleString() : undefined,
          report.connections?.join(', '),
        ]
          .filter(Boolean)
          .join(' · '),
        detail:
          report.subject !== undefined ? `${vscode.l10n.t('Record')} · ${countsWords(report)}` : countsWords(report),
        report,
      })),
      {
        title: vscode.l10n.t('Save a Job Report or Offboarding Record'),
        placeHolder: vscode.l10n.t('The last {0} jobs of this window, newest first', KEPT_REPORTS),
        matchOnDescription: true,
        matchOnDetail: true,
        ignoreFocusOut: true,
      },
    );
    if (!picked) return undefined;
    const markdown = { label: vscode.l10n.t('Markdown'), format: 'md' as Format };
    const csv = { label: vscode.l10n.t('CSV'), format: 'csv' as Format };
    const byName: Format = target?.path.endsWith('.csv') ? 'csv' : 'md';
    const wanted = target ? { format: byName } : undefined;
    const format =
      wanted ??
      (await vscode.window.showQuickPick(picked.report.subject !== undefined ? [markdown, csv] : [csv, markdown], {
        title: vscode.l10n.t('Save "{0}" as', picked.report.title),
        ignoreFocusOut: true,
      }));
    if (!format) return undefined;
    return this.save(picked.report, format.format, target);
  }

  private async save(
    report: JobReport | undefined,
    format: Format,
    target?: vscode.Uri,
  ): Promise<vscode.Uri | undefined> {
    if (!report) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No bulk job has finished in this window yet.'));
      return undefined;
    }
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
    const text = format === 'csv' ? reportCsv(report) : reportMarkdown(report);
    // It names people: readable by its owner only, from its first byte.
    if (uri.scheme === 'file') writePrivateFile(uri.fsPath, text);
    else await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    this.log.debug(`${report.title}: report saved as ${format.toUpperCase()}`);
    this.confirmSaved(report, uri);
    return uri;
  }

  /** "Saved … to file", with Open and Reveal. */
  private confirmSaved(report: JobReport, uri: vscode.Uri): void {
    const openIt = vscode.l10n.t('Open');
    const reveal = vscode.l10n.t('Reveal');
    const file = uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
    void vscode.window
      .showInformationMessage(
        report.subject !== undefined
          ? vscode.l10n.t('The record "{0}" is saved to {1}.', report.title, file)
          : vscode.l10n.t('The report "{0}" is saved to {1}.', report.title, file),
        openIt,
        reveal,
      )
      .then((picked) => {
        if (picked === openIt) void vscode.commands.executeCommand('vscode.open', uri);
        else if (picked === reveal) void vscode.commands.executeCommand('revealFileInOS', uri);
      });
  }

  /**
   * Logs every outcome and shows one summary naming the first problems, with "Show Details" (the
   * report as a document) and "Save as CSV" (a record also "Save as Markdown"). Showing the details
   * brings the summary back, so its saves stay at hand; and the report stays in the save list.
   * Nothing is dropped: every item is in the log and the report.
   */
  show<T>(
    title: string,
    outcomes: readonly Outcome<T>[],
    label: (item: T) => string,
    context: ReportContext = {},
  ): JobReport {
    const { notSent, record } = context;
    const base = reportOf(title, outcomes, label);
    const report: JobReport = {
      ...base,
      rows: [...base.rows, ...(record?.kept ?? []).map((k) => [k.label, KEPT, k.why] as const)],
      finished: new Date().toISOString(),
      ...(context.connections?.length ? { connections: context.connections } : {}),
      ...(record ? { subject: record.subject } : {}),
    };
    this.keep(report);
    // Who: debug only (emails and names are personal data). Counts and failure reasons: info.
    for (const [item, status, detail] of report.rows)
      this.log.debug(`${title}: ${status} ${item}${detail ? `: ${detail}` : ''}`);
    for (const line of reportSummaryLines(title, outcomes)) this.log.info(line);
    const summary = summaryOf(title, outcomes, notSent);
    const problems = outcomes.flatMap((o) => (o.status === 'done' ? [] : [`${label(o.item)}: ${o.reason}`]));
    const notes = outcomes.flatMap((o) => (o.status === 'done' && o.note ? [`${label(o.item)}: ${o.note}`] : []));
    const details = vscode.l10n.t('Show Details');
    const save = vscode.l10n.t('Save as CSV');
    const markdown = vscode.l10n.t('Save as Markdown');
    // A record is worth keeping even for one item.
    const actions = record ? [details, save, markdown] : outcomes.length > 1 ? [details, save] : [];
    const text =
      problems.length === 0
        ? notes.length
          ? `${summary} ${notes.slice(0, 3).join(' · ')}${notes.length > 3 ? ' …' : ''}`
          : summary
        : `${summary} ${problems.slice(0, 3).join(' · ')}${problems.length > 3 ? ' …' : ''}`;
    const notify = (offered: readonly string[]) =>
      (problems.length === 0
        ? vscode.window.showInformationMessage(text, ...offered)
        : vscode.window.showWarningMessage(text, ...offered)
      ).then((picked) => {
        if (picked === details) {
          void this.open(report);
          // The notification closed with the click: it comes back with its saves.
          void notify(offered.filter((a) => a !== details));
        } else if (picked === save) void this.saveCsv(report);
        else if (picked === markdown) void this.saveMarkdown(report);
      });
    void notify(problems.length === 0 || actions.length ? actions : [details, save]);
    return report;
  }
}
