/** Retry policy: which calls may be repeated, and how long to wait before the next try. */
export interface RetryOptions {
  /** Retries after the first try. */
  readonly maxRetries: number;
  /** First backoff step, doubled each try. */
  readonly baseDelayMs: number;
  /** No wait is ever longer than this, Retry-After included. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Parses a Retry-After value: delay-seconds or an HTTP date. Returns milliseconds from `now`,
 * or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Full-jitter exponential backoff: a random wait in [0, min(cap, base * 2^attempt)]. */
export function backoffDelay(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

/** The wait before retry number `attempt` (0-based): the server's Retry-After when it gave one, else backoff. */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, options: RetryOptions, random?: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxDelayMs);
  return backoffDelay(attempt, options, random);
}
