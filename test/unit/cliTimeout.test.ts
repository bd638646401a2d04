// The command line's `--timeout`: one API call's budget, 60 s by default, checked, documented, and
// handed to every client it builds.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli';
import { DEFAULT_TIMEOUT_SECONDS, helpText, MAX_TIMEOUT_SECONDS, parseCli } from '../../src/cli/args';
import { rawServer } from './rawServer';

describe('command line --timeout', () => {
  it('is 60 s by default, takes 1 to 600, and names what to fix otherwise', () => {
    assert.equal(DEFAULT_TIMEOUT_SECONDS, 60);
    assert.equal(MAX_TIMEOUT_SECONDS, 600);
    assert.equal(parseCli(['plan', 'a.yaml']).timeoutSeconds, 60);
    assert.equal(parseCli(['apply', 'a.yaml', '--timeout', '5']).timeoutSeconds, 5);
    assert.equal(parseCli(['drift', 'a.yaml', '--timeout', '600']).timeoutSeconds, 600);
    for (const bad of ['0', '601', '1.5', 'soon', '-3', ''])
      assert.throws(
        () => parseCli(['plan', 'a.yaml', `--timeout=${bad}`]),
        /^UsageError: --timeout takes the seconds one API call may take, a whole number from 1 to 600/,
        bad,
      );
  });

  it('is in --help', () => {
    assert.match(
      helpText(),
      /\n {2}--timeout SECONDS {2}how long one API call may take in all, .*\n.*1 to 600 \(default 60\)/,
    );
  });

  it('reaches the client: a wait past it is not taken', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
      res.end('{}');
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-timeout-'));
    let stderr = '';
    try {
      const code = await main(
        ['export', path.join(dir, 'workspace-access.yaml'), '--timeout', '5'],
        {
          WORKSPACE_ACCESS_GITBOOK_KEY: 'gb_api_test_key_0123456789abcdef',
          WORKSPACE_ACCESS_GITBOOK_URL: server.baseUrl,
          WORKSPACE_ACCESS_STATE_DIR: dir,
        },
        { stdout: () => undefined, stderr: (t) => void (stderr += t), tty: false },
      );
      assert.equal(code, 1);
      assert.match(stderr, /GitBook asked to wait until [\dT:-]+Z; not waiting past the 5 s budget of one call/);
      assert.equal(server.hits(), 1);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
