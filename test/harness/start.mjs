// `npm start`: build, start the emulator with the demo data, and open the extension in a real
// VS Code already connected to that sandbox. Uses `code` when it is on PATH, else code-server
// on 127.0.0.1 (installed on first use into .vscode-test/). Stops with Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, startCodeServer, workbenchUrl } from './code-server.mjs';
import { cacheDir, ensureCodeServer, ensureSystemPackages, root } from './setup.mjs';

const size = process.argv.includes('--large') ? 'large' : 'demo';
const preferPort = async (port) => {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
};

function build() {
  const r = spawnSync(process.execPath, ['esbuild.js', '--tests'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function startEmulator(port) {
  const child = spawn(process.execPath, ['out/test/emulator/cli.js', '--port', String(port), '--size', size], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, info: JSON.parse(line) }));
  });
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

async function main() {
  build();
  const emulatorPort = (await preferPort(3939)) ? 3939 : await freePort();
  const { child: emulator, info } = await startEmulator(emulatorPort);
  const env = { WORKSPACE_ACCESS_SANDBOX: info.url };
  console.log(`emulator (${size} data): ${info.url}`);
  const folder = join(cacheDir, 'sandbox-workspace');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'README.md'),
    '# Workspace Access sandbox\n\nOpen the Workspace Access view in the activity bar.\n',
  );
  // The folder sits inside this repository: Git would offer to open the parent repository.
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(
    join(folder, '.vscode', 'settings.json'),
    `${JSON.stringify({ 'git.openRepositoryInParentFolders': 'never' }, null, 2)}\n`,
  );
  const stops = [() => emulator.kill('SIGTERM')];
  const stopAll = () => {
    for (const stop of stops) stop();
    process.exit(0);
  };
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);

  if (has('code') && !process.env.WA_USE_CODE_SERVER) {
    spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`, folder], {
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    console.log('opened VS Code with the extension in development mode; Ctrl+C stops the emulator');
    return;
  }
  ensureSystemPackages();
  ensureCodeServer();
  const port = (await preferPort(8765)) ? 8765 : await freePort();
  const server = await startCodeServer({ env, port, dataDir: join(cacheDir, 'sandbox-data'), quiet: true });
  stops.push(() => void server.stop());
  console.log('\nWorkspace Access is running in code-server, connected to the sandbox. Open:\n');
  console.log(`  ${workbenchUrl(server.origin, { folder, extensionPath: root })}\n`);
  console.log('Ctrl+C stops code-server and the emulator.');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
