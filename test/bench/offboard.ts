/**
 * offboard: one person with a seat, 5 groups, 3 teams, 2 projects and 300 direct shares, offboarded
 * across the three connections in one job (each platform its own emulator process, 16 requests in
 * flight each, 50 ms added to every answer). The plan comes from the person as read (ElevenLabs
 * through its access index). Target: ≤ 1.25 × the slowest connection's bound (⌈its writes / 16⌉
 * round trips, measured alone in the same run), nothing lost, nothing sent twice.
 */
import { runJob } from '../../src/core/jobs/engine';
import { grantItems, taskOf } from '../shared/changeItems';
import { ReachIndex, buildIndex } from '../../src/core/people/reachIndex';
import { changeKey, type ChangeItem } from '../../src/core/changes/change';
import { changeTask } from '../../src/core/changes/task';
import { readPerson } from '../../src/core/people/person';
import { offboardPlan } from '../../src/core/people/plans';
import type { Provider } from '../../src/core/provider';
import type { PlatformId } from '../../src/providers';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { LIMIT, roundTrip } from './access-index';
import { LATENCY_MS, ourClient, ratio, RemoteEmulator, report, timed } from './common';

const SHARES = 300;

export async function offboard(): Promise<Record<string, unknown>> {
  const ids = ['elevenlabs', 'gitbook', 'confident'] as const;
  const emulators = await Promise.all(ids.map(() => RemoteEmulator.start('large', { latencyMs: 0 })));
  const on = (id: PlatformId) => emulators[ids.indexOf(id)];
  try {
    const el = new ElevenLabsProvider(ourClient(on('elevenlabs'), 'elevenlabs'));
    const gbHttp = ourClient(on('gitbook'), 'gitbook');
    const org = (await new GitBookProvider(gbHttp).listTenants())[0].id;
    const providers: Record<PlatformId, Provider> = {
      elevenlabs: el,
      gitbook: new GitBookProvider(gbHttp, org),
      confident: new ConfidentProvider(ourClient(on('confident'), 'confident')),
    };
    // The 21st member of the seed: an owner of one Confident AI project and a member of another.
    const who = (await el.listMembers())[20];
    // Their access, set up through the APIs: 5 groups and 300 direct shares, 3 teams.
    const all = (await el.listGroups()).filter((g) => !g.system);
    const groups = all
      .filter((g) => !g.memberEmails.includes(who.email))
      .slice(0, 5 - all.filter((g) => g.memberEmails.includes(who.email)).length);
    for (const g of groups) await el.addToGroup(g.id, who.email);
    const resources = (await el.listResources('convai_agents')).items;
    const more = (await el.listResources('convai_agents', (await el.listResources('convai_agents')).next)).items;
    const picked = [
      ...resources,
      ...more,
      ...(await el.listResources('pronunciation_dictionary')).items,
      ...(await el.listResources('dubbing')).items,
    ].slice(0, SHARES);
    const principal = { kind: 'user' as const, id: who.id, name: who.name, email: who.email };
    await runJob(
      grantItems(
        picked.map((resource) => ({ resource, principal })),
        'editor',
      ),
      taskOf(el),
      { maxConcurrency: 16 },
    );
    const gb = providers.gitbook;
    const gbMember = (await gb.members?.search?.(who.email))?.find((m) => m.email === who.email);
    if (!gbMember) throw new Error('offboard: the person is not a GitBook member');
    for (const t of ((await gb.groups?.list()) ?? []).slice(0, 3)) await gb.groups?.add?.(t.id, who.email);
    // The index, read at a low latency (its own benchmark times it), then 50 ms for the offboarding.
    const index = new ReachIndex();
    await buildIndex(el.sharing, index, { concurrency: 64 });
    for (const e of emulators) await e.setFaults({ latencyMs: LATENCY_MS, maxConcurrent: LIMIT });
    const reads = await Promise.all(
      ids.map((id) =>
        readPerson(providers[id], who.email, { index: id === 'elevenlabs' ? index : undefined, concurrency: 64 }),
      ),
    );
    const items: ChangeItem[] = reads.flatMap((here, i) =>
      offboardPlan(ids[i], providers[ids[i]], here, false)
        .changes.filter((c) => c.checked)
        .map((c) => ({ connectionId: ids[i], change: c.change })),
    );
    const writesOf = (id: PlatformId) => items.filter((i) => i.connectionId === id).length;
    const rtt = await Promise.all(ids.map((id) => roundTrip(() => providers[id].whoAmI(), 5)));
    const bounds = ids.map((id, i) => Math.ceil(writesOf(id) / LIMIT) * rtt[i]);
    const before = Object.fromEntries(
      await Promise.all(ids.map(async (id) => [id, (await on(id).requests(id)).length] as const)),
    ) as Record<PlatformId, number>;
    const run = await timed(() =>
      runJob(
        items,
        changeTask((id) => providers[id as PlatformId]),
        { maxConcurrency: 64 },
      ),
    );
    // Audit: every change in effect; no write applied twice (the same method, path and body answered 2xx twice).
    let duplicated = 0;
    for (const id of ids) {
      const applied = new Map<string, number>();
      for (const c of (await on(id).requests(id)).slice(before[id])) {
        if (c.method === 'GET' || c.status >= 300) continue;
        const key = `${c.method} ${c.path} ${JSON.stringify(c.body)}`;
        applied.set(key, (applied.get(key) ?? 0) + 1);
      }
      duplicated += [...applied.values()].filter((n) => n > 1).length;
    }
    for (const e of emulators) await e.setFaults({ latencyMs: 0 });
    const after = await Promise.all(
      ids.map((id) => readPerson(providers[id], who.email, { index: undefined, concurrency: 64 })),
    );
    const elNow = await el.listMembers();
    const still = {
      locked: elNow.find((m) => m.email === who.email)?.locked === true,
      groups: after[0].groups.filter((g) => !g.group.system).length,
      shares: (await Promise.all(picked.map((r) => el.roleOf(r, principal)))).filter((r) => r !== undefined).length,
      gitbook: after[1].member ? 1 : 0,
      confident: after[2].member ? 1 : 0,
    };
    const lost = (still.locked ? 0 : 1) + still.groups + still.shares + still.gitbook + still.confident;
    const slowest = Math.max(...bounds);
    return report('offboard', {
      changes: items.length,
      per_connection: Object.fromEntries(
        ids.map((id, i) => [id, { writes: writesOf(id), rtt_ms: rtt[i], bound_ms: Math.round(bounds[i]) }]),
      ),
      planned: {
        groups: items.filter((i) => i.change.op === 'leave-group').length,
        shares: items.filter((i) => i.change.op === 'revoke').length,
        removals: items.filter((i) => i.change.op === 'remove-member').length,
        locks: items.filter((i) => i.change.op === 'set-locked').length,
      },
      ms: run.ms,
      slowest_bound_ms: Math.round(slowest),
      bound_ratio: ratio(run.ms, slowest),
      not_done: run.value.outcomes
        .filter((o) => o.status !== 'done')
        .map((o) => `${changeKey(o.item)}: ${'reason' in o ? o.reason : ''}`)
        .slice(0, 3),
      lost,
      duplicated,
      targets: { bound_ratio: '<= 1.25', lost: 0, duplicated: 0 },
    });
  } finally {
    await Promise.all(emulators.map((e) => e.close()));
  }
}
