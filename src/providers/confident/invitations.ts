import type { Invitation } from '../../core/model';
import type { InviteOptions, InviteReport, Invitations, RemovalOutcome } from '../../core/provider';
import * as api from './client';
import { gone, type ConfidentContext } from './context';
import type { Invitation as WireInvitation, ProjectInvitation } from './schemas';

export const INVITE_WARNING =
  'Someone who already belongs to another Confident AI organization is removed from all of its projects and organizations when they accept.';

export const toInvitation = (i: WireInvitation | ProjectInvitation): Invitation => ({
  id: String(i.id),
  email: i.email,
  status: i.status === 'PENDING' ? 'pending' : i.status === 'ACCEPTED' ? 'accepted' : 'declined',
  roleId:
    ('organizationRoleId' in i ? i.organizationRoleId : 'projectRoleId' in i ? i.projectRoleId : undefined) ??
    undefined,
  ...(i.created_at ? { createdAt: i.created_at } : {}),
});

/**
 * What an invitation call did: who got an invitation, and who was skipped (already a member or
 * invited). An answer that lists no invitations (the spec allows it) names no one either way.
 */
export interface InviteResult {
  readonly invited: readonly Invitation[];
  readonly skipped: readonly string[];
}

/** The result of an invitation call from its answer's list, when it has one. */
export function inviteResult(
  ctx: ConfidentContext,
  emails: readonly string[],
  answer: readonly (WireInvitation | ProjectInvitation)[] | undefined,
): InviteResult {
  if (!answer) {
    ctx.http.log.debug('Confident AI invitations: the answer lists no invitations, so who was skipped is not known');
    return { invited: [], skipped: [] };
  }
  const invited = answer.map(toInvitation);
  return { invited, skipped: skippedOf(emails, invited) };
}

/** Email invitations to the organization: listed, resent and revoked. */
export function invitationsCapability(ctx: ConfidentContext): Invitations {
  return {
    send: (emails, options, signal) => inviteMembers(ctx, emails, options, signal),
    warning: INVITE_WARNING,
    list: (signal) => listInvitations(ctx, signal),
    resend: (invitation, signal) => resendInvitation(ctx, invitation, signal),
    revoke: (invitation, signal) => revokeInvitation(ctx, invitation, signal),
  };
}

/** All emails in one call; reports those skipped as members or already invited. */
export async function inviteMembers(
  ctx: ConfidentContext,
  emails: readonly string[],
  options: InviteOptions,
  signal?: AbortSignal,
): Promise<InviteReport> {
  return { skippedEmails: (await invite(ctx, emails, options.seat, signal)).skipped };
}

export async function listInvitations(ctx: ConfidentContext, signal?: AbortSignal): Promise<Invitation[]> {
  return (await api.listInvitations(ctx.http, signal)).map(toInvitation);
}

export async function invite(
  ctx: ConfidentContext,
  emails: readonly string[],
  roleId?: string,
  signal?: AbortSignal,
): Promise<InviteResult> {
  return inviteResult(ctx, emails, await api.invite(ctx.http, emails, roleId, signal));
}

export async function resendInvitation(
  ctx: ConfidentContext,
  invitation: Invitation,
  signal?: AbortSignal,
): Promise<Invitation> {
  return toInvitation((await api.resendInvitation(ctx.http, Number(invitation.id), signal)).invitation);
}

export async function revokeInvitation(
  ctx: ConfidentContext,
  invitation: Invitation,
  signal?: AbortSignal,
): Promise<RemovalOutcome> {
  return gone((await api.revokeInvitation(ctx.http, Number(invitation.id), signal)).deleted);
}

/** The API skips existing members and pending invitees silently; name them. */
export function skippedOf(emails: readonly string[], invited: readonly Invitation[]): string[] {
  const got = new Set(invited.map((i) => i.email.toLowerCase()));
  return emails.filter((e) => !got.has(e.toLowerCase()));
}
