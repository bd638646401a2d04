/** What a request says and what comes back, and how a request becomes an address and headers. */
import type { ZodType } from 'zod';
import type { PlatformInfo } from '../platforms';

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
  /**
   * Whether a parsed answer is the platform refusing inside a success status (Confident AI's 200
   * with `success: false`): the call then fails with the platform's own message, as on an error status.
   */
  refused?(data: T): boolean;
}

/**
 * A request names the statuses that mean success for it. Anything else below 400 (a 1xx, a redirect,
 * a 2xx the operation does not answer with) is an unexpected answer, never a success; redirects are
 * not followed. A read expects 200 unless it says otherwise; every write must say.
 */
export type RequestOptions<T> = RequestBase<T> &
  (
    | { readonly method: 'GET'; readonly expect?: readonly number[] }
    | { readonly method: Exclude<HttpMethod, 'GET'>; readonly expect: readonly number[] }
  );

export interface HttpResponse<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly data: T;
}

const USER_AGENT = 'workspace-access-vscode/0.1';

/** The base URL and the path, with the query parameters that have a value. */
export function requestUrl(baseUrl: string, req: RequestOptions<unknown>): string {
  const url = new URL(baseUrl + req.path);
  for (const [name, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url.toString();
}

/** JSON both ways, our user agent, and the platform's auth header with the key. */
export function requestHeaders(
  platform: PlatformInfo,
  key: string,
  req: RequestOptions<unknown>,
): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': USER_AGENT,
    [platform.authHeader]: platform.authValue(key),
  };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}
