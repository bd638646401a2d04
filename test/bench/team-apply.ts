/**
 * team-apply: a team's CI on one repository. Two appliers are started at the same instant on the
 * repository's access file, each with a state folder of its own (two runners of one checkout),
 * against the emulator (its own process, 50 ms per answer); then a third, fresh runner (a new state
 * folder, the same repository) plans. The file adds invitations on ElevenLabs and GitBook (neither
 * lists invitations: only the state file beside the access file remembers them), grants and role
 * changes. Baseline, in the same run: one applier alone on the same file and data.
 * Targets: nothing sent twice, nothing lost, the fresh runner's plan empty.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PlatformId } from '../../src/providers';
import { ratio, RemoteEmulator, report, type RecordedCall } from './common';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const FILE = 'workspace-access.yaml';
const PLATFORMS: readonly PlatformId[] = ['elevenlabs', 'gitbook', 'confident'];
/** New people invited per platform that cannot list invitations. */
const INVITES = 20;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) }));
  });
}

/** A runner's environment: the sandbox's keys and URLs, and a state folder of its own. */
function runnerEnv(emulator: RemoteEmulator, home: string, state: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, WORKSPACE_ACCESS_STATE_DIR: state };
  for (const p of PLATFORMS) {
    const c = emulator.connection(p);
    env[`WORKSPACE_ACCESS_${p.toUpperCase()}_KEY`] = c.key;
    env[`WORKSPACE_ACCESS_${p.toUpperCase()}_URL`] = c.baseUrl;
  }
  return env;
}

function replaced(text: string, from: RegExp, to: string): string {
  if (!from.test(text)) throw new Error(`team-apply: the export has no ${String(from)}`);
  return text.replace(from, to);
}

/** The export with invitations on ElevenLabs and GitBook, Radia on every ElevenLabs resource, and two role changes. */
function withChanges(text: string): string {
  const people = (prefix: string, role: string) =>
    Array.from({ length: INVITES }, (_, i) => `      ${prefix}.team${i}@example.com: ${role}`).join('\n');
  let out = replaced(
    text,
    /alan\.lovelace@example\.com: workspace_member # Alan/,
    `alan.lovelace@example.com: workspace_admin # Alan\n${people('el', 'workspace_member')}`,
  );
  out = replaced(
    out,
    /alan\.lovelace@example\.com: edit # Alan Lovelace/,
    `alan.lovelace@example.com: edit\n${people('gb', 'read')}`,
  );
  out = replaced(out, /dennis\.lovelace@example\.com: read # Dennis Lovelace/, 'dennis.lovelace@example.com: edit');
  const cut = out.indexOf('  - platform: gitbook');
  const blocks = out
    .slice(0, cut)
    .split(/(?=\n {6}- type: )/)
    .map((block) =>
      block.includes('radia.lovelace') || !/\n {8}grants:\n/.test(block)
        ? block
        : block.replace(/\n {8}grants:\n/, '\n        grants:\n          radia.lovelace@example.com: viewer\n'),
    );
  return blocks.join('') + out.slice(cut);
}

/** Writes that took effect, by what they sent: a change sent twice shows as 2. */
async function effectiveWrites(emulator: RemoteEmulator, since: Record<PlatformId, number>): Promise<number[]> {
  const counts = new Map<string, number>();
  for (const p of PLATFORMS) {
    const calls: RecordedCall[] = (await emulator.requests(p)).slice(since[p]);
    for (const c of calls) {
      if (c.method === 'GET' || c.status >= 300) continue;
      const key = `${p} ${c.method} ${c.path} ${JSON.stringify(c.body)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.values()];
}

async function requestCounts(emulator: RemoteEmulator): Promise<Record<PlatformId, number>> {
  const entries = await Promise.all(PLATFORMS.map(async (p) => [p, (await emulator.requests(p)).length] as const));
  return Object.fromEntries(entries) as Record<PlatformId, number>;
}

/** A fresh checkout of the repository: the access file with the changes, no state file yet, and its planned size. */
async function checkout(
  emulator: RemoteEmulator,
  root: string,
  name: string,
): Promise<{ repo: string; planned: number }> {
  const repo = path.join(root, name);
  fs.mkdirSync(repo);
  const exported = await runCli(['export', FILE], repo, runnerEnv(emulator, root, path.join(root, `${name}-export`)));
  if (exported.code !== 0) throw new Error(`team-apply: export failed: ${exported.stderr}`);
  fs.writeFileSync(path.join(repo, FILE), withChanges(fs.readFileSync(path.join(repo, FILE), 'utf8')));
  const plan = await runCli(['plan', FILE, '--json'], repo, runnerEnv(emulator, root, path.join(root, `${name}-plan`)));
  return { repo, planned: (JSON.parse(plan.stdout) as { changes: unknown[] }).changes.length };
}

export async function teamApply(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('demo');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-bench-team-'));
  try {
    // Baseline: one applier alone.
    const solo = await checkout(emulator, root, 'solo');
    const alone = await runCli(
      ['apply', FILE, '--yes'],
      solo.repo,
      runnerEnv(emulator, root, path.join(root, 'solo-state')),
    );
    if (alone.code !== 0) throw new Error(`team-apply: the baseline apply failed: ${alone.stderr}`);
    await emulator.reset();

    const { repo, planned } = await checkout(emulator, root, 'repo');
    const since = await requestCounts(emulator);
    const started = performance.now();
    const [a, b] = await Promise.all(
      ['runner-a', 'runner-b'].map((r) =>
        runCli(['apply', FILE, '--yes'], repo, runnerEnv(emulator, root, path.join(root, r))),
      ),
    );
    const teamMs = Math.round(performance.now() - started);
    const writes = await effectiveWrites(emulator, since);
    const refused = [a, b].filter((r) => /Another apply of .* is running from this repository/.test(r.stderr)).length;

    // A fresh runner: a new state folder, the same repository (its state file included).
    const fresh = await runCli(['plan', FILE, '--json'], repo, runnerEnv(emulator, root, path.join(root, 'runner-c')));
    const freshPlan = JSON.parse(fresh.stdout) as { changes: unknown[]; exitCode: number };
    return report('team-apply', {
      planned_changes: planned,
      exit_codes: [a.code, b.code],
      refused,
      distinct_writes: writes.length,
      sent_twice: writes.reduce((n, c) => n + c - 1, 0),
      lost: Math.max(0, planned - writes.length),
      fresh_plan_changes: freshPlan.changes.length,
      fresh_exit_code: fresh.code,
      solo_ms: alone.ms,
      team_ms: teamMs,
      ratio_vs_solo: ratio(teamMs, alone.ms),
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    await emulator.close();
  }
}
