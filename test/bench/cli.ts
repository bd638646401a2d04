/**
 * cli: the command line's `plan --json` of the large access file (the access-file benchmark's:
 * 5,000 members, 1,001 groups, 2,000 resources' grants, 1,000 changes), as a CI runner runs it, a
 * process of its own, against the same plan made inside this process by the same core (the
 * extension's path). The ratio is what a separate process, its bundle and its key checks cost.
 * Target: ≤ 1.25× the in-process plan, with the same 1,000 changes and exit code 2.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAccessFile } from '../../src/core/plan/file';
import { planFile, todayUtc } from '../../src/core/plan/planFile';
import { ACCESS_FILE_FACTS } from '../../src/providers';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { CHANGES, exportLarge, withChanges } from './access-file';
import { ourClient, ratio, RemoteEmulator, report, timed } from './common';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, ms: Math.round(performance.now() - started) }));
  });
}

export async function cli(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large', { latencyMs: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-bench-cli-'));
  try {
    const { live, text } = await exportLarge(emulator);
    const changed = withChanges(text, live.members[7].email, CHANGES);
    const file = path.join(dir, 'workspace-access.yaml');
    fs.writeFileSync(file, changed);
    const c = emulator.connection('elevenlabs');
    const env = { PATH: process.env.PATH, WORKSPACE_ACCESS_STATE_DIR: path.join(dir, 'state'), WORKSPACE_ACCESS_ELEVENLABS_KEY: c.key, WORKSPACE_ACCESS_ELEVENLABS_URL: c.baseUrl };
    const inProcess: number[] = [];
    const separate: number[] = [];
    let changes = 0;
    let cliChanges = 0;
    let code: number | null = null;
    for (let i = 0; i < RUNS; i++) {
      // The extension's path: a fresh provider (nothing cached), the file read, parsed, live read for it, planned.
      const provider = new ElevenLabsProvider(ourClient(emulator, 'elevenlabs'));
      const here = await timed(async () => planFile(parseAccessFile(fs.readFileSync(file, 'utf8'), ACCESS_FILE_FACTS), () => ({ connectionId: 'large', provider }), { today: todayUtc(), concurrency: 16 }));
      inProcess.push(here.ms);
      changes = here.value.changes.length;
      const run = await runCli(['plan', file, '--json'], env);
      separate.push(run.ms);
      code = run.code;
      cliChanges = (JSON.parse(run.stdout) as { changes: unknown[] }).changes.length;
    }
    const help = await runCli(['--help'], env);
    return report('cli', {
      file_lines: changed.split('\n').length,
      in_process_plan_ms: median(inProcess),
      cli_plan_ms: median(separate),
      ratio: ratio(median(separate), median(inProcess)),
      cli_start_ms: help.ms,
      planned_changes: changes,
      cli_changes: cliChanges,
      exit_code: code,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}
