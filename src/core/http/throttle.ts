/** How fast one connection sends: a limit on requests in flight, and a pause when the rate-limit window is used up. */
import type { Logger } from '../logger';
import { ApiError, CancelledError, formatUntil, type PlatformName } from './errors';
import type { HttpResponse } from './request';

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** How long waits may be, and the clock they are read on. */
export interface ThrottleTimes {
  /** The longest pause for a used-up window (the retry policy's longest wait). */
  readonly maxWaitMs: number;
  /** One call's budget: a window that ends later is not waited for. */
  readonly budgetMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * One connection's pace, whoever sends (several lists read side by side, a bulk job's window): at
 * most `maxInFlight` requests at once, the rest waiting their turn, and none while the platform says
 * its rate-limit window is used up.
 */
export class Throttle {
  /** When the platform said its rate-limit window is used up: requests wait until then (epoch ms). */
  private quietUntil = 0;
  /** A reset past the budget was reported: later answers naming one are not reported again. */
  private farReported = false;
  private active = 0;
  /** Requests waiting for a slot, first come first served. */
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly platform: PlatformName,
    private readonly maxInFlight: number,
    private readonly times: ThrottleTimes,
    private readonly log: Logger,
  ) {}

  /**
   * X-RateLimit-Remaining 0 means the next request would be refused: requests wait for
   * X-RateLimit-Reset. A reset further away than a call's budget (a wrong clock, a hostile answer) is
   * reported once and not waited for: requests go on, and one the platform refuses fails at once
   * (`refused`: this answer is that refusal, and its error says so).
   */
  noteRateLimit(headers: HttpResponse<unknown>['headers'] | undefined, label: string, refused: boolean): void {
    if (!headers) return;
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
    const remaining = Number(one(headers['x-ratelimit-remaining']));
    const reset = Number(one(headers['x-ratelimit-reset']));
    if (one(headers['x-ratelimit-remaining']) === undefined || !Number.isFinite(reset)) return;
    if (remaining > 0) {
      this.farReported = false;
      return;
    }
    const until = reset * 1000;
    if (until - this.times.now() <= this.times.budgetMs) {
      this.quietUntil = Math.max(this.quietUntil, until);
      return;
    }
    // A refusal's own error names the time; an answer that was taken is reported here, once.
    if (this.farReported || refused) return;
    this.farReported = true;
    this.log.warn(
      `${label}: ${this.platform.label} says its rate-limit window is used up until ${formatUntil(until)}; not waiting past the ${Math.round(this.times.budgetMs / 1000)} s budget of a call`,
    );
  }

  /**
   * Waits for one of the connection's slots. A request cancelled while it waits gives its turn up
   * when the turn comes (a request ahead of it ends within its timeout), without a listener each.
   */
  async slot(signal: AbortSignal | undefined, label: string): Promise<void> {
    // A free slot is taken at once; a released one is handed to the first in line, never taken twice.
    if (this.active < this.maxInFlight) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (signal?.aborted) {
      this.release();
      throw new CancelledError(this.platform, label);
    }
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /**
   * Waits out a used-up window, when it ends within what is left of the call's budget (`leftMs`);
   * otherwise the call fails at once, naming the time the platform gave: a 429, as the platform said.
   */
  async waitForWindow(signal: AbortSignal | undefined, label: string, leftMs: number): Promise<void> {
    const until = this.quietUntil;
    const ahead = until - this.times.now();
    if (ahead <= 0) return;
    if (ahead > leftMs) {
      const message = `${this.platform.label} said its rate-limit window is used up until ${formatUntil(until)}; not waiting past the ${Math.round(this.times.budgetMs / 1000)} s budget of one call (${label}).`;
      this.log.error(`${label}: ${message}`);
      throw new ApiError('http', this.platform, message, label, 429, undefined, [], ahead);
    }
    const wait = Math.min(ahead, this.times.maxWaitMs);
    this.log.info(`${label}: the rate-limit window is used up; waiting ${Math.ceil(wait / 1000)} s`);
    try {
      await this.times.sleep(wait, signal ?? new AbortController().signal);
    } catch {
      throw new CancelledError(this.platform, label);
    }
    // Waited once: later requests go at once unless a newer answer says the window is used up again.
    if (this.quietUntil === until) this.quietUntil = 0;
  }
}
