/**
 * faults: a 500-item share job while the emulator injects 10% 429, 5% 500, 2% connection resets
 * and 2% cut (malformed) bodies, the last two after the server acted. Then the same kind of job in
 * another process, killed (SIGKILL) halfway and resumed from its journal here.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runJob } from '../../src/core/jobs/engine';
import { summarize } from '../../src/core/jobs/each';
import { accessOf, grantItems, taskOf } from '../shared/changeItems';
import { JobJournal } from '../../src/core/jobs/journal';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { ourClient, RemoteEmulator, report, settledLines, timed } from './common';
import { shareAudit, shareSetup } from './share-fanout';

const COUNT = 500;
const FAULTS = { rate429: 0.1, rate5xx: 0.05, rateReset: 0.02, rateMalformed: 0.02 };

export async function faults(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-faults-'));
  try {
    const { resource, principals } = await shareSetup(emulator, COUNT);
    await emulator.setPrincipalCap(10_000);
    await emulator.setFaults(FAULTS);
    const provider = new ElevenLabsProvider(ourClient(emulator, 'elevenlabs'));
    const access = principals.map((principal) => ({ resource, principal }));
    const items = grantItems(access, 'editor');

    // 1. One run through the faults.
    const task = taskOf(provider);
    const first = await timed(() => runJob(items, task, { maxConcurrency: 32 }));
    const counts = summarize(first.value.outcomes);
    const audit = await shareAudit(emulator, resource, principals, 'editor');

    // 2. Killed halfway in another process, resumed here from the journal.
    const resumeTask = taskOf(provider);
    const resumeItems = grantItems(access, 'commenter');
    const { journal } = JobJournal.create(dir, {
      kind: 'share',
      title: 'faults',
      connectionId: 'bench',
      params: {},
      items: resumeItems.map((i) => ({
        key: resumeTask.key(i),
        label: accessOf(i).principal.name,
        payload: i,
      })),
    });
    journal.close();
    const c = emulator.connection('elevenlabs');
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ baseUrl: c.baseUrl, key: c.key, journal: journal.file }));
    const child = spawn(process.execPath, [path.join(__dirname, 'faults-child.js'), config], { stdio: 'inherit' });
    const exited = new Promise((r) => child.once('exit', r));
    while (settledLines(journal.file) < COUNT / 2) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await exited;
    const loaded = JobJournal.load(journal.file);
    const finishedBefore = [...loaded.prior.values()].filter((s) => s !== 'sending').length;
    const inFlightAtKill = [...loaded.prior.values()].filter((s) => s === 'sending').length;
    const claim = JobJournal.claim(loaded.file);
    if (claim.status !== 'claimed') throw new Error(`the killed job's journal could not be claimed (${claim.status})`);
    const resumed = claim.journal;
    const before = (await emulator.requests('elevenlabs', 'POST')).filter(
      (r) => r.path.endsWith('/share') && r.status === 200,
    ).length;
    const second = await runJob(resumeItems, resumeTask, {
      maxConcurrency: 32,
      journal: resumed,
      prior: claim.job.prior,
    });
    resumed.delete();
    const after = (await emulator.requests('elevenlabs', 'POST')).filter(
      (r) => r.path.endsWith('/share') && r.status === 200,
    ).length;
    const resumeAudit = await shareAudit(emulator, resource, principals, 'commenter');
    const counts2 = summarize(second.outcomes);
    const finalOutcomes = (o: Record<string, number>) => o.done + o.failed + o.skipped + o.unknown;

    return report('faults', {
      items: COUNT,
      injected: FAULTS,
      ms: first.ms,
      outcomes: counts,
      verified_after_lost_answer: first.value.stats.verified,
      rate_limited: first.value.stats.rateLimited,
      lost: audit.lost,
      duplicated: audit.duplicated,
      every_item_final: finalOutcomes(counts) === COUNT,
      resume: {
        finished_before_kill: finishedBefore,
        in_flight_at_kill: inFlightAtKill,
        verified_on_resume: second.stats.verified,
        applied_after_resume: after - before,
        outcomes: counts2,
        lost: resumeAudit.lost,
        duplicated: resumeAudit.duplicated,
        every_item_final: finalOutcomes(counts2) === COUNT,
        journal_left: fs.readdirSync(dir).some((f) => f.endsWith('.job.jsonl')),
      },
      targets: { lost: 0, duplicated: 0, every_item_final: true },
    });
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void faults();
