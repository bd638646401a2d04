/**
 * From an answer to a result: the body read up to its cap, then the parsed data, or the error with
 * whether another try is safe. A request that failed below HTTP (a timeout, a reset) is judged here too.
 */
import type { Logger } from '../logger';
import type { PlatformInfo } from '../platforms';
import { ApiError, clip, httpErrorMessage, summarizeErrorBody } from './errors';
import { redactText } from './redact';
import type { HttpResponse, RequestOptions } from './request';
import { mayRetry, parseRetryAfter, type AnswerProblem } from './retry';

/** One try: the response, or the error with whether another try is safe (and the headers, for rate limits). */
export type Attempt<T> =
  { response: HttpResponse<T> } | { error: ApiError; retryable: boolean; headers?: HttpResponse<T>['headers'] };
/** A body that was not read because it passed the cap. */
export interface TooLarge {
  readonly limit: number;
  readonly declared?: number;
}

/** An answer as it arrived: status, headers, and the body's text (or why it was not read). */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string | TooLarge;
}

/** Whose call it was and what it was: errors name them, keep the key out, and say whether to try again. */
export interface Call {
  readonly platform: PlatformInfo;
  /** `METHOD /path`. */
  readonly label: string;
  readonly key: string;
  readonly idempotent: boolean;
}

/**
 * The deepest nesting of arrays and objects an answer may have. No platform answer comes near it; a
 * deeper one (a hostile `[[[[…]]]]` of a million levels) is refused before it is parsed, so nothing
 * that later walks the value (a journal, a log line) can overflow the stack on it.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether a JSON text nests arrays and objects deeper than `max`, read as text without parsing it. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Reads a body up to `limit` bytes: a larger declared length is refused unread, a longer stream is cut off. */
export async function readCapped(
  headers: Record<string, string | string[] | undefined>,
  body: AsyncIterable<Buffer> & { destroy(): unknown; on(event: 'error', listener: () => void): unknown },
  limit: number,
): Promise<string | TooLarge> {
  // A body given up before its end errs ("Request aborted"): that is expected here, never an uncaught error.
  const drop = () => {
    body.on('error', () => undefined);
    body.destroy();
  };
  const declared = Number(one(headers['content-length']));
  if (Number.isFinite(declared) && declared > limit) {
    drop();
    return { limit, declared };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      drop();
      return { limit };
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
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
  return path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    '',
  );
}

/** The request failed below HTTP: a timeout (after `timeoutMs`), a refused connection, a reset. */
export function transportFailure<T>(err: unknown, timedOut: boolean, timeoutMs: number, call: Call): Attempt<T> {
  const { platform, label, key, idempotent } = call;
  const platformLabel = platform.label;
  if (timedOut) {
    const error = new ApiError(
      'timeout',
      platform,
      `${platformLabel} did not answer within ${timeoutMs < 1_000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`} (${label}).`,
      label,
    );
    return { error, retryable: mayRetry({ kind: 'transport', timedOut: true }, idempotent) };
  }
  const code = errorCode(err);
  const reason =
    code === 'UND_ERR_CONNECT_TIMEOUT'
      ? 'could not connect in time'
      : (code ?? (err instanceof Error ? err.message : String(err)));
  const error = new ApiError(
    code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'network',
    platform,
    `${platformLabel} could not be reached (${clip(redactText(reason, [key]))}) for ${label}.`,
    label,
    undefined,
    code,
  );
  return { error, retryable: mayRetry({ kind: 'transport', timedOut: false, code }, idempotent) };
}

/** Turns an answer into the parsed body, or the error with whether another try is safe (retry.ts decides). */
export function interpret<T>(req: RequestOptions<T>, answer: Answer, call: Call, log: Logger): Attempt<T> {
  const { platform, label, key, idempotent } = call;
  const platformLabel = platform.label;
  const { status, headers, text } = answer;
  const unexpected = (problem: AnswerProblem, why: string) => ({
    error: new ApiError(
      'unexpected-response',
      platform,
      `Unexpected response from ${platformLabel} (${label}): ${why}.`,
      label,
      status,
    ),
    retryable: mayRetry({ kind: 'answer', problem }, idempotent),
    headers,
  });
  if (typeof text !== 'string')
    return unexpected(
      'too-large',
      `the answer is larger than ${formatBytes(text.limit)}${text.declared ? ` (it declared ${formatBytes(text.declared)})` : ''}; it was not read`,
    );
  // Nothing asks for a compressed answer, and one is never unpacked (1 MB of gzip can unpack to 1 GB).
  const encoding = one(headers['content-encoding'])?.trim().toLowerCase();
  const encoded = !!encoding && encoding !== 'identity';
  const deep = !encoded && nestsDeeperThan(text, MAX_JSON_DEPTH);
  let json: unknown;
  let malformed = false;
  if (!encoded && !deep && /\S/.test(text)) {
    try {
      json = JSON.parse(text);
    } catch {
      malformed = true;
    }
  }
  if (status >= 400) {
    const summary = malformed || encoded || deep ? { message: undefined, details: [] } : summarizeErrorBody(json);
    const retryAfterMs = parseRetryAfter(headers['retry-after']) ?? rateLimitReset(headers);
    const message = redactText(httpErrorMessage(platform, status, summary), [key]);
    const error = new ApiError('http', platform, message, label, status, summary.code, summary.details, retryAfterMs);
    return { error, retryable: mayRetry({ kind: 'status', status }, idempotent), headers };
  }
  const expected = req.expect ?? [200];
  if (!expected.includes(status)) {
    const where =
      status >= 300 && status < 400 && headers.location
        ? `, to ${clip(redactText(String(headers.location), [key]), 120)}`
        : '';
    return unexpected('status', `status ${status}${where}, where ${expected.join(' or ')} was expected`);
  }
  if (encoded)
    return unexpected(
      'encoded',
      `the body is ${clip(encoding, 40)}-encoded, which was not asked for; it was not unpacked`,
    );
  if (deep) return unexpected('too-deep', `the answer nests deeper than ${MAX_JSON_DEPTH} levels; it was not read`);
  if (malformed) return unexpected('cut-short', 'the body is not valid JSON');
  const parsed = req.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? formatPath(issue.path) : '';
    const detail = issue
      ? `${field ? `field "${field}": ` : ''}${issue.message}`
      : 'the body does not have the expected shape';
    log.debug(
      `${label}: response failed validation: ${redactText(JSON.stringify(parsed.error.issues.slice(0, 5)), [key])}`,
    );
    return unexpected('shape', clip(detail));
  }
  if (req.refused?.(parsed.data)) {
    // The platform answered, and said no: its message, never repeated (nothing suggests another try fares better).
    const summary = summarizeErrorBody(json);
    const why = summary.message ? clip(summary.message) : 'the request was refused, with no message';
    const message = redactText(`${platformLabel}: ${why} (${status} with success: false).`, [key]);
    return { error: new ApiError('http', platform, message, label, status, summary.code), retryable: false, headers };
  }
  return { response: { status, headers, data: parsed.data } };
}

/** GitBook's X-RateLimit-Reset (epoch seconds), used when a 429 carries no Retry-After. */
function rateLimitReset(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = one(headers['x-ratelimit-reset']);
  const value = Number(raw);
  if (!raw || !Number.isFinite(value)) return undefined;
  return Math.max(0, value * 1000 - Date.now());
}
