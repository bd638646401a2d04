// `workspace-access findings --roster FILE` (dist/cli.js) against the emulator's demo data: the
// roster is parsed while the platforms answer, and its findings are the ones a roster read first
// would give; a roster that cannot be used stops the reads, and a missing one stops the command
// before any request.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { createSeed } from '../emulator/seed';
import { useCliSandbox } from './cliSandbox';

interface Json {
  exitCode: number;
  findings: { kind: string; connection: string; email: string; rosterLine?: number }[];
  roster: { file: string; problems: unknown[] };
}

const MEMBERS_LIST = /^\/(v1\/workspace\/members|orgs\/[^/]+\/members|v1\/organization\/members)$/;

describe('command line: findings --roster, parsed while the platforms answer', () => {
  const sandbox = useCliSandbox();
  const people = createSeed('demo').people;
  const writeRoster = (text: string) => {
    const file = path.join(sandbox.dir, 'roster.csv');
    fs.writeFileSync(file, text, { mode: 0o600 });
    return file;
  };

  it('names who left and who is unknown on every connection, with the roster line; exit 6', async () => {
    // Everyone but the last two; the fourth terminated (line 5: the header is line 1).
    const rows = people
      .slice(0, -2)
      .map((p) => `${p.email},${p.firstName} ${p.lastName},${p.n === 3 ? 'Terminated' : 'Active'}`);
    const file = writeRoster(['Email,Name,Status', ...rows].join('\n'));
    const run = await sandbox.cli(['findings', '--roster', file, '--json']);
    assert.equal(run.code, 6, run.stderr);
    const out = JSON.parse(run.stdout) as Json;
    assert.equal(out.exitCode, 6);
    assert.deepEqual(out.roster.problems, []);
    const of = (kind: string) =>
      out.findings
        .filter((f) => f.kind === kind)
        .map((f) => `${f.connection.split(':')[0]} ${f.email} ${f.rosterLine ?? '-'}`)
        .sort();
    const platforms = ['confident', 'elevenlabs', 'gitbook'];
    assert.deepEqual(
      of('left'),
      platforms.map((p) => `${p} ${people[3].email} 5`),
    );
    assert.deepEqual(of('unknown'), platforms.flatMap((p) => people.slice(-2).map((x) => `${p} ${x.email} -`)).sort());
  });

  it('a roster that cannot be used stops the reads: exit 1, the file and line named, no members list read', async () => {
    // Answers slow enough that the connections are still being found when the roster fails.
    sandbox.emulator.setFaults({ latencyMs: 300 });
    const file = writeRoster(`Name,Department\n${people[0].firstName},Research\n`);
    const run = await sandbox.cli(['findings', '--roster', file]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /roster\.csv: The roster has no email column \(line 1\): its columns are "Name", "Department"/,
    );
    assert.deepEqual(
      sandbox.emulator.requests.filter((r) => MEMBERS_LIST.test(r.path)),
      [],
      'no members list was read',
    );
  });

  it('a missing roster file stops the command before any request', async () => {
    const run = await sandbox.cli(['findings', '--roster', path.join(sandbox.dir, 'nowhere.csv')]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /nowhere\.csv: no such file\./);
    assert.deepEqual(sandbox.emulator.requests, []);
  });
});
