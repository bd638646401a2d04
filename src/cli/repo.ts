/**
 * What an apply shares with every runner of the repository, beside the access file: the state file
 * (invitations the platforms cannot list, committed with the file; core/access/repoState.ts, recorded
 * by core/access/repoRecord.ts as the extension's Apply does) and a
 * lock per connection, so two applies of one connection from one checkout never run at once, whatever
 * their --state-dir. Applies from separate checkouts or runners do not see each other's locks: a CI
 * concurrency group serialises them.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { InvitedStore } from '../core/access/invited';
import type { ParsedFile } from '../core/access/parse';
import {
  LOCKS_DIR,
  recordInvitations as recordCore,
  STATE_WRITE_WAIT_MS,
  type Recorded as CoreRecorded,
} from '../core/access/repoRecord';
import type { RepoConnection } from '../core/access/repoState';
import type { ChangeItem } from '../core/changes/change';
import { takeLock } from '../core/jobs/lock';
import { ACCESS_FILE_FACTS, PLATFORMS } from '../providers';
import { isPlatform, type ConnectionRef } from './connections';

export { invitedFor, LOCKS_DIR, STATE_WRITE_WAIT_MS, stateLock } from '../core/access/repoRecord';

/** How a connection is named in messages: `ElevenLabs "Production"`. */
const label = (c: RepoConnection) => `${isPlatform(c.platform) ? PLATFORMS[c.platform].label : c.platform} "${c.name}"`;

/** A connection's lock: `elevenlabs-production-<8 hex>.lock` in the locks folder beside the access file. */
export function connectionLock(accessFile: string, c: RepoConnection): string {
  const name = c.name.trim().toLowerCase();
  const slug = name
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const hash = createHash('sha256').update(`${c.platform}:${name}`).digest('hex').slice(0, 8);
  return path.join(path.dirname(path.resolve(accessFile)), LOCKS_DIR, `${c.platform}-${slug}-${hash}.lock`);
}

/** The connections a file names, as the state file and the locks name them. */
export const connectionsOf = (parsed: ParsedFile): RepoConnection[] =>
  parsed.connections.map((c) => ({ platform: c.facts.platform, name: c.name }));

/**
 * Takes the lock of every connection the apply acts on, or none: when another apply holds one, why
 * (the connection and the process, for the command's error; nothing is sent).
 */
export function holdConnections(
  file: string,
  shown: string,
  connections: readonly RepoConnection[],
): { release: () => void } | { refused: string } {
  const held: (() => void)[] = [];
  const release = () => held.splice(0).forEach((r) => r());
  const unique = new Map(connections.map((c) => [connectionLock(file, c), c]));
  for (const [lock, c] of [...unique].sort(([a], [b]) => a.localeCompare(b))) {
    let taken: ReturnType<typeof takeLock>;
    try {
      taken = takeLock(lock);
    } catch (err) {
      release();
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      return {
        refused: `The lock of ${label(c)} cannot be written beside ${shown} (${code}): apply writes its locks and its state file there, so the checkout must be writable. Nothing was sent.`,
      };
    }
    if ('release' in taken) {
      held.push(taken.release);
      continue;
    }
    release();
    return {
      refused: `Another apply of ${label(c)} is running from this repository${taken.holder ? ` (process ${taken.holder})` : ''}: it holds ${path.relative(process.cwd(), lock) || lock}. Nothing was sent from this one. Applies of ${shown} from separate checkouts or runners do not see this lock: serialise them with your CI's concurrency group.`,
    };
  }
  return { release };
}

/** What an apply knows when it records its invitations: the CLI names its connections with their tenant too. */
export interface Recorded extends CoreRecorded {
  readonly refs: Readonly<Record<string, ConnectionRef>>;
}

/**
 * After an apply: its invitations recorded in this machine's store and in the state file beside the
 * access file (core/access/repoRecord.ts), for the platforms whose facts say they cannot list them.
 */
export const recordInvitations = (
  local: InvitedStore,
  outcomes: readonly { readonly status: string; readonly item: ChangeItem }[],
  at: Recorded,
  waitMs = STATE_WRITE_WAIT_MS,
) => recordCore(local, outcomes, at, ACCESS_FILE_FACTS, waitMs);
