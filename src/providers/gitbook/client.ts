import type { HttpClient } from '../../core/http/client';
import {
  InviteLink,
  InviteResult,
  list,
  MemberContentPermission,
  MemberRole,
  MemberTeam,
  NoBody,
  Organization,
  OrganizationMember,
  Team,
  TeamMember,
  User,
} from './schemas';

/**
 * One function per GitBook endpoint. Paths are below the `/v1` base URL; lists take `page` + `limit`.
 * Here the organization's: members, teams, invitations, invite links; content and its permissions
 * are in contentClient.ts.
 */

/** The page size of the lists read a page at a time. */
export const PAGE = 100;
/** The largest page the spec allows (members: `limit` ≤ 1000), for lists read whole. */
export const MAX_LIMIT = 1000;
const enc = encodeURIComponent;

export const getUser = (http: HttpClient, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/user', schema: User, signal });

export const listOrgs = (http: HttpClient, page?: string, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/orgs', query: { page, limit: PAGE }, schema: list(Organization), signal });

export const getOrg = (http: HttpClient, org: string, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: `/orgs/${enc(org)}`, schema: Organization, signal });

export const listMembers = (
  http: HttpClient,
  org: string,
  page?: string,
  search?: string,
  signal?: AbortSignal,
  limit = PAGE,
) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/members`,
    query: { page, limit, search },
    schema: list(OrganizationMember),
    signal,
  });

/** Members holding one organization role (`guest` for guests): the spec's `role` filter. */
export const listMembersWithRole = (
  http: HttpClient,
  org: string,
  role: MemberRole | 'guest',
  page?: string,
  signal?: AbortSignal,
) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/members`,
    query: { page, limit: MAX_LIMIT, role },
    schema: list(OrganizationMember),
    signal,
  });

export const setMemberRole = (
  http: HttpClient,
  org: string,
  userId: string,
  role: MemberRole | null,
  signal?: AbortSignal,
) =>
  http.request({
    method: 'PATCH',
    expect: [200],
    path: `/orgs/${enc(org)}/members/${enc(userId)}`,
    body: { role },
    schema: OrganizationMember,
    signal,
    idempotent: true,
  });

/** 202: request sent to admins · 204: was not a member · 205: removed. */
export const removeMember = (http: HttpClient, org: string, userId: string, signal?: AbortSignal) =>
  http.send({
    method: 'DELETE',
    expect: [202, 204, 205],
    path: `/orgs/${enc(org)}/members/${enc(userId)}`,
    schema: NoBody,
    signal,
  });

/** The spaces one member can reach, at their level from any source. */
export const listMemberSpaces = (http: HttpClient, org: string, userId: string, page?: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/members/${enc(userId)}/spaces`,
    query: { page, limit: PAGE },
    schema: list(MemberContentPermission),
    signal,
  });

/** The teams one member belongs to, with their team role. */
export const listMemberTeams = (http: HttpClient, org: string, userId: string, page?: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/members/${enc(userId)}/teams`,
    query: { page, limit: PAGE },
    schema: list(MemberTeam),
    signal,
  });

export const listTeams = (http: HttpClient, org: string, page?: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/teams`,
    query: { page, limit: PAGE },
    schema: list(Team),
    signal,
  });

/** Team creation is a PUT on the collection. Not idempotent: each call makes a team. */
export const createTeam = (http: HttpClient, org: string, title: string, signal?: AbortSignal) =>
  http.request({
    method: 'PUT',
    expect: [201],
    path: `/orgs/${enc(org)}/teams`,
    body: { title },
    schema: Team,
    signal,
    idempotent: false,
  });

export const renameTeam = (http: HttpClient, org: string, teamId: string, title: string, signal?: AbortSignal) =>
  http.request({
    method: 'PATCH',
    expect: [200],
    path: `/orgs/${enc(org)}/teams/${enc(teamId)}`,
    body: { title },
    schema: Team,
    signal,
    idempotent: true,
  });

export const deleteTeam = (http: HttpClient, org: string, teamId: string, signal?: AbortSignal) =>
  http.send({
    method: 'DELETE',
    expect: [204, 205],
    path: `/orgs/${enc(org)}/teams/${enc(teamId)}`,
    schema: NoBody,
    signal,
  });

export const listTeamMembers = (http: HttpClient, org: string, teamId: string, page?: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/teams/${enc(teamId)}/members`,
    query: { page, limit: PAGE },
    schema: list(TeamMember),
    signal,
  });

/** The bulk membership call: entries may be user ids or emails. */
export const updateTeamMembers = (
  http: HttpClient,
  org: string,
  teamId: string,
  body: { add?: string[]; remove?: string[] },
  signal?: AbortSignal,
) =>
  http.send({
    method: 'PUT',
    expect: [204],
    path: `/orgs/${enc(org)}/teams/${enc(teamId)}/members`,
    body,
    schema: NoBody,
    signal,
  });

export const setTeamRole = (
  http: HttpClient,
  org: string,
  teamId: string,
  userId: string,
  role: 'owner' | 'member',
  signal?: AbortSignal,
) =>
  http.send({
    method: 'PUT',
    expect: [204],
    path: `/orgs/${enc(org)}/teams/${enc(teamId)}/members/${enc(userId)}`,
    body: { role },
    schema: NoBody,
    signal,
  });

export const invite = (
  http: HttpClient,
  org: string,
  emails: readonly string[],
  role: MemberRole | null,
  sso: boolean,
  signal?: AbortSignal,
) =>
  http.request({
    method: 'POST',
    expect: [200],
    path: `/orgs/${enc(org)}/invites`,
    body: { emails, role, sso },
    schema: InviteResult,
    signal,
  });

export const listInviteLinks = (http: HttpClient, org: string, page?: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/link-invites`,
    query: { page, limit: PAGE },
    schema: list(InviteLink),
    signal,
  });

/** `{role}` for the organization, `{level, space}` or `{level, collection}` for one piece of content. Each call makes a link. */
export const createInviteLink = (
  http: HttpClient,
  org: string,
  body:
    | { role: MemberRole | null }
    | { level: MemberRole | null; space: string }
    | { level: MemberRole | null; collection: string },
  signal?: AbortSignal,
) =>
  http.request({
    method: 'POST',
    expect: [201],
    path: `/orgs/${enc(org)}/link-invites`,
    body,
    schema: InviteLink,
    signal,
  });

export const updateInviteLink = (
  http: HttpClient,
  org: string,
  id: string,
  body: { role: MemberRole | null } | { level: MemberRole | null },
  signal?: AbortSignal,
) =>
  http.request({
    method: 'PATCH',
    expect: [200],
    path: `/orgs/${enc(org)}/link-invites/${enc(id)}`,
    body,
    schema: InviteLink,
    signal,
    idempotent: true,
  });

export const deleteInviteLink = (http: HttpClient, org: string, id: string, signal?: AbortSignal) =>
  http.send({
    method: 'DELETE',
    expect: [204, 205],
    path: `/orgs/${enc(org)}/link-invites/${enc(id)}`,
    schema: NoBody,
    signal,
  });
