/**
 * The resumable job kinds: what a journal's `kind` means. Each builds the bulk engine's task from a
 * provider and the job's params, so a job started in one window can be finished after a reload.
 * Payloads and params are plain JSON (ids, names, emails, roles), never a secret.
 */
import { SkippedError, type BatchResult, type BulkTask, type ItemResult } from '../jobs/engine';
import { ApiError } from '../http/errors';
import type { Principal, Resource } from '../model';
import type { InviteOptions, Provider, Sharing } from '../provider';

export type ResourceRef = Pick<Resource, 'id' | 'type' | 'name'>;

/** One grant to make or take away. */
export interface AccessItem {
  readonly resource: ResourceRef;
  readonly principal: Principal;
}

export interface InviteItem {
  readonly email: string;
  /** The CSV line (or the pasted list's entry) it came from, for the report. */
  readonly line?: number;
  /** Set when `line` counts entries of a pasted list, not lines of a file. */
  readonly unit?: 'entry';
  /** This row's own seat or role and groups (a CSV column), over the job's. */
  readonly seat?: string;
  readonly groupIds?: readonly string[];
}

export interface ShareParams {
  readonly role: string;
}

export type InviteParams = InviteOptions;

export const accessKey = (i: AccessItem): string => `${i.resource.type}:${i.resource.id}|${i.principal.kind}:${i.principal.id}`;

/** The principal's direct role on the resource, by the platform's cheap check when it has one. */
export async function currentRole(sharing: Sharing, item: AccessItem, signal: AbortSignal): Promise<string | undefined> {
  if (sharing.roleOf) return sharing.roleOf(item.resource, item.principal, signal);
  const access = await sharing.access(item.resource, signal);
  return access.grants.find((g) => g.principal.kind === item.principal.kind && g.principal.id === item.principal.id)?.role;
}

/** Gives each item's principal the role on its resource. A share sets a role, so sending it twice is harmless. */
export function shareTask(provider: Provider, params: ShareParams): BulkTask<AccessItem> {
  const sharing = provider.sharing;
  const share = sharing?.share;
  if (!sharing || !share) throw new Error(`${provider.platform} cannot share resources.`);
  return {
    key: accessKey,
    run: (i, signal) => share(i.resource, i.principal, params.role, signal),
    verify: async (i, signal) => (await currentRole(sharing, i, signal)) === params.role,
    idempotent: true,
  };
}

/** Takes away each item's principal's role on its resource. An item's note is the removal's outcome when it is not plain "removed" (`not-there`, `requested`): the front end words it. */
export function unshareTask(provider: Provider): BulkTask<AccessItem> {
  const sharing = provider.sharing;
  const unshare = sharing?.unshare;
  if (!sharing || !unshare) throw new Error(`${provider.platform} cannot remove access.`);
  return {
    key: accessKey,
    run: async (i, signal) => {
      const result = await unshare(i.resource, i.principal, signal);
      return result === 'not-there' || result === 'requested' ? result : undefined;
    },
    verify: async (i, signal) => (await currentRole(sharing, i, signal)) === undefined,
    idempotent: true,
  };
}

/** The platform refused the call as a whole (a bad address, an unverified domain): worth trying each email alone. */
function refusedAsAWhole(err: unknown): boolean {
  return err instanceof ApiError && err.kind === 'http' && (err.status === 400 || err.status === 409 || err.status === 422);
}

/** How many emails one bulk invite carries. No platform documents a limit; 1,000 emails are about 30 KB. */
export const INVITE_BATCH = 1000;

/**
 * Invites emails in the platform's many-at-once call, falling back to one call per email when that
 * call is refused, so each email gets its own answer. An invitation is not idempotent (a second
 * one sends a second email), so a lost answer leaves the email's outcome unknown, never resent.
 */
export function inviteTask(provider: Provider, options: InviteParams): BulkTask<InviteItem> {
  if (!provider.invitations) throw new Error(`${provider.platform} cannot invite members.`);
  const invite = provider.invitations.send;
  /** What the platform's report says of one email: done (perhaps with a note), or skipped by the platform. */
  const noteFor = (email: string, report: Awaited<ReturnType<typeof invite>>): Extract<ItemResult, { status: 'done' | 'skipped' }> => {
    const lower = email.toLowerCase();
    if (report?.skippedEmails?.some((e) => e.toLowerCase() === lower)) return { status: 'skipped', reason: 'already a member or already invited (the platform skipped it)' };
    if (report?.failedSSOEmails?.some((e) => e.toLowerCase() === lower)) return { status: 'done', note: 'invited, but not as an SSO member' };
    return { status: 'done' };
  };
  const optionsOf = (i: InviteItem): InviteOptions => ({ ...options, ...(i.seat !== undefined ? { seat: i.seat } : {}), ...(i.groupIds !== undefined ? { groupIds: i.groupIds } : {}) });
  return {
    key: (i) => i.email.toLowerCase(),
    run: async (i, signal) => {
      const result = noteFor(i.email, await invite([i.email], optionsOf(i), signal));
      if (result.status === 'skipped') throw new SkippedError(result.reason);
      return result.note;
    },
    batch: {
      size: INVITE_BATCH,
      // One call carries one seat or role and one set of groups.
      group: (i) => (i.seat === undefined && i.groupIds === undefined ? '' : JSON.stringify([i.seat ?? null, [...(i.groupIds ?? [])].sort()])),
      run: async (items, signal) => {
        const answers = new Map<string, BatchResult>();
        try {
          const report = await invite(items.map((i) => i.email), optionsOf(items[0]), signal);
          for (const i of items) answers.set(i.email.toLowerCase(), noteFor(i.email, report));
        } catch (err) {
          if (!refusedAsAWhole(err)) throw err;
          for (const i of items) answers.set(i.email.toLowerCase(), 'single');
        }
        return answers;
      },
    },
  };
}

/**
 * A task over changes that each name their connection (a person's, a plan's): each change is sent
 * and checked through its connection's provider, and a removal's outcome (`not-there`, `requested`)
 * is the item's note, for the front end to word.
 */
export function connectionTask<C, T extends { readonly connectionId: string; readonly change: C }>(
  providerFor: (connectionId: string) => Provider,
  key: (item: T) => string,
  send: (provider: Provider, change: C, signal: AbortSignal) => Promise<unknown>,
  inEffect: (provider: Provider, change: C, signal: AbortSignal) => Promise<boolean | undefined>,
): BulkTask<T> {
  return {
    key,
    run: async (i, signal) => {
      const result = await send(providerFor(i.connectionId), i.change, signal);
      return result === 'not-there' || result === 'requested' ? result : undefined;
    },
    verify: (i, signal) => inEffect(providerFor(i.connectionId), i.change, signal),
  };
}
