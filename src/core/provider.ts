import type { HttpClient } from './http/client';
import type {
  Access,
  EffectiveAccess,
  Grant,
  Group,
  InviteLink,
  Invitation,
  Member,
  Page,
  Principal,
  Resource,
  ResourceType,
  RoleLadder,
  ServiceAccount,
} from './model';
import type { WholeList } from './paging';
import type { PlatformInfo } from './platforms';
import type { AccessFileFacts } from './access/facts';

/** Who the connection's key acts as: shown on the connection, and what gates admin actions. */
export interface Identity {
  /** A person's name, or the organization's when the key belongs to an organization. */
  readonly name: string;
  /** Seat, role or plan, in the platform's own words. */
  readonly detail?: string;
  readonly email?: string;
  /** The member id the key acts as, where it acts as a member: a person is never offboarded by their own key. */
  readonly userId?: string;
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

/** A resource as far as sharing needs it: its type and id. */
export type ResourceKey = Pick<Resource, 'id' | 'type'>;

/**
 * What a member's role is and how it changes: seat types (ElevenLabs), organization roles
 * (GitBook), or the role records the organization defines (Confident AI). One shape for all three.
 */
export interface MemberRoles {
  /** `seat`: a seat type (Change Seat Type…); `role`: an organization role (Change Member Role…). */
  readonly kind: 'seat' | 'role';
  /** Whether the roles are records of the organization's own, listed in a Roles section. */
  readonly listed?: boolean;
  readonly choices: (signal?: AbortSignal) => Promise<RoleChoice[]>;
  /** Whether `choices` lists the roles highest first (a fixed ladder), so a later one is lower. */
  readonly ranked?: boolean;
  readonly set: (member: Member, roleId: string, signal?: AbortSignal) => Promise<unknown>;
  /** A warning to confirm before giving this role, when it does more than it says (ownership). */
  readonly warning?: (members: readonly Member[], role: RoleChoice) => string | undefined;
}

/** The organization's or workspace's members. The group owns their paging. */
export interface Members {
  /** Every member; `incomplete` says so when the read had to stop early (see readAllPages). */
  readonly list: (signal?: AbortSignal) => Promise<WholeList<Member>>;
  /** One page: the platform's own pages, or pages cut from the whole list. */
  readonly page: (token?: string, signal?: AbortSignal) => Promise<Page<Member>>;
  /** Members whose name or email contains the text, searched by the platform (first page). */
  readonly search?: (text: string, signal?: AbortSignal) => Promise<Member[]>;
  readonly roles?: MemberRoles;
  readonly setLocked?: (member: Member, locked: boolean, signal?: AbortSignal) => Promise<unknown>;
  readonly remove?: (member: Member, signal?: AbortSignal) => Promise<RemovalOutcome>;
  /** What a removed member loses, said in the confirmation. */
  readonly removalConsequence?: string;
  /** The role's name when the member's role alone reaches every resource (a workspace or organization admin). */
  readonly reachesEverything?: (member: Member) => string | undefined;
  /** When members were last active, where the platform says; a platform that gives nothing has no `activity`. */
  readonly activity?: MemberActivity;
}

/**
 * When members were last active, where the platform says (GitBook: last seen; ElevenLabs: credit
 * usage). A platform that gives nothing has no `activity`, and the UI says so instead of calling
 * everyone inactive.
 */
export interface MemberActivity {
  /** What the figure is, for people: "last seen in GitBook", "ElevenLabs credit usage". */
  readonly source: string;
  /**
   * Last activity per member id since `since` (ISO date-time). A member absent from `lastActive`
   * showed no activity in the window the reading's own `since` names.
   */
  readonly read: (members: readonly Member[], since: string, signal?: AbortSignal) => Promise<ActivityReading>;
}

export interface ActivityReading {
  /** Member id → when they were last active (ISO date-time). */
  readonly lastActive: ReadonlyMap<string, string>;
  /** Member id → when they joined (ISO date-time), where the platform says. */
  readonly joined?: ReadonlyMap<string, string>;
  /**
   * How far back the platform looked: a member absent from `lastActive` showed nothing since then.
   * Undefined when the figure covers all time (GitBook's lastSeenAt): absent then means never, and a
   * date may be older than the `since` asked for.
   */
  readonly since?: string;
}

/** A member's role inside a group (GitBook teams: owner or member). */
export interface GroupRoles {
  readonly choices: readonly (RoleChoice & { readonly description?: string })[];
  /** The role a listed group member holds. */
  readonly of: (member: Member) => string;
  readonly set: (groupId: string, member: Member, roleId: string, signal?: AbortSignal) => Promise<unknown>;
}

/** Groups (ElevenLabs) or teams (GitBook) and their members. */
export interface Groups {
  /** The platform's word, singular and lower case: "group", "team". */
  readonly word: string;
  /** The section's name: "Groups", "Teams". */
  readonly label: string;
  readonly list: (signal?: AbortSignal) => Promise<WholeList<Group>>;
  readonly page: (token?: string, signal?: AbortSignal) => Promise<Page<Group>>;
  readonly search?: (name: string, signal?: AbortSignal) => Promise<Group[]>;
  /** One page of a group's members. */
  readonly members: (groupId: string, token?: string, signal?: AbortSignal) => Promise<Page<Member>>;
  readonly add?: (groupId: string, email: string, signal?: AbortSignal) => Promise<unknown>;
  readonly remove?: (groupId: string, email: string, signal?: AbortSignal) => Promise<unknown>;
  readonly create?: (name: string, signal?: AbortSignal) => Promise<Group>;
  readonly rename?: (groupId: string, name: string, signal?: AbortSignal) => Promise<unknown>;
  readonly delete?: (groupId: string, signal?: AbortSignal) => Promise<RemovalOutcome>;
  /** What members lose when their group is deleted, said in the confirmation. */
  readonly deleteConsequence?: string;
  readonly roles?: GroupRoles;
  /** The groups one member belongs to, with their role in each, where the platform says per member (GitBook). */
  readonly of?: (member: Member, signal?: AbortSignal) => Promise<GroupMembership[]>;
}

export interface GroupMembership {
  readonly group: Pick<Group, 'id' | 'name'> & { readonly system?: boolean };
  /** The member's role in it, where groups have roles. */
  readonly role?: string;
}

/** A resource one member can reach, at their effective role (from any source). */
export interface Reached {
  readonly resource: Resource;
  readonly role: string;
}

/** Email invitations, to the organization or to one project: one shape for both scopes. */
export interface Invitations {
  /** `options.seat` is the seat or role the invitees get. */
  readonly send: (
    emails: readonly string[],
    options: InviteOptions,
    signal?: AbortSignal,
  ) => Promise<InviteReport | undefined>;
  /** Whether invitations can add people to groups (ElevenLabs) or make them SSO members (GitBook). */
  readonly options?: { readonly groups?: boolean; readonly sso?: boolean };
  /** A warning to confirm before inviting (Confident AI: accepting leaves one's other organization). */
  readonly warning?: string;
  /** Pending and declined invitations, where the platform lists them. */
  readonly list?: (signal?: AbortSignal) => Promise<Invitation[]>;
  readonly resend?: (invitation: Invitation, signal?: AbortSignal) => Promise<unknown>;
  readonly revoke?: (invitation: Invitation, signal?: AbortSignal) => Promise<unknown>;
  /** Where invitations cannot be listed, revoking by email (ElevenLabs). */
  readonly revokeByEmail?: (email: string, signal?: AbortSignal) => Promise<unknown>;
}

/** Links that let anyone who has them join (GitBook). */
export interface InviteLinks {
  /** The roles (for the organization) or levels (for content) a link can carry. */
  readonly roles: readonly RoleChoice[];
  /** Said after a link is created: where its address is to be found (the API returns none). */
  readonly createdNote?: string;
  readonly list: (signal?: AbortSignal) => Promise<InviteLink[]>;
  readonly create?: (target: InviteLink['target'], role: string, signal?: AbortSignal) => Promise<InviteLink>;
  readonly update?: (link: InviteLink, role: string, signal?: AbortSignal) => Promise<InviteLink>;
  readonly delete?: (link: InviteLink, signal?: AbortSignal) => Promise<RemovalOutcome>;
}

/** Shareable resources and who holds which role on them. */
export interface Sharing {
  /** The section's name: "Resources", "Content". */
  readonly label: string;
  readonly types: readonly ResourceType[];
  /** Share roles, highest first. */
  readonly roles: RoleLadder;
  /** One page of a type's resources; `search` narrows them on the platform where the type is `searchable`. */
  readonly list: (typeId: string, token?: string, signal?: AbortSignal, search?: string) => Promise<Page<Resource>>;
  readonly access: (resource: ResourceKey & { readonly baseline?: string }, signal?: AbortSignal) => Promise<Access>;
  /**
   * Where a resource's grants come from separate paged lists (GitBook: users, teams), the lists; the
   * tree shows one folder per list, each loading a page at a time, instead of reading them all.
   */
  readonly grantLists?: readonly {
    readonly id: string;
    readonly label: string;
    readonly icon: string;
    readonly page: (resource: ResourceKey, token?: string, signal?: AbortSignal) => Promise<Page<Grant>>;
  }[];
  /** Grants the resource itself carries (GitBook's default level), shown without a request. */
  readonly fixedGrants?: (resource: Resource) => Grant[];
  /** Loads, in the background, what access() needs besides the resource (ElevenLabs: the directory naming principal ids). */
  readonly prepare?: (signal?: AbortSignal) => Promise<void>;
  readonly share?: (
    resource: ResourceKey,
    principal: Principal,
    role: string,
    signal?: AbortSignal,
  ) => Promise<unknown>;
  readonly unshare?: (resource: ResourceKey, principal: Principal, signal?: AbortSignal) => Promise<unknown>;
  /** Changes an existing grant's role, where that differs from granting anew (GitBook PATCH). */
  readonly changeRole?: (
    resource: ResourceKey,
    principal: Principal,
    role: string,
    signal?: AbortSignal,
  ) => Promise<unknown>;
  /** The principal's direct role, or undefined: the bulk engine checks a write whose answer was lost with it. */
  readonly roleOf?: (resource: ResourceKey, principal: Principal, signal?: AbortSignal) => Promise<string | undefined>;
  /** Everyone who can reach the resource, from any source, and why. */
  readonly effectiveAccess?: (
    resource: ResourceKey & Pick<Resource, 'baseline'>,
    signal?: AbortSignal,
  ) => Promise<EffectiveAccess[]>;
  /** Every principal that can hold a role, for pickers (members, groups, service accounts, the default). */
  readonly principals: (signal?: AbortSignal) => Promise<Map<string, Principal>>;
  /**
   * What one member can reach, where the platform answers per member (GitBook: their spaces);
   * `covers` names the types it answers for. Without it, the access index answers.
   */
  readonly reachOf?: {
    readonly covers: readonly string[];
    readonly read: (member: Member, signal?: AbortSignal) => Promise<WholeList<Reached>>;
  };
}

/** Projects whose membership is their access (Confident AI). */
export interface Projects {
  readonly list: (signal?: AbortSignal) => Promise<Resource[]>;
  readonly roles: (projectId: string, signal?: AbortSignal) => Promise<RoleChoice[]>;
  /** A warning to confirm before giving this project role (ownership). */
  readonly roleWarning?: (members: readonly Member[], role: RoleChoice) => string | undefined;
  /** The preset project roles by label, highest first (custom roles are not ranked). */
  readonly ranked?: readonly string[];
  readonly members: (projectId: string, token?: string, signal?: AbortSignal) => Promise<Page<Member>>;
  readonly setRole: (projectId: string, member: Member, roleId: string, signal?: AbortSignal) => Promise<unknown>;
  readonly removeMember: (projectId: string, member: Member, signal?: AbortSignal) => Promise<RemovalOutcome>;
  /** The project's invitations: the same shape as the organization's. */
  readonly invitations?: (projectId: string) => Invitations;
}

/** Service accounts and their API keys (ElevenLabs). */
export interface ServiceAccounts {
  readonly list: (signal?: AbortSignal) => Promise<ServiceAccount[]>;
}

/**
 * What each platform provider implements: who the key acts as, then capability groups. A group is
 * there as a whole or not at all; the UI shows a section and offers commands for the groups a
 * provider has, and reads every platform fact (labels, warnings, role lists) from the group's data.
 */
export interface Provider {
  /** The platform's id (`PlatformInfo.id`). */
  readonly platform: string;
  /** The validating call: checks the key and says who it acts as. */
  whoAmI(signal?: AbortSignal): Promise<Identity>;
  /** The organizations the key can see, when each connection must pick one (GitBook). */
  listTenants?(signal?: AbortSignal): Promise<Tenant[]>;
  readonly members?: Members;
  readonly groups?: Groups;
  readonly invitations?: Invitations;
  readonly inviteLinks?: InviteLinks;
  readonly sharing?: Sharing;
  readonly projects?: Projects;
  readonly serviceAccounts?: ServiceAccounts;
  /** Forgets cached lookups after a change. */
  invalidate(): void;
}

/** Who a stored key acted as when it was last checked (GitBook then reads only the organization). */
export interface KnownAccount {
  readonly name: string;
  readonly email?: string;
}

/** Builds a connection's provider; `tenantId` is the organization the connection picked, if any. */
export type ProviderFactory = (http: HttpClient, tenantId?: string, account?: KnownAccount) => Provider;

/** A platform as its folder registers it: its facts, and how its provider is made. */
export interface Platform {
  readonly info: PlatformInfo;
  readonly create: ProviderFactory;
  /** What the access file can say about its connections. */
  readonly accessFile: AccessFileFacts;
}
