/**
 * The reads findings need from one connection: its members, its pending invitations where the
 * platform lists them, and activity where the platform gives it, read together. A connection that
 * fails says so in its own facts and does not stop the others; activity that fails leaves the
 * members' other findings standing.
 */
import type { Provider } from '../provider';
import { DAY_MS } from './findings';
import type { ConnectionFacts } from './findings';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** One connection's facts; `inactiveDays` sets how far back activity is read (with a day to spare). */
export async function gatherConnection(
  provider: Provider,
  connectionId: string,
  platformLabel: string,
  options: { readonly today: string; readonly inactiveDays: number; readonly signal?: AbortSignal },
): Promise<ConnectionFacts> {
  const members = provider.members;
  if (!members) return { connectionId, platformLabel, error: `${platformLabel} lists no members.` };
  const since = new Date(Date.parse(`${options.today}T00:00:00Z`) - (options.inactiveDays + 1) * DAY_MS).toISOString();
  const invitations = provider.invitations?.list;
  try {
    // Invitations that cannot be read leave the members' findings standing, with a note of why.
    const [list, pending] = await Promise.all([
      members.list(options.signal),
      invitations
        ? invitations(options.signal).catch((err: unknown) => {
            options.signal?.throwIfAborted();
            return { error: message(err) };
          })
        : Promise.resolve(undefined),
    ]);
    let activity: ConnectionFacts['activity'];
    if (members.activity)
      activity = await members.activity.read(list, since, options.signal).catch((err: unknown) => {
        options.signal?.throwIfAborted();
        return { error: message(err) };
      });
    return {
      connectionId,
      platformLabel,
      members: list,
      invitations: pending && !('error' in pending) ? pending.filter((i) => i.status === 'pending') : undefined,
      invitationsError: pending && 'error' in pending ? pending.error : undefined,
      activity,
      adminRole: members.reachesEverything,
    };
  } catch (err) {
    options.signal?.throwIfAborted();
    return { connectionId, platformLabel, error: message(err) };
  }
}
