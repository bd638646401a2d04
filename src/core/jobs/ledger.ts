/**
 * What a job did, kept past its journal for whoever started it: a job's journal is deleted when the
 * job ends, and a job can end where its starter cannot see it (resumed after a reload, or cut short
 * by Ctrl+C). An access review's close uses this: its evidence records each change it made, even
 * when the job that made it ended before the review could close. One JSON line per item done, with
 * what the starter asked to keep for it (`entries`, by the job item's key) and when; the file is
 * private and its starter removes it when it no longer needs it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Outcome, PriorState } from './bulkTask';
import type { JobItem } from './journal';

export interface LedgerSpec {
  /** The file the done items are added to. */
  readonly file: string;
  /** What to keep for each item when it is done, by its key in the job; items not named are not kept. */
  readonly entries: Readonly<Record<string, unknown>>;
}

export interface LedgerLine {
  readonly entry: unknown;
  /** When the job that did it ended (ISO). */
  readonly at: string;
}

/** Adds the job's done items to the ledger (0600, its folder 0700). */
export function recordDone(
  spec: LedgerSpec,
  outcomes: readonly Outcome<JobItem>[],
  at = new Date().toISOString(),
): void {
  const lines = outcomes
    .filter((o) => o.status === 'done' && Object.hasOwn(spec.entries, o.item.key))
    .map((o) => `${JSON.stringify({ entry: spec.entries[o.item.key], at })}\n`);
  if (!lines.length) return;
  fs.mkdirSync(path.dirname(spec.file), { recursive: true, mode: 0o700 });
  fs.appendFileSync(spec.file, lines.join(''), { mode: 0o600 });
  fs.chmodSync(spec.file, 0o600);
}

/** The ledger's lines (none when there is no ledger); a line that does not read is left out. */
export function readLedger(file: string): LedgerLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: LedgerLine[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const x = JSON.parse(line) as Partial<LedgerLine>;
      if (typeof x.at === 'string' && 'entry' in x) out.push({ entry: x.entry, at: x.at });
    } catch {
      // A line cut short by a crash: the job's journal still had it, and a resume adds it again.
    }
  }
  return out;
}

export const removeLedger = (file: string): void => fs.rmSync(file, { force: true });

/**
 * How long a ledger is kept after its last line: a close cut short and never finished (its review
 * abandoned, renamed, or closed elsewhere) does not keep the people it names for ever. A quarter,
 * the period reviews come round in.
 */
export const LEDGER_DAYS = 90;

/** Removes the folder's ledgers untouched for `days` (LEDGER_DAYS); what it removed. */
export function pruneLedgers(dir: string, days = LEDGER_DAYS, now = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > days * 86_400_000) {
        fs.rmSync(file, { force: true });
        removed.push(file);
      }
    } catch {
      // Gone meanwhile: nothing to remove.
    }
  }
  return removed;
}

/** The items a journal records as done (its `prior` states), as outcomes: what a discarded job did. */
export const doneInJournal = (items: readonly JobItem[], prior: ReadonlyMap<string, PriorState>): Outcome<JobItem>[] =>
  items.flatMap((item) => {
    const p = prior.get(item.key);
    return p !== undefined && p !== 'sending' && p.status === 'done' ? [{ item, status: 'done' as const }] : [];
  });
