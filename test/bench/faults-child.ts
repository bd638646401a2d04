// A bulk job in its own process, for the faults benchmark to kill halfway:
//   node faults-child.js <config.json>
// It continues the journal the parent created, as a window would, until it ends or is killed.
import * as fs from 'node:fs';
import { runJob } from '../../src/core/jobs/engine';
import type { ChangeItem } from '../../src/core/changes/change';
import { taskOf } from '../shared/changeItems';
import { JobJournal } from '../../src/core/jobs/journal';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { clientAt } from './common';

interface Config {
  readonly baseUrl: string;
  readonly key: string;
  readonly journal: string;
}

async function main(): Promise<void> {
  const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Config;
  const claim = JobJournal.claim(config.journal);
  if (claim.status !== 'claimed') throw new Error(`the journal could not be claimed (${claim.status})`);
  const { journal, job } = claim;
  const provider = new ElevenLabsProvider(clientAt('elevenlabs', config.baseUrl, config.key));
  const items = job.header.items.map((i) => i.payload as ChangeItem);
  await runJob(items, taskOf(provider), { maxConcurrency: 32, journal, prior: job.prior });
  journal.delete();
}

void main();
