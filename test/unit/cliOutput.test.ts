// What the command line (dist/cli.js) prints, line by line: a key is redacted wherever it comes from
// (here the access file itself, which nothing upstream redacts), and its log lines (warnings, errors,
// --verbose) mask the emails a platform's error text carries.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Emulator } from '../emulator/server';

const CLI = path.resolve(__dirname, '../../..', 'dist/cli.js');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('command line output', () => {
  let emulator: Emulator;
  let dir: string;
  before(async () => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (node esbuild.js)');
    emulator = await Emulator.start();
  });
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-cli-out-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs the command line on an access file with this text, with the sandbox's GitBook and Confident AI keys. */
  function cli(args: readonly string[], file: string): Promise<Run> {
    fs.writeFileSync(path.join(dir, 'access.yaml'), file);
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        WORKSPACE_ACCESS_STATE_DIR: path.join(dir, 'state'),
        WORKSPACE_ACCESS_GITBOOK_KEY: emulator.platform('gitbook').keys.admin,
        WORKSPACE_ACCESS_GITBOOK_URL: emulator.baseUrl('gitbook'),
        WORKSPACE_ACCESS_CONFIDENT_KEY: emulator.platform('confident').keys.admin,
        WORKSPACE_ACCESS_CONFIDENT_URL: emulator.baseUrl('confident'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }
  const gitbook = (members: string) =>
    `version: 1\nconnections:\n  - platform: gitbook\n    organization: org_sandbox\n    members:\n      ${members}\n`;

  it('redacts a key that the access file holds, on stdout (a plan naming it) and on stderr (an error quoting it)', async () => {
    const key = emulator.platform('gitbook').keys.admin;
    // Nothing else redacts these: they are the file's own words, printed back.
    const planned = await cli(['plan', 'access.yaml'], gitbook(`${key}@example.com: read`));
    assert.equal(planned.code, 2, planned.stderr);
    assert.match(planned.stdout, /\[redacted\]@example\.com/);
    const refused = await cli(['plan', 'access.yaml'], gitbook(`someone@example.com: ${key}`));
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /"\[redacted\]" is not/);
    for (const r of [planned, refused]) assert.ok(!`${r.stdout}${r.stderr}`.includes(key), 'the key is never printed');
  });

  it("masks the emails in a platform's error text on its warning and error lines (--verbose too); its own error message keeps the text", async () => {
    emulator.queueAnswers({
      status: 400,
      path: '/v1/organization',
      body: { success: false, error: "carol.o'brien@example.com is already in the organization" },
    });
    const r = await cli(
      ['plan', 'access.yaml', '--verbose'],
      'version: 1\nconnections:\n  - platform: confident\n    organization: Sandbox Confident\n',
    );
    assert.equal(r.code, 1, r.stderr);
    const logLines = r.stderr.split('\n').filter((l) => /^(error|warning): |→/.test(l));
    assert.ok(
      logLines.some((l) => l.includes('<email> is already in the organization')),
      `a log line names the failure, masked:\n${r.stderr}`,
    );
    for (const l of logLines) assert.ok(!/brien|@example/.test(l), `no email in the log line: ${l}`);
    assert.match(
      `${r.stdout}${r.stderr}`,
      /line 4: Could not check the key in WORKSPACE_ACCESS_CONFIDENT_KEY with Confident AI: Confident AI: carol\.o'brien@example\.com is already in the organization/,
      "the plan's own words keep the platform's text: it is the user's",
    );
  });
});
