import type { HttpClient } from '../../core/http/client';
import { RoleLadder, type Access, type Grant, type Group, type Member, type Page, type Principal, type Resource, type ResourceType, type ServiceAccount } from '../../core/model';
import { slicePages } from '../../core/paging';
import type { Groups, Identity, InviteOptions, Invitations, Members, Provider, ServiceAccounts, Sharing } from '../../core/provider';
import * as api from './client';
import { SEAT_TYPES, ShareRole, type ResourceMetadata, type SeatType, type ShareTarget, type WorkspaceMember } from './schemas';

export const SEAT_LABELS: Readonly<Record<SeatType, string>> = {
  workspace_admin: 'Workspace admin',
  workspace_member: 'Member',
  workspace_lite_member: 'Lite member',
};

export const SHARE_ROLES = new RoleLadder(['admin', 'editor', 'commenter', 'viewer']);
/** The sharing docs cap each resource at 100 principals (users, groups and service accounts). */
export const PRINCIPAL_CAP = 100;
/** The special group id that sets a resource's baseline role for every workspace member. */
export const DEFAULT_GROUP = 'default';
const PAGE_SIZE = 100;

interface ListDescriptor {
  readonly type: ResourceType;
  readonly list: (http: HttpClient, token: string | undefined, signal?: AbortSignal, search?: string) => Promise<Page<Resource>>;
}

type Fetch<P> = (http: HttpClient, token: string | undefined, pageSize: number, signal?: AbortSignal, search?: string) => Promise<P>;
type Item = Omit<Resource, 'type'>;

/** A type listed in token pages: `pick` reads the page's items, "more" flag and next token. */
function paged<P, T>(type: ResourceType, fetch: Fetch<P>, pick: (page: P) => { items: T[]; more: boolean; next?: string | null }, map: (item: T) => Item): ListDescriptor {
  return {
    type,
    list: async (http, token, signal, search) => {
      const { items, more, next } = pick(await fetch(http, token, PAGE_SIZE, signal, type.searchable ? search : undefined));
      return { items: items.map((i) => ({ type: type.id, ...map(i) })), next: more && next ? next : undefined };
    },
  };
}

/** A type listed whole, in one response. */
function whole<T>(type: ResourceType, fetch: (http: HttpClient, signal?: AbortSignal) => Promise<T[]>, map: (item: T) => Item): ListDescriptor {
  return { type, list: async (http, _token, signal) => ({ items: (await fetch(http, signal)).map((i) => ({ type: type.id, ...map(i) })) }) };
}

/** The shareable types with a list endpoint, each with its own pagination. */
export const RESOURCE_LISTS: readonly ListDescriptor[] = [
  paged({ id: 'voice', label: 'Voices', icon: 'unmute', searchable: true }, api.listVoices, (p) => ({ items: p.voices, more: p.has_more, next: p.next_page_token }),
    (v) => ({ id: v.voice_id, name: v.name, myRole: v.permission_on_resource ?? undefined })),
  paged({ id: 'convai_agents', label: 'Agents', icon: 'hubot', searchable: true }, api.listAgents, (p) => ({ items: p.agents, more: p.has_more, next: p.next_cursor }),
    (a) => ({ id: a.agent_id, name: a.name, myRole: a.access_info.role })),
  paged({ id: 'pronunciation_dictionary', label: 'Pronunciation dictionaries', icon: 'book' }, api.listDictionaries, (p) => ({ items: p.pronunciation_dictionaries, more: p.has_more, next: p.next_cursor }),
    (d) => ({ id: d.id, name: d.name, myRole: d.permission_on_resource ?? undefined })),
  paged({ id: 'dubbing', label: 'Dubbing', icon: 'globe' }, api.listDubs, (p) => ({ items: p.dubs, more: p.has_more, next: p.next_cursor }),
    (d) => ({ id: d.dubbing_id, name: d.name })),
  // The spec has both `project` and `studio_projects`; the resources endpoint is called with `project`.
  whole({ id: 'project', label: 'Studio projects', icon: 'book' }, async (http, signal) => (await api.listStudioProjects(http, signal)).projects,
    (p) => ({ id: p.project_id, name: p.name, myRole: p.access_level })),
  paged({ id: 'convai_knowledge_base_documents', label: 'Knowledge base', icon: 'notebook', searchable: true }, api.listKnowledgeBase, (p) => ({ items: p.documents, more: p.has_more, next: p.next_cursor }),
    (d) => ({ id: d.id, name: d.name, myRole: d.access_info?.role })),
  paged({ id: 'convai_tools', label: 'Tools', icon: 'tools', searchable: true }, api.listTools, (p) => ({ items: p.tools, more: p.has_more, next: p.next_cursor }),
    (t) => ({ id: t.id, name: t.tool_config.name, myRole: t.access_info?.role })),
  whole({ id: 'convai_phone_numbers', label: 'Phone numbers', icon: 'device-mobile' }, api.listPhoneNumbers,
    (n) => ({ id: n.phone_number_id, name: `${n.label} (${n.phone_number})` })),
  whole({ id: 'convai_mcp_servers', label: 'MCP servers', icon: 'server' }, async (http, signal) => (await api.listMcpServers(http, signal)).mcp_servers,
    (m) => ({ id: m.id, name: m.config.name, myRole: m.access_info?.role })),
  // Secrets pages have no has_more: the last page has no next_cursor.
  paged({ id: 'convai_secrets', label: 'Secrets', icon: 'lock', searchable: true }, api.listSecrets, (p) => ({ items: p.secrets, more: true, next: p.next_cursor }),
    (x) => ({ id: x.secret_id, name: x.name })),
];

function toMember(m: WorkspaceMember): Member {
  return {
    id: m.user_id,
    email: m.email,
    name: m.first_name || m.email,
    role: m.seat_type ?? undefined,
    roleLabel: m.seat_type ? SEAT_LABELS[m.seat_type] : undefined,
    locked: m.is_locked,
    owner: m.is_owner,
  };
}

/** The share body's target for a principal: exactly one of user_email, group_id, workspace_api_key_id. */
export function shareTarget(p: Principal): ShareTarget {
  switch (p.kind) {
    case 'user':
      if (!p.email) throw new Error(`${p.name} has no email to share with.`);
      return { user_email: p.email };
    case 'group':
      return { group_id: p.id };
    case 'default':
      return { group_id: DEFAULT_GROUP };
    case 'serviceAccount':
      if (!p.keyId) throw new Error(`The service account ${p.name} has no API key, and ElevenLabs shares with a service account through one of its keys. Create a key first.`);
      return { workspace_api_key_id: p.keyId };
    case 'anonymous':
      throw new Error('Link access is set in ElevenLabs itself; the API cannot change it.');
  }
}

export class ElevenLabsProvider implements Provider {
  readonly platform = 'elevenlabs';
  readonly roles = SHARE_ROLES;
  readonly inviteOptions = { groups: true };
  readonly seatTypes = SEAT_TYPES.map((id) => ({ id, label: SEAT_LABELS[id] }));
  readonly resourceTypes = RESOURCE_LISTS.map((d) => d.type);
  private directory?: Promise<Map<string, Principal>>;
  /** Each group's member pages, cut from the group's email list. */
  private readonly groupPages = new Map<string, (token?: string, signal?: AbortSignal) => Promise<Page<Member>>>();
  /** The last read of the groups (their member emails name a group's members without another read). */
  private groupsRead?: Promise<Group[] | undefined>;

  constructor(private readonly http: HttpClient) {}

  readonly members: Members = {
    list: (signal) => this.listMembers(signal),
    page: slicePages((signal) => this.listMembers(signal)),
    roles: { kind: 'seat', choices: () => Promise.resolve([...this.seatTypes]), set: (member, seat, signal) => this.setSeatType(member.email, seat, signal) },
    setLocked: (member, locked, signal) => this.setLocked(member.email, locked, signal),
    reachesEverything: (member) => (member.role === 'workspace_admin' ? SEAT_LABELS.workspace_admin : undefined),
  };

  readonly groups: Groups = {
    word: 'group',
    label: 'Groups',
    list: (signal) => this.listGroups(signal),
    page: slicePages((signal) => this.listGroups(signal)),
    search: (name, signal) => this.searchGroups(name, signal),
    members: (groupId, token, signal) => {
      let pages = this.groupPages.get(groupId);
      if (!pages) {
        pages = slicePages(async (s) => {
          const [groups, members] = await Promise.all([this.groupsRead?.then((g) => g ?? this.listGroups(s)) ?? this.listGroups(s), this.listMembers(s)]);
          const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]));
          return (groups.find((g) => g.id === groupId)?.memberEmails ?? []).map((email) => byEmail.get(email.toLowerCase()) ?? { id: email, email, name: email });
        });
        this.groupPages.set(groupId, pages);
      }
      return pages(token, signal);
    },
    add: (groupId, email, signal) => this.addToGroup(groupId, email, signal),
    remove: (groupId, email, signal) => this.removeFromGroup(groupId, email, signal),
  };

  readonly invitations: Invitations = {
    send: (emails, options, signal) => this.inviteMembers(emails, options, signal),
    options: this.inviteOptions,
    revokeByEmail: (email, signal) => this.revokeInvite(email, signal),
  };

  readonly serviceAccounts: ServiceAccounts = { list: (signal) => this.listServiceAccounts(signal) };

  readonly sharing: Sharing = {
    label: 'Resources',
    types: this.resourceTypes,
    roles: SHARE_ROLES,
    list: (typeId, token, signal, search) => this.listResources(typeId, token, signal, search),
    access: (resource, signal) => this.access(resource, signal),
    prepare: (signal) => this.prepareAccess(signal),
    share: (resource, principal, role, signal) => this.share(resource, principal, role, signal),
    unshare: (resource, principal, signal) => this.unshare(resource, principal, signal),
    roleOf: (resource, principal, signal) => this.roleOf(resource, principal, signal),
    principals: (signal) => this.principals(signal),
  };

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    const user = await api.getUser(this.http, signal);
    return {
      name: user.first_name || user.user_id,
      userId: user.user_id,
      detail: `${SEAT_LABELS[user.seat_type]} · ${user.subscription.tier}`,
      isAdmin: user.seat_type === 'workspace_admin',
    };
  }

  async listMembers(signal?: AbortSignal): Promise<Member[]> {
    return (await api.listMembers(this.http, signal)).map(toMember);
  }

  /** Every group with its member emails; the last read is kept for the groups' member pages. */
  listGroups(signal?: AbortSignal): Promise<Group[]> {
    const read = (async () => {
      const groups = Object.values(await api.listGroups(this.http, signal));
      return groups.map((g) => ({ id: g.id, name: g.name, memberEmails: g.members, system: g.name === 'Everyone' || g.is_scim_synced === true }));
    })();
    this.groupsRead = read.catch(() => undefined);
    return read;
  }

  /** Server-side search by group name. */
  async searchGroups(name: string, signal?: AbortSignal): Promise<Group[]> {
    return (await api.searchGroups(this.http, name, signal)).map((g) => ({ id: g.id, name: g.name, memberEmails: g.members_emails }));
  }

  async listServiceAccounts(signal?: AbortSignal): Promise<ServiceAccount[]> {
    const body = await api.listServiceAccounts(this.http, signal);
    return body['service-accounts'].map((sa) => ({
      id: sa.service_account_user_id,
      name: sa.name,
      keys: sa['api-keys'].map((k) => ({ id: k.key_id, name: k.name, hint: k.hint, disabled: k.is_disabled ?? false })),
    }));
  }

  setSeatType(email: string, seat: string, signal?: AbortSignal): Promise<unknown> {
    return api.updateMember(this.http, { email, workspace_seat_type: seat as SeatType }, signal);
  }

  setLocked(email: string, locked: boolean, signal?: AbortSignal): Promise<unknown> {
    return api.updateMember(this.http, { email, is_locked: locked }, signal);
  }

  addToGroup(groupId: string, email: string, signal?: AbortSignal): Promise<unknown> {
    return api.addGroupMember(this.http, groupId, email, signal);
  }

  removeFromGroup(groupId: string, email: string, signal?: AbortSignal): Promise<unknown> {
    return api.removeGroupMember(this.http, groupId, email, signal);
  }

  invite(email: string, options: api.InviteOptions, signal?: AbortSignal): Promise<unknown> {
    return api.inviteOne(this.http, email, options, signal);
  }

  inviteBulk(emails: readonly string[], options: api.InviteOptions, signal?: AbortSignal): Promise<unknown> {
    return api.inviteBulk(this.http, emails, options, signal);
  }

  /** Many emails in one add-bulk call; one email through invites/add. */
  async inviteMembers(emails: readonly string[], options: InviteOptions, signal?: AbortSignal): Promise<undefined> {
    const wire: api.InviteOptions = { seat_type: options.seat as SeatType | undefined, group_ids: options.groupIds };
    await (emails.length === 1 ? this.invite(emails[0], wire, signal) : this.inviteBulk(emails, wire, signal));
    return undefined;
  }

  revokeInvite(email: string, signal?: AbortSignal): Promise<unknown> {
    return api.revokeInvite(this.http, email, signal);
  }

  /** One page of a shareable type, following that list's own pagination. */
  listResources(typeId: string, token?: string, signal?: AbortSignal, search?: string): Promise<Page<Resource>> {
    const descriptor = RESOURCE_LISTS.find((d) => d.type.id === typeId);
    if (!descriptor) throw new Error(`ElevenLabs has no list for resource type "${typeId}".`);
    return descriptor.list(this.http, token, signal, search);
  }

  /** Who holds which role on a resource (the default and link access included), and who could. */
  async access(resource: Pick<Resource, 'id' | 'type'>, signal?: AbortSignal): Promise<Access> {
    const [meta, directory] = await Promise.all([api.getResource(this.http, resource.id, resource.type, signal), this.principals(signal)]);
    return { grants: grantsOf(meta, directory), cap: PRINCIPAL_CAP };
  }

  async prepareAccess(signal?: AbortSignal): Promise<void> {
    await this.principals(signal);
  }

  /** One metadata read: the role whose id list holds the principal (a user by id, the default as `default`). */
  async roleOf(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, signal?: AbortSignal): Promise<string | undefined> {
    const meta = await api.getResource(this.http, resource.id, resource.type, signal);
    const id = principal.kind === 'default' ? DEFAULT_GROUP : principal.id;
    return SHARE_ROLES.roles.find((role) => meta.role_to_group_ids[role]?.includes(id));
  }

  async share(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, role: string, signal?: AbortSignal): Promise<unknown> {
    const parsed = ShareRole.safeParse(role);
    if (!parsed.success) throw new Error(`"${role}" is not an ElevenLabs share role; use ${SHARE_ROLES.roles.join(', ')}.`);
    return api.share(this.http, resource.id, { ...shareTarget(principal), role: parsed.data, resource_type: resource.type }, signal);
  }

  async unshare(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, signal?: AbortSignal): Promise<unknown> {
    return api.unshare(this.http, resource.id, { ...shareTarget(principal), resource_type: resource.type }, signal);
  }

  /** Forgets the principal directory (after membership changes). */
  invalidate(): void {
    this.directory = undefined;
    this.groupPages.clear();
    this.groupsRead = undefined;
  }

  /** Every principal by id, to name the ids in `role_to_group_ids`; fetched once per refresh. */
  principals(signal?: AbortSignal): Promise<Map<string, Principal>> {
    this.directory ??= (async () => {
      const [members, groups, accounts] = await Promise.all([this.listMembers(signal), this.listGroups(signal), this.listServiceAccounts(signal)]);
      const map = new Map<string, Principal>();
      for (const m of members) map.set(m.id, { kind: 'user', id: m.id, name: m.name, email: m.email });
      for (const g of groups) map.set(g.id, { kind: 'group', id: g.id, name: g.name });
      for (const sa of accounts) map.set(sa.id, { kind: 'serviceAccount', id: sa.id, name: sa.name, keyId: sa.keys.find((k) => !k.disabled)?.id });
      map.set(DEFAULT_GROUP, { kind: 'default', id: DEFAULT_GROUP, name: 'Everyone in the workspace (default)' });
      return map;
    })().catch((err: unknown) => {
      this.directory = undefined;
      throw err;
    });
    return this.directory;
  }
}

function grantsOf(meta: ResourceMetadata, directory: Map<string, Principal>): Grant[] {
  const grants: Grant[] = [];
  const seen = new Set<string>();
  const roles = Object.keys(meta.role_to_group_ids).sort((a, b) => SHARE_ROLES.rank(a) - SHARE_ROLES.rank(b) || a.localeCompare(b));
  for (const role of roles) {
    for (const id of meta.role_to_group_ids[role]) {
      if (seen.has(id)) continue;
      seen.add(id);
      const principal = directory.get(id) ?? { kind: 'user' as const, id, name: id };
      const isCreator = id === meta.creator_user_id;
      grants.push({ principal, role, ...(isCreator ? { fixed: 'The creator always keeps admin.', creator: true } : {}) });
    }
  }
  if (meta.creator_user_id && !seen.has(meta.creator_user_id)) {
    const principal = directory.get(meta.creator_user_id) ?? { kind: 'user' as const, id: meta.creator_user_id, name: meta.creator_user_id };
    grants.unshift({ principal, role: 'admin', fixed: 'The creator always keeps admin.', creator: true });
  }
  if (meta.anonymous_access_level_override) {
    grants.push({ principal: { kind: 'anonymous', id: 'anonymous', name: 'Anyone with the link' }, role: meta.anonymous_access_level_override, fixed: 'Link access is set in ElevenLabs itself.' });
  }
  return grants;
}
