import * as vscode from 'vscode';
import type { TreeNode } from '../tree/node';
import { PersonNode } from './nodes/personNodes';
import { Person, type PeopleDeps } from './readCache';

export const PEOPLE_VIEW_ID = 'workspaceAccess.people';

/** The People view: the people opened, each across every connection. */
export class PeopleTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly people = new Map<string, PersonNode>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: PeopleDeps) {
    this.subscriptions = [
      deps.indexes.onDidChange((id) => this.readAgain(id)),
      deps.followUps.onDidChange(() => this.emitter.fire(undefined)),
      deps.store.onDidChange(() => this.refresh()),
    ];
  }

  /** Opens (or re-reads) a person; their node comes first. */
  open(email: string): PersonNode {
    const key = email.trim().toLowerCase();
    const existing = this.people.get(key);
    if (existing) {
      existing.person.forget();
      this.emitter.fire(existing);
      return existing;
    }
    const node = new PersonNode(new Person(email.trim()), this.deps);
    this.people.set(key, node);
    this.emitter.fire(undefined);
    void vscode.commands.executeCommand('setContext', 'workspaceAccess.hasPeople', true);
    return node;
  }

  close(node: PersonNode): void {
    this.people.delete(node.person.email.toLowerCase());
    this.emitter.fire(undefined);
    void vscode.commands.executeCommand('setContext', 'workspaceAccess.hasPeople', this.people.size > 0);
  }

  list(): PersonNode[] {
    return [...this.people.values()];
  }

  /** Whether a node is this view's (commands refresh it here, not in the connections tree). */
  owns(node: TreeNode): boolean {
    return node.id.startsWith('person:');
  }

  /** Reads people again: one, or all. */
  refresh(node?: TreeNode): void {
    let n: TreeNode | undefined = node;
    while (n && !(n instanceof PersonNode)) n = n.getParent();
    const targets = n instanceof PersonNode ? [n] : this.list();
    for (const p of targets) p.person.forget();
    this.emitter.fire(n instanceof PersonNode ? n : undefined);
  }

  /** A connection's index or members changed: the people are read again from it (and only from it). */
  readAgain(connectionId: string): void {
    for (const p of this.list()) p.person.forget(connectionId);
    this.emitter.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.list();
    const children = await vscode.window.withProgress({ location: { viewId: PEOPLE_VIEW_ID } }, () =>
      node.getChildren(),
    );
    // The person's name came with the reads: the row drawn with the email is drawn again.
    if (node instanceof PersonNode && node.person.name !== node.shownName) setTimeout(() => this.emitter.fire(node), 0);
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.getParent();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
