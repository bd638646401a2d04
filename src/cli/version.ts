/** The tool's version, for `--version` and for the saved plans it writes and checks. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The tool's version: its package.json's, found above this file (dist/cli.js, or the test build's copy). */
export function toolVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'workspace-access' && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
