/**
 * A bulk job's journal: one JSON-lines file per job in the extension's global storage. The first
 * line describes the job (enough to run it again after a reload); each later line is one step of
 * one item, written with a synchronous append before the request goes out, so a killed process
 * leaves a journal that says what was sent. The file is deleted when the job ends.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ItemResult, JobLog, PriorState } from './bulk';

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
  | { k: string; s: 'done'; note?: string }
  | { k: string; s: 'failed' | 'skipped' | 'unknown'; reason: string };

export interface LoadedJob {
  readonly file: string;
  readonly header: JobHeader;
  readonly prior: ReadonlyMap<string, PriorState>;
  /** The process that last wrote it. */
  readonly pid: number;
}

const SUFFIX = '.job.jsonl';

export class JobJournal implements JobLog {
  private fd: number | undefined;

  private constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'a');
  }

  /** Starts a journal for a new job. */
  static create(dir: string, job: Omit<JobHeader, 'v' | 'id' | 'started' | 'pid'>): { journal: JobJournal; header: JobHeader } {
    fs.mkdirSync(dir, { recursive: true });
    const header: JobHeader = { v: 1, id: randomUUID(), started: new Date().toISOString(), pid: process.pid, ...job };
    const file = path.join(dir, `${header.id}${SUFFIX}`);
    fs.writeFileSync(file, `${JSON.stringify(header)}\n`, { flag: 'wx' });
    return { journal: new JobJournal(file), header };
  }

  /** Continues the journal of an interrupted job (this process now owns it). */
  static reopen(job: LoadedJob): JobJournal {
    const journal = new JobJournal(job.file);
    journal.write({ k: '', s: 'owner', pid: process.pid });
    return journal;
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
    jobs.sort((a, b) => a.header.started.localeCompare(b.header.started));
    return { jobs, unreadable };
  }

  static load(file: string): LoadedJob {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const header = JSON.parse(lines[0]) as JobHeader;
    if (header.v !== 1 || typeof header.kind !== 'string' || !Array.isArray(header.items)) throw new Error('not a job journal this version can read');
    const prior = new Map<string, PriorState>();
    let pid = header.pid;
    for (const [i, line] of lines.slice(1).entries()) {
      if (line.trim() === '') continue;
      let step: Step;
      try {
        step = JSON.parse(line) as Step;
      } catch {
        // Only the last line can be torn (the process died while writing it); anything else is damage.
        if (i === lines.length - 2 || lines.slice(i + 2).every((l) => l.trim() === '')) continue;
        throw new Error(`line ${i + 2} is not valid JSON`);
      }
      if (step.s === 'owner') {
        pid = step.pid;
        continue;
      }
      if (step.s === 'sending') prior.set(step.k, 'sending');
      else if (step.s === 'requeued') prior.delete(step.k);
      else if (step.s === 'done') prior.set(step.k, step.note ? { status: 'done', note: step.note } : { status: 'done' });
      else prior.set(step.k, { status: step.s, reason: step.reason });
    }
    return { file, header, prior, pid };
  }

  /** Whether the process that wrote a journal is still running (then it is not ours to resume). */
  static writerAlive(job: LoadedJob): boolean {
    if (job.pid === process.pid) return false;
    try {
      process.kill(job.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  sending(keys: readonly string[]): void {
    for (const k of keys) this.write({ k, s: 'sending' });
  }

  requeued(key: string): void {
    this.write({ k: key, s: 'requeued' });
  }

  settled(key: string, result: ItemResult): void {
    this.write(result.status === 'done' ? { k: key, s: 'done', ...(result.note ? { note: result.note } : {}) } : { k: key, s: result.status, reason: result.reason });
  }

  /** The job ended: the journal goes. */
  delete(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private write(step: Step): void {
    if (this.fd === undefined) return;
    fs.writeSync(this.fd, `${JSON.stringify(step)}\n`);
  }
}

/** Removes a journal that will not be resumed (the person chose Discard). */
export function discardJournal(file: string): void {
  fs.rmSync(file, { force: true });
}
