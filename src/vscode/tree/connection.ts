import * as vscode from 'vscode';
import { PLATFORMS } from '../../core/platforms';
import type { Identity } from '../../core/provider';
import type { ConnectionInfo } from '../connections';
import type { Sessions } from '../sessions';
import { AccountNode } from './account';
import { filteredList, matchesFilter, type NodeContext } from './context';
import { GroupNode, MemberNode } from './members';
import { MessageNode } from './message';
import { contextFlags, type TreeNode } from './node';
import { LOCAL_PAGE, slicePages } from './paging';
import { ResourceTypeNode } from './resources';
import { PagedSection, SectionNode } from './section';
import { InvitationNode, RoleNode } from './invitations';
import { ProjectNode } from './projects';
import { InviteLinkNode } from './inviteLinks';
import { ServiceAccountNode } from './serviceAccounts';

const PLATFORM_ICONS = { elevenlabs: 'mic', gitbook: 'book', confident: 'beaker' } as const;
/** A root: one connection to one workspace or organization. */
export class ConnectionNode implements TreeNode {
  readonly id: string;
  /** The sections last handed to the tree, so a change elsewhere can reload one of them. */
  private shown: TreeNode[] = [];
  /** Filter…: the text members, groups and resources are narrowed to. */
  filter: string | undefined;

  constructor(
    readonly connection: ConnectionInfo,
    private readonly sessions: Sessions,
  ) {
    this.id = `conn/${connection.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const { label, platform, baseUrl, tenantName } = this.connection;
    const info = PLATFORMS[platform];
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = (tenantName && tenantName !== label ? `${info.label} · ${tenantName}` : info.label) + (this.filter ? ` · ${vscode.l10n.t('filter: "{0}"', this.filter)}` : '');
    item.tooltip = new vscode.MarkdownString(`**${label}**\n\n${info.label} ${info.container}${tenantName ? ` ${tenantName}` : ''}\n\n\`${baseUrl}\``);
    item.iconPath = new vscode.ThemeIcon(PLATFORM_ICONS[platform]);
    const provider = this.sessions.provider(this.connection);
    item.contextValue = contextFlags('connection', platform, !!provider.inviteMembers && 'invitable', !!provider.createGroup && 'teamCreatable', !!provider.createInviteLink && 'linkCreatable', !!this.filter && 'filtered');
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    let account: AccountNode;
    try {
      account = new AccountNode(this, await this.sessions.identity(this.connection));
    } catch (err) {
      return [MessageNode.forError(this, err)];
    }
    this.shown = this.sections(account.identity);
    return [...(this.filter ? [new FilterNode(this, this.filter)] : []), account, ...this.shown];
  }

  /** The section with this key (`groups`, `members`, …) as last shown. */
  section(key: string): TreeNode | undefined {
    return this.shown.find((n) => n.id === `${this.id}/${key}`);
  }

  /** One section per capability the platform has. */
  private sections(identity: Identity): TreeNode[] {
    const provider = this.sessions.provider(this.connection);
    const ctx: NodeContext = { connection: this.connection, provider, identity, filter: this.filter };
    const sections: TreeNode[] = [];
    const labels = provider.sectionLabels ?? {};
    // Under a filter, an empty section says it found no match, not that there is nothing.
    const empty = (text: string) => (this.filter ? vscode.l10n.t('No match for "{0}".', this.filter) : text);
    const p = provider;
    if (p.listGroups) {
      // The platform's own pages where it has them (GitBook teams), else pages cut from the whole list (ElevenLabs).
      const all = p.listGroupsPage ? (token?: string) => p.listGroupsPage!(token) : slicePages(() => p.listGroups!(), LOCAL_PAGE);
      const search = p.searchGroups && (async (text: string) => ({ items: await p.searchGroups!(text) }));
      sections.push(new PagedSection(this, 'groups', labels.groups ?? vscode.l10n.t('Groups'), 'organization', filteredList(ctx, all, search, (g) => [g.name]), (self, g) => new GroupNode(self, ctx, g), empty(vscode.l10n.t('None yet.'))));
    }
    if (p.listMembers) {
      const all = p.listMembersPage ? (token?: string) => p.listMembersPage!(token) : slicePages(() => p.listMembers!(), LOCAL_PAGE);
      const search = p.searchMembers && (async (text: string) => ({ items: await p.searchMembers!(text) }));
      sections.push(new PagedSection(this, 'members', vscode.l10n.t('Members'), 'person', filteredList(ctx, all, search, (m) => [m.name, m.email]), (self, m) => new MemberNode(self, ctx, m), empty(vscode.l10n.t('No members.'))));
    }
    if (provider.listInvitations) {
      sections.push(
        new SectionNode(this, 'invitations', vscode.l10n.t('Invitations'), 'mail', async (self) => {
          const [invitations, roles] = await Promise.all([provider.listInvitations!(), provider.listMemberRoles ? provider.listMemberRoles() : Promise.resolve([])]);
          const names = new Map(roles.map((r) => [r.id, r.label]));
          return invitations.filter((i) => matchesFilter(ctx, i.email)).map((i) => new InvitationNode(self, ctx, i, i.roleId ? names.get(i.roleId) ?? i.roleId : undefined));
        }, empty(vscode.l10n.t('No pending invitations.'))),
      );
    }
    if (provider.listMemberRoles) {
      sections.push(
        new SectionNode(this, 'roles', vscode.l10n.t('Roles'), 'shield', async (self) => (await provider.listMemberRoles!()).filter((r) => matchesFilter(ctx, r.label)).map((r) => new RoleNode(self, r)), empty(vscode.l10n.t('No roles.'))),
      );
    }
    if (provider.listProjects) {
      sections.push(
        new SectionNode(this, 'projects', vscode.l10n.t('Projects'), 'project', async (self) => (await provider.listProjects!()).filter((p) => matchesFilter(ctx, p.name)).map((p) => new ProjectNode(self, ctx, p)), empty(vscode.l10n.t('No projects.'))),
      );
    }
    if (provider.listInviteLinks) {
      sections.push(
        new SectionNode(this, 'inviteLinks', vscode.l10n.t('Invite links'), 'link', async (self) =>
          (await provider.listInviteLinks!()).filter((l) => matchesFilter(ctx, l.target.kind === 'organization' ? vscode.l10n.t('Organization') : l.target.name, l.role)).map((l) => new InviteLinkNode(self, ctx, l)), empty(vscode.l10n.t('No invite links.'))),
      );
    }
    if (provider.listServiceAccounts) {
      sections.push(
        new SectionNode(this, 'serviceAccounts', vscode.l10n.t('Service accounts'), 'robot', async (self) =>
          (await provider.listServiceAccounts!()).filter((sa) => matchesFilter(ctx, sa.name)).map((sa) => new ServiceAccountNode(self, ctx, sa)), empty(vscode.l10n.t('No service accounts.'))),
      );
    }
    if (provider.listResources && provider.resourceTypes?.length) {
      const types = provider.resourceTypes;
      sections.push(
        new SectionNode(this, 'resources', labels.resources ?? vscode.l10n.t('Resources'), 'library', (self) => {
          // Opening a resource then costs one request: what names its grants loads while a type is picked.
          void provider.prepareAccess?.().catch(() => undefined);
          return Promise.resolve(types.map((t) => new ResourceTypeNode(self, ctx, t)));
        }, vscode.l10n.t('Nothing shareable.')),
      );
    }
    return sections;
  }

  getParent(): undefined {
    return undefined;
  }
}

/** The active filter, first under its connection: says what is narrowed, and clears it on click. */
export class FilterNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: ConnectionNode,
    readonly text: string,
  ) {
    this.id = `${parent.id}/filter`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Filter: "{0}"', this.text), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = vscode.l10n.t('click to clear');
    item.iconPath = new vscode.ThemeIcon('filter');
    item.tooltip = vscode.l10n.t('Members, groups, resources and every other section of {0} are narrowed to "{1}". Click to clear.', this.parent.connection.label, this.text);
    item.contextValue = contextFlags('filterRow');
    item.command = { command: 'workspaceAccess.connection.clearFilter', title: vscode.l10n.t('Clear Filter'), arguments: [this.parent] };
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): ConnectionNode {
    return this.parent;
  }
}
