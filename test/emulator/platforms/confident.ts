import { Router, type EmulatorRequest, type EmulatorResponse } from '../router';
import { serialId, type Seed } from '../seed';
import { DAY_MS, dayStart } from './activity';
import { header, type PlatformEmulator } from './types';

const T0 = '2026-01-05T09:00:00.000Z';
/** Nine in the morning (UTC), `n` whole days before the day the emulator started. */
const daysAgo = (n: number) => new Date(dayStart(Date.now()) - n * DAY_MS + 9 * 3_600_000).toISOString();
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ConfidentRole {
  id: string;
  name: string;
}

export interface ConfidentUser {
  id: string;
  email: string;
  name: string;
}

export interface ConfidentInvitation {
  id: number;
  email: string;
  status: 'PENDING' | 'ACCEPTED' | 'DECLINED';
  roleId: string | null;
  /** ISO date-time it was sent (T0 when a test adds one without it). */
  createdAt?: string;
}

export interface ConfidentProject {
  id: string;
  name: string;
  /** user id → project role id */
  members: Map<string, string>;
  invitations: ConfidentInvitation[];
}

export interface ConfidentState {
  organization: { id: string; name: string; plan: string; created_at: string };
  orgRoles: { owner: ConfidentRole; admin: ConfidentRole; member: ConfidentRole; custom: ConfidentRole[] };
  projectRoles: { owner: ConfidentRole; manager: ConfidentRole; member: ConfidentRole };
  users: ConfidentUser[];
  /** user id → org role id */
  members: Map<string, string>;
  invitations: ConfidentInvitation[];
  projects: ConfidentProject[];
  nextInvitation: number;
}

function buildState(seed: Seed): ConfidentState {
  const orgRoles = {
    owner: { id: uuid(1), name: 'Owner' },
    admin: { id: uuid(2), name: 'Admin' },
    member: { id: uuid(3), name: 'Member' },
    custom: [{ id: uuid(9), name: 'Evaluator' }],
  };
  const projectRoles = {
    owner: { id: uuid(11), name: 'Owner' },
    manager: { id: uuid(12), name: 'Manager' },
    member: { id: uuid(13), name: 'Member' },
  };
  const users = seed.people.map((p, i) => ({
    id: serialId('cau', i),
    email: p.email,
    name: `${p.firstName} ${p.lastName}`,
  }));
  const members = new Map(
    users.map((u, i) => [
      u.id,
      i === 0
        ? orgRoles.owner.id
        : i === 1
          ? orgRoles.admin.id
          : i % 7 === 6
            ? orgRoles.custom[0].id
            : orgRoles.member.id,
    ]),
  );
  const count = Math.max(3, Math.min(50, Math.floor(seed.resources.length / 10)));
  const projects = Array.from({ length: count }, (_, n): ConfidentProject => ({
    id: `clq${String(n).padStart(6, '0')}proj`,
    name: seed.resources[n]?.name ?? `Project ${n + 1}`,
    members: new Map([
      [users[n % users.length].id, projectRoles.owner.id],
      [users[(n + 2) % users.length].id, projectRoles.member.id],
    ]),
    invitations: [],
  }));
  return {
    organization: { id: 'org_sandbox', name: 'Sandbox Evals', plan: 'ENTERPRISE', created_at: T0 },
    orgRoles,
    projectRoles,
    users,
    members,
    invitations: [
      // Pending for 45 days (a stale invitation), and declined 10 days ago.
      { id: 1, email: 'pending.person@example.com', status: 'PENDING', roleId: null, createdAt: daysAgo(45) },
      { id: 2, email: 'said.no@example.com', status: 'DECLINED', roleId: orgRoles.member.id, createdAt: daysAgo(10) },
    ],
    projects,
    nextInvitation: 3,
  };
}

/** Confident AI: raw `CONFIDENT_API_KEY` header, `{success, data}` envelope, page numbers on member lists. */
/** What every Confident AI handler shares: the state, the answer envelope, and the models built on them. */
function kit(state: ConfidentState) {
  const ok = (data: unknown): EmulatorResponse => ({ status: 200, body: { success: true, data, deprecated: false } });
  const fail = (status: number, error: string): EmulatorResponse => ({
    status,
    body: { success: false, error, deprecated: false },
  });
  const body = (req: EmulatorRequest) =>
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  const allOrgRoles = () => [
    state.orgRoles.owner,
    state.orgRoles.admin,
    state.orgRoles.member,
    ...state.orgRoles.custom,
  ];
  const allProjectRoles = () => [state.projectRoles.owner, state.projectRoles.manager, state.projectRoles.member];
  const roleModel = (r: ConfidentRole, scope: 'organizationId' | 'projectId', preset: boolean) => ({
    id: r.id,
    name: r.name,
    description: null,
    [scope]: preset ? null : state.organization.id,
    policies: [],
  });
  const ref = (roles: ConfidentRole[], id: string | undefined) => {
    const r = roles.find((x) => x.id === id);
    return r ? { id: r.id, name: r.name } : null;
  };
  /** Users by id, made again when the list changes (5,000 members are named a page at a time). */
  let byId:
    { list: ConfidentState['users']; length: number; map: Map<string, ConfidentState['users'][number]> } | undefined;
  const user = (id: string) => {
    if (!byId || byId.list !== state.users || byId.length !== state.users.length)
      byId = { list: state.users, length: state.users.length, map: new Map(state.users.map((u) => [u.id, u])) };
    return byId.map.get(id)!;
  };
  const memberModel = (id: string) => ({
    id,
    email: user(id).email,
    name: user(id).name,
    image: null,
    organizationRole: ref(allOrgRoles(), state.members.get(id)),
  });
  const projectMemberModel = (p: ConfidentProject, id: string) => ({
    id,
    email: user(id).email,
    name: user(id).name,
    image: null,
    projectRole: ref(allProjectRoles(), p.members.get(id)),
  });
  const invitationModel = (i: ConfidentInvitation, key: 'organizationRoleId' | 'projectRoleId') => ({
    id: i.id,
    email: i.email,
    status: i.status,
    created_at: i.createdAt ?? T0,
    [key]: i.roleId,
  });
  const projectModel = (p: ConfidentProject) => ({
    id: p.id,
    name: p.name,
    description: null,
    organizationId: state.organization.id,
    created_at: T0,
    governancePolicy: null,
  });

  /** `page` ≥ 1 and `pageSize` 1..100 (default 25); `total` beside the items. */
  function paged(req: EmulatorRequest, ids: string[], map: (id: string) => unknown): EmulatorResponse {
    const page = Number(req.query.get('page') ?? 1);
    const size = Number(req.query.get('pageSize') ?? 25);
    if (!Number.isInteger(page) || page < 1) return fail(400, 'page must be an integer of at least 1.');
    if (!Number.isInteger(size) || size < 1 || size > 100) return fail(400, 'pageSize must be between 1 and 100.');
    return ok({ members: ids.slice((page - 1) * size, page * size).map(map), total: ids.length });
  }

  /** Creates invitations, skipping members and pending invitees without an error. */
  function invite(
    req: EmulatorRequest,
    list: ConfidentInvitation[],
    isMember: (u: ConfidentUser) => boolean,
    roleKey: 'organizationRoleId' | 'projectRoleId',
    roles: ConfidentRole[],
    owner: ConfidentRole,
  ): EmulatorResponse {
    const b = body(req);
    if (!Array.isArray(b.emails) || b.emails.length === 0)
      return fail(400, 'emails must be a non-empty list of email addresses.');
    const emails = b.emails.map(String);
    const bad = emails.find((e) => !EMAIL.test(e));
    if (bad) return fail(400, `${bad} is not a valid email address.`);
    const roleId = b[roleKey];
    if (roleId !== undefined && !roles.some((r) => r.id === roleId))
      return fail(404, `Role ${JSON.stringify(roleId)} not found.`);
    if (roleId === owner.id) return fail(400, 'The Owner role cannot be assigned through an invitation.');
    const created: ConfidentInvitation[] = [];
    for (const email of emails) {
      const existing = state.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
      if (
        (existing && isMember(existing)) ||
        list.some((i) => i.status === 'PENDING' && i.email.toLowerCase() === email.toLowerCase())
      )
        continue;
      const inv: ConfidentInvitation = {
        id: state.nextInvitation++,
        email,
        status: 'PENDING',
        roleId: (roleId as string | undefined) ?? null,
        createdAt: new Date().toISOString(),
      };
      list.push(inv);
      created.push(inv);
    }
    return ok({ invitations: created.map((i) => invitationModel(i, roleKey)) });
  }
  return {
    state,
    ok,
    fail,
    body,
    allOrgRoles,
    allProjectRoles,
    roleModel,
    ref,
    user,
    memberModel,
    projectMemberModel,
    invitationModel,
    projectModel,
    paged,
    invite,
  };
}

type Kit = ReturnType<typeof kit>;

/** The organization, its roles and its members. */
function organizationOps(router: Router<{ orgId: string }>, k: Kit): void {
  const { state, ok, fail, body, allOrgRoles, roleModel, user, memberModel, paged } = k;
  router.on('GET', '/v1/organization', () => ok({ organization: state.organization }));
  router.on('GET', '/v1/organization/roles', () =>
    ok({ roles: allOrgRoles().map((r) => roleModel(r, 'organizationId', r !== state.orgRoles.custom[0])) }),
  );
  router.on('GET', '/v1/organization/members', (req) => paged(req, [...state.members.keys()], memberModel));
  router.on('PUT', '/v1/organization/members/{userId}', (req) => {
    const roleId = body(req).roleId;
    if (typeof roleId !== 'string') return fail(400, 'roleId is required.');
    if (!state.members.has(req.params.userId)) return fail(404, `Member ${req.params.userId} not found.`);
    if (!allOrgRoles().some((r) => r.id === roleId)) return fail(404, `Role ${roleId} not found.`);
    if (roleId === state.orgRoles.owner.id) {
      // Ownership moves: the current Owner becomes Admin.
      for (const [id, r] of state.members)
        if (r === state.orgRoles.owner.id) state.members.set(id, state.orgRoles.admin.id);
    } else if (state.members.get(req.params.userId) === state.orgRoles.owner.id) {
      return fail(400, 'The Owner keeps the Owner role until ownership is given to someone else.');
    }
    state.members.set(req.params.userId, roleId);
    return ok({ member: memberModel(req.params.userId) });
  });
  router.on('DELETE', '/v1/organization/members/{userId}', (req) => {
    const id = req.params.userId;
    if (!state.members.has(id)) return fail(404, `Member ${id} not found.`);
    if (state.members.get(id) === state.orgRoles.owner.id) return fail(400, 'The Owner cannot be removed.');
    state.members.delete(id);
    const email = user(id).email.toLowerCase();
    for (const p of state.projects) {
      p.members.delete(id); // out of every project too
      p.invitations = p.invitations.filter((i) => i.email.toLowerCase() !== email);
    }
    state.invitations = state.invitations.filter((i) => i.email.toLowerCase() !== email);
    return ok({ id, removed: true });
  });
}

/** The organization's invitations: list, create, resend, revoke. */
function invitationOps(router: Router<{ orgId: string }>, k: Kit): void {
  const { state, ok, fail, allOrgRoles, invitationModel, invite } = k;
  router.on('GET', '/v1/organization/invitations', () =>
    ok({
      invitations: state.invitations
        .filter((i) => i.status !== 'ACCEPTED')
        .map((i) => invitationModel(i, 'organizationRoleId')),
    }),
  );
  router.on('POST', '/v1/organization/invitations', (req) =>
    invite(
      req,
      state.invitations,
      (u) => state.members.has(u.id),
      'organizationRoleId',
      allOrgRoles(),
      state.orgRoles.owner,
    ),
  );
  const orgInvitation = (req: EmulatorRequest) =>
    state.invitations.find((i) => String(i.id) === req.params.invitationId);
  router.on('PUT', '/v1/organization/invitations/{invitationId}', (req) => {
    const inv = orgInvitation(req);
    if (!inv) return fail(404, `Invitation ${req.params.invitationId} not found.`);
    if (inv.status !== 'PENDING')
      return fail(400, `Invitation ${inv.id} is ${inv.status.toLowerCase()}; only pending invitations can be resent.`);
    return ok({ invitation: invitationModel(inv, 'organizationRoleId') });
  });
  router.on('DELETE', '/v1/organization/invitations/{invitationId}', (req) => {
    const inv = orgInvitation(req);
    if (!inv) return fail(404, `Invitation ${req.params.invitationId} not found.`);
    state.invitations = state.invitations.filter((i) => i !== inv);
    return ok({ id: inv.id, deleted: true });
  });
}

/** Projects: roles, members and invitations, per project. */
function projectOps(router: Router<{ orgId: string }>, k: Kit): void {
  const {
    state,
    ok,
    fail,
    body,
    allProjectRoles,
    roleModel,
    user,
    projectMemberModel,
    invitationModel,
    projectModel,
    paged,
    invite,
  } = k;
  router.on('GET', '/v1/projects', () => ok({ projects: state.projects.map(projectModel) }));
  const project = (req: EmulatorRequest) => state.projects.find((p) => p.id === req.params.projectId);
  const withProject =
    (handler: (req: EmulatorRequest, p: ConfidentProject) => EmulatorResponse) => (req: EmulatorRequest) => {
      const p = project(req);
      return p ? handler(req, p) : fail(404, `Project ${req.params.projectId} not found.`);
    };
  router.on(
    'GET',
    '/v1/projects/{projectId}/roles',
    withProject(() => ok({ roles: allProjectRoles().map((r) => roleModel(r, 'projectId', true)) })),
  );
  router.on(
    'GET',
    '/v1/projects/{projectId}/members',
    withProject((req, p) => paged(req, [...p.members.keys()], (id) => projectMemberModel(p, id))),
  );
  router.on(
    'PUT',
    '/v1/projects/{projectId}/members/{userId}',
    withProject((req, p) => {
      const roleId = body(req).roleId;
      if (typeof roleId !== 'string') return fail(400, 'roleId is required.');
      if (!p.members.has(req.params.userId)) return fail(404, `${req.params.userId} is not a member of this project.`);
      if (!allProjectRoles().some((r) => r.id === roleId)) return fail(404, `Role ${roleId} not found.`);
      if (roleId === state.projectRoles.owner.id) {
        // Project ownership moves: the current Owner becomes Manager.
        for (const [id, r] of p.members)
          if (r === state.projectRoles.owner.id) p.members.set(id, state.projectRoles.manager.id);
      } else if (p.members.get(req.params.userId) === state.projectRoles.owner.id) {
        return fail(400, 'The project Owner keeps the role until ownership is given to someone else.');
      }
      p.members.set(req.params.userId, roleId);
      return ok({ member: projectMemberModel(p, req.params.userId) });
    }),
  );
  router.on(
    'DELETE',
    '/v1/projects/{projectId}/members/{userId}',
    withProject((req, p) => {
      const id = req.params.userId;
      if (!p.members.has(id)) return fail(404, `${id} is not a member of this project.`);
      if (p.members.get(id) === state.projectRoles.owner.id) return fail(400, 'The project Owner cannot be removed.');
      p.members.delete(id);
      p.invitations = p.invitations.filter((i) => i.email.toLowerCase() !== user(id).email.toLowerCase());
      return ok({ id, removed: true });
    }),
  );
  router.on(
    'GET',
    '/v1/projects/{projectId}/invitations',
    withProject((_req, p) =>
      ok({
        invitations: p.invitations
          .filter((i) => i.status !== 'ACCEPTED')
          .map((i) => invitationModel(i, 'projectRoleId')),
      }),
    ),
  );
  router.on(
    'POST',
    '/v1/projects/{projectId}/invitations',
    withProject((req, p) => {
      const emails = Array.isArray(body(req).emails) ? (body(req).emails as unknown[]).map(String) : [];
      const outsider = emails.find((e) => {
        const u = state.users.find((x) => x.email.toLowerCase() === e.toLowerCase());
        return !u || !state.members.has(u.id);
      });
      if (outsider)
        return fail(400, `${outsider} is not a member of the organization; invite them to the organization first.`);
      return invite(
        req,
        p.invitations,
        (u) => p.members.has(u.id),
        'projectRoleId',
        allProjectRoles(),
        state.projectRoles.owner,
      );
    }),
  );
  const projectInvitation = (req: EmulatorRequest, p: ConfidentProject) =>
    p.invitations.find((i) => String(i.id) === req.params.invitationId);
  router.on(
    'PUT',
    '/v1/projects/{projectId}/invitations/{invitationId}',
    withProject((req, p) => {
      const inv = projectInvitation(req, p);
      if (!inv) return fail(404, `Invitation ${req.params.invitationId} not found.`);
      return ok({ invitation: invitationModel(inv, 'projectRoleId') });
    }),
  );
  router.on(
    'DELETE',
    '/v1/projects/{projectId}/invitations/{invitationId}',
    withProject((req, p) => {
      const inv = projectInvitation(req, p);
      if (!inv) return fail(404, `Invitation ${req.params.invitationId} not found.`);
      p.invitations = p.invitations.filter((i) => i !== inv);
      return ok({ id: inv.id, deleted: true });
    }),
  );
}

/** Every operation of the emulated API, by area: each area registers one handler per operation. */
const AREAS = [organizationOps, invitationOps, projectOps];

export function confident(seed: Seed): PlatformEmulator<{ orgId: string }> & { state: ConfidentState } {
  const state = buildState(seed);
  const orgKey = 'confident_us_org_sandbox';
  const k = kit(state);
  const router = new Router<{ orgId: string }>();
  for (const area of AREAS) area(router, k);

  return {
    id: 'confident',
    prefix: '/confident',
    keys: { admin: orgKey },
    state,
    // Node lower-cases header names; the header is sent as CONFIDENT_API_KEY.
    authenticate: (headers) =>
      header(headers, 'confident_api_key') === orgKey ? { orgId: state.organization.id } : undefined,
    error: (status, message) => k.fail(status, message),
    router,
  };
}
