// Packages the VSIX (production bundle) as `npm run package` does and checks what it holds: only the
// bundle, the manifest, the license and the icons (no src/, node_modules/, out/ or source maps); a
// 128×128 PNG icon; and a README whose images the Details page can show (https: or data: only).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './setup.mjs';

const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const dir = mkdtempSync(join(tmpdir(), 'wa-vsix-'));
const out = join(dir, 'workspace-access.vsix');
const run = (args) => spawnSync(process.execPath, [vsce, ...args], { cwd: root, encoding: 'utf8' });

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The same arguments as `npm run package`, so this check packs what a release packs.
const packArgs = manifest.scripts.package.split(/\s+/).slice(1);
const pack = run([...packArgs, '--out', out]);
if (pack.status !== 0) {
  console.error(pack.stdout, pack.stderr);
  process.exit(1);
}
const files = run(['ls', '--no-dependencies'])
  .stdout.split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
const allowed =
  /^(dist\/(extension|yaml|js-yaml|review)\.js|package\.json|package\.nls\.json|README\.md|LICENSE|media\/icon\.(svg|png)|media\/(workspace-access|access-review)\.schema\.json|media\/walkthrough\/(connect|explore|invite|find|export)\.md)$/;
const unexpected = files.filter((f) => !allowed.test(f));
const bundle = files.includes('dist/extension.js');
const problems = [];
// What the extension loads later must be packed too: a missing one fails only when first needed.
for (const needed of ['dist/yaml.js', 'dist/js-yaml.js', 'dist/review.js', 'media/access-review.schema.json'])
  if (!files.includes(needed)) problems.push(`${needed} is not in the VSIX`);
// The icon: a PNG of 128×128 (its IHDR chunk holds width and height).
const icon = readFileSync(join(root, manifest.icon ?? 'missing-icon'));
if (icon.subarray(1, 4).toString() !== 'PNG' || icon.readUInt32BE(16) !== 128 || icon.readUInt32BE(20) !== 128)
  problems.push(`${manifest.icon} is not a 128×128 PNG`);
// The README the VSIX carries (--readme-path): every image must load on the Details page.
const readmePath = packArgs[packArgs.indexOf('--readme-path') + 1];
const readme = readFileSync(join(root, readmePath), 'utf8');
const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
const unreachable = images.filter((src) => !/^(https:|data:image\/)/.test(src));
if (!images.length) problems.push(`${readmePath} shows no image`);
if (unreachable.length)
  problems.push(`${readmePath} links images the Details page cannot load: ${unreachable.join(', ')}`);
// Every walkthrough step's media is packed (a missing one leaves the step blank).
const media = (manifest.contributes.walkthroughs ?? []).flatMap((w) =>
  w.steps.map((step) => step.media.markdown ?? step.media.image ?? step.media.svg),
);
const unpacked = media.filter((m) => typeof m === 'string' && !files.includes(m));
if (unpacked.length) problems.push(`the walkthrough's media is not in the VSIX: ${unpacked.join(', ')}`);
console.log(`VSIX ${(statSync(out).size / 1024).toFixed(0)} KB: ${files.join(', ')}`);
rmSync(dir, { recursive: true, force: true });
spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'ignore' }); // back to the development bundle
if (unexpected.length || !bundle)
  problems.push(
    `the VSIX must hold only the bundle, manifest, README, license and icons; found: ${unexpected.join(', ') || '(no bundle)'}`,
  );
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
