import type { Dispatcher } from 'undici';
import type { ZodType } from 'zod';
import type { Logger } from '../log';
import { PLATFORMS, type PlatformId } from '../platforms';
import { ApiError, CancelledError, httpErrorMessage, summarizeErrorBody } from './errors';
import { redactText } from './redact';
import { engineScopeOf } from './scope';
import { DEFAULT_RETRY, isIdempotentMethod, isRetryableStatus, parseRetryAfter, retryDelay, type RetryOptions } from './retry';
import type { Transport } from './transport';
import { checkBaseUrl } from './url';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions<T> {
  readonly method: HttpMethod;
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

export interface HttpResponse<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly data: T;
}

export interface HttpClientOptions {
  readonly platform: PlatformId;
  readonly baseUrl: string;
  /** Read on every request, so a key changed elsewhere is used from the next call on. */
  readonly apiKey: () => string | Promise<string>;
  readonly transport: Transport;
  readonly log: Logger;
  /** The whole call, body included; a stalled body ends here. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** For tests: a fixed source of jitter. */
  readonly random?: () => number;
  /** For tests: how a retry waits (records the delay instead of sleeping). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const USER_AGENT = 'workspace-access-vscode/0.1';

/** One try: the response, or the error with whether another try is safe (and the headers, for rate limits). */
type Attempt<T> = { response: HttpResponse<T> } | { error: ApiError; retryable: boolean; headers?: HttpResponse<T>['headers'] };
/** Error codes from undici and Node that mean the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

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
  /** When the platform said its rate-limit window is used up: requests wait until then (epoch ms). */
  private quietUntil = 0;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get platform(): PlatformId {
    return this.options.platform;
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
      const started = Date.now();
      let outcome: Attempt<T>;
      try {
        outcome = await this.once(req, url, key, dispatcher, label, idempotent);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError('network', platform, `${PLATFORMS[platform].label}: ${redactText(String(err), [key])}`, label);
      }
      const ms = Date.now() - started;
      this.noteRateLimit('response' in outcome ? outcome.response.headers : outcome.headers);
      if ('response' in outcome) {
        this.options.log.info(`${label} → ${outcome.response.status} (${ms} ms)`);
        return outcome.response;
      }
      const { error, retryable } = outcome;
      const leftToEngine = engine !== undefined && (error.status === 429 || (req.method !== 'GET' && (engine.verifies || !idempotent)));
      const canRetry = retryable && !leftToEngine && attempt < this.retry.maxRetries;
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
    if (one(headers['x-ratelimit-remaining']) !== undefined && remaining <= 0 && Number.isFinite(reset)) this.quietUntil = Math.max(this.quietUntil, reset * 1000);
  }

  private async waitForWindow(signal: AbortSignal | undefined, label: string): Promise<void> {
    const wait = Math.min(this.quietUntil - Date.now(), this.retry.maxDelayMs);
    if (wait <= 0) return;
    this.options.log.info(`${label}: the rate-limit window is used up; waiting ${Math.ceil(wait / 1000)} s`);
    try {
      await (this.options.sleep ?? sleep)(wait, signal ?? new AbortController().signal);
    } catch {
      throw new CancelledError(this.options.platform, label);
    }
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
    const platformLabel = PLATFORMS[platform].label;
    const info = PLATFORMS[platform];
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': USER_AGENT,
      [info.authHeader]: info.authValue(key),
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const { request } = await import('undici');
    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await request(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
        dispatcher,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await res.body.text();
    } catch (err) {
      if (req.signal?.aborted) throw new CancelledError(platform, label);
      if (timeout.aborted) {
        const error = new ApiError('timeout', platform, `${platformLabel} did not answer within ${Math.round(this.timeoutMs / 1000)} s (${label}).`, label);
        return { error, retryable: idempotent };
      }
      const code = errorCode(err);
      const reason = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'could not connect in time' : code ?? (err instanceof Error ? err.message : String(err));
      const error = new ApiError(code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'network', platform, `${platformLabel} could not be reached (${redactText(reason, [key])}) for ${label}.`, label, undefined, code);
      return { error, retryable: idempotent || (code !== undefined && NOT_SENT_CODES.has(code)) };
    }

    let json: unknown;
    let malformed = false;
    if (text.trim() === '') json = undefined;
    else {
      try {
        json = JSON.parse(text);
      } catch {
        malformed = true;
      }
    }

    if (status >= 400) {
      const summary = malformed ? { message: undefined, details: [] } : summarizeErrorBody(json);
      const retryAfterMs = parseRetryAfter(responseHeaders['retry-after']) ?? this.rateLimitReset(responseHeaders);
      const message = redactText(httpErrorMessage(platform, status, summary), [key]);
      const error = new ApiError('http', platform, message, label, status, summary.code, summary.details, retryAfterMs);
      // A 429 means the server did not act on the request, so even a write may be sent again.
      return { error, retryable: isRetryableStatus(status) && (idempotent || status === 429), headers: responseHeaders };
    }

    if (malformed) {
      const error = new ApiError('unexpected-response', platform, `Unexpected response from ${platformLabel} (${label}): the body is not valid JSON.`, label, status);
      return { error, retryable: idempotent };
    }
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue ? formatPath(issue.path) : '';
      const detail = issue ? `${field ? `field "${field}": ` : ''}${issue.message}` : 'the body does not have the expected shape';
      this.options.log.debug(`${label}: response failed validation: ${redactText(JSON.stringify(parsed.error.issues.slice(0, 5)), [key])}`);
      const error = new ApiError('unexpected-response', platform, `Unexpected response from ${platformLabel} (${label}): ${detail}.`, label, status);
      return { error, retryable: false };
    }
    return { response: { status, headers: responseHeaders, data: parsed.data } };
  }

  /** GitBook's X-RateLimit-Reset (epoch seconds), used when a 429 carries no Retry-After. */
  private rateLimitReset(headers: Record<string, string | string[] | undefined>): number | undefined {
    const raw = headers['x-ratelimit-reset'];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    if (!raw || !Number.isFinite(value)) return undefined;
    return Math.max(0, value * 1000 - Date.now());
  }
}
