import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ReachIndex, buildIndex, type IndexData } from '../../core/people/reachIndex';
import type { ResourceRef } from '../../core/changes/change';
import { writePrivateFile } from '../../core/privateFile';
import type { Provider } from '../../core/provider';
import type { ConnectionInfo, ConnectionStore } from '../connectionStore';
import type { Log } from '../outputLog';
import type { Sessions } from '../sessions';
import { maxConcurrency } from '../settings';

/** Whether a connection needs the access index to say what a person reaches (no per-member endpoint). */
export const needsIndex = (provider: Provider): boolean => !!provider.sharing && !provider.sharing.reachOf;

/** How often a filling index is written to disk and shown, at most. */
const SAVE_EVERY_MS = 2_000;

/**
 * The access index of each connection that needs one, kept in the extension's global storage (one
 * private file per connection, ids and group names, no emails) with its age. A build runs as a
 * cancellable notification with progress; the index answers while it fills.
 */
export class AccessIndexes implements vscode.Disposable {
  private readonly loaded = new Map<string, ReachIndex>();
  private readonly building = new Map<string, Promise<void>>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with a connection id when its index changed (a build step, a refreshed resource). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly store: ConnectionStore,
    private readonly sessions: Sessions,
    private readonly log: Log,
  ) {
    // A removed connection's index goes with it.
    this.subscription = store.onDidChange(() => this.prune());
  }

  private get dir(): string {
    return path.join(this.storage.fsPath, 'people');
  }

  private file(connectionId: string): string {
    return path.join(this.dir, `index-${connectionId.replace(/[^\w-]/g, '_')}.json`);
  }

  /** The connection's index as last kept (or being built); undefined when there is none yet. */
  get(connectionId: string): ReachIndex | undefined {
    let index = this.loaded.get(connectionId);
    if (!index) {
      try {
        index = ReachIndex.from(JSON.parse(fs.readFileSync(this.file(connectionId), 'utf8')) as IndexData);
        this.loaded.set(connectionId, index);
      } catch {
        return undefined;
      }
    }
    return index;
  }

  isBuilding(connectionId: string): boolean {
    return this.building.has(connectionId);
  }

  private save(connectionId: string, index: ReachIndex): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writePrivateFile(this.file(connectionId), JSON.stringify(index.toJSON()));
  }

  /**
   * Builds (or rebuilds) the connection's index through the bulk engine, as a cancellable
   * notification: "1,240 / 2,000 resources". One build per connection at a time.
   */
  build(connection: ConnectionInfo): Promise<void> {
    const running = this.building.get(connection.id);
    if (running) return running;
    const provider = this.sessions.provider(connection);
    const sharing = provider.sharing;
    if (!sharing) return Promise.resolve();
    const index = this.get(connection.id) ?? new ReachIndex();
    this.loaded.set(connection.id, index);
    const work = vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Indexing access on {0}', connection.label),
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        let last = 0;
        let shown = 0;
        try {
          const result = await buildIndex(sharing, index, {
            concurrency: maxConcurrency(),
            signal: controller.signal,
            onProgress: (done, total) => {
              const pct = total ? (done / total) * 100 : 0;
              progress.report({
                message: vscode.l10n.t(
                  '{0} / {1} resources',
                  done.toLocaleString('en-US'),
                  total.toLocaleString('en-US'),
                ),
                increment: pct - shown,
              });
              shown = pct;
              if (Date.now() - last >= SAVE_EVERY_MS) {
                last = Date.now();
                this.save(connection.id, index);
                this.changed.fire(connection.id);
              }
            },
          });
          this.log.info(
            `access index of ${connection.label}: ${index.size} resource(s)${result.cancelled ? ', cancelled' : ''}${result.failed ? `, ${result.failed} could not be read (${result.reasons.join('; ')})` : ''}`,
          );
          if (result.failed && !result.cancelled)
            void vscode.window.showWarningMessage(
              vscode.l10n.t(
                'The access index of {0} is missing {1} resources whose sharing could not be read: {2}',
                connection.label,
                result.failed,
                result.reasons[0] ?? '',
              ),
            );
        } finally {
          cancel.dispose();
          this.save(connection.id, index);
          this.changed.fire(connection.id);
        }
      },
    );
    // A list that cannot be read (a refused key, an outage) ends the build: said once, the index kept as far as it got.
    const done = Promise.resolve(work)
      .catch((err: unknown) => {
        const message = this.log.redact(err instanceof Error ? err.message : String(err));
        this.log.warn(`access index of ${connection.label}: ${message}`);
        void vscode.window.showWarningMessage(
          vscode.l10n.t('The access index of {0} could not be built: {1}', connection.label, message),
        );
      })
      .finally(() => this.building.delete(connection.id));
    this.building.set(connection.id, done);
    return done;
  }

  /** Reads the grants of resources the extension just changed, so the index stays true without a rebuild. */
  async refreshResources(connectionId: string, resources: readonly ResourceRef[]): Promise<void> {
    const index = this.get(connectionId);
    const connection = this.store.get(connectionId);
    const sharing = connection && this.sessions.provider(connection).sharing;
    if (!index || !connection || !sharing) return;
    await Promise.all(
      resources.map(async (r) => {
        try {
          index.set(r, (await sharing.access(r)).grants);
        } catch (err) {
          this.log.debug(
            `access index: ${r.type} ${r.id} not refreshed (${err instanceof Error ? err.message : String(err)})`,
          );
        }
      }),
    );
    this.save(connectionId, index);
    this.changed.fire(connectionId);
  }

  private prune(): void {
    const live = new Set(this.store.list().map((c) => c.id));
    let files: string[] = [];
    try {
      files = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    const kept = new Set([...live].map((id) => path.basename(this.file(id))));
    for (const name of files)
      if (/^index-.+\.json$/.test(name) && !kept.has(name)) fs.rmSync(path.join(this.dir, name), { force: true });
    for (const id of this.loaded.keys()) if (!live.has(id)) this.loaded.delete(id);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
