/**
 * outage: 100 shares while the platform answers every request 503 (a total outage). The job must
 * treat it as congestion, not a storm: it pauses after a failed round, with the rest unsent in its
 * journal. Then the platform recovers and the job is resumed from the journal: nothing lost,
 * nothing applied twice.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runJob } from '../../src/core/jobs/engine';
import { summarize } from '../../src/core/jobs/each';
import { accessOf, grantItems, taskOf } from '../shared/changeItems';
import { JobJournal } from '../../src/core/jobs/journal';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { ourClient, RemoteEmulator, report, timed } from './common';
import { shareAudit, shareSetup } from './share-fanout';

const COUNT = 100;

export async function outage(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-outage-'));
  try {
    const { resource, principals } = await shareSetup(emulator, COUNT);
    await emulator.setPrincipalCap(10_000);
    const provider = new ElevenLabsProvider(ourClient(emulator, 'elevenlabs'));
    const items = grantItems(
      principals.map((principal) => ({ resource, principal })),
      'editor',
    );
    const task = taskOf(provider);
    const { journal } = JobJournal.create(dir, {
      kind: 'share',
      title: 'outage',
      connectionId: 'bench',
      params: {},
      items: items.map((i) => ({ key: task.key(i), label: accessOf(i).principal.name, payload: i })),
    });

    // 1. The outage: every request is answered 503.
    const before = (await emulator.stats()).requests;
    await emulator.setFaults({ outage: 1 });
    const first = await timed(() => runJob(items, task, { maxConcurrency: 32, journal }));
    const during = (await emulator.stats()).requests - before;
    journal.close();
    const paused = first.value.paused !== undefined;

    // 2. Recovery, then a resume from the journal (as the Resume button does).
    await emulator.setFaults({ outage: 0 });
    const claim = JobJournal.claim(journal.file);
    if (claim.status !== 'claimed') throw new Error(`the paused job could not be claimed (${claim.status})`);
    const unsent = claim.job.header.items.length - claim.job.prior.size;
    const second = await timed(() =>
      runJob(items, task, { maxConcurrency: 32, journal: claim.journal, prior: claim.job.prior }),
    );
    claim.journal.delete();
    const audit = await shareAudit(emulator, resource, principals, 'editor');

    return report('outage', {
      items: COUNT,
      paused,
      pause_reason: first.value.paused,
      outage_ms: first.ms,
      requests_during_outage: during,
      requests_per_item: Math.round((during / COUNT) * 100) / 100,
      left_unsent_in_journal: unsent,
      resume_ms: second.ms,
      resume_outcomes: summarize(second.value.outcomes),
      verified_on_resume: second.value.stats.verified,
      lost: audit.lost,
      duplicated: audit.duplicated,
      targets: { requests_per_item: '≤ 2', lost: 0, duplicated: 0 },
    });
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void outage();
