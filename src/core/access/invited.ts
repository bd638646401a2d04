import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChangeItem } from '../changes/change';

/** How long an invitation Apply sent is remembered, where the platform cannot list invitations. */
const KEEP_DAYS = 30;

type Store = Record<string, Record<string, string>>;

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
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(store), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.cache = store;
  }

  /** Emails (lower case) invited to a connection within the last 30 days. */
  get(connectionId: string, now = Date.now()): Set<string> {
    const entries = this.read()[connectionId] ?? {};
    return new Set(
      Object.entries(entries)
        .filter(([, at]) => now - Date.parse(at) < KEEP_DAYS * 86_400_000)
        .map(([email]) => email),
    );
  }

  add(connectionId: string, emails: readonly string[], now = new Date()): void {
    if (!emails.length) return;
    const store = this.read();
    const entries = (store[connectionId] ??= {});
    for (const e of emails) entries[e.toLowerCase()] = now.toISOString();
    this.write(store);
  }

  /** Forgets who has joined, what has aged out, and connections that are gone (`kept` says which are not). */
  prune(
    kept: (connectionId: string) => boolean,
    members: (connectionId: string) => ReadonlySet<string> | undefined,
    now = Date.now(),
  ): void {
    const store = this.read();
    let changed = false;
    for (const [id, entries] of Object.entries(store)) {
      if (!kept(id)) {
        delete store[id];
        changed = true;
        continue;
      }
      const joined = members(id);
      for (const [email, at] of Object.entries(entries)) {
        if (joined?.has(email) || now - Date.parse(at) >= KEEP_DAYS * 86_400_000) {
          delete entries[email];
          changed = true;
        }
      }
    }
    if (changed) this.write(store);
  }
}

/**
 * After an Apply: remembers the invitations it sent where the platform cannot list them, for each
 * connection whose facts say so (`invitationsListed` false).
 */
export function rememberInvited(
  store: InvitedStore,
  outcomes: readonly { readonly status: string; readonly item: ChangeItem }[],
  cannotList: (connectionId: string) => boolean,
): void {
  const byConnection = new Map<string, string[]>();
  for (const o of outcomes) {
    if (o.status !== 'done' || o.item.change.op !== 'invite' || !cannotList(o.item.connectionId)) continue;
    const list = byConnection.get(o.item.connectionId) ?? [];
    list.push(o.item.change.email);
    byConnection.set(o.item.connectionId, list);
  }
  for (const [id, emails] of byConnection) store.add(id, emails);
}
