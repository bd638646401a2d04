import * as vscode from 'vscode';
import type { ConnectionStore } from '../connectionStore';
import type { Sessions } from '../sessions';
import { ConnectionNode } from './connectionNode';
import type { ExpandedState } from './expanded';
import type { TreeNode } from './node';
import type { Resettable } from './pagedNodes';
import { SectionNode } from './sectionNodes';

/** Rows whose expansion is kept across reloads: connections and their sections (cheap to reopen). */
const remembered = (node: TreeNode) => node instanceof ConnectionNode || node instanceof SectionNode;

export const VIEW_ID = 'workspaceAccess.connections';

/** The tree provider: roots are connections; everything below is the nodes' own business. */
/** Another view whose rows are nodes of this tree's kinds (the People view): it refreshes its own. */
export interface SharedView {
  owns(node: TreeNode): boolean;
  refresh(node: TreeNode): void;
  /** What it read from one connection is read again. */
  readAgain(connectionId: string): void;
}

export class ConnectionsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots = new Map<string, ConnectionNode>();
  /** Another view whose nodes the commands also act on (People): a refresh of its node goes there. */
  private elsewhere?: SharedView;

  constructor(
    private readonly store: ConnectionStore,
    private readonly sessions: Sessions,
    private readonly expanded?: ExpandedState,
  ) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.getTreeItem();
    if (
      item.collapsibleState === vscode.TreeItemCollapsibleState.Collapsed &&
      remembered(node) &&
      this.expanded?.has(node.id)
    )
      item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    return item;
  }

  /** Follows the view's expand and collapse, for the rows that are remembered. */
  track(view: vscode.TreeView<unknown>): vscode.Disposable[] {
    const follow = (node: TreeNode, expanded: boolean) => {
      if (remembered(node)) this.expanded?.set(node.id, expanded);
    };
    // The view's elements are this provider's nodes.
    return [
      view.onDidExpandElement((e) => follow(e.element as TreeNode, true)),
      view.onDidCollapseElement((e) => follow(e.element as TreeNode, false)),
    ];
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) {
      // Loads show as view progress, never as a pop-up.
      return vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => node.getChildren());
    }
    const next = new Map<string, ConnectionNode>();
    for (const connection of this.store.list()) {
      const existing = this.roots.get(connection.id);
      const same = existing && JSON.stringify(existing.connection) === JSON.stringify(connection);
      next.set(connection.id, same ? existing : new ConnectionNode(connection, this.sessions));
    }
    this.roots = next;
    return [...next.values()];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.getParent();
  }

  /** Sends refreshes of another view's nodes to that view. */
  share(view: SharedView): void {
    this.elsewhere = view;
  }

  /** Members of a connection changed (locked, unlocked): the view that shows people reads them again there. */
  membersChanged(connectionId: string): void {
    this.elsewhere?.readAgain(connectionId);
  }

  /** The connection root for an id, as last listed. */
  root(connectionId: string): ConnectionNode | undefined {
    return this.roots.get(connectionId);
  }

  /**
   * Reloads one node's children, or the whole tree. A node's loaded pages are dropped first, so the
   * reload asks the platform again; "Load more…" keeps them (`keepPages`) and only appends.
   */
  refresh(node?: TreeNode, options?: { keepPages?: boolean }): void {
    if (node && this.elsewhere?.owns(node)) {
      this.elsewhere.refresh(node);
      return;
    }
    if (node && !options?.keepPages) (node as Partial<Resettable>).reset?.();
    this.emitter.fire(node);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
