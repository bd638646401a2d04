import type * as vscode from 'vscode';
import type { Principal } from '../../core/model';

/** Every tree node owns its behaviour; the tree provider only delegates. */
export interface TreeNode {
  /** Built from server ids along the path, never labels, so expansion survives a refresh. */
  readonly id: string;
  /** The platform's id of what the row stands for, where it stands for something (Copy ID). */
  readonly serverId?: string;
  /** The member, group or service account the row stands for, where it can hold a role. */
  readonly principal?: Principal;
  getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<TreeNode[]>;
  getParent(): TreeNode | undefined;
}

/** contextValue is a sorted set of flags, matched in package.json with `viewItem =~ /\bflag\b/`. */
export function contextFlags(...flags: (string | false | undefined)[]): string {
  return [...new Set(flags.filter((f): f is string => !!f))].sort().join(';');
}
