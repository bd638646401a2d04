/**
 * The Needs Attention view: findings across every connection, read when the view is first shown,
 * again on Refresh, after every job (so a finding acted on disappears on the next read), and when a
 * connection or a finding setting changes.
 */
import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/targets';
import type { TreeNode } from '../tree/node';
import { InfoNode, rowsOf } from './nodes';
import type { ActivityReading } from '../../core/provider';
import { readFindings, type FindingsRead, type FromAccessFiles } from './read';

export const FINDINGS_VIEW_ID = 'workspaceAccess.findings';

export class FindingsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private reading: Promise<FindingsRead> | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private readonly readEmitter = new vscode.EventEmitter<FindingsRead>();
  /** Each finished read (the commands and tests wait on it). */
  readonly onDidRead = this.readEmitter.event;

  /** Each connection's activity from the last read that finished: the access file's hover shows it without a request. */
  private lastActivity: ReadonlyMap<string, ActivityReading> = new Map();

  /** `fromFiles`: the open access files' roster and end dates (none until an access file is opened). */
  constructor(
    private readonly deps: Pick<CommandDeps, 'store' | 'sessions'>,
    private readonly fromFiles: () => Promise<FromAccessFiles> = () => Promise.resolve({ endDates: [] }),
  ) {
    this.subscriptions = [
      deps.store.onDidChange(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['roster', 'organizationDomains', 'findings'].some((k) => e.affectsConfiguration(`workspaceAccess.${k}`)))
          this.refresh();
      }),
    ];
  }

  /** Reads everything again (the connections' caches included, so a finding acted on is gone); a read under way is stopped. */
  refresh(): void {
    this.stop?.abort();
    this.stop = undefined;
    this.reading = undefined;
    this.emitter.fire(undefined);
  }

  /** What stops the read under way when a newer one is asked for. */
  private stop: AbortController | undefined;

  /** The current read, made now if there is none. */
  read(): Promise<FindingsRead> {
    if (!this.reading) {
      for (const c of this.deps.store.list()) this.deps.sessions.provider(c).invalidate();
      const stop = new AbortController();
      this.stop = stop;
      const reading = this.fromFiles().then((files) => readFindings(this.deps, files, stop.signal));
      this.reading = reading;
      void reading.then(
        (r) => {
          // Only the newest read is shown and kept: an older one that ends late says what is gone.
          if (this.reading !== reading) return;
          this.lastActivity = r.activity;
          this.readEmitter.fire(r);
        },
        () => {
          if (this.reading === reading) this.reading = undefined;
        },
      );
    }
    return this.reading;
  }

  /** A connection's activity as the last read found it; undefined when not read (or the platform gives none). */
  activity(connectionId: string): ActivityReading | undefined {
    return this.lastActivity.get(connectionId);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.getChildren();
    if (this.deps.store.list().length === 0) return [];
    try {
      const read = await vscode.window.withProgress({ location: { viewId: FINDINGS_VIEW_ID } }, () => this.read());
      const labels = new Map(this.deps.store.list().map((c) => [c.id, c.label]));
      return rowsOf(read, labels);
    } catch (err) {
      // A read stopped by a newer one is not an error: the newer one is drawn.
      if (err instanceof Error && err.name === 'AbortError') return [];
      return [new InfoNode('findings:error', err instanceof Error ? err.message : String(err), 'error')];
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.getParent();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
    this.readEmitter.dispose();
  }
}
