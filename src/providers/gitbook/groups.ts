import type { Group, Member, Page } from '../../core/model';
import type { WholeList } from '../../core/paging';
import type { GroupMembership, Groups, RemovalOutcome } from '../../core/provider';
import * as api from './client';
import { all, mapWhole, removal, type GitBookContext } from './context';
import { toMember } from './members';
import type { OrganizationMember } from './schemas';

/** A team's member: the organization member, shown with the team role. */
const teamMember = (m: { organization: OrganizationMember; team: { role: 'owner' | 'member' } }): Member => ({
  ...toMember(m.organization),
  roleLabel: m.team.role === 'owner' ? 'Team owner' : 'Team member',
  groupRole: m.team.role,
});

/** Teams: their members (owners and members), made, renamed and deleted; the teams of one member. */
export function groupsCapability(ctx: GitBookContext): Groups {
  return {
    word: 'team',
    label: 'Teams',
    list: (signal) => listGroups(ctx, signal),
    page: (token, signal) => listGroupsPage(ctx, token, signal),
    members: (teamId, token, signal) => listGroupMembersPage(ctx, teamId, token, signal),
    add: (teamId, email, signal) => addToGroup(ctx, teamId, email, signal),
    remove: (teamId, email, signal) => removeFromGroup(ctx, teamId, email, signal),
    create: (name, signal) => createGroup(ctx, name, signal),
    rename: (teamId, name, signal) => renameGroup(ctx, teamId, name, signal),
    delete: (teamId, signal) => deleteGroup(ctx, teamId, signal),
    deleteConsequence:
      'Members stay in the organization but lose what the team was given on spaces, collections and sites.',
    roles: {
      choices: [
        { id: 'owner', label: 'Owner', description: "manages the team's members" },
        { id: 'member', label: 'Member' },
      ],
      of: (member) => member.groupRole ?? 'member',
      set: (teamId, member, role, signal) =>
        setGroupRole(ctx, teamId, member, role === 'owner' ? 'owner' : 'member', signal),
    },
    of: (member, signal) => teamsOf(ctx, member, signal),
  };
}

export async function listGroups(ctx: GitBookContext, signal?: AbortSignal): Promise<WholeList<Group>> {
  return mapWhole(
    await all(ctx.http, 'teams', (page) => api.listTeams(ctx.http, ctx.org, page, signal), signal),
    (t) => ({ id: t.id, name: t.title, memberEmails: [], memberCount: t.members }),
  );
}

export async function listGroupsPage(ctx: GitBookContext, token?: string, signal?: AbortSignal): Promise<Page<Group>> {
  const res = await api.listTeams(ctx.http, ctx.org, token, signal);
  return {
    items: res.items.map((t) => ({ id: t.id, name: t.title, memberEmails: [], memberCount: t.members })),
    next: res.next?.page,
    total: res.count,
  };
}

export async function listGroupMembersPage(
  ctx: GitBookContext,
  teamId: string,
  token?: string,
  signal?: AbortSignal,
): Promise<Page<Member>> {
  const res = await api.listTeamMembers(ctx.http, ctx.org, teamId, token, signal);
  return { items: res.items.map(teamMember), next: res.next?.page, total: res.count };
}

export async function listGroupMembers(ctx: GitBookContext, teamId: string, signal?: AbortSignal): Promise<Member[]> {
  return mapWhole(
    await all(ctx.http, 'team members', (page) => api.listTeamMembers(ctx.http, ctx.org, teamId, page, signal), signal),
    teamMember,
  );
}

/** The teams one member belongs to, with their team role: one paged read. */
export async function teamsOf(ctx: GitBookContext, member: Member, signal?: AbortSignal): Promise<GroupMembership[]> {
  const teams = await all(
    ctx.http,
    'member teams',
    (page) => api.listMemberTeams(ctx.http, ctx.org, member.id, page, signal),
    signal,
  );
  return teams.map((t) => ({ group: { id: t.team.id, name: t.team.title }, role: t.member.role }));
}

/** The bulk membership call takes emails. */
export function addToGroup(ctx: GitBookContext, teamId: string, email: string, signal?: AbortSignal): Promise<unknown> {
  return api.updateTeamMembers(ctx.http, ctx.org, teamId, { add: [email] }, signal);
}

export function removeFromGroup(
  ctx: GitBookContext,
  teamId: string,
  email: string,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.updateTeamMembers(ctx.http, ctx.org, teamId, { remove: [email] }, signal);
}

export async function setGroupRole(
  ctx: GitBookContext,
  teamId: string,
  member: Member,
  role: 'owner' | 'member',
  signal?: AbortSignal,
): Promise<unknown> {
  return api.setTeamRole(ctx.http, ctx.org, teamId, member.id, role, signal);
}

export async function createGroup(ctx: GitBookContext, name: string, signal?: AbortSignal): Promise<Group> {
  const t = await api.createTeam(ctx.http, ctx.org, name, signal);
  return { id: t.id, name: t.title, memberEmails: [], memberCount: t.members };
}

export function renameGroup(ctx: GitBookContext, teamId: string, name: string, signal?: AbortSignal): Promise<unknown> {
  return api.renameTeam(ctx.http, ctx.org, teamId, name, signal);
}

export async function deleteGroup(ctx: GitBookContext, teamId: string, signal?: AbortSignal): Promise<RemovalOutcome> {
  return removal(await api.deleteTeam(ctx.http, ctx.org, teamId, signal));
}
