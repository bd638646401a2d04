/**
 * Work on a few items without a journal (a quick command on selected members): each in its own
 * try, a failure that item's outcome, and the counts for the summary.
 */
import type { Outcome, OutcomeStatus } from './bulkTask';
import { runJob } from './engine';

export interface RunOptions {
  /** The most requests in flight; the window adapts below it. */
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  readonly onSettled?: (settled: number, total: number) => void;
}

/**
 * The engine for an ad-hoc list (no journal): `work` per item, its index as the key. A string the
 * work returns is kept as the done item's note ("request sent to admins", say).
 */
export async function runEach<T>(
  items: readonly T[],
  work: (item: T, signal: AbortSignal) => Promise<unknown>,
  options: RunOptions,
): Promise<Outcome<T>[]> {
  const wrapped = items.map((item, i) => ({ item, i }));
  const { outcomes } = await runJob(
    wrapped,
    { key: (w) => String(w.i), run: (w, signal) => work(w.item, signal) },
    {
      maxConcurrency: options.concurrency,
      signal: options.signal,
      onSettled: options.onSettled,
    },
  );
  return outcomes.map((o) => ({ ...o, item: o.item.item }));
}

export function summarize<T>(outcomes: readonly Outcome<T>[]): Record<OutcomeStatus, number> {
  const counts: Record<OutcomeStatus, number> = { done: 0, failed: 0, skipped: 0, unknown: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}
