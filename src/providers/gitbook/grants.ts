/** Who holds a role on a space, collection or site: granted (users, teams, the default level), and in effect. */
import type { Access, AccessSource, EffectiveAccess, Grant, Page, Resource } from '../../core/model';
import * as api from './client';
import * as content from './contentClient';
import { all, type GitBookContext } from './context';
import { listGroupMembers, listGroups } from './groups';
import { GITBOOK_ROLES, GUEST } from './roles';
import type { EffectivePermission, MemberRole } from './schemas';

const userGrant = (u: {
  user: { id: string; displayName: string; email?: string };
  permission: MemberRole | null;
}): Grant => ({
  principal: { kind: 'user', id: u.user.id, name: u.user.displayName, email: u.user.email },
  role: u.permission ?? GUEST,
});
const teamGrant = (t: { team: { id: string; title: string }; permission: MemberRole | null }): Grant => ({
  principal: { kind: 'group', id: t.team.id, name: t.team.title },
  role: t.permission ?? GUEST,
});

/** One page of the users or the teams with a role on the content. */
export async function listGrantsPage(
  ctx: GitBookContext,
  resource: Pick<Resource, 'id' | 'type'>,
  list: string,
  token?: string,
  signal?: AbortSignal,
): Promise<Page<Grant>> {
  const kind = resource.type as content.ContentKind;
  if (list === 'users') {
    const res = await content.listUserPermissions(ctx.http, ctx.org, kind, resource.id, token, signal);
    return { items: res.items.map(userGrant), next: res.next?.page, total: res.count };
  }
  const res = await content.listTeamPermissions(ctx.http, ctx.org, kind, resource.id, token, signal);
  return { items: res.items.map(teamGrant), next: res.next?.page, total: res.count };
}

export function fixedGrants(resource: Resource): Grant[] {
  return resource.baseline
    ? [
        {
          principal: { kind: 'default', id: 'default', name: 'Organization default' },
          role: resource.baseline,
          fixed: 'The default level is set on the content in GitBook.',
        },
      ]
    : [];
}

export async function access(
  ctx: GitBookContext,
  resource: Pick<Resource, 'id' | 'type'> & { baseline?: string },
  signal?: AbortSignal,
): Promise<Access> {
  const kind = resource.type as content.ContentKind;
  const [users, teams] = await Promise.all([
    all(
      ctx.http,
      'user permissions',
      (page) => content.listUserPermissions(ctx.http, ctx.org, kind, resource.id, page, signal),
      signal,
    ),
    all(
      ctx.http,
      'team permissions',
      (page) => content.listTeamPermissions(ctx.http, ctx.org, kind, resource.id, page, signal),
      signal,
    ),
  ]);
  const grants: Grant[] = [...users.map(userGrant), ...teams.map(teamGrant), ...fixedGrants(resource as Resource)];
  return { grants };
}

/**
 * Everyone who can reach the content, and why. Sites say where each level comes from; for spaces
 * and collections the reasons are worked out from the grants, the teams that hold them, the
 * default level and the organization's admins (what is left is inherited from a parent).
 */
export async function effectiveAccess(
  ctx: GitBookContext,
  resource: Pick<Resource, 'id' | 'type' | 'baseline'>,
  signal?: AbortSignal,
): Promise<EffectiveAccess[]> {
  const kind = resource.type as content.ContentKind;
  const rows = await all(
    ctx.http,
    'effective permissions',
    (page) => content.listEffectivePermissions(ctx.http, ctx.org, kind, resource.id, page, signal),
    signal,
  );
  const why = kind === 'site' ? await siteReasons(ctx, rows, signal) : await contentReasons(ctx, resource, signal);
  return rows.map((r) => ({
    principal: { kind: 'user', id: r.user.id, name: r.user.displayName, email: r.user.email },
    role: r.permission ?? GUEST,
    sources: why(r),
  }));
}

async function siteReasons(
  ctx: GitBookContext,
  rows: readonly EffectivePermission[],
  signal?: AbortSignal,
): Promise<(r: EffectivePermission) => AccessSource[]> {
  const names = rows.some((r) => r.origin?.team)
    ? new Map((await listGroups(ctx, signal)).map((t) => [t.id, t.name]))
    : new Map<string, string>();
  return ({ origin: o, permission }) => {
    const role = permission ?? GUEST;
    if (!o) return [];
    if (o.type === 'organization') return [{ kind: 'organization', role }];
    if (o.type === 'space') return [{ kind: 'parent', name: 'a space of the site', role }];
    if (o.reason === 'team') return [{ kind: 'group', name: (o.team && names.get(o.team)) ?? o.team, role }];
    return [{ kind: o.reason === 'default' ? 'default' : 'direct', role }];
  };
}

async function contentReasons(
  ctx: GitBookContext,
  resource: Pick<Resource, 'id' | 'type' | 'baseline'>,
  signal?: AbortSignal,
): Promise<(r: EffectivePermission) => AccessSource[]> {
  const [{ grants }, admins] = await Promise.all([
    access(ctx, resource, signal),
    all(ctx.http, 'admins', (page) => api.listMembersWithRole(ctx.http, ctx.org, 'admin', page, signal), signal),
  ]);
  const teams = grants.filter((g) => g.principal.kind === 'group');
  const inTeam = await Promise.all(
    teams.map(async (g) => new Set((await listGroupMembers(ctx, g.principal.id, signal)).map((m) => m.id))),
  );
  const adminIds = new Set(admins.map((m) => m.id));
  return ({ user }) => {
    const direct = grants.find((g) => g.principal.kind === 'user' && g.principal.id === user.id);
    // A default of guest (none) or "inherit" gives nothing of its own.
    const byDefault = grants.find((g) => g.principal.kind === 'default' && GITBOOK_ROLES.roles.includes(g.role));
    const sources: AccessSource[] = [
      ...(direct ? [{ kind: 'direct' as const, role: direct.role }] : []),
      ...teams.flatMap((g, i) =>
        inTeam[i].has(user.id) ? [{ kind: 'group' as const, name: g.principal.name, role: g.role }] : [],
      ),
      ...(byDefault ? [{ kind: 'default' as const, role: byDefault.role }] : []),
      ...(adminIds.has(user.id) ? [{ kind: 'organization' as const, role: 'admin' }] : []),
    ];
    // The strongest reason first: it is the one that decides the effective role.
    const rank = (x: AccessSource) =>
      x.role && GITBOOK_ROLES.roles.includes(x.role) ? GITBOOK_ROLES.roles.indexOf(x.role) : GITBOOK_ROLES.roles.length;
    return sources.length
      ? sources.sort((a, b) => rank(a) - rank(b))
      : [{ kind: 'parent', name: 'a parent collection' }];
  };
}
