import type { HttpClient } from '../../core/http/client';
import type { Page, RoleInfo } from '../../core/model';
import { nextNumbered } from '../../core/paging';
import type { RemovalOutcome } from '../../core/provider';

/**
 * What every Confident AI capability works with: the connection's client, and what the connection
 * remembers between calls until the provider's invalidate().
 */
export class ConfidentContext {
  /** The organization's roles, read once per session (Refresh reads them again). */
  roleCache?: Promise<RoleInfo[]>;

  constructor(readonly http: HttpClient) {}

  forget(): void {
    this.roleCache = undefined;
  }
}

/**
 * `removed: false` / `deleted: false` is an answer: there was nothing to remove. An answer without
 * the flag (the spec allows it) says only that the call succeeded: the thing is gone.
 */
export const gone = (done: boolean | undefined): RemovalOutcome => (done === false ? 'not-there' : 'removed');

/** Page-number pagination: the token is the next page number; without a total, a full page may have a next. */
export function numbered<T>(page: number, pageSize: number, total: number | undefined, items: T[]): Page<T> {
  return { items, next: nextNumbered(page, pageSize, total, items.length), ...(total !== undefined ? { total } : {}) };
}
