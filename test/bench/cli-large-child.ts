/**
 * The cli-large benchmark's baseline: the reads alone. A fresh Node process builds each platform's
 * provider as the command line does (16 requests in flight per connection) and reads the live access
 * of every connection the large access file holds, at once, as `plan` does, and nothing else: no file
 * read, no plan, no output. Its time is what the reads need at the platforms' concurrency.
 * Usage: node cli-large-child.js <origin> <json of SandboxConnection[]>
 */
import { readLive } from '../../src/core/access/live';
import { HttpClient } from '../../src/core/http/client';
import { Transport } from '../../src/core/http/transport';
import { createProvider, PLATFORMS } from '../../src/providers';
import type { SandboxConnection } from '../emulator/server';
import { quiet } from './common';

const CONCURRENCY = 16;

async function main(): Promise<void> {
  const connections = JSON.parse(process.argv[2]) as SandboxConnection[];
  const transport = new Transport({ connectTimeoutMs: 10_000, env: {} });
  const lives = await Promise.all(
    connections.map((c) => {
      const http = new HttpClient({
        platform: PLATFORMS[c.platform],
        baseUrl: c.baseUrl,
        apiKey: () => c.key,
        transport,
        log: quiet,
        maxInFlight: CONCURRENCY,
      });
      return readLive(createProvider(c.platform, http, c.tenantId), undefined, { concurrency: CONCURRENCY });
    }),
  );
  const resources = lives.reduce((n, l) => n + (l.resources?.length ?? 0), 0);
  process.stdout.write(JSON.stringify({ connections: lives.length, resources }), () => process.exit(0));
}

void main();
