/**
 * What the command line knows of itself, from its package.json: the version `--version` prints and
 * saved plans carry and check, and the homepage a SARIF log links to (only when package.json names
 * one: no address is made up).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ToolInfo {
  readonly name: 'workspace-access';
  readonly version: string;
  readonly homepage?: string;
}

/** Found above this file: dist/cli.js in a clone, or the test build's copy under out/. */
export function toolInfo(): ToolInfo {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string; homepage?: string };
      if (pkg.name === 'workspace-access' && pkg.version)
        return {
          name: 'workspace-access',
          version: pkg.version,
          ...(typeof pkg.homepage === 'string' && /^https:\/\//.test(pkg.homepage) ? { homepage: pkg.homepage } : {}),
        };
    }
    if (path.dirname(dir) === dir) return { name: 'workspace-access', version: 'unknown' };
  }
}

/** The tool's version: its package.json's, found above this file (dist/cli.js, or the test build's copy). */
export const toolVersion = (): string => toolInfo().version;
