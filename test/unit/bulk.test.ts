import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runEach, summarize } from '../../src/core/jobs/each';
import { runJob } from '../../src/core/jobs/engine';
import { type Outcome } from '../../src/core/jobs/bulkTask';
import { accessOf, grantItems, inviteItems, revokeItems, taskOf, type AccessItem } from '../shared/changeItems';
import type { ChangeItem } from '../../src/core/changes/change';
import { JobJournal } from '../../src/core/jobs/journal';
import type { Principal, Resource } from '../../src/core/model';
import { AdaptiveWindow } from '../../src/core/jobs/sendWindow';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { Emulator } from '../emulator/server';
import { emulatorState, seedSharing } from '../shared/emulatorState';
import { clientFor } from './helpers';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runEach', () => {
  it('gives every item an outcome, in input order, and a failure never stops the others', async () => {
    const outcomes = await runEach(
      [1, 2, 3, 4, 5],
      async (n) => {
        await delay((6 - n) * 3);
        if (n % 2 === 0) throw new Error(`even ${n}`);
      },
      { concurrency: 3 },
    );
    assert.deepEqual(
      outcomes.map((o) => `${o.item}:${o.status}${o.status === 'failed' ? `:${o.reason}` : ''}`),
      ['1:done', '2:failed:even 2', '3:done', '4:failed:even 4', '5:done'],
    );
    assert.deepEqual(summarize(outcomes), { done: 3, failed: 2, skipped: 0, unknown: 0 });
  });

  it('never runs more than the concurrency cap at once', async () => {
    let running = 0;
    let peak = 0;
    await runEach(
      Array.from({ length: 40 }, (_, i) => i),
      async () => {
        peak = Math.max(peak, ++running);
        await delay(2);
        running--;
      },
      { concurrency: 4 },
    );
    assert.equal(peak, 4);
  });

  it('after cancellation, skips what has not started and lets what is in flight finish', async () => {
    const controller = new AbortController();
    const settled: number[] = [];
    const outcomes = await runEach(
      [1, 2, 3, 4, 5, 6],
      async (n) => {
        if (n === 2) controller.abort();
        await delay(5);
      },
      { concurrency: 2, signal: controller.signal, onSettled: (n) => settled.push(n) },
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done', 'done', 'skipped', 'skipped', 'skipped', 'skipped'],
    );
    assert.equal(outcomes[5].status === 'skipped' && outcomes[5].reason, 'cancelled before it started');
    assert.deepEqual(settled, [1, 2, 3, 4, 5, 6], 'progress reaches the total');
  });

  it('handles an empty list', async () => {
    assert.deepEqual(await runEach([], () => Promise.resolve(), { concurrency: 4 }), []);
  });
});

describe('AdaptiveWindow', () => {
  /** Plays rounds against a server that takes `limit` at once and refuses the rest. */
  function play(limit: number, rounds: number, w = new AdaptiveWindow({ maxConcurrency: 64 })): number[] {
    const sizes: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const tickets = [w.sent()];
      while (tickets.length < w.size) tickets.push(w.sent());
      sizes.push(tickets.length);
      tickets.forEach((t, i) => (i < limit ? w.succeeded(t) : w.rateLimited(t)));
    }
    return sizes;
  }

  it('grows while nothing is refused, then settles on the server limit it was never told', () => {
    const sizes = play(40, 8);
    assert.deepEqual(sizes.slice(0, 3), [16, 24, 36], 'slow start');
    assert.ok(
      sizes.slice(4).every((s) => s === 40 || s === 41),
      `settles at the limit: ${sizes.join(',')}`,
    );
    const low = play(5, 6);
    assert.ok(
      low.slice(2).every((s) => s === 5 || s === 6),
      `finds a small limit too: ${low.join(',')}`,
    );
  });

  it('never passes the cap', () => {
    assert.ok(play(1000, 10, new AdaptiveWindow({ maxConcurrency: 20 })).every((s) => s <= 20));
  });

  it('pauses new requests for a Retry-After, and backs off when refusals come with no hint', () => {
    let now = 0;
    const w = new AdaptiveWindow({ maxConcurrency: 8, initialConcurrency: 2, now: () => now });
    w.rateLimited(w.sent(), 1500);
    assert.equal(w.pausedFor(), 1500);
    now = 2000;
    assert.equal(w.pausedFor(), 0);
    const hinted = new AdaptiveWindow({ maxConcurrency: 8, initialConcurrency: 1, now: () => now });
    for (let i = 0; i < 4; i++) hinted.rateLimited(hinted.sent());
    assert.ok(hinted.pausedFor() > 0, 'refused round after round: a pause');
    assert.equal(hinted.size, 1);
  });
});

describe('runJob against the emulator', () => {
  let emulator: Emulator;
  let provider: ElevenLabsProvider;
  let resource: Resource;
  let principals: Principal[];

  before(async () => {
    emulator = await Emulator.start({ size: 'large' });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    provider = new ElevenLabsProvider(clientFor(emulator, 'elevenlabs').client);
    resource = (await provider.listResources('voice')).items[0];
    principals = seedSharing(emulator, resource.id, 120);
  });

  const { el: st } = emulatorState(() => emulator);
  const holders = (role: string) =>
    new Set((st().resources.find((r) => r.id === resource.id)!.roles as Record<string, string[]>)[role]);
  /** How many times the server applied each principal's share (the handler ran and answered 200). */
  const applied = () => {
    const counts = new Map<string, number>();
    for (const r of emulator.requests)
      if (r.method === 'POST' && r.path.endsWith('/share') && r.status === 200)
        counts.set(
          (r.body as { user_email: string }).user_email,
          (counts.get((r.body as { user_email: string }).user_email) ?? 0) + 1,
        );
    return counts;
  };

  it('finds a concurrency limit it was not told: 429s re-queue, nothing is lost', async () => {
    emulator.setFaults({ maxConcurrent: 6, latencyMs: 15 });
    const items: AccessItem[] = principals.map((principal) => ({ resource, principal }));
    const { outcomes, stats } = await runJob(grantItems(items, 'viewer'), taskOf(provider), { maxConcurrency: 64 });
    assert.deepEqual(summarize(outcomes), { done: 120, failed: 0, skipped: 0, unknown: 0 });
    assert.ok(stats.rateLimited > 0, 'the server refused some');
    assert.ok(emulator.stats.maxInFlight <= 6);
    assert.ok(stats.window <= 8, `the window came down to the limit (${stats.window})`);
    const viewers = holders('viewer');
    assert.ok(principals.every((p) => viewers.has(p.id)));
    assert.ok(
      [...applied().values()].every((n) => n === 1),
      'no share applied twice',
    );
  });

  it('under 429, 500, resets and cut bodies: every item ends, none lost, no write applied twice', async () => {
    emulator.setFaults({ rate429: 0.1, rate5xx: 0.05, rateReset: 0.05, rateMalformed: 0.05 });
    const items: AccessItem[] = principals.map((principal) => ({ resource, principal }));
    const { outcomes, stats } = await runJob(grantItems(items, 'editor'), taskOf(provider), { maxConcurrency: 16 });
    assert.equal(
      outcomes.filter((o) => o.status === 'done').length,
      120,
      JSON.stringify(outcomes.filter((o) => o.status !== 'done').map((o) => (o as { reason?: string }).reason)),
    );
    assert.ok(stats.verified > 0, 'lost answers were checked, not blindly resent');
    const editors = holders('editor');
    assert.ok(principals.every((p) => editors.has(p.id)));
    assert.deepEqual(
      [...applied().values()].filter((n) => n > 1),
      [],
      'a share the server applied was never sent again',
    );
  });

  it('never resends an invitation whose answer was lost: its outcome is unknown, with the reason', async () => {
    emulator.queueFaults('reset');
    const { outcomes } = await runJob(inviteItems(['lost@example.com', 'fine@example.com']), taskOf(provider), {
      maxConcurrency: 1,
    });
    assert.equal(outcomes[0].status, 'unknown');
    assert.match((outcomes[0] as { reason: string }).reason, /look before sending it again/);
    assert.equal(outcomes[1].status, 'done');
    assert.equal(
      emulator.requests.filter(
        (r) => r.path === '/v1/workspace/invites/add' && (r.body as { email: string }).email === 'lost@example.com',
      ).length,
      1,
      'sent once',
    );
    assert.ok(st().invites.has('lost@example.com'), 'it had in fact worked');
  });

  it('without a check step, idempotent writes are still repeated by the client after a lost answer', async () => {
    emulator.queueFaults('reset');
    const member = st().members[3];
    const outcomes = await runEach([member.email], (email, signal) => provider.setLocked(email, true, signal), {
      concurrency: 4,
    });
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done'],
    );
    assert.equal(
      emulator.requests.filter((r) => r.path === '/v1/workspace/members').length,
      2,
      'sent again by the client: a lock sets a state',
    );
    assert.equal(member.is_locked, true);
  });

  it('without a check step, a transient 500 or timeout on an idempotent write is still retried by the client, not left unknown', async () => {
    emulator.queueFaults('500');
    const member = st().members[4];
    const outcomes = await runEach([member.email], (email, signal) => provider.setLocked(email, true, signal), {
      concurrency: 4,
    });
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done'],
    );
    assert.equal(emulator.requests.filter((r) => r.path === '/v1/workspace/members').length, 2);
    assert.equal(member.is_locked, true);
  });

  it('cancelled while a lost answer waits for its check: unknown, never "skipped"', async () => {
    const controller = new AbortController();
    emulator.queueFaults('reset');
    const items = grantItems(
      principals.slice(0, 1).map((principal) => ({ resource, principal })),
      'viewer',
    );
    const task = taskOf(provider);
    const { outcomes } = await runJob(
      items,
      {
        ...task,
        run: async (i, signal) => {
          try {
            return await task.run(i, signal);
          } finally {
            controller.abort(); // the person cancels as the answer is lost
          }
        },
      },
      { maxConcurrency: 1, signal: controller.signal },
    );
    assert.equal(outcomes[0].status, 'unknown');
    assert.match((outcomes[0] as { reason: string }).reason, /cancelled before it could be checked/);
  });

  it('invites in one add-bulk call, and falls back per email where the call is refused', async () => {
    const ok = await runJob(
      inviteItems(['a@example.com', 'b@example.com', 'c@example.com']),
      taskOf(provider, { batchInvites: true }),
      { maxConcurrency: 8 },
    );
    assert.deepEqual(
      ok.outcomes.map((o) => o.status),
      ['done', 'done', 'done'],
    );
    assert.equal(emulator.requests.filter((r) => r.path === '/v1/workspace/invites/add-bulk').length, 1);
    const member = st().members[3].email;
    const mixed = await runJob(
      inviteItems(['d@unverified.org', member, 'e@example.com']),
      taskOf(provider, { batchInvites: true }),
      { maxConcurrency: 8 },
    );
    assert.deepEqual(
      mixed.outcomes.map((o) => o.status),
      ['done', 'failed', 'done'],
    );
    assert.match((mixed.outcomes[1] as { reason: string }).reason, /already a member/);
  });

  it('removes access the same way, and says who had none', async () => {
    const items: AccessItem[] = principals.slice(0, 10).map((principal) => ({ resource, principal }));
    await runJob(grantItems(items.slice(0, 5), 'viewer'), taskOf(provider), { maxConcurrency: 8 });
    const { outcomes } = await runJob(revokeItems(items), taskOf(provider), { maxConcurrency: 8 });
    assert.deepEqual(summarize(outcomes), { done: 10, failed: 0, skipped: 0, unknown: 0 });
    assert.ok(items.every((i) => !holders('viewer').has(i.principal.id)));
  });

  describe('journal and resume', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-journal-'));
    });

    it('a job interrupted midway resumes: finished items are not redone, in-flight ones are checked, nothing is sent twice', async () => {
      const items = grantItems(
        principals.slice(0, 40).map((principal) => ({ resource, principal })),
        'viewer',
      );
      const task = taskOf(provider);
      const { journal, header } = JobJournal.create(dir, {
        kind: 'share',
        title: 'Share',
        connectionId: 'c1',
        params: {},
        items: items.map((i) => ({ key: task.key(i), label: accessOf(i).principal.name, payload: i })),
      });
      // The first run's process dies after 15 answers: the requests in flight reach the server, but
      // nothing more is written to the journal and nothing new is sent.
      emulator.setFaults({ latencyMs: 5 });
      const dead = new AbortController();
      let answered = 0;
      await runJob(items, task, {
        maxConcurrency: 4,
        signal: dead.signal,
        journal: {
          sending: (k) => !dead.signal.aborted && journal.sending(k),
          requeued: (k) => !dead.signal.aborted && journal.requeued(k),
          settled: (k, r) => {
            if (dead.signal.aborted) return;
            journal.settled(k, r);
            if (++answered === 15) dead.abort();
          },
        },
      });
      journal.close();

      const [loaded] = JobJournal.list(dir).jobs;
      assert.equal(loaded.header.id, header.id);
      const inFlight = [...loaded.prior.values()].filter((s) => s === 'sending').length;
      assert.ok(inFlight >= 1, 'some were in flight when it died');
      const before = emulator.requests.filter((r) => r.path.endsWith('/share')).length;

      const claim = JobJournal.claim(loaded.file);
      assert.equal(claim.status, 'claimed');
      if (claim.status !== 'claimed') return;
      const resumed = claim.journal;
      const { outcomes, stats } = await runJob(items, task, {
        maxConcurrency: 4,
        journal: resumed,
        prior: claim.job.prior,
      });
      resumed.delete();
      assert.equal(outcomes.filter((o: Outcome<ChangeItem>) => o.status === 'done').length, 40);
      assert.equal(stats.verified, inFlight, 'each in-flight item was checked and found done');
      const sentAgain = emulator.requests.filter((r) => r.path.endsWith('/share')).length - before;
      assert.equal(sentAgain, 40 - 15 - inFlight, 'only what never went out was sent');
      assert.deepEqual(
        [...applied().values()].filter((n) => n > 1),
        [],
      );
      assert.deepEqual(JobJournal.list(dir).jobs, [], 'the journal is gone when the job ends');
    });

    it('reads a torn last line, and reports a damaged journal instead of deleting it', () => {
      const { journal } = JobJournal.create(dir, {
        kind: 'share',
        title: 'T',
        connectionId: 'c',
        params: {},
        items: [
          { key: 'a', label: 'a', payload: {} },
          { key: 'b', label: 'b', payload: {} },
        ],
      });
      journal.settled('a', { status: 'done' });
      journal.sending(['b']);
      journal.close();
      fs.appendFileSync(journal.file, '{"k":"b","s":"do');
      const { jobs } = JobJournal.list(dir);
      assert.deepEqual(
        [...jobs[0].prior],
        [
          ['a', { status: 'done' }],
          ['b', 'sending'],
        ],
      );
      fs.writeFileSync(path.join(dir, 'x.job.jsonl'), 'not json\n');
      const { unreadable } = JobJournal.list(dir);
      assert.equal(unreadable.length, 1);
      assert.ok(fs.existsSync(path.join(dir, 'x.job.jsonl')));
    });
  });
});
