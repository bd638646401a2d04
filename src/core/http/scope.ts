import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Set by the bulk engine around each item's work. Inside it the HTTP client leaves rate limits
 * and repeats of writes to the engine: a 429 is thrown at once (the engine re-queues the item and
 * shrinks its window), and a write is never sent twice by the client (the engine checks first).
 * Reads keep their usual retries.
 */
export interface BulkScope {
  readonly engineRetries: true;
}

export const bulkScope = new AsyncLocalStorage<BulkScope>();
