/**
 * The review-start benchmark's process: reads the live access of every connection it is given, at
 * once, as `review start` does (readLive of everything, each platform's provider built as the
 * command line builds it, 16 requests in flight per connection). With `reads` it does nothing else:
 * its time is the bound, what the reads need. With `review FILE` it then makes the review of
 * everyone (startReview) and writes it (renderReview) to FILE, private (0600).
 * Usage: node review-start-child.js <json of SandboxConnection[]> reads|review [FILE]
 */
import * as fs from 'node:fs';
import { readLive } from '../../src/core/access/live';
import { renderReview } from '../../src/core/review/render';
import { startReview } from '../../src/core/review/start';
import { PLATFORMS } from '../../src/providers';
import type { SandboxConnection } from '../emulator/server';
import { commandLineProviders } from './common';

const CONCURRENCY = 16;

async function main(): Promise<void> {
  const connections = JSON.parse(process.argv[2]) as SandboxConnection[];
  const mode = process.argv[3];
  const started = new Date().toISOString();
  const reads = await Promise.all(
    commandLineProviders(connections, CONCURRENCY).map(async ({ connection: c, provider }) => {
      const live = await readLive(provider, undefined, { concurrency: CONCURRENCY });
      return { key: c.platform, platform: c.platform, name: PLATFORMS[c.platform].label, provider, live };
    }),
  );
  if (mode === 'reads') {
    const resources = reads.reduce((n, r) => n + (r.live.resources?.length ?? 0), 0);
    process.stdout.write(JSON.stringify({ connections: reads.length, resources }), () => process.exit(0));
    return;
  }
  const review = startReview(reads, {
    name: '2026 Q4',
    due: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    reviewers: ['ada@example.com'],
    scope: { people: 'everyone', connections: reads.map((r) => r.key) },
    started,
  });
  const text = renderReview(review);
  fs.writeFileSync(process.argv[4], text, { mode: 0o600 });
  process.stdout.write(JSON.stringify({ people: review.people.length }), () => process.exit(0));
}

void main();
