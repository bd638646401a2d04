import type * as z from 'zod';
import type { HttpClient } from '../../core/http/client';
import type { RequestOptions } from '../../core/http/request';
import {
  DeletedData,
  envelope,
  InvitationData,
  InvitationsData,
  MemberData,
  MembersData,
  OrganizationData,
  ProjectInvitationData,
  ProjectInvitationsData,
  ProjectMemberData,
  ProjectMembersData,
  ProjectsData,
  refused,
  RemovedData,
  RolesData,
} from './schemas';

/**
 * One function per Confident AI endpoint; each unwraps the `{success, data}` envelope, and a 200 with
 * `success: false` fails with the platform's message. No org id in paths: the key implies it.
 */

export const PAGE_SIZE = 100;
const enc = encodeURIComponent;

/** A request without its schema, each method's own shape kept (`Omit` alone would merge them). */
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Call = Without<RequestOptions<unknown>, 'schema' | 'refused'>;

/** Sends one call and returns the answer's `data`; a refusal (`success: false`) is thrown by the client. */
async function call<T extends z.ZodType>(http: HttpClient, req: Call, data: T): Promise<z.infer<T>> {
  const schema = envelope(data);
  const body = await http.request<z.infer<typeof schema>>({ ...req, schema, refused });
  // The client threw on a refusal, so `data` is there: zod cannot tell that for a generic T.
  return (body as { data: z.infer<T> }).data;
}

const get = <T extends z.ZodType>(
  http: HttpClient,
  path: string,
  data: T,
  signal?: AbortSignal,
  query?: Record<string, number>,
) => call(http, { method: 'GET', path, query, signal }, data);

/** Absent when the answer leaves it out (the spec allows it). */
export const getOrganization = async (http: HttpClient, signal?: AbortSignal) =>
  (await get(http, '/v1/organization', OrganizationData, signal)).organization;

export const listRoles = async (http: HttpClient, signal?: AbortSignal) =>
  (await get(http, '/v1/organization/roles', RolesData, signal)).roles ?? [];
export const listProjectRoles = async (http: HttpClient, projectId: string, signal?: AbortSignal) =>
  (await get(http, `/v1/projects/${enc(projectId)}/roles`, RolesData, signal)).roles ?? [];

/** Page numbers from 1; `total`, when the answer has it, says how many there are. */
export const listMembers = async (http: HttpClient, page: number, signal?: AbortSignal) => {
  const data = await get(http, '/v1/organization/members', MembersData, signal, { page, pageSize: PAGE_SIZE });
  return { members: data.members ?? [], total: data.total };
};
export const listProjectMembers = async (http: HttpClient, projectId: string, page: number, signal?: AbortSignal) => {
  const data = await get(http, `/v1/projects/${enc(projectId)}/members`, ProjectMembersData, signal, {
    page,
    pageSize: PAGE_SIZE,
  });
  return { members: data.members ?? [], total: data.total };
};

/** Giving Owner transfers ownership: the current Owner becomes Admin (Manager in a project). */
export const setMemberRole = (http: HttpClient, userId: string, roleId: string, signal?: AbortSignal) =>
  call(
    http,
    { method: 'PUT', expect: [200], path: `/v1/organization/members/${enc(userId)}`, body: { roleId }, signal },
    MemberData,
  );
export const setProjectMemberRole = (
  http: HttpClient,
  projectId: string,
  userId: string,
  roleId: string,
  signal?: AbortSignal,
) =>
  call(
    http,
    {
      method: 'PUT',
      expect: [200],
      path: `/v1/projects/${enc(projectId)}/members/${enc(userId)}`,
      body: { roleId },
      signal,
    },
    ProjectMemberData,
  );

/** Removing an organization member also removes them from every project. */
export const removeMember = (http: HttpClient, userId: string, signal?: AbortSignal) =>
  call(http, { method: 'DELETE', expect: [200], path: `/v1/organization/members/${enc(userId)}`, signal }, RemovedData);
export const removeProjectMember = (http: HttpClient, projectId: string, userId: string, signal?: AbortSignal) =>
  call(
    http,
    { method: 'DELETE', expect: [200], path: `/v1/projects/${enc(projectId)}/members/${enc(userId)}`, signal },
    RemovedData,
  );

export const listInvitations = async (http: HttpClient, signal?: AbortSignal) =>
  (await get(http, '/v1/organization/invitations', InvitationsData, signal)).invitations ?? [];
export const listProjectInvitations = async (http: HttpClient, projectId: string, signal?: AbortSignal) =>
  (await get(http, `/v1/projects/${enc(projectId)}/invitations`, ProjectInvitationsData, signal)).invitations ?? [];

/**
 * Existing members and pending invitees are skipped without an error. Not idempotent: each call sends
 * emails. The invitations made, or undefined when the answer does not list them (the spec allows it).
 */
export const invite = async (
  http: HttpClient,
  emails: readonly string[],
  roleId: string | undefined,
  signal?: AbortSignal,
) =>
  (
    await call(
      http,
      {
        method: 'POST',
        expect: [200],
        path: '/v1/organization/invitations',
        body: { emails, ...(roleId ? { organizationRoleId: roleId } : {}) },
        signal,
      },
      InvitationsData,
    )
  ).invitations;
export const inviteToProject = async (
  http: HttpClient,
  projectId: string,
  emails: readonly string[],
  roleId: string | undefined,
  signal?: AbortSignal,
) =>
  (
    await call(
      http,
      {
        method: 'POST',
        expect: [200],
        path: `/v1/projects/${enc(projectId)}/invitations`,
        body: { emails, ...(roleId ? { projectRoleId: roleId } : {}) },
        signal,
      },
      ProjectInvitationsData,
    )
  ).invitations;

/** Resend is a PUT with no body; it sends the email again, so it is not retried blindly. */
export const resendInvitation = (http: HttpClient, id: number, signal?: AbortSignal) =>
  call(
    http,
    { method: 'PUT', expect: [200], path: `/v1/organization/invitations/${id}`, signal, idempotent: false },
    InvitationData,
  );
export const resendProjectInvitation = (http: HttpClient, projectId: string, id: number, signal?: AbortSignal) =>
  call(
    http,
    {
      method: 'PUT',
      expect: [200],
      path: `/v1/projects/${enc(projectId)}/invitations/${id}`,
      signal,
      idempotent: false,
    },
    ProjectInvitationData,
  );

export const revokeInvitation = (http: HttpClient, id: number, signal?: AbortSignal) =>
  call(http, { method: 'DELETE', expect: [200], path: `/v1/organization/invitations/${id}`, signal }, DeletedData);
export const revokeProjectInvitation = (http: HttpClient, projectId: string, id: number, signal?: AbortSignal) =>
  call(
    http,
    { method: 'DELETE', expect: [200], path: `/v1/projects/${enc(projectId)}/invitations/${id}`, signal },
    DeletedData,
  );

export const listProjects = async (http: HttpClient, signal?: AbortSignal) =>
  (await get(http, '/v1/projects', ProjectsData, signal)).projects ?? [];
