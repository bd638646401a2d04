import type { HttpClient, HttpResponse } from '../../core/http/client';
import { RoleLadder, type Access, type AccessSource, type EffectiveAccess, type Grant, type Group, type InviteLink, type Member, type Page, type Principal, type Resource, type ResourceType } from '../../core/model';
import { readAllPages, type WholeList } from '../../core/paging';
import type { GroupMembership, Groups, Identity, Reached, InviteLinks, InviteOptions, Invitations, KnownAccount, InviteReport, Members, Provider, RemovalOutcome, Sharing, Tenant } from '../../core/provider';
import * as api from './client';
import { MemberRole, type EffectivePermission, type InviteLink as WireLink, type OrganizationMember } from './schemas';

/** admin > create > review > edit > comment > read (the spec's order of power, not its enum order). */
export const GITBOOK_ROLES = new RoleLadder(['admin', 'create', 'review', 'edit', 'comment', 'read']);
/** `null` on the wire. */
export const GUEST = 'guest';
const KINDS: readonly { kind: api.ContentKind; type: ResourceType }[] = [
  { kind: 'space', type: { id: 'space', label: 'Spaces', icon: 'book', webPages: true } },
  { kind: 'collection', type: { id: 'collection', label: 'Collections', icon: 'folder-library', webPages: true } },
  { kind: 'site', type: { id: 'site', label: 'Sites', icon: 'globe', webPages: true } },
];

/** The shareable content types' ids. */
export const RESOURCE_TYPES = KINDS.map((k) => k.type.id);

const roleLabel = (role: string | null) => (role === null ? 'Guest' : role[0].toUpperCase() + role.slice(1));
const wireRole = (role: string): MemberRole | null => (role === GUEST ? null : MemberRole.parse(role));

/** A team's member: the organization member, shown with the team role. */
const teamMember = (m: { organization: OrganizationMember; team: { role: 'owner' | 'member' } }): Member => ({ ...toMember(m.organization), roleLabel: m.team.role === 'owner' ? 'Team owner' : 'Team member', groupRole: m.team.role });

function toMember(m: OrganizationMember): Member {
  return { id: m.id, email: m.user.email ?? m.user.displayName, name: m.user.displayName, role: m.role ?? GUEST, roleLabel: roleLabel(m.role), locked: m.disabled };
}

function toLink(l: WireLink): InviteLink {
  const role = (l.role !== undefined ? l.role : l.level) ?? null;
  const target: InviteLink['target'] = l.space ? { kind: 'space', id: l.space.id, name: l.space.title } : l.collection ? { kind: 'collection', id: l.collection.id, name: l.collection.title } : { kind: 'organization' };
  return { id: l.id, target, role: role ?? GUEST, roleLabel: roleLabel(role), redundant: l.redundant };
}

/** Maps a whole list, keeping what it says about stopping early. */
function mapWhole<T, U>(list: WholeList<T>, map: (t: T) => U): WholeList<U> {
  const out: WholeList<U> = list.map(map);
  if (list.incomplete) out.incomplete = list.incomplete;
  return out;
}

export function removal(res: HttpResponse<unknown>): RemovalOutcome {
  return res.status === 202 ? 'requested' : res.status === 204 ? 'not-there' : 'removed';
}

/** Follows `next.page` to the end, bounded (see readAllPages): for lists that must be whole. */
function all<T>(http: HttpClient, what: string, fetch: (page?: string) => Promise<{ items: T[]; next?: { page: string } }>, signal?: AbortSignal): Promise<WholeList<T>> {
  return readAllPages(`GitBook ${what}`, async (token) => {
    const res = await fetch(token);
    return { items: res.items, next: res.next?.page };
  }, { signal, onIncomplete: (why) => http.log.warn(why) });
}

const userGrant = (u: { user: { id: string; displayName: string; email?: string }; permission: MemberRole | null }): Grant => ({ principal: { kind: 'user', id: u.user.id, name: u.user.displayName, email: u.user.email }, role: u.permission ?? GUEST });
const teamGrant = (t: { team: { id: string; title: string }; permission: MemberRole | null }): Grant => ({ principal: { kind: 'group', id: t.team.id, name: t.team.title }, role: t.permission ?? GUEST });

export class GitBookProvider implements Provider {
  readonly platform = 'gitbook';
  readonly roles = GITBOOK_ROLES;
  readonly removalConsequence = 'They lose their organization role, every team membership and every direct grant on spaces, collections and sites. Their own account stays; inviting them again does not bring the grants back.';
  readonly inviteOptions = { sso: true };
  readonly memberRoles = [...GITBOOK_ROLES.roles, GUEST].map((id) => ({ id, label: roleLabel(id === GUEST ? null : id) }));
  readonly resourceTypes = KINDS.map((k) => k.type);

  constructor(
    private readonly http: HttpClient,
    private readonly orgId?: string,
    /** Who the key acted as when it was stored: then the identity is the organization read alone. */
    private readonly account?: KnownAccount,
  ) {}

  readonly members: Members = {
    list: (signal) => this.listMembers(signal),
    page: (token, signal) => this.listMembersPage(token, signal),
    search: (text, signal) => this.searchMembers(text, signal),
    roles: { kind: 'role', choices: () => Promise.resolve([...this.memberRoles]), set: (member, role, signal) => this.setMemberRole(member, role, signal) },
    remove: (member, signal) => this.removeMember(member, signal),
    removalConsequence: this.removalConsequence,
    reachesEverything: (member) => (member.role === 'admin' ? 'Admin' : undefined),
  };

  readonly groups: Groups = {
    word: 'team',
    label: 'Teams',
    list: (signal) => this.listGroups(signal),
    page: (token, signal) => this.listGroupsPage(token, signal),
    members: (teamId, token, signal) => this.listGroupMembersPage(teamId, token, signal),
    add: (teamId, email, signal) => this.addToGroup(teamId, email, signal),
    remove: (teamId, email, signal) => this.removeFromGroup(teamId, email, signal),
    create: (name, signal) => this.createGroup(name, signal),
    rename: (teamId, name, signal) => this.renameGroup(teamId, name, signal),
    delete: (teamId, signal) => this.deleteGroup(teamId, signal),
    deleteConsequence: 'Members stay in the organization but lose what the team was given on spaces, collections and sites.',
    roles: {
      choices: [{ id: 'owner', label: 'Owner', description: 'manages the team\'s members' }, { id: 'member', label: 'Member' }],
      of: (member) => member.groupRole ?? 'member',
      set: (teamId, member, role, signal) => this.setGroupRole(teamId, member, role === 'owner' ? 'owner' : 'member', signal),
    },
    of: (member, signal) => this.teamsOf(member, signal),
  };

  readonly invitations: Invitations = {
    send: (emails, options, signal) => this.inviteMembers(emails, options, signal),
    options: this.inviteOptions,
  };

  readonly inviteLinks: InviteLinks = {
    roles: this.memberRoles,
    createdNote: 'GitBook shows its address in the organization settings.',
    list: (signal) => this.listInviteLinks(signal),
    create: (target, role, signal) => this.createInviteLink(target, role, signal),
    update: (link, role, signal) => this.updateInviteLink(link, role, signal),
    delete: (link, signal) => this.deleteInviteLink(link, signal),
  };

  readonly sharing: Sharing = {
    label: 'Content',
    types: this.resourceTypes,
    roles: GITBOOK_ROLES,
    list: (typeId, token, signal) => this.listResources(typeId, token, signal),
    access: (resource, signal) => this.access(resource, signal),
    grantLists: [
      { id: 'users', label: 'Users', icon: 'person', page: (resource, token, signal) => this.listGrantsPage(resource, 'users', token, signal) },
      { id: 'teams', label: 'Teams', icon: 'organization', page: (resource, token, signal) => this.listGrantsPage(resource, 'teams', token, signal) },
    ],
    fixedGrants: (resource) => this.fixedGrants(resource),
    share: (resource, principal, role, signal) => this.share(resource, principal, role, signal),
    changeRole: (resource, principal, role, signal) => this.changeRole(resource, principal, role, signal),
    unshare: (resource, principal, signal) => this.unshare(resource, principal, signal),
    effectiveAccess: (resource, signal) => this.effectiveAccess(resource, signal),
    principals: (signal) => this.principals(signal),
    reachOf: { covers: ['space'], read: (member, signal) => this.spacesOf(member, signal) },
  };

  /** Nothing is cached between calls. */
  invalidate(): void {}

  private get org(): string {
    if (!this.orgId) throw new Error('This GitBook connection has no organization; remove it and add it again to pick one.');
    return this.orgId;
  }

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    if (this.orgId && this.account) {
      // One request: the organization says whether the key may administer it (and a refused key fails here).
      const org = await api.getOrg(this.http, this.orgId, signal);
      return { name: this.account.name, email: this.account.email, detail: `${org.title}${org.permissions.admin ? ' · admin' : ''}`, isAdmin: org.permissions.admin };
    }
    // Both at once: the connection's first level waits one round trip, not two.
    const [user, org] = await Promise.all([api.getUser(this.http, signal), this.orgId ? api.getOrg(this.http, this.orgId, signal) : undefined]);
    if (!org) return { name: user.displayName, email: user.email, userId: user.id, detail: user.email, isAdmin: false };
    return { name: user.displayName, email: user.email, userId: user.id, detail: `${org.title}${org.permissions.admin ? ' · admin' : ''}`, isAdmin: org.permissions.admin };
  }

  async listTenants(signal?: AbortSignal): Promise<Tenant[]> {
    return mapWhole(await all(this.http, 'organizations', (page) => api.listOrgs(this.http, page, signal), signal), (o) => ({ id: o.id, name: o.title }));
  }

  async listMembersPage(token?: string, signal?: AbortSignal): Promise<Page<Member>> {
    const res = await api.listMembers(this.http, this.org, token, undefined, signal);
    return { items: res.items.map(toMember), next: res.next?.page, total: res.count };
  }

  async searchMembers(text: string, signal?: AbortSignal): Promise<Member[]> {
    return (await api.listMembers(this.http, this.org, undefined, text, signal)).items.map(toMember);
  }

  async listMembers(signal?: AbortSignal): Promise<WholeList<Member>> {
    return mapWhole(await all(this.http, 'members', (page) => api.listMembers(this.http, this.org, page, undefined, signal, api.MAX_LIMIT), signal), toMember);
  }

  setMemberRole(member: Member, role: string, signal?: AbortSignal): Promise<unknown> {
    return api.setMemberRole(this.http, this.org, member.id, wireRole(role), signal);
  }

  async removeMember(member: Member, signal?: AbortSignal): Promise<RemovalOutcome> {
    return removal(await api.removeMember(this.http, this.org, member.id, signal));
  }

  async listGroups(signal?: AbortSignal): Promise<WholeList<Group>> {
    return mapWhole(await all(this.http, 'teams', (page) => api.listTeams(this.http, this.org, page, signal), signal), (t) => ({ id: t.id, name: t.title, memberEmails: [], memberCount: t.members }));
  }

  async listGroupsPage(token?: string, signal?: AbortSignal): Promise<Page<Group>> {
    const res = await api.listTeams(this.http, this.org, token, signal);
    return { items: res.items.map((t) => ({ id: t.id, name: t.title, memberEmails: [], memberCount: t.members })), next: res.next?.page, total: res.count };
  }

  async listGroupMembersPage(teamId: string, token?: string, signal?: AbortSignal): Promise<Page<Member>> {
    const res = await api.listTeamMembers(this.http, this.org, teamId, token, signal);
    return { items: res.items.map(teamMember), next: res.next?.page, total: res.count };
  }

  async listGroupMembers(teamId: string, signal?: AbortSignal): Promise<Member[]> {
    return mapWhole(await all(this.http, 'team members', (page) => api.listTeamMembers(this.http, this.org, teamId, page, signal), signal), teamMember);
  }

  /** The teams one member belongs to, with their team role: one paged read. */
  async teamsOf(member: Member, signal?: AbortSignal): Promise<GroupMembership[]> {
    const teams = await all(this.http, 'member teams', (page) => api.listMemberTeams(this.http, this.org, member.id, page, signal), signal);
    return teams.map((t) => ({ group: { id: t.team.id, name: t.team.title }, role: t.member.role }));
  }

  /** The spaces one member can reach, at their level from any source (GitBook lists spaces only). */
  async spacesOf(member: Member, signal?: AbortSignal): Promise<WholeList<Reached>> {
    const spaces = await all(this.http, 'member spaces', (page) => api.listMemberSpaces(this.http, this.org, member.id, page, signal), signal);
    return mapWhole(spaces, (s) => ({ resource: { type: 'space', id: s.space.id, name: s.space.title, canShare: s.space.permissions.admin, baseline: s.space.defaultLevel === null ? GUEST : s.space.defaultLevel, webUrl: s.space.urls.app }, role: s.permission }));
  }

  /** The bulk membership call takes emails. */
  addToGroup(teamId: string, email: string, signal?: AbortSignal): Promise<unknown> {
    return api.updateTeamMembers(this.http, this.org, teamId, { add: [email] }, signal);
  }

  removeFromGroup(teamId: string, email: string, signal?: AbortSignal): Promise<unknown> {
    return api.updateTeamMembers(this.http, this.org, teamId, { remove: [email] }, signal);
  }

  async setGroupRole(teamId: string, member: Member, role: 'owner' | 'member', signal?: AbortSignal): Promise<unknown> {
    return api.setTeamRole(this.http, this.org, teamId, member.id, role, signal);
  }

  async listInviteLinks(signal?: AbortSignal): Promise<InviteLink[]> {
    return mapWhole(await all(this.http, 'invite links', (page) => api.listInviteLinks(this.http, this.org, page, signal), signal), toLink);
  }

  async createInviteLink(target: InviteLink['target'], role: string, signal?: AbortSignal): Promise<InviteLink> {
    const r = wireRole(role);
    const body = target.kind === 'organization' ? { role: r } : target.kind === 'space' ? { level: r, space: target.id } : { level: r, collection: target.id };
    return toLink(await api.createInviteLink(this.http, this.org, body, signal));
  }

  async updateInviteLink(link: InviteLink, role: string, signal?: AbortSignal): Promise<InviteLink> {
    const r = wireRole(role);
    return toLink(await api.updateInviteLink(this.http, this.org, link.id, link.target.kind === 'organization' ? { role: r } : { level: r }, signal));
  }

  async deleteInviteLink(link: InviteLink, signal?: AbortSignal): Promise<RemovalOutcome> {
    return removal(await api.deleteInviteLink(this.http, this.org, link.id, signal));
  }

  async createGroup(name: string, signal?: AbortSignal): Promise<Group> {
    const t = await api.createTeam(this.http, this.org, name, signal);
    return { id: t.id, name: t.title, memberEmails: [], memberCount: t.members };
  }

  renameGroup(teamId: string, name: string, signal?: AbortSignal): Promise<unknown> {
    return api.renameTeam(this.http, this.org, teamId, name, signal);
  }

  async deleteGroup(teamId: string, signal?: AbortSignal): Promise<RemovalOutcome> {
    return removal(await api.deleteTeam(this.http, this.org, teamId, signal));
  }

  /** All emails in one call, with one role; reports the emails that could not become SSO members. */
  async inviteMembers(emails: readonly string[], options: InviteOptions, signal?: AbortSignal): Promise<InviteReport> {
    const res = await api.invite(this.http, this.org, emails, wireRole(options.seat ?? 'read'), options.sso ?? false, signal);
    return { failedSSOEmails: res.failedSSOEmails };
  }

  async listResources(typeId: string, token?: string, signal?: AbortSignal): Promise<Page<Resource>> {
    const fetch = typeId === 'space' ? api.listSpaces : typeId === 'collection' ? api.listCollections : typeId === 'site' ? api.listSites : undefined;
    if (!fetch) throw new Error(`GitBook has no content type "${typeId}".`);
    const res = await fetch(this.http, this.org, token, signal);
    return {
      items: res.items.map((c) => ({ type: typeId, id: c.id, name: c.title, canShare: c.permissions.admin, baseline: c.defaultLevel === null ? GUEST : c.defaultLevel, webUrl: c.urls.app })),
      next: res.next?.page,
      total: res.count,
    };
  }

  /** One page of the users or the teams with a role on the content. */
  async listGrantsPage(resource: Pick<Resource, 'id' | 'type'>, list: string, token?: string, signal?: AbortSignal): Promise<Page<Grant>> {
    const kind = resource.type as api.ContentKind;
    if (list === 'users') {
      const res = await api.listUserPermissions(this.http, this.org, kind, resource.id, token, signal);
      return { items: res.items.map(userGrant), next: res.next?.page, total: res.count };
    }
    const res = await api.listTeamPermissions(this.http, this.org, kind, resource.id, token, signal);
    return { items: res.items.map(teamGrant), next: res.next?.page, total: res.count };
  }

  fixedGrants(resource: Resource): Grant[] {
    return resource.baseline ? [{ principal: { kind: 'default', id: 'default', name: 'Organization default' }, role: resource.baseline, fixed: 'The default level is set on the content in GitBook.' }] : [];
  }

  async access(resource: Pick<Resource, 'id' | 'type'> & { baseline?: string }, signal?: AbortSignal): Promise<Access> {
    const kind = resource.type as api.ContentKind;
    const [users, teams] = await Promise.all([
      all(this.http, 'user permissions', (page) => api.listUserPermissions(this.http, this.org, kind, resource.id, page, signal), signal),
      all(this.http, 'team permissions', (page) => api.listTeamPermissions(this.http, this.org, kind, resource.id, page, signal), signal),
    ]);
    const grants: Grant[] = [...users.map(userGrant), ...teams.map(teamGrant), ...this.fixedGrants(resource as Resource)];
    return { grants };
  }

  /**
   * Everyone who can reach the content, and why. Sites say where each level comes from; for spaces
   * and collections the reasons are worked out from the grants, the teams that hold them, the
   * default level and the organization's admins (what is left is inherited from a parent).
   */
  async effectiveAccess(resource: Pick<Resource, 'id' | 'type' | 'baseline'>, signal?: AbortSignal): Promise<EffectiveAccess[]> {
    const kind = resource.type as api.ContentKind;
    const rows = await all(this.http, 'effective permissions', (page) => api.listEffectivePermissions(this.http, this.org, kind, resource.id, page, signal), signal);
    const why = kind === 'site' ? await this.siteReasons(rows, signal) : await this.contentReasons(resource, signal);
    return rows.map((r) => ({ principal: { kind: 'user', id: r.user.id, name: r.user.displayName, email: r.user.email }, role: r.permission ?? GUEST, sources: why(r) }));
  }

  private async siteReasons(rows: readonly EffectivePermission[], signal?: AbortSignal): Promise<(r: EffectivePermission) => AccessSource[]> {
    const names = rows.some((r) => r.origin?.team) ? new Map((await this.listGroups(signal)).map((t) => [t.id, t.name])) : new Map<string, string>();
    return ({ origin: o, permission }) => {
      const role = permission ?? GUEST;
      if (!o) return [];
      if (o.type === 'organization') return [{ kind: 'organization', role }];
      if (o.type === 'space') return [{ kind: 'parent', name: 'a space of the site', role }];
      if (o.reason === 'team') return [{ kind: 'group', name: (o.team && names.get(o.team)) ?? o.team, role }];
      return [{ kind: o.reason === 'default' ? 'default' : 'direct', role }];
    };
  }

  private async contentReasons(resource: Pick<Resource, 'id' | 'type' | 'baseline'>, signal?: AbortSignal): Promise<(r: EffectivePermission) => AccessSource[]> {
    const [access, admins] = await Promise.all([
      this.access(resource, signal),
      all(this.http, 'admins', (page) => api.listMembersWithRole(this.http, this.org, 'admin', page, signal), signal),
    ]);
    const teams = access.grants.filter((g) => g.principal.kind === 'group');
    const inTeam = await Promise.all(teams.map(async (g) => new Set((await this.listGroupMembers(g.principal.id, signal)).map((m) => m.id))));
    const adminIds = new Set(admins.map((m) => m.id));
    return ({ user }) => {
      const direct = access.grants.find((g) => g.principal.kind === 'user' && g.principal.id === user.id);
      // A default of guest (none) or "inherit" gives nothing of its own.
      const byDefault = access.grants.find((g) => g.principal.kind === 'default' && GITBOOK_ROLES.roles.includes(g.role));
      const sources: AccessSource[] = [
        ...(direct ? [{ kind: 'direct' as const, role: direct.role }] : []),
        ...teams.flatMap((g, i) => (inTeam[i].has(user.id) ? [{ kind: 'group' as const, name: g.principal.name, role: g.role }] : [])),
        ...(byDefault ? [{ kind: 'default' as const, role: byDefault.role }] : []),
        ...(adminIds.has(user.id) ? [{ kind: 'organization' as const, role: 'admin' }] : []),
      ];
      // The strongest reason first: it is the one that decides the effective role.
      const rank = (x: AccessSource) => (x.role && GITBOOK_ROLES.roles.includes(x.role) ? GITBOOK_ROLES.roles.indexOf(x.role) : GITBOOK_ROLES.roles.length);
      return sources.length ? sources.sort((a, b) => rank(a) - rank(b)) : [{ kind: 'parent', name: 'a parent collection' }];
    };
  }

  /** Grants by user id or team id (GitBook has no grant by email). */
  async share(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, role: string, signal?: AbortSignal): Promise<unknown> {
    const r = MemberRole.parse(role);
    const target = this.target(principal);
    return api.grant(this.http, this.org, resource.type as api.ContentKind, resource.id, { role: r, [target]: [principal.id] }, signal);
  }

  async changeRole(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, role: string, signal?: AbortSignal): Promise<unknown> {
    return api.changePermission(this.http, this.org, resource.type as api.ContentKind, resource.id, this.target(principal), principal.id, MemberRole.parse(role), signal);
  }

  /** 205: removed · 204: there was nothing to remove. */
  async unshare(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, signal?: AbortSignal): Promise<RemovalOutcome> {
    return removal(await api.revokePermission(this.http, this.org, resource.type as api.ContentKind, resource.id, this.target(principal), principal.id, signal));
  }

  /** Members and teams, for the share picker. */
  async principals(signal?: AbortSignal): Promise<Map<string, Principal>> {
    const [members, teams] = await Promise.all([this.listMembers(signal), this.listGroups(signal)]);
    const map = new Map<string, Principal>();
    for (const m of members) map.set(m.id, { kind: 'user', id: m.id, name: m.name, email: m.email });
    for (const t of teams) map.set(t.id, { kind: 'group', id: t.id, name: t.name });
    return map;
  }

  private target(p: Principal): 'users' | 'teams' {
    if (p.kind === 'user') return 'users';
    if (p.kind === 'group') return 'teams';
    throw new Error('GitBook grants content to members and teams only; the default level is changed in GitBook.');
  }
}
