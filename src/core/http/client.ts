import type { Dispatcher } from 'undici';
import type { ZodType } from 'zod';
import type { Logger } from '../logger';
import type { PlatformInfo } from '../platforms';
import { ApiError, CancelledError, clip, httpErrorMessage, summarizeErrorBody } from './errors';
import { redactText } from './redact';
import { engineScopeOf } from './scope';
import { clientRetries, DEFAULT_RETRY, isIdempotentMethod, parseRetryAfter, retryDelay, statusRetryable, transportRetryable, type RetryOptions } from './retry';
import type { Transport } from './transport';
import { checkBaseUrl } from './url';
import { loadUndici } from './undici';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestBase<T> {
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  readonly query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON (a DELETE may carry one too: ElevenLabs revokes invites that way). */
  readonly body?: unknown;
  /** Every response body is checked against this; an empty body is read as `undefined`. */
  readonly schema: ZodType<T>;
  readonly signal?: AbortSignal;
  /**
   * Whether repeating the call is harmless. Defaults to the method's HTTP semantics; a POST that
   * sets a state (a share that replaces a role, say) may declare itself idempotent.
   */
  readonly idempotent?: boolean;
}

/**
 * A request names the statuses that mean success for it. Anything else below 400 (a 1xx, a redirect,
 * a 2xx the operation does not answer with) is an unexpected answer, never a success; redirects are
 * not followed. A read expects 200 unless it says otherwise; every write must say.
 */
export type RequestOptions<T> = RequestBase<T> &
  ({ readonly method: 'GET'; readonly expect?: readonly number[] } | { readonly method: Exclude<HttpMethod, 'GET'>; readonly expect: readonly number[] });

export interface HttpResponse<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly data: T;
}

export interface HttpClientOptions {
  readonly platform: PlatformInfo;
  readonly baseUrl: string;
  /** Read on every request, so a key changed elsewhere is used from the next call on. */
  readonly apiKey: () => string | Promise<string>;
  readonly transport: Transport;
  readonly log: Logger;
  /** The whole call, body included; a stalled body ends here. */
  readonly timeoutMs?: number;
  /** The largest response body read; a larger one is cut off and the call fails. 16 MiB by default. */
  readonly maxBodyBytes?: number;
  readonly retry?: RetryOptions;
  /** For tests: a fixed source of jitter. */
  readonly random?: () => number;
  /** For tests: how a retry waits (records the delay instead of sleeping). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * The most requests this connection has in flight, whoever sends them (several lists read side by
   * side, a bulk job's window): the rest wait their turn here instead of being refused by the server.
   */
  readonly maxInFlight?: number;
}

/** Requests one connection has in flight at most, by default. */
export const DEFAULT_MAX_IN_FLIGHT = 16;

const USER_AGENT = 'workspace-access-vscode/0.1';
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** The longest wait an X-RateLimit-Reset header can impose; a later reset is treated as this. */
const MAX_QUIET_MS = 60_000;

/** One try: the response, or the error with whether another try is safe (and the headers, for rate limits). */
type Attempt<T> = { response: HttpResponse<T> } | { error: ApiError; retryable: boolean; headers?: HttpResponse<T>['headers'] };
/** A body that was not read because it passed the cap. */
interface TooLarge {
  readonly limit: number;
  readonly declared?: number;
}

/** Reads a body up to `limit` bytes: a larger declared length is refused unread, a longer stream is cut off. */
async function readCapped(headers: Record<string, string | string[] | undefined>, body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<string | TooLarge> {
  const declared = Number(Array.isArray(headers['content-length']) ? headers['content-length'][0] : headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    body.destroy();
    return { limit, declared };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      return { limit };
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
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

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}

/** One undici-based client per connection: base URL, auth, timeouts, retries, typed errors, zod parsing. */
export class HttpClient {
  readonly baseUrl: string;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  /** When the platform said its rate-limit window is used up: requests wait until then (epoch ms). */
  private quietUntil = 0;
  private readonly maxInFlight: number;
  private active = 0;
  /** Requests waiting for a slot, first come first served. */
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  get platform(): string {
    return this.options.platform.id;
  }

  /** Where providers say what a person should know of a call (a list read that stopped early). */
  get log(): Logger {
    return this.options.log;
  }

  /** Sends the request and returns the parsed body. */
  async request<T>(req: RequestOptions<T>): Promise<T> {
    return (await this.send(req)).data;
  }

  /** Sends the request and returns status, headers and the parsed body (for 202/204/205 and rate-limit headers). */
  async send<T>(req: RequestOptions<T>): Promise<HttpResponse<T>> {
    const { platform } = this.options;
    const label = `${req.method} ${req.path}`;
    const idempotent = req.idempotent ?? isIdempotentMethod(req.method);
    const url = this.url(req);
    const key = await this.options.apiKey();
    const dispatcher = await this.options.transport.dispatcher();
    // Inside a bulk job the engine owns rate limits, and the repeat of writes when it can check first (see scope.ts).
    const engine = engineScopeOf(req.signal);
    for (let attempt = 0; ; attempt++) {
      if (req.signal?.aborted) throw new CancelledError(platform, label);
      await this.waitForWindow(req.signal, label);
      await this.slot(req.signal, label);
      const started = Date.now();
      let outcome: Attempt<T>;
      try {
        outcome = await this.once(req, url, key, dispatcher, label, idempotent);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError('network', platform, `${platform.label}: ${redactText(String(err), [key])}`, label);
      } finally {
        this.release();
      }
      const ms = Date.now() - started;
      this.noteRateLimit('response' in outcome ? outcome.response.headers : outcome.headers);
      if ('response' in outcome) {
        this.options.log.info(`${label} → ${outcome.response.status} (${ms} ms)`);
        return outcome.response;
      }
      const { error, retryable } = outcome;
      const canRetry = clientRetries(error, retryable, { method: req.method, idempotent }, engine, attempt, this.retry);
      this.options.log[canRetry ? 'warn' : 'error'](`${label} → ${error.status ?? error.kind} (${ms} ms): ${error.message}${canRetry ? `; retry ${attempt + 1} of ${this.retry.maxRetries}` : ''}`);
      if (!canRetry) throw error;
      const wait = retryDelay(attempt, error.retryAfterMs, this.retry, this.options.random);
      try {
        await (this.options.sleep ?? sleep)(wait, req.signal ?? new AbortController().signal);
      } catch {
        throw new CancelledError(platform, label);
      }
    }
  }

  /** X-RateLimit-Remaining 0 means the next request would be refused: wait for X-RateLimit-Reset. */
  private noteRateLimit(headers: Readonly<Record<string, string | string[] | undefined>> | undefined): void {
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
  private async slot(signal: AbortSignal | undefined, label: string): Promise<void> {
    // A free slot is taken at once; a released one is handed to the first in line, never taken twice.
    if (this.active < this.maxInFlight) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (signal?.aborted) {
      this.release();
      throw new CancelledError(this.options.platform, label);
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private async waitForWindow(signal: AbortSignal | undefined, label: string): Promise<void> {
    const wait = Math.min(this.quietUntil - Date.now(), this.retry.maxDelayMs);
    if (wait <= 0) return;
    this.options.log.info(`${label}: the rate-limit window is used up; waiting ${Math.ceil(wait / 1000)} s`);
    const until = this.quietUntil;
    try {
      await (this.options.sleep ?? sleep)(wait, signal ?? new AbortController().signal);
    } catch {
      throw new CancelledError(this.options.platform, label);
    }
    // Waited once: later requests go at once unless a newer answer says the window is used up again.
    if (this.quietUntil === until) this.quietUntil = 0;
  }

  private url(req: RequestOptions<unknown>): string {
    const url = new URL(this.baseUrl + req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /** One try. Returns the response, or the error and whether another try is safe. Throws only for cancellation. */
  private async once<T>(req: RequestOptions<T>, url: string, key: string, dispatcher: Dispatcher, label: string, idempotent: boolean): Promise<Attempt<T>> {
    const { platform } = this.options;
    const info = platform;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': USER_AGENT,
      [info.authHeader]: info.authValue(key),
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const { request } = await loadUndici();
    let answer: { status: number; headers: Record<string, string | string[] | undefined>; text: string | TooLarge };
    try {
      const res = await request(dispatcher, url, { method: req.method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body), signal });
      answer = { status: res.statusCode, headers: res.headers, text: await readCapped(res.headers, res.body, this.maxBodyBytes) };
    } catch (err) {
      if (req.signal?.aborted) throw new CancelledError(platform, label);
      return this.transportFailure(err, timeout.aborted, label, key, idempotent);
    }
    return this.interpret(req, answer, label, key, idempotent);
  }

  /** The request failed below HTTP: a timeout, a refused connection, a reset. */
  private transportFailure<T>(err: unknown, timedOut: boolean, label: string, key: string, idempotent: boolean): Attempt<T> {
    const { platform } = this.options;
    const platformLabel = platform.label;
    if (timedOut) {
      const error = new ApiError('timeout', platform, `${platformLabel} did not answer within ${Math.round(this.timeoutMs / 1000)} s (${label}).`, label);
      return { error, retryable: transportRetryable(true, undefined, idempotent) };
    }
    const code = errorCode(err);
    const reason = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'could not connect in time' : code ?? (err instanceof Error ? err.message : String(err));
    const error = new ApiError(code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'network', platform, `${platformLabel} could not be reached (${clip(redactText(reason, [key]))}) for ${label}.`, label, undefined, code);
    return { error, retryable: transportRetryable(false, code, idempotent) };
  }

  /** Turns an answer into the parsed body, or the error with whether another try is safe. */
  private interpret<T>(req: RequestOptions<T>, answer: { status: number; headers: Record<string, string | string[] | undefined>; text: string | TooLarge }, label: string, key: string, idempotent: boolean): Attempt<T> {
    const { platform } = this.options;
    const platformLabel = platform.label;
    const { status, headers, text } = answer;
    const unexpected = (why: string, retryable = false) => ({ error: new ApiError('unexpected-response', platform, `Unexpected response from ${platformLabel} (${label}): ${why}.`, label, status), retryable, headers });
    if (typeof text !== 'string') return unexpected(`the answer is larger than ${formatBytes(text.limit)}${text.declared ? ` (it declared ${formatBytes(text.declared)})` : ''}; it was not read`);
    let json: unknown;
    let malformed = false;
    if (/\S/.test(text)) {
      try {
        json = JSON.parse(text);
      } catch {
        malformed = true;
      }
    }
    if (status >= 400) {
      const summary = malformed ? { message: undefined, details: [] } : summarizeErrorBody(json);
      const retryAfterMs = parseRetryAfter(headers['retry-after']) ?? this.rateLimitReset(headers);
      const message = redactText(httpErrorMessage(platform, status, summary), [key]);
      const error = new ApiError('http', platform, message, label, status, summary.code, summary.details, retryAfterMs);
      // A 429 means the server did not act on the request, so even a write may be sent again.
      return { error, retryable: statusRetryable(status, idempotent), headers };
    }
    const expected = req.expect ?? [200];
    if (!expected.includes(status)) {
      const where = status >= 300 && status < 400 && headers.location ? `, to ${clip(redactText(String(headers.location), [key]), 120)}` : '';
      return unexpected(`status ${status}${where}, where ${expected.join(' or ')} was expected`);
    }
    if (malformed) return unexpected('the body is not valid JSON', idempotent);
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue ? formatPath(issue.path) : '';
      const detail = issue ? `${field ? `field "${field}": ` : ''}${issue.message}` : 'the body does not have the expected shape';
      this.options.log.debug(`${label}: response failed validation: ${redactText(JSON.stringify(parsed.error.issues.slice(0, 5)), [key])}`);
      return unexpected(clip(detail));
    }
    return { response: { status, headers, data: parsed.data } };
  }

  /** GitBook's X-RateLimit-Reset (epoch seconds), used when a 429 carries no Retry-After. */
  private rateLimitReset(headers: Record<string, string | string[] | undefined>): number | undefined {
    const raw = headers['x-ratelimit-reset'];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    if (!raw || !Number.isFinite(value)) return undefined;
    return Math.max(0, value * 1000 - Date.now());
  }
}
