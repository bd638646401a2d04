// @vscode/test-cli's configuration: VS Code's Extension Test Runner (and `npx vscode-test`) find the
// integration suite here and run it in a downloaded VS Code, where one can be downloaded. Build the
// test tree first (`node esbuild.js --tests`). `npm test` runs the same files through
// test/harness/integration.mjs: test-electron where VS Code can be downloaded, else code-server.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/*.test.js',
  mocha: { ui: 'bdd', timeout: 20_000 },
  // Other extensions stay out of the way; this one loads from the repository.
  launchArgs: ['--disable-extensions'],
});
