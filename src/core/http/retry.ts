/**
 * The client's retry policy, whole: which failures may be tried again (and by whom: the client, or
 * the bulk engine that runs the call), and how long to wait before the next try. The engine's own
 * choices per item (check, re-queue, pause) are in core/jobs/engine.ts.
 */
import { isServerTrouble, neverReachedServer, type ApiError } from './errors';
import type { EngineScope } from './scope';

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
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  options: RetryOptions,
  random?: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxDelayMs);
  return backoffDelay(attempt, options, random);
}

/** Whether another try of a failure below HTTP is safe: a timeout of a repeatable call, or a call that never reached the server. */
export function transportRetryable(timedOut: boolean, code: string | undefined, idempotent: boolean): boolean {
  if (timedOut) return idempotent;
  // A name that does not resolve will not resolve a moment later: say so at once.
  return code !== 'ENOTFOUND' && (idempotent || neverReachedServer(code));
}

/** Whether another try of an HTTP failure is safe: 408, 429 or 5xx on a repeatable call, or a 429 on any (it was not acted on). */
export function statusRetryable(status: number, idempotent: boolean): boolean {
  return isRetryableStatus(status) && (idempotent || status === 429);
}

/**
 * Whether the client itself tries again. Under the bulk engine (an engine-marked signal), the engine
 * adapts its window to refusals, so it sees each 429 at once; where it can check an item (verify),
 * server failures, timeouts and writes are its too; a non-idempotent write is never repeated by the
 * client. Elsewhere the client retries what is safe to repeat, up to `maxRetries`.
 */
export function clientRetries(
  error: ApiError,
  retryable: boolean,
  request: { readonly method: string; readonly idempotent: boolean },
  engine: EngineScope | undefined,
  attempt: number,
  options: RetryOptions,
): boolean {
  const leftToEngine =
    engine !== undefined &&
    (error.status === 429 ||
      (isServerTrouble(error) && engine.verifies) ||
      (request.method !== 'GET' && (engine.verifies || !request.idempotent)));
  return retryable && !leftToEngine && attempt < options.maxRetries;
}
