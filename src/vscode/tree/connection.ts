import * as vscode from 'vscode';
import { PLATFORMS } from '../../core/platforms';
import type { ConnectionInfo } from '../connections';
import type { Sessions } from '../sessions';
import { AccountNode } from './account';
import { MessageNode } from './message';
import { contextFlags, type TreeNode } from './node';

const PLATFORM_ICONS = { elevenlabs: 'mic', gitbook: 'book', confident: 'beaker' } as const;

/** A root: one connection to one workspace or organization. */
export class ConnectionNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly connection: ConnectionInfo,
    private readonly sessions: Sessions,
  ) {
    this.id = `conn/${connection.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const { label, platform, baseUrl } = this.connection;
    const info = PLATFORMS[platform];
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = info.label;
    item.tooltip = new vscode.MarkdownString(`**${label}**\n\n${info.label} ${info.container}\n\n\`${baseUrl}\``);
    item.iconPath = new vscode.ThemeIcon(PLATFORM_ICONS[platform]);
    item.contextValue = contextFlags('connection', platform);
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      const identity = await this.sessions.identity(this.connection);
      return [new AccountNode(this, identity)];
    } catch (err) {
      return [MessageNode.forError(this, err)];
    }
  }

  getParent(): undefined {
    return undefined;
  }
}
