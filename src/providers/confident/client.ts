import * as z from 'zod';
import type { HttpClient } from '../../core/http/client';
import { envelope, Invitation, Member, Organization, Project, ProjectInvitation, ProjectMember, Role } from './schemas';

/** One function per Confident AI endpoint; each unwraps the `{success, data}` envelope. No org id in paths: the key implies it. */

export const PAGE_SIZE = 100;
const enc = encodeURIComponent;
async function get<T extends z.ZodType>(
  http: HttpClient,
  path: string,
  data: T,
  signal?: AbortSignal,
  query?: Record<string, number>,
): Promise<z.infer<T>> {
  // zod cannot tell, for a generic T, that `data` is always present: say it here once.
  const body = (await http.request({ method: 'GET', path, query, schema: envelope(data), signal })) as {
    data: z.infer<T>;
  };
  return body.data;
}

export const getOrganization = async (http: HttpClient, signal?: AbortSignal) =>
  (await get(http, '/v1/organization', z.object({ organization: Organization }), signal)).organization;

export const listRoles = async (http: HttpClient, signal?: AbortSignal) =>
  (await get(http, '/v1/organization/roles', z.object({ roles: z.array(Role) }), signal)).roles;
export const listProjectRoles = async (http: HttpClient, projectId: string, signal?: AbortSignal) =>
  (await get(http, `/v1/projects/${enc(projectId)}/roles`, z.object({ roles: z.array(Role) }), signal)).roles;

/** Page numbers from 1; `total` says how many there are. */
export const listMembers = (http: HttpClient, page: number, signal?: AbortSignal) =>
  get(http, '/v1/organization/members', z.object({ members: z.array(Member), total: z.number() }), signal, {
    page,
    pageSize: PAGE_SIZE,
  });
export const listProjectMembers = (http: HttpClient, projectId: string, page: number, signal?: AbortSignal) =>
  get(
    http,
    `/v1/projects/${enc(projectId)}/members`,
    z.object({ members: z.array(ProjectMember), total: z.number() }),
    signal,
    { page, pageSize: PAGE_SIZE },
  );

/** Giving Owner transfers ownership: the current Owner becomes Admin (Manager in a project). */
export const setMemberRole = (http: HttpClient, userId: string, roleId: string, signal?: AbortSignal) =>
  http.request({
    method: 'PUT',
    expect: [200],
    path: `/v1/organization/members/${enc(userId)}`,
    body: { roleId },
    schema: envelope(z.object({ member: Member })),
    signal,
  });
export const setProjectMemberRole = (
  http: HttpClient,
  projectId: string,
  userId: string,
  roleId: string,
  signal?: AbortSignal,
) =>
  http.request({
    method: 'PUT',
    expect: [200],
    path: `/v1/projects/${enc(projectId)}/members/${enc(userId)}`,
    body: { roleId },
    schema: envelope(z.object({ member: ProjectMember })),
    signal,
  });

/** Removing an organization member also removes them from every project. */
export const removeMember = (http: HttpClient, userId: string, signal?: AbortSignal) =>
  http.request({
    method: 'DELETE',
    expect: [200],
    path: `/v1/organization/members/${enc(userId)}`,
    schema: envelope(z.object({ id: z.string(), removed: z.boolean() })),
    signal,
  });
export const removeProjectMember = (http: HttpClient, projectId: string, userId: string, signal?: AbortSignal) =>
  http.request({
    method: 'DELETE',
    expect: [200],
    path: `/v1/projects/${enc(projectId)}/members/${enc(userId)}`,
    schema: envelope(z.object({ id: z.string(), removed: z.boolean() })),
    signal,
  });

export const listInvitations = async (http: HttpClient, signal?: AbortSignal) =>
  (await get(http, '/v1/organization/invitations', z.object({ invitations: z.array(Invitation) }), signal)).invitations;
export const listProjectInvitations = async (http: HttpClient, projectId: string, signal?: AbortSignal) =>
  (
    await get(
      http,
      `/v1/projects/${enc(projectId)}/invitations`,
      z.object({ invitations: z.array(ProjectInvitation) }),
      signal,
    )
  ).invitations;

/** Existing members and pending invitees are skipped without an error. Not idempotent: each call sends emails. */
export const invite = async (
  http: HttpClient,
  emails: readonly string[],
  roleId: string | undefined,
  signal?: AbortSignal,
) =>
  (
    await http.request({
      method: 'POST',
      expect: [200],
      path: '/v1/organization/invitations',
      body: { emails, ...(roleId ? { organizationRoleId: roleId } : {}) },
      schema: envelope(z.object({ invitations: z.array(Invitation) })),
      signal,
    })
  ).data.invitations;
export const inviteToProject = async (
  http: HttpClient,
  projectId: string,
  emails: readonly string[],
  roleId: string | undefined,
  signal?: AbortSignal,
) =>
  (
    await http.request({
      method: 'POST',
      expect: [200],
      path: `/v1/projects/${enc(projectId)}/invitations`,
      body: { emails, ...(roleId ? { projectRoleId: roleId } : {}) },
      schema: envelope(z.object({ invitations: z.array(ProjectInvitation) })),
      signal,
    })
  ).data.invitations;

/** Resend is a PUT with no body; it sends the email again, so it is not retried blindly. */
export const resendInvitation = (http: HttpClient, id: number, signal?: AbortSignal) =>
  http.request({
    method: 'PUT',
    expect: [200],
    path: `/v1/organization/invitations/${id}`,
    schema: envelope(z.object({ invitation: Invitation })),
    signal,
    idempotent: false,
  });
export const resendProjectInvitation = (http: HttpClient, projectId: string, id: number, signal?: AbortSignal) =>
  http.request({
    method: 'PUT',
    expect: [200],
    path: `/v1/projects/${enc(projectId)}/invitations/${id}`,
    schema: envelope(z.object({ invitation: ProjectInvitation })),
    signal,
    idempotent: false,
  });

export const revokeInvitation = (http: HttpClient, id: number, signal?: AbortSignal) =>
  http.request({
    method: 'DELETE',
    expect: [200],
    path: `/v1/organization/invitations/${id}`,
    schema: envelope(z.object({ id: z.number(), deleted: z.boolean() })),
    signal,
  });
export const revokeProjectInvitation = (http: HttpClient, projectId: string, id: number, signal?: AbortSignal) =>
  http.request({
    method: 'DELETE',
    expect: [200],
    path: `/v1/projects/${enc(projectId)}/invitations/${id}`,
    schema: envelope(z.object({ id: z.number(), deleted: z.boolean() })),
    signal,
  });

export const listProjects = async (http: HttpClient, signal?: AbortSignal) =>
  (await get(http, '/v1/projects', z.object({ projects: z.array(Project) }), signal)).projects;
