/**
 * cli: the command line's `plan --json` of the large access file (the access-file benchmark's:
 * 5,000 members, 1,001 groups, 2,000 resources' grants, 1,000 changes), as a CI runner runs it,
 * against the same plan made by the core in a fresh Node process without the command line around
 * it (cli-child.ts): the ratio is what the command line adds (its bundle, key checks, output and
 * redaction). Also reported: the same plan inside this warm process (the editor's case, where the
 * code is loaded and compiled already). Target: ≤ 1.25× the bare process, the same 1,000 changes,
 * exit code 2.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAccessFile } from '../../src/core/access/parse';
import { planFile, todayUtc } from '../../src/core/access/plan';
import { ACCESS_FILE_FACTS } from '../../src/providers';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { CHANGES, exportLarge, withChanges } from './access-file';
import { ourClient, ratio, RemoteEmulator, report, timed } from './common';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const CHILD = path.join(__dirname, 'cli-child.js');
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function runNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
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
    const env = {
      PATH: process.env.PATH,
      WORKSPACE_ACCESS_STATE_DIR: path.join(dir, 'state'),
      WORKSPACE_ACCESS_ELEVENLABS_KEY: c.key,
      WORKSPACE_ACCESS_ELEVENLABS_URL: c.baseUrl,
    };
    const inProcess: number[] = [];
    const bare: number[] = [];
    const separate: number[] = [];
    let changes = 0;
    let bareChanges = 0;
    let cliChanges = 0;
    let code: number | null = null;
    for (let i = 0; i < RUNS; i++) {
      // The extension's path: a fresh provider (nothing cached), the file read, parsed, live read for it, planned.
      const provider = new ElevenLabsProvider(ourClient(emulator, 'elevenlabs'));
      const here = await timed(async () =>
        planFile(
          parseAccessFile(fs.readFileSync(file, 'utf8'), ACCESS_FILE_FACTS),
          () => ({ connectionId: 'large', provider }),
          { today: todayUtc(), concurrency: 16 },
        ),
      );
      inProcess.push(here.ms);
      changes = here.value.changes.length;
      const child = await runNode([CHILD, file, c.baseUrl, c.key], { PATH: process.env.PATH });
      bare.push(child.ms);
      bareChanges = (JSON.parse(child.stdout) as { changes: unknown[] }).changes.length;
      const run = await runNode([CLI, 'plan', file, '--json'], env);
      separate.push(run.ms);
      code = run.code;
      cliChanges = (JSON.parse(run.stdout) as { changes: unknown[] }).changes.length;
    }
    const help = await runNode([CLI, '--help'], env);
    return report('cli', {
      file_lines: changed.split('\n').length,
      warm_in_process_plan_ms: median(inProcess),
      bare_process_plan_ms: median(bare),
      cli_plan_ms: median(separate),
      ratio: ratio(median(separate), median(bare)),
      ratio_vs_warm: ratio(median(separate), median(inProcess)),
      cli_start_ms: help.ms,
      planned_changes: changes,
      bare_changes: bareChanges,
      cli_changes: cliChanges,
      exit_code: code,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}
