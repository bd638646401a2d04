/**
 * access-file: the ElevenLabs large data (5,000 members, 1,000 groups) and 2,000 resources' grants
 * exported as an access file, then that file with 1,000 changes parsed, checked and planned once
 * live state is read (CPU time), and the check after a one-line edit (what the editor's diagnostics
 * wait for). Targets: plan ≤ 500 ms of CPU, diagnostics after an edit ≤ 100 ms.
 */
import { parseAccessFile, type ParsedFile } from '../../src/core/access/parse';
import { readLive, type LiveState } from '../../src/core/access/live';
import { planFile, todayUtc } from '../../src/core/access/plan';
import { renderAccessFile } from '../../src/core/access/render';
import { ACCESS_FILE_FACTS } from '../../src/providers';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { ourClient, RemoteEmulator, report, timed } from './common';

export const RESOURCES = 2_000;
export const CHANGES = 1_000;

const facts = ACCESS_FILE_FACTS.find((f) => f.platform === 'elevenlabs')!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Adds one grant to each of the first `n` resources: `email: viewer` where the email holds nothing yet. */
export function withChanges(text: string, email: string, n: number): string {
  const parts = text.split('\n      - type: ');
  let added = 0;
  for (let i = 1; i < parts.length && added < n; i++) {
    if (parts[i].includes(`${email}:`)) continue;
    parts[i] = parts[i]
      .replace('\n        grants:\n', `\n        grants:\n          ${email}: viewer\n`)
      .replace('\n        grants: {}\n', `\n        grants:\n          ${email}: viewer\n`);
    added++;
  }
  if (added < n) throw new Error(`only ${added} resources could take a change`);
  return parts.join('\n      - type: ');
}

export async function exportLarge(
  emulator: RemoteEmulator,
): Promise<{ provider: ElevenLabsProvider; live: LiveState; text: string; exportMs: number; renderMs: number }> {
  const provider = new ElevenLabsProvider(ourClient(emulator, 'elevenlabs'));
  const read = await timed(() => readLive(provider, undefined, { concurrency: 16, maxResources: RESOURCES }));
  const render = await timed(() =>
    Promise.resolve(renderAccessFile([{ facts, name: 'Large', provider, live: read.value }])),
  );
  return { provider, live: read.value, text: render.value, exportMs: read.ms, renderMs: render.ms };
}

export async function accessFile(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large', { latencyMs: 0 });
  try {
    const { provider, live, text, exportMs, renderMs } = await exportLarge(emulator);
    const email = live.members[7].email;
    const changed = withChanges(text, email, CHANGES);
    const target = { connectionId: 'large', provider };
    const planOnce = async (t: string, previous?: ParsedFile) =>
      planFile(parseAccessFile(t, ACCESS_FILE_FACTS, previous), () => target, {
        today: todayUtc(),
        concurrency: 16,
        read: () => Promise.resolve(live),
      });
    await planOnce(changed); // warm: the schema is built once per process
    const cpu: number[] = [];
    let changes = 0;
    for (let i = 0; i < 5; i++) {
      const before = process.cpuUsage();
      const plan = await planOnce(changed);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
      changes = plan.changes.length;
    }
    // A one-line edit (a member's seat, as a person would change it), checked as the editor checks it:
    // against the file as it was parsed before the edit, and the live state already read.
    const edits: number[] = [];
    let previous = parseAccessFile(changed, ACCESS_FILE_FACTS);
    let current = changed;
    for (let i = 0; i < 7; i++) {
      const edited = current.replace(
        /(\n {6}\S+@\S+: )workspace_\w+/,
        i % 2 ? '$1workspace_lite_member' : '$1workspace_admin',
      );
      const before = previous;
      edits.push(
        (
          await timed(async () => {
            const parsed = parseAccessFile(edited, ACCESS_FILE_FACTS, before);
            await planFile(parsed, () => target, {
              today: todayUtc(),
              concurrency: 16,
              read: () => Promise.resolve(live),
            });
            previous = parsed;
          })
        ).ms,
      );
      current = edited;
    }
    return report('access-file', {
      members: live.members.length,
      groups: live.groups?.length,
      resources: live.resources?.length,
      file_bytes: Buffer.byteLength(changed),
      file_lines: changed.split('\n').length,
      export_ms: exportMs,
      render_ms: renderMs,
      planned_changes: changes,
      plan_cpu_ms: Math.round(median(cpu)),
      edit_check_ms: median(edits),
      targets: { plan_cpu_ms: '<= 500', edit_check_ms: '<= 100', planned_changes: CHANGES },
    });
  } finally {
    await emulator.close();
  }
}

if (require.main === module) void accessFile();
