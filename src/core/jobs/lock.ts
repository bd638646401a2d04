/**
 * A lock file between processes: created with O_EXCL and holding its owner's pid. A lock whose
 * owner is gone is stale and taken over, so a killed process never blocks the next one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from './claims';

/** Takes the lock: a release function, or the pid that holds it (0 when it could not be read). */
export function takeLock(lock: string): { release: () => void } | { holder: number } {
  fs.mkdirSync(path.dirname(lock), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      return { release: () => fs.rmSync(lock, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = 0;
    try {
      holder = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
    } catch {
      // Gone between the two calls: its holder has just finished; try again.
      continue;
    }
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return { holder };
    fs.rmSync(lock, { force: true });
  }
  return { holder: 0 };
}

/** Runs `work` holding the lock; undefined (and nothing run) when another process holds it. */
export async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T | undefined> {
  const taken = takeLock(lock);
  if (!('release' in taken)) return undefined;
  try {
    return await work();
  } finally {
    taken.release();
  }
}
