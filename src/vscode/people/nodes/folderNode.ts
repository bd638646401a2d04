import * as vscode from 'vscode';
import { MessageNode } from '../../tree/messageNode';
import type { TreeNode } from '../../tree/node';

/** A folder in a person's branch. */
export class FolderNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly parent: TreeNode,
    private readonly label: string,
    private readonly description: string | undefined,
    private readonly icon: string,
    private readonly children: (self: FolderNode) => TreeNode[] | Promise<TreeNode[]>,
    private readonly flags = 'folder',
    private readonly tooltip?: string,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.description;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.flags;
    item.tooltip = this.tooltip;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      return await this.children(this);
    } catch (err) {
      return [MessageNode.forError(this, err)];
    }
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
