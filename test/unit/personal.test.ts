// Personal data in the log: at info, warning and error no line keeps a person's email or name, in any
// form a platform or a request path writes it; debug keeps them (the per-person lines).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import type { Outcome } from '../../src/core/jobs/bulkTask';
import { reportSummaryLines } from '../../src/core/jobs/report';
import { logLine } from '../../src/core/logger';
import { maskEmails, maskPersonal, peopleIn } from '../../src/core/personal';

describe('personal data in log lines', () => {
  it('masks every email form that got through: no dot in the domain, URL-encoded @, an apostrophe in the local part', () => {
    const cases: [string, string][] = [
      ['GitBook: bob@localhost is not a member', 'GitBook: <email> is not a member'],
      ['DELETE /v1/members/bob%40x.io → 404 (3 ms)', 'DELETE /v1/members/<email> → 404 (3 ms)'],
      ["no seat for bob.o'brien@example.com.", 'no seat for <email>.'],
      ["O'Brien@example.com and d'angelo@x.io", '<email> and <email>'],
      [
        'GitBook: carol@example.com is already in the workspace (400 bad request).',
        'GitBook: <email> is already in the workspace (400 bad request).',
      ],
      ['"john doe"@example.com: quoted', '<email>: quoted'],
      ['to a+b-c@[10.0.0.1], and x@[IPv6:::1]', 'to <email>, and <email>'],
      ['?email=dave%2Bwork%40x.io&next=1', '?email=<email>&next=1'],
      ['%22jo%20e%22%40%5B10.0.0.1%5D', '<email>'],
      ['{"user_email":"eve@x.io"}', '{"user_email":"<email>"}'],
      ['<zoë@exämple.de>', '<<email>>'],
      // Nothing to mask: an @ without an address on both sides.
      ['@types/node and user@ and @@', '@types/node and user@ and @@'],
    ];
    for (const [line, masked] of cases) assert.equal(maskEmails(line), masked, line);
  });

  it('at info, warning and error the log line masks emails (the platform error text too); debug keeps them; keys are redacted at every level', () => {
    const secrets = ['plain-key-value-0123'];
    const message =
      'POST /v1/invite → 400 (5 ms): GitBook: carol@example.com is already in the workspace (400 …) plain-key-value-0123';
    for (const level of ['info', 'warn', 'error'] as const)
      assert.equal(
        logLine(level, 'http', message, secrets),
        '[http] POST /v1/invite → 400 (5 ms): GitBook: <email> is already in the workspace (400 …) [redacted]',
      );
    for (const level of ['debug', 'trace'] as const)
      assert.equal(
        logLine(level, 'http', message, secrets),
        '[http] POST /v1/invite → 400 (5 ms): GitBook: carol@example.com is already in the workspace (400 …) [redacted]',
      );
  });

  it("a job's failure reasons at info mask the names its items give (it kept the name: 'Seán O'Brien is not a member yet.')", () => {
    const person = { kind: 'user', id: 'u1', name: "Seán O'Brien", email: 'sean.obrien@example.com' };
    const outcomes: Outcome<{ label: string; payload: unknown }>[] = [
      {
        item: { label: "Seán O'Brien", payload: { change: { op: 'grant', principal: person } } },
        status: 'failed',
        reason: 'Seán O’Brien is not a member yet.',
      },
    ];
    assert.deepEqual(reportSummaryLines('Share', outcomes), [
      'Share: 0 done, 1 failed, 0 skipped, 0 unknown',
      'Share: 1 × failed: <name> is not a member yet.',
    ]);
    assert.deepEqual([...peopleIn(outcomes[0].item)].sort(), ["Seán O'Brien", 'sean.obrien@example.com']);
  });

  it('masks a name of three characters or more, in any case and inside words; leaves a shorter one (it would mask half the line)', () => {
    assert.equal(maskPersonal('Ann asked: is ANNA in?', ['Ann']), '<name> asked: is <name>A in?');
    assert.equal(maskPersonal('Li asked: is Lila in?', ['Li']), 'Li asked: is Lila in?');
  });

  // Generated people: local parts with dots, plus, hyphens, apostrophes and quoted strings; domains
  // with and without dots, localhost, IP literals; names with apostrophes, hyphens and Unicode.
  const atom = fc.stringMatching(/^[a-z0-9][a-z0-9+_'-]{0,8}$/);
  const local = fc.oneof(
    { weight: 4, arbitrary: fc.array(atom, { minLength: 1, maxLength: 3 }).map((a) => a.join('.')) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{1,5} [a-z]{1,5}$/).map((s) => `"${s}"`) },
  );
  const domain = fc.oneof(
    fc.domain(),
    fc.constant('localhost'),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/),
    fc.ipV4().map((ip) => `[${ip}]`),
    fc.constant('[IPv6:2001:db8::1]'),
  );
  const email = fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`);
  const letter = fc.constantFrom(
    ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèëñøåßçłŁžŽÉÖüİı李陈Ωπ'.split(''),
  );
  const word = fc
    .tuple(
      fc.array(letter, { minLength: 1, maxLength: 6 }),
      fc.constantFrom('', "'", '’', '-'),
      fc.array(letter, { minLength: 1, maxLength: 6 }),
    )
    .map(([a, mark, b]) => `${a.join('')}${mark}${b.join('')}`);
  const name = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
  /** The forms a line carries an email in: plain, in angle brackets or quotes, URL-encoded (a path, a query), JSON. */
  const forms: ((e: string, n: string) => string)[] = [
    (e) => e,
    (e, n) => `${n} <${e}>`,
    (e) => `'${e}'`,
    (e) => `DELETE /v1/workspace/members/${encodeURIComponent(e)}`,
    (e) => `GET /v1/users?email=${e.replace('@', '%40')}&page=2`,
    (e) => JSON.stringify({ detail: `${e} is already in the workspace` }),
    (e, n) => `GitBook: ${n} (${e}) is already in the workspace (400 bad request).`,
  ];

  it('property: a masked line never holds the email, in any form, nor the full name', () => {
    fc.assert(
      fc.property(
        email,
        name,
        fc.nat(forms.length - 1),
        fc.string({ maxLength: 10 }),
        fc.string({ maxLength: 10 }),
        (e, n, form, before, after) => {
          const line = `${before} ${forms[form](e, n)} ${after}`;
          const masked = maskPersonal(line, [n, e]);
          // A name under three characters is left alone by design (it would mask half the line).
          const name = n.normalize('NFC');
          for (const shown of [e, encodeURIComponent(e), e.replace('@', '%40'), ...(name.length >= 3 ? [name] : [])])
            assert.ok(!masked.includes(shown), `${JSON.stringify(line)} → ${JSON.stringify(masked)} holds ${shown}`);
          // Whoever the line is about, an email is masked without being told of it.
          const unknown = maskPersonal(line);
          for (const shown of [e, encodeURIComponent(e), e.replace('@', '%40')])
            assert.ok(!unknown.includes(shown), `${JSON.stringify(line)} → ${JSON.stringify(unknown)} holds ${shown}`);
        },
      ),
      { numRuns: 500 },
    );
  });
});
