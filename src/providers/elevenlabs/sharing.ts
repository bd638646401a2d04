import type { Access, Grant, Page, Principal, Resource } from '../../core/model';
import type { Sharing } from '../../core/provider';
import * as api from './client';
import type { ElevenLabsContext } from './context';
import { listGroups } from './groups';
import { listMembers } from './members';
import { LISTED_TYPES, RESOURCE_LISTS } from './resources';
import { SHARE_ROLES } from './roles';
import { ShareRole, type ResourceMetadata, type ShareTarget } from './schemas';
import { listServiceAccounts } from './serviceAccounts';

/** The sharing docs cap each resource at 100 principals (users, groups and service accounts). */
export const PRINCIPAL_CAP = 100;
/** The special group id that sets a resource's baseline role for every workspace member. */
export const DEFAULT_GROUP = 'default';

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
      if (!p.keyId)
        throw new Error(
          `The service account ${p.name} has no API key, and ElevenLabs shares with a service account through one of its keys. Create a key first.`,
        );
      return { workspace_api_key_id: p.keyId };
    case 'anonymous':
      throw new Error('Link access is set in ElevenLabs itself; the API cannot change it.');
  }
}

/** Resources of every listed type: who holds which role (members, groups, service accounts, the default), shared and unshared. */
export function sharingCapability(ctx: ElevenLabsContext): Sharing {
  return {
    label: 'Resources',
    types: LISTED_TYPES,
    roles: SHARE_ROLES,
    list: (typeId, token, signal, search) => listResources(ctx, typeId, token, signal, search),
    access: (resource, signal) => access(ctx, resource, signal),
    prepare: (signal) => prepareAccess(ctx, signal),
    share: (resource, principal, role, signal) => share(ctx, resource, principal, role, signal),
    unshare: (resource, principal, signal) => unshare(ctx, resource, principal, signal),
    roleOf: (resource, principal, signal) => roleOf(ctx, resource, principal, signal),
    principals: (signal) => principals(ctx, signal),
  };
}

/** One page of a shareable type, following that list's own pagination. */
export function listResources(
  ctx: ElevenLabsContext,
  typeId: string,
  token?: string,
  signal?: AbortSignal,
  search?: string,
): Promise<Page<Resource>> {
  const descriptor = RESOURCE_LISTS.find((d) => d.type.id === typeId);
  if (!descriptor) throw new Error(`ElevenLabs has no list for resource type "${typeId}".`);
  return descriptor.list(ctx.http, token, signal, search);
}

/** Who holds which role on a resource (the default and link access included), and who could. */
export async function access(
  ctx: ElevenLabsContext,
  resource: Pick<Resource, 'id' | 'type'>,
  signal?: AbortSignal,
): Promise<Access> {
  const [meta, directory] = await Promise.all([
    api.getResource(ctx.http, resource.id, resource.type, signal),
    principals(ctx, signal),
  ]);
  return { grants: grantsOf(meta, directory), cap: PRINCIPAL_CAP };
}

export async function prepareAccess(ctx: ElevenLabsContext, signal?: AbortSignal): Promise<void> {
  await principals(ctx, signal);
}

/** One metadata read: the role whose id list holds the principal (a user by id, the default as `default`). */
export async function roleOf(
  ctx: ElevenLabsContext,
  resource: Pick<Resource, 'id' | 'type'>,
  principal: Principal,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const meta = await api.getResource(ctx.http, resource.id, resource.type, signal);
  const id = principal.kind === 'default' ? DEFAULT_GROUP : principal.id;
  return SHARE_ROLES.roles.find((role) => meta.role_to_group_ids[role]?.includes(id));
}

export async function share(
  ctx: ElevenLabsContext,
  resource: Pick<Resource, 'id' | 'type'>,
  principal: Principal,
  role: string,
  signal?: AbortSignal,
): Promise<unknown> {
  const parsed = ShareRole.safeParse(role);
  if (!parsed.success)
    throw new Error(`"${role}" is not an ElevenLabs share role; use ${SHARE_ROLES.roles.join(', ')}.`);
  return api.share(
    ctx.http,
    resource.id,
    { ...shareTarget(principal), role: parsed.data, resource_type: resource.type },
    signal,
  );
}

export async function unshare(
  ctx: ElevenLabsContext,
  resource: Pick<Resource, 'id' | 'type'>,
  principal: Principal,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.unshare(ctx.http, resource.id, { ...shareTarget(principal), resource_type: resource.type }, signal);
}

/** Every principal by id, to name the ids in `role_to_group_ids`; fetched once per refresh. */
export function principals(ctx: ElevenLabsContext, signal?: AbortSignal): Promise<Map<string, Principal>> {
  ctx.directory ??= (async () => {
    const [members, groups, accounts] = await Promise.all([
      listMembers(ctx, signal),
      listGroups(ctx, signal),
      listServiceAccounts(ctx, signal),
    ]);
    const map = new Map<string, Principal>();
    for (const m of members) map.set(m.id, { kind: 'user', id: m.id, name: m.name, email: m.email });
    for (const g of groups) map.set(g.id, { kind: 'group', id: g.id, name: g.name });
    for (const sa of accounts)
      map.set(sa.id, { kind: 'serviceAccount', id: sa.id, name: sa.name, keyId: sa.keys.find((k) => !k.disabled)?.id });
    map.set(DEFAULT_GROUP, { kind: 'default', id: DEFAULT_GROUP, name: 'Everyone in the workspace (default)' });
    return map;
  })().catch((err: unknown) => {
    ctx.directory = undefined;
    throw err;
  });
  return ctx.directory;
}

function grantsOf(meta: ResourceMetadata, directory: Map<string, Principal>): Grant[] {
  const grants: Grant[] = [];
  const seen = new Set<string>();
  const roles = Object.keys(meta.role_to_group_ids).sort(
    (a, b) => SHARE_ROLES.rank(a) - SHARE_ROLES.rank(b) || a.localeCompare(b),
  );
  for (const role of roles) {
    for (const id of meta.role_to_group_ids[role]) {
      if (seen.has(id)) continue;
      seen.add(id);
      const principal = directory.get(id) ?? { kind: 'user' as const, id, name: id };
      const isCreator = id === meta.creator_user_id;
      grants.push({
        principal,
        role,
        ...(isCreator ? { fixed: 'The creator always keeps admin.', creator: true } : {}),
      });
    }
  }
  if (meta.creator_user_id && !seen.has(meta.creator_user_id)) {
    const principal = directory.get(meta.creator_user_id) ?? {
      kind: 'user' as const,
      id: meta.creator_user_id,
      name: meta.creator_user_id,
    };
    grants.unshift({ principal, role: 'admin', fixed: 'The creator always keeps admin.', creator: true });
  }
  if (meta.anonymous_access_level_override) {
    grants.push({
      principal: { kind: 'anonymous', id: 'anonymous', name: 'Anyone with the link' },
      role: meta.anonymous_access_level_override,
      fixed: 'Link access is set in ElevenLabs itself.',
    });
  }
  return grants;
}
