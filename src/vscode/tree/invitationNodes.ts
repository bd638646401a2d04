import * as vscode from 'vscode';
import type { Invitation } from '../../core/model';
import type { Invitations, RoleChoice } from '../../core/provider';
import { canAdmin, type NodeContext } from './context';
import { contextFlags, type TreeNode } from './node';

/** One email invitation (pending or declined), where the platform lists them. */
export class InvitationNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly ctx: NodeContext,
    readonly invitation: Invitation,
    private readonly roleName: string | undefined,
    /** The invitations it belongs to: the organization's, or one project's. */
    readonly scope: Invitations,
    /** Set for a project's invitation; unset for the organization's. */
    readonly projectId?: string,
  ) {
    this.id = `${parent.id}/invitation:${invitation.id}`;
  }

  get serverId(): string {
    return this.invitation.id;
  }

  getTreeItem(): vscode.TreeItem {
    const { invitation } = this;
    const item = new vscode.TreeItem(invitation.email, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${invitation.status} · ${this.roleName ?? vscode.l10n.t('default role')}`;
    item.iconPath = new vscode.ThemeIcon(invitation.status === 'pending' ? 'mail' : 'circle-slash');
    const admin = canAdmin(this.ctx);
    item.contextValue = contextFlags(
      'invitation',
      'copyable',
      admin && invitation.status === 'pending' && !!this.scope.resend && 'resendable',
      admin && !!this.scope.revoke && 'revocable',
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

/** A role the organization defines (read-only here). */
export class RoleNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly role: RoleChoice,
  ) {
    this.id = `${parent.id}/${role.id}`;
  }

  get serverId(): string {
    return this.role.id;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.role.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('shield');
    item.contextValue = contextFlags('role', 'copyable');
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
