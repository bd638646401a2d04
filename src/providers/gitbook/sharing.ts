import type { Member, Page, Principal, Resource, ResourceType } from '../../core/model';
import type { WholeList } from '../../core/paging';
import type { Reached, RemovalOutcome, Sharing } from '../../core/provider';
import * as api from './client';
import * as content from './contentClient';
import { all, mapWhole, removal, type GitBookContext } from './context';
import { access, effectiveAccess, fixedGrants, listGrantsPage } from './grants';
import { listGroups } from './groups';
import { listMembers } from './members';
import { GITBOOK_ROLES, GUEST } from './roles';
import { MemberRole } from './schemas';

const KINDS: readonly { kind: content.ContentKind; type: ResourceType }[] = [
  { kind: 'space', type: { id: 'space', label: 'Spaces', one: 'Space', icon: 'book', webPages: true } },
  {
    kind: 'collection',
    type: { id: 'collection', label: 'Collections', one: 'Collection', icon: 'folder-library', webPages: true },
  },
  { kind: 'site', type: { id: 'site', label: 'Sites', one: 'Site', icon: 'globe', webPages: true } },
];

/** The shareable content types' ids. */
export const RESOURCE_TYPES = KINDS.map((k) => k.type.id);
/** The shareable content types. */
export const CONTENT_TYPES = KINDS.map((k) => k.type);

/** Spaces, collections and sites: the users and teams with a role on each, the default level, and who can reach them. */
export function sharingCapability(ctx: GitBookContext): Sharing {
  return {
    label: 'Content',
    types: CONTENT_TYPES,
    roles: GITBOOK_ROLES,
    list: (typeId, token, signal) => listResources(ctx, typeId, token, signal),
    access: (resource, signal) => access(ctx, resource, signal),
    grantLists: [
      {
        id: 'users',
        label: 'Users',
        icon: 'person',
        page: (resource, token, signal) => listGrantsPage(ctx, resource, 'users', token, signal),
      },
      {
        id: 'teams',
        label: 'Teams',
        icon: 'organization',
        page: (resource, token, signal) => listGrantsPage(ctx, resource, 'teams', token, signal),
      },
    ],
    fixedGrants: (resource) => fixedGrants(resource),
    share: (resource, principal, role, signal) => share(ctx, resource, principal, role, signal),
    changeRole: (resource, principal, role, signal) => changeRole(ctx, resource, principal, role, signal),
    unshare: (resource, principal, signal) => unshare(ctx, resource, principal, signal),
    effectiveAccess: (resource, signal) => effectiveAccess(ctx, resource, signal),
    principals: (signal) => principals(ctx, signal),
    reachOf: { covers: ['space'], read: (member, signal) => spacesOf(ctx, member, signal) },
  };
}

/** The spaces one member can reach, at their level from any source (GitBook lists spaces only). */
export async function spacesOf(ctx: GitBookContext, member: Member, signal?: AbortSignal): Promise<WholeList<Reached>> {
  const spaces = await all(
    ctx.http,
    'member spaces',
    (page) => api.listMemberSpaces(ctx.http, ctx.org, member.id, page, signal),
    signal,
  );
  return mapWhole(spaces, (s) => ({
    resource: {
      type: 'space',
      id: s.space.id,
      name: s.space.title,
      canShare: s.space.permissions.admin,
      baseline: s.space.defaultLevel === null ? GUEST : s.space.defaultLevel,
      webUrl: s.space.urls.app,
    },
    role: s.permission,
  }));
}

export async function listResources(
  ctx: GitBookContext,
  typeId: string,
  token?: string,
  signal?: AbortSignal,
): Promise<Page<Resource>> {
  const fetch =
    typeId === 'space'
      ? content.listSpaces
      : typeId === 'collection'
        ? content.listCollections
        : typeId === 'site'
          ? content.listSites
          : undefined;
  if (!fetch) throw new Error(`GitBook has no content type "${typeId}".`);
  const res = await fetch(ctx.http, ctx.org, token, signal);
  return {
    items: res.items.map((c) => ({
      type: typeId,
      id: c.id,
      name: c.title,
      canShare: c.permissions.admin,
      baseline: c.defaultLevel === null ? GUEST : c.defaultLevel,
      webUrl: c.urls.app,
    })),
    next: res.next?.page,
    total: res.count,
  };
}

/** Grants by user id or team id (GitBook has no grant by email). */
export async function share(
  ctx: GitBookContext,
  resource: Pick<Resource, 'id' | 'type'>,
  principal: Principal,
  role: string,
  signal?: AbortSignal,
): Promise<unknown> {
  const r = MemberRole.parse(role);
  const target = targetOf(principal);
  return content.grant(
    ctx.http,
    ctx.org,
    resource.type as content.ContentKind,
    resource.id,
    { role: r, [target]: [principal.id] },
    signal,
  );
}

export async function changeRole(
  ctx: GitBookContext,
  resource: Pick<Resource, 'id' | 'type'>,
  principal: Principal,
  role: string,
  signal?: AbortSignal,
): Promise<unknown> {
  return content.changePermission(
    ctx.http,
    ctx.org,
    resource.type as content.ContentKind,
    resource.id,
    targetOf(principal),
    principal.id,
    MemberRole.parse(role),
    signal,
  );
}

/** 205: removed · 204: there was nothing to remove. */
export async function unshare(
  ctx: GitBookContext,
  resource: Pick<Resource, 'id' | 'type'>,
  principal: Principal,
  signal?: AbortSignal,
): Promise<RemovalOutcome> {
  return removal(
    await content.revokePermission(
      ctx.http,
      ctx.org,
      resource.type as content.ContentKind,
      resource.id,
      targetOf(principal),
      principal.id,
      signal,
    ),
  );
}

/** Members and teams, for the share picker. */
export async function principals(ctx: GitBookContext, signal?: AbortSignal): Promise<Map<string, Principal>> {
  const [members, teams] = await Promise.all([listMembers(ctx, signal), listGroups(ctx, signal)]);
  const map = new Map<string, Principal>();
  for (const m of members) map.set(m.id, { kind: 'user', id: m.id, name: m.name, email: m.email });
  for (const t of teams) map.set(t.id, { kind: 'group', id: t.id, name: t.name });
  return map;
}

function targetOf(p: Principal): 'users' | 'teams' {
  if (p.kind === 'user') return 'users';
  if (p.kind === 'group') return 'teams';
  throw new Error('GitBook grants content to members and teams only; the default level is changed in GitBook.');
}
