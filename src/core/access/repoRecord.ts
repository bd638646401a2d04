/**
 * What an Apply, of the command line or of the extension, records beside the access file: its
 * invitations on platforms that cannot list them, in this machine's store and in the repository's
 * state file (repoState.ts), under the state file's own lock so applies of other connections of the
 * file do not overwrite each other. Both plans look invitations up the same way (invitedFor).
 */
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChangeItem } from '../changes/change';
import { takeLock } from '../jobs/lock';
import type { AccessFileFacts } from './facts';
import { eitherInvited, rememberInvited, type InvitedLookup, type InvitedStore } from './invited';
import type { LiveState } from './live';
import { RepoState, repoStatePath, type RepoConnection, type RepoUpdate } from './repoState';

/** The folder beside the access file that holds the locks of the applies running from it (not committed). */
export const LOCKS_DIR = '.workspace-access-locks';
/** How long an apply waits for another one (of other connections) to finish writing the state file. */
export const STATE_WRITE_WAIT_MS = 10_000;

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
  /** The file's connections by connection id, each as the file names it (its platform and name). */
  readonly refs: Readonly<Record<string, RepoConnection>>;
  /** Live state per connection id, as the apply's plan read it: who is seen is forgotten. */
  readonly live?: ReadonlyMap<string, LiveState>;
}

/**
 * After an apply: its invitations on platforms that cannot list them (`facts` say which) are
 * remembered in this machine's store and in the repository's state file (`sent`, or `unconfirmed`
 * when the answer was lost), and the people seen live are forgotten. Returns the state file when it
 * was written. `waitMs`: how long to wait for another apply writing the state file.
 */
export async function recordInvitations(
  local: InvitedStore,
  outcomes: readonly { readonly status: string; readonly item: ChangeItem }[],
  at: Recorded,
  facts: readonly AccessFileFacts[],
  waitMs = STATE_WRITE_WAIT_MS,
): Promise<{ written?: string; unconfirmed: number }> {
  const cannotList = (id: string) =>
    facts.find((f) => f.platform === at.refs[id]?.platform)?.invitationsListed === false;
  const sent = rememberInvited(local, outcomes, cannotList);
  const updates: RepoUpdate[] = Object.entries(at.refs).map(([id, ref]) => {
    const live = at.live?.get(id);
    return {
      connection: ref,
      invitations: sent.filter((s) => s.connectionId === id),
      ...(live ? { seen: seenIn(live) } : {}),
    };
  });
  const unconfirmed = sent.filter((s) => s.status === 'unconfirmed').length;
  // Read again under the lock: an apply of other connections of the file may have written it since the plan.
  const written = await underStateLock(at.file, waitMs, () => RepoState.read(at.file).update(updates));
  return { ...(written ? { written: repoStatePath(at.file) } : {}), unconfirmed };
}

/** Who live shows as a member or a pending invitation (lower case): no longer to be remembered. */
const seenIn = (live: LiveState): ReadonlySet<string> =>
  new Set(
    [...live.members.map((m) => m.email), ...(live.invitations ?? []).map((i) => i.email)].map((e) => e.toLowerCase()),
  );

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
