import type { Dispatcher } from 'undici';
import type { Logger } from '../logger';
import type { PlatformInfo } from '../platforms';
import { ApiError, CancelledError, formatUntil } from './errors';
import { redactText } from './redact';
import { requestHeaders, requestUrl, type HttpResponse, type RequestOptions } from './request';
import { interpret, readCapped, transportFailure, type Answer, type Attempt, type Call } from './response';
import { engineScopeOf } from './scope';
import {
  clientRetries,
  DEFAULT_DEADLINE_MS,
  DEFAULT_RETRY,
  isIdempotentMethod,
  retryDelay,
  tryTimeout,
  type RetryOptions,
} from './retry';
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
  /**
   * The whole call: every try, every wait the platform asks for, every body read (60 s by default).
   * A wait that would pass it is not taken; a stalled body ends here. Waiting for one of the
   * connection's own slots (`maxInFlight`) does not count.
   */
  readonly timeoutMs?: number;
  /** The largest response body read; a larger one is cut off and the call fails. 16 MiB by default. */
  readonly maxBodyBytes?: number;
  readonly retry?: RetryOptions;
  /** For tests: a fixed source of jitter. */
  readonly random?: () => number;
  /** For tests: how a retry waits (records the delay instead of sleeping). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** For tests: the clock the call's budget is read on (one that moves when `sleep` is called). */
  readonly now?: () => number;
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
  private readonly now: () => number;
  /** The connection's pace: requests in flight, and the rate-limit window. */
  private readonly throttle: Throttle;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_DEADLINE_MS);
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.sleep = options.sleep ?? sleep;
    this.now = options.now ?? Date.now;
    this.throttle = new Throttle(
      options.platform,
      Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT),
      { maxWaitMs: this.retry.maxDelayMs, budgetMs: this.timeoutMs, now: this.now, sleep: this.sleep },
      options.log,
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

  /**
   * Sends the request and returns status, headers and the parsed body (for 202/204/205 and
   * rate-limit headers). Its tries and waits share one budget (`timeoutMs`): a wait the platform asks
   * for that would pass it is not taken, and the call fails at once saying so.
   */
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
    const budget = this.timeoutMs;
    let deadline = this.now() + budget;
    let last: ApiError | undefined;
    for (let attempt = 0; ; attempt++) {
      if (req.signal?.aborted) throw new CancelledError(platform, label);
      await this.throttle.waitForWindow(req.signal, label, deadline - this.now());
      const queued = this.now();
      await this.throttle.slot(req.signal, label);
      // The turn in the connection's own queue is not the platform's time.
      deadline += this.now() - queued;
      if (last && deadline <= this.now()) {
        // The wait overran what was left (a late timer): no try that could not finish is sent.
        this.throttle.release();
        throw this.outOfBudget(last, attempt, false);
      }
      const started = Date.now();
      const tryMs = tryTimeout(budget, deadline - this.now());
      let outcome: Attempt<T>;
      try {
        outcome = await this.once(req, url, dispatcher, call, tryMs);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError('network', platform, `${platform.label}: ${redactText(String(err), [key])}`, label);
      } finally {
        this.throttle.release();
      }
      const ms = Date.now() - started;
      if ('response' in outcome) this.throttle.noteRateLimit(outcome.response.headers, label, false);
      else this.throttle.noteRateLimit(outcome.headers, label, true);
      if ('response' in outcome) {
        this.options.log.info(`${label} → ${outcome.response.status} (${ms} ms)`);
        return outcome.response;
      }
      const { error, retryable } = outcome;
      const canRetry = clientRetries(error, retryable, { method: req.method, idempotent }, engine, attempt, this.retry);
      const left = deadline - this.now();
      const wait = canRetry ? retryDelay(attempt, error.retryAfterMs, this.retry, this.options.random) : 0;
      // The platform named a time past the budget, or the next try could not start within it: stop here.
      const askedPast = (error.retryAfterMs ?? 0) > left;
      const pastBudget = canRetry && (askedPast || wait >= left);
      if (!canRetry || pastBudget) {
        const final = pastBudget ? this.outOfBudget(error, attempt + 1, askedPast) : error;
        this.options.log.error(`${label} → ${error.status ?? error.kind} (${ms} ms): ${final.message}`);
        throw final;
      }
      this.options.log.warn(
        `${label} → ${error.status ?? error.kind} (${ms} ms): ${error.message}; retry ${attempt + 1} of ${this.retry.maxRetries}`,
      );
      last = error;
      try {
        await this.sleep(wait, req.signal ?? new AbortController().signal);
      } catch {
        throw new CancelledError(platform, label);
      }
    }
  }

  /**
   * The error of a call whose budget would not hold another try: the last error, and why no try
   * followed (`askedPast`: the platform asked to wait past the budget).
   */
  private outOfBudget(error: ApiError, tries: number, askedPast: boolean): ApiError {
    const { platform } = this.options;
    const budget = `${Math.round(this.timeoutMs / 1000)} s budget`;
    const why =
      askedPast && error.retryAfterMs !== undefined
        ? `${platform.label} asked to wait until ${formatUntil(this.now() + error.retryAfterMs)}; not waiting past the ${budget} of one call.`
        : `Gave up after ${tries} ${tries === 1 ? 'try' : 'tries'}: the ${budget} of one call is spent.`;
    return new ApiError(
      error.kind,
      platform,
      `${error.message} ${why}`,
      error.request,
      error.status,
      error.code,
      error.details,
      error.retryAfterMs,
    );
  }

  /** One try. Returns the response, or the error and whether another try is safe. Throws only for cancellation. */
  private async once<T>(
    req: RequestOptions<T>,
    url: string,
    dispatcher: Dispatcher,
    call: Call,
    timeoutMs: number,
  ): Promise<Attempt<T>> {
    const timeout = AbortSignal.timeout(timeoutMs);
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
      return transportFailure(err, timeout.aborted, timeoutMs, call);
    }
    return interpret(req, answer, call, this.options.log);
  }
}
