/**
 * Reading a whole list a page at a time, bounded: every loop over pages stops on an empty page, on
 * a page token it was given before, and at a page cap, and says so when it stopped early. A
 * platform's `total` is never trusted to decide how many requests to send.
 */
import { runEach } from './jobs/each';
import type { Page } from './model';

/** Pages read at most for one whole list (at 1,000 per page for members, a million people). */
export const MAX_PAGES = 1000;

/** A list that should be whole; `incomplete` says why it is not, when a read stopped early. */
export type WholeList<T> = T[] & { incomplete?: string };

export interface ReadAllOptions {
  readonly signal?: AbortSignal;
  readonly maxPages?: number;
  /** Told once when the read stopped before the platform said the list ended (a log line, say). */
  readonly onIncomplete?: (why: string) => void;
}

export async function readAllPages<T>(
  what: string,
  fetch: (token: string | undefined) => Promise<Page<T>>,
  options: ReadAllOptions = {},
): Promise<WholeList<T>> {
  const items: WholeList<T> = [];
  const seen = new Set<string>();
  const maxPages = options.maxPages ?? MAX_PAGES;
  let token: string | undefined;
  for (let pages = 0; ; pages++) {
    options.signal?.throwIfAborted();
    if (pages >= maxPages)
      return stop(
        items,
        `${what}: stopped after ${maxPages} pages (${items.length} items); the list may be longer`,
        options,
      );
    const page = await fetch(token);
    items.push(...page.items);
    if (!page.next) return items;
    if (page.items.length === 0)
      return stop(
        items,
        `${what}: the platform sent an empty page that promised more; stopped at ${items.length} items`,
        options,
      );
    if (seen.has(page.next))
      return stop(
        items,
        `${what}: the platform sent a page token it had sent before; stopped at ${items.length} items`,
        options,
      );
    seen.add(page.next);
    token = page.next;
  }
}

function stop<T>(items: WholeList<T>, why: string, options: ReadAllOptions): WholeList<T> {
  items.incomplete = why;
  options.onIncomplete?.(why);
  return items;
}

/**
 * A numbered page's next token: only after a full page, and only while the items so far are fewer
 * than the platform's total (when it gives one). A short page ends the list whatever `total` claims.
 */
export function nextNumbered(
  page: number,
  pageSize: number,
  total: number | undefined,
  received: number,
): string | undefined {
  return received >= pageSize && (total === undefined || page * pageSize < total) ? String(page + 1) : undefined;
}

/**
 * A whole list whose pages are numbered and whose total comes with the first page (Confident AI):
 * the first page, then every other page side by side through the bulk engine's window (`concurrency`
 * at most), in order. A page that cannot be read fails the read, naming it. Without a total, the
 * pages are read one after another until a short page (an empty one included).
 */
export async function readNumberedPages<T>(
  what: string,
  fetch: (page: number, signal?: AbortSignal) => Promise<{ readonly items: readonly T[]; readonly total?: number }>,
  pageSize: number,
  options: { readonly signal?: AbortSignal; readonly concurrency?: number } = {},
): Promise<WholeList<T>> {
  const first = await fetch(1, options.signal);
  if (first.total === undefined) return readUntilShort(what, fetch, pageSize, first.items, options.signal);
  const pages = Math.ceil(first.total / pageSize);
  if (first.items.length < pageSize || pages <= 1) return [...first.items];
  const last = Math.min(pages, MAX_PAGES);
  const rest: (readonly T[] | undefined)[] = [];
  // A short page is the end, whatever `total` claims: no page after it is asked for (a lying total
  // costs one window of requests, not thousands).
  let end = last;
  const numbers = Array.from({ length: last - 1 }, (_, i) => i + 2);
  const outcomes = await runEach(
    numbers,
    async (n, signal) => {
      if (n > end) return;
      const page = (await fetch(n, signal)).items;
      rest[n - 2] = page;
      if (page.length < pageSize) end = Math.min(end, n);
    },
    { concurrency: options.concurrency ?? 16, signal: options.signal },
  );
  for (const o of outcomes)
    if (o.status !== 'done' && o.item <= end) throw new Error(`${what}: page ${o.item} could not be read: ${o.reason}`);
  const items: WholeList<T> = [...first.items, ...rest.slice(0, end - 1).flatMap((p) => p ?? [])];
  if (end === last && last < pages)
    stop(items, `${what}: stopped after ${MAX_PAGES} pages (${items.length} items); the list may be longer`, {});
  return items;
}

/**
 * The pages after the first, one at a time, until a short one: nothing says how many there are. A
 * page the same as the one before (a server that ignores `page`) ends the read, as the page cap does.
 */
async function readUntilShort<T>(
  what: string,
  fetch: (page: number, signal?: AbortSignal) => Promise<{ readonly items: readonly T[] }>,
  pageSize: number,
  first: readonly T[],
  signal: AbortSignal | undefined,
): Promise<WholeList<T>> {
  const items: WholeList<T> = [...first];
  for (let page = 2, last = first; last.length >= pageSize; page++) {
    if (page > MAX_PAGES)
      return stop(
        items,
        `${what}: stopped after ${MAX_PAGES} pages (${items.length} items); the list may be longer`,
        {},
      );
    signal?.throwIfAborted();
    const next = (await fetch(page, signal)).items;
    if (JSON.stringify(next) === JSON.stringify(last))
      return stop(items, `${what}: page ${page} repeated page ${page - 1}; stopped at ${items.length} items`, {});
    items.push(...next);
    last = next;
  }
  return items;
}

/** Items per page where a platform returns a list whole (ElevenLabs members and groups). */
export const LOCAL_PAGE = 200;

/**
 * Pages cut from a list the platform returns whole (ElevenLabs members, say): the first page reads
 * the list afresh, the next pages reuse that read. The token is the offset; `total` is known.
 */
export function slicePages<T>(
  all: (signal?: AbortSignal) => Promise<readonly T[]>,
  size = LOCAL_PAGE,
): (token?: string, signal?: AbortSignal) => Promise<Page<T>> {
  let cache: Promise<readonly T[]> | undefined;
  return async (token, signal) => {
    if (!token || !cache) cache = all(signal);
    const list = await cache;
    const start = token ? Number(token) : 0;
    const end = start + size;
    return { items: list.slice(start, end), next: end < list.length ? String(end) : undefined, total: list.length };
  };
}
