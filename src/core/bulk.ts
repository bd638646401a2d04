/** Multi-item work: bounded concurrency, cancellation, and a final outcome for every item. */
export type Outcome<T> =
  | { readonly item: T; readonly status: 'done'; readonly note?: string }
  | { readonly item: T; readonly status: 'failed'; readonly reason: string }
  | { readonly item: T; readonly status: 'skipped'; readonly reason: string };

export interface RunOptions {
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  /** Called after each item settles. */
  readonly onSettled?: (settled: number, total: number) => void;
}

/**
 * Runs `work` for each item, at most `concurrency` at a time. A failure is that item's outcome and
 * never stops the others; after cancellation, items not started are skipped. Outcomes keep input order.
 * A string the work returns is kept as the done item's note ("request sent to admins", say).
 */
export async function runEach<T>(items: readonly T[], work: (item: T, signal: AbortSignal) => Promise<unknown>, options: RunOptions): Promise<Outcome<T>[]> {
  const outcomes: Outcome<T>[] = new Array<Outcome<T>>(items.length);
  const signal = options.signal ?? new AbortController().signal;
  let next = 0;
  let settled = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      if (signal.aborted) {
        outcomes[i] = { item, status: 'skipped', reason: 'cancelled before it started' };
      } else {
        try {
          const result = await work(item, signal);
          outcomes[i] = typeof result === 'string' ? { item, status: 'done', note: result } : { item, status: 'done' };
        } catch (err) {
          outcomes[i] = signal.aborted
            ? { item, status: 'skipped', reason: 'cancelled' }
            : { item, status: 'failed', reason: err instanceof Error ? err.message : String(err) };
        }
      }
      options.onSettled?.(++settled, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker));
  return outcomes;
}

export function summarize<T>(outcomes: readonly Outcome<T>[]): { done: number; failed: number; skipped: number } {
  return {
    done: outcomes.filter((o) => o.status === 'done').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
  };
}
