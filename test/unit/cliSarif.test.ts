// `--sarif FILE` (dist/cli.js against the emulator): a SARIF 2.1.0 log that the official schema
// accepts, one rule per kind of finding, each result at the line and column of the access file the
// JSON output names; the file's own errors as results when it has any; the path checked before any
// request; the log readable by its owner only.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCli } from '../../src/cli/args';
import { artifactOf, ruleOf, SARIF_RULES, SARIF_SCHEMA } from '../../src/cli/sarif';
import { edit, exported as exportedFile, sandboxEnv, startCli, useCliSandbox } from './cliSandbox';
import { sarifValidator } from './sarifSchema';

const root = path.resolve(__dirname, '../../..');
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string; index: number };
      region: { startLine: number; startColumn: number; endColumn?: number };
    };
  }[];
}
interface Log {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri?: string;
        rules: { id: string; help: { text: string }; shortDescription: { text: string } }[];
      };
    };
    automationDetails: { id: string };
    columnKind: string;
    invocations: { executionSuccessful: boolean; exitCode: number }[];
    artifacts: { location: { uri: string } }[];
    results: Result[];
  }[];
}
interface Finding {
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

describe('command line: --sarif for code scanning', () => {
  const sandbox = useCliSandbox();
  const cli = (args: readonly string[]) => sandbox.cli(args);
  const file = () => path.join(sandbox.dir, 'workspace-access.yaml');
  const write = (text: string) => fs.writeFileSync(file(), text);
  const readLog = (name: string) => JSON.parse(fs.readFileSync(path.join(sandbox.dir, name), 'utf8')) as Log;
  const exported = () => exportedFile(sandbox);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
    homepage?: string;
  };

  it('drift --sarif: every kind of finding at the line and column the JSON names, valid against the SARIF 2.1.0 schema, 0600', async () => {
    const validate = sarifValidator();
    const text = await exported();
    // One line of each kind: a change pending, a change no key can make, a member the file leaves
    // out of an exclusive section, access past its `until:`, and a line that ended and can go.
    write(
      [
        [/alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: workspace_admin'],
        [/grace\.lovelace@example\.com: admin # creator/, 'grace.lovelace@example.com: viewer'],
        [/ +barbara\.lovelace@example\.com: workspace_lite_member # Barbara\n/, ''],
        [
          /dennis\.lovelace@example\.com: workspace_lite_member # Dennis/,
          'dennis.lovelace@example.com: { seat: workspace_lite_member, until: 2020-01-01 }\n      gone.lovelace@example.com: { seat: workspace_member, until: 2020-01-01 }',
        ],
      ].reduce((t, [from, to]) => edit(t, from as RegExp, to as string), text),
    );
    const r = await cli(['drift', 'workspace-access.yaml', '--sarif', 'drift.sarif']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(fs.statSync(path.join(sandbox.dir, 'drift.sarif')).mode & 0o777, 0o600, 'it names people');
    const log = readLog('drift.sarif');
    const checked = validate(log);
    assert.ok(checked.ok, checked.errors);
    // The validator holds the log to the schema: a wrong version, a line 0, a homepage that is no URI fail.
    const broken = (change: (l: Log) => void) => {
      const copy = JSON.parse(JSON.stringify(log)) as Log;
      change(copy);
      return validate(copy).ok;
    };
    assert.equal(
      broken((l) => (l.version = '2.0.0')),
      false,
    );
    assert.equal(
      broken((l) => (l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0)),
      false,
    );
    assert.equal(
      broken((l) => (l.runs[0].tool.driver.informationUri = 'not a uri')),
      false,
    );
    assert.equal(log.$schema, SARIF_SCHEMA);
    assert.equal(log.version, '2.1.0');
    const [run] = log.runs;
    assert.equal(run.tool.driver.name, 'workspace-access');
    assert.equal(run.tool.driver.version, pkg.version);
    assert.equal(run.tool.driver.informationUri, pkg.homepage, 'the homepage package.json names, and no made-up one');
    assert.deepEqual(
      run.tool.driver.rules.map((rule) => rule.id),
      [
        'change-pending',
        'cannot-be-done',
        'unlisted',
        'expired',
        'stale-line',
        'waiting',
        'connection-error',
        'file-error',
      ],
    );
    for (const rule of run.tool.driver.rules) assert.ok(rule.help.text.length > 40, `${rule.id} has help`);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, exitCode: 3 }]);
    assert.equal(run.automationDetails.id, 'workspace-access/drift/workspace-access.yaml/', 'one category per file');
    assert.deepEqual(run.artifacts[0].location, { uri: 'workspace-access.yaml', uriBaseId: '%SRCROOT%' });

    // The same findings, as the JSON output places them.
    const json = await cli(['drift', 'workspace-access.yaml', '--json']);
    const findings = (JSON.parse(json.stdout) as { findings: Finding[] }).findings;
    assert.equal(run.results.length, findings.length);
    const lines = fs.readFileSync(file(), 'utf8').split('\n');
    const level = { error: 'error', warning: 'warning', info: 'note' } as Record<string, string>;
    run.results.forEach((result, i) => {
      const f = findings[i];
      const where = result.locations[0].physicalLocation;
      assert.deepEqual(
        [where.region.startLine, where.region.startColumn, result.level, result.message.text],
        [f.line, f.column, level[f.severity], f.message],
      );
      assert.equal(where.artifactLocation.uri, 'workspace-access.yaml');
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
      if (where.region.endColumn !== undefined)
        assert.ok(where.region.endColumn <= lines[f.line - 1].length + 1, 'a region ends on its line');
    });
    const at = (rule: string) =>
      run.results
        .filter((x) => x.ruleId === rule)
        .map((x) => lines[x.locations[0].physicalLocation.region.startLine - 1].trim());
    assert.deepEqual(at('change-pending'), ['alan.lovelace@example.com: workspace_admin']);
    assert.deepEqual(at('cannot-be-done'), ['grace.lovelace@example.com: viewer']);
    assert.deepEqual(at('unlisted'), ['members:'], 'at the section that leaves them out');
    assert.match(
      run.results.find((x) => x.ruleId === 'unlisted')?.message.text ?? '',
      /barbara\.lovelace@example\.com/,
      'naming them',
    );
    assert.deepEqual(at('expired'), [
      'dennis.lovelace@example.com: { seat: workspace_lite_member, until: 2020-01-01 }',
    ]);
    assert.deepEqual(at('stale-line'), ['gone.lovelace@example.com: { seat: workspace_member, until: 2020-01-01 }']);
    assert.deepEqual(
      sandbox.emulator.requests.filter((q) => q.method !== 'GET'),
      [],
      'checking sent nothing',
    );
  });

  it('a file with errors gets a log of its errors at their lines; plan --sarif too; an invitation waiting, and a connection without its key', async () => {
    const validate = sarifValidator();
    const text = await exported();
    write(edit(text, /alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: captain'));
    const bad = await cli(['plan', 'workspace-access.yaml', '--sarif', 'plan.sarif']);
    assert.equal(bad.code, 1, bad.stderr);
    const log = readLog('plan.sarif');
    assert.ok(validate(log).ok, validate(log).errors);
    const [run] = log.runs;
    assert.deepEqual(run.invocations, [{ executionSuccessful: false, exitCode: 1 }], 'nothing was checked');
    assert.equal(run.automationDetails.id, 'workspace-access/plan/workspace-access.yaml/');
    const line = text.split('\n').findIndex((l) => l.includes('alan.lovelace@example.com')) + 1;
    assert.deepEqual(
      run.results.map((x) => [x.ruleId, x.level, x.locations[0].physicalLocation.region.startLine]),
      [['file-error', 'error', line]],
    );
    assert.match(run.results[0].message.text, /captain/);

    // Someone new is invited by apply: ElevenLabs cannot list invitations, so drift says they are waiting.
    write(
      edit(
        text,
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        '$&\n      new.lovelace@example.com: workspace_member',
      ),
    );
    assert.equal((await cli(['apply', 'workspace-access.yaml'])).code, 0);
    // Without the Confident AI key its entry cannot be matched: said at its name, the others checked.
    const env = sandboxEnv(sandbox.emulator, sandbox.dir);
    delete env.WORKSPACE_ACCESS_CONFIDENT_KEY;
    const r = await startCli(['drift', 'workspace-access.yaml', '--sarif', 'drift.sarif'], sandbox.dir, env).done;
    assert.equal(r.code, 1, r.stdout);
    const drift = readLog('drift.sarif');
    assert.ok(validate(drift).ok, validate(drift).errors);
    const lines = fs.readFileSync(file(), 'utf8').split('\n');
    const results = drift.runs[0].results.map((x) => [
      x.ruleId,
      x.level,
      lines[x.locations[0].physicalLocation.region.startLine - 1].trim(),
    ]);
    assert.deepEqual(results, [
      ['waiting', 'note', 'new.lovelace@example.com: workspace_member'],
      ['connection-error', 'error', 'organization: Sandbox Evals'],
    ]);
    assert.deepEqual(drift.runs[0].invocations, [{ executionSuccessful: false, exitCode: 1 }]);
  });

  it('--sarif is checked before any request, is for plan and drift only, and is not written when nothing was read', async () => {
    await exported();
    const before = sandbox.emulator.requests.length;
    const missing = await cli(['drift', 'workspace-access.yaml', '--sarif', path.join('no-such-folder', 'x.sarif')]);
    assert.equal(missing.code, 64, missing.stderr);
    assert.match(
      missing.stderr,
      /--sarif no-such-folder\/x\.sarif: the folder .*no-such-folder does not exist\. Create it first\. Nothing was sent\./,
    );
    fs.mkdirSync(path.join(sandbox.dir, 'out.sarif'));
    const folder = await cli(['plan', 'workspace-access.yaml', '--sarif', 'out.sarif']);
    assert.equal(folder.code, 64);
    assert.match(folder.stderr, /--sarif out\.sarif is a folder: name a file\./);
    assert.equal(sandbox.emulator.requests.length, before, 'not even a read before the path is checked');

    for (const command of ['apply', 'export'])
      assert.throws(
        () => parseCli([command, 'f.yaml', '--sarif', 'x.sarif']),
        new RegExp(`--sarif is for plan, drift and findings, not ${command}`),
      );
    assert.equal(parseCli(['drift', 'f.yaml', '--sarif', 'x.sarif']).sarif, 'x.sarif');
    const help = await cli(['--help']);
    assert.match(help.stdout, /--sarif FILE {7}plan, drift: also write each line where live differs/);
    assert.match(help.stdout, /workspace-access drift {2}<file> \[--markdown \| --json\] \[--sarif FILE\]/);

    // One connection's log is a category of its own: it closes no alert of the others.
    const one = await cli(['drift', 'workspace-access.yaml', '--connection', 'ElevenLabs', '--sarif', 'one.sarif']);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(
      readLog('one.sarif').runs[0].automationDetails.id,
      'workspace-access/drift/workspace-access.yaml:ElevenLabs/',
    );

    // No file: no log, since an empty one would tell code scanning that live matches.
    const none = await cli(['drift', 'nothing.yaml', '--sarif', 'none.sarif']);
    assert.equal(none.code, 1);
    assert.equal(fs.existsSync(path.join(sandbox.dir, 'none.sarif')), false);
  });

  it('where the file is: relative to the repository root above it, else to the working folder, else absolute', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-sarif-'));
    try {
      fs.mkdirSync(path.join(dir, 'repo', '.git'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'repo', 'teams', 'a b'), { recursive: true });
      const cwd = path.join(dir, 'repo', 'teams');
      assert.deepEqual(artifactOf('a b/x.workspace-access.yaml', cwd), {
        uri: 'teams/a%20b/x.workspace-access.yaml',
        uriBaseId: '%SRCROOT%',
        base: `file://${path.join(dir, 'repo')}/`,
      });
      fs.mkdirSync(path.join(dir, 'plain'));
      assert.equal(artifactOf('workspace-access.yaml', path.join(dir, 'plain')).uri, 'workspace-access.yaml');
      assert.equal(
        artifactOf('../../plain/workspace-access.yaml', cwd).uri,
        `file://${path.join(dir, 'plain', 'workspace-access.yaml')}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(
      ['drift', 'unknown', 'expired', 'stale', 'pending', 'connection', 'unreadable', 'schema', 'syntax'].map((code) =>
        ruleOf({ code }),
      ),
      [
        'change-pending',
        'cannot-be-done',
        'expired',
        'stale-line',
        'waiting',
        'connection-error',
        'connection-error',
        'file-error',
        'file-error',
      ],
    );
    assert.equal(ruleOf({ code: 'drift', unlisted: true }), 'unlisted');
    assert.equal(SARIF_RULES.length, 8);
  });
});
