import * as vscode from 'vscode';
import type { Group, Grant, Member } from '../../core/model';
import { explainReach, readPerson, type PersonHere, type PersonReach, type ProjectPlace } from '../../core/people/person';
import type { Identity } from '../../core/provider';
import { PLATFORMS } from '../../providers';
import { whyWords } from './reasonWords';
import type { ConnectionInfo, ConnectionStore } from '../connectionStore';
import type { Sessions } from '../sessions';
import { maxConcurrency } from '../settings';
import type { NodeContext } from '../tree/context';
import { InvitationNode } from '../tree/invitationNodes';
import { MemberNode } from '../tree/memberNodes';
import { MessageNode } from '../tree/messageNode';
import { contextFlags, type TreeNode } from '../tree/node';
import { ProjectMemberNode, ProjectNode } from '../tree/projectNodes';
import { GrantNode, ResourceNode } from '../tree/resourceNodes';
import type { FollowUp, FollowUps } from './followUps';
import { needsIndex, type AccessIndexes } from './indexStore';

export const PEOPLE_VIEW_ID = 'workspaceAccess.people';
/** Rows of what a person reaches shown at most; the rest is counted. */
const MAX_REACH_ROWS = 500;

/** What one connection said of the person: their access, or why it could not be read. */
export type Read = { readonly ctx: NodeContext; readonly here: PersonHere } | { readonly ctx: NodeContext; readonly error: unknown };
export type Ok = Extract<Read, { here: PersonHere }>;

/** "3 minutes ago". */
export function ago(ms: number): string {
  const s = Math.round((ms - Date.now()) / 1000);
  const fmt = new Intl.RelativeTimeFormat(vscode.env.language || 'en', { numeric: 'auto' });
  if (Math.abs(s) < 60) return fmt.format(s, 'second');
  if (Math.abs(s) < 3600) return fmt.format(Math.round(s / 60), 'minute');
  if (Math.abs(s) < 86400) return fmt.format(Math.round(s / 3600), 'hour');
  return fmt.format(Math.round(s / 86400), 'day');
}

/** A person opened in the view: one email, read in every connection at once. */
export class Person {
  private readonly reads = new Map<string, Promise<Read>>();
  private readonly explained = new Map<string, Promise<PersonHere>>();
  name?: string;

  constructor(readonly email: string) {}

  /** Every connection's read, side by side; a failed connection fails alone. Each is kept until a refresh. */
  read(deps: PeopleDeps): Promise<Read[]> {
    return Promise.all(deps.store.list().map((connection) => {
      let read = this.reads.get(connection.id);
      if (!read) {
        read = this.readOne(deps, connection);
        this.reads.set(connection.id, read);
      }
      return read;
    }));
  }

  private async readOne(deps: PeopleDeps, connection: ConnectionInfo): Promise<Read> {
    const provider = deps.sessions.provider(connection);
    let identity: Identity | undefined;
    try {
      identity = await deps.sessions.identity(connection);
      const ctx: NodeContext = { connection, provider, identity };
      // Why, where it costs a read per resource (GitBook), is read when "Can reach" is opened.
      const here = await readPerson(provider, this.email, { identity, index: needsIndex(provider) ? deps.indexes.get(connection.id) : undefined, concurrency: maxConcurrency(), explain: false });
      // The fullest name any connection gives (ElevenLabs has first names only).
      if (here.member && here.member.name.length > (this.name?.length ?? 0)) this.name = here.member.name;
      return { ctx, here };
    } catch (error) {
      return { ctx: { connection, provider, identity }, error };
    }
  }

  /** The read with why for everything reached (read once per connection, then kept with the read). */
  explain(read: Ok): Promise<PersonHere> {
    const id = read.ctx.connection.id;
    let explained = this.explained.get(id);
    if (!explained) {
      explained = explainReach(read.ctx.provider, read.here, { concurrency: maxConcurrency() });
      explained.catch(() => this.explained.delete(id));
      this.explained.set(id, explained);
    }
    return explained;
  }

  /** Forgets what was read: in one connection, or in all. */
  forget(connectionId?: string): void {
    if (connectionId) {
      this.reads.delete(connectionId);
      this.explained.delete(connectionId);
    } else {
      this.reads.clear();
      this.explained.clear();
    }
  }
}

export interface PeopleDeps {
  readonly store: ConnectionStore;
  readonly sessions: Sessions;
  readonly indexes: AccessIndexes;
  readonly followUps: FollowUps;
}

/** A folder in a person's branch. */
class FolderNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly parent: TreeNode,
    private readonly label: string,
    private readonly description: string | undefined,
    private readonly icon: string,
    private readonly children: (self: FolderNode) => TreeNode[] | Promise<TreeNode[]>,
    private readonly flags = 'folder',
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.description;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.flags;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    try {
      return await this.children(this);
    } catch (err) {
      return [MessageNode.forError(this, err)];
    }
  }

  getParent(): TreeNode {
    return this.parent;
  }
}

/** A group or team the person is in: the group's row, with the actions on its member (Remove from Group…). */
class PersonGroupNode extends MemberNode {
  override getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    item.label = this.group?.name ?? '';
    item.description = this.member.groupRole && this.ctx.provider.groups?.roles ? this.ctx.provider.groups.roles.choices.find((c) => c.id === this.member.groupRole)?.label ?? this.member.groupRole : undefined;
    item.iconPath = new vscode.ThemeIcon(this.group?.system ? 'broadcast' : 'organization');
    return item;
  }
}

/** A project the person is a member of: the project's row, with the actions on its member. */
class PersonProjectNode extends ProjectMemberNode {
  override getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    item.label = this.projectNode.project.name;
    item.iconPath = new vscode.ThemeIcon('project');
    return item;
  }
}

/** A project the person is invited to: the invitation's actions (resend, revoke), named by the project. */
class PersonProjectInvitationNode extends InvitationNode {
  constructor(parent: TreeNode, ctx: NodeContext, private readonly place: Required<Pick<ProjectPlace, 'invitation'>> & ProjectPlace, roleName: string | undefined, scope: ConstructorParameters<typeof InvitationNode>[4]) {
    super(parent, ctx, place.invitation, roleName, scope, place.project.id);
  }

  override getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    item.label = this.place.project.name;
    return item;
  }
}

/** A resource the person holds directly (or made): the grant's row, named by the resource, with why. */
class PersonGrantNode extends GrantNode {
  constructor(parent: ResourceNode, grant: Grant, container: TreeNode, private readonly reach: PersonReach, private readonly why: string | undefined) {
    super(parent, grant, container, true);
  }

  override getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    item.label = this.reach.resource.name;
    item.description = [this.reach.role, this.why].filter(Boolean).join(' · ');
    item.tooltip = `${this.reach.resource.name} (${this.reach.resource.type}): ${this.reach.role}${this.why ? `\n${this.why}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('file-symlink-file');
    return item;
  }
}

/** A resource the person reaches through a group, the default or their role: read-only, with why. */
class ReachNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    private readonly reach: PersonReach,
    private readonly why: string | undefined,
  ) {
    this.id = `${parent.id}/${reach.resource.type}:${reach.resource.id}`;
  }

  get serverId(): string {
    return this.reach.resource.id;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.reach.resource.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [this.reach.role, this.why].filter(Boolean).join(' · ');
    item.tooltip = `${this.reach.resource.name} (${this.reach.resource.type}): ${this.reach.role}${this.why ? `\n${this.why}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('eye');
    item.contextValue = contextFlags('reach', 'copyable');
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode {
    return this.parent;
  }
}

/** A follow-up waiting for its person to become a member. */
export class FollowUpNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    readonly followUp: FollowUp,
  ) {
    this.id = `${parent.id}/${followUp.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.followUp.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.followUp.lastError ?? vscode.l10n.t('when they are a member');
    item.tooltip = vscode.l10n.t('Applied when {0} shows up as a member (on Refresh or at start). Planned {1}.', this.followUp.email, ago(Date.parse(this.followUp.created)));
    item.iconPath = new vscode.ThemeIcon('watch');
    item.contextValue = contextFlags('followUp');
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode {
    return this.parent;
  }
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
        ? [here.member.roleLabel ?? vscode.l10n.t('member'), here.member.locked ? vscode.l10n.t('locked') : undefined, here.member.owner ? vscode.l10n.t('owner') : undefined]
        : [here.invitations?.length ? vscode.l10n.t('invited') : vscode.l10n.t('not a member')];
      if (here.reach.length) parts.push(here.reach.length === 1 ? vscode.l10n.t('1 resource') : vscode.l10n.t('{0} resources', here.reach.length));
      item.description = parts.filter(Boolean).join(' · ');
    }
    item.contextValue = contextFlags('personConnection', needsIndex(read.ctx.provider) && 'indexed');
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    const { read } = this;
    if ('error' in read) {
      const failed = MessageNode.forError(this, read.error);
      return Promise.resolve([new MessageNode(failed.id, this, failed.label, 'error', { command: 'workspaceAccess.person.refresh', title: vscode.l10n.t('Retry'), arguments: [this.personNode] }, failed.label)]);
    }
    return Promise.resolve(this.rows(read.ctx, read.here));
  }

  private rows(ctx: NodeContext, here: PersonHere): TreeNode[] {
    const { provider, connection } = ctx;
    const platform = PLATFORMS[connection.platform];
    const rows: TreeNode[] = [];
    const info = (key: string, label: string, command?: vscode.Command) => new MessageNode(`${this.id}/${key}`, this, label, 'info', command);
    const member = here.member;
    if (member) rows.push(new MemberNode(this, ctx, member));
    else rows.push(info('absent', vscode.l10n.t('Not a member of this {0}', platform.container)));
    if (here.self) rows.push(info('self', vscode.l10n.t('This is the account of the connection\'s key')));
    if (here.reachesEverything) rows.push(info('everything', vscode.l10n.t('Reaches every resource as {0}', here.reachesEverything)));
    const invitations = provider.invitations;
    if (invitations && !member) {
      if (!here.invitations) rows.push(info('invitations', vscode.l10n.t('{0} cannot list pending invitations', platform.label)));
      else for (const inv of here.invitations) rows.push(new InvitationNode(this, ctx, inv, inv.roleId, invitations));
    }
    if (provider.groups && member) {
      const groups = provider.groups;
      rows.push(new FolderNode(`${this.id}/groups`, this, groups.label, String(here.groups.length), 'organization', (self) =>
        here.groups.length
          ? here.groups.map((g) => {
            const group: Group = { id: g.group.id, name: g.group.name, memberEmails: [], system: g.group.system };
            return new PersonGroupNode(self, ctx, { ...member, groupRole: g.role } satisfies Member, group, true);
          })
          : [new MessageNode(`${self.id}/none`, self, vscode.l10n.t('In no {0}', groups.word), 'info')]));
    }
    const projects = provider.projects;
    if (projects && here.projects.length) {
      rows.push(new FolderNode(`${this.id}/projects`, this, vscode.l10n.t('Projects'), String(here.projects.length), 'project', (self) =>
        here.projects.map((p) => {
          const projectNode = new ProjectNode(self, ctx, p.project, projects);
          if (p.member) return new PersonProjectNode(projectNode, p.member);
          const scope = projects.invitations?.(p.project.id);
          return p.invitation && scope ? new PersonProjectInvitationNode(self, ctx, { ...p, invitation: p.invitation }, p.invitation.roleId, scope) : info(`project-${p.project.id}`, p.project.name);
        })));
    }
    if (provider.sharing && member) rows.push(this.reachFolder({ ctx, here }));
    const followUps = this.deps.followUps.for(here.email).filter((f) => f.connectionId === connection.id);
    if (followUps.length) rows.push(new FolderNode(`${this.id}/followUps`, this, vscode.l10n.t('Pending follow-ups'), String(followUps.length), 'watch', (self) => followUps.map((f) => new FollowUpNode(self, f))));
    return rows;
  }

  /** What the person reaches; why each (where it costs a read per resource) is read when it is opened. */
  private reachFolder(read: Ok): TreeNode {
    const { ctx, here: listed } = read;
    const { provider, connection } = ctx;
    const sharing = provider.sharing;
    const building = this.deps.indexes.isBuilding(connection.id);
    const index = listed.index;
    const state = index === 'none'
      ? vscode.l10n.t('no access index yet')
      : index
        ? index.complete
          ? vscode.l10n.t('index {0}', ago(index.builtAt ?? index.updatedAt))
          : vscode.l10n.t('index {0} of {1}{2}', index.size.toLocaleString('en-US'), (index.total ?? index.size).toLocaleString('en-US'), building ? vscode.l10n.t(', building') : '')
        : undefined;
    const count = listed.reach.length;
    return new FolderNode(`${this.id}/reach`, this, vscode.l10n.t('Can reach'), [String(count), state].filter(Boolean).join(' · '), 'key', async (self) => {
      const here = listed.explained === false ? await this.personNode.person.explain(read) : listed;
      const rows: TreeNode[] = [];
      const rebuild: vscode.Command = { command: 'workspaceAccess.person.buildIndex', title: vscode.l10n.t('Build Access Index'), arguments: [this] };
      if (index === 'none') rows.push(new MessageNode(`${self.id}/index`, self, building ? vscode.l10n.t('Building the access index…') : vscode.l10n.t('No access index yet: click to build it'), 'info', building ? undefined : rebuild));
      else if (index) rows.push(new MessageNode(`${self.id}/index`, self, index.complete ? vscode.l10n.t('Access index built {0}: click to rebuild', ago(index.builtAt ?? index.updatedAt)) : vscode.l10n.t('Access index has {0} of {1} resources{2}', index.size.toLocaleString('en-US'), (index.total ?? index.size).toLocaleString('en-US'), building ? vscode.l10n.t(' (building)') : vscode.l10n.t(': click to finish it')), 'info', building ? undefined : rebuild));
      if (here.reachCovers && sharing) {
        const names = sharing.types.filter((t) => here.reachCovers?.includes(t.id)).map((t) => t.label.toLowerCase());
        rows.push(new MessageNode(`${self.id}/covers`, self, vscode.l10n.t('{0} answers per member for {1} only', PLATFORMS[connection.platform].label, names.join(', ')), 'info'));
      }
      if (!sharing) return rows;
      for (const r of here.reach.slice(0, MAX_REACH_ROWS)) {
        const why = whyWords(r.sources, connection.platform, provider);
        const own = r.sources.find((s) => s.kind === 'direct' || s.kind === 'creator');
        const member = here.member;
        if (own && member) {
          const resourceNode = new ResourceNode(self, ctx, { ...r.resource }, sharing);
          const grant: Grant = { principal: { kind: 'user', id: member.id, name: member.name, email: member.email }, role: own.role ?? r.role, ...(own.kind === 'creator' ? { fixed: vscode.l10n.t('The creator always keeps admin.'), creator: true } : {}) };
          rows.push(new PersonGrantNode(resourceNode, grant, self, r, why));
        } else rows.push(new ReachNode(self, r, why ?? vscode.l10n.t('why could not be read')));
      }
      if (here.reach.length > MAX_REACH_ROWS) rows.push(new MessageNode(`${self.id}/more`, self, vscode.l10n.t('and {0} more', here.reach.length - MAX_REACH_ROWS), 'info'));
      if (here.reach.length === 0 && !here.reachesEverything) rows.push(new MessageNode(`${self.id}/none`, self, vscode.l10n.t('Nothing shared with them'), 'info'));
      return rows;
    });
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
    if (reads.length === 0) return [new MessageNode(`${this.id}/none`, this, vscode.l10n.t('No connection yet'), 'info')];
    return reads.map((r) => new PersonConnectionNode(this, r, this.deps));
  }

  getParent(): undefined {
    return undefined;
  }
}

/** The People view: the people opened, each across every connection. */
export class PeopleTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly people = new Map<string, PersonNode>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: PeopleDeps) {
    this.subscriptions = [
      deps.indexes.onDidChange((id) => this.refreshConnection(id)),
      deps.followUps.onDidChange(() => this.emitter.fire(undefined)),
      deps.store.onDidChange(() => this.refresh()),
    ];
  }

  /** Opens (or re-reads) a person; their node comes first. */
  open(email: string): PersonNode {
    const key = email.trim().toLowerCase();
    const existing = this.people.get(key);
    if (existing) {
      existing.person.forget();
      this.emitter.fire(existing);
      return existing;
    }
    const node = new PersonNode(new Person(email.trim()), this.deps);
    this.people.set(key, node);
    this.emitter.fire(undefined);
    void vscode.commands.executeCommand('setContext', 'workspaceAccess.hasPeople', true);
    return node;
  }

  close(node: PersonNode): void {
    this.people.delete(node.person.email.toLowerCase());
    this.emitter.fire(undefined);
    void vscode.commands.executeCommand('setContext', 'workspaceAccess.hasPeople', this.people.size > 0);
  }

  list(): PersonNode[] {
    return [...this.people.values()];
  }

  /** Whether a node is this view's (commands refresh it here, not in the connections tree). */
  owns(node: TreeNode): boolean {
    return node.id.startsWith('person:');
  }

  /** Reads people again: one, or all. */
  refresh(node?: TreeNode): void {
    let n: TreeNode | undefined = node;
    while (n && !(n instanceof PersonNode)) n = n.getParent();
    const targets = n instanceof PersonNode ? [n] : this.list();
    for (const p of targets) p.person.forget();
    this.emitter.fire(n instanceof PersonNode ? n : undefined);
  }

  /** A connection's index changed: the people are read again from it (and only from it). */
  private refreshConnection(connectionId: string): void {
    for (const p of this.list()) p.person.forget(connectionId);
    this.emitter.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.list();
    const children = await vscode.window.withProgress({ location: { viewId: PEOPLE_VIEW_ID } }, () => node.getChildren());
    // The person's name came with the reads: the row drawn with the email is drawn again.
    if (node instanceof PersonNode && node.person.name !== node.shownName) setTimeout(() => this.emitter.fire(node), 0);
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.getParent();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
