// Every codicon the extension names (ThemeIcon ids in src/, $(icon) in package.json) must exist
// in the VS Code build the tests run: an unknown name renders as nothing, with no error anywhere.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, root } from './setup.mjs';

const workbench = join(
  cacheDir,
  'code-server',
  'node_modules',
  'code-server',
  'lib',
  'vscode',
  'out',
  'vs',
  'code',
  'browser',
  'workbench',
  'workbench.js',
);
if (!existsSync(workbench)) {
  console.error(`no VS Code build at ${workbench} to check codicons against`);
  process.exit(1);
}
const known = readFileSync(workbench, 'utf8');
const files = (dir) =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
const used = new Map();
for (const file of files(join(root, 'src')).filter((f) => f.endsWith('.ts'))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/ThemeIcon\(\s*'([a-z0-9-]+)'/g)) used.set(m[1], file);
  for (const m of text.matchAll(/ThemeIcon\([^)]*\?\s*'([a-z0-9-]+)'\s*:\s*'([a-z0-9-]+)'/g))
    used.set(m[1], file).set(m[2], file);
  for (const m of text.matchAll(/icon: '([a-z0-9-]+)'/g)) used.set(m[1], file);
  for (const m of text.matchAll(/ICONS = \{([^}]+)\}/g))
    for (const v of m[1].matchAll(/'([a-z0-9-]+)'/g)) used.set(v[1], file);
}
for (const m of readFileSync(join(root, 'package.json'), 'utf8').matchAll(/\$\(([a-z0-9-]+)\)/g))
  used.set(m[1], 'package.json');
const missing = [...used].filter(([name]) => !known.includes(`"${name}"`));
console.log(`${used.size} codicons checked`);
if (missing.length) {
  console.error(
    `unknown codicons (they would render as nothing): ${missing.map(([n, f]) => `${n} (${f.replace(root + '/', '')})`).join(', ')}`,
  );
  process.exit(1);
}
