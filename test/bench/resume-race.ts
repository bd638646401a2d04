/**
 * resume-race: a share job killed (SIGKILL) midway in one process, then two resumers started at
 * once in two more processes, as two windows opening after a crash. Exactly one may run it:
 * nothing is applied twice and nothing is lost.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { accessOf, grantItems, taskOf } from '../shared/changeItems';
import { JobJournal } from '../../src/core/jobs/journal';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { ourClient, RemoteEmulator, report, settledLines } from './common';
import { shareAudit, shareSetup } from './share-fanout';

const COUNT = 200;

function runChild(script: string, config: string): { done: Promise<string>; kill: () => void } {
  const child = spawn(process.execPath, [path.join(__dirname, script), config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return { done: new Promise((r) => child.once('exit', () => r(out))), kill: () => child.kill('SIGKILL') };
}

export async function resumeRace(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-race-'));
  try {
    const { resource, principals } = await shareSetup(emulator, COUNT);
    await emulator.setPrincipalCap(10_000);
    const task = taskOf(new ElevenLabsProvider(ourClient(emulator, 'elevenlabs')));
    const items = grantItems(
      principals.map((principal) => ({ resource, principal })),
      'viewer',
    );
    const { journal } = JobJournal.create(dir, {
      kind: 'share',
      title: 'race',
      connectionId: 'bench',
      params: {},
      items: items.map((i) => ({ key: task.key(i), label: accessOf(i).principal.name, payload: i })),
    });
    journal.close();
    const c = emulator.connection('elevenlabs');
    const config = (at: number) => {
      const file = path.join(dir, `config-${at}.json`);
      fs.writeFileSync(file, JSON.stringify({ baseUrl: c.baseUrl, key: c.key, journal: journal.file, at }));
      return file;
    };

    // 1. The first runner dies midway (its claim is left behind, stale).
    const first = runChild('resume-race-child.js', config(0));
    while (settledLines(journal.file) < COUNT / 3) await new Promise((r) => setTimeout(r, 5));
    first.kill();
    await first.done;
    const finishedAtKill = settledLines(journal.file);

    // 2. Two resumers at the same instant.
    const at = Date.now() + 400;
    const a = runChild('resume-race-child.js', config(at));
    const b = runChild('resume-race-child.js', config(at + 0));
    const answers = (await Promise.all([a.done, b.done])).map(
      (o) => JSON.parse(o.trim() || '{}') as { claim?: string },
    );
    const audit = await shareAudit(emulator, resource, principals, 'viewer');

    return report('resume-race', {
      items: COUNT,
      finished_before_kill: finishedAtKill,
      resumers: answers.map((x) => x.claim ?? 'crashed'),
      ran: answers.filter((x) => x.claim === 'claimed').length,
      lost: audit.lost,
      duplicated: audit.duplicated,
      journal_left: fs.readdirSync(dir).some((f) => f.endsWith('.job.jsonl')),
      targets: { lost: 0, duplicated: 0 },
    });
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void resumeRace();
