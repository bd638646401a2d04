import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { withLock } from '../../core/jobs/lock';
import { changeKey, type ChangeItem } from '../../core/changes/change';
import { findMembers, sameEmail } from '../../core/people/person';
import { writePrivateFile } from '../../core/privateFile';
import type { ConnectionStore } from '../connectionStore';
import type { Log } from '../outputLog';
import type { Sessions } from '../sessions';

/** A change that waits until its person is a member (a copy of access to someone invited). */
export interface FollowUp extends ChangeItem {
  readonly id: string;
  readonly email: string;
  /** The label the copy's preview showed, for the person view and the report. */
  readonly label: string;
  readonly created: string;
  /** Why the last try failed, when it did. */
  readonly lastError?: string;
}

/** What runs ready follow-ups: the job runner, as a journaled person job; returns the keys that ended done. */
export type RunFollowUps = (title: string, items: readonly FollowUp[]) => Promise<ReadonlySet<string>>;

/**
 * Pending follow-ups, in one private file (they name people) in the extension's global storage.
 * Each is dropped once applied or dismissed: nothing is kept longer than the job needs. Applying
 * takes a lock file, so two windows never apply the same follow-ups.
 */
export class FollowUps implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly store: ConnectionStore,
    private readonly sessions: Sessions,
    private readonly log: Log,
  ) {}

  private get file(): string {
    return path.join(this.storage.fsPath, 'people', 'follow-ups.json');
  }

  list(): FollowUp[] {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as FollowUp[];
    } catch {
      return [];
    }
  }

  for(email: string): FollowUp[] {
    return this.list().filter((f) => sameEmail(f.email, email));
  }

  private write(list: readonly FollowUp[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    if (list.length === 0) fs.rmSync(this.file, { force: true });
    else writePrivateFile(this.file, JSON.stringify(list));
    this.changed.fire();
  }

  /** Adds follow-ups; one already waiting (the same change in the same connection) is not added twice. */
  add(items: readonly Omit<FollowUp, 'id' | 'created'>[]): void {
    const now = new Date().toISOString();
    const list = this.list();
    const waiting = new Set(list.map(changeKey));
    const fresh = items.filter((i) => !waiting.has(changeKey(i)) && waiting.add(changeKey(i)));
    this.write([...list, ...fresh.map((i) => ({ ...i, id: randomUUID(), created: now }))]);
  }

  dismiss(ids: readonly string[]): void {
    this.write(this.list().filter((f) => !ids.includes(f.id)));
  }

  /** Runs `work` holding the follow-ups lock; undefined when another process holds it. */
  private locked<T>(work: () => Promise<T>): Promise<T | undefined> {
    return withLock(`${this.file}.lock`, work);
  }

  /**
   * Applies the follow-ups whose person is now a member of their connection (on Refresh and at
   * start): one job for all of them; done ones are dropped, failed ones stay with their reason.
   */
  async applyReady(run: RunFollowUps): Promise<number> {
    const result = await this.locked(async () => {
      // Follow-ups of a removed connection can never apply: they go.
      const all = this.list();
      const pending = all.filter((f) => this.store.get(f.connectionId));
      if (pending.length < all.length) this.write(pending);
      if (pending.length === 0) return 0;
      const ready: FollowUp[] = [];
      const pairs = new Map<string, FollowUp[]>();
      for (const f of pending) {
        const key = `${f.connectionId}\u0000${f.email.toLowerCase()}`;
        pairs.set(key, [...(pairs.get(key) ?? []), f]);
      }
      await Promise.all(
        [...pairs.values()].map(async (group) => {
          const connection = this.store.get(group[0].connectionId);
          if (!connection) return;
          try {
            const members = await findMembers(this.sessions.provider(connection), group[0].email);
            if (members.some((m) => sameEmail(m.email, group[0].email))) ready.push(...group);
          } catch (err) {
            this.log.debug(
              `follow-ups: ${connection.label} not checked (${err instanceof Error ? err.message : String(err)})`,
            );
          }
        }),
      );
      if (ready.length === 0) return 0;
      this.log.info(`follow-ups: ${ready.length} ready to apply`);
      const done = await run(vscode.l10n.t('Apply {0} pending follow-ups', ready.length), ready);
      const readyIds = new Set(ready.map((f) => f.id));
      this.write(
        this.list().flatMap((f) =>
          !readyIds.has(f.id)
            ? [f]
            : done.has(f.id)
              ? []
              : [{ ...f, lastError: vscode.l10n.t('not applied yet; see the last report') }],
        ),
      );
      return ready.length;
    });
    return result ?? 0;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
