import type { InviteOptions, Invitations } from '../../core/provider';
import * as api from './client';
import type { ElevenLabsContext } from './context';
import type { SeatType } from './schemas';

/** Invitations can add people to groups; ElevenLabs cannot list them, so they are revoked by email. */
export const INVITE_OPTIONS = { groups: true };

/** Email invitations to the workspace, with a seat type and groups. */
export function invitationsCapability(ctx: ElevenLabsContext): Invitations {
  return {
    send: (emails, options, signal) => inviteMembers(ctx, emails, options, signal),
    options: INVITE_OPTIONS,
    revokeByEmail: (email, signal) => revokeInvite(ctx, email, signal),
  };
}

export function invite(
  ctx: ElevenLabsContext,
  email: string,
  options: api.InviteOptions,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.inviteOne(ctx.http, email, options, signal);
}

export function inviteBulk(
  ctx: ElevenLabsContext,
  emails: readonly string[],
  options: api.InviteOptions,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.inviteBulk(ctx.http, emails, options, signal);
}

/** Many emails in one add-bulk call; one email through invites/add. */
export async function inviteMembers(
  ctx: ElevenLabsContext,
  emails: readonly string[],
  options: InviteOptions,
  signal?: AbortSignal,
): Promise<undefined> {
  const wire: api.InviteOptions = { seat_type: options.seat as SeatType | undefined, group_ids: options.groupIds };
  await (emails.length === 1 ? invite(ctx, emails[0], wire, signal) : inviteBulk(ctx, emails, wire, signal));
  return undefined;
}

export function revokeInvite(ctx: ElevenLabsContext, email: string, signal?: AbortSignal): Promise<unknown> {
  return api.revokeInvite(ctx.http, email, signal);
}
