/**
 * A bulk job's journal: one JSON-lines file per job in the extension's global storage. The first
 * line describes the job (enough to run it again after a reload); each later line is one step of
 * one item, written with a synchronous append before the request goes out, so a killed process
 * leaves a journal that says what was sent. The file is deleted when the job ends.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { claimFiles, firstClaim, holderOf, isAlive, removeClaims, takeClaim } from './claims';
import type { ItemResult, JobLog, PriorState } from './bulkTask';

export interface JobItem {
  readonly key: string;
  readonly label: string;
  /** What the job's kind needs to send the item again (never a secret). */
  readonly payload: unknown;
}

export interface JobHeader {
  readonly v: 1;
  readonly id: string;
  /** Which runner sends the items ("share", "unshare", "invite"…). */
  readonly kind: string;
  readonly title: string;
  readonly connectionId: string;
  readonly params: unknown;
  readonly items: readonly JobItem[];
  readonly started: string;
  /** The process that wrote it, so a window does not resume a job another window is running. */
  readonly pid: number;
}

type Step =
  | { k: string; s: 'sending' }
  | { k: string; s: 'requeued' }
  | { k: ''; s: 'owner'; pid: number }
  /** The owner stopped without finishing (a pause, an engine error): nobody runs it now. */
  | { k: ''; s: 'released' }
  | { k: string; s: 'done'; note?: string }
  | { k: string; s: 'failed' | 'skipped' | 'unknown'; reason: string };

export interface LoadedJob {
  readonly file: string;
  readonly header: JobHeader;
  readonly prior: ReadonlyMap<string, PriorState>;
  /** The process that last wrote it; 0 when it was released. */
  readonly pid: number;
}

/** What an attempt to take a journal over found. */
export type Claim =
  | { readonly status: 'claimed'; readonly journal: JobJournal; readonly job: LoadedJob }
  /** Another process (or this one) is running it; `pid` when known. */
  | { readonly status: 'busy'; readonly pid?: number }
  /** The journal is gone: the job finished (or was discarded). Nothing is to be sent. */
  | { readonly status: 'gone' };

const SUFFIX = '.job.jsonl';

/** The header as this version writes it: a journal whose first line is anything else is named, never guessed at. */
const Header = z.object({
  v: z.literal(1),
  id: z.string().min(1),
  kind: z.string().min(1),
  title: z.string(),
  connectionId: z.string(),
  params: z.unknown().optional(),
  items: z.array(z.object({ key: z.string(), label: z.string(), payload: z.unknown().optional() })),
  started: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  pid: z.number().int(),
});

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  array: 'a list',
  object: 'an object',
};

/** What is wrong with a header, in a few words: `"started" is missing`, `"items.3.key" is not text`. */
function headerProblem(header: object, issues: readonly z.core.$ZodIssue[]): string {
  const what = issues.slice(0, 3).map((i) => {
    const at = `"${i.path.map(String).join('.') || 'header'}"`;
    const value = i.path.reduce<unknown>(
      (v, k) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined),
      header,
    );
    if (i.code === 'invalid_type')
      return value === undefined ? `${at} is missing` : `${at} is not ${KINDS[i.expected] ?? i.expected}`;
    if (i.code === 'invalid_value' && i.path[0] === 'v') return `${at} is ${JSON.stringify(value)}, not 1`;
    return `${at}: ${i.message}`;
  });
  return `${what.join('; ')}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`;
}

const STATES = new Set(['sending', 'requeued', 'owner', 'released', 'done', 'failed', 'skipped', 'unknown']);

/** Whether a parsed line is a step this version wrote: the fields each kind of step needs, of the right types. */
function isStep(x: unknown): x is Step {
  if (typeof x !== 'object' || x === null) return false;
  const step = x as Record<string, unknown>;
  if (typeof step.k !== 'string' || typeof step.s !== 'string' || !STATES.has(step.s)) return false;
  if (step.s === 'owner') return typeof step.pid === 'number';
  if (step.s === 'done') return step.note === undefined || typeof step.note === 'string';
  if (step.s === 'failed' || step.s === 'skipped' || step.s === 'unknown') return typeof step.reason === 'string';
  return true;
}

/** The journal folder holds emails and names: only its owner may read it. */
function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems cannot sync a folder; the file itself was synced.
  }
}

export class JobJournal implements JobLog {
  private fd: number | undefined;
  /** Whether each `sending` line is synced to disk before the request goes out (set for writes that must never repeat). */
  durable: boolean | ((key: string) => boolean) = false;

  private constructor(
    readonly file: string,
    fd: number,
    private claimFile: string | undefined,
  ) {
    this.fd = fd;
  }

  /** Starts a journal for a new job, claimed by this process. Header and folder are synced to disk. */
  static create(
    dir: string,
    job: Omit<JobHeader, 'v' | 'id' | 'started' | 'pid'>,
  ): { journal: JobJournal; header: JobHeader } {
    privateDir(dir);
    const header: JobHeader = { v: 1, id: randomUUID(), started: new Date().toISOString(), pid: process.pid, ...job };
    const file = path.join(dir, `${header.id}${SUFFIX}`);
    const claimFile = firstClaim(file);
    fs.writeFileSync(claimFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
    const fd = fs.openSync(
      file,
      fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_EXCL,
      0o600,
    );
    fs.writeSync(fd, `${JSON.stringify(header)}\n`);
    fs.fsyncSync(fd);
    syncDir(dir);
    return { journal: new JobJournal(file, fd, claimFile), header };
  }

  /**
   * Takes an interrupted job over, exclusively across windows and processes. Claims are files created
   * with O_EXCL that hold the claimer's pid, one per generation (`.claim.0`, `.claim.1`, …): a claim is
   * stale only when its pid is gone, and the next generation is then taken, so no file is ever
   * replaced and two claimers can never both win. After the claim, the journal is read again (it may
   * have moved on, or be gone: the job finished), and a torn last line is cut before anything is added.
   */
  static claim(file: string): Claim {
    const taken = takeClaim(file);
    if (typeof taken !== 'string') return taken;
    const claimFile = taken;
    let fd: number;
    try {
      // No O_CREAT: a journal deleted meanwhile (the job finished) is not made again.
      fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_APPEND);
    } catch (err) {
      fs.rmSync(claimFile, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'gone' };
      throw err;
    }
    try {
      cutTornLine(fd);
      const job = JobJournal.load(file);
      const journal = new JobJournal(file, fd, claimFile);
      journal.write({ k: '', s: 'owner', pid: process.pid }, true);
      return { status: 'claimed', journal, job };
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(claimFile, { force: true });
      throw err;
    }
  }

  /** Whether a live process holds a claim on the journal (this one included). */
  static claimed(file: string): boolean {
    return claimFiles(file).some((f) => holderOf(f) !== undefined);
  }

  /** Journals left by jobs that did not end. Unreadable files are reported, never deleted silently. */
  static list(dir: string): { jobs: LoadedJob[]; unreadable: { file: string; reason: string }[] } {
    const jobs: LoadedJob[] = [];
    const unreadable: { file: string; reason: string }[] = [];
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith(SUFFIX));
    } catch {
      return { jobs, unreadable };
    }
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        jobs.push(JobJournal.load(file));
      } catch (err) {
        unreadable.push({ file, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    jobs.sort((a, b) => a.header.started.localeCompare(b.header.started) || a.file.localeCompare(b.file));
    return { jobs, unreadable };
  }

  /** Reads a journal; throws an Error naming the line and what is wrong with it when it is damaged. */
  static load(file: string): LoadedJob {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let first: unknown;
    try {
      first = JSON.parse(lines[0]);
    } catch {
      throw new Error('line 1 is not valid JSON');
    }
    if (typeof first !== 'object' || first === null || Array.isArray(first))
      throw new Error('not a job journal this version can read: line 1 is not a job header');
    const parsed = Header.safeParse(first);
    if (!parsed.success)
      throw new Error(`not a job journal this version can read: ${headerProblem(first, parsed.error.issues)}`);
    const header = parsed.data as JobHeader;
    const prior = new Map<string, PriorState>();
    let pid = header.pid;
    for (const [i, line] of lines.slice(1).entries()) {
      if (line.trim() === '') continue;
      let step: unknown;
      try {
        step = JSON.parse(line);
      } catch {
        // Only the last line can be torn (the process died while writing it); anything else is damage.
        if (i === lines.length - 2 || lines.slice(i + 2).every((l) => l.trim() === '')) continue;
        throw new Error(`line ${i + 2} is not valid JSON`);
      }
      if (!isStep(step)) throw new Error(`line ${i + 2} is not a journal step`);
      if (step.s === 'owner') {
        pid = step.pid;
        continue;
      }
      if (step.s === 'released') {
        pid = 0;
        continue;
      }
      if (step.s === 'sending') prior.set(step.k, 'sending');
      else if (step.s === 'requeued') prior.delete(step.k);
      else if (step.s === 'done')
        prior.set(step.k, step.note ? { status: 'done', note: step.note } : { status: 'done' });
      else prior.set(step.k, { status: step.s, reason: step.reason });
    }
    return { file, header, prior, pid };
  }

  /** Whether the process that wrote a journal is still running (then it is not ours to resume). */
  static writerAlive(job: LoadedJob): boolean {
    if (job.pid === process.pid || job.pid <= 0) return false;
    return isAlive(job.pid);
  }

  sending(keys: readonly string[]): void {
    for (const k of keys) this.write({ k, s: 'sending' });
    // Before a write that must never repeat goes out, its line is on disk, not only in the page cache.
    const durable = typeof this.durable === 'function' ? keys.some(this.durable) : this.durable;
    if (durable && this.fd !== undefined) fs.fdatasyncSync(this.fd);
  }

  requeued(key: string): void {
    this.write({ k: key, s: 'requeued' });
  }

  settled(key: string, result: ItemResult): void {
    this.write(
      result.status === 'done'
        ? { k: key, s: 'done', ...(result.note ? { note: result.note } : {}) }
        : { k: key, s: result.status, reason: result.reason },
    );
  }

  /** The job ended: the journal goes, then the claims. */
  delete(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.file, { force: true });
    removeClaims(this.file);
    this.claimFile = undefined;
  }

  /** Stops writing without finishing (a pause, an engine error): the job is left for a resume, by any window. */
  close(): void {
    if (this.fd !== undefined) {
      this.write({ k: '', s: 'released' }, true);
      fs.closeSync(this.fd);
    }
    this.fd = undefined;
    if (this.claimFile) fs.rmSync(this.claimFile, { force: true });
    this.claimFile = undefined;
  }

  private write(step: Step, sync = false): void {
    if (this.fd === undefined) return;
    fs.writeSync(this.fd, `${JSON.stringify(step)}\n`);
    if (sync) fs.fdatasyncSync(this.fd);
  }
}

/** A process killed mid-line leaves a fragment: cut it before appending, so the next line starts clean. */
function cutTornLine(fd: number): void {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return;
  const tail = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  // Find the last newline, reading backwards a block at a time.
  while (end > 0) {
    const start = Math.max(0, end - tail.length);
    const n = fs.readSync(fd, tail, 0, end - start, start);
    const at = tail.subarray(0, n).lastIndexOf(0x0a);
    if (at >= 0) {
      const keep = start + at + 1;
      if (keep < size) fs.ftruncateSync(fd, keep);
      return;
    }
    end = start;
  }
  fs.ftruncateSync(fd, 0);
}
