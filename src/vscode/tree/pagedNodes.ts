import * as vscode from 'vscode';
import type { Page } from '../../core/model';
import { contextFlags, type TreeNode } from './node';

/**
 * Pages of one list, fetched on demand: the first on expand, the next on "Load more…". Pages
 * already loaded stay until the node is rebuilt by a refresh.
 */
export class PagedList<T> {
  private readonly items: T[] = [];
  private next?: string;
  private started = false;
  private whole?: number;

  constructor(private readonly load: (token?: string) => Promise<Page<T>>) {}

  get hasMore(): boolean {
    return !this.started || this.next !== undefined;
  }

  /** "200 of 1,240", where the platform says how many there are (and says more than are shown). */
  get shownOfTotal(): string | undefined {
    const total = this.whole;
    if (total === undefined || total <= this.items.length) return undefined;
    return vscode.l10n.t('{0} of {1} shown', this.items.length.toLocaleString(), total.toLocaleString());
  }

  /** The items so far as nodes, then a Load more… node while the platform has more. */
  async children(parent: TreeNode & { loadMore(): Promise<void> }, toNode: (item: T) => TreeNode): Promise<TreeNode[]> {
    const nodes = (await this.current()).map(toNode);
    if (this.hasMore) nodes.push(new LoadMoreNode(parent, this.shownOfTotal));
    return nodes;
  }

  /** The items so far, loading the first page on first call. */
  async current(): Promise<readonly T[]> {
    if (!this.started) await this.more();
    return this.items;
  }

  /** Forgets the pages: the next call loads the first page again. */
  reset(): void {
    this.items.length = 0;
    this.next = undefined;
    this.whole = undefined;
    this.started = false;
  }

  async more(): Promise<void> {
    if (this.started && this.next === undefined) return;
    const page = await this.load(this.next);
    this.started = true;
    this.items.push(...page.items);
    this.next = page.next;
    this.whole = page.total;
  }
}

/**
 * Narrows each page to the items that match, page by page: a filter never drains a list that the
 * platform cannot search; "Load more…" keeps looking through the next page.
 */
export function filteredPages<T>(
  load: (token?: string) => Promise<Page<T>>,
  match: (item: T) => boolean,
): (token?: string) => Promise<Page<T>> {
  return async (token) => {
    const page = await load(token);
    // No total: the platform's count is of the whole list, not of the matches.
    return { items: page.items.filter(match), next: page.next };
  };
}

/** A node that keeps loaded data between renders, and forgets it when refreshed. */
export interface Resettable {
  reset(): void;
}

/**
 * A node whose children come a page at a time: "Load more…" appends a page, a refresh forgets them
 * all (so the platform is asked again). Extend it rather than holding a PagedList by hand.
 */
export abstract class PagedNode<T> implements Resettable {
  protected readonly pages: PagedList<T>;

  protected constructor(load: (token?: string) => Promise<Page<T>>) {
    this.pages = new PagedList(load);
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }

  reset(): void {
    this.pages.reset();
  }

  /** The loaded items as nodes, then a Load more… node while the platform has more. */
  protected pagedChildren(
    self: TreeNode & { loadMore(): Promise<void> },
    toNode: (item: T) => TreeNode,
  ): Promise<TreeNode[]> {
    return this.pages.children(self, toNode);
  }
}

/** Ends a paged branch: one click loads the next page into the same parent. */
export class LoadMoreNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode & { loadMore(): Promise<void> },
    private readonly shown?: string,
  ) {
    this.id = `${parent.id}/more`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.description = this.shown;
    item.contextValue = contextFlags('loadMore');
    item.command = { command: 'workspaceAccess.loadMore', title: vscode.l10n.t('Load more…'), arguments: [this] };
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode & { loadMore(): Promise<void> } {
    return this.parent;
  }
}
