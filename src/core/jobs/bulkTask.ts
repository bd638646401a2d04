/**
 * The job engine's contract: a task (how an item is keyed, sent, checked and batched), what it
 * says of each item, and what a job reports. The engine (engine.ts) runs any task; the one task of
 * changes (core/changes/task.ts) is what every front end runs.
 */
import type { WindowOptions } from './sendWindow';

export type ItemResult =
  | { readonly status: 'done'; readonly note?: string }
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'skipped'; readonly reason: string }
  /** The request went out but its answer was lost, and nothing could tell whether it took effect. */
  | { readonly status: 'unknown'; readonly reason: string };

export type Outcome<T> = ItemResult & { readonly item: T };
export type OutcomeStatus = ItemResult['status'];

/** What a batch call says of one of its items; `single` sends that item again on its own. */
export type BatchResult = ItemResult | 'single';

export interface BulkTask<T> {
  /** Stable across a reload: the journal records outcomes under it. */
  readonly key: (item: T) => string;
  /** Does the work for one item; a string it returns is kept as the outcome's note. */
  readonly run: (item: T, signal: AbortSignal) => Promise<unknown>;
  /**
   * Reads whether the item's change is already in effect: true (done), false (not, so sending is
   * safe), undefined (cannot tell). Used after a lost answer and on resume, so nothing is sent twice.
   */
  readonly verify?: (item: T, signal: AbortSignal) => Promise<boolean | undefined>;
  /** Sending the item twice leaves the same state (a share that sets a role): then a lost answer that cannot be checked is sent again. */
  readonly idempotent?: boolean | ((item: T) => boolean);
  /** The platform's many-at-once call: items with the same group go together, `size` at most. */
  readonly batch?: {
    readonly size: number;
    readonly group?: (item: T) => string;
    readonly run: (items: readonly T[], signal: AbortSignal) => Promise<ReadonlyMap<string, BatchResult>>;
  };
}

/** Where the engine writes each step; a job whose process dies can be resumed from it. */
export interface JobLog {
  /** Written before a request for these items goes out. */
  sending(keys: readonly string[]): void;
  /** The item goes back to the queue (a 429: the server did not act). */
  requeued(key: string): void;
  settled(key: string, result: ItemResult): void;
}

/** What a journal says of an item from an earlier run. */
export type PriorState = 'sending' | ItemResult;

export interface JobOptions extends WindowOptions {
  /** Stops starting items; those in flight get `graceMs` to finish. */
  readonly signal?: AbortSignal;
  readonly graceMs?: number;
  readonly journal?: JobLog;
  /** From the journal of an interrupted run of the same job. */
  readonly prior?: ReadonlyMap<string, PriorState>;
  readonly onSettled?: (settled: number, total: number) => void;
  /** 429s one item may meet before it fails. */
  readonly maxRateLimited?: number;
  /** Tries after lost answers before the item's outcome is unknown. */
  readonly maxAttempts?: number;
}

export interface JobStats {
  maxInFlight: number;
  rateLimited: number;
  /** Items confirmed by `verify` after a lost answer or an interruption. */
  verified: number;
  /** Items sent again after a lost answer (idempotent, or verify said not in effect). */
  resent: number;
  window: number;
}

export interface JobResult<T> {
  readonly outcomes: Outcome<T>[];
  readonly stats: JobStats;
  /**
   * Set when the job stopped because the server failed a whole round of requests (an outage). Items
   * not sent yet are skipped in `outcomes` without a journal line, and those whose answer was lost are
   * still marked as being sent: a resume checks the latter and sends the former.
   */
  readonly paused?: string;
}

/** Whether the task may send this item twice. */
export const repeats = <T>(task: Pick<BulkTask<T>, 'idempotent'>, item: T): boolean =>
  typeof task.idempotent === 'function' ? task.idempotent(item) : !!task.idempotent;

/** Thrown by a task's run to end the item as skipped (with the reason) instead of failed. */
export class SkippedError extends Error {
  override readonly name = 'SkippedError';
}
