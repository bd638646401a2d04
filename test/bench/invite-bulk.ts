/**
 * invite-bulk: 1,000 emails. Ours: every row checked (syntax, duplicates, already a member against
 * the roster the preview already read) and sent in the platform's bulk call, with a result per
 * email. The SDK: `createBatch` with all of them in one call. Then the same 1,000 on a domain that
 * is not verified (add-bulk refused): our per-email fallback against the SDK's per-email loop.
 */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { runJob } from '../../src/core/jobs/engine';
import { checkInviteRows, parsePastedEmails } from '../../src/core/inviteRows';
import { inviteItems, taskOf } from '../shared/changeItems';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { ourClient, ratio, RemoteEmulator, report, timed, type RecordedCall } from './common';

v8.setFlagsFromString('--expose-gc');
/** Collected before every timed run, either side, so one side's garbage is not the other's pause. */
const gc = vm.runInNewContext('gc') as () => void;

const COUNT = 1000;
const REPS = 9;
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/** Emails the server accepted, and emails it accepted more than once. */
function audit(calls: readonly RecordedCall[], emails: readonly string[]): { lost: number; duplicated: number } {
  const times = new Map<string, number>();
  for (const c of calls) {
    if (c.status !== 200 || !c.path.startsWith('/v1/workspace/invites/add')) continue;
    const body = c.body as { email?: string; emails?: string[] };
    for (const e of body.emails ?? [body.email!]) times.set(e, (times.get(e) ?? 0) + 1);
  }
  return {
    lost: emails.filter((e) => !times.has(e)).length,
    duplicated: [...times.values()].filter((n) => n > 1).length,
  };
}

/** One client per connection, as the extension keeps it. */
async function ours(provider: ElevenLabsProvider, emails: readonly string[]) {
  // Warm, as the SDK side is: one invitation through the same path (module loading and JIT are not what is compared).
  checkInviteRows(parsePastedEmails('warm.up@example.com'), {
    members: new Set(),
    roles: provider.seatTypes,
    groupWord: 'group',
    groups: [],
  });
  await runJob(inviteItems(['warm.up@example.com']), taskOf(provider, { batchInvites: true }), { maxConcurrency: 32 });
  const roster = await timed(() => provider.listMembers());
  const members = new Set(roster.value.map((m) => m.email.toLowerCase()));
  const run = await timed(async () => {
    const { valid, rejected } = checkInviteRows(parsePastedEmails(emails.join('\n')), {
      members,
      roles: provider.seatTypes,
      groupWord: 'group',
      groups: [],
    });
    const { outcomes } = await runJob(
      inviteItems(valid.map((v) => v.email)),
      taskOf(provider, { batchInvites: true }),
      { maxConcurrency: 32 },
    );
    return {
      rejected: rejected.length,
      done: outcomes.filter((o) => o.status === 'done').length,
      results: outcomes.length + rejected.length,
    };
  });
  return { ms: run.ms, rosterMs: roster.ms, ...run.value };
}

function sdkFor(emulator: RemoteEmulator): ElevenLabsClient {
  const c = emulator.connection('elevenlabs');
  return new ElevenLabsClient({ apiKey: c.key, baseUrl: c.baseUrl });
}

export async function inviteBulk(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('demo');
  try {
    // Nine runs a side, alternating, each on fresh emulator data; the medians are compared.
    const verified = Array.from({ length: COUNT }, (_, i) => `invitee.${i}@example.com`);
    const sdk = sdkFor(emulator);
    await sdk.workspace.invites.create({ email: 'warm.up@example.com' });
    const provider = new ElevenLabsProvider(ourClient(emulator, 'elevenlabs'));
    const oursRuns: Awaited<ReturnType<typeof ours>>[] = [];
    const sdkRuns: number[] = [];
    let aAudit = { lost: 0, duplicated: 0 };
    for (let rep = 0; rep < REPS; rep++) {
      await emulator.reset();
      gc();
      oursRuns.push(await ours(provider, verified));
      const audited = audit(await emulator.requests('elevenlabs', 'POST'), verified);
      aAudit = { lost: aAudit.lost + audited.lost, duplicated: aAudit.duplicated + audited.duplicated };
      await emulator.reset();
      gc();
      sdkRuns.push((await timed(() => sdk.workspace.invites.createBatch({ emails: verified }))).ms);
    }
    const a = {
      ...oursRuns[0],
      ms: median(oursRuns.map((r) => r.ms)),
      rosterMs: median(oursRuns.map((r) => r.rosterMs)),
    };
    const b = { ms: median(sdkRuns) };

    await emulator.reset();
    const unverified = Array.from({ length: COUNT }, (_, i) => `invitee.${i}@unverified.example.org`);
    const c = await ours(provider, unverified);
    const cAudit = audit(await emulator.requests('elevenlabs', 'POST'), unverified);

    await emulator.reset();
    const sdk2 = sdkFor(emulator);
    await sdk2.workspace.invites.create({ email: 'warm.up@example.com' });
    const d = await timed(async () => {
      for (const email of unverified) await sdk2.workspace.invites.create({ email });
    });

    return report('invite-bulk', {
      emails: COUNT,
      runs: REPS,
      ours_ms: a.ms,
      sdk_batch_ms: b.ms,
      ratio_vs_batch: ratio(a.ms, b.ms),
      roster_ms: a.rosterMs,
      per_email_results: a.results,
      fallback_ours_ms: c.ms,
      fallback_sdk_loop_ms: d.ms,
      fallback_speedup: ratio(d.ms, c.ms),
      lost: aAudit.lost + cAudit.lost,
      duplicated: aAudit.duplicated + cAudit.duplicated,
      targets: { ratio_vs_batch: '<= 1.1', fallback_speedup: '>= 10', lost: 0, duplicated: 0 },
    });
  } finally {
    await emulator.close();
  }
}

if (require.main === module) void inviteBulk();
