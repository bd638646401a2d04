/**
 * share-fanout: one resource shared with 200 members. The emulator answers 429 above 16 requests in
 * flight and adds 50 ms to every answer. Ours: the bulk engine (adaptive window). The SDK: the
 * sequential loop its docs show, one awaited share per member.
 */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { runJob } from '../../src/core/jobs/engine';
import type { ChangeItem } from '../../src/core/changes/change';
import { grantItems, taskOf } from '../shared/changeItems';
import type { Principal, Resource } from '../../src/core/model';
import * as api from '../../src/providers/elevenlabs/client';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { LATENCY_MS, ourClient, ratio, RemoteEmulator, report, timed } from './common';

const COUNT = 200;
const LIMIT = 16;

/** Principals the server does not show with the role, and principals whose share it applied more than once. */
export async function shareAudit(
  emulator: RemoteEmulator,
  resource: Resource,
  principals: readonly Principal[],
  role: string,
): Promise<{ lost: number; duplicated: number }> {
  const meta = await api.getResource(ourClient(emulator, 'elevenlabs'), resource.id, resource.type);
  const holders = new Set(meta.role_to_group_ids[role] ?? []);
  const applied = new Map<string, number>();
  for (const req of await emulator.requests('elevenlabs', 'POST')) {
    if (
      req.path !== `/v1/workspace/resources/${resource.id}/share` ||
      req.status !== 200 ||
      (req.body as { role?: string }).role !== role
    )
      continue;
    const email = (req.body as { user_email?: string }).user_email ?? '';
    applied.set(email, (applied.get(email) ?? 0) + 1);
  }
  return {
    lost: principals.filter((p) => !holders.has(p.id)).length,
    duplicated: [...applied.values()].filter((n) => n > 1).length,
  };
}

/** A voice and 200 members who are neither its creator nor the owner. */
export async function shareSetup(
  emulator: RemoteEmulator,
  count = COUNT,
): Promise<{ resource: Resource; principals: Principal[] }> {
  const provider = new ElevenLabsProvider(ourClient(emulator, 'elevenlabs'));
  const resource = (await provider.listResources('voice')).items[0];
  const meta = await api.getResource(ourClient(emulator, 'elevenlabs'), resource.id, resource.type);
  const admins = new Set(meta.role_to_group_ids.admin ?? []);
  const members = await provider.listMembers();
  const principals = members
    .filter((m) => !admins.has(m.id) && m.role !== 'owner')
    .slice(1, count + 1)
    .map((m): Principal => ({ kind: 'user', id: m.id, name: m.name, email: m.email }));
  return { resource, principals };
}

export async function shareFanout(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large');
  try {
    const { resource, principals } = await shareSetup(emulator);
    // The issue asks for 200 principals on one resource; the docs' cap is 100.
    await emulator.setPrincipalCap(10_000);
    await emulator.setFaults({ maxConcurrent: LIMIT });

    const provider = new ElevenLabsProvider(ourClient(emulator, 'elevenlabs'));
    await provider.whoAmI(); // both sides are warmed by one call: module loading is not what is compared
    const items = grantItems(
      principals.map((principal) => ({ resource, principal })),
      'viewer',
    );
    // Ours three times on fresh data (the median counts; these machines are shared and noisy), the SDK's loop once.
    const runs: {
      ms: number;
      value: Awaited<ReturnType<typeof runJob<ChangeItem>>>;
      audit: { lost: number; duplicated: number };
      refused: number;
    }[] = [];
    for (let rep = 0; rep < 3; rep++) {
      if (rep > 0) {
        await emulator.reset();
        await emulator.setPrincipalCap(10_000);
        await emulator.setFaults({ maxConcurrent: LIMIT });
      }
      const run = await timed(() => runJob(items, taskOf(provider), { maxConcurrency: 64 }));
      runs.push({
        ...run,
        audit: await shareAudit(emulator, resource, principals, 'viewer'),
        refused: (await emulator.stats()).faults['429'],
      });
    }
    const ours = [...runs].sort((a, b) => a.ms - b.ms)[1];
    const audit = {
      lost: Math.max(...runs.map((r) => r.audit.lost)),
      duplicated: Math.max(...runs.map((r) => r.audit.duplicated)),
    };
    const notDone = Math.max(...runs.map((r) => r.value.outcomes.filter((o) => o.status !== 'done').length));
    const refused = ours.refused;

    await emulator.reset();
    await emulator.setPrincipalCap(10_000);
    await emulator.setFaults({ maxConcurrent: LIMIT });
    const c = emulator.connection('elevenlabs');
    const sdk = new ElevenLabsClient({ apiKey: c.key, baseUrl: c.baseUrl });
    await sdk.workspace.resources.share(resource.id, { role: 'viewer', resourceType: 'voice', groupId: 'default' });
    const theirs = await timed(async () => {
      for (const p of principals)
        await sdk.workspace.resources.share(resource.id, { role: 'viewer', resourceType: 'voice', userEmail: p.email });
    });
    const sdkAudit = await shareAudit(emulator, resource, principals, 'viewer');

    const bound = Math.ceil(COUNT / LIMIT) * LATENCY_MS;
    return report('share-fanout', {
      items: COUNT,
      server_limit: LIMIT,
      latency_ms: LATENCY_MS,
      ours_runs_ms: runs.map((r) => r.ms),
      ours_ms: ours.ms,
      sdk_ms: theirs.ms,
      speedup: ratio(theirs.ms, ours.ms),
      bound_ms: bound,
      bound_ratio: ratio(ours.ms, bound),
      lost: audit.lost + notDone,
      duplicated: audit.duplicated,
      ours_429: refused,
      ours_max_in_flight: ours.value.stats.maxInFlight,
      sdk_lost: sdkAudit.lost,
      targets: { speedup: '>= 12', bound_ratio: '<= 1.25', lost: 0, duplicated: 0 },
    });
  } finally {
    await emulator.close();
  }
}

if (require.main === module) void shareFanout();
