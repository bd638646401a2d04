// Findings (who should not be here), from what connections said, a roster read from CSV, the
// organization's domains and the settings: each kind, its evidence, its actions, and the defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Invitation, Member } from '../../src/core/model';
import {
  DEFAULT_INACTIVE_DAYS,
  DEFAULT_INVITATION_DAYS,
  EXPIRING_DAYS,
  findingsOf,
  type ConnectionFacts,
  type FindingsInput,
} from '../../src/core/roster/findings';
import { parseRoster } from '../../src/core/roster/parse';
import { parseDomains } from '../../src/core/roster/roster';

const TODAY = '2026-12-02';
const member = (id: string, email: string, extra: Partial<Member> = {}): Member => ({ id, email, name: id, ...extra });

const ROSTER = [
  'Email,Name,Status,End Date,Aliases',
  'ada@example.com,Ada,active,,ada.l@example.com',
  'bob@example.com,Bob,terminated,2026-10-31,',
  'cy@example.com,Cy,active,2026-12-02,',
  'dee@example.com,Dee,active,2027-01-31,',
].join('\n');

async function input(connections: ConnectionFacts[], extra: Partial<FindingsInput> = {}): Promise<FindingsInput> {
  const { roster } = await parseRoster(ROSTER);
  return {
    connections,
    roster,
    domains: parseDomains(['example.com']),
    today: TODAY,
    inactiveDays: DEFAULT_INACTIVE_DAYS,
    invitationDays: DEFAULT_INVITATION_DAYS,
    ...extra,
  };
}

const kinds = (r: ReturnType<typeof findingsOf>) => r.findings.map((f) => `${f.kind} ${f.email}`).sort();

describe('findings', () => {
  it('the defaults are 90 days of inactivity, 30 days for an invitation, 14 days before an end date', () => {
    assert.equal(DEFAULT_INACTIVE_DAYS, 90);
    assert.equal(DEFAULT_INVITATION_DAYS, 30);
    assert.equal(EXPIRING_DAYS, 14);
  });

  it('names who left (by status or an end date today or earlier), who is unknown, who is external; an alias matches', async () => {
    const r = findingsOf(
      await input([
        {
          connectionId: 'el',
          platformLabel: 'ElevenLabs',
          members: [
            member('1', 'ADA.L@example.com'),
            member('2', 'bob@example.com'),
            member('3', 'cy@example.com'),
            member('4', 'dee@example.com'),
            member('5', 'eve@example.com'),
            member('6', 'guest@partner.io'),
            member('7', 'sub@eu.example.com'),
          ],
          activity: { lastActive: new Map([...'1234567'].map((id) => [id, '2026-11-30T10:00:00Z'])) },
        },
      ]),
    );
    assert.deepEqual(kinds(r), [
      'external guest@partner.io',
      'left bob@example.com',
      'left cy@example.com',
      'unknown eve@example.com',
      'unknown guest@partner.io',
      'unknown sub@eu.example.com',
    ]);
    const bob = r.findings.find((f) => f.email === 'bob@example.com');
    assert.equal(bob?.evidence, 'roster line 3: terminated (end date 2026-10-31)');
    assert.equal(bob?.rosterLine, 3);
    assert.deepEqual(bob?.actions, ['offboard', 'show-person']);
    assert.deepEqual(r.notes, []);
  });

  it('a locked member who left, or a locked seat, is not acted on again: offboarding and Reclaim Seat lock where they cannot remove', async () => {
    const r = findingsOf(
      await input([
        {
          connectionId: 'el',
          platformLabel: 'ElevenLabs',
          members: [member('2', 'bob@example.com', { locked: true }), member('4', 'dee@example.com', { locked: true })],
          activity: { lastActive: new Map(), since: '2026-01-01T00:00:00Z' },
        },
      ]),
    );
    assert.deepEqual(kinds(r), []);
  });

  it('a member without an email (GitBook shows a name then) is matched to no roster or domain; a locked one is not listed as unknown or external again', async () => {
    const r = findingsOf(
      await input([
        {
          connectionId: 'gb',
          platformLabel: 'GitBook',
          members: [member('1', 'John Smith'), member('2', 'eve@partner.io', { locked: true })],
          activity: {
            lastActive: new Map([
              ['1', '2026-12-01T00:00:00Z'],
              ['2', '2026-12-01T00:00:00Z'],
            ]),
          },
        },
      ]),
    );
    assert.deepEqual(kinds(r), []);
  });

  it('invitations that cannot be read are a note of their own; the members are still found', async () => {
    const r = findingsOf(
      await input([
        {
          connectionId: 'ca',
          platformLabel: 'Confident AI',
          members: [member('1', 'bob@example.com')],
          invitationsError: 'Confident AI: 503',
        },
      ]),
    );
    assert.deepEqual(kinds(r), ['left bob@example.com']);
    assert.ok(r.notes.some((n) => n.kind === 'error' && n.message === 'Invitations: Confident AI: 503'));
  });

  it('lists owners and admins as information; they alone ask for no action', async () => {
    const r = findingsOf(
      await input([
        {
          connectionId: 'gb',
          platformLabel: 'GitBook',
          members: [member('1', 'ada@example.com', { owner: true }), member('2', 'dee@example.com', { role: 'admin' })],
          adminRole: (m) => (m.role === 'admin' ? 'Admin' : undefined),
          activity: {
            lastActive: new Map([
              ['1', '2026-12-01T00:00:00Z'],
              ['2', '2026-12-01T00:00:00Z'],
            ]),
          },
        },
      ]),
    );
    assert.deepEqual(
      r.findings.map((f) => [f.kind, f.severity, f.evidence]),
      [
        ['admin', 'info', 'owner'],
        ['admin', 'info', 'Admin'],
      ],
    );
  });

  it('an inactive seat: last active 90 days ago or more, never active since joining, nothing in the window read', async () => {
    const facts: ConnectionFacts = {
      connectionId: 'gb',
      platformLabel: 'GitBook',
      members: [
        member('a', 'ada@example.com'),
        member('b', 'dee@example.com'),
        member('c', 'cy.new@example.com'),
        member('d', 'old@example.com'),
      ],
      activity: {
        lastActive: new Map([
          ['a', '2026-09-03T12:00:00Z'], // 90 days before today: inactive
          ['b', '2026-09-04T12:00:00Z'], // 89 days: active
        ]),
        joined: new Map([
          ['c', '2026-11-01T00:00:00Z'], // joined a month ago: not yet
          ['d', '2025-01-01T00:00:00Z'],
        ]),
      },
    };
    const r = findingsOf(await input([facts], { roster: undefined, domains: undefined }));
    assert.deepEqual(
      r.findings.map((f) => [f.memberId, f.evidence]),
      [
        ['a', 'last active 2026-09-03, 90 days ago'],
        ['d', 'never active since joining on 2025-01-01'],
      ],
    );
    assert.deepEqual(r.findings[0].actions, ['reclaim-seat', 'show-person']);
    // A platform that read only a window says so, and a window shorter than the setting marks nobody.
    const windowed = (since: string) =>
      findingsOf({
        connections: [{ ...facts, activity: { lastActive: new Map(), since } }],
        today: TODAY,
        inactiveDays: 90,
        invitationDays: 30,
      }).findings.map((f) => f.evidence);
    assert.deepEqual(windowed('2026-09-02T00:00:00Z'), Array(4).fill('no activity since 2026-09-02'));
    assert.deepEqual(windowed('2026-10-01T00:00:00Z'), []);
  });

  it('a platform that gives no activity says so and marks nobody inactive; one that fails says why; an unreadable connection does not stop the others', async () => {
    const r = findingsOf(
      await input([
        { connectionId: 'ca', platformLabel: 'Confident AI', members: [member('1', 'ada@example.com')] },
        {
          connectionId: 'el',
          platformLabel: 'ElevenLabs',
          members: [member('2', 'ada@example.com')],
          activity: { error: 'ElevenLabs: 500' },
        },
        { connectionId: 'gb', platformLabel: 'GitBook', error: 'GitBook: the key was refused (401).' },
        { connectionId: 'gb2', platformLabel: 'GitBook', members: [member('3', 'bob@example.com')] },
      ]),
    );
    assert.deepEqual(r.notes, [
      {
        connectionId: 'ca',
        kind: 'no-activity',
        message: 'Confident AI gives no activity: nobody here is marked inactive.',
      },
      { connectionId: 'el', kind: 'error', message: 'Activity: ElevenLabs: 500' },
      { connectionId: 'gb', kind: 'error', message: 'GitBook: the key was refused (401).' },
      {
        connectionId: 'gb2',
        kind: 'no-activity',
        message: 'GitBook gives no activity: nobody here is marked inactive.',
      },
    ]);
    assert.deepEqual(kinds(r), ['left bob@example.com']);
  });

  it('a pending invitation older than the setting is stale; one for someone who left is named; accepted ones are not', async () => {
    const inv = (id: string, email: string, createdAt: string, status: Invitation['status'] = 'pending') =>
      ({ id, email, status, createdAt }) as Invitation;
    const r = findingsOf(
      await input([
        {
          connectionId: 'gb',
          platformLabel: 'GitBook',
          members: [],
          invitations: [
            inv('i1', 'dee@example.com', '2026-11-01T00:00:00Z'), // 31 days
            inv('i2', 'ada@example.com', '2026-11-02T00:00:00Z'), // 30 days: not yet
            inv('i3', 'bob@example.com', '2026-11-30T00:00:00Z'),
            inv('i4', 'eve@example.com', '2020-01-01T00:00:00Z', 'accepted'),
          ],
          activity: { lastActive: new Map() },
        },
      ]),
    );
    assert.deepEqual(
      r.findings.map((f) => [f.kind, f.email, f.evidence, f.invitation?.id, f.actions.join()]),
      [
        ['stale-invitation', 'dee@example.com', 'pending since 2026-11-01, 31 days', 'i1', 'revoke-invitation'],
        [
          'left',
          'bob@example.com',
          'invited; roster line 3: terminated (end date 2026-10-31)',
          'i3',
          'revoke-invitation',
        ],
      ],
    );
  });

  it("access whose until: ends within 14 days (today included) is named; a past date is the access file's own diagnostic", async () => {
    const at = [10, 20] as const;
    const r = findingsOf(
      await input([], {
        endDates: [
          { connectionId: 'el', who: 'ada@example.com', until: '2026-12-16', what: 'member', at },
          { connectionId: 'el', who: 'group:Support', until: '2026-12-02', what: 'viewer of voice Narrator', at },
          { connectionId: 'el', who: 'dee@example.com', until: '2026-12-17', what: 'member', at },
          { connectionId: 'el', who: 'bob@example.com', until: '2026-12-01', what: 'member', at },
        ],
      }),
    );
    assert.deepEqual(
      r.findings.map((f) => f.evidence),
      ['member until 2026-12-16 (in 14 days)', 'viewer of voice Narrator until 2026-12-02 (today)'],
    );
  });
});
