// Property-based tests (fast-check): random inputs never crash these parsers, and what they promise
// holds for every input, not only the examples we thought of.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import * as z from 'zod';
import { ApiError } from '../../src/core/http/errors';
import { redactText } from '../../src/core/http/redact';
import { BaseUrlError, checkBaseUrl, isLoopbackHost } from '../../src/core/http/url';
import { parseInviteCsv } from '../../src/core/inviteRows';
import { JobJournal } from '../../src/core/jobs/journal';
import { Emulator } from '../emulator/server';
import { clientFor } from './helpers';

const RUNS = { numRuns: 200 };

describe('properties', () => {
  it('CSV reader: any list of rows written as CSV, with any line ending, reads back, each row numbered by the line it starts on', async () => {
    // Cells with line breaks of every kind (a writer quotes them); rows ended by LF, CRLF or CR.
    const cell = fc
      .array(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('\r', '\n', '\r\n')), { maxLength: 4 })
      .map((parts) => parts.join(''));
    const email = fc
      .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,10}$/), fc.stringMatching(/^[a-z]{1,8}$/))
      .map(([a, b]) => `${a}@${b}.example`);
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(email, cell, cell), { minLength: 1, maxLength: 30 }),
        eol,
        async (rows, record_delimiter) => {
          const write = (r: string[][]) => stringify(r, { record_delimiter, quoted_match: /[\r\n]/ });
          const text = write([['email', 'role', 'groups'], ...rows]);
          const parsed = await parseInviteCsv(text);
          assert.deepEqual(
            parsed.map((r) => r.email),
            rows.map((r) => r[0]),
          );
          // Where each record starts: one line for the header, then the line breaks of the records before it.
          let line = 2;
          parsed.forEach((p, i) => {
            assert.equal(p.line, line);
            line += write([rows[i]]).match(/\r\n|\r|\n/g)?.length ?? 0;
          });
        },
      ),
      RUNS,
    );
  });

  it('CSV reader: arbitrary text either reads or fails with a clear, located error, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        try {
          const rows = await parseInviteCsv(text);
          assert.ok(rows.every((r) => Number.isInteger(r.line) && r.line >= 1));
        } catch (err) {
          assert.ok(err instanceof Error && /^The file is not valid CSV/.test(err.message), String(err));
        }
      }),
      RUNS,
    );
  });

  describe('journal loader', () => {
    let dir: string;
    let valid: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-prop-'));
      const { journal } = JobJournal.create(dir, {
        kind: 'share',
        title: 'P',
        connectionId: 'c',
        params: {},
        items: ['a', 'b', 'c', 'd'].map((k) => ({ key: k, label: k, payload: { k } })),
      });
      journal.sending(['a', 'b']);
      journal.settled('a', { status: 'done' });
      journal.settled('b', { status: 'failed', reason: 'no' });
      journal.sending(['c']);
      journal.close();
      valid = fs.readFileSync(journal.file, 'utf8');
      fs.rmSync(journal.file);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a journal cut anywhere after its header loads, and what it says is a prefix of the whole', () => {
      const header = valid.indexOf('\n') + 1;
      const whole = path.join(dir, 'whole.job.jsonl');
      fs.writeFileSync(whole, valid);
      const full = JobJournal.load(whole).prior;
      fc.assert(
        fc.property(fc.integer({ min: header, max: valid.length }), (cut) => {
          const file = path.join(dir, 'cut.job.jsonl');
          fs.writeFileSync(file, valid.slice(0, cut));
          const { prior } = JobJournal.load(file);
          for (const [k, state] of prior) {
            // A key it knows is in the whole journal, and a finished one finished the same way.
            assert.ok(full.has(k));
            if (state !== 'sending') assert.deepEqual(state, full.get(k));
          }
        }),
        RUNS,
      );
    });

    it('a journal with random damage loads or says which line is damaged; it never throws anything else', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: valid.length - 1 }),
          fc.oneof(fc.string({ minLength: 1, maxLength: 5 }), fc.constantFrom('null', '1', '[]', '"x"', '{}')),
          (at, junk) => {
            const file = path.join(dir, 'bad.job.jsonl');
            fs.writeFileSync(file, valid.slice(0, at) + junk + valid.slice(at + junk.length));
            try {
              JobJournal.load(file);
            } catch (err) {
              assert.ok(
                err instanceof Error &&
                  /^(line \d+ is not valid JSON|line \d+ is not a journal step|not a job journal this version can read: .+)$/.test(
                    err.message,
                  ),
                String(err),
              );
            }
          },
        ),
        RUNS,
      );
    });
  });

  it('base URLs: plain http passes only for literal loopback; every refusal is a BaseUrlError saying what to fix', () => {
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.constantFrom('localhost', '127.0.0.1', '[::1]', 'api.localhost', 'localhost.evil.example'),
    );
    fc.assert(
      fc.property(fc.constantFrom('http', 'https', 'ftp', 'ws'), host, fc.webPath(), (scheme, h, p) => {
        const raw = `${scheme}://${h}${p}`;
        try {
          const out = checkBaseUrl(raw);
          const url = new URL(out);
          assert.ok(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)), raw);
          if (url.protocol === 'http:')
            assert.ok(/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname), `${raw} is literal loopback`);
        } catch (err) {
          assert.ok(err instanceof BaseUrlError && err.message.length > 10, `${raw}: ${String(err)}`);
        }
      }),
      RUNS,
    );
  });

  it('redaction: a key placed anywhere in any text never survives', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/), fc.string(), (before, key, rest) => {
        assert.ok(!redactText(`${before}${key}${rest}`, [key]).includes(key));
      }),
      RUNS,
    );
  });

  describe('response parsing against the emulator', () => {
    let emulator: Emulator;
    before(async () => (emulator = await Emulator.start()));
    after(() => emulator.close());

    it('any JSON (or non-JSON) answer either parses or ends in an ApiError with a clear message; nothing else escapes', async () => {
      const t = clientFor(emulator, 'elevenlabs', { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
      const Schema = z.object({ user_id: z.string(), seat_type: z.string() });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.jsonValue(), fc.string()),
          fc.constantFrom(200, 201, 302, 400, 404, 422, 500),
          async (body, status) => {
            emulator.queueAnswers({ status, body });
            try {
              const parsed = await t.client.request({ method: 'GET', path: '/v1/user', schema: Schema });
              assert.equal(status, 200);
              assert.equal(typeof parsed.user_id, 'string');
            } catch (err) {
              assert.ok(err instanceof ApiError, String(err));
              assert.ok(err.message.length > 0 && err.message.length < 600, err.message);
              assert.match(err.message, /ElevenLabs/);
            }
          },
        ),
        { numRuns: 150 },
      );
      await t.transport.close();
    });
  });
});
