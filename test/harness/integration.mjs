// Runs the integration suite (out/test/integration/index.js) inside a real VS Code: through
// @vscode/test-electron where VS Code can be downloaded, else through code-server + Chromium.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { format } from 'node:util';
import { launchChromium, startCodeServer, workbenchUrl } from './code-server.mjs';
import { ensureAptPackages, root } from './setup.mjs';

const testsPath = join(root, 'out', 'test', 'integration', 'index');

/** The activation benchmark runs one test of the suite and takes its figures from this file. */
function benchEnv() {
  return process.env.WA_BENCH_FILE ? { WA_BENCH_FILE: process.env.WA_BENCH_FILE } : {};
}

function readResult(file, exitCode) {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  return { passed: 0, failed: 1, pending: 0, failures: [`the suite did not report results (exit ${exitCode})`] };
}

/** Shows the suite's own lines, not the workbench's chatter. */
function echo(line) {
  if (
    /^\s*(✔|✓|[0-9]+\)|passing|failing|pending|WA_RESULT|Error|AssertionError|at |\+ |- |Workspace Access|\s{2,}\S)/.test(
      line,
    ) &&
    !/\[(Extension Host|main)\]|vscode-remote|workbench\./.test(line)
  ) {
    process.stdout.write(`  ${line}\n`);
  }
}

export async function runInCodeServer({ timeoutMs = 15 * 60_000 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'wa-it-'));
  const folder = join(work, 'workspace');
  const resultFile = join(work, 'result.json');
  spawnSync('mkdir', ['-p', folder]);
  writeFileSync(join(folder, 'README.md'), '# integration test workspace\n');
  const server = await startCodeServer({
    env: { WA_RESULT_FILE: resultFile, ...benchEnv() },
    dataDir: join(work, 'data'),
  });
  const browser = await launchChromium();
  let exitCode;
  try {
    const page = await browser.newPage();
    const exited = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      for (const line of format(...(Array.isArray(args) ? args : [args])).split('\n')) echo(line);
    });
    // The page's load is bounded by the suite's own ceiling, not Playwright's 30 s default (a busy machine loads slower).
    await page.goto(workbenchUrl(server.origin, { folder, extensionPath: root, testsPath }), { timeout: timeoutMs });
    const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    exitCode = await Promise.race([exited, timer]);
    if (exitCode === 'timeout')
      throw new Error(`the integration suite did not finish within ${timeoutMs / 60_000} minutes`);
  } finally {
    await browser.close();
    await server.stop();
  }
  const result = readResult(resultFile, exitCode);
  rmSync(work, { recursive: true, force: true });
  return result;
}

/** Electron needs a display: on a headless Linux machine, start Xvfb (installed with apt when root). */
function ensureDisplay() {
  if (process.platform !== 'linux' || process.env.DISPLAY) return () => undefined;
  ensureAptPackages([['xvfb', 'Xvfb']]);
  const display = ':99';
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  process.env.DISPLAY = display;
  return () => xvfb.kill();
}

export async function runInElectron() {
  const { runTests } = await import('@vscode/test-electron');
  const stopDisplay = ensureDisplay();
  const work = mkdtempSync(join(tmpdir(), 'wa-it-'));
  const resultFile = join(work, 'result.json');
  let exitCode = 0;
  try {
    exitCode = await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: testsPath,
      extensionTestsEnv: { WA_RESULT_FILE: resultFile, ...benchEnv() },
      launchArgs: [work, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (err) {
    exitCode = 1;
    if (!existsSync(resultFile)) throw err;
  } finally {
    stopDisplay();
  }
  const result = readResult(resultFile, exitCode);
  rmSync(work, { recursive: true, force: true });
  return result;
}

/** Can VS Code be downloaded here? Asks the update service once, quickly. */
async function canDownloadVSCode() {
  try {
    const res = await fetch('https://update.code.visualstudio.com/api/releases/stable', {
      signal: AbortSignal.timeout(5_000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** WA_TEST_RUNNER=electron|code-server forces a runner; otherwise electron when VS Code can be downloaded. */
export async function runIntegration() {
  const forced = process.env.WA_TEST_RUNNER;
  const useElectron = forced ? forced === 'electron' : await canDownloadVSCode();
  console.log(`integration: running inside ${useElectron ? 'VS Code (test-electron)' : 'code-server + Chromium'}`);
  return useElectron ? runInElectron() : runInCodeServer();
}
