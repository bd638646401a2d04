// A job has exactly one runner, its journal survives a torn write, and it is private.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { runJob } from '../../src/core/jobs/engine';
import { summarize } from '../../src/core/jobs/each';
import { type BulkTask } from '../../src/core/jobs/bulkTask';
import { accessOf, grantItems, inviteItems, taskOf } from '../shared/changeItems';
import type { ChangeItem } from '../../src/core/changes/change';
import { JobJournal, type Claim } from '../../src/core/jobs/journal';
import { durableFor } from '../../src/core/jobs/runJournaled';
import type { Principal, Resource } from '../../src/core/model';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { Emulator } from '../emulator/server';
import { seedSharing, userPrincipal } from '../shared/emulatorState';
import { clientFor } from './helpers';

const deadPid = () =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
const claimed = (c: Claim) => (c.status === 'claimed' ? c : assert.fail(`expected a claim, got ${c.status}`));

describe('job journal: one runner, durable, private', () => {
  let emulator: Emulator;
  let provider: ElevenLabsProvider;
  let dir: string;
  let resource: Resource;
  let principals: Principal[];
  before(async () => (emulator = await Emulator.start({ size: 'large' })));
  after(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-claim-'));
    provider = new ElevenLabsProvider(clientFor(emulator, 'elevenlabs').client);
    resource = (await provider.listResources('voice')).items[0];
    principals = seedSharing(emulator, resource.id, 12);
  });

  /** A journal as a crashed window leaves it: `done` items finished, the rest never sent. */
  function interrupted(done: number): { file: string; items: ChangeItem[] } {
    const task = taskOf(provider);
    const items = grantItems(
      principals.map((principal) => ({ resource, principal })),
      'viewer',
    );
    const { journal } = JobJournal.create(dir, {
      kind: 'share',
      title: 'T',
      connectionId: 'c',
      params: {},
      items: items.map((i) => ({ key: task.key(i), label: accessOf(i).principal.name, payload: i })),
    });
    for (const i of items.slice(0, done)) journal.settled(task.key(i), { status: 'done' });
    journal.close();
    // The crashed writer: a dead pid owns it, and its claim is stale.
    fs.appendFileSync(journal.file, `${JSON.stringify({ k: '', s: 'owner', pid: deadPid() })}\n`);
    return { file: journal.file, items };
  }
  const shares = () =>
    emulator.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith('/share'))
      .map((r) => (r.body as { user_email: string }).user_email);

  it('two resumes of one job at once (the startup prompt and the Resume command): every item is sent once', async () => {
    const { file, items } = interrupted(2);
    const task = taskOf(provider);
    const resumeOnce = async () => {
      const claim = JobJournal.claim(file);
      if (claim.status !== 'claimed') return claim.status;
      const { outcomes } = await runJob(items, task, {
        maxConcurrency: 4,
        journal: claim.journal,
        prior: claim.job.prior,
      });
      claim.journal.delete();
      return summarize(outcomes).done;
    };
    const results = await Promise.all([resumeOnce(), resumeOnce()]);
    assert.deepEqual(results.sort(), [12, 'busy'].sort(), 'one ran, the other found it busy');
    const sent = shares();
    assert.equal(sent.length, 10, 'the ten unfinished items, once each');
    assert.equal(new Set(sent).size, 10);
  });

  it('a resume clicked after the job finished finds it gone, sends nothing and makes no journal again', async () => {
    const { file, items } = interrupted(0);
    const first = claimed(JobJournal.claim(file));
    await runJob(items, taskOf(provider), { maxConcurrency: 4, journal: first.journal, prior: first.job.prior });
    first.journal.delete();
    const before = shares().length;
    assert.equal(JobJournal.claim(file).status, 'gone');
    assert.equal(shares().length, before);
    assert.deepEqual(fs.readdirSync(dir), [], 'no journal and no claim left behind');
  });

  it('a claim is stale only when its process is gone; a live one (this process) keeps others out', () => {
    const { file } = interrupted(0);
    const mine = claimed(JobJournal.claim(file));
    const other = JobJournal.claim(file);
    assert.deepEqual(other, { status: 'busy', pid: process.pid });
    assert.ok(JobJournal.claimed(file));
    mine.journal.close();
    assert.ok(!JobJournal.claimed(file), 'released');
    // A claim left by a dead process does not block: the next generation is taken.
    fs.writeFileSync(`${file}.claim.5`, `${deadPid()}\n`);
    const next = claimed(JobJournal.claim(file));
    next.journal.close();
    assert.equal(JobJournal.load(file).pid, 0, 'a released journal names no running writer');
  });

  it('cuts a torn last line before appending, so the journal stays readable (it failed with "line 3 is not valid JSON")', () => {
    const { file } = interrupted(1);
    fs.appendFileSync(file, '{"k":"x","s":"sen');
    const claim = claimed(JobJournal.claim(file));
    claim.journal.settled('late', { status: 'done' });
    claim.journal.close();
    const again = JobJournal.load(file);
    assert.equal(again.prior.size, 2);
    assert.ok(
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .every((l) => l === '' || JSON.parse(l)),
    );
  });

  it('keeps the journal folder 0700 and its files 0600 (they hold emails)', () => {
    const { file } = interrupted(0);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const claim = claimed(JobJournal.claim(file));
    const claims = fs.readdirSync(dir).filter((n) => n.includes('.claim.'));
    assert.ok(claims.length > 0 && claims.every((n) => (fs.statSync(path.join(dir, n)).mode & 0o777) === 0o600));
    claim.journal.delete();
  });

  it('an invitation job syncs its "sending" line to disk before the request goes out', () => {
    const task = taskOf(provider);
    const [item] = inviteItems(['fresh.person@example.com']);
    const jobItems = [{ key: task.key(item), label: 'fresh.person@example.com', payload: item }];
    const { journal } = JobJournal.create(dir, {
      kind: 'invite',
      title: 'I',
      connectionId: 'c',
      params: {},
      items: jobItems,
    });
    journal.durable = durableFor(jobItems, task as BulkTask<unknown>);
    // The module object itself (an ES namespace import is read-only): count the syncs the journal asks for.
    const realFs = createRequire(__filename)('node:fs') as { fdatasyncSync: typeof fs.fdatasyncSync };
    let syncs = 0;
    const original = realFs.fdatasyncSync;
    realFs.fdatasyncSync = (fd) => {
      syncs++;
      original(fd);
    };
    try {
      journal.sending([task.key(item)]);
      journal.durable = false;
      journal.sending(['another']);
    } finally {
      realFs.fdatasyncSync = original;
    }
    assert.equal(syncs, 1, 'synced for the invitation, not for a write that may repeat');
    journal.delete();
  });

  it('an outage is congestion, not a storm: the job pauses with the rest unsent, and a resume after recovery sends each once', async () => {
    emulator.setFaults({ outage: 1 });
    const task = taskOf(provider);
    const items = grantItems(
      emulator
        .state('elevenlabs')
        .members.filter((m) => !m.is_owner)
        .slice(1, 101)
        .map((m) => ({ resource, principal: userPrincipal(m) })),
      'viewer',
    );
    const { journal } = JobJournal.create(dir, {
      kind: 'share',
      title: 'O',
      connectionId: 'c',
      params: {},
      items: items.map((i) => ({ key: task.key(i), label: accessOf(i).principal.name, payload: i })),
    });
    const first = await runJob(items, task, { maxConcurrency: 32, journal });
    journal.close();
    const during = emulator.requests.length;
    assert.ok(first.paused, 'paused');
    assert.ok(during <= 2 * items.length, `${during} requests for ${items.length} items (it was 29 per item)`);
    assert.ok(
      first.outcomes.every((o) => o.status === 'skipped' || o.status === 'unknown'),
      'nothing claimed done',
    );
    emulator.setFaults({ outage: 0 });
    const claim = claimed(JobJournal.claim(journal.file));
    const second = await runJob(items, task, { maxConcurrency: 32, journal: claim.journal, prior: claim.job.prior });
    claim.journal.delete();
    assert.deepEqual(summarize(second.outcomes), { done: 100, failed: 0, skipped: 0, unknown: 0 });
    const applied = emulator.requests
      .filter((r) => r.method === 'POST' && r.status === 200)
      .map((r) => (r.body as { user_email: string }).user_email);
    assert.equal(applied.length, 100);
    assert.equal(new Set(applied).size, 100, 'none applied twice');
  });

  it('a single failing item backs off and pauses after a few server failures, instead of a retry storm', async () => {
    emulator.setFaults({ outage: 1 });
    const task = taskOf(provider);
    const started = emulator.requests.length;
    const result = await runJob(grantItems([{ resource, principal: principals[0] }], 'viewer'), task, {
      maxConcurrency: 8,
    });
    assert.ok(result.paused);
    assert.ok(emulator.requests.length - started <= 6, `${emulator.requests.length - started} requests`);
  });
});

describe('job journal list: a damaged journal is named, the rest stay resumable', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-list-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A journal as this version writes it, released by its writer: resumable. */
  function good(title: string): string {
    const { journal } = JobJournal.create(dir, {
      kind: 'share',
      title,
      connectionId: 'c',
      params: {},
      items: [{ key: 'k1', label: 'one', payload: { n: 1 } }],
    });
    journal.settled('k1', { status: 'done' });
    journal.close();
    return journal.file;
  }
  /** A journal whose header is what this version writes with some fields changed (undefined: left out). */
  function damaged(name: string, change: Record<string, unknown>): string {
    const header = {
      v: 1,
      id: name,
      kind: 'share',
      title: name,
      connectionId: 'c',
      params: {},
      items: [{ key: 'k1', label: 'one', payload: {} }],
      started: new Date().toISOString(),
      pid: 0,
      ...change,
    };
    const file = path.join(dir, `${name}.job.jsonl`);
    fs.writeFileSync(file, `${JSON.stringify(header)}\n${JSON.stringify({ k: 'k1', s: 'sending' })}\n`, {
      mode: 0o600,
    });
    return file;
  }

  it('a header without "started" beside a good journal: list returns the good one and names the bad one (it threw "Cannot read properties of undefined")', () => {
    const kept = good('Good');
    const bad = damaged('no-started', { started: undefined });
    const { jobs, unreadable } = JobJournal.list(dir);
    assert.deepEqual(
      jobs.map((j) => [j.file, j.header.title, j.prior.get('k1')]),
      [[kept, 'Good', { status: 'done' }]],
    );
    assert.deepEqual(unreadable, [
      { file: bad, reason: 'not a job journal this version can read: "started" is missing' },
    ]);
    assert.ok(fs.existsSync(bad), 'the damaged journal is left where it is');
    assert.equal(JobJournal.claim(kept).status, 'claimed', 'the good one can be resumed');
  });

  it('names each missing or mistyped header field, and a step missing what its kind needs', () => {
    const kept = good('Good');
    const cases: [Record<string, unknown>, string][] = [
      [{ started: 12 }, '"started" is not text'],
      [{ started: 'yesterday' }, '"started": not a date'],
      [{ pid: '42' }, '"pid" is not a number'],
      [{ items: [{ key: 1, label: 'x' }] }, '"items.0.key" is not text'],
      [{ title: undefined, connectionId: undefined }, '"title" is missing; "connectionId" is missing'],
      [{ v: 2 }, '"v" is 2, not 1'],
    ];
    const files = cases.map(([change], i) => damaged(`bad-${i}`, change));
    fs.appendFileSync(damaged('bad-step', {}), `${JSON.stringify({ k: 'k1', s: 'failed' })}\n{}\n`);
    const { jobs, unreadable } = JobJournal.list(dir);
    assert.deepEqual(
      jobs.map((j) => j.file),
      [kept],
    );
    const reasons = new Map(unreadable.map((u) => [u.file, u.reason]));
    cases.forEach(([, reason], i) =>
      assert.equal(reasons.get(files[i]), `not a job journal this version can read: ${reason}`),
    );
    assert.equal(reasons.get(path.join(dir, 'bad-step.job.jsonl')), 'line 3 is not a journal step');
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.job.jsonl')).length, cases.length + 2, 'none deleted');
  });
});
