import type * as vscode from 'vscode';

const KEY = 'workspaceAccess.expanded';
/** Enough for every connection and its sections; the oldest are forgotten first. */
const MAX = 300;

/**
 * Which connections and sections were left expanded, kept in the workspace's state so the tree
 * comes back the way it was left after a reload (VS Code asks for children of expanded rows only).
 */
export class ExpandedState {
  private readonly ids: Set<string>;

  constructor(private readonly memento: vscode.Memento) {
    this.ids = new Set(memento.get<string[]>(KEY, []));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  set(id: string, expanded: boolean): void {
    if (expanded === this.ids.has(id)) return;
    if (expanded) this.ids.add(id);
    else this.ids.delete(id);
    const kept = [...this.ids].slice(-MAX);
    void this.memento.update(KEY, kept);
  }
}
