import * as vscode from 'vscode';
import type { Group, Member } from '../../core/model';
import { canAdmin, canShareResources, type NodeContext } from './context';
import { contextFlags, type TreeNode } from './node';
import { LOCAL_PAGE, PagedNode, slicePages } from './paging';

/** A workspace member: under Members, or under a group (then `group` is set). */
export class MemberNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly ctx: NodeContext,
    readonly member: Member,
    readonly group?: Group,
  ) {
    this.id = `${parent.id}/${member.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const { member, group, ctx } = this;
    const item = new vscode.TreeItem(member.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const ownerNoted = member.owner && member.roleLabel?.toLowerCase() !== 'owner';
    const state = [member.roleLabel, ownerNoted ? vscode.l10n.t('owner') : undefined, member.locked ? vscode.l10n.t('locked') : undefined].filter(Boolean);
    // What the row holds comes first, so it survives the default sidebar width; the email is in the tooltip.
    item.description = state.length ? state.join(' · ') : member.email;
    item.iconPath = new vscode.ThemeIcon(member.locked ? 'lock' : member.owner ? 'star-full' : 'person');
    item.tooltip = new vscode.MarkdownString(`**${member.name}**\n\n${member.email}\n\n${state.join(' · ')}`);
    const p = ctx.provider;
    const admin = canAdmin(ctx);
    item.contextValue = contextFlags(
      group ? 'groupMember' : 'member',
      'principal',
      'copyable',
      canShareResources(p) && 'resourceSharer',
      admin && !group && !member.owner && !!p.setLocked && (member.locked ? 'unlockable' : 'lockable'),
      admin && !group && !member.owner && !!p.setSeatType && 'seatChangeable',
      admin && !group && !member.owner && !!p.setMemberRole && 'roleChangeable',
      admin && !group && !member.owner && !!p.removeMember && 'removable',
      admin && !group && !!p.addToGroup && 'groupable',
      admin && !!group && !group.system && !!p.removeFromGroup && 'removableFromGroup',
      admin && !!group && !!p.setGroupRole && 'groupRoleChangeable',
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
  ) {
    const p = ctx.provider;
    super(
      p.listGroupMembersPage
        ? (token) => p.listGroupMembersPage!(group.id, token)
        : p.listGroupMembers
          ? slicePages(() => p.listGroupMembers!(group.id), LOCAL_PAGE)
          : slicePages(async () => {
              const byEmail = new Map((p.listMembers ? await p.listMembers() : []).map((m) => [m.email.toLowerCase(), m]));
              return group.memberEmails.map((email) => byEmail.get(email.toLowerCase()) ?? { id: email, email, name: email });
            }, LOCAL_PAGE),
    );
    this.id = `${parent.id}/${group.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const { group } = this;
    const count = group.memberCount ?? group.memberEmails.length;
    const item = new vscode.TreeItem(group.name, count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = vscode.l10n.t('{0}{1}', count === 1 ? vscode.l10n.t('1 member') : vscode.l10n.t('{0} members', count), group.system ? vscode.l10n.t(' · managed by the platform') : '');
    item.iconPath = new vscode.ThemeIcon(group.system ? 'broadcast' : 'organization');
    const p = this.ctx.provider;
    const admin = canAdmin(this.ctx) && !group.system;
    item.contextValue = contextFlags('group', 'principal', 'copyable', canShareResources(p) && 'resourceSharer', admin && !!p.addToGroup && 'editable', admin && !!p.renameGroup && 'renamable', admin && !!p.deleteGroup && 'deletable');
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return this.pagedChildren(this, (m) => new MemberNode(this, this.ctx, m, this.group));
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
