/**
 * apply: the access-file benchmark's 1,000 changes (a grant on each of 1,000 ElevenLabs resources)
 * applied as the extension applies them (the bulk engine, 16 in flight) against a server that takes
 * 16 at a time, 50 ms per answer. Target: ≤ 1.25 × the bound (⌈1,000 / 16⌉ round trips, measured in
 * the same run), nothing lost, nothing sent twice, and a second Plan right after finds nothing.
 */
import { runJob } from '../../src/core/jobs/engine';
import { changeKey } from '../../src/core/changes/change';
import { changeTask } from '../../src/core/changes/task';
import { parseAccessFile } from '../../src/core/access/parse';
import { planFile, todayUtc } from '../../src/core/access/plan';
import { ACCESS_FILE_FACTS } from '../../src/providers';
import { CHANGES, exportLarge, withChanges } from './access-file';
import { LIMIT, roundTrip } from './access-index';
import { LATENCY_MS, RemoteEmulator, ratio, report, timed } from './common';

export async function apply(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large', { latencyMs: 0 });
  try {
    const { provider, live, text } = await exportLarge(emulator);
    const file = withChanges(text, live.members[7].email, CHANGES);
    const target = { connectionId: 'large', provider };
    const plan = await planFile(parseAccessFile(file, ACCESS_FILE_FACTS), () => target, {
      today: todayUtc(),
      concurrency: 16,
      read: () => Promise.resolve(live),
    });
    const items = plan.changes.map((c) => ({ connectionId: c.connectionId, change: c.change }));
    await emulator.setFaults({ latencyMs: LATENCY_MS, maxConcurrent: LIMIT });
    const rtt = await roundTrip(() => provider.whoAmI(), 9);
    const bound = Math.ceil(items.length / LIMIT) * rtt;
    const before = (await emulator.requests('elevenlabs')).length;
    const run = await timed(() =>
      runJob(
        items,
        changeTask(() => provider),
        { maxConcurrency: 16 },
      ),
    );
    const calls = (await emulator.requests('elevenlabs')).slice(before);
    const applied = new Map<string, number>();
    for (const c of calls) {
      if (c.method === 'GET' || c.status >= 300) continue;
      const key = `${c.method} ${c.path} ${JSON.stringify(c.body)}`;
      applied.set(key, (applied.get(key) ?? 0) + 1);
    }
    await emulator.setFaults({ latencyMs: 0, maxConcurrent: 0 });
    provider.invalidate();
    // Plan again, reading live afresh: what was not applied shows up as a change still to make.
    const again = await timed(() =>
      planFile(parseAccessFile(file, ACCESS_FILE_FACTS), () => target, { today: todayUtc(), concurrency: 16 }),
    );
    const stats = await emulator.stats();
    return report('apply', {
      changes: items.length,
      rtt_ms: rtt,
      bound_ms: Math.round(bound),
      ms: run.ms,
      bound_ratio: ratio(run.ms, bound),
      not_done: run.value.outcomes
        .filter((o) => o.status !== 'done')
        .map((o) => `${changeKey(o.item)}: ${'reason' in o ? o.reason : ''}`)
        .slice(0, 3),
      lost: again.value.changes.length,
      duplicated: [...applied.values()].filter((n) => n > 1).length,
      second_plan_changes: again.value.changes.length,
      second_plan_ms: again.ms,
      refusals: stats.faults,
      targets: { bound_ratio: '<= 1.25', lost: 0, duplicated: 0, second_plan_changes: 0 },
    });
  } finally {
    await emulator.close();
  }
}

if (require.main === module) void apply();
