// One resumer of an interrupted job, in its own process (a second window after a crash):
//   node resume-race-child.js <config.json>
// It claims the journal and runs what is left, or finds it busy or gone, and prints one JSON line.
import * as fs from 'node:fs';
import { runJob } from '../../src/core/jobs/engine';
import { summarize } from '../../src/core/jobs/each';
import type { ChangeItem } from '../../src/core/changes/change';
import { taskOf } from '../shared/changeItems';
import { JobJournal } from '../../src/core/jobs/journal';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { clientAt } from './common';

interface Config {
  readonly baseUrl: string;
  readonly key: string;
  readonly journal: string;
  /** Epoch ms: both resumers wait for the same instant, then claim. */
  readonly at: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Config;
  while (Date.now() < config.at) await new Promise((r) => setImmediate(r));
  const claim = JobJournal.claim(config.journal);
  if (claim.status !== 'claimed')
    return void process.stdout.write(`${JSON.stringify({ pid: process.pid, claim: claim.status })}\n`);
  const provider = new ElevenLabsProvider(clientAt('elevenlabs', config.baseUrl, config.key));
  const items = claim.job.header.items.map((i) => i.payload as ChangeItem);
  const { outcomes } = await runJob(items, taskOf(provider), {
    maxConcurrency: 32,
    journal: claim.journal,
    prior: claim.job.prior,
  });
  claim.journal.delete();
  process.stdout.write(`${JSON.stringify({ pid: process.pid, claim: 'claimed', outcomes: summarize(outcomes) })}\n`);
}

void main();
