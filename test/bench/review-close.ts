/**
 * review-close: a review of everyone on the large data of the three connections (each platform its
 * own emulator process), with `revoke` and a reason decided on 1,000 of its items spread across the
 * three platforms (a third each), closed as the command line closes one: closePlan against live read
 * afresh, then the changes sent as one journaled job with the command line's own task and window
 * (src/cli/reviewClose.ts: no check before each send; 16 requests in flight per connection, a window
 * of 48 for the job), in the plan's order (taken in turn from each connection), against servers that
 * take 16 at a time, 50 ms per answer. Its bound: the slowest connection's writes at that latency and
 * concurrency, ⌈writes / 16⌉ round trips (the round trip measured in the same run). Then every
 * emulator's request log is audited (a write answered 2xx twice is sent twice), live is read again
 * and closePlan made again: what it still plans is lost, and a second close must send nothing.
 * Targets: ≤ 1.25 × the slowest connection's bound, 0 lost, 0 sent twice, the second close empty.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLive } from '../../src/core/access/live';
import type { ChangeItem } from '../../src/core/changes/change';
import { describeChange } from '../../src/core/changes/words';
import { JobJournal, type JobItem } from '../../src/core/jobs/journal';
import { runJournaled } from '../../src/core/jobs/runJournaled';
import type { Provider } from '../../src/core/provider';
import { closePlan, type ClosePlan } from '../../src/core/review/close';
import { closeWindow, taskOf } from '../../src/cli/reviewClose';
import { REVOKE, type Review, type ReviewItem } from '../../src/core/review/review';
import { startReview, type ConnectionRead } from '../../src/core/review/start';
import { createProvider, PLATFORMS, type PlatformId } from '../../src/providers';
import { LIMIT, roundTrip } from './access-index';
import { LATENCY_MS, ourClient, ratio, RemoteEmulator, report, timed } from './common';

const IDS: readonly PlatformId[] = ['elevenlabs', 'gitbook', 'confident'];
const REVOCATIONS = 1_000;
/** The command line's `--concurrency`: requests in flight per connection. */
const CONCURRENCY = 16;

/**
 * The items decided revoke: a third on each platform, people in the file's order. Direct grants,
 * groups and projects first; where a platform has too few, memberships of people with nothing else
 * chosen there (a membership's revoke takes the rest with it). Never an owner's, an admin's or a
 * creator's item.
 */
function chooseRevocations(review: Review): Set<ReviewItem> {
  const chosen = new Set<ReviewItem>();
  IDS.forEach((at, i) => {
    const want = Math.floor(REVOCATIONS / IDS.length) + (i < REVOCATIONS % IDS.length ? 1 : 0);
    let taken = 0;
    const touched = new Set<string>();
    for (const p of review.people)
      for (const item of p.access) {
        if (taken === want) return;
        if (item.at !== at || item.kind === 'member' || item.kind === 'invitation') continue;
        if (item.via && item.via !== 'direct') continue;
        chosen.add(item);
        touched.add(p.email);
        taken++;
      }
    for (const p of review.people)
      for (const item of p.access) {
        if (taken === want) return;
        if (item.at !== at || item.kind !== 'member' || item.via || touched.has(p.email)) continue;
        chosen.add(item);
        taken++;
      }
  });
  return chosen;
}

/** Writes each emulator's log shows answered 2xx since `since`, by what they sent. */
async function writesSince(
  emulators: readonly RemoteEmulator[],
  since: readonly number[],
): Promise<{ total: number; twice: number; reads: number; byPlatform: Record<string, number> }> {
  let total = 0;
  let twice = 0;
  let reads = 0;
  const byPlatform: Record<string, number> = {};
  for (const [i, id] of IDS.entries()) {
    const counts = new Map<string, number>();
    for (const c of (await emulators[i].requests(id)).slice(since[i])) {
      if (c.method === 'GET') reads++;
      if (c.method === 'GET' || c.status >= 300) continue;
      const key = `${c.method} ${c.path}${c.query} ${JSON.stringify(c.body)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    byPlatform[id] = [...counts.values()].reduce((a, b) => a + b, 0);
    total += byPlatform[id];
    twice += [...counts.values()].filter((n) => n > 1).length;
  }
  return { total, twice, reads, byPlatform };
}

export async function reviewClose(): Promise<Record<string, unknown>> {
  const emulators = await Promise.all(IDS.map(() => RemoteEmulator.start('large', { latencyMs: 0 })));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-bench-review-close-'));
  try {
    const providers = new Map<string, Provider>(
      IDS.map((id, i) => {
        const c = emulators[i].connection(id);
        return [id, createProvider(id, ourClient(emulators[i], id), c.tenantId)];
      }),
    );
    const readAll = (): Promise<ConnectionRead[]> =>
      Promise.all(
        IDS.map(async (id) => {
          const provider = providers.get(id)!;
          provider.invalidate();
          return {
            key: id,
            platform: id,
            name: PLATFORMS[id].label,
            provider,
            live: await readLive(provider, undefined, { concurrency: 64 }),
          };
        }),
      );
    // The review as started, then decided: 1,000 revokes with a reason, keep for the rest.
    const started = await timed(readAll);
    const review = startReview(started.value, {
      name: '2026 Q4',
      due: '2026-12-31',
      reviewers: ['ada@example.com'],
      scope: { people: 'everyone', connections: [...IDS] },
      started: new Date().toISOString(),
    });
    const revoked = chooseRevocations(review);
    const decided: Review = {
      ...review,
      people: review.people.map((p) => ({
        ...p,
        access: p.access.map((i) =>
          revoked.has(i)
            ? { ...i, decision: REVOKE, reason: 'not needed since the reorganisation' }
            : { ...i, decision: 'keep' },
        ),
      })),
      signoff: { name: 'Ada Lovelace', email: 'ada@example.com', at: new Date().toISOString() },
    };
    const items = review.people.reduce((n, p) => n + p.access.length, 0);

    // Close: live read afresh, the plan made, the changes sent as one journaled job.
    const fresh = await timed(readAll);
    const planned = await timed(() => Promise.resolve(closePlan(decided, fresh.value)));
    const plan: ClosePlan = planned.value;
    const writesOf = (id: string) => plan.changes.filter((c) => c.at === id).length;
    for (const e of emulators) await e.setFaults({ latencyMs: LATENCY_MS, maxConcurrent: LIMIT });
    const rtt = await Promise.all(IDS.map((id) => roundTrip(() => providers.get(id)!.whoAmI(), 9)));
    const bounds = IDS.map((id, i) => Math.ceil(writesOf(id) / LIMIT) * rtt[i]);
    const slowest = Math.max(...bounds);
    const send = async (changes: ClosePlan['changes']) => {
      // The command line's own task and window (src/cli/reviewClose.ts).
      const task = taskOf(providers);
      const jobItems: JobItem[] = changes.map((c) => {
        const payload: ChangeItem = { connectionId: c.at, change: c.change };
        return { key: task.key(payload), label: describeChange(c.change), payload };
      });
      const { journal } = JobJournal.create(path.join(dir, 'jobs'), {
        kind: 'review',
        title: 'Close 2026 Q4',
        connectionId: '*',
        params: { file: path.join(dir, '2026-q4.access-review.yaml') },
        items: jobItems,
      });
      return runJournaled(journal, jobItems, task, { maxConcurrency: closeWindow(CONCURRENCY, jobItems) });
    };
    // In the order the close plans them: taken in turn from each connection.
    const since = await Promise.all(IDS.map(async (id, i) => (await emulators[i].requests(id)).length));
    const run = await timed(() => send(plan.changes));
    const sent = await writesSince(emulators, since);
    for (const e of emulators) await e.setFaults({ latencyMs: 0, maxConcurrent: 0 });

    // A second close: live read afresh, the plan made again; what it plans is lost, and it sends it (nothing).
    const since2 = await Promise.all(IDS.map(async (id, i) => (await emulators[i].requests(id)).length));
    const again = closePlan(decided, await readAll());
    if (again.changes.length) await send(again.changes);
    const second = await writesSince(emulators, since2);
    const journals = fs.existsSync(path.join(dir, 'jobs')) ? fs.readdirSync(path.join(dir, 'jobs')).length : 0;
    const kinds: Record<string, number> = {};
    for (const c of plan.changes) kinds[c.change.op] = (kinds[c.change.op] ?? 0) + 1;
    return report('review-close', {
      review_people: review.people.length,
      review_items: items,
      revocations: revoked.size,
      planned_changes: plan.changes.length,
      planned_ops: kinds,
      gone: plan.gone.length,
      unreviewed: plan.unreviewed.length,
      read_ms: fresh.ms,
      close_plan_ms: planned.ms,
      per_connection: Object.fromEntries(
        IDS.map((id, i) => [id, { writes: writesOf(id), rtt_ms: rtt[i], bound_ms: Math.round(bounds[i]) }]),
      ),
      ms: run.ms,
      slowest_bound_ms: Math.round(slowest),
      bound_ratio: ratio(run.ms, slowest),
      not_done: run.value.outcomes
        .filter((o) => o.status !== 'done')
        .map((o) => `${o.item.label}: ${'reason' in o ? o.reason : ''}`)
        .slice(0, 3),
      done: run.value.outcomes.filter((o) => o.status === 'done').length,
      writes: sent.total,
      reads_during_job: sent.reads,
      window: closeWindow(
        CONCURRENCY,
        plan.changes.map((c) => ({ payload: { connectionId: c.at } })),
      ),
      cautions: plan.changes.filter((c) => c.caution).length,
      writes_by_platform: sent.byPlatform,
      lost: again.changes.length,
      sent_twice: sent.twice,
      second_plan_changes: again.changes.length,
      second_plan_gone: again.gone.length,
      second_close_writes: second.total,
      journals_left: journals,
      targets: { bound_ratio: '<= 1.25', lost: 0, sent_twice: 0, second_plan_changes: 0, second_close_writes: 0 },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await Promise.all(emulators.map((e) => e.close()));
  }
}
