import * as vscode from 'vscode';
import type { Member, Resource } from '../../core/model';
import type { Invitations, Projects } from '../../core/provider';
import { canAdmin, type NodeContext } from './context';
import { InvitationNode } from './invitationNodes';
import { MessageNode } from './messageNode';
import { contextFlags, type TreeNode } from './node';
import { PagedNode } from './pagedNodes';

/** A project whose members are its access: members (paged), then its pending invitations. */
export class ProjectNode extends PagedNode<Member> implements TreeNode {
  readonly id: string;
  /** The project's invitations, where the platform has them. */
  readonly invitations?: Invitations;
  readonly serverId: string;

  constructor(
    private readonly parent: TreeNode,
    readonly ctx: NodeContext,
    readonly project: Resource,
    /** The provider's projects group, which this project belongs to. */
    readonly projects: Projects,
  ) {
    super((token) => projects.members(project.id, token));
    this.id = `${parent.id}/${project.id}`;
    this.serverId = project.id;
    this.invitations = projects.invitations?.(project.id);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.project.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('project');
    const admin = canAdmin(this.ctx);
    item.contextValue = contextFlags('project', 'copyable', admin && !!this.invitations && 'projectInvitable');
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      const scope = this.invitations;
      const [nodes, invitations, roles] = await Promise.all([
        this.pagedChildren(this, (m) => new ProjectMemberNode(this, m)),
        scope?.list ? scope.list() : Promise.resolve([]),
        this.projects.roles(this.project.id),
      ]);
      const names = new Map(roles.map((r) => [r.id, r.label]));
      if (scope)
        nodes.push(
          ...invitations.map(
            (i) =>
              new InvitationNode(
                this,
                this.ctx,
                i,
                i.roleId ? (names.get(i.roleId) ?? i.roleId) : undefined,
                scope,
                this.project.id,
              ),
          ),
        );
      return nodes.length
        ? nodes
        : [
            new MessageNode(
              `${this.id}/empty`,
              this,
              vscode.l10n.t('No members yet: invite org members to it.'),
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

/** A member of a project, with their project role. */
export class ProjectMemberNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly projectNode: ProjectNode,
    readonly member: Member,
  ) {
    this.id = `${projectNode.id}/${member.id}`;
  }

  get serverId(): string {
    return this.member.id;
  }

  getTreeItem(): vscode.TreeItem {
    const { member } = this;
    const item = new vscode.TreeItem(member.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = member.roleLabel ?? member.email;
    item.tooltip = new vscode.MarkdownString(
      `**${member.name}**\n\n${member.email}${member.roleLabel ? `\n\n${member.roleLabel}` : ''}`,
    );
    item.iconPath = new vscode.ThemeIcon(member.owner ? 'star-full' : 'person');
    const { ctx } = this.projectNode;
    const admin = canAdmin(ctx);
    item.contextValue = contextFlags(
      'projectMember',
      'copyable',
      admin && 'projectRoleChangeable',
      admin && !member.owner && 'projectRemovable',
    );
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): ProjectNode {
    return this.projectNode;
  }
}
