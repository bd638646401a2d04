/**
 * The cli benchmark's baseline: the same plan as `workspace-access plan --json`, made by the core in
 * a fresh Node process of its own (unbundled, no command line around it), its changes printed as JSON.
 * Usage: node cli-child.js <file> <baseUrl> <key>
 */
import * as fs from 'node:fs';
import { parseAccessFile } from '../../src/core/access/parse';
import { planFile, todayUtc } from '../../src/core/access/plan';
import { ACCESS_FILE_FACTS } from '../../src/providers';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { clientAt } from './common';

async function main(): Promise<void> {
  const [file, baseUrl, key] = process.argv.slice(2);
  const provider = new ElevenLabsProvider(clientAt('elevenlabs', baseUrl, key));
  const plan = await planFile(
    parseAccessFile(fs.readFileSync(file, 'utf8'), ACCESS_FILE_FACTS),
    () => ({ connectionId: 'large', provider }),
    { today: todayUtc(), concurrency: 16 },
  );
  // Written out before the exit: the client's open connections would keep the process alive.
  process.stdout.write(
    JSON.stringify({ changes: plan.changes.map((c) => ({ kind: c.kind, change: c.change })) }, null, 2),
    () => process.exit(0),
  );
}

void main();
