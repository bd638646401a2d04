/**
 * The bulk engine: every multi-item action runs through it. It keeps as many requests in flight as
 * the server takes (an adaptive window), re-queues rate-limited items, never repeats a write whose
 * outcome it does not know without checking first, journals each step when asked, and gives every
 * item a final outcome.
 */
import { ApiError, isCancelled } from './http/errors';
import { markEngineSignal } from './http/scope';
import { AdaptiveWindow, type WindowOptions } from './window';

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
  /** Sending the item twice leaves the same state (a share that sets a role). Used when there is no verify. */
  readonly idempotent?: boolean;
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
}

/** Thrown by a task's run to end the item as skipped (with the reason) instead of failed. */
export class SkippedError extends Error {
  override readonly name = 'SkippedError';
}

/** Whether a failed request may still have taken effect on the server. */
export function mayHaveActed(err: unknown): boolean {
  // Anything but an ApiError was thrown by our own code before or after the call, not by a lost answer.
  if (!(err instanceof ApiError)) return false;
  switch (err.kind) {
    case 'http':
      return (err.status ?? 0) >= 500;
    case 'network':
      return !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'].includes(err.code ?? '');
    case 'timeout':
      return err.code !== 'UND_ERR_CONNECT_TIMEOUT';
    case 'unexpected-response':
      return true;
    case 'cancelled':
      return true;
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface Unit<T> {
  readonly items: T[];
  /** `resolve`: the last request's answer was lost; check before sending again. */
  phase: 'run' | 'resolve';
  attempts: number;
  limited: number;
  /** Checks that could not be read. */
  checks?: number;
  /** Why the item is being resolved (shown when the outcome stays unknown). */
  lost?: string;
}

const MAX_CHECKS = 6;
const LOST = 'the request was sent but its answer was lost, and it cannot be checked; look before sending it again';

/**
 * Runs a task over items. A failure is that item's outcome and never stops the others. Outcomes
 * keep input order. With `prior`, items a journal shows finished keep their outcome and are not
 * sent; items it shows in flight are checked (verify) before anything is sent for them.
 */
export async function runJob<T>(items: readonly T[], task: BulkTask<T>, options: JobOptions): Promise<JobResult<T>> {
  const window = new AdaptiveWindow(options);
  const stats: JobStats = { maxInFlight: 0, rateLimited: 0, verified: 0, resent: 0, window: window.size };
  const results = new Map<string, ItemResult>();
  if (new Set(items.map(task.key)).size !== items.length) throw new Error('Bulk job: two items have the same key.');
  const cancel = options.signal ?? new AbortController().signal;
  const hard = new AbortController();
  markEngineSignal(hard.signal, { verifies: task.verify !== undefined });
  const maxLimited = options.maxRateLimited ?? 12;
  const maxAttempts = options.maxAttempts ?? 3;
  let settledCount = 0;

  const settle = (item: T, result: ItemResult) => {
    const key = task.key(item);
    if (results.has(key)) return;
    results.set(key, result);
    options.journal?.settled(key, result);
    options.onSettled?.(++settledCount, items.length);
  };

  // The queue: journal outcomes first, then what was in flight, then the rest (batched when possible).
  const queue: Unit<T>[] = [];
  const pending: T[] = [];
  for (const item of items) {
    const prior = options.prior?.get(task.key(item));
    if (prior === undefined) pending.push(item);
    else if (prior === 'sending') queue.push({ items: [item], phase: 'resolve', attempts: 1, limited: 0, lost: 'the window closed while it was being sent' });
    else {
      results.set(task.key(item), prior);
      options.onSettled?.(++settledCount, items.length);
    }
  }
  if (task.batch && task.batch.size > 1) {
    const groups = new Map<string, T[]>();
    for (const item of pending) {
      const g = task.batch.group?.(item) ?? '';
      const list = groups.get(g);
      if (list) list.push(item);
      else groups.set(g, [item]);
    }
    for (const list of groups.values()) {
      for (let i = 0; i < list.length; i += task.batch.size) queue.push({ items: list.slice(i, i + task.batch.size), phase: 'run', attempts: 0, limited: 0 });
    }
  } else {
    for (const item of pending) queue.push({ items: [item], phase: 'run', attempts: 0, limited: 0 });
  }

  let inFlight = 0;
  let wake: ReturnType<typeof setTimeout> | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const checkDone = () => {
    if (inFlight === 0 && (queue.length === 0 || cancel.aborted)) {
      for (const unit of queue.splice(0)) {
        // An item waiting for its check was sent already: its outcome is unknown, not skipped.
        for (const item of unit.items) settle(item, unit.phase === 'resolve' ? { status: 'unknown', reason: `${unit.lost ?? 'the answer was lost'}, and the job was cancelled before it could be checked` } : { status: 'skipped', reason: 'cancelled before it started' });
      }
      if (wake) clearTimeout(wake);
      finish();
    }
  };

  const pump = () => {
    if (cancel.aborted) return checkDone();
    while (queue.length > 0 && inFlight < window.size) {
      const wait = window.pausedFor();
      if (wait > 0) {
        if (!wake) wake = setTimeout(() => ((wake = undefined), pump()), wait);
        break;
      }
      void start(queue.shift()!);
    }
    checkDone();
  };

  /** Sends the unit's request inside the bulk scope, journaling first. */
  const send = async (unit: Unit<T>): Promise<void> => {
    const keys = unit.items.map(task.key);
    options.journal?.sending(keys);
    const signal = hard.signal;
    if (unit.items.length > 1 && task.batch) {
      const answers = await task.batch.run(unit.items, signal);
      for (const item of unit.items) {
        const answer = answers.get(task.key(item));
        if (answer === 'single') {
          options.journal?.requeued(task.key(item));
          queue.unshift({ items: [item], phase: 'run', attempts: 0, limited: 0 });
        } else settle(item, answer ?? { status: 'unknown', reason: 'the platform did not say what became of it' });
      }
      return;
    }
    const value = await task.run(unit.items[0], signal);
    settle(unit.items[0], typeof value === 'string' ? { status: 'done', note: value } : { status: 'done' });
  };

  const start = async (unit: Unit<T>): Promise<void> => {
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    const ticket = window.sent();
    let judged = false;
    try {
      if (unit.phase === 'resolve') {
        const item = unit.items[0];
        const known = task.verify ? await task.verify(item, hard.signal) : undefined;
        if (known === true) {
          stats.verified++;
          settle(item, { status: 'done', note: 'confirmed in effect after a lost answer' });
        } else if (known === false || (known === undefined && task.idempotent)) {
          stats.resent++;
          unit.phase = 'run';
          await send(unit);
        } else settle(item, { status: 'unknown', reason: `${unit.lost ?? 'the answer was lost'}: ${LOST}` });
      } else {
        await send(unit);
      }
      window.succeeded(ticket);
      judged = true;
    } catch (err) {
      if (err instanceof SkippedError) {
        for (const item of unit.items) settle(item, { status: 'skipped', reason: err.message });
      } else if (err instanceof ApiError && err.status === 429) {
        stats.rateLimited++;
        window.rateLimited(ticket, err.retryAfterMs);
        judged = true;
        if (++unit.limited > maxLimited) {
          const reason = `still rate limited after ${maxLimited} tries: ${err.message}`;
          // A refused check leaves the earlier lost answer unresolved: unknown, not failed.
          for (const item of unit.items) settle(item, unit.phase === 'resolve' ? { status: 'unknown', reason: `${unit.lost ?? 'the answer was lost'}, and ${reason}` } : { status: 'failed', reason });
        } else {
          // Only a refused write is back to "not sent"; a refused check still has a write in doubt.
          if (unit.phase === 'run') for (const item of unit.items) options.journal?.requeued(task.key(item));
          queue.unshift(unit);
        }
      } else if (err instanceof ApiError && (err.kind === 'network' || err.kind === 'timeout') && !mayHaveActed(err) && unit.attempts + 1 <= maxAttempts) {
        // The request never reached the server (refused, no such host): send it again.
        unit.attempts++;
        for (const item of unit.items) if (unit.phase === 'run') options.journal?.requeued(task.key(item));
        queue.push(unit);
      } else if (hard.signal.aborted && isCancelled(err)) {
        for (const item of unit.items) settle(item, { status: 'unknown', reason: 'cancelled while its request was in flight; it may have taken effect' });
      } else if (unit.phase === 'resolve' && !isCancelled(err)) {
        // The check itself failed (its read kept failing): check again later, a few times.
        if ((unit.checks = (unit.checks ?? 0) + 1) > MAX_CHECKS) settle(unit.items[0], { status: 'unknown', reason: `${unit.lost ?? 'the answer was lost'}, and it could not be checked (${reasonOf(err)})` });
        else queue.push(unit);
      } else if (mayHaveActed(err) && !isCancelled(err)) {
        // Each item of a lost batch is checked on its own.
        for (const item of unit.items) {
          if (unit.attempts + 1 > maxAttempts) settle(item, { status: 'unknown', reason: `${reasonOf(err)}: ${LOST}` });
          else queue.unshift({ items: [item], phase: 'resolve', attempts: unit.attempts + 1, limited: unit.limited, lost: reasonOf(err) });
        }
      } else {
        for (const item of unit.items) settle(item, { status: 'failed', reason: reasonOf(err) });
      }
    } finally {
      if (!judged) window.ended(ticket);
      inFlight--;
      stats.window = window.size;
      pump();
    }
  };

  const onCancel = () => {
    setTimeout(() => hard.abort(), options.graceMs ?? 5_000).unref?.();
    pump();
  };
  cancel.addEventListener('abort', onCancel, { once: true });
  pump();
  await finished;
  cancel.removeEventListener('abort', onCancel);
  hard.abort();
  const notStarted: ItemResult = { status: 'skipped', reason: 'cancelled before it started' };
  const outcomes = items.map((item): Outcome<T> => ({ item, ...(results.get(task.key(item)) ?? notStarted) }));
  return { outcomes, stats };
}

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
export async function runEach<T>(items: readonly T[], work: (item: T, signal: AbortSignal) => Promise<unknown>, options: RunOptions): Promise<Outcome<T>[]> {
  const wrapped = items.map((item, i) => ({ item, i }));
  const { outcomes } = await runJob(wrapped, { key: (w) => String(w.i), run: (w, signal) => work(w.item, signal) }, {
    maxConcurrency: options.concurrency,
    signal: options.signal,
    onSettled: options.onSettled,
  });
  return outcomes.map((o) => ({ ...o, item: o.item.item }));
}

export function summarize<T>(outcomes: readonly Outcome<T>[]): Record<OutcomeStatus, number> {
  const counts: Record<OutcomeStatus, number> = { done: 0, failed: 0, skipped: 0, unknown: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}
