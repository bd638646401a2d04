/**
 * tree-scale: the emulator's "large" data (5,000 members, 1,000 groups, 20,000 resources) with 50 ms
 * added to every answer. For each tree level, the requests and milliseconds to its first page, made
 * with the provider calls that level's node makes (what loads in the background is counted apart),
 * and the heap growth of this process across all of them.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { Resource } from '../../src/core/model';
import type { KnownAccount, Provider } from '../../src/core/provider';
import { createProvider } from '../../src/providers';
import { LATENCY_MS, ourClient, RemoteEmulator, report, timed } from './common';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A capability the benchmark relies on: its absence is a broken benchmark, said at once. */
function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('tree-scale: a provider lacks a capability group the tree uses');
  return value;
}

interface Level {
  readonly name: string;
  readonly load: () => Promise<unknown>;
  /** Requests the level starts in the background for a later level (not waited for), by path. */
  readonly background?: { readonly platform: 'confident'; readonly path: string };
}

export async function treeScale(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large');
  try {
    const accounts: Partial<Record<string, KnownAccount>> = {};
    const fresh = (id: 'elevenlabs' | 'gitbook' | 'confident'): Provider =>
      createProvider(id, ourClient(emulator, id), emulator.connection(id).tenantId, accounts[id]);
    // Warm the code with one call per platform (module loading is not what is measured; it is also
    // Add Connection's check, whose account a stored connection keeps), and take the round trip
    // from a small read; then measure with fresh providers, as a new window has.
    for (const id of ['elevenlabs', 'gitbook', 'confident'] as const) accounts[id] = await fresh(id).whoAmI();
    const probe = fresh('elevenlabs');
    const rtts: number[] = [];
    for (let i = 0; i < 5; i++) rtts.push((await timed(() => probe.whoAmI())).ms);
    const rtt = [...rtts].sort((a, b) => a - b)[2];
    const el = fresh('elevenlabs');
    const gb = fresh('gitbook');
    const ca = fresh('confident');

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const keep: unknown[] = [];
    let elVoice = { id: '', type: 'voice' };
    let gbTeam = '';
    let elGroup = '';
    let gbSpace: Resource = { id: '', type: 'space', name: '' };
    let caProject = '';
    const levels: Level[] = [
      { name: 'elevenlabs: account', load: () => el.whoAmI() },
      {
        name: 'elevenlabs: groups',
        load: async () =>
          (elGroup = (await must(el.groups).page()).items.find((g) => g.memberEmails.length > 0)?.id ?? ''),
      },
      { name: 'elevenlabs: group members', load: () => must(el.groups).members(elGroup) },
      { name: 'elevenlabs: members', load: () => must(el.members).page() },
      { name: 'elevenlabs: service accounts', load: () => must(el.serviceAccounts).list() },
      { name: 'elevenlabs: voices', load: async () => (elVoice = (await must(el.sharing).list('voice')).items[0]) },
      { name: 'elevenlabs: grants', load: () => must(el.sharing).access(elVoice) },
      { name: 'gitbook: account', load: () => gb.whoAmI() },
      {
        name: 'gitbook: teams',
        load: async () =>
          (gbTeam = (await must(gb.groups).page()).items.find((t) => (t.memberCount ?? 0) > 0)?.id ?? ''),
      },
      { name: 'gitbook: team members', load: () => must(gb.groups).members(gbTeam) },
      { name: 'gitbook: members', load: () => must(gb.members).page() },
      { name: 'gitbook: invite links', load: () => must(gb.inviteLinks).list() },
      { name: 'gitbook: spaces', load: async () => (gbSpace = (await must(gb.sharing).list('space')).items[0]) },
      {
        name: 'gitbook: space (default level; folders)',
        load: () => Promise.resolve(must(gb.sharing).fixedGrants?.(gbSpace)),
      },
      { name: 'gitbook: grants: users', load: () => must(must(gb.sharing).grantLists)[0].page(gbSpace) },
      { name: 'gitbook: grants: teams', load: () => must(must(gb.sharing).grantLists)[1].page(gbSpace) },
      {
        name: 'confident: account',
        load: () => ca.whoAmI(),
        background: { platform: 'confident', path: '/v1/organization/roles' },
      },
      { name: 'confident: members', load: () => must(ca.members).page() },
      {
        name: 'confident: invitations',
        load: () => Promise.all([must(must(ca.invitations).list)(), must(must(ca.members).roles).choices()]),
      },
      { name: 'confident: projects', load: async () => (caProject = (await must(ca.projects).list())[0].id) },
      { name: 'confident: project members', load: () => must(ca.projects).members(caProject) },
      {
        name: 'confident: project invitations',
        load: () => must(must(must(ca.projects).invitations)(caProject).list)(),
      },
    ];
    const rows: { level: string; requests: number; ms: number; ok: boolean }[] = [];
    const background: Record<string, number> = {};
    for (const level of levels) {
      if (level.name === 'elevenlabs: voices') {
        // Expanding Resources starts the directory that names grants (see Sharing.prepare); it is not waited for.
        const before = (await emulator.stats()).requests;
        await must(el.sharing).prepare?.();
        background['elevenlabs: resources (directory that names grants)'] = (await emulator.stats()).requests - before;
      }
      const before = (await emulator.stats()).requests;
      const backgroundBefore = level.background
        ? (await emulator.requests(level.background.platform, 'GET')).filter((r) => r.path === level.background!.path)
            .length
        : 0;
      const { ms, value } = await timed(level.load);
      keep.push(value);
      await new Promise((r) => setTimeout(r, 2 * rtt)); // let background requests land before counting
      let requests = (await emulator.stats()).requests - before;
      if (level.background) {
        const started =
          (await emulator.requests(level.background.platform, 'GET')).filter((r) => r.path === level.background!.path)
            .length - backgroundBefore;
        background[`${level.name} (${level.background.path})`] = started;
        requests -= started;
      }
      rows.push({ level: level.name, requests, ms, ok: ms <= 1.2 * rtt + 50 });
    }
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    return report('tree-scale', {
      data: { members: 5000, groups: 1000, resources: 20000 },
      latency_ms: LATENCY_MS,
      rtt_ms: rtt,
      levels: rows,
      max_requests_per_level: Math.max(...rows.map((r) => r.requests)),
      all_within_time: rows.every((r) => r.ok),
      background_requests: background,
      heap_growth_mb: Math.round((heapGrowth / 1024 / 1024) * 10) / 10,
      kept: keep.length,
      targets: { requests_per_level: 1, ms_per_level: '<= 1.2 x rtt + 50', heap_growth_mb: '<= 50' },
    });
  } finally {
    await emulator.close();
  }
}

if (require.main === module) void treeScale();
