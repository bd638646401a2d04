// Starts code-server (VS Code's own server and web workbench) on loopback, and drives its
// workbench with Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath, ensureCodeServer } from './setup.mjs';

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, ms, child) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (${child.exitCode})`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${ms / 1000} s`);
}

/**
 * Starts code-server with its own data folders; returns its origin and a stop function.
 * @param {{ folder?: string, env?: Record<string, string | undefined>, port?: number, dataDir?: string, quiet?: boolean }} [options]
 */
export async function startCodeServer({ folder, env = {}, port, dataDir, quiet = true } = {}) {
  const bin = ensureCodeServer();
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'wa-code-server-'));
  mkdirSync(join(dir, 'user'), { recursive: true });
  mkdirSync(join(dir, 'ext'), { recursive: true });
  const p = port ?? (await freePort());
  const args = [
    '--bind-addr',
    `127.0.0.1:${p}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir',
    join(dir, 'ext'),
    '--user-data-dir',
    join(dir, 'user'),
  ];
  if (folder) args.push(folder);
  const child = spawn(bin, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'ignore' : 'inherit'],
  });
  const origin = `http://127.0.0.1:${p}`;
  // A ceiling for a hung start, not the expected time (a few seconds; a busy machine takes longer).
  await waitForHttp(`${origin}/healthz`, 180_000, child);
  return {
    origin,
    port: p,
    dataDir: dir,
    stop: () =>
      new Promise(
        /** @param {(value?: void) => void} resolve */ (resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
        },
      ),
  };
}

/** The workbench URL that loads an extension in development (and optionally its tests). */
/**
 * @param {string} origin
 * @param {{ folder: string, extensionPath: string, testsPath?: string }} options
 */
export function workbenchUrl(origin, { folder, extensionPath, testsPath }) {
  const host = new URL(origin).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${extensionPath}`],
    ['skipWelcome', 'true'],
  ];
  if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${host}${testsPath}`]);
  const query = new URLSearchParams({ folder, payload: JSON.stringify(payload) });
  return `${origin}/?${query}`;
}

/** Debian's Chromium, headless, with what this closed network needs (no background traffic). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
