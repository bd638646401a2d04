import type { InviteOptions, InviteReport, Invitations } from '../../core/provider';
import * as api from './client';
import type { GitBookContext } from './context';
import { wireRole } from './roles';

/** Invitations can make SSO members; GitBook cannot list them. */
export const INVITE_OPTIONS = { sso: true };

/** Email invitations to the organization, with one role for all. */
export function invitationsCapability(ctx: GitBookContext): Invitations {
  return {
    send: (emails, options, signal) => inviteMembers(ctx, emails, options, signal),
    options: INVITE_OPTIONS,
  };
}

/** All emails in one call, with one role; reports the emails that could not become SSO members. */
export async function inviteMembers(
  ctx: GitBookContext,
  emails: readonly string[],
  options: InviteOptions,
  signal?: AbortSignal,
): Promise<InviteReport> {
  const res = await api.invite(
    ctx.http,
    ctx.org,
    emails,
    wireRole(options.seat ?? 'read'),
    options.sso ?? false,
    signal,
  );
  return { failedSSOEmails: res.failedSSOEmails };
}
