import * as vscode from 'vscode';
import type { Group, Member } from '../../../core/model';
import type { PersonHere } from '../../../core/people/person';
import type { RoleChoice } from '../../../core/provider';
import { PLATFORMS } from '../../../providers';
import type { ConnectionInfo } from '../../connectionStore';
import type { NodeContext } from '../../tree/context';
import { InvitationNode } from '../../tree/invitationNodes';
import { MemberNode } from '../../tree/memberNodes';
import { MessageNode } from '../../tree/messageNode';
import { contextFlags, type TreeNode } from '../../tree/node';
import { ProjectNode } from '../../tree/projectNodes';
import { needsIndex } from '../indexStore';
import type { PeopleDeps, Person, Read } from '../readCache';
import { FolderNode } from './folderNode';
import { FollowUpNode } from './followUpNode';
import { PersonGroupNode, PersonProjectInvitationNode, PersonProjectNode } from './membershipNodes';
import { reachFolder } from './reachNodes';

/** Role ids as names: the organization's, and a project's. */
interface RoleNames {
  readonly org: (roleId: string | undefined) => string | undefined;
  readonly project: (projectId: string, roleId: string | undefined) => string | undefined;
}

/** One connection's branch of a person: membership, invitations, groups, projects, reach, follow-ups. */
export class PersonConnectionNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly personNode: PersonNode,
    readonly read: Read,
    private readonly deps: PeopleDeps,
  ) {
    this.id = `${personNode.id}/${read.ctx.connection.id}`;
  }

  get connection(): ConnectionInfo {
    return this.read.ctx.connection;
  }

  getTreeItem(): vscode.TreeItem {
    const { read } = this;
    const item = new vscode.TreeItem(read.ctx.connection.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(PLATFORMS[read.ctx.connection.platform].icon);
    if ('error' in read) {
      item.description = vscode.l10n.t('could not be read');
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    } else {
      const { here } = read;
      const parts = here.member
        ? [
            here.member.roleLabel ?? vscode.l10n.t('member'),
            here.member.locked ? vscode.l10n.t('locked') : undefined,
            here.member.owner ? vscode.l10n.t('owner') : undefined,
          ]
        : [here.invitations?.length ? vscode.l10n.t('invited') : vscode.l10n.t('not a member')];
      if (here.reach.length)
        parts.push(
          here.reach.length === 1 ? vscode.l10n.t('1 resource') : vscode.l10n.t('{0} resources', here.reach.length),
        );
      item.description = parts.filter(Boolean).join(' · ');
    }
    item.contextValue = contextFlags('personConnection', needsIndex(read.ctx.provider) && 'indexed');
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    const { read } = this;
    if ('error' in read) {
      const failed = MessageNode.forError(this, read.error);
      return Promise.resolve([
        new MessageNode(
          failed.id,
          this,
          failed.label,
          'error',
          { command: 'workspaceAccess.person.refresh', title: vscode.l10n.t('Retry'), arguments: [this.personNode] },
          failed.label,
        ),
      ]);
    }
    return this.roleNames(read.ctx, read.here).then((names) => this.rows(read.ctx, read.here, names));
  }

  /**
   * The names of the roles the person's invitations carry (Confident AI's are ids): the organization's
   * roles, and each project's where they are invited to one. A read that fails leaves the ids.
   */
  private async roleNames(ctx: NodeContext, here: PersonHere): Promise<RoleNames> {
    const org = ctx.provider.members?.roles;
    const projects = ctx.provider.projects;
    const invitedTo = here.projects.filter((p) => p.invitation?.roleId && !p.member);
    const [orgChoices, projectChoices] = await Promise.all([
      !here.member && here.invitations?.some((i) => i.roleId) && org
        ? org.choices().catch(() => [])
        : Promise.resolve([]),
      Promise.all(
        invitedTo.map(
          async (p) => [p.project.id, projects ? await projects.roles(p.project.id).catch(() => []) : []] as const,
        ),
      ),
    ]);
    const named = (choices: readonly RoleChoice[]) => new Map(choices.map((c) => [c.id, c.label]));
    const perProject = new Map(projectChoices.map(([id, choices]) => [id, named(choices)]));
    return {
      org: (id) => (id ? (named(orgChoices).get(id) ?? id) : undefined),
      project: (projectId, id) => (id ? (perProject.get(projectId)?.get(id) ?? id) : undefined),
    };
  }

  private rows(ctx: NodeContext, here: PersonHere, names: RoleNames): TreeNode[] {
    const { provider, connection } = ctx;
    const platform = PLATFORMS[connection.platform];
    const rows: TreeNode[] = [];
    const info = (key: string, label: string, command?: vscode.Command) =>
      new MessageNode(`${this.id}/${key}`, this, label, 'info', command);
    const member = here.member;
    if (member) rows.push(new MemberNode(this, ctx, member));
    else rows.push(info('absent', vscode.l10n.t('Not a member of this {0}', platform.container)));
    if (here.self) rows.push(info('self', vscode.l10n.t("This is the account of the connection's key")));
    if (here.reachesEverything)
      rows.push(info('everything', vscode.l10n.t('Reaches every resource as {0}', here.reachesEverything)));
    const invitations = provider.invitations;
    if (invitations && !member) {
      if (!here.invitations)
        rows.push(info('invitations', vscode.l10n.t('{0} cannot list pending invitations', platform.label)));
      else
        for (const inv of here.invitations)
          rows.push(new InvitationNode(this, ctx, inv, names.org(inv.roleId), invitations));
    }
    if (provider.groups && member) {
      const groups = provider.groups;
      rows.push(
        new FolderNode(`${this.id}/groups`, this, groups.label, String(here.groups.length), 'organization', (self) =>
          here.groups.length
            ? here.groups.map((g) => {
                const group: Group = { id: g.group.id, name: g.group.name, memberEmails: [], system: g.group.system };
                return new PersonGroupNode(self, ctx, { ...member, groupRole: g.role } satisfies Member, group, true);
              })
            : [new MessageNode(`${self.id}/none`, self, vscode.l10n.t('In no {0}', groups.word), 'info')],
        ),
      );
    }
    const projects = provider.projects;
    if (projects && here.projects.length) {
      rows.push(
        new FolderNode(
          `${this.id}/projects`,
          this,
          vscode.l10n.t('Projects'),
          String(here.projects.length),
          'project',
          (self) =>
            here.projects.map((p) => {
              const projectNode = new ProjectNode(self, ctx, p.project, projects);
              if (p.member) return new PersonProjectNode(projectNode, p.member);
              const scope = projects.invitations?.(p.project.id);
              return p.invitation && scope
                ? new PersonProjectInvitationNode(
                    self,
                    ctx,
                    { ...p, invitation: p.invitation },
                    names.project(p.project.id, p.invitation.roleId),
                    scope,
                  )
                : info(`project-${p.project.id}`, p.project.name);
            }),
        ),
      );
    }
    if (provider.sharing && member) rows.push(reachFolder(this, this.personNode.person, { ctx, here }, this.deps));
    const followUps = this.deps.followUps.for(here.email).filter((f) => f.connectionId === connection.id);
    if (followUps.length)
      rows.push(
        new FolderNode(
          `${this.id}/followUps`,
          this,
          vscode.l10n.t('Pending follow-ups'),
          String(followUps.length),
          'watch',
          (self) => followUps.map((f) => new FollowUpNode(self, f)),
        ),
      );
    return rows;
  }

  getParent(): TreeNode {
    return this.personNode;
  }
}

/** A person: one root per email, until closed. */
export class PersonNode implements TreeNode {
  readonly id: string;

  constructor(
    readonly person: Person,
    private readonly deps: PeopleDeps,
  ) {
    this.id = `person:${person.email.toLowerCase()}`;
  }

  /** The name the row was last drawn with: the reads may find the person's name after it was drawn. */
  shownName?: string;

  getTreeItem(): vscode.TreeItem {
    const { person } = this;
    this.shownName = person.name;
    const item = new vscode.TreeItem(person.name ?? person.email, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = person.name ? person.email : undefined;
    item.iconPath = new vscode.ThemeIcon('account');
    item.contextValue = contextFlags('person');
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const reads = await this.person.read(this.deps);
    if (reads.length === 0)
      return [new MessageNode(`${this.id}/none`, this, vscode.l10n.t('No connection yet'), 'info')];
    return reads.map((r) => new PersonConnectionNode(this, r, this.deps));
  }

  getParent(): undefined {
    return undefined;
  }
}
