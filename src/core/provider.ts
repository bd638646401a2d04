import type { HttpClient } from './http/client';
import type { Access, Group, Member, Page, Principal, Resource, ResourceType, RoleLadder, ServiceAccount } from './model';
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
  readonly resourceTypes?: readonly ResourceType[];

  listMembers?(signal?: AbortSignal): Promise<Member[]>;
  setSeatType?(email: string, seat: string, signal?: AbortSignal): Promise<unknown>;
  setLocked?(email: string, locked: boolean, signal?: AbortSignal): Promise<unknown>;

  listGroups?(signal?: AbortSignal): Promise<Group[]>;
  searchGroups?(name: string, signal?: AbortSignal): Promise<Group[]>;
  addToGroup?(groupId: string, email: string, signal?: AbortSignal): Promise<unknown>;
  removeFromGroup?(groupId: string, email: string, signal?: AbortSignal): Promise<unknown>;

  inviteMembers?(emails: readonly string[], options: InviteOptions, signal?: AbortSignal): Promise<unknown>;
  revokeInvite?(email: string, signal?: AbortSignal): Promise<unknown>;

  listServiceAccounts?(signal?: AbortSignal): Promise<ServiceAccount[]>;

  listResources?(typeId: string, token?: string, signal?: AbortSignal): Promise<Page<Resource>>;
  access?(resource: Pick<Resource, 'id' | 'type'>, signal?: AbortSignal): Promise<Access>;
  share?(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, role: string, signal?: AbortSignal): Promise<unknown>;
  unshare?(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, signal?: AbortSignal): Promise<unknown>;
  /** Every principal that can hold a role, for pickers (members, groups, service accounts, the default). */
  principals?(signal?: AbortSignal): Promise<Map<string, Principal>>;
  /** Forget cached lookups after a change. */
  invalidate?(): void;
}

export type ProviderFactory = (http: HttpClient) => Provider;
