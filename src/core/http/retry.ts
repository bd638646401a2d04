/**
 * The client's retry policy, whole: which failures may be tried again (and by whom: the client, or
 * the bulk engine that runs the call), how long to wait before the next try, and the budget of time
 * one call may spend in all. The engine's own choices per item (check, re-queue, pause) are in
 * core/jobs/engine.ts.
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

/**
 * The time one call may take in all, unless the caller sets another (the `requestTimeoutSeconds`
 * setting, the command line's `--timeout`): every try, every wait the platform asks for, every body read.
 */
export const DEFAULT_DEADLINE_MS = 60_000;

/**
 * How long one try may take: half the call's budget, so a try that stalls leaves time for another
 * (30 s of the default 60), and never past what is left of it.
 */
export function tryTimeout(budgetMs: number, leftMs: number): number {
  return Math.max(1, Math.min(Math.ceil(budgetMs / 2), leftMs));
}

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

/** What went wrong with one try, as far as the retry policy needs to know. */
export type Failure =
  /** The platform answered with an error status. */
  | { readonly kind: 'status'; readonly status: number }
  /** Below HTTP: a timeout, a refused or reset connection, an answer undici could not take. */
  | { readonly kind: 'transport'; readonly timedOut: boolean; readonly code?: string }
  /** A success status whose answer cannot be used: see `AnswerProblem`. */
  | { readonly kind: 'answer'; readonly problem: AnswerProblem };

/**
 * `cut-short`: the body is not valid JSON (a connection that dropped mid-body, say).
 * `encoded`: the body is compressed though nothing asked for it. `too-large`: over the body cap.
 * `too-deep`: nested past the depth cap. `status`: a status the request does not expect (a redirect).
 * `shape`: valid JSON the schema refuses.
 */
export type AnswerProblem = 'cut-short' | 'encoded' | 'too-large' | 'too-deep' | 'status' | 'shape';

/**
 * Errors below HTTP that another try cannot mend: a name that does not resolve, an answer whose
 * headers or size pass undici's limits, a certificate that is refused.
 */
const PERMANENT_CODES = new Set([
  'ENOTFOUND',
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'HPE_HEADER_OVERFLOW',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Whether another try could get a different answer and is safe to send. Only what can get better
 * is tried again: 408, 429 and 5xx (a 429 even for a write: the server did not act on it), a timeout
 * or a dropped connection of a call that is safe to repeat, and a body cut short. Never a 4xx other
 * than 408 and 429, an answer too large, too deep or compressed unasked, a status or shape the
 * request does not take, oversized headers or a refused certificate: the next answer would be the same.
 */
export function mayRetry(failure: Failure, idempotent: boolean): boolean {
  switch (failure.kind) {
    case 'status':
      return isRetryableStatus(failure.status) && (idempotent || failure.status === 429);
    case 'transport':
      if (failure.timedOut) return idempotent;
      if (failure.code !== undefined && PERMANENT_CODES.has(failure.code)) return false;
      return idempotent || neverReachedServer(failure.code);
    case 'answer':
      return failure.problem === 'cut-short' && idempotent;
  }
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
