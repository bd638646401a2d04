/**
 * Who runs a job: a claim is a file beside its journal holding the runner's pid, made with O_EXCL
 * so two claimers (windows, processes) can never both win. A claim whose holder is dead is taken
 * over by the next generation. The apply lock (lock.ts) asks the same question of a pid.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const CLAIM = '.claim.';
/** A claim file still empty after this long was left by a process that died while creating it. */
const EMPTY_CLAIM_STALE_MS = 5_000;

/** Whether a process runs (one of someone else's counts): who holds a claim or a lock. */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Who holds a journal's claim: the pid of a live holder, `'empty'` for a claim being written, or
 * undefined when the claim file is absent or its holder is dead.
 */
export function holderOf(claimFile: string): number | 'empty' | undefined {
  let text: string;
  try {
    text = fs.readFileSync(claimFile, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) {
    let age = 0;
    try {
      age = Date.now() - fs.statSync(claimFile).mtimeMs;
    } catch {
      return undefined;
    }
    return age > EMPTY_CLAIM_STALE_MS ? undefined : 'empty';
  }
  return isAlive(pid) ? pid : undefined;
}

/** Takes the next free claim on a journal: the claim file's path, or why not (its holder lives, the journal is gone). */
export function takeClaim(
  file: string,
): string | { readonly status: 'busy'; readonly pid?: number } | { readonly status: 'gone' } {
  let claimFile: string | undefined;
  for (let generation = 0; generation < 10_000 && !claimFile; generation++) {
    const candidate = `${file}${CLAIM}${generation}`;
    try {
      fs.writeFileSync(candidate, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      claimFile = candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'gone' };
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = holderOf(candidate);
      if (holder !== undefined) return { status: 'busy', ...(typeof holder === 'number' ? { pid: holder } : {}) };
    }
  }
  return claimFile ?? { status: 'busy' };
}

/** The claim files beside a journal (none when its folder is gone). */
/** The first claim file of a new journal, made by its creator. */
export const firstClaim = (file: string): string => `${file}${CLAIM}0`;

export function claimFiles(file: string): string[] {
  const dir = path.dirname(file);
  const base = `${path.basename(file)}${CLAIM}`;
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => n.startsWith(base))
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

export function removeClaims(file: string): void {
  for (const f of claimFiles(file)) fs.rmSync(f, { force: true });
}
