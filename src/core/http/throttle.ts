/** How fast one connection sends: a limit on requests in flight, and a pause when the rate-limit window is used up. */
import type { Logger } from '../logger';
import { CancelledError, type PlatformName } from './errors';
import type { HttpResponse } from './request';

/** The longest wait an X-RateLimit-Reset header can impose; a later reset is treated as this. */
const MAX_QUIET_MS = 60_000;

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

/**
 * One connection's pace, whoever sends (several lists read side by side, a bulk job's window): at
 * most `maxInFlight` requests at once, the rest waiting their turn, and none while the platform says
 * its rate-limit window is used up.
 */
export class Throttle {
  /** When the platform said its rate-limit window is used up: requests wait until then (epoch ms). */
  private quietUntil = 0;
  private active = 0;
  /** Requests waiting for a slot, first come first served. */
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly platform: PlatformName,
    private readonly maxInFlight: number,
    /** The longest pause for a used-up window (the retry policy's longest wait). */
    private readonly maxWaitMs: number,
    private readonly log: Logger,
    private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>,
  ) {}

  /** X-RateLimit-Remaining 0 means the next request would be refused: wait for X-RateLimit-Reset. */
  noteRateLimit(headers: HttpResponse<unknown>['headers'] | undefined): void {
    if (!headers) return;
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
    const remaining = Number(one(headers['x-ratelimit-remaining']));
    const reset = Number(one(headers['x-ratelimit-reset']));
    if (one(headers['x-ratelimit-remaining']) === undefined || remaining > 0 || !Number.isFinite(reset)) return;
    // A reset far away (a wrong clock, a hostile answer) waits once for the longest pause, not on every request.
    const now = Date.now();
    this.quietUntil = Math.max(this.quietUntil, Math.min(reset * 1000, now + MAX_QUIET_MS));
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

  async waitForWindow(signal: AbortSignal | undefined, label: string): Promise<void> {
    const wait = Math.min(this.quietUntil - Date.now(), this.maxWaitMs);
    if (wait <= 0) return;
    this.log.info(`${label}: the rate-limit window is used up; waiting ${Math.ceil(wait / 1000)} s`);
    const until = this.quietUntil;
    try {
      await this.sleep(wait, signal ?? new AbortController().signal);
    } catch {
      throw new CancelledError(this.platform, label);
    }
    // Waited once: later requests go at once unless a newer answer says the window is used up again.
    if (this.quietUntil === until) this.quietUntil = 0;
  }
}
