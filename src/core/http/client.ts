import type { Dispatcher } from 'undici';
import type { Logger } from '../logger';
import type { PlatformInfo } from '../platforms';
import { ApiError, CancelledError } from './errors';
import { redactText } from './redact';
import { requestHeaders, requestUrl, type HttpResponse, type RequestOptions } from './request';
import { interpret, readCapped, transportFailure, type Answer, type Attempt, type Call } from './response';
import { engineScopeOf } from './scope';
import { clientRetries, DEFAULT_RETRY, isIdempotentMethod, retryDelay, type RetryOptions } from './retry';
import { sleep, Throttle } from './throttle';
import type { Transport } from './transport';
import { checkBaseUrl } from './url';
import { loadUndici } from './undici';

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

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** One undici-based client per connection: base URL, auth, timeouts, retries, typed errors, zod parsing. */
export class HttpClient {
  readonly baseUrl: string;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The connection's pace: requests in flight, and the rate-limit window. */
  private readonly throttle: Throttle;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.sleep = options.sleep ?? sleep;
    this.throttle = new Throttle(
      options.platform,
      Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT),
      this.retry.maxDelayMs,
      options.log,
      this.sleep,
    );
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
    const url = requestUrl(this.baseUrl, req);
    const key = await this.options.apiKey();
    const dispatcher = await this.options.transport.dispatcher();
    const call: Call = { platform, label, key, idempotent };
    // Inside a bulk job the engine owns rate limits, and the repeat of writes when it can check first (see scope.ts).
    const engine = engineScopeOf(req.signal);
    for (let attempt = 0; ; attempt++) {
      if (req.signal?.aborted) throw new CancelledError(platform, label);
      await this.throttle.waitForWindow(req.signal, label);
      await this.throttle.slot(req.signal, label);
      const started = Date.now();
      let outcome: Attempt<T>;
      try {
        outcome = await this.once(req, url, dispatcher, call);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError('network', platform, `${platform.label}: ${redactText(String(err), [key])}`, label);
      } finally {
        this.throttle.release();
      }
      const ms = Date.now() - started;
      this.throttle.noteRateLimit('response' in outcome ? outcome.response.headers : outcome.headers);
      if ('response' in outcome) {
        this.options.log.info(`${label} → ${outcome.response.status} (${ms} ms)`);
        return outcome.response;
      }
      const { error, retryable } = outcome;
      const canRetry = clientRetries(error, retryable, { method: req.method, idempotent }, engine, attempt, this.retry);
      this.options.log[canRetry ? 'warn' : 'error'](
        `${label} → ${error.status ?? error.kind} (${ms} ms): ${error.message}${canRetry ? `; retry ${attempt + 1} of ${this.retry.maxRetries}` : ''}`,
      );
      if (!canRetry) throw error;
      const wait = retryDelay(attempt, error.retryAfterMs, this.retry, this.options.random);
      try {
        await this.sleep(wait, req.signal ?? new AbortController().signal);
      } catch {
        throw new CancelledError(platform, label);
      }
    }
  }

  /** One try. Returns the response, or the error and whether another try is safe. Throws only for cancellation. */
  private async once<T>(req: RequestOptions<T>, url: string, dispatcher: Dispatcher, call: Call): Promise<Attempt<T>> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers = requestHeaders(call.platform, call.key, req);
    const { request } = await loadUndici();
    let answer: Answer;
    try {
      const res = await request(dispatcher, url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
      });
      answer = {
        status: res.statusCode,
        headers: res.headers,
        text: await readCapped(res.headers, res.body, this.maxBodyBytes),
      };
    } catch (err) {
      if (req.signal?.aborted) throw new CancelledError(call.platform, call.label);
      return transportFailure(err, timeout.aborted, this.timeoutMs, call);
    }
    return interpret(req, answer, call, this.options.log);
  }
}
