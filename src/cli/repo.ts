/**
 * What an apply shares with every runner of the repository, beside the access file: the state file
 * (invitations the platforms cannot list, committed with the file; core/access/repoState.ts) and a
 * lock per connection, so two applies of one connection from one checkout never run at once, whatever
 * their --state-dir. Applies from separate checkouts or runners do not see each other's locks: a CI
 * concurrency group serialises them.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eitherInvited, rememberInvited, type InvitedLookup, type InvitedStore } from '../core/access/invited';
import type { LiveState } from '../core/access/live';
import type { ParsedFile } from '../core/access/parse';
import { RepoState, repoStatePath, type RepoConnection, type RepoUpdate } from '../core/access/repoState';
import type { ChangeItem } from '../core/changes/change';
import { takeLock } from '../core/jobs/lock';
import { ACCESS_FILE_FACTS, PLATFORMS } from '../providers';
import { isPlatform, type ConnectionRef } from './connections';

/** The folder beside the access file that holds the locks of the applies running from it (not committed). */
export const LOCKS_DIR = '.workspace-access-locks';
/** How long an apply waits for another one (of other connections) to finish writing the state file. */
export const STATE_WRITE_WAIT_MS = 10_000;

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

/** The invitations a plan of one connection knows of: this machine's, and the repository's. */
export function invitedFor(
  local: InvitedStore,
  repo: RepoState,
  connectionId: string,
  c: RepoConnection,
): InvitedLookup {
  return eitherInvited(local.get(connectionId), repo.lookup(c));
}

/** What an apply knows when it records its invitations. */
export interface Recorded {
  /** The access file, absolute: its state file is beside it. */
  readonly file: string;
  readonly refs: Readonly<Record<string, ConnectionRef>>;
  /** Live state per connection id, as the apply's plan read it: who is seen is forgotten. */
  readonly live?: ReadonlyMap<string, LiveState>;
}

/**
 * After an apply: its invitations on platforms that cannot list them are remembered in this
 * machine's store and in the repository's state file (`sent`, or `unconfirmed` when the answer was
 * lost), and the people seen live are forgotten. Returns the state file when it was written.
 * `waitMs`: how long to wait for another apply writing the state file.
 */
export async function recordInvitations(
  local: InvitedStore,
  outcomes: readonly { readonly status: string; readonly item: ChangeItem }[],
  at: Recorded,
  waitMs = STATE_WRITE_WAIT_MS,
): Promise<{ written?: string; unconfirmed: number }> {
  const cannotList = (id: string) =>
    ACCESS_FILE_FACTS.find((f) => f.platform === at.refs[id]?.platform)?.invitationsListed === false;
  const sent = rememberInvited(local, outcomes, cannotList);
  const updates: RepoUpdate[] = Object.entries(at.refs).map(([id, ref]) => {
    const live = at.live?.get(id);
    return {
      connection: ref,
      invitations: sent.filter((s) => s.connectionId === id),
      ...(live
        ? {
            seen: new Set(
              [...live.members.map((m) => m.email), ...(live.invitations ?? []).map((i) => i.email)].map((e) =>
                e.toLowerCase(),
              ),
            ),
          }
        : {}),
    };
  });
  const unconfirmed = sent.filter((s) => s.status === 'unconfirmed').length;
  // Read again under the lock: an apply of other connections of the file may have written it since the plan.
  const written = await underStateLock(at.file, waitMs, () => RepoState.read(at.file).update(updates));
  return { ...(written ? { written: repoStatePath(at.file) } : {}), unconfirmed };
}

/** The state file's own lock, in the locks folder beside the access file. */
export const stateLock = (file: string) =>
  path.join(path.dirname(path.resolve(file)), LOCKS_DIR, `${path.basename(file)}.state.lock`);

/** Runs `work` holding the state file's own lock: applies of other connections of the file may write it too. */
async function underStateLock<T>(file: string, waitMs: number, work: () => T): Promise<T> {
  const lock = stateLock(file);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const taken = takeLock(lock);
    if ('release' in taken) {
      try {
        return work();
      } finally {
        taken.release();
      }
    }
    if (Date.now() >= deadline)
      throw new Error(
        `The state file beside ${file} is being written by process ${taken.holder || 'unknown'} for more than ${waitMs / 1000} s: the invitations this apply sent are remembered on this machine only (its state folder), and a runner without it would send them again. Find out what holds the lock, and remove it if that process is not an apply.`,
      );
    await sleep(50);
  }
}
