/**
 * The bulk engine: every multi-item action runs through it. It keeps as many requests in flight as
 * the server takes (an adaptive window), re-queues rate-limited items, never repeats a write whose
 * outcome it does not know without checking first, journals each step when asked, and gives every
 * item a final outcome.
 */
import { ApiError, isCancelled, isServerTrouble, mayHaveActed } from '../http/errors';
import { markEngineSignal } from '../http/scope';
import { AdaptiveWindow } from './sendWindow';
import {
  repeats,
  SkippedError,
  type BulkTask,
  type ItemResult,
  type JobOptions,
  type JobResult,
  type JobStats,
  type Outcome,
} from './bulkTask';
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
/** Server failures in a row (with no success between) that make an outage, at the least. */
const MIN_OUTAGE_FAILURES = 4;

/** What the engine does about a unit whose request failed: the error is classified once, here. */
type Action =
  | { readonly do: 'skip'; readonly reason: string }
  | { readonly do: 'rate-limited'; readonly err: ApiError }
  | { readonly do: 'not-sent' }
  | { readonly do: 'cut-off' }
  | { readonly do: 'check-again'; readonly reason: string; readonly congested: boolean; readonly retryAfterMs?: number }
  | { readonly do: 'lost'; readonly reason: string; readonly congested: boolean; readonly retryAfterMs?: number }
  | { readonly do: 'fail'; readonly reason: string };

function classify<T>(err: unknown, unit: Unit<T>, hardStopped: boolean, maxAttempts: number): Action {
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
class UnitQueue<U> {
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
function initialQueue<T>(
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

/**
 * Runs a task over items. A failure is that item's outcome and never stops the others. Outcomes
 * keep input order. With `prior`, items a journal shows finished keep their outcome and are not
 * sent; items it shows in flight are checked (verify) before anything is sent for them. When the
 * server fails a whole round (an outage), the job pauses: see `JobResult.paused`.
 */
export async function runJob<T>(items: readonly T[], task: BulkTask<T>, options: JobOptions): Promise<JobResult<T>> {
  if (new Set(items.map(task.key)).size !== items.length) throw new Error('Bulk job: two items have the same key.');
  return new Job(items, task, options).run();
}

class Job<T> {
  private readonly window: AdaptiveWindow;
  readonly stats: JobStats;
  private readonly results = new Map<string, ItemResult>();
  private readonly cancel: AbortSignal;
  private readonly hard = new AbortController();
  private readonly maxLimited: number;
  private readonly maxAttempts: number;
  private readonly queue: UnitQueue<Unit<T>>;
  private settledCount = 0;
  private inFlight = 0;
  private wake: ReturnType<typeof setTimeout> | undefined;
  private finish: () => void = () => undefined;
  /** Server failures since the last success, and the window when they began: a whole round failing is an outage. */
  private failStreak = 0;
  private streakWindow = 0;
  private paused: string | undefined;

  constructor(
    private readonly items: readonly T[],
    private readonly task: BulkTask<T>,
    private readonly options: JobOptions,
  ) {
    this.window = new AdaptiveWindow(options);
    this.stats = { maxInFlight: 0, rateLimited: 0, verified: 0, resent: 0, window: this.window.size };
    this.cancel = options.signal ?? new AbortController().signal;
    markEngineSignal(this.hard.signal, { verifies: task.verify !== undefined });
    this.maxLimited = options.maxRateLimited ?? 12;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.queue = new UnitQueue(
      initialQueue(items, task, options.prior, (item, result) => {
        this.results.set(task.key(item), result);
        options.onSettled?.(++this.settledCount, items.length);
      }),
    );
  }

  async run(): Promise<JobResult<T>> {
    const finished = new Promise<void>((resolve) => (this.finish = resolve));
    const onCancel = () => {
      setTimeout(() => this.hard.abort(), this.options.graceMs ?? 5_000).unref?.();
      this.pump();
    };
    this.cancel.addEventListener('abort', onCancel, { once: true });
    this.pump();
    await finished;
    this.cancel.removeEventListener('abort', onCancel);
    this.hard.abort();
    const notStarted: ItemResult = { status: 'skipped', reason: 'cancelled before it started' };
    const outcomes = this.items.map((item): Outcome<T> => ({
      item,
      ...(this.results.get(this.task.key(item)) ?? notStarted),
    }));
    return { outcomes, stats: this.stats, ...(this.paused ? { paused: this.paused } : {}) };
  }

  private settle(item: T, result: ItemResult): void {
    const key = this.task.key(item);
    if (this.results.has(key)) return;
    this.results.set(key, result);
    this.options.journal?.settled(key, result);
    this.options.onSettled?.(++this.settledCount, this.items.length);
  }

  private checkDone(): void {
    if (this.inFlight > 0 || (this.queue.length > 0 && !this.cancel.aborted && !this.paused)) return;
    for (const unit of this.queue.drain()) {
      for (const item of unit.items) {
        if (this.paused) {
          // Not journaled: a resume sends what was not sent and checks what was in doubt.
          const reason =
            unit.phase === 'resolve'
              ? 'paused by an outage; its answer was lost, so a resume checks it before sending it again'
              : 'paused by an outage; not sent yet';
          this.results.set(this.task.key(item), { status: unit.phase === 'resolve' ? 'unknown' : 'skipped', reason });
        } else if (unit.phase === 'resolve') {
          // An item waiting for its check was sent already: its outcome is unknown, not skipped.
          this.settle(item, {
            status: 'unknown',
            reason: `${unit.lost ?? 'the answer was lost'}, and the job was cancelled before it could be checked`,
          });
        } else this.settle(item, { status: 'skipped', reason: 'cancelled before it started' });
      }
    }
    if (this.wake) clearTimeout(this.wake);
    this.finish();
  }

  private pump(): void {
    if (this.cancel.aborted || this.paused) return this.checkDone();
    while (this.queue.length > 0 && this.inFlight < this.window.size) {
      const wait = this.window.pausedFor();
      if (wait > 0) {
        this.wake ??= setTimeout(() => ((this.wake = undefined), this.pump()), wait);
        break;
      }
      const unit = this.queue.shift();
      if (unit) void this.start(unit);
    }
    this.checkDone();
  }

  /** Sends the unit's request inside the bulk scope, journaling first. */
  private async send(unit: Unit<T>): Promise<void> {
    const { task, options } = this;
    options.journal?.sending(unit.items.map(task.key));
    if (unit.items.length > 1 && task.batch) {
      const answers = await task.batch.run(unit.items, this.hard.signal);
      for (const item of unit.items) {
        const answer = answers.get(task.key(item));
        if (answer === 'single') {
          options.journal?.requeued(task.key(item));
          this.queue.unshift({ items: [item], phase: 'run', attempts: 0, limited: 0 });
        } else this.settle(item, answer ?? { status: 'unknown', reason: 'the platform did not say what became of it' });
      }
      return;
    }
    const value = await task.run(unit.items[0], this.hard.signal);
    this.settle(unit.items[0], typeof value === 'string' ? { status: 'done', note: value } : { status: 'done' });
  }

  /** A unit whose last answer was lost: check it, then send again only when that is safe. */
  private async resolve(unit: Unit<T>): Promise<void> {
    const item = unit.items[0];
    const known = this.task.verify ? await this.task.verify(item, this.hard.signal) : undefined;
    if (known === true) {
      this.stats.verified++;
      this.settle(item, { status: 'done', note: 'confirmed in effect after a lost answer' });
    } else if (known === false || (known === undefined && repeats(this.task, item))) {
      this.stats.resent++;
      unit.phase = 'run';
      await this.send(unit);
    } else this.settle(item, { status: 'unknown', reason: `${unit.lost ?? 'the answer was lost'}: ${LOST}` });
  }

  private async start(unit: Unit<T>): Promise<void> {
    this.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
    const ticket = this.window.sent();
    let judged = false;
    try {
      await (unit.phase === 'resolve' ? this.resolve(unit) : this.send(unit));
      this.window.succeeded(ticket);
      this.failStreak = 0;
      judged = true;
    } catch (err) {
      judged = this.handle(unit, classify(err, unit, this.hard.signal.aborted, this.maxAttempts), ticket);
    } finally {
      if (!judged) this.window.ended(ticket);
      this.inFlight--;
      this.stats.window = this.window.size;
      this.pump();
    }
  }

  /** Carries out the action for a failed unit; true when the window has judged the request. */
  private handle(unit: Unit<T>, action: Action, ticket: number): boolean {
    const { journal } = this.options;
    const key = this.task.key;
    switch (action.do) {
      case 'skip':
        for (const item of unit.items) this.settle(item, { status: 'skipped', reason: action.reason });
        return false;
      case 'rate-limited':
        this.rateLimited(unit, action.err, ticket);
        return true;
      case 'not-sent':
        // The request never reached the server (refused, no such host): send it again.
        unit.attempts++;
        if (unit.phase === 'run') for (const item of unit.items) journal?.requeued(key(item));
        this.queue.push(unit);
        return false;
      case 'cut-off':
        for (const item of unit.items)
          this.settle(item, {
            status: 'unknown',
            reason: 'cancelled while its request was in flight; it may have taken effect',
          });
        return false;
      case 'check-again':
        // The check itself failed (its read kept failing): check again later, a few times.
        if ((unit.checks = (unit.checks ?? 0) + 1) > MAX_CHECKS)
          this.settle(unit.items[0], {
            status: 'unknown',
            reason: `${unit.lost ?? 'the answer was lost'}, and it could not be checked (${action.reason})`,
          });
        else this.queue.push(unit);
        return this.congestion(action, ticket);
      case 'lost':
        // Each item of a lost batch is checked on its own.
        for (const item of unit.items) {
          if (unit.attempts + 1 > this.maxAttempts)
            this.settle(item, { status: 'unknown', reason: `${action.reason}: ${LOST}` });
          else
            this.queue.unshift({
              items: [item],
              phase: 'resolve',
              attempts: unit.attempts + 1,
              limited: unit.limited,
              lost: action.reason,
            });
        }
        return this.congestion(action, ticket);
      case 'fail':
        for (const item of unit.items) this.settle(item, { status: 'failed', reason: action.reason });
        return false;
    }
  }

  private rateLimited(unit: Unit<T>, err: ApiError, ticket: number): void {
    this.stats.rateLimited++;
    this.window.rateLimited(ticket, err.retryAfterMs);
    if (++unit.limited > this.maxLimited) {
      const reason = `still rate limited after ${this.maxLimited} tries: ${err.message}`;
      // A refused check leaves the earlier lost answer unresolved: unknown, not failed.
      for (const item of unit.items)
        this.settle(
          item,
          unit.phase === 'resolve'
            ? { status: 'unknown', reason: `${unit.lost ?? 'the answer was lost'}, and ${reason}` }
            : { status: 'failed', reason },
        );
      return;
    }
    // Only a refused write is back to "not sent"; a refused check still has a write in doubt.
    if (unit.phase === 'run') for (const item of unit.items) this.options.journal?.requeued(this.task.key(item));
    this.queue.unshift(unit);
  }

  /**
   * A 5xx or a timeout shrinks the window and backs off like a refusal. When as many requests in a
   * row as the window held (and at least four) all failed so, the server is down: the job pauses.
   */
  private congestion(action: { congested: boolean; retryAfterMs?: number; reason: string }, ticket: number): boolean {
    if (!action.congested) return false;
    if (this.failStreak++ === 0) this.streakWindow = Math.min(this.window.size, this.inFlight); // the requests out together: this round
    this.window.congested(ticket, action.retryAfterMs);
    if (!this.paused && this.failStreak >= Math.max(MIN_OUTAGE_FAILURES, this.streakWindow))
      this.paused = `${this.failStreak} requests in a row failed: ${action.reason.replace(/\.$/, '')}`;
    return true;
  }
}
