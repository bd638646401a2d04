import * as vscode from 'vscode';
import type { Page } from '../../core/model';
import { MessageNode } from './messageNode';
import { contextFlags, type TreeNode } from './node';
import { PagedList, type Resettable } from './pagedNodes';

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

/**
 * A section whose children come a page at a time: the first page on expand, the next on "Load
 * more…"; a refresh forgets the pages (the platform is asked again).
 */
export class PagedSection<T> extends SectionNode implements Resettable {
  private readonly pages: PagedList<T>;

  constructor(
    parent: TreeNode,
    key: string,
    label: string,
    icon: string,
    load: (token?: string) => Promise<Page<T>>,
    toNode: (self: PagedSection<T>, item: T) => TreeNode,
    emptyText: string,
  ) {
    super(
      parent,
      key,
      label,
      icon,
      (self) => {
        const section = self as PagedSection<T>;
        return section.pages.children(section, (item) => toNode(section, item));
      },
      emptyText,
    );
    this.pages = new PagedList(load);
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }

  reset(): void {
    this.pages.reset();
  }
}
