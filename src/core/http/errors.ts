import type { PlatformInfo } from '../platforms';

/** What an error needs to know of its platform. */
export type PlatformName = Pick<PlatformInfo, 'id' | 'label'>;

/** One entry of a 422 validation error list (FastAPI style, as ElevenLabs sends it). */
export interface ValidationDetail {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type?: string;
}

export type ApiErrorKind = 'http' | 'unexpected-response' | 'timeout' | 'network' | 'cancelled';

/** Every failure of a platform call is one of these, with a message fit to show a person. */
export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  /** The platform's id, and the name people know it by. */
  readonly platform: string;
  readonly platformLabel: string;
  constructor(
    readonly kind: ApiErrorKind,
    platform: PlatformName,
    message: string,
    readonly request: string,
    readonly status?: number,
    readonly code?: string,
    details: readonly ValidationDetail[] = [],
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.platform = platform.id;
    this.platformLabel = platform.label;
    this.details = details.length > MAX_DETAILS ? details.slice(0, MAX_DETAILS) : details;
  }

  /** The platform's validation details: the first `MAX_DETAILS` (the message says how many more there were). */
  readonly details: readonly ValidationDetail[];

  /** True when the platform refused the key itself: the fix is a new key. */
  get isAuthError(): boolean {
    return this.kind === 'http' && this.status === 401;
  }
}

/** The call was cancelled by the person (or the caller's AbortSignal). */
export class CancelledError extends ApiError {
  override readonly name = 'CancelledError';
  constructor(platform: PlatformName, request: string) {
    super('cancelled', platform, 'The request was cancelled.', request);
  }
}

export function isCancelled(err: unknown): boolean {
  return err instanceof CancelledError || (err instanceof Error && err.name === 'AbortError');
}

interface ErrorSummary {
  message?: string;
  code?: string;
  details: ValidationDetail[];
}

/** The longest server text a message carries: enough to read, never a page of it. */
export const MAX_SERVER_TEXT = 300;

/** Cuts a text to `max` characters, saying how much was left out. */
export function clip(text: string, max = MAX_SERVER_TEXT): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** The validation details an error keeps; a message names the rest by their number ("and 59980 more"). */
export const MAX_DETAILS = 20;
/** The longest code, location part or detail type an error keeps. */
const MAX_FIELD_TEXT = 100;
/** Location parts a detail keeps. */
const MAX_LOC_PARTS = 16;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isDetail = (item: unknown): item is Record<string, unknown> & { msg: string } =>
  isRecord(item) && typeof item.msg === 'string';

const codeOf = (code: string | undefined) => (code === undefined ? undefined : clip(code, MAX_FIELD_TEXT));

/** One detail, each of its texts bounded. */
function toDetail(item: Record<string, unknown> & { msg: string }): ValidationDetail {
  const loc = Array.isArray(item.loc)
    ? item.loc
        .slice(0, MAX_LOC_PARTS)
        .filter((p): p is string | number => typeof p === 'string' || typeof p === 'number')
        .map((p) => (typeof p === 'string' ? clip(p, MAX_FIELD_TEXT) : p))
    : [];
  const type = str(item.type);
  return { loc, msg: clip(item.msg), type: type === undefined ? undefined : clip(type, MAX_FIELD_TEXT) };
}

/** The first `MAX_DETAILS` details of a list, and the message that reads them (and names how many more there were). */
function detailList(list: readonly unknown[]): ErrorSummary {
  const details: ValidationDetail[] = [];
  let more = 0;
  for (const item of list) {
    if (!isDetail(item)) continue;
    if (details.length < MAX_DETAILS) details.push(toDetail(item));
    else more++;
  }
  const text = details.map(formatDetail).join('; ');
  if (!more) return { message: text || undefined, details };
  // Room is left for the count, which the message's own cap must not cut off.
  return { message: `${clip(text, MAX_SERVER_TEXT - 60)}; and ${more} more`, details };
}

/**
 * Reads the error body of any of the three platforms:
 * ElevenLabs `{detail:[{loc,msg,type}]}`, `{detail:{status,message}}`, `{detail:"…"}`, `{error,message}`;
 * GitBook `{error:{code,message}}`; Confident AI `{success:false,error:"…"}`.
 */
export function summarizeErrorBody(body: unknown): ErrorSummary {
  if (!isRecord(body)) return { message: str(body), details: [] };
  const detail = body.detail;
  if (Array.isArray(detail)) return detailList(detail);
  if (isRecord(detail)) {
    return {
      message: str(detail.message) ?? str(detail.status),
      code: codeOf(str(detail.status) ?? str(detail.code)),
      details: [],
    };
  }
  if (typeof detail === 'string') return { message: str(detail), details: [] };
  const error = body.error;
  if (isRecord(error)) {
    const code = typeof error.code === 'number' ? String(error.code) : str(error.code);
    return { message: str(error.message), code: codeOf(code), details: [] };
  }
  if (typeof error === 'string') {
    return body.success === false
      ? { message: str(error), details: [] }
      : { message: str(body.message) ?? str(error), code: codeOf(str(error)), details: [] };
  }
  return { message: str(body.message), details: [] };
}

/** `body.email: value is not a valid email address` */
export function formatDetail(d: ValidationDetail): string {
  const where = d.loc.filter((p) => p !== 'body').join('.');
  return where ? `${where}: ${d.msg}` : d.msg;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'the request was refused',
  401: 'the API key was not accepted',
  403: 'the API key is not allowed to do this',
  404: 'not found',
  408: 'the request timed out',
  409: 'conflict',
  422: 'the request was not valid',
  429: 'too many requests',
  500: 'server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

/** The latest time a Date can hold (epoch ms). */
const LAST_DATE_MS = 8.64e15;

/**
 * A time a platform named (a Retry-After, an X-RateLimit-Reset), to the nearest second (the
 * milliseconds between reading the answer and saying so are not the platform's), in UTC:
 * `9999-01-01T00:00:00Z`. A time past what a date can hold is said so, not thrown on.
 */
export function formatUntil(epochMs: number): string {
  const second = Math.round(epochMs / 1000) * 1000;
  if (!Number.isFinite(second) || Math.abs(second) > LAST_DATE_MS) return 'a time past the year 275760';
  return new Date(second).toISOString().replace('.000Z', 'Z');
}

/** Error codes from undici and Node that mean the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export function neverReachedServer(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** A 5xx or a timeout (not a connect timeout): the server is struggling, the engine's congestion signal. */
export function isServerTrouble(err: unknown): err is ApiError {
  return (
    err instanceof ApiError &&
    ((err.kind === 'http' && (err.status ?? 0) >= 500) ||
      (err.kind === 'timeout' && err.code !== 'UND_ERR_CONNECT_TIMEOUT'))
  );
}

/**
 * Whether a failed request may still have taken effect on the server. A 1xx or 3xx answer (a
 * redirect) is not an action of the API; a 5xx, a cut or malformed answer, a reset or a timeout may be.
 */
export function mayHaveActed(err: unknown): boolean {
  // Anything but an ApiError was thrown by our own code before or after the call, not by a lost answer.
  if (!(err instanceof ApiError)) return false;
  switch (err.kind) {
    case 'http':
      return (err.status ?? 0) >= 500;
    case 'network':
      return !neverReachedServer(err.code);
    case 'timeout':
      return err.code !== 'UND_ERR_CONNECT_TIMEOUT';
    case 'unexpected-response':
      return err.status === undefined || err.status < 100 || (err.status >= 200 && err.status < 300);
    case 'cancelled':
      return true;
  }
}

export function httpErrorMessage(platform: PlatformName, status: number, summary: ErrorSummary): string {
  const { label } = platform;
  const what = STATUS_TEXT[status] ?? (status >= 500 ? 'server error' : 'request failed');
  const hint = status === 401 ? ' Update the API key of this connection.' : '';
  return summary.message
    ? `${label}: ${clip(summary.message)} (${status} ${what}).${hint}`
    : `${label}: ${what} (${status}).${hint}`;
}
