import type { HttpClient } from './http/client';
import type { Access, EffectiveAccess, Grant, Group, InviteLink, Invitation, Member, Page, Principal, Resource, ResourceType, RoleLadder, ServiceAccount } from './model';
import type { WholeList } from './paging';
import type { PlatformId } from './platforms';

/** Who the connection's key acts as: shown on the connection, and what gates admin actions. */
export interface Identity {
  /** A person's name, or the organization's when the key belongs to an organization. */
  readonly name: string;
  /** Seat, role or plan, in the platform's own words. */
  readonly detail?: string;
  readonly email?: string;
  /** Whether the key may do admin writes (invite, share, change roles). */
  readonly isAdmin: boolean;
}

export interface InviteOptions {
  readonly seat?: string;
  readonly groupIds?: readonly string[];
  /** GitBook: invite as SSO members. */
  readonly sso?: boolean;
}

/** A workspace or organization a key can see, when the platform puts it in the path (GitBook). */
export interface Tenant {
  readonly id: string;
  readonly name: string;
}

/** How a removal ended: done now, nothing to do, or a request sent to admins (GitBook 205/204/202). */
export type RemovalOutcome = 'removed' | 'not-there' | 'requested';

/** What an invitation call reports beyond success. */
export interface InviteReport {
  /** Emails that were invited but could not become SSO members (GitBook `failedSSOEmails`). */
  readonly failedSSOEmails?: readonly string[];
  /** Emails the platform skipped without an error: already members, or already invited (Confident AI). */
  readonly skippedEmails?: readonly string[];
}

/** A role a member can be given, where roles are records (Confident AI). */
export interface RoleChoice {
  readonly id: string;
  readonly label: string;
  /** False where an invitation cannot assign it (Confident AI's Owner). */
  readonly invitable?: boolean;
}

/**
 * What each platform provider implements. Everything past whoAmI is optional: a platform that lacks
 * a capability leaves it out, and the UI hides what it cannot do instead of failing on click.
 */
export interface Provider {
  readonly platform: PlatformId;
  /** The validating call: checks the key and says who it acts as. */
  whoAmI(signal?: AbortSignal): Promise<Identity>;

  /** Share roles, highest first. */
  readonly roles?: RoleLadder;
  /** Seat types a member can be given, with labels. */
  readonly seatTypes?: readonly { readonly id: string; readonly label: string }[];
  /** Organization roles a member can be given (GitBook: a MemberRole, or guest). */
  readonly memberRoles?: readonly { readonly id: string; readonly label: string }[];
  /** Where roles are records the organization defines, the list to choose from (Confident AI). */
  listMemberRoles?(signal?: AbortSignal): Promise<RoleChoice[]>;
  /** A warning to confirm before giving a member this role, when it does more than it says (ownership transfer). */
  memberRoleWarning?(members: readonly Member[], role: RoleChoice): string | undefined;
  /** What a removed member loses, said in the confirmation. */
  readonly removalConsequence?: string;
  /** A warning to confirm before inviting (Confident AI: accepting leaves one's other organization). */
  readonly inviteWarning?: string;
  /** Pending and declined email invitations, where the platform lists them. */
  listInvitations?(signal?: AbortSignal): Promise<Invitation[]>;
  resendInvitation?(invitation: Invitation, signal?: AbortSignal): Promise<unknown>;
  revokeInvitation?(invitation: Invitation, signal?: AbortSignal): Promise<unknown>;
  /** Section names where the platform's words differ: "Teams", "Content". */
  readonly sectionLabels?: { readonly groups?: string; readonly resources?: string };
  /** Whether invitations can add people to groups (ElevenLabs) or make them SSO members (GitBook). */
  readonly inviteOptions?: { readonly groups?: boolean; readonly sso?: boolean };
  readonly resourceTypes?: readonly ResourceType[];

  /** The organizations the key can see, when each connection must pick one. */
  listTenants?(signal?: AbortSignal): Promise<Tenant[]>;

  /** Every member; `incomplete` says so when the read had to stop early (see readAllPages). */
  listMembers?(signal?: AbortSignal): Promise<WholeList<Member>>;
  /** One page of members, where the platform pages them; the tree prefers this. */
  listMembersPage?(token?: string, signal?: AbortSignal): Promise<Page<Member>>;
  /** Members whose name or email contains the text, searched by the platform (first page). */
  searchMembers?(text: string, signal?: AbortSignal): Promise<Member[]>;
  setSeatType?(email: string, seat: string, signal?: AbortSignal): Promise<unknown>;
  setLocked?(email: string, locked: boolean, signal?: AbortSignal): Promise<unknown>;
  setMemberRole?(member: Member, role: string, signal?: AbortSignal): Promise<unknown>;
  removeMember?(member: Member, signal?: AbortSignal): Promise<RemovalOutcome>;

  listGroups?(signal?: AbortSignal): Promise<WholeList<Group>>;
  /** One page of groups, where the platform pages them (GitBook teams); the tree prefers this. */
  listGroupsPage?(token?: string, signal?: AbortSignal): Promise<Page<Group>>;
  /** One page of a group's members, where the platform pages them; the tree prefers this. */
  listGroupMembersPage?(groupId: string, token?: string, signal?: AbortSignal): Promise<Page<Member>>;
  /** A group's members, where the group list does not carry them (GitBook teams). */
  listGroupMembers?(groupId: string, signal?: AbortSignal): Promise<Member[]>;
  searchGroups?(name: string, signal?: AbortSignal): Promise<Group[]>;
  addToGroup?(groupId: string, email: string, signal?: AbortSignal): Promise<unknown>;
  removeFromGroup?(groupId: string, email: string, signal?: AbortSignal): Promise<unknown>;
  createGroup?(name: string, signal?: AbortSignal): Promise<Group>;
  /** A member's role inside a group (GitBook team: owner or member). */
  setGroupRole?(groupId: string, member: Member, role: 'owner' | 'member', signal?: AbortSignal): Promise<unknown>;
  renameGroup?(groupId: string, name: string, signal?: AbortSignal): Promise<unknown>;
  deleteGroup?(groupId: string, signal?: AbortSignal): Promise<RemovalOutcome>;

  inviteMembers?(emails: readonly string[], options: InviteOptions, signal?: AbortSignal): Promise<InviteReport | undefined>;
  revokeInvite?(email: string, signal?: AbortSignal): Promise<unknown>;

  listServiceAccounts?(signal?: AbortSignal): Promise<ServiceAccount[]>;

  /** Projects whose membership is their access (Confident AI), and what can be done inside each. */
  listProjects?(signal?: AbortSignal): Promise<Resource[]>;
  listProjectRoles?(projectId: string, signal?: AbortSignal): Promise<RoleChoice[]>;
  projectRoleWarning?(members: readonly Member[], role: RoleChoice): string | undefined;
  listProjectMembersPage?(projectId: string, token?: string, signal?: AbortSignal): Promise<Page<Member>>;
  setProjectMemberRole?(projectId: string, member: Member, roleId: string, signal?: AbortSignal): Promise<unknown>;
  removeProjectMember?(projectId: string, member: Member, signal?: AbortSignal): Promise<unknown>;
  listProjectInvitations?(projectId: string, signal?: AbortSignal): Promise<Invitation[]>;
  inviteToProject?(projectId: string, emails: readonly string[], roleId?: string, signal?: AbortSignal): Promise<{ readonly skipped: readonly string[] }>;
  resendProjectInvitation?(projectId: string, invitation: Invitation, signal?: AbortSignal): Promise<unknown>;
  revokeProjectInvitation?(projectId: string, invitation: Invitation, signal?: AbortSignal): Promise<unknown>;

  listInviteLinks?(signal?: AbortSignal): Promise<InviteLink[]>;
  createInviteLink?(target: InviteLink['target'], role: string, signal?: AbortSignal): Promise<InviteLink>;
  updateInviteLink?(link: InviteLink, role: string, signal?: AbortSignal): Promise<InviteLink>;
  deleteInviteLink?(link: InviteLink, signal?: AbortSignal): Promise<RemovalOutcome>;

  /** One page of a type's resources; `search` narrows them on the platform where the type is `searchable`. */
  listResources?(typeId: string, token?: string, signal?: AbortSignal, search?: string): Promise<Page<Resource>>;
  access?(resource: Pick<Resource, 'id' | 'type'>, signal?: AbortSignal): Promise<Access>;
  /**
   * Where a resource's grants come from separate paged lists (GitBook: users, teams), the lists; the
   * tree shows one folder per list, each loading a page at a time, instead of reading them all.
   */
  readonly grantLists?: readonly { readonly id: string; readonly label: string }[];
  listGrantsPage?(resource: Pick<Resource, 'id' | 'type'>, list: string, token?: string, signal?: AbortSignal): Promise<Page<Grant>>;
  /** Grants the resource itself carries (GitBook's default level), shown beside the folders without a request. */
  fixedGrants?(resource: Resource): Grant[];
  /** Loads, in the background, what access() needs besides the resource (ElevenLabs: the directory naming principal ids). */
  prepareAccess?(signal?: AbortSignal): Promise<void>;
  share?(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, role: string, signal?: AbortSignal): Promise<unknown>;
  unshare?(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, signal?: AbortSignal): Promise<unknown>;
  /**
   * The principal's direct role on the resource, or undefined when it has none. One request where
   * the platform allows; the bulk engine uses it to check a write whose answer was lost.
   */
  roleOf?(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, signal?: AbortSignal): Promise<string | undefined>;
  /** Everyone who can reach the resource from any source (direct, team, default), with where it comes from when the platform says. */
  effectiveAccess?(resource: Pick<Resource, 'id' | 'type' | 'baseline'>, signal?: AbortSignal): Promise<EffectiveAccess[]>;
  /** Changes an existing grant's role, where that differs from granting anew (GitBook PATCH). */
  changeRole?(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, role: string, signal?: AbortSignal): Promise<unknown>;
  /** Every principal that can hold a role, for pickers (members, groups, service accounts, the default). */
  principals?(signal?: AbortSignal): Promise<Map<string, Principal>>;
  /** Forget cached lookups after a change. */
  invalidate?(): void;
}

/** Who a stored key acted as when it was last checked (GitBook then reads only the organization). */
export interface KnownAccount {
  readonly name: string;
  readonly email?: string;
}

/** Builds a connection's provider; `tenantId` is the organization the connection picked, if any. */
export type ProviderFactory = (http: HttpClient, tenantId?: string, account?: KnownAccount) => Provider;
