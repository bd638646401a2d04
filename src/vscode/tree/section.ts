import * as vscode from 'vscode';
import { MessageNode } from './message';
import { contextFlags, type TreeNode } from './node';

/**
 * A folder under a connection (Groups, Members, Service accounts, Resources). Its children come
 * from a loader; a failure shows as a message node in place, an empty list as an info node.
 */
export class SectionNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly key: string,
    private readonly label: string,
    private readonly icon: string,
    private readonly load: (self: SectionNode) => Promise<TreeNode[]>,
    private readonly emptyText: string,
  ) {
    this.id = `${parent.id}/${key}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = contextFlags('section', this.key);
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      const children = await this.load(this);
      return children.length ? children : [new MessageNode(`${this.id}/empty`, this, this.emptyText, 'info')];
    } catch (err) {
      return [MessageNode.forError(this, err)];
    }
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
