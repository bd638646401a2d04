/**
 * The cli-large benchmark's baseline: the reads alone. A fresh Node process builds each platform's
 * provider as the command line does (16 requests in flight per connection) and reads the live access
 * of every connection the large access file holds, at once, as `plan` does, and nothing else: no file
 * read, no plan, no output. Its time is what the reads need at the platforms' concurrency.
 * Usage: node cli-large-child.js <origin> <json of SandboxConnection[]>
 */
import { readLive } from '../../src/core/access/live';
import type { SandboxConnection } from '../emulator/server';
import { commandLineProviders } from './common';

const CONCURRENCY = 16;

async function main(): Promise<void> {
  const connections = JSON.parse(process.argv[2]) as SandboxConnection[];
  const lives = await Promise.all(
    commandLineProviders(connections, CONCURRENCY).map(({ provider }) =>
      readLive(provider, undefined, { concurrency: CONCURRENCY }),
    ),
  );
  const resources = lives.reduce((n, l) => n + (l.resources?.length ?? 0), 0);
  process.stdout.write(JSON.stringify({ connections: lives.length, resources }), () => process.exit(0));
}

void main();
