import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChangeItem } from '../changes/change';
import { writePrivateFile } from '../privateFile';

/** How long an invitation Apply sent is remembered, where the platform cannot list invitations. */
export const KEEP_DAYS = 30;
const KEEP_MS = KEEP_DAYS * 86_400_000;

/**
 * What Apply remembers of an invitation the platform cannot list: `sent` (the platform took it), or
 * `unconfirmed` (it was sent and its answer was lost: it may have gone out, so it is never sent again
 * automatically; a plan says "sent, unconfirmed" until the person joins or it ages out).
 */
export type InvitedStatus = 'sent' | 'unconfirmed';

/** Remembered invitations of one connection, by lower-case email: what a plan looks up. */
export interface InvitedLookup {
  get(email: string): InvitedStatus | undefined;
}

/** Whether an invitation sent at `at` (ISO time) is still remembered at `now`. */
export const kept = (at: string, now: number) => now - Date.parse(at) < KEEP_MS;

/** Two lookups as one: `sent` wins (the platform took it), else `unconfirmed` from either. */
export function eitherInvited(a: InvitedLookup | undefined, b: InvitedLookup | undefined): InvitedLookup {
  return {
    get: (email) => {
      const [x, y] = [a?.get(email), b?.get(email)];
      return x === 'sent' || y === 'sent' ? 'sent' : (x ?? y);
    },
  };
}

/** One remembered invitation: when it was sent (a bare string is the older form, `sent`). */
type Entry = string | { readonly at: string; readonly status: InvitedStatus };
type Store = Record<string, Record<string, Entry>>;

const atOf = (e: Entry) => (typeof e === 'string' ? e : e.at);
const statusOf = (e: Entry): InvitedStatus => (typeof e === 'string' ? 'sent' : e.status);

/**
 * Invitations Apply sent on platforms that cannot list them (ElevenLabs, GitBook), so the next Plan
 * does not invite the same person again. One private file (emails are personal data): an entry
 * goes when its person becomes a member, when its connection is removed, or after 30 days.
 */
export class InvitedStore {
  private readonly file: string;

  constructor(storageDir: string) {
    this.file = path.join(storageDir, 'access', 'invited.json');
  }

  /** What was read or written last: an edit's check reads no file. */
  private cache?: Store;

  /** Reads the file again on the next use (another window's Apply may have written it). */
  reload(): void {
    this.cache = undefined;
  }

  private read(): Store {
    if (this.cache) return this.cache;
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      this.cache = raw && typeof raw === 'object' ? (raw as Store) : {};
    } catch {
      this.cache = {};
    }
    return this.cache;
  }

  private write(store: Store): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    writePrivateFile(this.file, JSON.stringify(store));
    this.cache = store;
  }

  /** Emails (lower case) invited to a connection within the last 30 days, each with its status. */
  get(connectionId: string, now = Date.now()): ReadonlyMap<string, InvitedStatus> {
    const entries = this.read()[connectionId] ?? {};
    return new Map(
      Object.entries(entries)
        .filter(([, e]) => kept(atOf(e), now))
        .map(([email, e]) => [email, statusOf(e)]),
    );
  }

  add(connectionId: string, emails: readonly string[], now = new Date(), status: InvitedStatus = 'sent'): void {
    if (!emails.length) return;
    const store = this.read();
    const entries = (store[connectionId] ??= {});
    const at = now.toISOString();
    for (const e of emails) entries[e.toLowerCase()] = status === 'sent' ? at : { at, status };
    this.write(store);
  }

  /** Forgets who has joined, what has aged out, and connections that are gone (`kept` says which are not). */
  prune(
    keep: (connectionId: string) => boolean,
    members: (connectionId: string) => ReadonlySet<string> | undefined,
    now = Date.now(),
  ): void {
    const store = this.read();
    let changed = false;
    for (const [id, entries] of Object.entries(store)) {
      if (!keep(id)) {
        delete store[id];
        changed = true;
        continue;
      }
      const joined = members(id);
      for (const [email, e] of Object.entries(entries)) {
        if (joined?.has(email) || !kept(atOf(e), now)) {
          delete entries[email];
          changed = true;
        }
      }
    }
    if (changed) this.write(store);
  }
}

/** One invitation an Apply sent where the platform cannot list invitations, and what became of it. */
export interface SentInvitation {
  readonly connectionId: string;
  readonly email: string;
  readonly status: InvitedStatus;
}

/**
 * The invitations to remember after an Apply: each one the platform took (`done`: sent), and each
 * whose answer was lost (`unknown`: unconfirmed, never sent again automatically), for each
 * connection whose facts say the platform cannot list invitations (`invitationsListed` false).
 */
export function invitationsToRemember(
  outcomes: readonly { readonly status: string; readonly item: ChangeItem }[],
  cannotList: (connectionId: string) => boolean,
): SentInvitation[] {
  const out: SentInvitation[] = [];
  for (const o of outcomes) {
    const status = o.status === 'done' ? 'sent' : o.status === 'unknown' ? 'unconfirmed' : undefined;
    if (!status || o.item.change.op !== 'invite' || !cannotList(o.item.connectionId)) continue;
    out.push({ connectionId: o.item.connectionId, email: o.item.change.email, status });
  }
  return out;
}

/** After an Apply: remembers its invitations (see invitationsToRemember) in the store. */
export function rememberInvited(
  store: InvitedStore,
  outcomes: readonly { readonly status: string; readonly item: ChangeItem }[],
  cannotList: (connectionId: string) => boolean,
): SentInvitation[] {
  const sent = invitationsToRemember(outcomes, cannotList);
  for (const status of ['sent', 'unconfirmed'] as const) {
    const byConnection = new Map<string, string[]>();
    for (const s of sent.filter((x) => x.status === status)) {
      const list = byConnection.get(s.connectionId) ?? [];
      list.push(s.email);
      byConnection.set(s.connectionId, list);
    }
    for (const [id, emails] of byConnection) store.add(id, emails, new Date(), status);
  }
  return sent;
}
