// The integration suite's entry point (extensionTestsPath) for both runners: test-electron and
// code-server. It runs every *.test.js beside it in one mocha run, inside the real extension host.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  failures: string[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: 'spec' });
  const grep = process.env.WA_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    const result: SuiteResult = { passed: 0, failed: 0, pending: 0, failures: [] };
    const runner = mocha.run((failures) => {
      const line = `WA_RESULT ${JSON.stringify(result)}`;
      console.log(line);
      if (process.env.WA_RESULT_FILE) writeFileSync(process.env.WA_RESULT_FILE, JSON.stringify(result));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => result.passed++);
    runner.on('pending', () => result.pending++);
    runner.on('fail', (test, err: Error) => {
      result.failed++;
      result.failures.push(`${test.fullTitle()}: ${err.message}`);
    });
  });
}
