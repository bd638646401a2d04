import type { IncomingHttpHeaders } from 'node:http';
import type { PlatformId } from '../../../src/providers';
import type { EmulatorResponse, Router } from '../router';

/** What the server needs of each platform it serves. */
export interface PlatformEmulator<P = unknown> {
  readonly id: PlatformId;
  /** Path prefix on the emulator; the connection's base URL is `<origin><prefix>`. */
  readonly prefix: string;
  /** Sandbox keys by name: `admin` always, others where the platform has seats. */
  readonly keys: Readonly<Record<string, string>>;
  /** The caller behind the request's credentials, or undefined (a 401). */
  authenticate(headers: IncomingHttpHeaders): P | undefined;
  /** A body in the platform's own error envelope. */
  error(status: number, message: string, code?: string): EmulatorResponse;
  readonly router: Router<P>;
  /** Runs before routing: an answer here (a rate-limit 429, say) replaces the handler's. */
  preflight?(): EmulatorResponse | undefined;
  /** Headers added to every answer (GitBook's X-RateLimit-*). */
  headers?(): Record<string, string>;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
