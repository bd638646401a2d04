import type { InviteLink } from '../../core/model';
import type { InviteLinks, RemovalOutcome } from '../../core/provider';
import * as api from './client';
import { all, mapWhole, removal, type GitBookContext } from './context';
import { GUEST, MEMBER_ROLES, roleLabel, wireRole } from './roles';
import type { InviteLink as WireLink } from './schemas';

function toLink(l: WireLink): InviteLink {
  const role = (l.role !== undefined ? l.role : l.level) ?? null;
  const target: InviteLink['target'] = l.space
    ? { kind: 'space', id: l.space.id, name: l.space.title }
    : l.collection
      ? { kind: 'collection', id: l.collection.id, name: l.collection.title }
      : { kind: 'organization' };
  return { id: l.id, target, role: role ?? GUEST, roleLabel: roleLabel(role), redundant: l.redundant };
}

/** Invite links: to the organization with a role, or to one space or collection with a level. */
export function inviteLinksCapability(ctx: GitBookContext): InviteLinks {
  return {
    roles: MEMBER_ROLES,
    createdNote: 'GitBook shows its address in the organization settings.',
    list: (signal) => listInviteLinks(ctx, signal),
    create: (target, role, signal) => createInviteLink(ctx, target, role, signal),
    update: (link, role, signal) => updateInviteLink(ctx, link, role, signal),
    delete: (link, signal) => deleteInviteLink(ctx, link, signal),
  };
}

export async function listInviteLinks(ctx: GitBookContext, signal?: AbortSignal): Promise<InviteLink[]> {
  return mapWhole(
    await all(ctx.http, 'invite links', (page) => api.listInviteLinks(ctx.http, ctx.org, page, signal), signal),
    toLink,
  );
}

export async function createInviteLink(
  ctx: GitBookContext,
  target: InviteLink['target'],
  role: string,
  signal?: AbortSignal,
): Promise<InviteLink> {
  const r = wireRole(role);
  const body =
    target.kind === 'organization'
      ? { role: r }
      : target.kind === 'space'
        ? { level: r, space: target.id }
        : { level: r, collection: target.id };
  return toLink(await api.createInviteLink(ctx.http, ctx.org, body, signal));
}

export async function updateInviteLink(
  ctx: GitBookContext,
  link: InviteLink,
  role: string,
  signal?: AbortSignal,
): Promise<InviteLink> {
  const r = wireRole(role);
  return toLink(
    await api.updateInviteLink(
      ctx.http,
      ctx.org,
      link.id,
      link.target.kind === 'organization' ? { role: r } : { level: r },
      signal,
    ),
  );
}

export async function deleteInviteLink(
  ctx: GitBookContext,
  link: InviteLink,
  signal?: AbortSignal,
): Promise<RemovalOutcome> {
  return removal(await api.deleteInviteLink(ctx.http, ctx.org, link.id, signal));
}
