/**
 * The bulk engine: every multi-item action runs through it. It keeps as many requests in flight as
 * the server takes (an adaptive window), re-queues rate-limited items, never repeats a write whose
 * outcome it does not know without checking first, journals each step when asked, and gives every
 * item a final outcome.
 */
import { ApiError, formatUntil } from '../http/errors';
import { markEngineSignal } from '../http/scope';
import { AdaptiveWindow } from './sendWindow';
import {
  classify,
  DEFAULT_GRACE_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RATE_LIMITED,
  initialQueue,
  LOST,
  MAX_CHECKS,
  MIN_OUTAGE_FAILURES,
  UnitQueue,
  type Action,
  type Unit,
} from './units';
import {
  repeats,
  type BulkTask,
  type ItemResult,
  type JobOptions,
  type JobResult,
  type JobStats,
  type Outcome,
} from './bulkTask';
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
  /** What paused the job, for each item's reason. */
  private pausedBy = 'an outage';

  constructor(
    private readonly items: readonly T[],
    private readonly task: BulkTask<T>,
    private readonly options: JobOptions,
  ) {
    this.window = new AdaptiveWindow(options);
    this.stats = { maxInFlight: 0, rateLimited: 0, verified: 0, resent: 0, window: this.window.size };
    this.cancel = options.signal ?? new AbortController().signal;
    markEngineSignal(this.hard.signal, { verifies: task.verify !== undefined });
    this.maxLimited = options.maxRateLimited ?? DEFAULT_MAX_RATE_LIMITED;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
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
      setTimeout(() => this.hard.abort(), this.options.graceMs ?? DEFAULT_GRACE_MS).unref?.();
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
              ? `paused by ${this.pausedBy}; its answer was lost, so a resume checks it before sending it again`
              : `paused by ${this.pausedBy}; not sent yet`;
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
              limitedSince: unit.limitedSince,
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
    unit.limitedSince ??= this.window.now();
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
    // An item that would wait past its budget pauses the job, as an outage does: a resume sends it.
    if (!this.paused && this.window.pastBudget(unit.limitedSince, err.retryAfterMs)) {
      this.paused = this.rateLimitPause(unit.limitedSince, err);
      this.pausedBy = "the platform's rate limit";
    }
    // Only a refused write is back to "not sent"; a refused check still has a write in doubt.
    if (unit.phase === 'run') for (const item of unit.items) this.options.journal?.requeued(this.task.key(item));
    this.queue.unshift(unit);
  }

  /** Why a rate limit paused the job: the time the platform named, or how long the item waited. */
  private rateLimitPause(since: number, err: ApiError): string {
    const now = this.window.now();
    const budget = `${Math.round(this.window.budgetMs / 1000)} s`;
    if (err.retryAfterMs !== undefined && err.retryAfterMs > this.window.budgetMs)
      return `${err.platformLabel} asked to wait until ${formatUntil(now + err.retryAfterMs)}, past the ${budget} an item waits for rate limits`;
    return `an item would wait for rate limits past ${budget} (refused for ${Math.round((now - since) / 1000)} s so far): ${err.message.replace(/\.$/, '')}`;
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
