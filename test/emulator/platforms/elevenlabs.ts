import { Router, type EmulatorRequest, type EmulatorResponse } from '../router';
import { serialId, type Seed } from '../seed';
import { dayStart, usageOf, type UsageEvent } from './activity';
import { usageOps } from './elevenlabsUsage';
import { header, type PlatformEmulator } from './types';

export type SeatType = 'workspace_admin' | 'workspace_member' | 'workspace_lite_member';
export type ShareRole = 'admin' | 'editor' | 'commenter' | 'viewer';
const SEATS: readonly SeatType[] = ['workspace_admin', 'workspace_member', 'workspace_lite_member'];
const ROLES: readonly ShareRole[] = ['admin', 'editor', 'commenter', 'viewer'];
/** Shareable types the emulator lists, in the order seeded resources are dealt to them. */
export const LISTED_TYPES = [
  'voice',
  'convai_agents',
  'pronunciation_dictionary',
  'dubbing',
  'project',
  'convai_knowledge_base_documents',
  'convai_tools',
  'convai_phone_numbers',
  'convai_mcp_servers',
  'convai_secrets',
] as const;
export type ListedType = (typeof LISTED_TYPES)[number];
export const PRINCIPAL_CAP = 100;
/**
 * The most share options one resource's metadata names. The spec does not say how long the list
 * gets (its example names 2); the extension does not read it, but parses it with each metadata read.
 */
export const SHARE_OPTIONS = 25;
export const VERIFIED_DOMAINS = ['example.com'];

export interface ElevenLabsMember {
  user_id: string;
  email: string;
  first_name: string | null;
  seat_type: SeatType | null;
  is_owner: boolean;
  is_locked: boolean;
}

export interface ElevenLabsGroup {
  id: string;
  name: string;
  /** Member emails. */
  members: string[];
}

export interface ServiceAccount {
  service_account_user_id: string;
  name: string;
  keys: { key_id: string; name: string; hint: string; secret: string }[];
}

export interface ElevenLabsResource {
  id: string;
  type: ListedType;
  name: string;
  creator_user_id: string;
  /** role → principal ids (user ids, group ids, service-account user ids, or `default`). */
  roles: Record<ShareRole, string[]>;
  anonymous: ShareRole | null;
}

export interface ElevenLabsState {
  members: ElevenLabsMember[];
  groups: ElevenLabsGroup[];
  /** Pending invitations by email (the API has no list; tests read this). */
  invites: Map<string, { seat_type: SeatType | null; group_ids: string[] }>;
  serviceAccounts: ServiceAccount[];
  resources: ElevenLabsResource[];
  /** The sharing docs' 100 principals per resource; a benchmark may lift it. */
  principalCap: number;
  /** Credits each member used, by user id (see activity.ts): what the workspace analytics query sums. */
  usage: Map<string, UsageEvent[]>;
}

function buildState(seed: Seed): ElevenLabsState {
  const members = seed.people.map((p, i): ElevenLabsMember => ({
    user_id: serialId('usr', i),
    email: p.email,
    first_name: p.firstName,
    seat_type: i === 0 || i % 10 === 1 ? 'workspace_admin' : i % 5 === 4 ? 'workspace_lite_member' : 'workspace_member',
    is_owner: i === 0,
    is_locked: i % 11 === 7,
  }));
  const groups: ElevenLabsGroup[] = [
    { id: 'grp_everyone', name: 'Everyone', members: members.map((m) => m.email) },
    ...seed.groups.map((g) => ({
      id: serialId('grp', g.n),
      name: g.name,
      members: g.memberIndexes.map((i) => members[i].email),
    })),
  ];
  const serviceAccounts: ServiceAccount[] = ['CI Bot', 'Support Automation'].map((name, i) => ({
    service_account_user_id: serialId('sa', i),
    name,
    keys: [
      {
        key_id: serialId('key', i),
        name: `${name} key`,
        hint: `sk_…${String(1000 + i)}`,
        secret: `el-sandbox-sa-${i}`,
      },
    ],
  }));
  const resources = seed.resources.map((r): ElevenLabsResource => {
    const type = LISTED_TYPES[r.kind % LISTED_TYPES.length];
    const creator = members[r.creator].user_id;
    const roles: Record<ShareRole, string[]> = { admin: [creator], editor: [], commenter: [], viewer: [] };
    if (r.n % 3 === 0 && groups[1]) roles.editor.push(groups[1].id);
    if (r.n % 4 === 1) roles.viewer.push('default');
    if (r.n % 7 === 2 && members[5]) roles.commenter.push(members[5].user_id);
    return {
      id: serialId(type.replace(/^convai_/, '').slice(0, 6), r.n),
      type,
      name: r.name,
      creator_user_id: creator,
      roles,
      anonymous: r.n % 9 === 5 ? 'viewer' : null,
    };
  });
  const today = dayStart(Date.now());
  const usage = new Map(members.map((m, i) => [m.user_id, usageOf(today, i)]));
  return { members, groups, invites: new Map(), serviceAccounts, resources, principalCap: PRINCIPAL_CAP, usage };
}

function errorBody(status: number, message: string, code?: string): EmulatorResponse {
  return status === 422
    ? { status, body: { detail: [{ loc: ['body'], msg: message, type: code ?? 'value_error' }] } }
    : { status, body: { detail: { status: code ?? (status === 401 ? 'invalid_api_key' : 'error'), message } } };
}

const missing = (field: string): EmulatorResponse => ({
  status: 422,
  body: { detail: [{ loc: ['body', field], msg: 'Field required', type: 'missing' }] },
});
const invalid = (field: string, msg: string, type = 'value_error'): EmulatorResponse => ({
  status: 422,
  body: { detail: [{ loc: ['body', field], msg, type }] },
});
const ok: EmulatorResponse = { status: 200, body: { status: 'ok' } };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Opaque cursors: the offset, base64url-encoded. */
const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(cursor: string | null): number | undefined {
  if (!cursor) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

function pageSize(req: EmulatorRequest, def: number, max: number): number | EmulatorResponse {
  const raw = req.query.get('page_size');
  if (raw === null) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    return {
      status: 422,
      body: {
        detail: [{ loc: ['query', 'page_size'], msg: `Input should be between 1 and ${max}`, type: 'less_than_equal' }],
      },
    };
  return n;
}

/** Who calls: a member (by their key) or a service account (by one of its keys). */
type Caller = ElevenLabsMember | ServiceAccount;

/** What every ElevenLabs handler shares: the state, and the checks built on it. */
function kit(state: ElevenLabsState, adminKey: string, memberKey: string) {
  const isMember = (c: Caller): c is ElevenLabsMember => 'email' in c;
  const callerId = (c: Caller) => (isMember(c) ? c.user_id : c.service_account_user_id);
  const isAdmin = (c: Caller) => isMember(c) && c.seat_type === 'workspace_admin';
  const keyOwner = (key: string | undefined): Caller | undefined => {
    if (key === adminKey) return state.members[0];
    if (key === memberKey) return state.members.find((m) => m.seat_type === 'workspace_member' && !m.is_locked);
    return state.serviceAccounts.find((sa) => sa.keys.some((k) => k.secret === key));
  };
  const adminOnly = (c: Caller, what: string) =>
    isAdmin(c) ? undefined : errorBody(403, `Only workspace admins can ${what}.`, 'permission_denied');
  const memberByEmail = (email: string) => {
    const needle = email.toLowerCase();
    return state.members.find((m) => m.email === needle || m.email.toLowerCase() === needle);
  };
  const bodyOf = (req: EmulatorRequest) =>
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};

  /** The caller's role on a resource: workspace admins are admin on everything. */
  const roleOn = (c: Caller, r: ElevenLabsResource): ShareRole | undefined => {
    if (isAdmin(c)) return 'admin';
    const id = callerId(c);
    const groupIds = isMember(c) ? state.groups.filter((g) => g.members.includes(c.email)).map((g) => g.id) : [];
    return ROLES.find((role) => r.roles[role].some((p) => p === id || p === 'default' || groupIds.includes(p)));
  };
  return { state, isMember, callerId, isAdmin, keyOwner, adminOnly, memberByEmail, bodyOf, roleOn };
}

type Kit = ReturnType<typeof kit>;

/** Who the key acts as. */
function userOps(router: Router<Caller>, k: Kit): void {
  const { isMember, callerId } = k;
  router.on('GET', '/v1/user', (_req, me) => ({
    status: 200,
    body: {
      user_id: callerId(me),
      first_name: isMember(me) ? me.first_name : me.name,
      is_new_user: false,
      can_use_delayed_payment_methods: false,
      is_onboarding_completed: true,
      is_onboarding_checklist_completed: true,
      created_at: 1_700_000_000,
      seat_type: isMember(me) ? (me.seat_type ?? 'workspace_member') : 'workspace_member',
      workspace_id: 'ws_sandbox',
      subscription: {
        tier: 'enterprise',
        character_count: 0,
        character_limit: 1_000_000,
        max_character_limit_extension: null,
        max_credit_limit_extension: 0,
        can_extend_character_limit: false,
        allowed_to_extend_character_limit: false,
        voice_slots_used: 0,
        professional_voice_slots_used: 0,
        professional_voice_slots_used_in_workspace: 0,
        voice_limit: 660,
        voice_add_edit_counter: 0,
        professional_voice_limit: 2,
        can_extend_voice_limit: false,
        can_use_instant_voice_cloning: true,
        can_use_professional_voice_cloning: true,
        current_overage: { amount: '0', currency: 'usd' },
        status: 'active',
      },
    },
  }));
}

/** Members: unpaginated, locked members included, service accounts not. */
function memberOps(router: Router<Caller>, k: Kit): void {
  const { state, adminOnly, memberByEmail, bodyOf } = k;
  router.on('GET', '/v1/workspace/members', () => ({ status: 200, body: state.members }));
  router.on('POST', '/v1/workspace/members', (req, me) => {
    const body = bodyOf(req);
    if (typeof body.email !== 'string') return missing('email');
    const seat = body.workspace_seat_type ?? body.workspace_role;
    if (seat !== undefined && seat !== null && !SEATS.includes(seat as SeatType))
      return invalid('workspace_seat_type', `Input should be ${SEATS.map((s) => `'${s}'`).join(', ')}`, 'enum');
    if (body.is_locked !== undefined && body.is_locked !== null && typeof body.is_locked !== 'boolean')
      return invalid('is_locked', 'Input should be a valid boolean', 'bool_type');
    const denied = adminOnly(me, 'update members');
    if (denied) return denied;
    const member = memberByEmail(body.email);
    if (!member) return errorBody(404, `No workspace member with email ${body.email}.`, 'member_not_found');
    if (member.is_owner && (body.is_locked === true || (seat && seat !== 'workspace_admin')))
      return errorBody(400, 'The workspace owner cannot be locked or lose the admin seat.', 'owner_protected');
    if (seat) member.seat_type = seat as SeatType;
    if (typeof body.is_locked === 'boolean') member.is_locked = body.is_locked;
    return ok;
  });
}

/** Groups: a map by id, a search by name, and membership changes. */
function groupOps(router: Router<Caller>, k: Kit): void {
  const { state, adminOnly, memberByEmail, bodyOf } = k;
  router.on('GET', '/v1/workspace/groups', () => ({
    status: 200,
    body: Object.fromEntries(
      state.groups.map((g) => [
        g.id,
        { name: g.name, id: g.id, members: g.members, permissions: null, is_scim_synced: false },
      ]),
    ),
  }));
  router.on('GET', '/v1/workspace/groups/search', (req) => {
    const name = req.query.get('name');
    if (name === null)
      return { status: 422, body: { detail: [{ loc: ['query', 'name'], msg: 'Field required', type: 'missing' }] } };
    const needle = name.toLowerCase();
    return {
      status: 200,
      body: state.groups
        .filter((g) => g.name.toLowerCase().includes(needle))
        .map((g) => ({ name: g.name, id: g.id, members_emails: g.members })),
    };
  });
  const groupMembership =
    (add: boolean) =>
    (req: EmulatorRequest, me: Caller): EmulatorResponse => {
      const body = bodyOf(req);
      if (typeof body.email !== 'string') return missing('email');
      const denied = adminOnly(me, 'manage group members');
      if (denied) return denied;
      const group = state.groups.find((g) => g.id === req.params.group_id);
      if (!group) return errorBody(404, `No group ${req.params.group_id}.`, 'group_not_found');
      if (group.id === 'grp_everyone')
        return errorBody(400, 'Everyone always holds every workspace member.', 'group_not_editable');
      const member = memberByEmail(body.email);
      if (!member) return errorBody(404, `No workspace member with email ${body.email}.`, 'member_not_found');
      const i = group.members.indexOf(member.email);
      if (add && i === -1) group.members.push(member.email);
      if (!add && i !== -1) group.members.splice(i, 1);
      return ok;
    };
  router.on('POST', '/v1/workspace/groups/{group_id}/members', groupMembership(true));
  router.on('POST', '/v1/workspace/groups/{group_id}/members/remove', groupMembership(false));
}

/** Invitations: by email, no list, no id. */
function inviteOps(router: Router<Caller>, k: Kit): void {
  const { state, adminOnly, memberByEmail, bodyOf } = k;
  const inviteOptions = (
    body: Record<string, unknown>,
  ): { seat_type: SeatType | null; group_ids: string[] } | EmulatorResponse => {
    if (body.seat_type !== undefined && body.seat_type !== null && !SEATS.includes(body.seat_type as SeatType))
      return invalid('seat_type', `Input should be ${SEATS.map((s) => `'${s}'`).join(', ')}`, 'enum');
    const groupIds = Array.isArray(body.group_ids) ? body.group_ids.map(String) : [];
    const unknown = groupIds.find((id) => !state.groups.some((g) => g.id === id));
    if (unknown) return errorBody(400, `Unknown group ${unknown}.`, 'group_not_found');
    return { seat_type: (body.seat_type as SeatType | undefined) ?? null, group_ids: groupIds };
  };
  router.on('POST', '/v1/workspace/invites/add', (req, me) => {
    const body = bodyOf(req);
    if (typeof body.email !== 'string') return missing('email');
    if (!EMAIL.test(body.email)) return invalid('email', 'value is not a valid email address');
    const denied = adminOnly(me, 'invite members');
    if (denied) return denied;
    const options = inviteOptions(body);
    if ('status' in options) return options;
    if (memberByEmail(body.email))
      return errorBody(400, `${body.email} is already a member of this workspace.`, 'already_member');
    state.invites.set(body.email.toLowerCase(), options);
    return ok;
  });
  router.on('POST', '/v1/workspace/invites/add-bulk', (req, me) => {
    const body = bodyOf(req);
    if (!Array.isArray(body.emails)) return missing('emails');
    const emails = body.emails.map(String);
    const bad = emails.findIndex((e) => !EMAIL.test(e));
    if (bad !== -1)
      return {
        status: 422,
        body: {
          detail: [{ loc: ['body', 'emails', bad], msg: 'value is not a valid email address', type: 'value_error' }],
        },
      };
    const denied = adminOnly(me, 'invite members');
    if (denied) return denied;
    const unverified = [
      ...new Set(emails.map((e) => e.split('@')[1].toLowerCase()).filter((d) => !VERIFIED_DOMAINS.includes(d))),
    ];
    if (unverified.length)
      return errorBody(
        400,
        `Bulk invites need a verified domain; not verified: ${unverified.join(', ')}.`,
        'domain_not_verified',
      );
    const options = inviteOptions(body);
    if ('status' in options) return options;
    const existing = emails.filter((e) => memberByEmail(e));
    if (existing.length) return errorBody(400, `Already members: ${existing.join(', ')}.`, 'already_member');
    for (const e of emails) state.invites.set(e.toLowerCase(), options);
    return ok;
  });
  router.on('DELETE', '/v1/workspace/invites', (req, me) => {
    const body = bodyOf(req);
    if (typeof body.email !== 'string') return missing('email');
    const denied = adminOnly(me, 'revoke invitations');
    if (denied) return denied;
    if (!state.invites.delete(body.email.toLowerCase()))
      return errorBody(404, `No pending invitation for ${body.email}.`, 'invite_not_found');
    return ok;
  });
}

/** Service accounts and their keys (admins only). */
function serviceAccountOps(router: Router<Caller>, k: Kit): void {
  const { state, adminOnly } = k;
  const keyModel = (sa: ServiceAccount, k: ServiceAccount['keys'][number]) => ({
    name: k.name,
    hint: k.hint,
    key_id: k.key_id,
    service_account_user_id: sa.service_account_user_id,
    hashed_xi_api_key: `sha256:${k.key_id}`,
    created_at_unix: 1_760_000_000,
    is_disabled: false,
    permissions: null,
  });
  router.on(
    'GET',
    '/v1/service-accounts',
    (_req, me) =>
      adminOnly(me, 'list service accounts') ?? {
        status: 200,
        body: {
          'service-accounts': state.serviceAccounts.map((sa) => ({
            service_account_user_id: sa.service_account_user_id,
            name: sa.name,
            created_at_unix: 1_760_000_000,
            'api-keys': sa.keys.map((k) => keyModel(sa, k)),
            default_sharing_groups: [],
          })),
        },
      },
  );
  router.on('GET', '/v1/service-accounts/{service_account_user_id}/api-keys', (req, me) => {
    const denied = adminOnly(me, 'list API keys');
    if (denied) return denied;
    const sa = state.serviceAccounts.find((s) => s.service_account_user_id === req.params.service_account_user_id);
    if (!sa) return errorBody(404, `No service account ${req.params.service_account_user_id}.`, 'not_found');
    return { status: 200, body: { 'api-keys': sa.keys.map((k) => keyModel(sa, k)) } };
  });
}

/** Resources: metadata, share, unshare. */
function resourceOps(router: Router<Caller>, k: Kit): void {
  const { state, memberByEmail, bodyOf, roleOn } = k;
  /** Resources by type and id, made again when the list changes (20,000 of them are looked up one request at a time). */
  let indexed: { list: ElevenLabsResource[]; length: number; map: Map<string, ElevenLabsResource> } | undefined;
  const byKey = () => {
    if (!indexed || indexed.list !== state.resources || indexed.length !== state.resources.length) {
      indexed = {
        list: state.resources,
        length: state.resources.length,
        map: new Map(state.resources.map((x) => [`${x.type}\u0000${x.id}`, x])),
      };
    }
    return indexed.map;
  };
  /** The first `n` of a list that pass a test, without testing the rest. */
  const firstOf = <T>(list: readonly T[], n: number, ok: (t: T) => boolean): T[] => {
    const out: T[] = [];
    for (const t of list) {
      if (out.length >= n) break;
      if (ok(t)) out.push(t);
    }
    return out;
  };
  const findResource = (req: EmulatorRequest): ElevenLabsResource | EmulatorResponse => {
    const type = req.query.get('resource_type') ?? (bodyOf(req).resource_type as string | undefined);
    if (!type)
      return req.method === 'GET'
        ? {
            status: 422,
            body: { detail: [{ loc: ['query', 'resource_type'], msg: 'Field required', type: 'missing' }] },
          }
        : missing('resource_type');
    const r = byKey().get(`${type}\u0000${req.params.resource_id}`);
    return r ?? errorBody(404, `No ${type} ${req.params.resource_id}.`, 'resource_not_found');
  };
  const principalIds = (r: ElevenLabsResource) => new Set(ROLES.flatMap((role) => r.roles[role]));
  router.on('GET', '/v1/workspace/resources/{resource_id}', (req, me) => {
    const r = findResource(req);
    if ('status' in r) return r;
    if (!roleOn(me, r)) return errorBody(403, 'You do not have access to this resource.', 'permission_denied');
    const holders = principalIds(r);
    // The spec does not say how long this list gets; the emulator names at most SHARE_OPTIONS
    // candidates (the large data's 6,000 principals on each of 20,000 resources would be 120 million).
    const share_options = [
      ...firstOf(state.members, SHARE_OPTIONS, (m) => !holders.has(m.user_id)).map((m) => ({
        name: m.first_name ?? m.email,
        id: m.user_id,
        type: 'user',
      })),
      ...firstOf(state.groups, SHARE_OPTIONS, (g) => !holders.has(g.id)).map((g) => ({
        name: g.name,
        id: g.id,
        type: 'group',
      })),
      ...state.serviceAccounts
        .filter((sa) => !holders.has(sa.service_account_user_id))
        .map((sa) => ({ name: sa.name, id: sa.service_account_user_id, type: 'key' })),
    ].slice(0, SHARE_OPTIONS);
    return {
      status: 200,
      body: {
        resource_id: r.id,
        resource_name: r.name,
        resource_type: r.type,
        creator_user_id: r.creator_user_id,
        anonymous_access_level_override: r.anonymous,
        role_to_group_ids: r.roles,
        share_options,
      },
    };
  });
  /** The principal id a share body addresses, or an error. Exactly one target. */
  const targetOf = (body: Record<string, unknown>): string | EmulatorResponse => {
    const given = (['user_email', 'group_id', 'workspace_api_key_id'] as const).filter(
      (k) => body[k] !== undefined && body[k] !== null,
    );
    if (given.length !== 1)
      return invalid('user_email', 'Send exactly one of user_email, group_id, workspace_api_key_id.');
    if (typeof body.user_email === 'string') {
      const m = memberByEmail(body.user_email);
      return m ? m.user_id : errorBody(404, `${body.user_email} is not in this workspace.`, 'user_not_found');
    }
    if (typeof body.group_id === 'string') {
      if (body.group_id === 'default') return 'default';
      return state.groups.some((g) => g.id === body.group_id)
        ? body.group_id
        : errorBody(404, `No group ${body.group_id}.`, 'group_not_found');
    }
    const sa = state.serviceAccounts.find((s) => s.keys.some((k) => k.key_id === body.workspace_api_key_id));
    return sa
      ? sa.service_account_user_id
      : errorBody(404, `No workspace API key ${String(body.workspace_api_key_id)}.`, 'api_key_not_found');
  };
  router.on('POST', '/v1/workspace/resources/{resource_id}/share', (req, me) => {
    const body = bodyOf(req);
    if (body.role === undefined) return missing('role');
    if (!ROLES.includes(body.role as ShareRole))
      return invalid('role', `Input should be ${ROLES.map((r) => `'${r}'`).join(', ')}`, 'enum');
    const r = findResource(req);
    if ('status' in r) return r;
    const target = targetOf(body);
    if (typeof target !== 'string') return target;
    if (roleOn(me, r) !== 'admin')
      return errorBody(403, 'Only admins of this resource can share it.', 'permission_denied');
    if (target === r.creator_user_id && body.role !== 'admin')
      return errorBody(400, "The creator's admin access cannot be changed.", 'creator_access_protected');
    const holders = principalIds(r);
    if (!holders.has(target) && holders.size >= state.principalCap)
      return errorBody(
        400,
        `This resource is already shared with ${state.principalCap} principals, the most allowed.`,
        'share_limit_reached',
      );
    for (const role of ROLES) r.roles[role] = r.roles[role].filter((p) => p !== target); // a share replaces the previous role
    r.roles[body.role as ShareRole].push(target);
    return { status: 200, body: {} };
  });
  router.on('POST', '/v1/workspace/resources/{resource_id}/unshare', (req, me) => {
    const body = bodyOf(req);
    const r = findResource(req);
    if ('status' in r) return r;
    const target = targetOf(body);
    if (typeof target !== 'string') return target;
    if (roleOn(me, r) !== 'admin')
      return errorBody(403, 'Only admins of this resource can change its sharing.', 'permission_denied');
    if (target === r.creator_user_id)
      return errorBody(400, "The creator's access cannot be removed.", 'creator_access_protected');
    for (const role of ROLES) r.roles[role] = r.roles[role].filter((p) => p !== target);
    return { status: 200, body: {} };
  });
}

/** Lists of the shareable types, each with its own pagination. */
function listOps(router: Router<Caller>, k: Kit): void {
  const { state, callerId, isAdmin, roleOn } = k;
  /** What the caller may see of a type, narrowed by the list's `search` text (a name contains it) when given. */
  const visible = (me: Caller, type: ListedType, search?: string | null) => {
    const needle = search?.toLowerCase();
    return state.resources.filter(
      (r) => r.type === type && (!needle || r.name.toLowerCase().includes(needle)) && roleOn(me, r),
    );
  };
  const cursorList =
    (
      type: ListedType,
      key: string,
      def: number,
      max: number,
      item: (r: ElevenLabsResource, role: ShareRole) => unknown,
      nullableCursor = false,
    ) =>
    (req: EmulatorRequest, me: Caller): EmulatorResponse => {
      const size = pageSize(req, def, max);
      if (typeof size !== 'number') return size;
      const offset = decodeCursor(req.query.get('cursor'));
      if (offset === undefined)
        return {
          status: 422,
          body: { detail: [{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'value_error' }] },
        };
      const all = visible(me, type, req.query.get('search'));
      const slice = all.slice(offset, offset + size);
      const more = offset + size < all.length;
      const next = more ? encodeCursor(offset + size) : null;
      return {
        status: 200,
        body: {
          [key]: slice.map((r) => item(r, roleOn(me, r)!)),
          has_more: more,
          ...(next || nullableCursor ? { next_cursor: next } : {}),
        },
      };
    };
  const creatorOf = (r: ElevenLabsResource) => state.members.find((m) => m.user_id === r.creator_user_id)!;
  const accessInfo = (me: Caller, r: ElevenLabsResource, role: ShareRole) => ({
    is_creator: callerId(me) === r.creator_user_id,
    creator_name: creatorOf(r).first_name ?? '',
    creator_email: creatorOf(r).email,
    role,
    anonymous_access_level_override: r.anonymous,
    access_source: r.creator_user_id === callerId(me) ? 'creator' : isAdmin(me) ? 'workspace_admin' : 'explicit',
  });
  router.on('GET', '/v2/voices', (req, me) => {
    const size = pageSize(req, 10, 100);
    if (typeof size !== 'number') return size;
    const offset = decodeCursor(req.query.get('next_page_token'));
    if (offset === undefined)
      return {
        status: 422,
        body: { detail: [{ loc: ['query', 'next_page_token'], msg: 'Invalid page token', type: 'value_error' }] },
      };
    const all = visible(me, 'voice', req.query.get('search'));
    const more = offset + size < all.length;
    return {
      status: 200,
      body: {
        voices: all.slice(offset, offset + size).map((r) => ({
          voice_id: r.id,
          name: r.name,
          category: 'generated',
          labels: {},
          available_for_tiers: [],
          high_quality_base_model_ids: [],
          permission_on_resource: roleOn(me, r),
          is_owner: r.creator_user_id === callerId(me),
        })),
        has_more: more,
        total_count: all.length,
        next_page_token: more ? encodeCursor(offset + size) : null,
      },
    };
  });
  router.on(
    'GET',
    '/v1/pronunciation-dictionaries',
    cursorList('pronunciation_dictionary', 'pronunciation_dictionaries', 30, 100, (r, role) => ({
      id: r.id,
      latest_version_id: `${r.id}_v1`,
      latest_version_rules_num: 3,
      name: r.name,
      permission_on_resource: role,
      created_by: r.creator_user_id,
      creation_time_unix: 1_760_000_000,
    })),
  );
  router.on(
    'GET',
    '/v1/dubbing',
    cursorList(
      'dubbing',
      'dubs',
      100,
      200,
      (r) => ({
        dubbing_id: r.id,
        name: r.name,
        status: 'dubbed',
        source_language: 'en',
        target_languages: ['de', 'fr'],
        created_at: '2026-09-01T10:00:00Z',
      }),
      true,
    ),
  );
  router.on('GET', '/v1/convai/agents', (req, me) =>
    cursorList('convai_agents', 'agents', 30, 100, (r, role) => ({
      agent_id: r.id,
      name: r.name,
      voice_id: 'voice_000000',
      tags: [],
      created_at_unix_secs: 1_760_000_000,
      access_info: accessInfo(me, r, role),
    }))(req, me),
  );
  router.on('GET', '/v1/studio/projects', (_req, me) => ({
    status: 200,
    body: {
      projects: visible(me, 'project').map((r) => ({
        project_id: r.id,
        name: r.name,
        create_date_unix: 1_760_000_000,
        created_by_user_id: r.creator_user_id,
        default_title_voice_id: 'voice_000000',
        default_paragraph_voice_id: 'voice_000000',
        default_title_voice_ref_id: 'voice_000000',
        default_paragraph_voice_ref_id: 'voice_000000',
        default_model_id: 'eleven_multilingual_v2',
        can_be_downloaded: true,
        volume_normalization: false,
        state: 'default',
        access_level: roleOn(me, r),
        quality_check_on: false,
        quality_check_on_when_bulk_convert: false,
      })),
    },
  }));

  router.on('GET', '/v1/convai/knowledge-base', (req, me) =>
    cursorList('convai_knowledge_base_documents', 'documents', 30, 100, (r, role) => ({
      id: r.id,
      name: r.name,
      type: 'text',
      metadata: { created_at_unix_secs: 1_760_000_000, last_updated_at_unix_secs: 1_760_000_000, size_bytes: 2048 },
      supported_usages: ['auto'],
      access_info: accessInfo(me, r, role),
      dependent_agents: [],
    }))(req, me),
  );
  router.on('GET', '/v1/convai/tools', (req, me) =>
    cursorList('convai_tools', 'tools', 30, 100, (r, role) => ({
      id: r.id,
      tool_config: {
        type: 'client',
        name: r.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_'),
        description: `Client tool ${r.name}`,
      },
      access_info: accessInfo(me, r, role),
      usage_stats: { avg_latency_secs: 0.2 },
    }))(req, me),
  );
  router.on('GET', '/v1/convai/phone-numbers', (_req, me) => ({
    status: 200,
    body: visible(me, 'convai_phone_numbers').map((r, i) => ({
      provider: 'sip_trunk',
      phone_number: `+1555${String(1000 + i).padStart(7, '0')}`,
      label: r.name,
      phone_number_id: r.id,
      livekit_stack: 'standard',
    })),
  }));
  router.on('GET', '/v1/convai/mcp-servers', (_req, me) => ({
    status: 200,
    body: {
      mcp_servers: visible(me, 'convai_mcp_servers').map((r) => ({
        id: r.id,
        config: { url: `https://mcp.example.com/${r.id}`, name: r.name },
        metadata: { created_at: 1_760_000_000 },
        access_info: accessInfo(me, r, roleOn(me, r)!),
      })),
    },
  }));
  router.on('GET', '/v1/convai/secrets', (req, me) => {
    const all = visible(me, 'convai_secrets', req.query.get('search'));
    const raw = req.query.get('page_size');
    const size = raw === null ? all.length || 1 : pageSize(req, 30, 100);
    if (typeof size !== 'number') return size;
    const offset = decodeCursor(req.query.get('cursor'));
    if (offset === undefined)
      return {
        status: 422,
        body: { detail: [{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'value_error' }] },
      };
    const more = offset + size < all.length;
    return {
      status: 200,
      body: {
        secrets: all.slice(offset, offset + size).map((r) => ({
          type: 'stored',
          secret_id: r.id,
          name: r.name,
          used_by: { tools: [], agents: [], others: [] },
        })),
        next_cursor: more ? encodeCursor(offset + size) : null,
      },
    };
  });
}

/** Every operation of the emulated API, by area: each area registers one handler per operation. */
const AREAS = [userOps, memberOps, groupOps, inviteOps, serviceAccountOps, resourceOps, listOps];

export function elevenlabs(
  seed: Seed,
): PlatformEmulator<ElevenLabsMember | ServiceAccount> & { state: ElevenLabsState } {
  const state = buildState(seed);
  const adminKey = 'el-sandbox-admin';
  const memberKey = 'el-sandbox-member';
  const k = kit(state, adminKey, memberKey);
  const router = new Router<Caller>();
  for (const area of AREAS) area(router, k);
  usageOps(router, () => state.usage);

  return {
    id: 'elevenlabs',
    prefix: '/elevenlabs',
    keys: { admin: adminKey, member: memberKey, serviceAccount: state.serviceAccounts[0].keys[0].secret },
    state,
    authenticate: (headers) => k.keyOwner(header(headers, 'xi-api-key')),
    error: errorBody,
    router,
  };
}
