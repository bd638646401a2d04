// `npm test`: sets up what a fresh machine lacks, builds, type-checks, lints, runs the unit tests
// in plain Node, the integration suite inside a real VS Code, and the workbench (e2e) checks,
// then prints one totals line: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIntegration } from './integration.mjs';
import { ensureCodeServer, ensureSystemPackages, root } from './setup.mjs';

const only = process.argv.slice(2); // e.g. `npm test -- unit` or `npm test -- integration e2e`
const wants = (tier) => only.length === 0 || only.includes(tier);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(title, cmd, args) {
  process.stdout.write(`\n▶ ${title}\n`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (r.status !== 0) {
    totals.failed++;
    failures.push(`${title} failed (exit ${r.status})`);
    return false;
  }
  totals.passed++;
  return true;
}

function unit() {
  process.stdout.write('\n▶ unit tests (plain Node, emulator on loopback)\n');
  const dir = mkdtempSync(join(tmpdir(), 'wa-unit-'));
  const tap = join(dir, 'unit.tap');
  spawnSync(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      'out/test/unit/',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const text = readFileSync(tap, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  const r = {
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
  };
  if (r.passed + r.failed === 0) {
    r.failed = 1;
    failures.push('unit: no test ran');
  } else if (r.failed) failures.push(`unit: ${r.failed} failed`);
  return r;
}

function add(r) {
  totals.passed += r.passed;
  totals.failed += r.failed;
  totals.skipped += r.skipped ?? r.pending ?? 0;
}

async function main() {
  const needsEditor = wants('integration') || wants('e2e');
  if (needsEditor && process.env.WA_TEST_RUNNER !== 'electron') {
    ensureSystemPackages();
    ensureCodeServer();
  }
  if (!step('build (esbuild)', process.execPath, ['esbuild.js', '--tests'])) return;
  if (wants('check')) {
    step('type check (tsc --noEmit)', process.execPath, [
      join(root, 'node_modules/typescript/bin/tsc'),
      '--noEmit',
      '-p',
      '.',
    ]);
    step('type check of the JavaScript harness (tsc -p test/harness, checkJs)', process.execPath, [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      'test/harness',
    ]);
    step('format (prettier --check: run `npm run format` to fix)', process.execPath, [
      join(root, 'node_modules/prettier/bin/prettier.cjs'),
      '--check',
      '--log-level=warn',
      '.',
    ]);
    step('lint (eslint, type-aware)', process.execPath, [
      join(root, 'node_modules/eslint/bin/eslint.js'),
      '--max-warnings=0',
      'src',
      'test',
    ]);
    step('package (VSIX holds only bundle, manifest, README, license, media)', process.execPath, [
      'test/harness/vsix-check.mjs',
    ]);
    step('.vscode-test.mjs names every integration test file (@vscode/test-cli)', process.execPath, [
      'test/harness/test-cli-check.mjs',
    ]);
    if (process.env.WA_TEST_RUNNER !== 'electron')
      step('codicons exist in the VS Code under test', process.execPath, ['test/harness/codicon-check.mjs']);
  }
  if (wants('unit')) add(unit());
  if (wants('integration')) {
    process.stdout.write('\n▶ integration tests (inside VS Code)\n');
    const r = await runIntegration();
    add(r);
    failures.push(...r.failures.map((f) => `integration: ${f}`));
  }
  if (wants('e2e')) {
    process.stdout.write('\n▶ workbench tests (code-server + Chromium, as a person sees it)\n');
    const { runE2e } = await import('../e2e/workbench.mjs');
    const r = await runE2e();
    add(r);
    failures.push(...r.failures.map((f) => `e2e: ${f}`));
  }
}

main()
  .catch((err) => {
    totals.failed++;
    failures.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
  })
  .finally(() => {
    if (failures.length) process.stdout.write(`\nFailures:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
    process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
    process.exitCode = totals.failed > 0 ? 1 : 0;
  });
