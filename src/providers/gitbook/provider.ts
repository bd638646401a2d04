import type { HttpClient } from '../../core/http/client';
import type {
  Access,
  EffectiveAccess,
  Grant,
  Group,
  InviteLink,
  Member,
  Page,
  Principal,
  Resource,
} from '../../core/model';
import type { WholeList } from '../../core/paging';
import type {
  GroupMembership,
  Groups,
  Identity,
  InviteLinks,
  InviteOptions,
  InviteReport,
  Invitations,
  KnownAccount,
  Members,
  Provider,
  Reached,
  RemovalOutcome,
  Sharing,
  Tenant,
} from '../../core/provider';
import * as api from './client';
import { all, GitBookContext, mapWhole } from './context';
import * as grants from './grants';
import * as groups from './groups';
import * as invitations from './invitations';
import * as links from './links';
import * as members from './members';
import { GITBOOK_ROLES, MEMBER_ROLES } from './roles';
import * as sharing from './sharing';

/**
 * GitBook: the organization a connection picked, its members, teams, invitations, invite links and
 * content. Each capability group is made in its own module; the methods below are the same
 * operations, for callers that hold a GitBookProvider.
 */
export class GitBookProvider implements Provider {
  readonly platform = 'gitbook';
  readonly roles = GITBOOK_ROLES;
  readonly removalConsequence = members.REMOVAL_CONSEQUENCE;
  readonly inviteOptions = invitations.INVITE_OPTIONS;
  readonly memberRoles = MEMBER_ROLES;
  readonly resourceTypes = sharing.CONTENT_TYPES;
  readonly members: Members;
  readonly groups: Groups;
  readonly invitations: Invitations;
  readonly inviteLinks: InviteLinks;
  readonly sharing: Sharing;
  private readonly ctx: GitBookContext;

  constructor(
    http: HttpClient,
    orgId?: string,
    /** Who the key acted as when it was stored: then the identity is the organization read alone. */
    private readonly account?: KnownAccount,
  ) {
    this.ctx = new GitBookContext(http, orgId);
    this.members = members.membersCapability(this.ctx);
    this.groups = groups.groupsCapability(this.ctx);
    this.invitations = invitations.invitationsCapability(this.ctx);
    this.inviteLinks = links.inviteLinksCapability(this.ctx);
    this.sharing = sharing.sharingCapability(this.ctx);
  }

  /** Nothing is cached between calls. */
  invalidate(): void {}

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    const { http, orgId } = this.ctx;
    if (orgId && this.account) {
      // One request: the organization says whether the key may administer it (and a refused key fails here).
      const org = await api.getOrg(http, orgId, signal);
      return {
        name: this.account.name,
        email: this.account.email,
        detail: `${org.title}${org.permissions.admin ? ' · admin' : ''}`,
        isAdmin: org.permissions.admin,
      };
    }
    // Both at once: the connection's first level waits one round trip, not two.
    const [user, org] = await Promise.all([
      api.getUser(http, signal),
      orgId ? api.getOrg(http, orgId, signal) : undefined,
    ]);
    if (!org) return { name: user.displayName, email: user.email, userId: user.id, detail: user.email, isAdmin: false };
    return {
      name: user.displayName,
      email: user.email,
      userId: user.id,
      detail: `${org.title}${org.permissions.admin ? ' · admin' : ''}`,
      isAdmin: org.permissions.admin,
    };
  }

  async listTenants(signal?: AbortSignal): Promise<Tenant[]> {
    const { http } = this.ctx;
    return mapWhole(await all(http, 'organizations', (page) => api.listOrgs(http, page, signal), signal), (o) => ({
      id: o.id,
      name: o.title,
    }));
  }

  // Members (members.ts) and invitations (invitations.ts).

  listMembersPage(token?: string, signal?: AbortSignal): Promise<Page<Member>> {
    return members.listMembersPage(this.ctx, token, signal);
  }

  searchMembers(text: string, signal?: AbortSignal): Promise<Member[]> {
    return members.searchMembers(this.ctx, text, signal);
  }

  listMembers(signal?: AbortSignal): Promise<WholeList<Member>> {
    return members.listMembers(this.ctx, signal);
  }

  setMemberRole(member: Member, role: string, signal?: AbortSignal): Promise<unknown> {
    return members.setMemberRole(this.ctx, member, role, signal);
  }

  removeMember(member: Member, signal?: AbortSignal): Promise<RemovalOutcome> {
    return members.removeMember(this.ctx, member, signal);
  }

  inviteMembers(emails: readonly string[], options: InviteOptions, signal?: AbortSignal): Promise<InviteReport> {
    return invitations.inviteMembers(this.ctx, emails, options, signal);
  }

  // Teams (groups.ts).

  listGroups(signal?: AbortSignal): Promise<WholeList<Group>> {
    return groups.listGroups(this.ctx, signal);
  }

  listGroupsPage(token?: string, signal?: AbortSignal): Promise<Page<Group>> {
    return groups.listGroupsPage(this.ctx, token, signal);
  }

  listGroupMembersPage(teamId: string, token?: string, signal?: AbortSignal): Promise<Page<Member>> {
    return groups.listGroupMembersPage(this.ctx, teamId, token, signal);
  }

  listGroupMembers(teamId: string, signal?: AbortSignal): Promise<Member[]> {
    return groups.listGroupMembers(this.ctx, teamId, signal);
  }

  teamsOf(member: Member, signal?: AbortSignal): Promise<GroupMembership[]> {
    return groups.teamsOf(this.ctx, member, signal);
  }

  addToGroup(teamId: string, email: string, signal?: AbortSignal): Promise<unknown> {
    return groups.addToGroup(this.ctx, teamId, email, signal);
  }

  removeFromGroup(teamId: string, email: string, signal?: AbortSignal): Promise<unknown> {
    return groups.removeFromGroup(this.ctx, teamId, email, signal);
  }

  setGroupRole(teamId: string, member: Member, role: 'owner' | 'member', signal?: AbortSignal): Promise<unknown> {
    return groups.setGroupRole(this.ctx, teamId, member, role, signal);
  }

  createGroup(name: string, signal?: AbortSignal): Promise<Group> {
    return groups.createGroup(this.ctx, name, signal);
  }

  renameGroup(teamId: string, name: string, signal?: AbortSignal): Promise<unknown> {
    return groups.renameGroup(this.ctx, teamId, name, signal);
  }

  deleteGroup(teamId: string, signal?: AbortSignal): Promise<RemovalOutcome> {
    return groups.deleteGroup(this.ctx, teamId, signal);
  }

  // Invite links (links.ts).

  listInviteLinks(signal?: AbortSignal): Promise<InviteLink[]> {
    return links.listInviteLinks(this.ctx, signal);
  }

  createInviteLink(target: InviteLink['target'], role: string, signal?: AbortSignal): Promise<InviteLink> {
    return links.createInviteLink(this.ctx, target, role, signal);
  }

  updateInviteLink(link: InviteLink, role: string, signal?: AbortSignal): Promise<InviteLink> {
    return links.updateInviteLink(this.ctx, link, role, signal);
  }

  deleteInviteLink(link: InviteLink, signal?: AbortSignal): Promise<RemovalOutcome> {
    return links.deleteInviteLink(this.ctx, link, signal);
  }

  // Content (sharing.ts; who holds a role on it: grants.ts).

  listResources(typeId: string, token?: string, signal?: AbortSignal): Promise<Page<Resource>> {
    return sharing.listResources(this.ctx, typeId, token, signal);
  }

  listGrantsPage(
    resource: Pick<Resource, 'id' | 'type'>,
    list: string,
    token?: string,
    signal?: AbortSignal,
  ): Promise<Page<Grant>> {
    return grants.listGrantsPage(this.ctx, resource, list, token, signal);
  }

  fixedGrants(resource: Resource): Grant[] {
    return grants.fixedGrants(resource);
  }

  access(resource: Pick<Resource, 'id' | 'type'> & { baseline?: string }, signal?: AbortSignal): Promise<Access> {
    return grants.access(this.ctx, resource, signal);
  }

  effectiveAccess(
    resource: Pick<Resource, 'id' | 'type' | 'baseline'>,
    signal?: AbortSignal,
  ): Promise<EffectiveAccess[]> {
    return grants.effectiveAccess(this.ctx, resource, signal);
  }

  spacesOf(member: Member, signal?: AbortSignal): Promise<WholeList<Reached>> {
    return sharing.spacesOf(this.ctx, member, signal);
  }

  share(
    resource: Pick<Resource, 'id' | 'type'>,
    principal: Principal,
    role: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return sharing.share(this.ctx, resource, principal, role, signal);
  }

  changeRole(
    resource: Pick<Resource, 'id' | 'type'>,
    principal: Principal,
    role: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return sharing.changeRole(this.ctx, resource, principal, role, signal);
  }

  unshare(
    resource: Pick<Resource, 'id' | 'type'>,
    principal: Principal,
    signal?: AbortSignal,
  ): Promise<RemovalOutcome> {
    return sharing.unshare(this.ctx, resource, principal, signal);
  }

  principals(signal?: AbortSignal): Promise<Map<string, Principal>> {
    return sharing.principals(this.ctx, signal);
  }
}
