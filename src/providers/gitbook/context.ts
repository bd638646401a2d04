import type { HttpClient } from '../../core/http/client';
import type { HttpResponse } from '../../core/http/request';
import { readAllPages, type WholeList } from '../../core/paging';
import type { RemovalOutcome } from '../../core/provider';

/** What every GitBook capability works with: the connection's client, and the organization in the paths. */
export class GitBookContext {
  constructor(
    readonly http: HttpClient,
    /** The organization the connection picked; a connection made before picking one has none. */
    readonly orgId?: string,
  ) {}

  get org(): string {
    if (!this.orgId)
      throw new Error('This GitBook connection has no organization; remove it and add it again to pick one.');
    return this.orgId;
  }
}

/** Maps a whole list, keeping what it says about stopping early. */
export function mapWhole<T, U>(list: WholeList<T>, map: (t: T) => U): WholeList<U> {
  const out: WholeList<U> = list.map(map);
  if (list.incomplete) out.incomplete = list.incomplete;
  return out;
}

export function removal(res: HttpResponse<unknown>): RemovalOutcome {
  return res.status === 202 ? 'requested' : res.status === 204 ? 'not-there' : 'removed';
}

/** Follows `next.page` to the end, bounded (see readAllPages): for lists that must be whole. */
export function all<T>(
  http: HttpClient,
  what: string,
  fetch: (page?: string) => Promise<{ items: T[]; next?: { page: string } }>,
  signal?: AbortSignal,
): Promise<WholeList<T>> {
  return readAllPages(
    `GitBook ${what}`,
    async (token) => {
      const res = await fetch(token);
      return { items: res.items, next: res.next?.page };
    },
    { signal, onIncomplete: (why) => http.log.warn(why) },
  );
}
