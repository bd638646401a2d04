import * as vscode from 'vscode';
import { principalLabel, type Grant, type Resource, type ResourceType } from '../../core/model';
import type { Sharing } from '../../core/provider';
import { emptyText, filteredList, type NodeContext } from './context';
import { MessageNode } from './messageNode';
import { contextFlags, type TreeNode } from './node';
import { PagedNode } from './pagedNodes';
import { PagedSection } from './sectionNodes';

/** One shareable type (Voices, Agents, …): its resources, a page at a time. */
export class ResourceTypeNode extends PagedNode<Resource> implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly ctx: NodeContext,
    readonly type: ResourceType,
    readonly sharing: Sharing,
  ) {
    const all = (token?: string) => sharing.list(type.id, token);
    // Filter…: the platform's search where the list takes one, else each page narrowed as it loads.
    const search = type.searchable
      ? (text: string, token?: string) => sharing.list(type.id, token, undefined, text)
      : undefined;
    super(filteredList(ctx, all, search, (r) => [r.name, r.id]));
    this.id = `${parent.id}/${type.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.type.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.type.icon);
    item.contextValue = contextFlags('resourceType');
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      const nodes = await this.pagedChildren(this, (r) => new ResourceNode(this, this.ctx, r, this.sharing));
      return nodes.length
        ? nodes
        : [
            new MessageNode(
              `${this.id}/empty`,
              this,
              emptyText(this.ctx, vscode.l10n.t('No {0} yet.', this.type.label.toLowerCase())),
              'info',
            ),
          ];
    } catch (err) {
      return [MessageNode.forError(this, err)];
    }
  }

  getParent(): TreeNode {
    return this.parent;
  }
}

/** A shareable resource; its children are who holds which role. */
export class ResourceNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly ctx: NodeContext,
    readonly resource: Resource,
    readonly sharing: Sharing,
  ) {
    this.id = `${parent.id}/${resource.id}`;
  }

  get serverId(): string {
    return this.resource.id;
  }

  /** Whether the key may change this resource's sharing (admin on it, or the list does not say). */
  get canShare(): boolean {
    if (!this.sharing.share) return false;
    if (this.resource.canShare !== undefined) return this.resource.canShare;
    return this.resource.myRole === undefined || this.resource.myRole === this.sharing.roles.roles[0];
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.resource.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.resource.myRole ? vscode.l10n.t('you: {0}', this.resource.myRole) : undefined;
    item.tooltip = new vscode.MarkdownString(
      `**${this.resource.name}**\n\n\`${this.resource.type}\` · \`${this.resource.id}\``,
    );
    item.iconPath = new vscode.ThemeIcon('file-symlink-file');
    item.description =
      [item.description, this.resource.baseline ? vscode.l10n.t('default: {0}', this.resource.baseline) : undefined]
        .filter(Boolean)
        .join(' · ') || undefined;
    item.contextValue = contextFlags(
      'resource',
      'copyable',
      this.canShare && 'shareable',
      !!this.resource.webUrl && 'browsable',
      !!this.sharing.effectiveAccess && 'effective',
    );
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const { sharing } = this;
    // Grants from separate paged lists (GitBook users, teams): a folder each, loaded on expand.
    if (sharing.grantLists) {
      const lists = sharing.grantLists.map(
        (l) =>
          new PagedSection(
            this,
            l.id,
            l.label,
            l.icon,
            (token) => l.page(this.resource, token),
            (self, g) => new GrantNode(this, g, self),
            vscode.l10n.t('None.'),
          ),
      );
      return [...(sharing.fixedGrants?.(this.resource) ?? []).map((g) => new GrantNode(this, g)), ...lists];
    }
    try {
      const access = await sharing.access(this.resource);
      return access.grants.map((g) => new GrantNode(this, g));
    } catch (err) {
      return [MessageNode.forError(this, err)];
    }
  }

  getParent(): TreeNode {
    return this.parent;
  }
}

const PRINCIPAL_ICONS = {
  user: 'person',
  group: 'organization',
  serviceAccount: 'robot',
  default: 'organization',
  anonymous: 'link',
} as const;

/** One principal's role on a resource. */
export class GrantNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: ResourceNode,
    readonly grant: Grant,
    /** The folder it is listed in, when grants come in separate lists. */
    private readonly container?: TreeNode,
    /** Where the row is listed by resource (a person's "Can reach"), its id names the resource too. */
    byResource?: boolean,
  ) {
    this.id = `${(container ?? parent).id}/${byResource ? `${parent.resource.type}:${parent.resource.id}/` : ''}${grant.principal.kind}:${grant.principal.id}`;
  }

  get resourceNode(): ResourceNode {
    return this.parent;
  }

  getTreeItem(): vscode.TreeItem {
    const { principal, role, fixed } = this.grant;
    const item = new vscode.TreeItem(principalLabel(principal), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = fixed ? `${role} · ${vscode.l10n.t('fixed')}` : role;
    item.tooltip = fixed ? `${role}: ${fixed}` : role;
    item.iconPath = new vscode.ThemeIcon(PRINCIPAL_ICONS[principal.kind]);
    const editable = !fixed && this.parent.canShare;
    item.contextValue = contextFlags(
      'grant',
      principal.kind === 'user' && 'userGrant',
      editable && 'changeable',
      editable && !!this.parent.sharing.unshare && 'removable',
    );
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode {
    return this.container ?? this.parent;
  }
}
