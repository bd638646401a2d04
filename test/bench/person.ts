/**
 * person: one person found across three connections at once (ElevenLabs with its access index
 * built, GitBook, Confident AI), against the large data with a server limit of 16 in flight. Each
 * connection's time is compared with its requests' bound: the phases its requests fall in, one after
 * another (a phase needs the answers of the one before), each ⌈requests / 16⌉ round trips of that
 * phase's requests measured alone in the same run. Pages read one after another count one each.
 * The index lookup (what the person reaches, from 20,000 resources) is timed on its own. As in the
 * People view, GitBook's "why" (two reads per space) waits until "Can reach" is opened: `explain: false`.
 */
import * as z from 'zod';
import type { HttpClient } from '../../src/core/http/client';
import { AccessIndex, buildIndex } from '../../src/core/people/accessIndex';
import { readPerson } from '../../src/core/people/person';
import type { Provider } from '../../src/core/provider';
import type { PlatformId } from '../../src/providers';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { LIMIT, roundTrip, TARGET_RTT_MS } from './access-index';
import { ourClient, ratio, RemoteEmulator, report, timed, type RecordedCall } from './common';

/** A phase of a connection's read: which requests are in it, and whether its pages come one after another. */
interface Phase {
  readonly name: string;
  readonly match: (call: RecordedCall) => boolean;
  /** Token pages: each needs the one before. */
  readonly sequential?: boolean;
}

const PHASES: Readonly<Record<PlatformId, readonly Phase[]>> = {
  // Members and groups side by side (the groups list names each group's members).
  elevenlabs: [{ name: 'members and groups', match: () => true }],
  gitbook: [
    { name: 'member search', match: (c) => /^\/orgs\/[^/]+\/members$/.test(c.path) },
    { name: 'their spaces (pages) and teams', match: (c) => /\/members\/[^/]+\/(spaces|teams)$/.test(c.path), sequential: true },
  ],
  confident: [
    { name: 'first page, invitations, projects', match: (c) => (c.path === '/v1/organization/members' && /page=1(&|$)/.test(c.query)) || c.path === '/v1/organization/invitations' || c.path === '/v1/projects' },
    { name: 'other pages and each project', match: () => true },
  ],
};

/** One recorded GET sent again alone: how long that request takes by itself. */
async function alone(http: HttpClient, call: RecordedCall): Promise<number> {
  const query = Object.fromEntries(new URLSearchParams(call.query));
  return roundTrip(() => http.request({ method: 'GET', path: call.path, query, schema: z.unknown() }), 3);
}

async function boundOf(platform: PlatformId, http: HttpClient, calls: readonly RecordedCall[]): Promise<{ bound: number; phases: Record<string, number> }> {
  let bound = 0;
  const phases: Record<string, number> = {};
  let rest = [...calls];
  for (const phase of PHASES[platform]) {
    const mine = rest.filter(phase.match);
    rest = rest.filter((c) => !phase.match(c));
    if (mine.length === 0) continue;
    // One round waits for its slowest request; many rounds take about the typical one each.
    const samples = await Promise.all([...new Map(mine.map((c) => [`${c.path}${c.query}`, c])).values()].slice(0, 5).map((c) => alone(http, c)));
    const sorted = samples.sort((a, b) => a - b);
    const each = mine.length <= LIMIT && !phase.sequential ? sorted[sorted.length - 1] : sorted[Math.floor(sorted.length / 2)];
    const rounds = phase.sequential ? mine.length : Math.ceil(mine.length / LIMIT);
    phases[phase.name] = mine.length;
    bound += rounds * each;
  }
  return { bound: Math.round(bound), phases };
}

export async function person(): Promise<Record<string, unknown>> {
  // Each platform on its own emulator process, as each is its own server: one's load is not another's.
  const ids = ['elevenlabs', 'gitbook', 'confident'] as const;
  const emulators = await Promise.all(ids.map(() => RemoteEmulator.start('large', { latencyMs: 0 })));
  const on = (id: PlatformId) => emulators[ids.indexOf(id)];
  try {
    const http = { elevenlabs: ourClient(on('elevenlabs'), 'elevenlabs'), gitbook: ourClient(on('gitbook'), 'gitbook'), confident: ourClient(on('confident'), 'confident') };
    const el = new ElevenLabsProvider(http.elevenlabs);
    const org = (await new GitBookProvider(http.gitbook).listTenants())[0].id;
    const providers: Record<PlatformId, Provider> = { elevenlabs: el, gitbook: new GitBookProvider(http.gitbook, org), confident: new ConfidentProvider(http.confident) };
    const sample = (await el.listResources('voice')).items[0];
    const overhead = await roundTrip(() => el.sharing.access(sample));
    const latencyMs = Math.max(1, Math.round(TARGET_RTT_MS - overhead));
    for (const e of emulators) await e.setFaults({ latencyMs, maxConcurrent: LIMIT });
    const index = new AccessIndex();
    await buildIndex(el.sharing, index, { concurrency: 64 });
    // Someone in every connection, in teams and projects: the tenth member of the seed.
    const email = (await el.listMembers())[9].email;
    const start = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, (await on(id).requests(id)).length] as const))) as Record<PlatformId, number>;
    const runs = await Promise.all(ids.map((id) => timed(() => readPerson(providers[id], email, { index: id === 'elevenlabs' ? index : undefined, concurrency: 64, explain: false }))));
    // The lookup alone: what the person reaches, from the index's 20,000 resources.
    const member = runs[0].value.member;
    const groups = new Map(runs[0].value.groups.map((g) => [g.group.id, g.group.name]));
    const lookups: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      index.reach({ userId: member?.id ?? '', groups });
      lookups.push(performance.now() - t);
    }
    const lookupMs = Math.round(lookups.sort((a, b) => a - b)[10] * 10) / 10;
    const countOf = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, (await on(id).requests(id)).length - start[id]] as const))) as Record<PlatformId, number>;
    // Each connection again on its own: how much of its time the other two cost it (one event loop).
    const solo: number[] = [];
    for (const id of ids) solo.push((await timed(() => readPerson(providers[id], email, { index: id === 'elevenlabs' ? index : undefined, concurrency: 64, explain: false }))).ms);
    const connections: Record<string, unknown> = {};
    let worst = 0;
    for (const [i, id] of ids.entries()) {
      await on(id).setFaults({ latencyMs });
      const calls = (await on(id).requests(id)).slice(start[id], start[id] + (runs[i].value ? countOf[id] : 0));
      const { bound, phases } = await boundOf(id, http[id], calls);
      const r = ratio(runs[i].ms, bound);
      worst = Math.max(worst, r);
      connections[id] = { ms: runs[i].ms, alone_ms: solo[i], requests: calls.length, phases, bound_ms: bound, bound_ratio: r, reached: runs[i].value.reach.length, groups: runs[i].value.groups.length, projects: runs[i].value.projects.length };
    }
    return report('person', {
      latency_ms: latencyMs,
      connections,
      worst_bound_ratio: worst,
      index_lookup_ms: lookupMs,
      targets: { worst_bound_ratio: '<= 1.2', index_lookup_ms: '<= 20' },
    });
  } finally {
    await Promise.all(emulators.map((e) => e.close()));
  }
}
