/**
 * The one task the job engine runs for every change: each item through its connection's provider,
 * checked before it is sent again (verify.ts), its outcome in words. Invitations go in the
 * platform's many-at-once call where the job asks for it (an invitation list), one call per email
 * when that call is refused, so each email gets its own answer.
 */
import { ApiError } from '../http/errors';
import { SkippedError, type BatchResult, type BulkTask, type ItemResult } from '../jobs/bulkTask';
import type { InviteReport, Provider } from '../provider';
import { changeKey, repeatable, type Change, type ChangeItem } from './change';
import { ALREADY_IN_EFFECT, checkFirst } from './checkFirst';
import { inviteOptions, runChange } from './run';
import { inEffect } from './verify';
import { removalKind, removalNote } from './words';

/** How many emails one many-at-once invitation carries. No platform documents a limit; 1,000 emails are about 30 KB. */
export const INVITE_BATCH = 1000;

type Invite = Extract<Change, { op: 'invite' }>;

/** What the platform's answer says of one email: done (perhaps with a note), or skipped by the platform. */
function inviteResult(
  email: string,
  report: InviteReport | undefined,
): Extract<ItemResult, { status: 'done' | 'skipped' }> {
  const lower = email.toLowerCase();
  if (report?.skippedEmails?.some((e) => e.toLowerCase() === lower))
    return { status: 'skipped', reason: 'already a member or already invited (the platform skipped it)' };
  if (report?.failedSSOEmails?.some((e) => e.toLowerCase() === lower))
    return { status: 'done', note: 'invited, but not as an SSO member' };
  return { status: 'done' };
}

/** The platform refused the call as a whole (a bad address, an unverified domain): worth trying each email alone. */
function refusedAsAWhole(err: unknown): boolean {
  return (
    err instanceof ApiError && err.kind === 'http' && (err.status === 400 || err.status === 409 || err.status === 422)
  );
}

const isInvite = (i: ChangeItem): i is ChangeItem & { change: Invite } => i.change.op === 'invite';

/** One call carries one connection, one seat or role and one set of groups. */
function inviteBatchGroup(i: ChangeItem & { change: Invite }): string {
  const c = i.change;
  return JSON.stringify([i.connectionId, c.role ?? null, (c.groups ?? []).map((g) => g.id).sort(), !!c.sso]);
}

export interface ChangeTaskOptions {
  /** Send invitations many at once (an invitation list); a plan's few go one by one. */
  readonly batchInvites?: boolean;
  /**
   * Check each change against live just before it is sent (checkFirst.ts), with reads kept for the
   * job: one in effect already (another apply made it since the plan) is done and not sent.
   */
  readonly checkFirst?: boolean;
}

/** The task over changes in any connections, each through its connection's provider. */
export function changeTask(
  providerFor: (connectionId: string) => Provider,
  options: ChangeTaskOptions = {},
): BulkTask<ChangeItem> {
  const check = options.checkFirst ? checkFirst(providerFor) : undefined;
  const run = async (i: ChangeItem, signal: AbortSignal): Promise<string | undefined> => {
    if (check && (await check(i, signal))) return ALREADY_IN_EFFECT;
    const answer = await runChange(providerFor(i.connectionId), i.change, signal);
    // A removal says more than "done" only when there was nothing to remove or it went to the admins.
    if (i.change.op !== 'invite')
      return answer === 'not-there' || answer === 'requested' ? removalNote(answer, removalKind(i.change)) : undefined;
    const result = inviteResult(i.change.email, answer as InviteReport | undefined);
    if (result.status === 'skipped') throw new SkippedError(result.reason);
    return result.note;
  };
  return {
    key: changeKey,
    run,
    verify: (i, signal) => inEffect(providerFor(i.connectionId), i.change, signal),
    idempotent: (i) => repeatable(i.change),
    ...(options.batchInvites
      ? {
          batch: {
            size: INVITE_BATCH,
            // Only invitations go together; every other change is a unit of its own.
            group: (i: ChangeItem) => (isInvite(i) ? inviteBatchGroup(i) : changeKey(i)),
            run: async (items: readonly ChangeItem[], signal: AbortSignal) => {
              const answers = new Map<string, BatchResult>();
              const invites = items.filter(isInvite);
              const first = invites[0];
              try {
                const send = providerFor(first.connectionId).invitations?.send;
                if (!send) throw new Error('This connection cannot invite members.');
                const report = await send(
                  invites.map((i) => i.change.email),
                  inviteOptions(first.change),
                  signal,
                );
                for (const i of invites) answers.set(changeKey(i), inviteResult(i.change.email, report));
              } catch (err) {
                if (!refusedAsAWhole(err)) throw err;
                for (const i of invites) answers.set(changeKey(i), 'single');
              }
              return answers;
            },
          },
        }
      : {}),
  };
}
