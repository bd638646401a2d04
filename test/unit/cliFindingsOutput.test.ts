// `workspace-access findings` (dist/cli.js against the emulator): the SARIF log the official schema
// accepts, each finding at its roster row; a refused key that fails its own platform alone; the
// Markdown's marker and its cap however many findings.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/roster/findings';
import { FINDINGS_MARKER, findingsMarkdown, type Gathered } from '../../src/cli/findings';
import { FINDING_RULES } from '../../src/cli/findingsSarif';
import { MAX_MARKDOWN_CHARS } from '../../src/cli/output';
import { sandboxEnv } from './cliSandbox';
import { sarifValidator } from './sarifSchema';
import { CA, EL, GUEST, LINE, person, ROSTER, useFindingsSandbox, type Doc } from './cliFindingsFixture';

describe('command line: findings as SARIF and Markdown, and a refused key', () => {
  const { sandbox, cli, write, addGuest, noKeyPrinted } = useFindingsSandbox();

  it('--sarif: valid SARIF 2.1.0, each finding at its roster line (unknown at line 1), written 0600', async () => {
    const validate = sarifValidator();
    write('roster.csv', ROSTER);
    addGuest();
    const r = await cli([
      'findings',
      '--roster',
      'roster.csv',
      '--domains',
      'example.com',
      '--sarif',
      'findings.sarif',
    ]);
    assert.equal(r.code, 6, r.stderr);
    const file = path.join(sandbox.dir, 'findings.sarif');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'it names people');
    const log = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        invocations: { exitCode: number; executionSuccessful: boolean }[];
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    const checked = validate(log);
    assert.ok(checked.ok, checked.errors);
    const run = log.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((x) => x.id),
      FINDING_RULES.map((x) => x.id),
    );
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, exitCode: 6 }]);
    const at = (rule: string, email: string) =>
      run.results
        .filter((x) => x.ruleId === rule && x.message.text.includes(email))
        .map((x) => [
          x.locations[0].physicalLocation.artifactLocation.uri,
          x.locations[0].physicalLocation.region.startLine,
        ]);
    assert.deepEqual(at('left', person('alan')), [
      ['roster.csv', LINE.alan],
      ['roster.csv', LINE.alan],
      ['roster.csv', LINE.alan],
    ]);
    assert.deepEqual(at('left', person('barbara'))[0], ['roster.csv', LINE.barbara]);
    assert.deepEqual(at('inactive', person('tim'))[0], ['roster.csv', LINE.tim], 'matched through the alias');
    assert.deepEqual(at('unknown', person('radia'))[0], ['roster.csv', 1]);
    assert.deepEqual(at('external', GUEST), [['roster.csv', 1]]);
    assert.deepEqual(at('stale-invitation', 'pending.person@example.com'), [['roster.csv', 1]]);
    for (const x of run.results) {
      assert.equal(run.tool.driver.rules[x.ruleIndex].id, x.ruleId);
      assert.equal(x.level, x.ruleId === 'admin' ? 'note' : 'warning');
    }
    noKeyPrinted();
  });

  it("a refused key fails its platform alone: its error, the others' findings, exit 1; no key printed", async () => {
    write('roster.csv', ROSTER);
    const env = { ...sandboxEnv(sandbox.emulator, sandbox.dir), WORKSPACE_ACCESS_GITBOOK_KEY: 'gb-refused-key-0000' };
    const r = await cli(['findings', '--roster', 'roster.csv'], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stdout,
      /\nGitBook \(WORKSPACE_ACCESS_GITBOOK_KEY\): could not be read\n {2}error: GitBook: Invalid API key\..*\n/,
    );
    assert.match(r.stdout, /\nElevenLabs · ElevenLabs: \d+ findings to act on/);
    assert.match(r.stdout, /\nConfident AI · Sandbox Evals: \d+ findings to act on/);
    const json = await cli(['findings', '--roster', 'roster.csv', '--json'], env);
    const doc = JSON.parse(json.stdout) as Doc;
    assert.equal(doc.exitCode, 1);
    assert.deepEqual(
      [...new Set(doc.findings.map((f) => f.connection))].sort(),
      [CA, EL],
      'the other connections are all there',
    );
    assert.equal(doc.connections.find((c) => c.id === 'gitbook')?.notes[0].kind, 'error');
    noKeyPrinted();
  });

  it(`--markdown starts with its marker and stays under ${MAX_MARKDOWN_CHARS} characters however many findings`, async () => {
    write('roster.csv', ROSTER);
    const r = await cli(['findings', '--roster', 'roster.csv', '--markdown']);
    assert.equal(r.code, 6);
    assert.equal(FINDINGS_MARKER, '<!-- workspace-access:findings -->');
    assert.ok(r.stdout.startsWith(`${FINDINGS_MARKER}\n# Access findings\n\n**`), r.stdout.slice(0, 200));
    assert.match(r.stdout, /\n## Left the organization, still has access \(6\)\n/);
    assert.match(r.stdout, /\| GitBook · org\\_sandbox \| alan\.lovelace@example\.com \| roster line 4: Terminated \|/);

    // 5,000 people on three connections, each unknown and inactive: far over the cap.
    const findings: Finding[] = Array.from({ length: 15_000 }, (_, i) => ({
      kind: i % 2 ? 'unknown' : 'inactive',
      severity: 'warning',
      connectionId: ['el', 'gb', 'ca'][i % 3],
      email: `person${i}@example.com`,
      evidence: i % 2 ? 'matches no roster row (email or alias)' : 'never active',
      actions: ['show-person'],
    }));
    const g: Gathered = {
      findings,
      notes: [],
      labels: new Map([
        ['el', 'ElevenLabs · ElevenLabs'],
        ['gb', 'GitBook · org'],
        ['ca', 'Confident AI · Evals'],
      ]),
      unread: new Set(),
      rosterFile: 'roster.csv',
      ignoredColumns: [],
      rosterProblems: [],
    };
    const md = findingsMarkdown(g);
    assert.ok(md.length <= MAX_MARKDOWN_CHARS, `${md.length}`);
    assert.equal(MAX_MARKDOWN_CHARS, 60_000);
    assert.ok(
      md.startsWith(
        `${FINDINGS_MARKER}\n# Access findings\n\n**15000 findings to act on (7500 unknown, 7500 inactive)`,
      ),
    );
    const shown = md.split('\n').filter((l) => /^\| .* \| person\d+@example\.com \|/.test(l)).length;
    assert.ok(shown > 100, `${shown} rows shown`);
    assert.match(md, new RegExp(`…and ${15_000 - shown} more not shown`));
    assert.match(md, /Every finding: `workspace-access findings` \(or `--json`\)\./);
    noKeyPrinted();
  });
});
