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

/** `removed: false` / `deleted: false` is an answer: there was nothing to remove. */
export const gone = (done: boolean): RemovalOutcome => (done ? 'removed' : 'not-there');

/** Page-number pagination: the token is the next page number. */
export function numbered<T>(page: number, pageSize: number, total: number, items: T[]): Page<T> {
  return { items, next: nextNumbered(page, pageSize, total, items.length), total };
}
