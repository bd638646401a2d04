// The access file and the roster: the `roster:` key (zod and the shipped JSON Schema), every line
// that grants a person something checked against the roster (left: a warning; not on it: an
// information, at the line), and the file's end dates as the findings' "access ending soon".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parseAccessFile } from '../../src/core/access/parse';
import { parseYaml } from '../../src/core/access/yamlTree';
import { renderLive } from '../../src/core/access/render';
import { endDatesOf, peopleIn, rosterProblems, rosterRow } from '../../src/core/roster/accessFile';
import { EXPIRING_DAYS, findingsOf } from '../../src/core/roster/findings';
import { parseRoster } from '../../src/core/roster/parse';
import { ACCESS_FILE_FACTS } from '../../src/providers';
import { schemaText } from '../tools/schema';

const TODAY = '2026-03-10';

const FILE = `version: 1
roster: ../people/roster.csv
connections:
  - platform: elevenlabs
    workspace: Voices
    members:
      ann@example.com: workspace_member
      bob@example.com: { seat: workspace_member, until: 2026-03-20 }
      stranger@example.com: workspace_member
    groups:
      Support:
        - cy@example.com
        - bob@example.com
    resources:
      - type: voice
        id: v1
        name: Narrator
        grants:
          group:Support: editor
          dee@example.com: { role: viewer, until: 2026-03-24 }
  - platform: gitbook
    organization: org_1
    teams:
      Engineering:
        old.ann@example.com: owner
  - platform: confident
    organization: Evals
    projects:
      - id: p1
        name: Bench
        members:
          eve@example.com: { role: Member, until: 2026-03-12 }
`;

const ROSTER = `Email,Name,Status,End Date,Aliases
ann@example.com,Ann Lee,Terminated,2026-02-28,old.ann@example.com
bob@example.com,Bob Roe,active,,
cy@example.com,Cy Poe,active,2026-03-10,
dee@example.com,Dee Day,active,2026-12-31,
eve@example.com,Eve Oak,active,,
`;

const parsed = () => {
  const p = parseAccessFile(FILE, ACCESS_FILE_FACTS);
  assert.deepEqual(
    p.problems.map((x) => x.message),
    [],
  );
  return p;
};
/** The 1-based line a span starts on. */
const lineAt = (at: readonly [number, number]) => FILE.slice(0, at[0]).split('\n').length;
const lineOf = (needle: string) => FILE.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('access file: the roster key', () => {
  it('is read with where it is written; the JSON Schema takes it too', () => {
    const p = parsed();
    assert.equal(p.roster?.path, '../people/roster.csv');
    assert.equal(lineAt(p.roster.at), 2);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(schemaText()) as object);
    assert.ok(validate(parseYaml(FILE).value), JSON.stringify(validate.errors));
    assert.equal(validate(parseYaml(FILE.replace('roster: ../people/roster.csv', 'roster: 5')).value), false);
    assert.equal(parseAccessFile(FILE.replace(/^roster:.*\n/m, ''), ACCESS_FILE_FACTS).roster, undefined);
  });

  it("is kept where live is written in the file's shape (export --force, the Plan diff's left side)", () => {
    const written = renderLive(parsed(), { targets: [], live: new Map() });
    assert.match(written, /^roster: \.\.\/people\/roster\.csv$/m);
    assert.equal(parseAccessFile(written, ACCESS_FILE_FACTS).roster?.path, '../people/roster.csv');
  });

  it('an empty or non-text roster is an error at its line that says what to write', () => {
    for (const bad of ['roster: ""', 'roster: 5', 'roster:']) {
      const p = parseAccessFile(FILE.replace('roster: ../people/roster.csv', bad), ACCESS_FILE_FACTS);
      assert.deepEqual(
        p.problems.map((x) => `${lineAt(x.at)}: ${x.message}`),
        ['2: Name the roster file: a path to a CSV, relative to this file.'],
        bad,
      );
    }
  });
});

describe('access file: people against the roster', () => {
  it('finds every line that grants a person something: members, group members, grants to an email, project members', () => {
    const people = parsed().connections.flatMap(peopleIn);
    assert.deepEqual(
      people.map((p) => `${lineAt(p.at)} ${p.email}`),
      [
        `${lineOf('ann@example.com: workspace_member')} ann@example.com`,
        `${lineOf('bob@example.com: { seat')} bob@example.com`,
        `${lineOf('stranger@')} stranger@example.com`,
        `${lineOf('- cy@')} cy@example.com`,
        `${lineOf('- bob@')} bob@example.com`,
        `${lineOf('dee@example.com:')} dee@example.com`,
        `${lineOf('old.ann@')} old.ann@example.com`,
        `${lineOf('eve@example.com:')} eve@example.com`,
      ],
    );
  });

  it('who has left is a warning and who is not on the roster an information, each at its line; the active say nothing', async () => {
    const { roster } = await parseRoster(ROSTER);
    const problems = rosterProblems(parsed().connections, roster, TODAY);
    assert.deepEqual(
      problems.map((p) => `${lineAt(p.at)} ${p.severity} ${p.code}: ${p.message}`),
      [
        `${lineOf('ann@example.com: workspace_member')} warning left: ann@example.com has left (roster line 2: Terminated, end date 2026-02-28): remove this line, or offboard them.`,
        `${lineOf('stranger@')} info not-on-roster: stranger@example.com is not on the roster (no row has this email or alias).`,
        // An end date of today is the last day: they have left by it (hasLeft).
        `${lineOf('- cy@')} warning left: cy@example.com has left (roster line 4: active, end date 2026-03-10): remove this line, or offboard them.`,
        // Matched through an alias of Ann's row.
        `${lineOf('old.ann@')} warning left: old.ann@example.com has left (roster line 2: Terminated, end date 2026-02-28): remove this line, or offboard them.`,
      ],
    );
    assert.equal(rosterRow(roster.find('bob@example.com')!), 'roster line 3: active');
  });
});

describe('access file: end dates for the findings', () => {
  it("members', grants' and project members' until: dates, each with the connection its entry matched; an unmatched entry is left out", () => {
    const p = parsed();
    const dates = endDatesOf(p.connections, ['conn-el', undefined, 'conn-ca']);
    assert.deepEqual(
      dates.map((d) => `${d.connectionId} ${d.who} ${d.until} ${d.what} ${lineAt(d.at)}`),
      [
        `conn-el bob@example.com 2026-03-20 member ${lineOf('bob@example.com: { seat')}`,
        `conn-el dee@example.com 2026-03-24 viewer of voice Narrator ${lineOf('dee@example.com:')}`,
        `conn-ca eve@example.com 2026-03-12 Member in project Bench ${lineOf('eve@example.com:')}`,
      ],
    );
    // Within EXPIRING_DAYS (14) they are "access ending soon"; dee's ends in exactly 14 days, and a day later it is not yet listed.
    assert.equal(EXPIRING_DAYS, 14);
    const soon = (today: string) =>
      findingsOf({ connections: [], today, inactiveDays: 90, invitationDays: 30, endDates: dates }).findings.map(
        (f) => `${f.kind} ${f.connectionId} ${f.email}: ${f.evidence}`,
      );
    assert.deepEqual(soon(TODAY), [
      'expiring conn-el bob@example.com: member until 2026-03-20 (in 10 days)',
      'expiring conn-el dee@example.com: viewer of voice Narrator until 2026-03-24 (in 14 days)',
      'expiring conn-ca eve@example.com: Member in project Bench until 2026-03-12 (in 2 days)',
    ]);
    assert.ok(!soon('2026-03-09').some((f) => f.includes('dee@')), '15 days ahead is not yet ending soon');
  });
});
