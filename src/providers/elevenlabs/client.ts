import type { HttpClient } from '../../core/http/client';
import {
  AgentsPage,
  AnalyticsTable,
  ApiKeys,
  DictionariesPage,
  DubbingPage,
  GroupsByName,
  KnowledgeBasePage,
  McpServers,
  PhoneNumbers,
  ResourceMetadata,
  SecretsPage,
  ServiceAccounts,
  Status,
  StudioProjects,
  ToolsPage,
  Untyped,
  User,
  VoicesPage,
  WorkspaceGroups,
  WorkspaceMembers,
  type SeatType,
  type ShareRole,
  type ShareTarget,
  type UsageQuery,
} from './schemas';

/** One function per ElevenLabs endpoint. Members are addressed by email throughout. */

export const getUser = (http: HttpClient, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/v1/user', schema: User, signal });

export const listMembers = (http: HttpClient, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/v1/workspace/members', schema: WorkspaceMembers, signal });

/** Credit usage over time, as a table: a query that changes nothing, so a retry is safe. */
export const queryUsage = (http: HttpClient, body: UsageQuery, signal?: AbortSignal) =>
  http.request({
    method: 'POST',
    expect: [200],
    path: '/v1/workspace/analytics/query/usage-by-product-over-time',
    body,
    schema: AnalyticsTable,
    signal,
    idempotent: true,
  });

/** Seat type, lock or unlock. Setting a state twice is harmless, so a retry is safe. */
export const updateMember = (
  http: HttpClient,
  body: { email: string; workspace_seat_type?: SeatType; is_locked?: boolean },
  signal?: AbortSignal,
) =>
  http.request({
    method: 'POST',
    expect: [200],
    path: '/v1/workspace/members',
    body,
    schema: Status,
    signal,
    idempotent: true,
  });

export const listGroups = (http: HttpClient, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/v1/workspace/groups', schema: WorkspaceGroups, signal });

export const searchGroups = (http: HttpClient, name: string, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/v1/workspace/groups/search', query: { name }, schema: GroupsByName, signal });

export const addGroupMember = (http: HttpClient, groupId: string, email: string, signal?: AbortSignal) =>
  http.request({
    method: 'POST',
    expect: [200],
    path: `/v1/workspace/groups/${encodeURIComponent(groupId)}/members`,
    body: { email },
    schema: Status,
    signal,
    idempotent: true,
  });

export const removeGroupMember = (http: HttpClient, groupId: string, email: string, signal?: AbortSignal) =>
  http.request({
    method: 'POST',
    expect: [200],
    path: `/v1/workspace/groups/${encodeURIComponent(groupId)}/members/remove`,
    body: { email },
    schema: Status,
    signal,
    idempotent: true,
  });

export interface InviteOptions {
  readonly seat_type?: SeatType;
  readonly group_ids?: readonly string[];
}

/** Not idempotent: a retry after the server acted would answer 400 (already invited). */
export const inviteOne = (http: HttpClient, email: string, options: InviteOptions, signal?: AbortSignal) =>
  http.request({
    method: 'POST',
    expect: [200],
    path: '/v1/workspace/invites/add',
    body: { email, ...options },
    schema: Status,
    signal,
  });

/** Every email must be on a verified domain. */
export const inviteBulk = (http: HttpClient, emails: readonly string[], options: InviteOptions, signal?: AbortSignal) =>
  http.request({
    method: 'POST',
    expect: [200],
    path: '/v1/workspace/invites/add-bulk',
    body: { emails, ...options },
    schema: Status,
    signal,
  });

/** DELETE with a JSON body. */
export const revokeInvite = (http: HttpClient, email: string, signal?: AbortSignal) =>
  http.request({
    method: 'DELETE',
    expect: [200],
    path: '/v1/workspace/invites',
    body: { email },
    schema: Status,
    signal,
  });

export const listServiceAccounts = (http: HttpClient, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/v1/service-accounts', schema: ServiceAccounts, signal });

export const listApiKeys = (http: HttpClient, serviceAccountId: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/v1/service-accounts/${encodeURIComponent(serviceAccountId)}/api-keys`,
    schema: ApiKeys,
    signal,
  });

export const getResource = (http: HttpClient, resourceId: string, resourceType: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/v1/workspace/resources/${encodeURIComponent(resourceId)}`,
    query: { resource_type: resourceType },
    schema: ResourceMetadata,
    signal,
  });

/** A share replaces the target's previous role: sending it twice leaves the same state. */
export const share = (
  http: HttpClient,
  resourceId: string,
  body: ShareTarget & { role: ShareRole; resource_type: string },
  signal?: AbortSignal,
) =>
  http.request({
    method: 'POST',
    expect: [200],
    path: `/v1/workspace/resources/${encodeURIComponent(resourceId)}/share`,
    body,
    schema: Untyped,
    signal,
    idempotent: true,
  });

export const unshare = (
  http: HttpClient,
  resourceId: string,
  body: ShareTarget & { resource_type: string },
  signal?: AbortSignal,
) =>
  http.request({
    method: 'POST',
    expect: [200],
    path: `/v1/workspace/resources/${encodeURIComponent(resourceId)}/unshare`,
    body,
    schema: Untyped,
    signal,
    idempotent: true,
  });

export const listVoices = (
  http: HttpClient,
  pageToken: string | undefined,
  pageSize: number,
  signal?: AbortSignal,
  search?: string,
) =>
  http.request({
    method: 'GET',
    path: '/v2/voices',
    query: { page_size: pageSize, next_page_token: pageToken, search },
    schema: VoicesPage,
    signal,
  });

export const listDictionaries = (
  http: HttpClient,
  cursor: string | undefined,
  pageSize: number,
  signal?: AbortSignal,
) =>
  http.request({
    method: 'GET',
    path: '/v1/pronunciation-dictionaries',
    query: { page_size: pageSize, cursor },
    schema: DictionariesPage,
    signal,
  });

export const listDubs = (http: HttpClient, cursor: string | undefined, pageSize: number, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: '/v1/dubbing',
    query: { page_size: pageSize, cursor },
    schema: DubbingPage,
    signal,
  });

export const listStudioProjects = (http: HttpClient, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/v1/studio/projects', schema: StudioProjects, signal });

export const listAgents = (
  http: HttpClient,
  cursor: string | undefined,
  pageSize: number,
  signal?: AbortSignal,
  search?: string,
) =>
  http.request({
    method: 'GET',
    path: '/v1/convai/agents',
    query: { page_size: pageSize, cursor, search },
    schema: AgentsPage,
    signal,
  });

export const listKnowledgeBase = (
  http: HttpClient,
  cursor: string | undefined,
  pageSize: number,
  signal?: AbortSignal,
  search?: string,
) =>
  http.request({
    method: 'GET',
    path: '/v1/convai/knowledge-base',
    query: { page_size: pageSize, cursor, search },
    schema: KnowledgeBasePage,
    signal,
  });

export const listTools = (
  http: HttpClient,
  cursor: string | undefined,
  pageSize: number,
  signal?: AbortSignal,
  search?: string,
) =>
  http.request({
    method: 'GET',
    path: '/v1/convai/tools',
    query: { page_size: pageSize, cursor, search },
    schema: ToolsPage,
    signal,
  });

export const listPhoneNumbers = (http: HttpClient, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/v1/convai/phone-numbers', schema: PhoneNumbers, signal });

export const listMcpServers = (http: HttpClient, signal?: AbortSignal) =>
  http.request({ method: 'GET', path: '/v1/convai/mcp-servers', schema: McpServers, signal });

export const listSecrets = (
  http: HttpClient,
  cursor: string | undefined,
  pageSize: number,
  signal?: AbortSignal,
  search?: string,
) =>
  http.request({
    method: 'GET',
    path: '/v1/convai/secrets',
    query: { page_size: pageSize, cursor, search },
    schema: SecretsPage,
    signal,
  });
