/**
 * cli-large: `workspace-access plan` of the large data set's full export (all three platforms:
 * 5,000 members each, 20,000 resources each, about 61,000 reads), as a CI runner runs it, against
 * the time its reads need at the platforms' concurrency: the same reads alone in a fresh process
 * (cli-large-child.ts), 16 in flight per connection, with a platform's latency on every request.
 * The plan runs with V8's old space capped at 300 MB and must finish (a heap that needs more fails);
 * the peak heap in use is sampled every 20 ms (heap-peak.ts). Run again without the cap, it reports
 * the peak V8 lets the heap reach when it has room (about four times what is alive: V8 grows the heap
 * by up to 4× the live set between full collections) and the most still in use after a full
 * collection. Targets: time ≤ 1.25× the reads'
 * bound, peak heap ≤ 300 MB, exit code 0 (live matches the file it was exported to).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ratio, RemoteEmulator, report } from './common';
import type { SandboxConnection } from '../emulator/server';
import { PLATFORM_IDS } from '../../src/providers';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CHILD = path.join(__dirname, 'cli-large-child.js');
const PEAK = path.join(__dirname, 'heap-peak.js');
/** A platform's answer takes this long: enough that the reads, not this machine's CPU, set the time. */
const LATENCY_MS = 10;
/** The heap the target allows, given to V8 as its limit: the plan must fit in it. */
export const HEAP_LIMIT_MB = 300;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) }));
  });
}

/** The environment a CI runner sets: each platform's key and base URL, a state folder of its own. */
export function cliEnv(connections: readonly SandboxConnection[], state: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, WORKSPACE_ACCESS_STATE_DIR: state };
  for (const c of connections) {
    const name = c.platform.toUpperCase();
    env[`WORKSPACE_ACCESS_${name}_KEY`] = c.key;
    env[`WORKSPACE_ACCESS_${name}_URL`] = c.baseUrl;
  }
  return env;
}

export const heapMb = (stderr: string, what: 'peak' | 'live'): number => {
  const m = new RegExp(`heap-${what} (\\d+)\\s*$`, 'm').exec(stderr);
  return m ? Math.round(Number(m[1]) / 1e6) : NaN;
};

export async function cliLarge(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large', { latencyMs: LATENCY_MS });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-bench-cli-large-'));
  try {
    const connections = PLATFORM_IDS.map((p) => emulator.connection(p));
    const env = cliEnv(connections, path.join(dir, 'state'));
    const file = path.join(dir, 'workspace-access.yaml');
    const exported = await runNode([CLI, 'export', file], env);
    if (exported.code !== 0) throw new Error(`export failed (${exported.code}): ${exported.stderr.slice(-500)}`);
    // The reads alone, before and after the plan (this machine is shared: its load moves), the faster taken.
    const readsAlone = async () => {
      const before = (await emulator.stats()).requests;
      const run = await runNode([CHILD, JSON.stringify(connections)], { PATH: process.env.PATH });
      if (run.code !== 0) throw new Error(`the reads failed (${run.code}): ${run.stderr.slice(-500)}`);
      return { ms: run.ms, requests: (await emulator.stats()).requests - before };
    };
    const first = await readsAlone();
    const before = (await emulator.stats()).requests;
    const plan = await runNode([`--max-old-space-size=${HEAP_LIMIT_MB}`, '-r', PEAK, CLI, 'plan', file, '--json'], env);
    const planReads = (await emulator.stats()).requests - before;
    const again = await readsAlone();
    const reads = first.ms <= again.ms ? first : again;
    const uncapped = await runNode(['-r', PEAK, CLI, 'plan', file, '--json'], env);
    const text = fs.readFileSync(file, 'utf8');
    return report('cli-large', {
      latency_ms: LATENCY_MS,
      file_lines: text.split('\n').length,
      file_bytes: Buffer.byteLength(text),
      plan_reads: planReads,
      reads_alone_requests: reads.requests,
      reads_ms: reads.ms,
      reads_ms_runs: [first.ms, again.ms],
      cli_plan_ms: plan.ms,
      ratio: ratio(plan.ms, reads.ms),
      heap_limit_mb: HEAP_LIMIT_MB,
      peak_heap_mb: heapMb(plan.stderr, 'peak'),
      peak_heap_mb_without_limit: heapMb(uncapped.stderr, 'peak'),
      live_heap_mb_without_limit: heapMb(uncapped.stderr, 'live'),
      cli_plan_ms_without_limit: uncapped.ms,
      exit_code: plan.code,
      planned_changes:
        plan.code === 0 || plan.code === 2 ? (JSON.parse(plan.stdout) as { changes: unknown[] }).changes.length : -1,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}
