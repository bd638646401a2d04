import * as vscode from 'vscode';
import type { ProjectPlace } from '../../../core/people/person';
import type { NodeContext } from '../../tree/context';
import { InvitationNode } from '../../tree/invitationNodes';
import { MemberNode } from '../../tree/memberNodes';
import type { TreeNode } from '../../tree/node';
import { ProjectMemberNode } from '../../tree/projectNodes';

/** A group or team the person is in: the group's row, with the actions on its member (Remove from Group…). */
export class PersonGroupNode extends MemberNode {
  override getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    item.label = this.group?.name ?? '';
    item.description =
      this.member.groupRole && this.ctx.provider.groups?.roles
        ? (this.ctx.provider.groups.roles.choices.find((c) => c.id === this.member.groupRole)?.label ??
          this.member.groupRole)
        : undefined;
    item.iconPath = new vscode.ThemeIcon(this.group?.system ? 'broadcast' : 'organization');
    return item;
  }
}

/** A project the person is a member of: the project's row, with the actions on its member. */
export class PersonProjectNode extends ProjectMemberNode {
  override getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    item.label = this.projectNode.project.name;
    item.iconPath = new vscode.ThemeIcon('project');
    return item;
  }
}

/** A project the person is invited to: the invitation's actions (resend, revoke), named by the project. */
export class PersonProjectInvitationNode extends InvitationNode {
  constructor(
    parent: TreeNode,
    ctx: NodeContext,
    private readonly place: Required<Pick<ProjectPlace, 'invitation'>> & ProjectPlace,
    roleName: string | undefined,
    scope: ConstructorParameters<typeof InvitationNode>[4],
  ) {
    super(parent, ctx, place.invitation, roleName, scope, place.project.id);
  }

  override getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    item.label = this.place.project.name;
    return item;
  }
}
