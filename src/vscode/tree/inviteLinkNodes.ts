import * as vscode from 'vscode';
import type { InviteLink } from '../../core/model';
import { canAdmin, type NodeContext } from './context';
import { contextFlags, type TreeNode } from './node';

/** One invite link: what it grants, and where. */
export class InviteLinkNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly ctx: NodeContext,
    readonly link: InviteLink,
  ) {
    this.id = `${parent.id}/${link.id}`;
  }

  get serverId(): string {
    return this.link.id;
  }

  get targetLabel(): string {
    const t = this.link.target;
    return t.kind === 'organization'
      ? vscode.l10n.t('Organization')
      : `${t.kind === 'space' ? vscode.l10n.t('Space') : vscode.l10n.t('Collection')} "${t.name}"`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.targetLabel, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const { roleLabel, redundant } = this.link;
    item.description = redundant ? vscode.l10n.t('{0} · your key already has this', roleLabel) : roleLabel;
    const joins = vscode.l10n.t('Invite link {0}: whoever opens it joins as {1}.', this.link.id, roleLabel);
    item.tooltip = redundant
      ? `${joins}\n${vscode.l10n.t("The account of this connection's API key already has this access or more, so the link would give it nothing new.")}`
      : joins;
    item.iconPath = new vscode.ThemeIcon('link');
    const admin = canAdmin(this.ctx);
    const links = this.ctx.provider.inviteLinks;
    item.contextValue = contextFlags(
      'inviteLink',
      'copyable',
      admin && !!links?.update && 'linkEditable',
      admin && !!links?.delete && 'linkDeletable',
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
