import * as vscode from 'vscode';
import type { Group, Member, Principal } from '../../core/model';
import type { Groups } from '../../core/provider';
import { canAdmin, canShareResources, type NodeContext } from './context';
import { contextFlags, type TreeNode } from './node';
import { PagedNode } from './pagedNodes';

/** A workspace member: under Members, or under a group (then `group` is set). */
export class MemberNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly ctx: NodeContext,
    readonly member: Member,
    readonly group?: Group,
    /** Where rows of one member are listed by group (a person's groups), the id names the group too. */
    byGroup?: boolean,
  ) {
    this.id = `${parent.id}/${byGroup && group ? `${group.id}/` : ''}${member.id}`;
  }

  get serverId(): string {
    return this.member.id;
  }

  get principal(): Principal {
    return { kind: 'user', id: this.member.id, name: this.member.name, email: this.member.email };
  }

  getTreeItem(): vscode.TreeItem {
    const { member, group, ctx } = this;
    const item = new vscode.TreeItem(member.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const ownerNoted = member.owner && member.roleLabel?.toLowerCase() !== 'owner';
    const state = [
      member.roleLabel,
      ownerNoted ? vscode.l10n.t('owner') : undefined,
      member.locked ? vscode.l10n.t('locked') : undefined,
    ].filter(Boolean);
    // What the row holds comes first, so it survives the default sidebar width; the email is in the tooltip.
    item.description = state.length ? state.join(' · ') : member.email;
    item.iconPath = new vscode.ThemeIcon(member.locked ? 'lock' : member.owner ? 'star-full' : 'person');
    item.tooltip = new vscode.MarkdownString(`**${member.name}**\n\n${member.email}\n\n${state.join(' · ')}`);
    const { members, groups } = ctx.provider;
    const admin = canAdmin(ctx);
    const manageable = admin && !group && !member.owner;
    item.contextValue = contextFlags(
      group ? 'groupMember' : 'member',
      'principal',
      'copyable',
      canShareResources(ctx.provider) && 'resourceSharer',
      manageable && !!members?.setLocked && (member.locked ? 'unlockable' : 'lockable'),
      manageable && members?.roles?.kind === 'seat' && 'seatChangeable',
      manageable && members?.roles?.kind === 'role' && 'roleChangeable',
      manageable && !!members?.remove && 'removable',
      admin && !group && !!groups?.add && 'groupable',
      admin && !!group && !group.system && !!groups?.remove && 'removableFromGroup',
      admin && !!group && !!groups?.roles && 'groupRoleChangeable',
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

/**
 * A group or team, and its members: a page at a time where the platform pages them (GitBook), else
 * the group's emails named from the member list, read when the group is expanded (ElevenLabs).
 */
export class GroupNode extends PagedNode<Member> implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly ctx: NodeContext,
    readonly group: Group,
    /** The provider's groups, which this group belongs to. */
    readonly groups: Groups,
  ) {
    super((token) => groups.members(group.id, token));
    this.id = `${parent.id}/${group.id}`;
  }

  get serverId(): string {
    return this.group.id;
  }

  get principal(): Principal {
    return { kind: 'group', id: this.group.id, name: this.group.name };
  }

  getTreeItem(): vscode.TreeItem {
    const { group } = this;
    const count = group.memberCount ?? group.memberEmails.length;
    const item = new vscode.TreeItem(
      group.name,
      count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = vscode.l10n.t(
      '{0}{1}',
      count === 1 ? vscode.l10n.t('1 member') : vscode.l10n.t('{0} members', count),
      group.system ? vscode.l10n.t(' · managed by the platform') : '',
    );
    item.iconPath = new vscode.ThemeIcon(group.system ? 'broadcast' : 'organization');
    const { groups } = this;
    const admin = canAdmin(this.ctx) && !group.system;
    item.contextValue = contextFlags(
      'group',
      'principal',
      'copyable',
      canShareResources(this.ctx.provider) && 'resourceSharer',
      admin && !!groups.add && 'editable',
      admin && !!groups.rename && 'renamable',
      admin && !!groups.delete && 'deletable',
    );
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return this.pagedChildren(this, (m) => new MemberNode(this, this.ctx, m, this.group));
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
