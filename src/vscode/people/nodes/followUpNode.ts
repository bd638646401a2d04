import * as vscode from 'vscode';
import { contextFlags, type TreeNode } from '../../tree/node';
import type { FollowUp } from '../followUps';
import { ago } from '../time';

/** A follow-up waiting for its person to become a member. */
export class FollowUpNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly followUp: FollowUp,
  ) {
    this.id = `${parent.id}/${followUp.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.followUp.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.followUp.lastError ?? vscode.l10n.t('when they are a member');
    item.tooltip = vscode.l10n.t(
      'Applied when {0} shows up as a member (on Refresh or at start). Planned {1}.',
      this.followUp.email,
      ago(Date.parse(this.followUp.created)),
    );
    item.iconPath = new vscode.ThemeIcon('watch');
    item.contextValue = contextFlags('followUp');
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
