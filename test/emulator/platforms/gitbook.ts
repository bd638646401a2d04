import { Router, type EmulatorRequest, type EmulatorResponse } from '../router';
import { serialId, type Seed } from '../seed';
import { dayStart, joinedAt, lastSeenAt } from './activity';
import { header, type PlatformEmulator } from './types';

export type Role = 'admin' | 'create' | 'review' | 'edit' | 'comment' | 'read';
const ROLES: readonly Role[] = ['admin', 'create', 'review', 'edit', 'comment', 'read'];
type Kind = 'space' | 'collection' | 'site';
const KINDS: readonly Kind[] = ['space', 'collection', 'site'];
const T0 = '2026-01-05T09:00:00.000Z';

export interface GitBookUser {
  id: string;
  displayName: string;
  email: string;
}

export interface GitBookMember {
  user: GitBookUser;
  /** null: guest. */
  role: Role | null;
  disabled: boolean;
  /** ISO date-time; a member a test adds without one joined before everyone (NEVER_JOINED). */
  joinedAt?: string;
  /** ISO date-time; absent: never seen. */
  lastSeenAt?: string;
}

/** The `joinedAt` of a member added without one: before every seeded member, so the default order keeps it last. */
const NEVER_JOINED = '2020-01-01T00:00:00.000Z';

export interface GitBookTeam {
  id: string;
  title: string;
  /** user id → team role */
  members: Map<string, 'owner' | 'member'>;
}

export interface GitBookContent {
  kind: Kind;
  id: string;
  title: string;
  defaultLevel: Role | null | 'inherit';
  users: Map<string, Role | null>;
  teams: Map<string, Role | null>;
}

export interface GitBookState {
  users: GitBookUser[];
  org: { id: string; title: string };
  members: GitBookMember[];
  teams: GitBookTeam[];
  content: GitBookContent[];
  /** Emails invited through POST /invites (the API cannot list them; tests read this). */
  invited: Map<string, { role: Role | null; sso: boolean }>;
  nextTeam: number;
  links: GitBookLink[];
  nextLink: number;
  /** Requests allowed per window (0: no limit), as GitBook's X-RateLimit-* headers tell. */
  rateLimit: { limit: number; windowMs: number; windowStart: number; used: number };
}

export interface GitBookLink {
  id: string;
  /** The organization (no content), or one space or collection. */
  content?: GitBookContent;
  role: Role | null;
}

function buildState(seed: Seed): GitBookState {
  const users = seed.people.map((p, i) => ({
    id: serialId('gbu', i),
    displayName: `${p.firstName} ${p.lastName}`,
    email: p.email,
  }));
  const today = dayStart(Date.now());
  const members = users.map((user, i): GitBookMember => {
    const seen = lastSeenAt(today, i);
    return {
      user,
      role: i === 0 || i === 1 ? 'admin' : i % 6 === 5 ? null : ROLES[1 + (i % 5)],
      disabled: i % 13 === 12,
      joinedAt: joinedAt(today, i),
      ...(seen ? { lastSeenAt: seen } : {}),
    };
  });
  const teams = seed.groups.map((g): GitBookTeam => ({
    id: serialId('team', g.n),
    title: g.name,
    members: new Map(g.memberIndexes.map((i, k) => [users[i].id, k === 0 ? 'owner' : 'member'])),
  }));
  const content = seed.resources.map((r): GitBookContent => {
    const kind = KINDS[r.kind % KINDS.length];
    const users_ = new Map<string, Role | null>([[users[r.creator].id, 'admin']]);
    if (r.n % 4 === 1 && users[3]) users_.set(users[3].id, 'edit');
    const teams_ = new Map<string, Role | null>();
    if (r.n % 3 === 0 && teams[0]) teams_.set(teams[0].id, 'comment');
    return {
      kind,
      id: serialId(kind.slice(0, 3), r.n),
      title: r.name,
      defaultLevel: r.n % 5 === 0 ? 'read' : kind === 'space' && r.n % 5 === 1 ? 'inherit' : null,
      users: users_,
      teams: teams_,
    };
  });
  const firstSpace = content.find((c) => c.kind === 'space');
  const links: GitBookLink[] = [
    { id: 'inv_000000', role: 'read' },
    { id: 'inv_000001', role: null },
    ...(firstSpace ? [{ id: 'inv_000002', content: firstSpace, role: 'comment' as Role }] : []),
  ];
  return {
    users,
    org: { id: 'org_sandbox', title: 'Sandbox Docs' },
    members,
    teams,
    content,
    invited: new Map(),
    nextTeam: teams.length,
    links,
    nextLink: links.length,
    rateLimit: { limit: 0, windowMs: 60_000, windowStart: 0, used: 0 },
  };
}

const error = (status: number, message: string): EmulatorResponse => ({
  status,
  body: { error: { code: status, message } },
});
const encode = (offset: number) => Buffer.from(`p:${offset}`).toString('base64url');
function decode(page: string | null): number | undefined {
  if (!page) return 0;
  const m = /^p:(\d+)$/.exec(Buffer.from(page, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** GitBook: `Authorization: Bearer`, `{error:{code,message}}`, token pages, 202/204/205. */
/** What every GitBook handler shares: the state, and the models and checks built on it. */
function kit(state: GitBookState, origin: () => string) {
  const app = (path: string) => `https://app.gitbook.com/o/${state.org.id}${path}`;
  const api = (path: string) => `${origin()}/gitbook/v1${path}`; // the API's own address for an object
  const isAdmin = (me: GitBookMember) => me.role === 'admin';
  const adminOnly = (me: GitBookMember) =>
    isAdmin(me) ? undefined : error(403, 'You need to be an admin of the organization to do this.');
  const body = (req: EmulatorRequest) =>
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  const orgCheck = (req: EmulatorRequest) =>
    req.params.organizationId === state.org.id
      ? undefined
      : error(404, `Organization ${req.params.organizationId} not found.`);

  /** One page of a list: `page` token + `limit` (≤ 1000). */
  function page<T>(req: EmulatorRequest, items: T[], map: (t: T) => unknown): EmulatorResponse {
    const limit = req.query.get('limit') === null ? 50 : Number(req.query.get('limit'));
    if (!Number.isInteger(limit) || limit < 0 || limit > 1000) return error(400, 'limit must be between 0 and 1000.');
    const offset = decode(req.query.get('page'));
    if (offset === undefined) return error(400, 'Invalid page token.');
    const end = offset + limit;
    return {
      status: 200,
      body: {
        items: items.slice(offset, end).map(map),
        ...(end < items.length ? { next: { page: encode(end) } } : {}),
        count: items.length,
      },
    };
  }

  const userModel = (u: GitBookUser) => ({
    object: 'user',
    id: u.id,
    displayName: u.displayName,
    email: u.email,
    urls: { location: api(`/users/${u.id}`) },
  });
  const memberModel = (m: GitBookMember) => ({
    object: 'member',
    id: m.user.id,
    role: m.role,
    user: userModel(m.user),
    disabled: m.disabled,
    joinedAt: m.joinedAt ?? NEVER_JOINED,
    ...(m.lastSeenAt ? { lastSeenAt: m.lastSeenAt } : {}),
    sso: false,
    spaces: 0,
    teams: state.teams.filter((t) => t.members.has(m.user.id)).length,
    sites: 0,
  });
  const teamModel = (t: GitBookTeam, me: GitBookMember) => ({
    object: 'team',
    id: t.id,
    title: t.title,
    members: t.members.size,
    spaces: 0,
    createdAt: T0,
    permissions: { admin: isAdmin(me) || t.members.get(me.user.id) === 'owner', view: true },
  });
  const orgModel = (me: GitBookMember) => {
    const admin = isAdmin(me);
    return {
      object: 'organization',
      id: state.org.id,
      plan: 'enterprise_2024',
      title: state.org.title,
      createdAt: T0,
      inviteLinks: true,
      type: 'business',
      emailDomains: ['example.com'],
      mergeRules: { type: 'none' },
      urls: { location: api(`/orgs/${state.org.id}`), app: app('/') },
      trial: { status: 'notapplicable', count: 0 },
      permissions: {
        view: true,
        access: true,
        admin,
        ownTeam: true,
        createContent: admin,
        createOpenAPISpec: admin,
        viewBilling: admin,
        listMembers: true,
        listTeams: true,
        listIntegrations: admin,
        listInstallations: admin,
        installIntegration: admin,
      },
    };
  };
  const memberBy = (idOrEmail: string) =>
    state.members.find((m) => m.user.id === idOrEmail || m.user.email.toLowerCase() === idOrEmail.toLowerCase());
  /** The teams a member is in (read once when many contents are judged for one member). */
  const teamsOf = (me: GitBookMember) => state.teams.filter((t) => t.members.has(me.user.id));
  const roleOn = (me: GitBookMember, c: GitBookContent, teams?: GitBookTeam[]): Role | null | undefined => {
    if (isAdmin(me)) return 'admin';
    const direct = c.users.get(me.user.id);
    const viaTeams = (teams ?? teamsOf(me)).map((t) => c.teams.get(t.id)).filter((r): r is Role => !!r);
    const candidates = [direct, ...viaTeams, c.defaultLevel === 'inherit' ? null : c.defaultLevel].filter(
      (r): r is Role => !!r,
    );
    return candidates.sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b))[0];
  };
  const contentModel = (c: GitBookContent, me: GitBookMember) => {
    const admin = roleOn(me, c) === 'admin';
    if (c.kind === 'space') {
      return {
        object: 'space',
        id: c.id,
        title: c.title,
        emoji: '📘',
        organization: state.org.id,
        visibility: 'private',
        revision: `rev_${c.id}`,
        createdAt: T0,
        updatedAt: T0,
        comments: 0,
        changeRequests: 0,
        changeRequestsOpen: 0,
        changeRequestsDraft: 0,
        mergeRules: { type: 'inherit' },
        urls: { location: api(`/spaces/${c.id}`), app: app(`/s/${c.id}`) },
        defaultLevel: c.defaultLevel,
        permissions: {
          view: true,
          access: true,
          admin,
          viewInviteLinks: admin,
          edit: admin,
          triggerGitSync: admin,
          comment: true,
          merge: admin,
          review: admin,
          installIntegration: admin,
        },
      };
    }
    if (c.kind === 'collection') {
      return {
        object: 'collection',
        id: c.id,
        title: c.title,
        organization: state.org.id,
        urls: { location: api(`/collections/${c.id}`), app: app(`/c/${c.id}`) },
        defaultLevel: c.defaultLevel === 'inherit' ? null : c.defaultLevel,
        permissions: { view: true, admin, viewInviteLinks: admin, create: admin },
      };
    }
    return {
      object: 'site',
      id: c.id,
      type: 'premium',
      appliedType: 'premium',
      title: c.title,
      visibility: 'public',
      defaultLevel: c.defaultLevel === 'inherit' ? null : c.defaultLevel,
      permissions: {
        view: true,
        access: true,
        edit: admin,
        create: admin,
        admin,
        installIntegration: admin,
        viewAdaptiveSchema: admin,
        editAdaptiveSchema: admin,
      },
      published: true,
      createdAt: T0,
      siteSpaces: 1,
      features: [],
      urls: {
        location: api(`/orgs/${state.org.id}/sites/${c.id}`),
        app: app(`/sites/${c.id}`),
        preview: `https://preview.example.com/${c.id}`,
      },
    };
  };
  return {
    state,
    app,
    api,
    isAdmin,
    adminOnly,
    body,
    orgCheck,
    page,
    userModel,
    memberModel,
    teamModel,
    orgModel,
    memberBy,
    roleOn,
    teamsOf,
    contentModel,
  };
}

type Kit = ReturnType<typeof kit>;

/** The user and the organization. */
function organizationOps(router: Router<GitBookMember>, k: Kit): void {
  const { state, orgCheck, page, userModel, orgModel } = k;
  router.on('GET', '/user', (_req, me) => ({ status: 200, body: userModel(me.user) }));
  router.on('GET', '/orgs', (req, me) => page(req, [state.org], () => orgModel(me)));
  router.on('GET', '/orgs/{organizationId}', (req, me) => orgCheck(req) ?? { status: 200, body: orgModel(me) });
}

/**
 * The members list's `sort` (joinedAt, lastSeenAt or name; joinedAt by default) and `order` (desc by
 * default), as the spec says; a member never seen counts as seen before everyone.
 */
function sortMembers(req: EmulatorRequest): ((a: GitBookMember, b: GitBookMember) => number) | EmulatorResponse {
  const sort = req.query.get('sort') ?? 'joinedAt';
  const order = req.query.get('order') ?? 'desc';
  if (!['joinedAt', 'lastSeenAt', 'name'].includes(sort))
    return error(400, 'sort must be one of joinedAt, lastSeenAt or name.');
  if (order !== 'asc' && order !== 'desc') return error(400, 'order must be asc or desc.');
  const key = (m: GitBookMember) =>
    sort === 'name' ? m.user.displayName : sort === 'lastSeenAt' ? (m.lastSeenAt ?? '') : (m.joinedAt ?? NEVER_JOINED);
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => {
    const [x, y] = [key(a), key(b)];
    return sign * (sort === 'name' ? x.localeCompare(y) : x < y ? -1 : x > y ? 1 : 0);
  };
}

/** Members: list, read, change role, remove (202/204/205). */
function memberOps(router: Router<GitBookMember>, k: Kit): void {
  const { state, isAdmin, adminOnly, body, orgCheck, page, memberModel, memberBy } = k;
  router.on('GET', '/orgs/{organizationId}/members', (req) => {
    const search = req.query.get('search')?.toLowerCase();
    const role = req.query.get('role');
    if (role !== null && role !== 'guest' && !ROLES.includes(role as Role))
      return error(400, `role must be one of ${ROLES.join(', ')} or guest.`);
    const order = sortMembers(req);
    if (typeof order !== 'function') return order;
    const list = state.members
      .filter(
        (m) =>
          (!search ||
            m.user.displayName.toLowerCase().includes(search) ||
            m.user.email.toLowerCase().includes(search)) &&
          (role === null || m.role === (role === 'guest' ? null : role)),
      )
      .sort(order);
    return orgCheck(req) ?? page(req, list, memberModel);
  });
  router.on('GET', '/orgs/{organizationId}/members/{userId}', (req) => {
    const denied = orgCheck(req);
    if (denied) return denied;
    const m = state.members.find((x) => x.user.id === req.params.userId);
    return m ? { status: 200, body: memberModel(m) } : error(404, `No member ${req.params.userId}.`);
  });
  router.on('PATCH', '/orgs/{organizationId}/members/{userId}', (req, me) => {
    const b = body(req);
    if (!('role' in b) || (b.role !== null && !ROLES.includes(b.role as Role)))
      return error(400, `role must be one of ${ROLES.join(', ')} or null (guest).`);
    const denied = orgCheck(req) ?? adminOnly(me);
    if (denied) return denied;
    const m = memberBy(req.params.userId);
    if (!m) return error(404, `No member ${req.params.userId}.`);
    if (m === state.members[0] && b.role !== 'admin') return error(400, 'The organization owner must stay an admin.');
    m.role = b.role as Role | null;
    return { status: 200, body: memberModel(m) };
  });
  router.on('DELETE', '/orgs/{organizationId}/members/{userId}', (req, me) => {
    const denied = orgCheck(req);
    if (denied) return denied;
    const i = state.members.findIndex((m) => m.user.id === req.params.userId);
    if (i === -1) return { status: 204 };
    if (!isAdmin(me)) return { status: 202 }; // a removal request goes to the admins
    if (i === 0) return error(400, 'The organization owner cannot be removed.');
    state.members.splice(i, 1);
    for (const t of state.teams) t.members.delete(req.params.userId);
    for (const c of state.content) c.users.delete(req.params.userId);
    return { status: 205 };
  });
}

/**
 * What one member can reach: the spaces with the member's level on each (from any source), and the
 * teams they belong to with their team role. An admin may ask about anyone; a member about themself.
 */
function memberReachOps(router: Router<GitBookMember>, k: Kit): void {
  const { state, isAdmin, orgCheck, page, teamModel, roleOn, teamsOf, contentModel } = k;
  const member = (req: EmulatorRequest, me: GitBookMember): GitBookMember | EmulatorResponse => {
    const denied = orgCheck(req);
    if (denied) return denied;
    const m = state.members.find((x) => x.user.id === req.params.userId);
    if (!m) return error(404, `No member ${req.params.userId}.`);
    return isAdmin(me) || m === me ? m : error(403, 'You can only list your own access, unless you are an admin.');
  };
  router.on('GET', '/orgs/{organizationId}/members/{userId}/spaces', (req, me) => {
    const m = member(req, me);
    if ('status' in m) return m;
    const teams = teamsOf(m);
    const reached = state.content.flatMap((c) => {
      const role = c.kind === 'space' ? roleOn(m, c, teams) : undefined;
      return role ? [{ c, role }] : [];
    });
    return page(req, reached, ({ c, role }) => ({ permission: role, space: contentModel(c, m) }));
  });
  router.on('GET', '/orgs/{organizationId}/members/{userId}/teams', (req, me) => {
    const m = member(req, me);
    if ('status' in m) return m;
    const title = req.query.get('title')?.toLowerCase();
    const teams = state.teams.filter(
      (t) => t.members.has(m.user.id) && (!title || t.title.toLowerCase().includes(title)),
    );
    return page(req, teams, (t) => ({ team: teamModel(t, me), member: { role: t.members.get(m.user.id) } }));
  });
}

/** Teams and their members. */
function teamOps(router: Router<GitBookMember>, k: Kit): void {
  const { state, isAdmin, adminOnly, body, orgCheck, page, memberModel, teamModel, memberBy } = k;
  const team = (req: EmulatorRequest) => state.teams.find((t) => t.id === req.params.teamId);
  router.on(
    'GET',
    '/orgs/{organizationId}/teams',
    (req, me) => orgCheck(req) ?? page(req, state.teams, (t) => teamModel(t, me)),
  );
  const titleOk = (title: unknown): title is string =>
    typeof title === 'string' && title.length >= 1 && title.length <= 64;
  router.on('PUT', '/orgs/{organizationId}/teams', (req, me) => {
    const title = body(req).title;
    if (!titleOk(title)) return error(400, 'title must be 1 to 64 characters.');
    const denied = orgCheck(req) ?? adminOnly(me);
    if (denied) return denied;
    const t: GitBookTeam = { id: serialId('team', state.nextTeam++), title, members: new Map() };
    state.teams.push(t);
    return { status: 201, body: teamModel(t, me) };
  });
  router.on('GET', '/orgs/{organizationId}/teams/{teamId}', (req, me) => {
    const t = team(req);
    return t ? { status: 200, body: teamModel(t, me) } : (orgCheck(req) ?? error(404, `No team ${req.params.teamId}.`));
  });
  router.on('PATCH', '/orgs/{organizationId}/teams/{teamId}', (req, me) => {
    const title = body(req).title;
    if (!titleOk(title)) return error(400, 'title must be 1 to 64 characters.');
    const denied = orgCheck(req) ?? adminOnly(me);
    if (denied) return denied;
    const t = team(req);
    if (!t) return error(404, `No team ${req.params.teamId}.`);
    t.title = title;
    return { status: 200, body: teamModel(t, me) };
  });
  router.on('DELETE', '/orgs/{organizationId}/teams/{teamId}', (req, me) => {
    const denied = orgCheck(req) ?? adminOnly(me);
    if (denied) return denied;
    const i = state.teams.findIndex((t) => t.id === req.params.teamId);
    if (i === -1) return { status: 204 };
    state.teams.splice(i, 1);
    for (const c of state.content) c.teams.delete(req.params.teamId);
    return { status: 205 };
  });
  router.on('GET', '/orgs/{organizationId}/teams/{teamId}/members', (req) => {
    const t = team(req);
    if (!t) return orgCheck(req) ?? error(404, `No team ${req.params.teamId}.`);
    const rows = [...t.members].map(([id, role]) => ({ m: memberBy(id)!, role })).filter((r) => r.m);
    return page(req, rows, (r) => ({
      organization: memberModel(r.m),
      team: { role: r.role },
      permissions: { view: true },
    }));
  });
  router.on('PUT', '/orgs/{organizationId}/teams/{teamId}/members', (req, me) => {
    const b = body(req);
    const add = Array.isArray(b.add) ? b.add.map(String) : [];
    const remove = Array.isArray(b.remove) ? b.remove.map(String) : [];
    const t = team(req);
    if (!t) return orgCheck(req) ?? error(404, `No team ${req.params.teamId}.`);
    if (!isAdmin(me) && t.members.get(me.user.id) !== 'owner')
      return error(403, 'Only organization admins and team owners can change a team.');
    // `memberships`: team roles by member id or email ({role: owner | member}); a listed member not yet in the team joins with that role.
    const memberships =
      typeof b.memberships === 'object' && b.memberships !== null && !Array.isArray(b.memberships)
        ? (b.memberships as Record<string, unknown>)
        : {};
    const badRole = Object.entries(memberships).find(
      ([, v]) =>
        !(typeof v === 'object' && v !== null && ['owner', 'member'].includes(String((v as { role?: unknown }).role))),
    );
    if (badRole) return error(400, `memberships.${badRole[0]}.role must be "owner" or "member".`);
    const unknown = [...add, ...remove, ...Object.keys(memberships)].find((x) => !memberBy(x));
    if (unknown) return error(400, `${unknown} is not a member of the organization.`);
    for (const x of add) if (!t.members.has(memberBy(x)!.user.id)) t.members.set(memberBy(x)!.user.id, 'member');
    for (const [x, v] of Object.entries(memberships))
      t.members.set(memberBy(x)!.user.id, (v as { role: 'owner' | 'member' }).role);
    for (const x of remove) t.members.delete(memberBy(x)!.user.id);
    return { status: 204 };
  });
  router.on('PUT', '/orgs/{organizationId}/teams/{teamId}/members/{userId}', (req, me) => {
    const t = team(req);
    if (!t) return orgCheck(req) ?? error(404, `No team ${req.params.teamId}.`);
    if (!isAdmin(me) && t.members.get(me.user.id) !== 'owner')
      return error(403, 'Only organization admins and team owners can change a team.');
    if (!memberBy(req.params.userId)) return error(400, `${req.params.userId} is not a member of the organization.`);
    const role = body(req).role;
    t.members.set(req.params.userId, role === 'owner' ? 'owner' : 'member');
    return { status: 204 };
  });
  router.on('DELETE', '/orgs/{organizationId}/teams/{teamId}/members/{userId}', (req, me) => {
    const t = team(req);
    if (!t) return orgCheck(req) ?? error(404, `No team ${req.params.teamId}.`);
    if (!isAdmin(me) && t.members.get(me.user.id) !== 'owner')
      return error(403, 'Only organization admins and team owners can change a team.');
    return { status: t.members.delete(req.params.userId) ? 205 : 204 };
  });
}

/** Email invitations: no list, no revoke. */
function inviteOps(router: Router<GitBookMember>, k: Kit): void {
  const { state, adminOnly, body, orgCheck, memberBy } = k;
  router.on('POST', '/orgs/{organizationId}/invites', (req, me) => {
    const b = body(req);
    if (!Array.isArray(b.emails) || b.emails.length === 0) return error(400, 'emails must be a non-empty list.');
    const emails = b.emails.map((e) =>
      typeof e === 'object' && e ? String((e as { email?: unknown }).email) : String(e),
    );
    const bad = emails.find((e) => !EMAIL.test(e));
    if (bad) return error(400, `${bad} is not a valid email address.`);
    if (b.role !== undefined && b.role !== null && !ROLES.includes(b.role as Role))
      return error(400, `role must be one of ${ROLES.join(', ')} or null (guest).`);
    const denied = orgCheck(req) ?? adminOnly(me);
    if (denied) return denied;
    const fresh = emails.filter((e) => !memberBy(e));
    for (const e of fresh)
      state.invited.set(e.toLowerCase(), { role: (b.role as Role | null | undefined) ?? null, sso: b.sso === true });
    // Emails of another organization's domain cannot become SSO members here.
    const failedSSOEmails = b.sso === true ? fresh.filter((e) => e.toLowerCase().endsWith('@other-org.example')) : [];
    return {
      status: 200,
      body: {
        users: fresh.map((e) => `inv_${Buffer.from(e).toString('hex').slice(0, 12)}`),
        invited: fresh.length,
        ...(b.sso === true ? { failedSSOEmails } : {}),
      },
    };
  });
}

/** Invite links: to the organization (role) or to one space or collection (level). */
function linkOps(router: Router<GitBookMember>, k: Kit): void {
  const { state, adminOnly, body, orgCheck, page, roleOn, contentModel } = k;
  const linkModel = (l: GitBookLink, me: GitBookMember) => {
    const base = { object: 'invite', id: l.id };
    // Redundant: the caller already holds what the link grants, or more (a guest link grants the least).
    const covers = (held: Role | null | undefined) =>
      held !== undefined && (l.role === null || (held !== null && ROLES.indexOf(held) <= ROLES.indexOf(l.role)));
    if (!l.content) return { ...base, role: l.role, redundant: covers(me.role) };
    const key = l.content.kind === 'space' ? 'space' : 'collection';
    return { ...base, level: l.role, redundant: covers(roleOn(me, l.content)), [key]: contentModel(l.content, me) };
  };
  const roleOk = (r: unknown) => r === null || ROLES.includes(r as Role);
  router.on(
    'GET',
    '/orgs/{organizationId}/link-invites',
    (req, me) => orgCheck(req) ?? page(req, state.links, (l) => linkModel(l, me)),
  );
  router.on('POST', '/orgs/{organizationId}/link-invites', (req, me) => {
    const b = body(req);
    const denied = orgCheck(req) ?? adminOnly(me);
    let link: GitBookLink;
    if ('role' in b) {
      if (!roleOk(b.role)) return error(400, `role must be one of ${ROLES.join(', ')} or null (guest).`);
      if (denied) return denied;
      link = { id: serialId('inv', state.nextLink++), role: b.role as Role | null };
    } else {
      if (!roleOk(b.level)) return error(400, `level must be one of ${ROLES.join(', ')} or null (guest).`);
      const kind = typeof b.space === 'string' ? 'space' : typeof b.collection === 'string' ? 'collection' : undefined;
      if (!kind) return error(400, 'Give role (an organization link), or level with space or collection.');
      if (denied) return denied;
      const c = state.content.find((x) => x.kind === kind && x.id === b[kind]);
      if (!c) return error(404, `No ${kind} ${String(b[kind])}.`);
      link = { id: serialId('inv', state.nextLink++), content: c, role: b.level as Role | null };
    }
    state.links.push(link);
    return { status: 201, body: linkModel(link, me) };
  });
  router.on('GET', '/orgs/{organizationId}/link-invites/{inviteId}', (req, me) => {
    const denied = orgCheck(req);
    if (denied) return denied;
    const l = state.links.find((x) => x.id === req.params.inviteId);
    return l ? { status: 200, body: linkModel(l, me) } : error(404, `No invite link ${req.params.inviteId}.`);
  });
  router.on('PATCH', '/orgs/{organizationId}/link-invites/{inviteId}', (req, me) => {
    const b = body(req);
    const denied = orgCheck(req) ?? adminOnly(me);
    if (denied) return denied;
    const l = state.links.find((x) => x.id === req.params.inviteId);
    if (!l) return error(404, `No invite link ${req.params.inviteId}.`);
    const value = l.content ? b.level : b.role;
    if (!(l.content ? 'level' in b : 'role' in b) || !roleOk(value))
      return error(400, l.content ? 'A content link takes level.' : 'An organization link takes role.');
    l.role = value as Role | null;
    return { status: 200, body: linkModel(l, me) };
  });
  router.on('DELETE', '/orgs/{organizationId}/link-invites/{inviteId}', (req, me) => {
    const denied = orgCheck(req) ?? adminOnly(me);
    if (denied) return denied;
    const i = state.links.findIndex((x) => x.id === req.params.inviteId);
    if (i === -1) return { status: 204 };
    state.links.splice(i, 1);
    return { status: 205 };
  });
}

/** Spaces, collections and sites, and their permissions. */
function contentOps(router: Router<GitBookMember>, k: Kit): void {
  const { state, isAdmin, body, orgCheck, page, userModel, teamModel, memberBy, roleOn, contentModel } = k;
  for (const kind of KINDS) {
    const listPath = `/orgs/{organizationId}/${kind}s`;
    router.on(
      'GET',
      listPath,
      (req, me) =>
        orgCheck(req) ??
        page(
          req,
          state.content.filter((c) => c.kind === kind && roleOn(me, c)),
          (c) => contentModel(c, me),
        ),
    );
    const base =
      kind === 'space'
        ? '/spaces/{spaceId}'
        : kind === 'collection'
          ? '/collections/{collectionId}'
          : '/orgs/{organizationId}/sites/{siteId}';
    const find = (req: EmulatorRequest) =>
      state.content.find(
        (c) => c.kind === kind && c.id === (req.params.spaceId ?? req.params.collectionId ?? req.params.siteId),
      );
    const adminOn = (req: EmulatorRequest, me: GitBookMember): GitBookContent | EmulatorResponse => {
      const c = find(req);
      if (!c || !roleOn(me, c))
        return error(404, `No ${kind} ${req.params.spaceId ?? req.params.collectionId ?? req.params.siteId}.`);
      return roleOn(me, c) === 'admin' ? c : error(403, `You need admin access to this ${kind}.`);
    };
    const validRole = (role: unknown) =>
      kind === 'site' ? ROLES.includes(role as Role) : role === null || ROLES.includes(role as Role);
    router.on('POST', `${base}/permissions`, (req, me) => {
      const b = body(req);
      const users = Array.isArray(b.users) ? b.users.map(String) : [];
      const teams = Array.isArray(b.teams) ? b.teams.map(String) : [];
      if (!('role' in b) || (b.role !== null && !ROLES.includes(b.role as Role)))
        return error(400, 'role is required.');
      if (users.length + teams.length === 0) return error(400, 'Give users or teams.');
      const c = adminOn(req, me);
      if ('status' in c) return c;
      const unknownUser = users.find((u) => !memberBy(u));
      if (unknownUser) return error(400, `${unknownUser} is not a member of the organization.`);
      const unknownTeam = teams.find((t) => !state.teams.some((x) => x.id === t));
      if (unknownTeam) return error(404, `No team ${unknownTeam}.`);
      for (const u of users) c.users.set(memberBy(u)!.user.id, b.role as Role | null);
      for (const t of teams) c.teams.set(t, b.role as Role | null);
      return { status: 204 };
    });
    router.on('GET', `${base}/permissions/aggregate`, (req, me) => {
      const c = find(req);
      if (!c || !roleOn(me, c)) return error(404, `No ${kind} here.`);
      const rows = state.members.flatMap((m) => {
        const role = roleOn(m, c);
        if (!role) return [];
        const direct = c.users.has(m.user.id);
        const team = state.teams.find((t) => t.members.has(m.user.id) && c.teams.has(t.id));
        const reason = direct ? 'member' : team ? 'team' : 'default';
        const origin = isAdmin(m)
          ? { type: 'organization', organization: state.org.id }
          : { type: 'site', site: c.id, reason, ...(team && !direct ? { team: team.id } : {}) };
        return [{ m, role, origin }];
      });
      return page(req, rows, (r) =>
        kind === 'site'
          ? { permission: r.role, user: userModel(r.m.user), origin: r.origin, disabled: r.m.disabled }
          : { permission: r.role, user: userModel(r.m.user) },
      );
    });
    for (const who of ['users', 'teams'] as const) {
      const id = who === 'users' ? '{userId}' : '{teamId}';
      router.on('GET', `${base}/permissions/${who}`, (req, me) => {
        const c = find(req);
        if (!c || !roleOn(me, c)) return error(404, `No ${kind} here.`);
        if (who === 'users')
          return page(req, [...c.users], ([uid, permission]) => ({
            permission: kind === 'site' ? permission : (permission ?? 'read'),
            user: userModel(memberBy(uid)?.user ?? { id: uid, displayName: uid, email: `${uid}@example.com` }),
          }));
        return page(
          req,
          [...c.teams].filter(([tid]) => state.teams.some((t) => t.id === tid)),
          ([tid, permission]) => ({
            permission: kind === 'site' ? permission : (permission ?? 'read'),
            team: teamModel(
              state.teams.find((t) => t.id === tid)!,
              me,
            ),
          }),
        );
      });
      router.on('PATCH', `${base}/permissions/${who}/${id}`, (req, me) => {
        const b = body(req);
        if (!validRole(b.role))
          return error(
            400,
            kind === 'site'
              ? 'role must be a MemberRole (sites take no guest level).'
              : 'role must be a MemberRole or null.',
          );
        const c = adminOn(req, me);
        if ('status' in c) return c;
        const map = who === 'users' ? c.users : c.teams;
        const key = who === 'users' ? req.params.userId : req.params.teamId;
        if (!map.has(key)) return error(404, `No ${who === 'users' ? 'user' : 'team'} permission for ${key}.`);
        map.set(key, b.role as Role | null);
        return { status: 204 };
      });
      router.on('DELETE', `${base}/permissions/${who}/${id}`, (req, me) => {
        const c = adminOn(req, me);
        if ('status' in c) return c;
        const map = who === 'users' ? c.users : c.teams;
        return { status: map.delete(who === 'users' ? req.params.userId : req.params.teamId) ? 205 : 204 };
      });
    }
  }
}

/** Every operation of the emulated API, by area: each area registers one handler per operation. */
const AREAS = [organizationOps, memberOps, memberReachOps, teamOps, inviteOps, linkOps, contentOps];

export function gitbook(seed: Seed, origin: () => string): PlatformEmulator<GitBookMember> & { state: GitBookState } {
  const state = buildState(seed);
  const tokens: Record<string, () => GitBookMember | undefined> = {
    'gb-sandbox-admin': () => state.members[0],
    'gb-sandbox-reader': () => state.members.find((m) => m.role === 'read'),
  };
  const router = new Router<GitBookMember>();
  const k = kit(state, origin);
  for (const area of AREAS) area(router, k);

  /** The current window, rolled over when it has passed. */
  const window = () => {
    const rl = state.rateLimit;
    const now = Date.now();
    if (now >= rl.windowStart + rl.windowMs) {
      rl.windowStart = now;
      rl.used = 0;
    }
    return rl;
  };
  const resetSeconds = () => Math.ceil((window().windowStart + window().windowMs) / 1000);

  return {
    id: 'gitbook',
    prefix: '/gitbook/v1',
    preflight: () => {
      const rl = window();
      if (rl.limit === 0) return undefined;
      if (rl.used >= rl.limit)
        return {
          ...error(
            429,
            `Rate limit exceeded; retry after ${Math.max(0, resetSeconds() - Math.floor(Date.now() / 1000))} seconds.`,
          ),
        };
      rl.used++;
      return undefined;
    },
    headers: (): Record<string, string> => {
      const rl = window();
      if (rl.limit === 0) return {};
      return {
        'x-ratelimit-limit': String(rl.limit),
        'x-ratelimit-remaining': String(Math.max(0, rl.limit - rl.used)),
        'x-ratelimit-reset': String(resetSeconds()),
      };
    },
    keys: { admin: 'gb-sandbox-admin', reader: 'gb-sandbox-reader' },
    state,
    authenticate: (headers) => {
      const m = /^Bearer\s+(.+)$/i.exec(header(headers, 'authorization') ?? '');
      return m ? tokens[m[1]]?.() : undefined;
    },
    error,
    router,
  };
}
