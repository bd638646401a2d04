/**
 * A journaled job's life around the engine, for every front end (the extension's job runner, the
 * command line): keys fixed when the job starts, durable lines for what must never repeat, the
 * journal deleted when the job ends and kept for a resume when it pauses or the engine fails.
 */
import { repeats, type BulkTask, type JobOptions, type JobResult } from './bulkTask';
import { runJob } from './engine';
import type { JobItem, JobJournal } from './journal';
import { recordDone, type LedgerSpec } from './ledger';

/** The task over journal items: keys are fixed when the job starts, payloads go to the kind's task. */
export function overItems(inner: BulkTask<unknown>): BulkTask<JobItem> {
  const { verify, batch } = inner;
  const group = batch?.group;
  return {
    key: (i) => i.key,
    run: (i, signal) => inner.run(i.payload, signal),
    verify: verify && ((i, signal) => verify(i.payload, signal)),
    idempotent: (i) => repeats(inner, i.payload),
    batch: batch && {
      size: batch.size,
      group: group && ((i) => group(i.payload)),
      run: (items, signal) =>
        batch.run(
          items.map((i) => i.payload),
          signal,
        ),
    },
  };
}

/** Which keys' "sending" lines must reach the disk before the request: those of items that must never be sent twice. */
export function durableFor(
  items: readonly JobItem[],
  inner: Pick<BulkTask<unknown>, 'idempotent'>,
): (key: string) => boolean {
  const once = new Set(items.filter((i) => !repeats(inner, i.payload)).map((i) => i.key));
  return (key) => once.has(key);
}

/**
 * Runs a journaled job's items to the end, for every front end (the extension's job runner, the
 * command line): a job that ends has its journal deleted; one that pauses (an outage) or whose
 * engine fails keeps it, released for a resume by any process. With a `ledger`, its done items are
 * added to it first (ledger.ts).
 */
export async function runJournaled(
  journal: JobJournal,
  items: readonly JobItem[],
  inner: BulkTask<unknown>,
  options: Omit<JobOptions, 'journal'> & { readonly ledger?: LedgerSpec },
): Promise<JobResult<JobItem>> {
  // An invitation sent twice is a second email: its "sending" lines reach the disk before the request.
  journal.durable = durableFor(items, inner);
  const { ledger, ...jobOptions } = options;
  let result: JobResult<JobItem>;
  try {
    result = await runJob(items, overItems(inner), { ...jobOptions, journal });
  } catch (err) {
    // Not an item's failure (those are outcomes) but the engine's: keep the journal for a resume.
    journal.close();
    throw err;
  }
  // Before the journal goes: a crash in between leaves the journal, and its resume adds them again.
  if (ledger) recordDone(ledger, result.outcomes);
  if (result.paused) journal.close();
  else journal.delete();
  return result;
}
