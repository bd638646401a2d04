/**
 * The engine's units of work (an item, or a batch of them), how a failed request is classified
 * into what to do next, and the queue a job starts with (journal outcomes kept, what was in flight
 * checked first, the rest batched where the task can).
 */
import { ApiError, isCancelled, isServerTrouble, mayHaveActed } from '../http/errors';
import { SkippedError, type BulkTask, type ItemResult, type JobOptions } from './bulkTask';

export function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface Unit<T> {
  readonly items: T[];
  /** `resolve`: the last request's answer was lost; check before sending again. */
  phase: 'run' | 'resolve';
  attempts: number;
  limited: number;
  /** When its first 429 came (the window's clock): an item waits for rate limits a bounded time in all. */
  limitedSince?: number;
  /** Checks that could not be read. */
  checks?: number;
  /** Why the item is being resolved (shown when the outcome stays unknown). */
  lost?: string;
}

/** Checks of an item in doubt that may fail before its outcome stays unknown. */
export const MAX_CHECKS = 6;
/** 429s one item may meet before it fails (the `maxRateLimited` job option's default). */
export const DEFAULT_MAX_RATE_LIMITED = 12;
/** Tries after lost answers before an item's outcome is unknown (`maxAttempts`). */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** How long requests in flight may finish after a cancel (`graceMs`). */
export const DEFAULT_GRACE_MS = 5_000;
export const LOST =
  'the request was sent but its answer was lost, and it cannot be checked; look before sending it again';
/** Server failures in a row (with no success between) that make an outage, at the least. */
export const MIN_OUTAGE_FAILURES = 4;

/** What the engine does about a unit whose request failed: the error is classified once, here. */
export type Action =
  | { readonly do: 'skip'; readonly reason: string }
  | { readonly do: 'rate-limited'; readonly err: ApiError }
  | { readonly do: 'not-sent' }
  | { readonly do: 'cut-off' }
  | { readonly do: 'check-again'; readonly reason: string; readonly congested: boolean; readonly retryAfterMs?: number }
  | { readonly do: 'lost'; readonly reason: string; readonly congested: boolean; readonly retryAfterMs?: number }
  | { readonly do: 'fail'; readonly reason: string };

export function classify<T>(err: unknown, unit: Unit<T>, hardStopped: boolean, maxAttempts: number): Action {
  if (err instanceof SkippedError) return { do: 'skip', reason: err.message };
  if (err instanceof ApiError && err.status === 429) return { do: 'rate-limited', err };
  // A 5xx or a timeout: the window treats it like a refusal.
  const congested = isServerTrouble(err);
  const retryAfterMs = err instanceof ApiError ? err.retryAfterMs : undefined;
  if (
    err instanceof ApiError &&
    (err.kind === 'network' || err.kind === 'timeout') &&
    !mayHaveActed(err) &&
    unit.attempts + 1 <= maxAttempts
  )
    return { do: 'not-sent' };
  if (hardStopped && isCancelled(err)) return { do: 'cut-off' };
  if (unit.phase === 'resolve' && !isCancelled(err))
    return { do: 'check-again', reason: reasonOf(err), congested, retryAfterMs };
  if (mayHaveActed(err) && !isCancelled(err)) return { do: 'lost', reason: reasonOf(err), congested, retryAfterMs };
  return { do: 'fail', reason: reasonOf(err) };
}

/**
 * The engine's queue: taking from the front costs the same with 20,000 units as with 20 (an array's
 * shift moves every unit behind it). `unshift` puts a unit back at the front.
 */
export class UnitQueue<U> {
  /** Units put back at the front, the last one first. */
  private readonly front: U[] = [];
  private head = 0;

  constructor(private back: U[]) {}

  get length(): number {
    return this.front.length + this.back.length - this.head;
  }

  push(unit: U): void {
    this.back.push(unit);
  }

  unshift(unit: U): void {
    this.front.push(unit);
  }

  shift(): U | undefined {
    if (this.front.length) return this.front.pop();
    if (this.head >= this.back.length) return undefined;
    const unit = this.back[this.head++];
    // Drop what was taken once it is most of the array.
    if (this.head > 1024 && this.head * 2 > this.back.length) {
      this.back = this.back.slice(this.head);
      this.head = 0;
    }
    return unit;
  }

  /** Every unit left, front first; the queue is empty after. */
  drain(): U[] {
    const all = [...this.front.reverse(), ...this.back.slice(this.head)];
    this.front.length = 0;
    this.back = [];
    this.head = 0;
    return all;
  }
}

/** The queue at the start: journal outcomes are kept, what was in flight is checked first, the rest batched when possible. */
export function initialQueue<T>(
  items: readonly T[],
  task: BulkTask<T>,
  prior: JobOptions['prior'],
  keep: (item: T, result: ItemResult) => void,
): Unit<T>[] {
  const queue: Unit<T>[] = [];
  const pending: T[] = [];
  for (const item of items) {
    const state = prior?.get(task.key(item));
    if (state === undefined) pending.push(item);
    else if (state === 'sending')
      queue.push({
        items: [item],
        phase: 'resolve',
        attempts: 1,
        limited: 0,
        lost: 'the window closed while it was being sent',
      });
    else keep(item, state);
  }
  if (!task.batch || task.batch.size <= 1) {
    for (const item of pending) queue.push({ items: [item], phase: 'run', attempts: 0, limited: 0 });
    return queue;
  }
  const groups = new Map<string, T[]>();
  for (const item of pending) {
    const g = task.batch.group?.(item) ?? '';
    const list = groups.get(g);
    if (list) list.push(item);
    else groups.set(g, [item]);
  }
  for (const list of groups.values()) {
    for (let i = 0; i < list.length; i += task.batch.size)
      queue.push({ items: list.slice(i, i + task.batch.size), phase: 'run', attempts: 0, limited: 0 });
  }
  return queue;
}
