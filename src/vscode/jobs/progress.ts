import * as vscode from 'vscode';
import { runEach } from '../../core/jobs/each';
import { type Outcome } from '../../core/jobs/bulkTask';
import type { Reports } from './reports';
import { maxConcurrency } from '../settings';

export interface ItemsJob<T> {
  /** "Lock members", shown in the notification and the summary. */
  readonly title: string;
  readonly items: readonly T[];
  readonly label: (item: T) => string;
  readonly work: (item: T, signal: AbortSignal) => Promise<unknown>;
  /** The connection it runs on, by label, for the report's header. */
  readonly connection?: string;
}

/** A cancellable notification that counts settled items; cancelling stops new requests. */
export function withJobProgress<R>(
  title: string,
  run: (signal: AbortSignal, onSettled: (n: number, total: number) => void) => Promise<R>,
): Thenable<R> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      return run(controller.signal, (n, total) => {
        const percent = (100 * n) / Math.max(1, total);
        progress.report({ increment: percent - reported, message: `${n}/${total}` });
        reported = percent;
      });
    },
  );
}

/**
 * Multi-item work that needs no journal (quick edits of the items in view): the bulk engine, a
 * cancellable notification, then one summary and a report. Nothing is dropped silently.
 */
export async function runWithProgress<T>(reports: Reports, job: ItemsJob<T>): Promise<Outcome<T>[]> {
  const outcomes = await withJobProgress(job.title, (signal, onSettled) =>
    runEach(job.items, job.work, { concurrency: maxConcurrency(), signal, onSettled }),
  );
  reports.show(job.title, outcomes, job.label, job.connection ? { connections: [job.connection] } : {});
  return outcomes;
}
