import * as vscode from 'vscode';
import type { ApiKeyInfo, Principal, ServiceAccount } from '../../core/model';
import { canShareResources, type NodeContext } from './context';
import { contextFlags, type TreeNode } from './node';

/** A service account: a principal with no access until something is shared with it. */
export class ServiceAccountNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly ctx: NodeContext,
    readonly account: ServiceAccount,
  ) {
    this.id = `${parent.id}/${account.id}`;
  }

  get serverId(): string {
    return this.account.id;
  }

  /** Shared with through its first enabled key (ElevenLabs shares with a key, not the account). */
  get principal(): Principal {
    return {
      kind: 'serviceAccount',
      id: this.account.id,
      name: this.account.name,
      keyId: this.account.keys.find((k) => !k.disabled)?.id,
    };
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      this.account.name,
      this.account.keys.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description =
      this.account.keys.length === 1
        ? vscode.l10n.t('1 API key')
        : vscode.l10n.t('{0} API keys', this.account.keys.length);
    item.iconPath = new vscode.ThemeIcon('robot');
    item.contextValue = contextFlags(
      'serviceAccount',
      'principal',
      'copyable',
      canShareResources(this.ctx.provider) && 'resourceSharer',
    );
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve(this.account.keys.map((k) => new ApiKeyNode(this, k)));
  }

  getParent(): TreeNode {
    return this.parent;
  }
}

/** One of a service account's keys: its name and hint, never the secret (the API never returns it). */
export class ApiKeyNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: ServiceAccountNode,
    readonly key: ApiKeyInfo,
  ) {
    this.id = `${parent.id}/${key.id}`;
  }

  get serverId(): string {
    return this.key.id;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.key.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.key.disabled ? `${this.key.hint} · ${vscode.l10n.t('disabled')}` : this.key.hint;
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = contextFlags('apiKey', 'copyable');
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): ServiceAccountNode {
    return this.parent;
  }
}
