import type * as vscode from 'vscode';

/** Every tree node owns its behaviour; the tree provider only delegates. */
export interface TreeNode {
  /** Built from server ids along the path, never labels, so expansion survives a refresh. */
  readonly id: string;
  getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<TreeNode[]>;
  getParent(): TreeNode | undefined;
}

/** contextValue is a sorted set of flags, matched in package.json with `viewItem =~ /\bflag\b/`. */
export function contextFlags(...flags: (string | false | undefined)[]): string {
  return [...new Set(flags.filter((f): f is string => !!f))].sort().join(';');
}
