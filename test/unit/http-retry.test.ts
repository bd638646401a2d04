// Only what can get better is tried again; answers are bounded in size, depth and detail. Each case
// counts the requests a loopback server received.
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { afterEach, describe, it } from 'node:test';
import * as z from 'zod';
import { MAX_DETAILS, MAX_SERVER_TEXT } from '../../src/core/http/errors';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/core/http/response';
import { DEFAULT_RETRY, mayRetry } from '../../src/core/http/retry';
import { failure } from './helpers';
import { rawClient, rawServer, type RawClient, type RawServer } from './rawServer';

const Any = z.unknown();
const json = { 'content-type': 'application/json' };

describe('retry only what can get better', () => {
  let server: RawServer | undefined;
  let c: RawClient | undefined;
  afterEach(async () => {
    await c?.close();
    await server?.close();
    c = server = undefined;
  });

  /** A GET to a server that always answers the same; returns the error and how many requests came. */
  async function getAlways(
    answer: (res: import('node:http').ServerResponse) => void,
  ): Promise<{ err: Awaited<ReturnType<typeof failure>>; hits: number }> {
    server = await rawServer((_req, res) => answer(res));
    c = rawClient(server);
    const err = await failure(c.client.request({ method: 'GET', path: '/user', schema: Any }));
    return { err, hits: server.hits() };
  }

  it('never repeats a gzip body nobody asked for, and never unpacks it', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const { err, hits } = await getAlways((res) => {
      res.writeHead(200, { ...json, 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    assert.equal(hits, 1);
    assert.equal(err.kind, 'unexpected-response');
    assert.match(err.message, /the body is gzip-encoded, which was not asked for; it was not unpacked/);
  });

  it('never repeats an answer whose headers overflow (10,000 headers)', async () => {
    const { err, hits } = await getAlways((res) => {
      for (let i = 0; i < 10_000; i++) res.setHeader(`x-h${i}`, 'v');
      res.writeHead(200, json);
      res.end('{}');
    });
    assert.equal(hits, 1);
    assert.equal(err.code, 'UND_ERR_HEADERS_OVERFLOW');
  });

  it('never repeats a body over the cap, declared or streamed', async () => {
    for (const declare of [true, false]) {
      server = await rawServer((_req, res) => {
        res.writeHead(200, { ...json, ...(declare ? { 'content-length': '2048' } : {}) });
        res.end(`"${'a'.repeat(2046)}"`);
      });
      c = rawClient(server, { maxBodyBytes: 1024 });
      const err = await failure(c.client.request({ method: 'GET', path: '/user', schema: Any }));
      assert.match(err.message, /larger than 1 KB/);
      assert.equal(server.hits(), 1, `declared: ${declare}`);
      await c.close();
      await server.close();
    }
    c = server = undefined;
  });

  it('never repeats a 4xx other than 408 and 429; repeats those and 5xx up to three times', async () => {
    for (const status of [400, 401, 403, 404, 405, 409, 410, 413, 422, 408, 429, 500, 503]) {
      server = await rawServer((_req, res) => {
        res.writeHead(status, { ...json, 'retry-after': '0' });
        res.end('{"error":{"message":"no"}}');
      });
      c = rawClient(server);
      const err = await failure(c.client.request({ method: 'GET', path: '/user', schema: Any }));
      assert.equal(err.status, status);
      const again = status === 408 || status === 429 || status >= 500;
      assert.equal(server.hits(), again ? 1 + DEFAULT_RETRY.maxRetries : 1, `status ${status}`);
      await c.close();
      await server.close();
    }
    c = server = undefined;
  });

  it('still repeats a GET whose JSON was cut short (the next answer may be whole)', async () => {
    server = await rawServer((_req, res, hit) => {
      res.writeHead(200, json);
      res.end(hit === 1 ? '{"id":' : '{"id":1}');
    });
    c = rawClient(server);
    assert.deepEqual(await c.client.request({ method: 'GET', path: '/user', schema: Any }), { id: 1 });
    assert.equal(server.hits(), 2);
  });

  it('classifies each failure in one place', () => {
    const permanent = ['ENOTFOUND', 'UND_ERR_HEADERS_OVERFLOW', 'UND_ERR_RES_EXCEEDED_MAX_SIZE', 'CERT_HAS_EXPIRED'];
    for (const code of permanent)
      assert.equal(mayRetry({ kind: 'transport', timedOut: false, code }, true), false, code);
    assert.equal(mayRetry({ kind: 'transport', timedOut: false, code: 'ECONNRESET' }, true), true);
    assert.equal(
      mayRetry({ kind: 'transport', timedOut: false, code: 'ECONNRESET' }, false),
      false,
      'a write may have acted',
    );
    assert.equal(mayRetry({ kind: 'transport', timedOut: false, code: 'ECONNREFUSED' }, false), true, 'never sent');
    assert.equal(mayRetry({ kind: 'transport', timedOut: true }, true), true);
    for (const problem of ['encoded', 'too-large', 'too-deep', 'status', 'shape'] as const)
      assert.equal(mayRetry({ kind: 'answer', problem }, true), false, problem);
    assert.equal(mayRetry({ kind: 'answer', problem: 'cut-short' }, true), true);
    assert.equal(mayRetry({ kind: 'status', status: 429 }, false), true, 'a 429 was not acted on');
    assert.equal(mayRetry({ kind: 'status', status: 503 }, false), false);
    assert.equal(mayRetry({ kind: 'status', status: 404 }, true), false);
  });
});

describe('answers bounded in depth and detail', () => {
  let server: RawServer | undefined;
  let c: RawClient | undefined;
  afterEach(async () => {
    await c?.close();
    await server?.close();
    c = server = undefined;
  });

  it('refuses an answer typed as unknown that nests a million levels deep, without parsing it', async () => {
    const levels = 1_000_000;
    const deep = '['.repeat(levels) + ']'.repeat(levels);
    server = await rawServer((_req, res) => {
      res.writeHead(200, json);
      res.end(deep);
    });
    c = rawClient(server);
    const err = await failure(c.client.request({ method: 'GET', path: '/share', schema: Any }));
    assert.equal(err.kind, 'unexpected-response');
    assert.match(err.message, /the answer nests deeper than 64 levels; it was not read/);
    assert.equal(server.hits(), 1, 'not tried again');
  });

  it('takes 64 levels, refuses 65, and counts no bracket inside a string', async () => {
    assert.equal(MAX_JSON_DEPTH, 64);
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    assert.equal(nestsDeeperThan(nest(64), MAX_JSON_DEPTH), false);
    assert.equal(nestsDeeperThan(nest(65), MAX_JSON_DEPTH), true);
    assert.equal(nestsDeeperThan(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`, MAX_JSON_DEPTH), false);
    for (const n of [64, 65]) {
      server = await rawServer((_req, res) => {
        res.writeHead(200, json);
        res.end(`{"a":${nest(n - 1)}}`);
      });
      c = rawClient(server);
      const got = await c.client.request({ method: 'GET', path: '/share', schema: Any }).then(
        () => 'taken',
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      assert.equal(got === 'taken', n === 64, `${n} levels: ${got}`);
      await c.close();
      await server.close();
    }
    c = server = undefined;
  });

  it('keeps 20 of 60,000 validation details, says how many more, and keeps the message short', async () => {
    assert.equal(MAX_DETAILS, 20);
    const body = JSON.stringify({
      detail: Array.from({ length: 60_000 }, (_, i) => ({
        loc: ['body', 'emails', i],
        msg: i < 3 ? 'x'.repeat(5_000) : 'value is not a valid email address',
      })),
    });
    server = await rawServer((_req, res) => {
      res.writeHead(422, json);
      res.end(body);
    });
    c = rawClient(server);
    const err = await failure(
      c.client.request({ method: 'POST', expect: [200], path: '/invite', body: {}, schema: Any }),
    );
    assert.equal(err.details.length, MAX_DETAILS);
    assert.deepEqual(err.details[19].loc, ['body', 'emails', 19]);
    assert.ok(
      err.details.every((d) => d.msg.length < MAX_SERVER_TEXT + 40),
      'each detail text is clipped',
    );
    assert.match(err.message, /; and 59980 more \(422 the request was not valid\)\.$/);
    assert.ok(err.message.length < MAX_SERVER_TEXT + 60, `${err.message.length} characters`);
  });
});
