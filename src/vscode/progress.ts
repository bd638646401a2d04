import * as vscode from 'vscode';
import { runEach, summarize, type Outcome } from '../core/bulk';
import type { Log } from './log';

export interface ItemsJob<T> {
  /** "Lock members", shown in the notification and the summary. */
  readonly title: string;
  readonly items: readonly T[];
  readonly label: (item: T) => string;
  readonly work: (item: T, signal: AbortSignal) => Promise<unknown>;
  readonly concurrency?: number;
}

/** The last report, for "Show Details". */
let lastReport: string | undefined;

/**
 * Multi-item work with a cancellable notification, then one summary naming every item that did
 * not succeed. Nothing is dropped silently: every item has an outcome in the log and the report.
 */
export async function runWithProgress<T>(log: Log, job: ItemsJob<T>): Promise<Outcome<T>[]> {
  const outcomes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: job.title, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const step = 100 / Math.max(1, job.items.length);
      return runEach(job.items, job.work, {
        concurrency: job.concurrency ?? 4,
        signal: controller.signal,
        onSettled: (n, total) => progress.report({ increment: step, message: `${n}/${total}` }),
      });
    },
  );
  const counts = summarize(outcomes);
  const lines = outcomes.map((o) => `${o.status === 'done' ? '✓' : o.status === 'failed' ? '✗' : '–'} ${job.label(o.item)}${o.status === 'done' ? (o.note ? `: ${o.note}` : '') : `: ${o.reason}`}`);
  lastReport = `${job.title}\n${lines.join('\n')}\n`;
  for (const line of lines) log.info(`${job.title}: ${line}`);
  const summary = vscode.l10n.t('{0}: {1} done, {2} failed, {3} skipped.', job.title, counts.done, counts.failed, counts.skipped);
  const problems = outcomes.flatMap((o) => (o.status === 'done' ? [] : [`${job.label(o.item)}: ${o.reason}`]));
  const notes = outcomes.flatMap((o) => (o.status === 'done' && o.note ? [`${job.label(o.item)}: ${o.note}`] : []));
  if (problems.length === 0) {
    const done = outcomes.length === 1 ? vscode.l10n.t('{0}: done.', job.title) : summary;
    void vscode.window.showInformationMessage(notes.length ? `${done} ${notes.slice(0, 3).join(' · ')}${notes.length > 3 ? ' …' : ''}` : done);
  } else {
    const details = vscode.l10n.t('Show Details');
    const first = problems.slice(0, 3).join(' · ') + (problems.length > 3 ? ' …' : '');
    void vscode.window.showWarningMessage(`${summary} ${first}`, details).then(async (picked) => {
      if (picked === details) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: lastReport, language: 'plaintext' }));
    });
  }
  return outcomes;
}
