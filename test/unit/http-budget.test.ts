// One budget per call: every try, every wait the platform asks for and every body read share one
// deadline (60 s by default); a wait past it is not taken, and the call says what it was asked to wait for.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as z from 'zod';
import { DEFAULT_DEADLINE_MS, tryTimeout } from '../../src/core/http/retry';
import { failure } from './helpers';
import { rawClient, rawServer, type RawClient, type RawServer } from './rawServer';

const Any = z.unknown();
/** 9999-01-01T00:00:00Z in epoch seconds. */
const YEAR_9999 = Date.UTC(9999, 0, 1) / 1000;

describe('one budget per call', () => {
  let server: RawServer | undefined;
  let c: RawClient | undefined;
  afterEach(async () => {
    await c?.close();
    await server?.close();
    c = server = undefined;
  });

  const refuse = (headers: Record<string, string>) =>
    rawServer((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', ...headers });
      res.end('{"error":{"code":429,"message":"Rate limit exceeded"}}');
    });

  it('is 60 s by default, and a try gets half of it', () => {
    assert.equal(DEFAULT_DEADLINE_MS, 60_000);
    assert.equal(tryTimeout(DEFAULT_DEADLINE_MS, DEFAULT_DEADLINE_MS), 30_000);
    assert.equal(tryTimeout(DEFAULT_DEADLINE_MS, 12_000), 12_000, 'never past what is left');
  });

  it('a 429 asking for 10^9 s fails at once, naming the time, instead of three 30 s waits', async () => {
    server = await refuse({ 'retry-after': '1000000000' });
    c = rawClient(server);
    const err = await failure(c.client.request({ method: 'GET', path: '/user', schema: Any }));
    assert.equal(server.hits(), 1, 'one request');
    assert.deepEqual(c.waits, [], 'no wait taken');
    assert.equal(err.status, 429);
    assert.match(
      err.message,
      /^GitBook: Rate limit exceeded \(429 too many requests\)\. GitBook asked to wait until 20\d\d-\d\d-\d\dT[\d:]+Z; not waiting past the 60 s budget of one call\.$/,
    );
  });

  it('a 429 whose X-RateLimit-Reset is in the year 9999 names that time and is reported once', async () => {
    server = await refuse({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(YEAR_9999) });
    c = rawClient(server);
    const err = await failure(c.client.request({ method: 'GET', path: '/user', schema: Any }));
    assert.match(err.message, /GitBook asked to wait until 9999-01-01T00:00:00Z; not waiting past the 60 s budget/);
    assert.equal(server.hits(), 1);
    assert.deepEqual(c.waits, []);
    assert.equal(c.log.lines.filter((l) => l.includes('9999')).length, 1, c.log.lines.join('\n'));
  });

  it('a Retry-After past what is left of 60 s is not waited for; one within it is', async () => {
    // Each refusal asks for 25 s: two waits fit (25 + 25 = 50), a third would end at 75 s.
    server = await rawServer((_req, res) => {
      res.writeHead(503, { 'retry-after': '25' });
      res.end();
    });
    c = rawClient(server, {}, { now: 0 });
    const err = await failure(c.client.request({ method: 'GET', path: '/user', schema: Any }));
    assert.equal(server.hits(), 3, 'three tries, not four');
    assert.deepEqual(c.waits, [25_000, 25_000]);
    assert.match(err.message, /^GitBook: service unavailable \(503\)\. GitBook asked to wait until .*60 s budget/);
  });

  it('takes a first wait of exactly 60 s (capped at 30 s), and refuses 61 s at once', async () => {
    for (const [seconds, hits] of [
      [60, 2],
      [61, 1],
    ] as const) {
      const s = await rawServer((_req, res, hit) => {
        res.writeHead(hit === 1 ? 429 : 200, { 'retry-after': String(seconds), 'content-type': 'application/json' });
        res.end('{}');
      });
      const client = rawClient(s, {}, { now: 0 });
      const got = await client.client.request({ method: 'GET', path: '/user', schema: Any }).then(
        () => 'answered',
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      assert.equal(s.hits(), hits, `Retry-After ${seconds}: ${got}`);
      if (hits === 1) assert.match(got, /not waiting past the 60 s budget/);
      else assert.deepEqual(client.waits, [30_000]);
      await client.close();
      await s.close();
    }
  });

  it('a body that trickles is ended by the budget of the call, not the timeout of each of four tries', async () => {
    const timers = new Set<NodeJS.Timeout>();
    server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => res.write(' '), 20);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
    c = rawClient(server, { timeoutMs: 1_000 });
    const err = await failure(c.client.request({ method: 'GET', path: '/user', schema: Any }));
    timers.forEach(clearInterval);
    assert.equal(err.kind, 'timeout');
    assert.ok(server.hits() <= 2, `${server.hits()} tries: a budget of one second holds two at most`);
    assert.match(
      err.message,
      /GitBook did not answer within (1 s|\d+ ms) \(GET \/user\)\. Gave up after [12] tr(y|ies): the 1 s budget/,
    );
  });

  it('a far-future reset on an answer that was taken is reported once and never waited for', async () => {
    server = await rawServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(YEAR_9999),
      });
      res.end('{}');
    });
    c = rawClient(server);
    for (let i = 0; i < 3; i++) await c.client.request({ method: 'GET', path: '/user', schema: Any });
    assert.equal(server.hits(), 3, 'every request went out');
    assert.deepEqual(c.waits, [], 'none waited');
    const reports = c.log.lines.filter((l) => l.includes('until 9999-01-01T00:00:00Z'));
    assert.equal(reports.length, 1, c.log.lines.join('\n'));
    assert.match(
      reports[0],
      /^warn GET \/user: GitBook says its rate-limit window is used up until 9999-01-01T00:00:00Z; not waiting past the 60 s budget of a call$/,
    );
  });

  it('a reset within the budget is waited for, once, as before', async () => {
    const clock = { now: Date.now() };
    server = await rawServer((_req, res, hit) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(hit === 1 ? { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(clock.now / 1000 + 20) } : {}),
      });
      res.end('{}');
    });
    c = rawClient(server, {}, clock);
    for (let i = 0; i < 3; i++) await c.client.request({ method: 'GET', path: '/user', schema: Any });
    assert.deepEqual(c.waits, [20_000]);
  });
});
