// `workspace-access findings` (dist/cli.js against the emulator's demo data): a roster that marks
// one person left by status and one by end date, leaves some out and matches one through an alias;
// --domains that make a guest external; inactive seats from GitBook's last seen and ElevenLabs'
// credit usage; Confident AI saying it gives no activity; the exit codes (6, 0, 1, 64) and JSON.
// SARIF, Markdown and a refused key: cliFindingsOutput.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_INVITATION_DAYS, DEFAULT_INACTIVE_DAYS } from '../../src/core/roster/findings';
import { parseRoster } from '../../src/core/roster/parse';
import { MAX_DAYS, parseCli } from '../../src/cli/args';
import {
  CA,
  daysAgo,
  EL,
  GB,
  GUEST,
  LINE,
  person,
  ROSTER,
  UNKNOWN,
  useFindingsSandbox,
  type Doc,
} from './cliFindingsFixture';

describe('command line: findings', () => {
  const { sandbox, cli, write, addGuest, noKeyPrinted } = useFindingsSandbox();

  it('every kind of finding with its evidence and roster line; inactive seats per the seed; exit 6', async () => {
    write('roster.csv', ROSTER);
    addGuest();
    const r = await cli(['findings', '--roster', 'roster.csv', '--domains', 'example.com', '--json']);
    assert.equal(r.code, 6, r.stderr);
    const doc = JSON.parse(r.stdout) as Doc;
    assert.deepEqual([doc.schemaVersion, doc.command, doc.exitCode], [1, 'findings', 6]);
    assert.deepEqual(doc.roster, { file: 'roster.csv', ignoredColumns: ['Badge Number'], problems: [] });
    const of = (connection: string, kind: string) =>
      doc.findings.filter((f) => f.connection === connection && f.kind === kind);
    const who = (connection: string, kind: string) => of(connection, kind).map((f) => f.email);

    for (const c of [EL, GB, CA]) {
      // Left: Alan by his status, Barbara by her end date, each at their roster line.
      assert.deepEqual(
        of(c, 'left').map((f) => [f.email, f.evidence, f.rosterLine]),
        [
          [person('alan'), `roster line ${LINE.alan}: Terminated`, LINE.alan],
          [person('barbara'), `roster line ${LINE.barbara}: active (end date 2020-01-31)`, LINE.barbara],
        ],
        c,
      );
      assert.deepEqual(
        of(c, 'left').map((f) => f.actions[0]),
        ['offboard', 'offboard'],
      );
      // Unknown: the five left out (and the guest on Confident AI); Ada (other case) and Tim (alias) match.
      // Ken is locked in ElevenLabs (the seed's): a locked account was acted on already, and is not listed.
      const unknown = c === EL ? UNKNOWN.filter((e) => e !== person('ken')) : UNKNOWN;
      assert.deepEqual(who(c, 'unknown'), c === CA ? [...unknown, GUEST] : unknown, c);
      for (const f of of(c, 'unknown')) {
        assert.equal(f.evidence, 'matches no roster row (email or alias)');
        assert.equal(f.rosterLine, undefined);
      }
    }
    assert.deepEqual(
      doc.findings.filter((f) => f.kind === 'external').map((f) => [f.connection, f.email, f.evidence]),
      [[CA, GUEST, "partner.io is not one of the organization's domains"]],
    );
    // Owners and admins, for the record, at their roster line.
    assert.deepEqual(
      of(EL, 'admin').map((f) => [f.email, f.evidence, f.severity, f.rosterLine]),
      [
        [person('ada'), 'owner', 'info', LINE.ada],
        [person('grace'), 'Workspace admin', 'info', LINE.grace],
        [person('tim'), 'Workspace admin', 'info', LINE.tim],
      ],
    );
    assert.deepEqual(who(GB, 'admin'), [person('ada'), person('grace')]);
    assert.deepEqual(who(CA, 'admin'), [person('ada'), person('grace')]);

    // Inactive (the seed: members 3 and 11 never active, member 6 last active 126 days ago).
    const gb = of(GB, 'inactive');
    assert.deepEqual(
      gb.map((f) => [f.email, f.rosterLine]),
      [
        [person('edsger'), LINE.edsger],
        [person('frances'), LINE.frances],
        [person('tim'), LINE.tim],
      ],
    );
    assert.match(gb[0].evidence, /^never active since joining on \d{4}-\d{2}-\d{2}$/);
    assert.match(gb[1].evidence, /^last active \d{4}-\d{2}-\d{2}, 12[67] days ago$/);
    assert.equal(gb[1].lastActive, gb[1].evidence.slice(12, 22));
    const el = of(EL, 'inactive');
    assert.deepEqual(
      el.map((f) => f.email),
      [person('edsger'), person('frances'), person('tim')],
    );
    // ElevenLabs is asked for the inactive days and one more: nothing in that window is all it can say.
    const since = new Date(Date.now() - (DEFAULT_INACTIVE_DAYS + 1) * 86_400_000).toISOString().slice(0, 10);
    for (const f of el) assert.equal(f.evidence, `no activity since ${since}`);
    assert.deepEqual(of(CA, 'inactive'), []);
    assert.deepEqual(doc.connections.find((c) => c.id === CA)?.notes, [
      { kind: 'no-activity', message: 'Confident AI gives no activity: nobody here is marked inactive.' },
    ]);
    // The seeded pending invitation is 45 days old, over the default 30.
    assert.deepEqual(
      doc.findings.filter((f) => f.kind === 'stale-invitation').map((f) => [f.connection, f.email, f.evidence]),
      [[CA, 'pending.person@example.com', `pending since ${daysAgo(45)}, 45 days`]],
    );
    assert.match(doc.summary, /^\d+ findings to act on \(/);

    // The text says the same, each connection in its own branch.
    const text = await cli(['findings', '--roster', 'roster.csv', '--domains', 'example.com']);
    assert.equal(text.code, 6);
    assert.match(text.stdout, /^roster\.csv: ignored columns: Badge Number\.\n/);
    assert.match(text.stdout, /\nConfident AI · Sandbox Evals: .*\n {2}note: Confident AI gives no activity/);
    assert.match(
      text.stdout,
      / {2}Left the organization, still has access:\n {4}alan\.lovelace@example\.com {2}roster line 4: Terminated {2}→ offboard, show-person\n/,
    );
    assert.match(
      text.stdout,
      / {4}frances\.lovelace@example\.com {2}last active [\d-]+, 12[67] days ago {2}→ reclaim-seat/,
    );
    noKeyPrinted();
  });

  it('a roster of everyone, active, in the domain, with the days long enough: exit 0, owners and admins listed', async () => {
    const all = [
      'Ada',
      'Grace',
      'Alan',
      'Edsger',
      'Barbara',
      'Donald',
      'Frances',
      'Ken',
      'Margaret',
      'Dennis',
      'Radia',
      'Tim',
    ];
    write('roster.csv', ['email,name,status', ...all.map((n) => `${person(n)},${n} Lovelace,active`)].join('\n'));
    // ElevenLabs gives no join date: someone who never used a credit is inactive however long the
    // window, so everyone there uses a credit today (GitBook's never-seen joined 400 days ago).
    const usage = sandbox.emulator.state('elevenlabs').usage;
    for (const [id, events] of usage)
      if (!events.length) usage.set(id, [{ at: Date.now() - 3_600_000, credits: 10, product: 'tts' }]);
    const args = ['findings', '--roster', 'roster.csv', '--domains', 'example.com', '--inactive-days', '500'];
    const stale = await cli(args);
    assert.equal(stale.code, 6, 'the invitation is 45 days old, over the default 30');
    const r = await cli([...args, '--invitation-days', '45', '--json']);
    assert.equal(r.code, 0, r.stdout);
    const doc = JSON.parse(r.stdout) as Doc;
    assert.equal(doc.exitCode, 0);
    assert.deepEqual([...new Set(doc.findings.map((f) => f.kind))], ['admin']);
    assert.equal(doc.findings.length, 7);
    assert.equal(doc.summary, 'Nothing to act on; 7 owners or admins listed');
    noKeyPrinted();
  });

  it('a bad roster stops with exit 1 and its line: no email column, not CSV, binary; a duplicate row is named and fails the run', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      [
        'noemail.csv',
        'name,status\nAda,active\n',
        /noemail\.csv: The roster has no email column \(line 1\): its columns are "name", "status"\. Name the email column one of: email,/,
      ],
      [
        'quote.csv',
        'email,status\n"ada.lovelace@example.com,active\n',
        /quote\.csv: The roster is not valid CSV \(line 2\)/,
      ],
      [
        'sheet.csv',
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
        /sheet\.csv: The roster is not a CSV text file: line 1 holds binary data \(it looks like a spreadsheet saved as \.xlsx\)\. Export it as CSV/,
      ],
      ['missing.csv', '', /missing\.csv: no such file\./],
    ];
    for (const [name, content, message] of cases) {
      if (name !== 'missing.csv') write(name, content);
      const r = await cli(['findings', '--roster', name]);
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'nothing else is printed');
    }
    // The roster is parsed while the keys are checked (its CPU time would add to their wait); a bad one
    // stops the command before any member, invitation or activity is read.
    assert.deepEqual(
      sandbox.emulator.requests.filter((r) => /members|invitations|analytics/.test(r.path)).map((r) => r.path),
      [],
      'a bad roster stops before anything but who the keys are is read',
    );
    const json = await cli(['findings', '--roster', 'noemail.csv', '--json']);
    const doc = JSON.parse(json.stdout) as { exitCode: number; file: string; errors: { message: string }[] };
    assert.deepEqual([doc.exitCode, doc.file], [1, 'noemail.csv']);
    assert.match(doc.errors[0].message, /no email column \(line 1\)/);

    // A duplicate row is skipped and named; the findings still print, and the run fails so a nightly job sees it.
    write(
      'dup.csv',
      `${ROSTER}\nalan.lovelace@example.com,Alan again,active,,,9\ngrace.lovelace@example.com,Grace again,active,,,10\n`,
    );
    const dup = await cli(['findings', '--roster', 'dup.csv', '--json']);
    assert.equal(dup.code, 1, dup.stderr);
    const d = JSON.parse(dup.stdout) as Doc;
    assert.equal(d.exitCode, 1);
    assert.deepEqual(
      d.roster?.problems.map((p) => [p.line, p.message]),
      [
        [4, 'row skipped: "alan.lovelace@example.com" is also on line 9, which says active and is kept'],
        [10, 'row skipped: "grace.lovelace@example.com" is also on line 3'],
      ],
    );
    assert.match(dup.stderr, /dup\.csv: 2 rows skipped \(lines 4, 10\): fix the roster/);
    assert.ok(
      d.findings.some((f) => f.kind === 'unknown'),
      'the findings are there',
    );
    const text = await cli(['findings', '--roster', 'dup.csv']);
    assert.match(text.stdout, /dup\.csv:10: row skipped: "grace\.lovelace@example\.com" is also on line 3\n/);
    // The direct reader says the same of binary data without the spreadsheet's signature.
    await assert.rejects(parseRoster('email\nada@example.com\u0000\n'), /line 2 holds binary data\. Export it as CSV/);
    noKeyPrinted();
  });

  it('usage: --sarif without --roster, --sarif into a missing folder (before any request), bad --domains and days: 64', async () => {
    write('roster.csv', ROSTER);
    const cases: [string[], RegExp][] = [
      [
        ['--sarif', 'f.sarif'],
        /findings --sarif places each finding at its roster row: give the roster with --roster FILE\./,
      ],
      [
        ['--roster', 'roster.csv', '--sarif', 'no-such/f.sarif'],
        /--sarif no-such\/f\.sarif: the folder .*no-such does not exist\. Create it first\./,
      ],
      [['--domains', 'example.com,exa mple.org'], /--domains: .*"exa mple\.org" is not a domain/],
      [['--domains', ''], /--domains: .*"" is empty/],
      [['--inactive-days', '0'], /--inactive-days takes a number of days, a whole number from 1 to 3650 \(got "0"\)\./],
      [['--inactive-days', 'ninety'], /--inactive-days takes .* \(got "ninety"\)\./],
      [['--invitation-days', '3651'], /--invitation-days takes .* from 1 to 3650 \(got "3651"\)\./],
      [['workspace-access.yaml'], /findings .* takes no file \("workspace-access\.yaml"\)/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['findings', ...args]);
      assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal(sandbox.emulator.requests.length, 0, 'nothing was read');
    assert.deepEqual([DEFAULT_INACTIVE_DAYS, DEFAULT_INVITATION_DAYS, MAX_DAYS], [90, 30, 3_650]);
    const defaults = parseCli(['findings']);
    assert.deepEqual([defaults.inactiveDays, defaults.invitationDays], [90, 30]);
    assert.equal(parseCli(['findings', '--inactive-days', '3650']).inactiveDays, 3_650);
    assert.throws(() => parseCli(['plan', 'f.yaml', '--roster', 'r.csv']), /--roster is for findings, not plan/);
    noKeyPrinted();
  });
});
