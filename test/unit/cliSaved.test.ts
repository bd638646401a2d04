// Saved plans (dist/cli.js against the emulator): `plan --out PLAN` writes the reviewed plan with
// what it was computed from, and `apply PLAN` sends exactly its changes, or nothing (exit 4) when
// the access file, the tool or the live state under one of its changes moved since.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCli } from '../../src/cli/args';
import { EXIT } from '../../src/cli/exit';
import { SAVED_PLAN_FORMAT, SAVED_PLAN_SCHEMA_VERSION, type SavedPlan } from '../../src/cli/saved';
import { canonicalJson, fingerprints, sha256 } from '../../src/core/access/fingerprint';
import type { Change } from '../../src/core/changes/change';
import type { LiveState } from '../../src/core/access/live';
import { edit, exported as exportedOf, useCliSandbox } from './cliSandbox';

describe('saved plans: plan --out, apply PLAN', () => {
  const sandbox = useCliSandbox();
  const cli = (args: readonly string[]) => sandbox.cli(args);
  const at = (name: string) => path.join(sandbox.dir, name);
  const writes = () => sandbox.emulator.requests.filter((r) => r.method !== 'GET');
  const write = (name: string, text: string) => fs.writeFileSync(at(name), text);
  const savedPlan = (name = 'plan.json') => JSON.parse(fs.readFileSync(at(name), 'utf8')) as SavedPlan;

  const exported = () => exportedOf(sandbox);

  /** The export with three changes: Alan to GitBook admin, a GitBook invitation, Donald into ElevenLabs' Engineering. */
  const threeChanges = (text: string) =>
    edit(
      edit(
        text,
        /alan\.lovelace@example\.com: edit # Alan Lovelace/,
        'alan.lovelace@example.com: admin # Alan Lovelace\n      new.person@example.com: read',
      ),
      /(Engineering:\n)/,
      '$1        - donald.lovelace@example.com\n',
    );

  /** Another apply, from another file, moves live in between: `change` of the export, for one connection. */
  async function moveLive(text: string, from: RegExp, to: string, connection: string): Promise<void> {
    write('other.yaml', edit(text, from, to));
    const moved = await cli(['apply', 'other.yaml', '--connection', connection, '--yes']);
    assert.equal(moved.code, 0, moved.stderr);
  }

  it('plan --out writes a private saved plan, prints the plan as plan does, and apply PLAN sends exactly its changes', async () => {
    const text = await exported();
    write('workspace-access.yaml', threeChanges(text));
    const plain = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(plain.code, EXIT.pending);
    const planned = await cli(['plan', 'workspace-access.yaml', '--out', 'plan.json']);
    assert.equal(planned.code, EXIT.pending, planned.stderr);
    assert.equal(planned.stdout, plain.stdout, 'stdout is the plan, as without --out');
    assert.match(planned.stderr, /Saved the plan \(3 change\(s\)\) to plan\.json: .*short-lived private CI artifact/);
    assert.equal(fs.statSync(at('plan.json')).mode & 0o777, 0o600, 'readable by its owner only: it names people');

    const saved = savedPlan();
    assert.equal(saved.format, SAVED_PLAN_FORMAT);
    assert.equal(saved.schemaVersion, SAVED_PLAN_SCHEMA_VERSION);
    assert.equal(saved.file.path, 'workspace-access.yaml');
    assert.equal(saved.file.sha256, sha256(fs.readFileSync(at('workspace-access.yaml'))));
    assert.deepEqual(
      saved.changes.map((c) => [c.connection.platform, c.change.op, c.description]),
      [
        ['elevenlabs', 'join-group', 'Add Donald <donald.lovelace@example.com> to "Engineering"'],
        ['gitbook', 'set-role', 'Change Alan Lovelace <alan.lovelace@example.com> from Edit to Admin'],
        ['gitbook', 'invite', 'Invite new.person@example.com as Read'],
      ],
    );
    for (const c of saved.changes) assert.match(c.live, /^[0-9a-f]{64}$/);

    // Live moves elsewhere: Ken becomes a GitBook admin. A plan made now would put him back; the saved one does not hold that.
    await moveLive(
      text,
      /ken\.lovelace@example\.com: edit # Ken Lovelace/,
      'ken.lovelace@example.com: admin',
      'org_sandbox',
    );
    const before = writes().length;
    const applied = await cli(['apply', 'plan.json']);
    assert.equal(applied.code, EXIT.ok, applied.stderr);
    assert.match(applied.stdout, /Apply workspace-access\.yaml: 3 done, 0 failed/);
    assert.match(applied.stderr, /note: live needs 1 change\(s\) that plan\.json does not hold .*Ken/);
    assert.equal(writes().length - before, saved.changes.length, 'one write per saved change, and nothing else');

    const after = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(after.code, EXIT.pending, 'only what the saved plan did not hold is left');
    assert.match(after.stdout, /1 to change\./);
    assert.match(after.stdout, /Change Ken Lovelace <ken\.lovelace@example\.com> from Admin to Edit/);
  });

  it('live moved under a change since the plan: exit 4, the change is named, nothing is sent; --json says so too', async () => {
    const text = await exported();
    write('workspace-access.yaml', threeChanges(text));
    assert.equal((await cli(['plan', 'workspace-access.yaml', '--out', 'plan.json'])).code, EXIT.pending);
    await moveLive(
      text,
      /alan\.lovelace@example\.com: edit # Alan Lovelace/,
      'alan.lovelace@example.com: create',
      'org_sandbox',
    );

    const before = sandbox.emulator.requests.length;
    const stale = await cli(['apply', 'plan.json']);
    assert.equal(stale.code, EXIT.stale, stale.stderr);
    assert.equal(EXIT.stale, 4);
    const line = threeChanges(text)
      .split('\n')
      .findIndex((l) => l.includes('alan.lovelace@example.com: admin # Alan Lovelace'));
    assert.match(
      stale.stderr,
      new RegExp(
        `line ${line + 1}: Change Alan Lovelace <alan\\.lovelace@example\\.com> from Edit to Admin: live moved since the plan\n`,
      ),
    );
    assert.doesNotMatch(stale.stderr, /new\.person|donald/, 'the changes whose live did not move are not named');
    assert.match(
      stale.stderr,
      /is stale: live moved under 1 of its 3 change\(s\) since it was made .*Nothing was sent\./,
    );
    assert.deepEqual(
      sandbox.emulator.requests.slice(before).filter((r) => r.method !== 'GET'),
      [],
      'nothing was sent',
    );

    const json = await cli(['apply', 'plan.json', '--json']);
    assert.equal(json.code, EXIT.stale);
    const doc = JSON.parse(json.stdout) as {
      schemaVersion: number;
      command: string;
      exitCode: number;
      errors: { message: string; line?: number; code?: string }[];
    };
    assert.deepEqual([doc.schemaVersion, doc.command, doc.exitCode], [1, 'apply', 4]);
    assert.deepEqual(doc.errors[0], {
      message: 'Change Alan Lovelace <alan.lovelace@example.com> from Edit to Admin: live moved since the plan',
      line: line + 1,
      code: 'stale',
    });
    assert.deepEqual(
      sandbox.emulator.requests.slice(before).filter((r) => r.method !== 'GET'),
      [],
      'nothing was sent',
    );
  });

  it('the access file edited after plan --out: exit 4 naming both hashes, before any request', async () => {
    const text = await exported();
    write('workspace-access.yaml', threeChanges(text));
    assert.equal((await cli(['plan', 'workspace-access.yaml', '--out', 'plan.json'])).code, EXIT.pending);
    const planned = savedPlan().file.sha256;
    fs.appendFileSync(at('workspace-access.yaml'), '# reviewed\n');
    const now = sha256(fs.readFileSync(at('workspace-access.yaml')));

    const before = sandbox.emulator.requests.length;
    const stale = await cli(['apply', 'plan.json', '--yes']);
    assert.equal(stale.code, EXIT.stale, stale.stderr);
    assert.match(
      stale.stderr,
      new RegExp(
        `The saved plan plan\\.json is stale: the access file changed since the plan: sha256 ${now.slice(0, 12)}… now vs ${planned.slice(0, 12)}… in the plan \\(workspace-access\\.yaml\\)\\. Nothing was sent\\.`,
      ),
    );
    assert.equal(sandbox.emulator.requests.length, before, 'not even a read');
  });

  it('a saved plan edited by hand is refused, whatever its name; one made by another version is stale', async () => {
    const text = await exported();
    write('workspace-access.yaml', threeChanges(text));
    assert.equal((await cli(['plan', 'workspace-access.yaml', '--out', 'reviewed.txt'])).code, EXIT.pending);
    const original = fs.readFileSync(at('reviewed.txt'), 'utf8');
    write('reviewed.txt', edit(original, /"role": "read"/, '"role": "admin"'));

    const before = sandbox.emulator.requests.length;
    const edited = await cli(['apply', 'reviewed.txt']);
    assert.equal(edited.code, EXIT.error, edited.stderr);
    assert.match(
      edited.stderr,
      /reviewed\.txt was edited or damaged since it was saved \(its own SHA-256 does not match its content\): a saved plan is applied only as plan wrote it\..*Nothing was sent\./,
    );
    assert.equal(sandbox.emulator.requests.length, before, 'not even a read');

    // Sealed again by hand, with another tool version: the tool that planned is not the one applying.
    const older: Record<string, unknown> = { ...(JSON.parse(original) as object), toolVersion: '0.0.1' };
    delete older.sha256;
    write('reviewed.txt', JSON.stringify({ ...older, sha256: sha256(canonicalJson(older)) }));
    const other = await cli(['apply', 'reviewed.txt']);
    assert.equal(other.code, EXIT.stale, other.stderr);
    assert.match(
      other.stderr,
      /it was made by workspace-access 0\.0\.1, and this is \d+\.\d+\.\d+\. Nothing was sent\./,
    );
    assert.equal(sandbox.emulator.requests.length, before);

    write('reviewed.txt', original);
    const applied = await cli(['apply', 'reviewed.txt']);
    assert.equal(applied.code, EXIT.ok, applied.stderr);
    assert.equal(writes().length, 3);
  });

  it('--out is checked before any request: a missing folder, the access file itself, a file that is not a saved plan', async () => {
    assert.equal(parseCli(['plan', 'f.yaml', '--out', 'p.json']).out, 'p.json');
    assert.throws(() => parseCli(['drift', 'f.yaml', '--out', 'p.json']), /--out is for plan, not drift/);
    const text = await exported();
    write('workspace-access.yaml', threeChanges(text));
    const before = sandbox.emulator.requests.length;

    const missing = await cli(['plan', 'workspace-access.yaml', '--out', path.join('no-such-folder', 'plan.json')]);
    assert.equal(missing.code, EXIT.usage, missing.stderr);
    assert.match(
      missing.stderr,
      /--out no-such-folder\/plan\.json: the folder .*no-such-folder does not exist\. Create it first\./,
    );
    const itself = await cli(['plan', 'workspace-access.yaml', '--out', 'workspace-access.yaml']);
    assert.equal(itself.code, EXIT.usage);
    assert.match(itself.stderr, /--out workspace-access\.yaml is the access file itself/);
    write('notes.txt', 'keep me');
    const other = await cli(['plan', 'workspace-access.yaml', '--out', 'notes.txt']);
    assert.equal(other.code, EXIT.usage);
    assert.match(other.stderr, /--out notes\.txt exists and is not a saved plan/);
    assert.equal(fs.readFileSync(at('notes.txt'), 'utf8'), 'keep me');
    assert.equal(sandbox.emulator.requests.length, before, 'not even a read before the path is checked');

    // A plan that fails leaves no saved plan behind: the earlier one there is gone, not applied by mistake.
    assert.equal((await cli(['plan', 'workspace-access.yaml', '--out', 'plan.json'])).code, EXIT.pending);
    write(
      'workspace-access.yaml',
      edit(text, /alan\.lovelace@example\.com: edit/, 'alan.lovelace@example.com: captain'),
    );
    const failed = await cli(['plan', 'workspace-access.yaml', '--out', 'plan.json']);
    assert.equal(failed.code, EXIT.error);
    assert.equal(fs.existsSync(at('plan.json')), false);
  });

  it("apply PLAN keeps apply's guards: --connection as planned or absent, --yes for a demotion, --max-changes", async () => {
    const text = await exported();
    write(
      'workspace-access.yaml',
      edit(
        text,
        /alan\.lovelace@example\.com: edit # Alan Lovelace/,
        'alan.lovelace@example.com: read # Alan Lovelace\n      new.person@example.com: read',
      ),
    );
    const planned = await cli(['plan', 'workspace-access.yaml', '--connection', 'org_sandbox', '--out', 'plan.json']);
    assert.equal(planned.code, EXIT.pending, planned.stderr);
    assert.equal(savedPlan().connection, 'org_sandbox');

    const before = sandbox.emulator.requests.length;
    const wrong = await cli(['apply', 'plan.json', '--connection', 'ElevenLabs']);
    assert.equal(wrong.code, EXIT.usage, wrong.stderr);
    assert.match(
      wrong.stderr,
      /--connection ElevenLabs: plan\.json was planned for --connection org_sandbox; apply it without --connection/,
    );
    assert.equal(sandbox.emulator.requests.length, before);

    const big = await cli(['apply', 'plan.json', '--max-changes', '1']);
    assert.equal(big.code, EXIT.error, big.stderr);
    assert.match(big.stderr, /holds 2 changes, more than --max-changes 1\./);
    const noYes = await cli(['apply', 'plan.json', '--connection', 'org_sandbox']);
    assert.equal(noYes.code, EXIT.needsYes, noYes.stderr);
    assert.match(noYes.stderr, /1 change\(s\) remove access, lower it or change ownership and need --yes: Change Alan/);
    assert.deepEqual(writes(), []);

    const applied = await cli(['apply', 'plan.json', '--yes']);
    assert.equal(applied.code, EXIT.ok, applied.stderr);
    const touched = new Set(sandbox.emulator.requests.slice(before).map((r) => r.platform));
    assert.deepEqual([...touched], ['gitbook'], 'only the planned connection is read and written');
    assert.equal(writes().length, 2);
  });
});

describe('fingerprints of the live facts a change was decided from', () => {
  const alan = { id: 'u1', email: 'Alan@example.com', name: 'Alan', role: 'edit' };
  const live = (members: LiveState['members'], extra: Partial<LiveState> = {}): LiveState => ({
    members,
    roles: [],
    ...extra,
  });
  const setRole: Change = { op: 'set-role', member: alan, role: 'admin', roleLabel: 'Admin', from: 'Edit' };
  const invite: Change = { op: 'invite', email: 'new@example.com', role: 'read' };

  it('the same facts give the same print; the facts the change depends on moving give another', () => {
    const [a] = fingerprints([setRole], live([alan]));
    assert.equal(
      fingerprints(
        [setRole],
        live([
          { ...alan, name: 'Alan T.' },
          { ...alan, id: 'u2', email: 'b@x' },
        ]),
      )[0],
      a,
    );
    assert.notEqual(fingerprints([setRole], live([{ ...alan, role: 'create' }]))[0], a, 'their role');
    assert.notEqual(fingerprints([setRole], live([{ ...alan, locked: true }]))[0], a, 'their lock');
    assert.notEqual(fingerprints([setRole], live([]))[0], a, 'they left');

    const [i] = fingerprints([invite], live([alan]));
    assert.notEqual(fingerprints([invite], live([alan, { id: 'u3', email: 'NEW@example.com', name: 'N' }]))[0], i);
    assert.notEqual(
      fingerprints(
        [invite],
        live([alan], { invitations: [{ id: 'i1', email: 'new@example.com', status: 'pending' }] }),
      )[0],
      i,
      'invited by someone else meanwhile',
    );
    assert.notEqual(fingerprints([invite], live([alan]), new Set(['new@example.com']))[0], i, 'remembered as invited');

    const resource = { type: 'space', id: 's1', name: 'S' };
    const grant: Change = { op: 'grant', resource, principal: { kind: 'user', id: 'u1', name: 'Alan' }, role: 'edit' };
    const held = (role: string) =>
      live([alan], {
        resources: [{ resource, grants: [{ principal: { kind: 'user', id: 'u1', name: 'Alan' }, role }] }],
      });
    assert.equal(fingerprints([grant], held('read'))[0], fingerprints([grant], held('read'))[0]);
    assert.notEqual(fingerprints([grant], held('read'))[0], fingerprints([grant], held('comment'))[0]);
  });

  it('canonical JSON does not depend on key order and leaves out what is undefined', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [2, { f: 1, e: undefined }], c: null } }),
      '{"a":{"c":null,"d":[2,{"f":1}]},"b":1}',
    );
    assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  });
});
