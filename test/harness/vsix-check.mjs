// Packages the VSIX (production bundle) and checks what it holds: only the bundle, the manifest,
// the README, the license and media. No src/, node_modules/, out/ or source maps.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './setup.mjs';

const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const dir = mkdtempSync(join(tmpdir(), 'wa-vsix-'));
const out = join(dir, 'workspace-access.vsix');
const run = (args) => spawnSync(process.execPath, [vsce, ...args], { cwd: root, encoding: 'utf8' });

const pack = run(['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
if (pack.status !== 0) {
  console.error(pack.stdout, pack.stderr);
  process.exit(1);
}
const files = run(['ls', '--no-dependencies']).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
const allowed = /^(dist\/extension\.js|package\.json|package\.nls\.json|README\.md|LICENSE|media\/[\w.-]+\.(svg|png))$/;
const unexpected = files.filter((f) => !allowed.test(f));
const bundle = files.includes('dist/extension.js');
console.log(`VSIX ${(statSync(out).size / 1024).toFixed(0)} KB: ${files.join(', ')}`);
rmSync(dir, { recursive: true, force: true });
spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' }); // back to the development bundle
if (unexpected.length || !bundle) {
  console.error(`the VSIX must hold only the bundle, manifest, README, license and media; found: ${unexpected.join(', ') || '(no bundle)'}`);
  process.exit(1);
}
