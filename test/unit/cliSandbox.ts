// What the command line's tests share: the bundle `npx workspace-access` runs, the environment that
// points it at the emulator, and a run of it as a child process.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import { Emulator } from '../emulator/server';

/** The bundle `npx workspace-access` runs (built by `node esbuild.js`). */
export const CLI = path.resolve(__dirname, '../../..', 'dist/cli.js');

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const PLATFORMS = ['elevenlabs', 'gitbook', 'confident'] as const;

/** A clean environment with the sandbox's admin key and base URL of each platform, and a state folder in `dir`. */
export function sandboxEnv(
  emulator: Emulator,
  dir: string,
  platforms: readonly (typeof PLATFORMS)[number][] = PLATFORMS,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    WORKSPACE_ACCESS_STATE_DIR: path.join(dir, 'state'),
  };
  for (const p of platforms) {
    env[`WORKSPACE_ACCESS_${p.toUpperCase()}_KEY`] = emulator.platform(p).keys.admin;
    env[`WORKSPACE_ACCESS_${p.toUpperCase()}_URL`] = emulator.baseUrl(p);
  }
  return env;
}

/** Starts the command line in `cwd`; `done` settles with its exit code and everything it printed. */
export function startCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** A suite's sandbox: one emulator for the suite, reset before each test, and a fresh folder (its cwd) each test. */
export interface CliSandbox {
  readonly emulator: Emulator;
  readonly dir: string;
  /** Runs the command line in the test's folder with the sandbox's keys and URLs. */
  cli(args: readonly string[]): Promise<Run>;
}

/** Registers the hooks of a suite that runs the command line against the emulator. */
export function useCliSandbox(): CliSandbox {
  let emulator: Emulator | undefined;
  let dir = '';
  const sandbox: CliSandbox = {
    get emulator() {
      assert.ok(emulator, 'the emulator has started');
      return emulator;
    },
    get dir() {
      return dir;
    },
    cli: (args) => startCli(args, dir, sandboxEnv(sandbox.emulator, dir)).done,
  };
  before(async () => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (node esbuild.js)');
    emulator = await Emulator.start();
  });
  after(() => emulator?.close());
  beforeEach(() => {
    sandbox.emulator.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  return sandbox;
}

/** Replaces what must be there, so a fixture edit cannot silently miss. */
export function edit(text: string, from: RegExp, to: string): string {
  assert.match(text, from);
  return text.replace(from, to);
}

/** Exports the sandbox's live access to workspace-access.yaml in the test's folder, and returns its text. */
export async function exported(sandbox: CliSandbox): Promise<string> {
  const r = await sandbox.cli(['export', 'workspace-access.yaml']);
  assert.equal(r.code, 0, r.stderr);
  return fs.readFileSync(path.join(sandbox.dir, 'workspace-access.yaml'), 'utf8');
}

/** Radia gets viewer on every ElevenLabs resource she has nothing on: one grant change each. */
export function radiaEverywhere(text: string): { text: string; added: number } {
  const cut = text.indexOf('  - platform: gitbook');
  let added = 0;
  const blocks = text
    .slice(0, cut)
    .split(/(?=\n {6}- type: )/)
    .map((block) => {
      if (block.includes('radia.lovelace') || !/\n {8}grants:\n/.test(block)) return block;
      added++;
      return block.replace(/\n {8}grants:\n/, '\n        grants:\n          radia.lovelace@example.com: viewer\n');
    });
  return { text: blocks.join('') + text.slice(cut), added };
}
