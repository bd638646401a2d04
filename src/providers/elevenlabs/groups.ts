import type { Group, Member, Page } from '../../core/model';
import { slicePages } from '../../core/paging';
import type { Groups } from '../../core/provider';
import * as api from './client';
import type { ElevenLabsContext } from './context';
import { listMembers } from './members';

/** Groups, read whole with their member emails (pages are cut from them), searched by name; adding and removing members. */
export function groupsCapability(ctx: ElevenLabsContext): Groups {
  return {
    word: 'group',
    label: 'Groups',
    list: (signal) => listGroups(ctx, signal),
    page: slicePages((signal) => listGroups(ctx, signal)),
    search: (name, signal) => searchGroups(ctx, name, signal),
    members: (groupId, token, signal) => groupMembersPage(ctx, groupId, token, signal),
    add: (groupId, email, signal) => addToGroup(ctx, groupId, email, signal),
    remove: (groupId, email, signal) => removeFromGroup(ctx, groupId, email, signal),
  };
}

/** One page of a group's members, cut from its email list (the last read of the groups, when there is one). */
function groupMembersPage(
  ctx: ElevenLabsContext,
  groupId: string,
  token?: string,
  signal?: AbortSignal,
): Promise<Page<Member>> {
  let pages = ctx.groupPages.get(groupId);
  if (!pages) {
    pages = slicePages(async (s) => {
      const [groups, members] = await Promise.all([
        ctx.groupsRead?.then((g) => g ?? listGroups(ctx, s)) ?? listGroups(ctx, s),
        listMembers(ctx, s),
      ]);
      const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]));
      return (groups.find((g) => g.id === groupId)?.memberEmails ?? []).map(
        (email) => byEmail.get(email.toLowerCase()) ?? { id: email, email, name: email },
      );
    });
    ctx.groupPages.set(groupId, pages);
  }
  return pages(token, signal);
}

/** Every group with its member emails; the last read is kept for the groups' member pages. */
export function listGroups(ctx: ElevenLabsContext, signal?: AbortSignal): Promise<Group[]> {
  const read = (async () => {
    const groups = Object.values(await api.listGroups(ctx.http, signal));
    return groups.map((g) => ({
      id: g.id,
      name: g.name,
      memberEmails: g.members,
      system: g.name === 'Everyone' || g.is_scim_synced === true,
    }));
  })();
  ctx.groupsRead = read.catch(() => undefined);
  return read;
}

/** Server-side search by group name. */
export async function searchGroups(ctx: ElevenLabsContext, name: string, signal?: AbortSignal): Promise<Group[]> {
  return (await api.searchGroups(ctx.http, name, signal)).map((g) => ({
    id: g.id,
    name: g.name,
    memberEmails: g.members_emails,
  }));
}

export function addToGroup(
  ctx: ElevenLabsContext,
  groupId: string,
  email: string,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.addGroupMember(ctx.http, groupId, email, signal);
}

export function removeFromGroup(
  ctx: ElevenLabsContext,
  groupId: string,
  email: string,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.removeGroupMember(ctx.http, groupId, email, signal);
}
