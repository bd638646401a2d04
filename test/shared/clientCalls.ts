/**
 * Every endpoint function of the three clients, called once against a recorder instead of a server:
 * what each sends (method, path, the statuses it accepts) and the zod schema it reads the answer
 * with. A test maps each to the spec operation it calls; one left out of the table fails that test.
 */
import type { HttpClient } from '../../src/core/http/client';
import type { RequestOptions } from '../../src/core/http/request';
import type { PlatformId } from '../../src/providers';
import * as confident from '../../src/providers/confident/client';
import * as elevenlabs from '../../src/providers/elevenlabs/client';
import * as gitbook from '../../src/providers/gitbook/client';
import * as gitbookContent from '../../src/providers/gitbook/contentClient';

export interface RecordedCall {
  /** The client function, with a note where it was called more than once (`listUserPermissions site`). */
  readonly name: string;
  readonly req: RequestOptions<unknown>;
}

const STOP = new Error('recorded, not sent');
const KINDS = ['space', 'collection', 'site'] as const;
type Call = (http: HttpClient) => Promise<unknown>;

/** Each entry: the function's name and how to call it (some more than once, for each path they take). */
const CALLS: Record<PlatformId, Record<string, Call | Call[]>> = {
  confident: {
    getOrganization: (h) => confident.getOrganization(h),
    listRoles: (h) => confident.listRoles(h),
    listProjectRoles: (h) => confident.listProjectRoles(h, 'p1'),
    listMembers: (h) => confident.listMembers(h, 1),
    listProjectMembers: (h) => confident.listProjectMembers(h, 'p1', 1),
    setMemberRole: (h) => confident.setMemberRole(h, 'u1', 'r1'),
    setProjectMemberRole: (h) => confident.setProjectMemberRole(h, 'p1', 'u1', 'r1'),
    removeMember: (h) => confident.removeMember(h, 'u1'),
    removeProjectMember: (h) => confident.removeProjectMember(h, 'p1', 'u1'),
    listInvitations: (h) => confident.listInvitations(h),
    listProjectInvitations: (h) => confident.listProjectInvitations(h, 'p1'),
    invite: (h) => confident.invite(h, ['a@example.com'], undefined),
    inviteToProject: (h) => confident.inviteToProject(h, 'p1', ['a@example.com'], undefined),
    resendInvitation: (h) => confident.resendInvitation(h, 7),
    resendProjectInvitation: (h) => confident.resendProjectInvitation(h, 'p1', 7),
    revokeInvitation: (h) => confident.revokeInvitation(h, 7),
    revokeProjectInvitation: (h) => confident.revokeProjectInvitation(h, 'p1', 7),
    listProjects: (h) => confident.listProjects(h),
  },
  elevenlabs: {
    getUser: (h) => elevenlabs.getUser(h),
    listMembers: (h) => elevenlabs.listMembers(h),
    updateMember: (h) => elevenlabs.updateMember(h, { email: 'a@example.com', is_locked: true }),
    queryUsage: (h) =>
      elevenlabs.queryUsage(h, {
        start_time: 1_767_225_600_000,
        end_time: 1_767_312_000_000,
        interval_seconds: 86_400,
        group_by: ['user_id'],
        time_zone: 'UTC',
      }),
    listGroups: (h) => elevenlabs.listGroups(h),
    searchGroups: (h) => elevenlabs.searchGroups(h, 'g'),
    addGroupMember: (h) => elevenlabs.addGroupMember(h, 'g1', 'a@example.com'),
    removeGroupMember: (h) => elevenlabs.removeGroupMember(h, 'g1', 'a@example.com'),
    inviteOne: (h) => elevenlabs.inviteOne(h, 'a@example.com', {}),
    inviteBulk: (h) => elevenlabs.inviteBulk(h, ['a@example.com'], {}),
    revokeInvite: (h) => elevenlabs.revokeInvite(h, 'a@example.com'),
    listServiceAccounts: (h) => elevenlabs.listServiceAccounts(h),
    listApiKeys: (h) => elevenlabs.listApiKeys(h, 'sa1'),
    getResource: (h) => elevenlabs.getResource(h, 'r1', 'voice'),
    share: (h) => elevenlabs.share(h, 'r1', { user_email: 'a@example.com', role: 'viewer', resource_type: 'voice' }),
    unshare: (h) => elevenlabs.unshare(h, 'r1', { user_email: 'a@example.com', resource_type: 'voice' }),
    listVoices: (h) => elevenlabs.listVoices(h, undefined, 10),
    listDictionaries: (h) => elevenlabs.listDictionaries(h, undefined, 10),
    listDubs: (h) => elevenlabs.listDubs(h, undefined, 10),
    listStudioProjects: (h) => elevenlabs.listStudioProjects(h),
    listAgents: (h) => elevenlabs.listAgents(h, undefined, 10),
    listKnowledgeBase: (h) => elevenlabs.listKnowledgeBase(h, undefined, 10),
    listTools: (h) => elevenlabs.listTools(h, undefined, 10),
    listPhoneNumbers: (h) => elevenlabs.listPhoneNumbers(h),
    listMcpServers: (h) => elevenlabs.listMcpServers(h),
    listSecrets: (h) => elevenlabs.listSecrets(h, undefined, 10),
  },
  gitbook: {
    getUser: (h) => gitbook.getUser(h),
    listOrgs: (h) => gitbook.listOrgs(h),
    getOrg: (h) => gitbook.getOrg(h, 'o1'),
    listMembers: (h) => gitbook.listMembers(h, 'o1'),
    listMembersWithRole: (h) => gitbook.listMembersWithRole(h, 'o1', 'guest'),
    setMemberRole: (h) => gitbook.setMemberRole(h, 'o1', 'u1', 'read'),
    removeMember: (h) => gitbook.removeMember(h, 'o1', 'u1'),
    listMemberSpaces: (h) => gitbook.listMemberSpaces(h, 'o1', 'u1'),
    listMemberTeams: (h) => gitbook.listMemberTeams(h, 'o1', 'u1'),
    listTeams: (h) => gitbook.listTeams(h, 'o1'),
    createTeam: (h) => gitbook.createTeam(h, 'o1', 'T'),
    renameTeam: (h) => gitbook.renameTeam(h, 'o1', 't1', 'T'),
    deleteTeam: (h) => gitbook.deleteTeam(h, 'o1', 't1'),
    listTeamMembers: (h) => gitbook.listTeamMembers(h, 'o1', 't1'),
    updateTeamMembers: (h) => gitbook.updateTeamMembers(h, 'o1', 't1', { add: ['u1'] }),
    setTeamRole: (h) => gitbook.setTeamRole(h, 'o1', 't1', 'u1', 'owner'),
    invite: (h) => gitbook.invite(h, 'o1', ['a@example.com'], 'read', false),
    listInviteLinks: (h) => gitbook.listInviteLinks(h, 'o1'),
    createInviteLink: (h) => gitbook.createInviteLink(h, 'o1', { role: 'read' }),
    updateInviteLink: (h) => gitbook.updateInviteLink(h, 'o1', 'l1', { role: 'read' }),
    deleteInviteLink: (h) => gitbook.deleteInviteLink(h, 'o1', 'l1'),
    listSpaces: (h) => gitbookContent.listSpaces(h, 'o1'),
    listCollections: (h) => gitbookContent.listCollections(h, 'o1'),
    listSites: (h) => gitbookContent.listSites(h, 'o1'),
    ...perContentKind({
      listUserPermissions: (h, kind) => gitbookContent.listUserPermissions(h, 'o1', kind, 'c1'),
      listTeamPermissions: (h, kind) => gitbookContent.listTeamPermissions(h, 'o1', kind, 'c1'),
      grant: (h, kind) => gitbookContent.grant(h, 'o1', kind, 'c1', { role: 'read', users: ['u1'] }),
      changePermission: (h, kind) => [
        gitbookContent.changePermission(h, 'o1', kind, 'c1', 'users', 'u1', 'read'),
        gitbookContent.changePermission(h, 'o1', kind, 'c1', 'teams', 't1', 'read'),
      ],
      revokePermission: (h, kind) => [
        gitbookContent.revokePermission(h, 'o1', kind, 'c1', 'users', 'u1'),
        gitbookContent.revokePermission(h, 'o1', kind, 'c1', 'teams', 't1'),
      ],
      listEffectivePermissions: (h, kind) => gitbookContent.listEffectivePermissions(h, 'o1', kind, 'c1'),
    }),
  },
};

/** One call per kind of content (their paths differ); a call may send several requests. */
function perContentKind(
  calls: Record<string, (h: HttpClient, kind: gitbookContent.ContentKind) => Promise<unknown> | Promise<unknown>[]>,
): Record<string, Call[]> {
  return Object.fromEntries(
    Object.entries(calls).map(([name, call]) => [
      name,
      KINDS.map((kind) => (h: HttpClient) => Promise.allSettled([call(h, kind)].flat())),
    ]),
  );
}

/** The functions a client module exports (constants and types are not endpoints). */
export function exportedFunctions(platform: PlatformId): string[] {
  const modules =
    platform === 'gitbook' ? [gitbook, gitbookContent] : [platform === 'confident' ? confident : elevenlabs];
  return modules
    .flatMap((m) =>
      Object.entries(m)
        .filter(([, v]) => typeof v === 'function')
        .map(([k]) => k),
    )
    .sort();
}

/** The functions the table calls. */
export const calledFunctions = (platform: PlatformId): string[] => Object.keys(CALLS[platform]).sort();

/** Runs every call of the table against a recorder: each request it would send, once. */
export async function recordCalls(platform: PlatformId): Promise<RecordedCall[]> {
  const recorded: RecordedCall[] = [];
  for (const [name, entry] of Object.entries(CALLS[platform])) {
    for (const call of Array.isArray(entry) ? entry : [entry]) {
      const seen: RequestOptions<unknown>[] = [];
      const record = (req: RequestOptions<unknown>) => {
        seen.push(req);
        return Promise.reject(STOP);
      };
      const http = { request: record, send: record, log: silent, platform } as unknown as HttpClient;
      await call(http).catch((err: unknown) => {
        if (err !== STOP) throw err;
      });
      for (const req of seen)
        if (!recorded.some((r) => r.req.method === req.method && r.req.path === req.path && r.name === name))
          recorded.push({ name, req });
    }
  }
  return recorded;
}

const nothing = () => undefined;
const silent = { trace: nothing, debug: nothing, info: nothing, warn: nothing, error: nothing };
