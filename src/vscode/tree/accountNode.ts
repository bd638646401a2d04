import * as vscode from 'vscode';
import type { Identity } from '../../core/provider';
import { contextFlags, type TreeNode } from './node';

/** Who the connection's key acts as, and whether it may do admin work. */
export class AccountNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly identity: Identity,
  ) {
    this.id = `${parent.id}/account`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.identity.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.identity.detail;
    item.iconPath = new vscode.ThemeIcon(this.identity.isAdmin ? 'shield' : 'account');
    item.contextValue = contextFlags('account', this.identity.isAdmin && 'admin');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${this.identity.name}**`,
        this.identity.detail ?? '',
        this.identity.isAdmin
          ? vscode.l10n.t('This key can manage access.')
          : vscode.l10n.t('This key cannot do admin changes.'),
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
