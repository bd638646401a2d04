import * as vscode from 'vscode';
import { PLATFORMS } from '../../providers';
import type { InviteLink } from '../../core/model';
import type { Identity } from '../../core/provider';
import type { ConnectionInfo } from '../connectionStore';
import type { Sessions } from '../sessions';
import { AccountNode } from './accountNode';
import { emptyText, filteredList, matchesFilter, type NodeContext } from './context';
import { GroupNode, MemberNode } from './memberNodes';
import { MessageNode } from './messageNode';
import { contextFlags, type TreeNode } from './node';
import { ResourceTypeNode } from './resourceNodes';
import { PagedSection, SectionNode } from './sectionNodes';
import { InvitationNode, RoleNode } from './invitationNodes';
import { ProjectNode } from './projectNodes';
import { InviteLinkNode } from './inviteLinkNodes';
import { ServiceAccountNode } from './serviceAccountNodes';

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
    item.description =
      (tenantName && tenantName !== label ? `${info.label} · ${tenantName}` : info.label) +
      (this.filter ? ` · ${vscode.l10n.t('filter: "{0}"', this.filter)}` : '');
    item.tooltip = new vscode.MarkdownString(
      `**${label}**\n\n${info.label} ${info.container}${tenantName ? ` ${tenantName}` : ''}\n\n\`${baseUrl}\``,
    );
    item.iconPath = new vscode.ThemeIcon(info.icon);
    const provider = this.sessions.provider(this.connection);
    item.contextValue = contextFlags(
      'connection',
      platform,
      !!provider.invitations && 'invitable',
      !!provider.invitations?.revokeByEmail && 'revocableByEmail',
      !!provider.groups?.create && 'teamCreatable',
      !!provider.inviteLinks?.create && 'linkCreatable',
      !!this.filter && 'filtered',
    );
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

  /** One section per capability group the platform has, in the order of SECTIONS. */
  private sections(identity: Identity): TreeNode[] {
    const ctx: NodeContext = {
      connection: this.connection,
      provider: this.sessions.provider(this.connection),
      identity,
      filter: this.filter,
    };
    // Under a filter, an empty section says it found no match, not that there is nothing.
    const empty = (text: string) => emptyText(ctx, text);
    return SECTIONS.flatMap((make) => make(this, ctx, empty) ?? []);
  }

  getParent(): undefined {
    return undefined;
  }
}

type Section = (parent: ConnectionNode, ctx: NodeContext, empty: (text: string) => string) => TreeNode | undefined;

const groupsSection: Section = (parent, ctx, empty) => {
  const groups = ctx.provider.groups;
  if (!groups) return undefined;
  const find = groups.search;
  const search = find && (async (text: string) => ({ items: await find(text) }));
  return new PagedSection(
    parent,
    'groups',
    groups.label,
    'organization',
    filteredList(
      ctx,
      (token) => groups.page(token),
      search,
      (g) => [g.name],
    ),
    (self, g) => new GroupNode(self, ctx, g, groups),
    empty(vscode.l10n.t('None yet.')),
  );
};

const membersSection: Section = (parent, ctx, empty) => {
  const members = ctx.provider.members;
  if (!members) return undefined;
  const find = members.search;
  const search = find && (async (text: string) => ({ items: await find(text) }));
  return new PagedSection(
    parent,
    'members',
    vscode.l10n.t('Members'),
    'person',
    filteredList(
      ctx,
      (token) => members.page(token),
      search,
      (m) => [m.name, m.email],
    ),
    (self, m) => new MemberNode(self, ctx, m),
    empty(vscode.l10n.t('No members.')),
  );
};

const invitationsSection: Section = (parent, ctx, empty) => {
  const scope = ctx.provider.invitations;
  const list = scope?.list;
  if (!scope || !list) return undefined;
  const roles = ctx.provider.members?.roles;
  return new SectionNode(
    parent,
    'invitations',
    vscode.l10n.t('Invitations'),
    'mail',
    async (self) => {
      const [invitations, choices] = await Promise.all([list(), roles ? roles.choices() : Promise.resolve([])]);
      const names = new Map(choices.map((r) => [r.id, r.label]));
      return invitations
        .filter((i) => matchesFilter(ctx, i.email))
        .map((i) => new InvitationNode(self, ctx, i, i.roleId ? (names.get(i.roleId) ?? i.roleId) : undefined, scope));
    },
    empty(vscode.l10n.t('No pending invitations.')),
  );
};

const rolesSection: Section = (parent, ctx, empty) => {
  const roles = ctx.provider.members?.roles;
  if (!roles?.listed) return undefined;
  return new SectionNode(
    parent,
    'roles',
    vscode.l10n.t('Roles'),
    'shield',
    async (self) =>
      (await roles.choices()).filter((r) => matchesFilter(ctx, r.label)).map((r) => new RoleNode(self, r)),
    empty(vscode.l10n.t('No roles.')),
  );
};

const projectsSection: Section = (parent, ctx, empty) => {
  const projects = ctx.provider.projects;
  if (!projects) return undefined;
  return new SectionNode(
    parent,
    'projects',
    vscode.l10n.t('Projects'),
    'project',
    async (self) =>
      (await projects.list())
        .filter((p) => matchesFilter(ctx, p.name))
        .map((p) => new ProjectNode(self, ctx, p, projects)),
    empty(vscode.l10n.t('No projects.')),
  );
};

const inviteLinksSection: Section = (parent, ctx, empty) => {
  const links = ctx.provider.inviteLinks;
  if (!links) return undefined;
  const where = (l: InviteLink) => (l.target.kind === 'organization' ? vscode.l10n.t('Organization') : l.target.name);
  return new SectionNode(
    parent,
    'inviteLinks',
    vscode.l10n.t('Invite links'),
    'link',
    async (self) =>
      (await links.list())
        .filter((l) => matchesFilter(ctx, where(l), l.roleLabel))
        .map((l) => new InviteLinkNode(self, ctx, l)),
    empty(vscode.l10n.t('No invite links.')),
  );
};

const serviceAccountsSection: Section = (parent, ctx, empty) => {
  const accounts = ctx.provider.serviceAccounts;
  if (!accounts) return undefined;
  return new SectionNode(
    parent,
    'serviceAccounts',
    vscode.l10n.t('Service accounts'),
    'robot',
    async (self) =>
      (await accounts.list())
        .filter((sa) => matchesFilter(ctx, sa.name))
        .map((sa) => new ServiceAccountNode(self, ctx, sa)),
    empty(vscode.l10n.t('No service accounts.')),
  );
};

const resourcesSection: Section = (parent, ctx) => {
  const sharing = ctx.provider.sharing;
  if (!sharing?.types.length) return undefined;
  return new SectionNode(
    parent,
    'resources',
    sharing.label,
    'library',
    (self) => {
      // Opening a resource then costs one request: what names its grants loads while a type is picked.
      void sharing.prepare?.().catch(() => undefined);
      return Promise.resolve(sharing.types.map((t) => new ResourceTypeNode(self, ctx, t, sharing)));
    },
    vscode.l10n.t('Nothing shareable.'),
  );
};

/** The sections under a connection, in order: each one shows when the provider has its capability group. */
const SECTIONS: readonly Section[] = [
  groupsSection,
  membersSection,
  invitationsSection,
  rolesSection,
  projectsSection,
  inviteLinksSection,
  serviceAccountsSection,
  resourcesSection,
];

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
    item.tooltip = vscode.l10n.t(
      'Members, groups, resources and every other section of {0} are narrowed to "{1}". Click to clear.',
      this.parent.connection.label,
      this.text,
    );
    item.contextValue = contextFlags('filterRow');
    item.command = {
      command: 'workspaceAccess.connection.clearFilter',
      title: vscode.l10n.t('Clear Filter'),
      arguments: [this.parent],
    };
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): ConnectionNode {
    return this.parent;
  }
}
