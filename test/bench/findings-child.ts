/**
 * The findings benchmark's baseline: the reads alone. A fresh Node process builds each platform's
 * provider as the command line does (one transport, 16 requests in flight per connection) and makes
 * the reads `gatherConnection` makes, for every connection at once: the members list and, beside it,
 * the invitations list where the platform lists them; then the activity read where the platform
 * gives one (it is handed the members). Nothing else: no roster, no findings, no output beyond a
 * count. Its time is what the reads need at that concurrency.
 * Usage: node findings-child.js <json of SandboxConnection[]>
 */
import type { SandboxConnection } from '../emulator/server';
import { commandLineProviders } from './common';

/** The command line's default `--concurrency`. */
const CONCURRENCY = 16;
/** Activity from this far back, as `findings` asks with its default 90 days (and a day to spare). */
const SINCE_DAYS = 91;

async function main(): Promise<void> {
  const connections = JSON.parse(process.argv[2]) as SandboxConnection[];
  const since = new Date(Date.now() - SINCE_DAYS * 86_400_000).toISOString();
  const counts = await Promise.all(
    commandLineProviders(connections, CONCURRENCY).map(async ({ provider }) => {
      const members = provider.members!;
      const [list, invitations] = await Promise.all([
        members.list(),
        provider.invitations?.list ? provider.invitations.list() : Promise.resolve([]),
      ]);
      const activity = members.activity ? await members.activity.read(list, since) : undefined;
      return { members: list.length, invitations: invitations.length, active: activity?.lastActive.size ?? 0 };
    }),
  );
  process.stdout.write(JSON.stringify(counts), () => process.exit(0));
}

void main();
