import * as vscode from 'vscode';
import { ApiError } from '../../core/http/errors';
import { MissingKeyError } from '../sessions';
import { contextFlags, type TreeNode } from './node';

/** Status inside the tree: an empty branch, or a failed one with the way out as its command. */
export class MessageNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly parent: TreeNode | undefined,
    readonly label: string,
    readonly kind: 'info' | 'error',
    private readonly command?: vscode.Command,
    private readonly tooltip?: string,
  ) {}

  /** The error's message, with Retry, or Update API Key when the key was refused or is missing. */
  static forError(parent: TreeNode, err: unknown): MessageNode {
    const needsKey = (err instanceof ApiError && err.isAuthError) || err instanceof MissingKeyError;
    const message = err instanceof Error ? err.message : String(err);
    const command: vscode.Command = needsKey
      ? { command: 'workspaceAccess.connection.updateKey', title: vscode.l10n.t('Update API Key'), arguments: [parent] }
      : { command: 'workspaceAccess.refresh', title: vscode.l10n.t('Retry'), arguments: [parent] };
    const hint = needsKey ? vscode.l10n.t('Click to update the API key.') : vscode.l10n.t('Click to retry.');
    return new MessageNode(`${parent.id}/error`, parent, message, 'error', command, `${message}\n\n${hint}`);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(
      this.kind === 'error' ? 'error' : 'info',
      this.kind === 'error' ? new vscode.ThemeColor('errorForeground') : undefined,
    );
    item.contextValue = contextFlags('message', this.kind);
    item.command = this.command;
    item.tooltip = this.tooltip ?? this.label;
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode | undefined {
    return this.parent;
  }
}
