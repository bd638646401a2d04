// .vscode-test.mjs is what VS Code's Extension Test Runner reads: it must name every integration
// test file, so the suite it runs where VS Code can be downloaded is the suite `npm test` runs.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './setup.mjs';

const cli = join(root, 'node_modules', '@vscode', 'test-cli', 'out', 'bin.mjs');
const listed = spawnSync(process.execPath, [cli, '--list-configuration'], { cwd: root, encoding: 'utf8' });
if (listed.status !== 0) {
  console.error(listed.stdout, listed.stderr);
  process.exit(1);
}
const [config] = JSON.parse(listed.stdout);
const files = JSON.parse(config.env.VSCODE_TEST_OPTIONS)
  .files.map((f) => f.split('/').pop())
  .sort();
const expected = readdirSync(join(root, 'test', 'integration'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, '.js'))
  .sort();
const missing = expected.filter((f) => !files.includes(f));
console.log(`@vscode/test-cli (label "${config.config.label}") runs ${files.length} files: ${files.join(', ')}`);
if (missing.length || files.length === 0) {
  console.error(`.vscode-test.mjs misses ${missing.join(', ') || 'every file'}`);
  process.exit(1);
}
