// Sets up what the integration suite and `npm start` need on a fresh machine of this kind:
// Debian packages (when root and missing) and code-server in a git-ignored cache folder.
// Plain Node, no dependencies: it runs before anything is built.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3'; // newest release whose engines accept Node 20
const RIPGREP_VERSION = '1.15.11'; // the @vscode/ripgrep that code-server 4.100.3 pins
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
export const cacheDir = join(root, '.vscode-test');
export const codeServerBin = join(cacheDir, 'code-server', 'node_modules', '.bin', 'code-server');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Installs the Debian packages code-server and Playwright need, when root and missing. */
export function ensureSystemPackages() {
  ensureAptPackages([
    ['chromium', existsSync(chromiumPath)],
    ['ripgrep', has('rg')],
    ['libkrb5-dev', existsSync('/usr/include/krb5.h') || existsSync('/usr/include/gssapi/gssapi.h')],
  ]);
}

/** [package, present] pairs; a string for present means "this command is on PATH". */
export function ensureAptPackages(wanted) {
  const missing = wanted.filter(([, ok]) => (typeof ok === 'string' ? !has(ok) : !ok)).map(([name]) => name);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    throw new Error(
      `Missing system packages: ${missing.join(', ')}. Install them (Debian: apt-get install -y ${missing.join(' ')}) and run again.`,
    );
  }
  log(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}

/** @vscode/ripgrep's postinstall downloads rg from GitHub; give it a cached archive of Debian's rg. */
function seedRipgrepCache() {
  const dir = join('/tmp', `vscode-ripgrep-cache-${RIPGREP_VERSION}`);
  const archive = join(dir, RIPGREP_ASSET);
  if (existsSync(archive)) return;
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  const pack = join('/tmp', `rgpack-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  mkdirSync(pack, { recursive: true });
  copyFileSync(rg, join(pack, 'rg'));
  execFileSync('tar', ['czf', archive, '-C', pack, 'rg']);
}

/** npm output without the one warning our own install settings cause. */
export function withoutKnownNoise(output) {
  return String(output ?? '')
    .split('\n')
    .filter((line) => !/^npm warn Unknown (env|cli) config "-*unsafe-perm"/.test(line))
    .join('\n');
}

/** Installs code-server into .vscode-test/code-server on first use; returns its binary. */
export function ensureCodeServer() {
  if (existsSync(codeServerBin)) return codeServerBin;
  ensureSystemPackages();
  seedRipgrepCache();
  const prefix = join(cacheDir, 'code-server');
  mkdirSync(prefix, { recursive: true });
  // A package.json of its own, so this install never touches the project's dependency tree.
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  log(`installing code-server@${CODE_SERVER_VERSION} into ${prefix} (first run only, about a minute)`);
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true', // its postinstall refuses to run as root without it
    npm_config_yes: 'true', // node-pty's postinstall calls `npx node-gyp`
    npm_config_dangerously_allow_all_scripts: 'true', // npm 11 blocks dependency scripts by default
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  // npm 11 warns about npm_config_unsafe_perm, which code-server's postinstall still requires as
  // root: that one known line is dropped, everything else npm says passes through.
  const r = spawnSync('npm', ['install', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: prefix,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(withoutKnownNoise(r.stdout));
  process.stderr.write(withoutKnownNoise(r.stderr));
  if (r.status !== 0 || !existsSync(codeServerBin)) {
    throw new Error(`code-server install failed (exit ${r.status}); see the npm output above`);
  }
  return codeServerBin;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureSystemPackages();
  log(`code-server: ${ensureCodeServer()}`);
}
