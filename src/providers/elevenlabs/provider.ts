import type { HttpClient } from '../../core/http/client';
import type { Access, Group, Member, Page, Principal, Resource, ServiceAccount } from '../../core/model';
import type {
  Groups,
  Identity,
  InviteOptions,
  Invitations,
  Members,
  Provider,
  ServiceAccounts,
  Sharing,
} from '../../core/provider';
import * as api from './client';
import { ElevenLabsContext } from './context';
import * as groups from './groups';
import * as invitations from './invitations';
import * as members from './members';
import { LISTED_TYPES } from './resources';
import { SEAT_CHOICES, SEAT_LABELS, SHARE_ROLES } from './roles';
import * as serviceAccounts from './serviceAccounts';
import * as sharing from './sharing';

/**
 * ElevenLabs: one workspace per key; members and their seats, groups, invitations, service accounts,
 * and resources shared with all of them. Each capability group is made in its own module; the
 * methods below are the same operations, for callers that hold an ElevenLabsProvider.
 */
export class ElevenLabsProvider implements Provider {
  readonly platform = 'elevenlabs';
  readonly roles = SHARE_ROLES;
  readonly inviteOptions = invitations.INVITE_OPTIONS;
  readonly seatTypes = SEAT_CHOICES;
  readonly resourceTypes = LISTED_TYPES;
  readonly members: Members;
  readonly groups: Groups;
  readonly invitations: Invitations;
  readonly serviceAccounts: ServiceAccounts;
  readonly sharing: Sharing;
  private readonly ctx: ElevenLabsContext;

  constructor(http: HttpClient) {
    this.ctx = new ElevenLabsContext(http);
    this.members = members.membersCapability(this.ctx);
    this.groups = groups.groupsCapability(this.ctx);
    this.invitations = invitations.invitationsCapability(this.ctx);
    this.serviceAccounts = serviceAccounts.serviceAccountsCapability(this.ctx);
    this.sharing = sharing.sharingCapability(this.ctx);
  }

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    const user = await api.getUser(this.ctx.http, signal);
    return {
      name: user.first_name || user.user_id,
      userId: user.user_id,
      detail: `${SEAT_LABELS[user.seat_type]} · ${user.subscription.tier}`,
      isAdmin: user.seat_type === 'workspace_admin',
    };
  }

  /** Forgets the principal directory (after membership changes). */
  invalidate(): void {
    this.ctx.forget();
  }

  // Members (members.ts), groups (groups.ts), service accounts (serviceAccounts.ts).

  listMembers(signal?: AbortSignal): Promise<Member[]> {
    return members.listMembers(this.ctx, signal);
  }

  setSeatType(email: string, seat: string, signal?: AbortSignal): Promise<unknown> {
    return members.setSeatType(this.ctx, email, seat, signal);
  }

  setLocked(email: string, locked: boolean, signal?: AbortSignal): Promise<unknown> {
    return members.setLocked(this.ctx, email, locked, signal);
  }

  listGroups(signal?: AbortSignal): Promise<Group[]> {
    return groups.listGroups(this.ctx, signal);
  }

  searchGroups(name: string, signal?: AbortSignal): Promise<Group[]> {
    return groups.searchGroups(this.ctx, name, signal);
  }

  addToGroup(groupId: string, email: string, signal?: AbortSignal): Promise<unknown> {
    return groups.addToGroup(this.ctx, groupId, email, signal);
  }

  removeFromGroup(groupId: string, email: string, signal?: AbortSignal): Promise<unknown> {
    return groups.removeFromGroup(this.ctx, groupId, email, signal);
  }

  listServiceAccounts(signal?: AbortSignal): Promise<ServiceAccount[]> {
    return serviceAccounts.listServiceAccounts(this.ctx, signal);
  }

  // Invitations (invitations.ts).

  invite(email: string, options: api.InviteOptions, signal?: AbortSignal): Promise<unknown> {
    return invitations.invite(this.ctx, email, options, signal);
  }

  inviteBulk(emails: readonly string[], options: api.InviteOptions, signal?: AbortSignal): Promise<unknown> {
    return invitations.inviteBulk(this.ctx, emails, options, signal);
  }

  inviteMembers(emails: readonly string[], options: InviteOptions, signal?: AbortSignal): Promise<undefined> {
    return invitations.inviteMembers(this.ctx, emails, options, signal);
  }

  revokeInvite(email: string, signal?: AbortSignal): Promise<unknown> {
    return invitations.revokeInvite(this.ctx, email, signal);
  }

  // Resources (resources.ts lists them, sharing.ts shares them).

  listResources(typeId: string, token?: string, signal?: AbortSignal, search?: string): Promise<Page<Resource>> {
    return sharing.listResources(this.ctx, typeId, token, signal, search);
  }

  access(resource: Pick<Resource, 'id' | 'type'>, signal?: AbortSignal): Promise<Access> {
    return sharing.access(this.ctx, resource, signal);
  }

  prepareAccess(signal?: AbortSignal): Promise<void> {
    return sharing.prepareAccess(this.ctx, signal);
  }

  roleOf(
    resource: Pick<Resource, 'id' | 'type'>,
    principal: Principal,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    return sharing.roleOf(this.ctx, resource, principal, signal);
  }

  share(
    resource: Pick<Resource, 'id' | 'type'>,
    principal: Principal,
    role: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return sharing.share(this.ctx, resource, principal, role, signal);
  }

  unshare(resource: Pick<Resource, 'id' | 'type'>, principal: Principal, signal?: AbortSignal): Promise<unknown> {
    return sharing.unshare(this.ctx, resource, principal, signal);
  }

  principals(signal?: AbortSignal): Promise<Map<string, Principal>> {
    return sharing.principals(this.ctx, signal);
  }
}
