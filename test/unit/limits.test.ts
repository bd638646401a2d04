// The production value of each cap and default of the HTTP client and of paging, asserted and then
// exercised with nothing set by the test: a test that passes its own cap would not see the default go.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import * as z from 'zod';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT, HttpClient } from '../../src/core/http/client';
import { MAX_SERVER_TEXT } from '../../src/core/http/errors';
import { DEFAULT_DEADLINE_MS, DEFAULT_RETRY } from '../../src/core/http/retry';
import type { Transport } from '../../src/core/http/transport';
import { MAX_PAGES, readAllPages, readNumberedPages } from '../../src/core/paging';
import { PLATFORMS } from '../../src/providers';
import { failure, MemoryLogger } from './helpers';
import { rawClient, rawServer, type RawClient, type RawServer } from './rawServer';

const MiB = 1024 * 1024;

/** Resolves once `ready()` holds, looking again after each turn of the event loop. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setImmediate(r));
}

describe('HTTP client defaults', () => {
  let server: RawServer | undefined;
  let c: RawClient | undefined;
  afterEach(async () => {
    await c?.close();
    await server?.close();
    c = server = undefined;
  });

  it('reads a body of 16 MiB and cuts one of 16 MiB + 1 byte off, streamed or declared', async () => {
    assert.equal(DEFAULT_MAX_BODY_BYTES, 16 * MiB);
    const whole = `"${'a'.repeat(DEFAULT_MAX_BODY_BYTES - 2)}"`;
    for (const [body, declare] of [
      [whole, false],
      [`${whole} `, false],
      [`${whole} `, true],
    ] as const) {
      server = await rawServer((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(declare ? { 'content-length': String(body.length) } : {}),
        });
        res.end(body);
      });
      c = rawClient(server);
      const got = await c.client.request({ method: 'GET', path: '/big', schema: z.string() }).then(
        (s) => s.length,
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      if (body === whole) assert.equal(got, DEFAULT_MAX_BODY_BYTES - 2);
      else
        assert.match(
          String(got),
          declare ? /larger than 16 MB \(it declared 16 MB\); it was not read/ : /larger than 16 MB; it was not read/,
        );
      await c.close();
      await server.close();
    }
    c = server = undefined;
  });

  it('clips the platform text of an error to 300 characters', async () => {
    assert.equal(MAX_SERVER_TEXT, 300);
    server = await rawServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'y'.repeat(1_000) } }));
    });
    c = rawClient(server);
    const err = await failure(c.client.request({ method: 'GET', path: '/x', schema: z.unknown() }));
    assert.equal(err.message, `GitBook: ${'y'.repeat(300)}… (700 more characters) (400 the request was refused).`);
  });

  it('retries three times, from 500 ms, never waiting over 30 s', async () => {
    assert.deepEqual(DEFAULT_RETRY, { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 });
    server = await rawServer((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    c = rawClient(server, { random: () => 1 }, { now: 0 });
    await failure(c.client.request({ method: 'GET', path: '/x', schema: z.unknown() }));
    assert.equal(server.hits(), 4);
    assert.deepEqual(c.waits, [500, 1_000, 2_000]);
  });

  it('is given 60 s per call by the extension setting and the command line by default', () => {
    assert.equal(DEFAULT_DEADLINE_MS, 60_000);
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    };
    const setting = manifest.contributes.configuration.properties['workspaceAccess.requestTimeoutSeconds'];
    assert.equal(setting.default, DEFAULT_DEADLINE_MS / 1000);
  });

  it('keeps 16 requests of a connection in flight at most, the rest waiting their turn', async () => {
    assert.equal(DEFAULT_MAX_IN_FLIGHT, 16);
    const held: (() => void)[] = [];
    let sent = 0;
    const body = () => Readable.from([Buffer.from('{}')]);
    const dispatcher = {
      request: () =>
        new Promise((resolve) => {
          sent++;
          held.push(() => resolve({ statusCode: 200, headers: {}, body: body() }));
        }),
    };
    const client = new HttpClient({
      platform: PLATFORMS.gitbook,
      baseUrl: 'https://api.gitbook.example',
      apiKey: () => 'gb_api_test_key_0123456789abcdef',
      transport: { dispatcher: () => Promise.resolve(dispatcher) } as unknown as Transport,
      log: new MemoryLogger(),
    });
    const calls = Array.from({ length: DEFAULT_MAX_IN_FLIGHT + 4 }, () =>
      client.request({ method: 'GET', path: '/x', schema: z.unknown() }),
    );
    await until(() => sent === DEFAULT_MAX_IN_FLIGHT);
    // Turns of the event loop in which a 17th request would have gone out, were there no limit.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(sent, DEFAULT_MAX_IN_FLIGHT);
    held.shift()?.();
    await until(() => sent === DEFAULT_MAX_IN_FLIGHT + 1);
    while (held.length || sent < calls.length) {
      held.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(calls);
    assert.equal(sent, DEFAULT_MAX_IN_FLIGHT + 4);
  });
});

describe('paging defaults', () => {
  it('reads 1,000 pages of an endless list at most, and says the list may be longer', async () => {
    assert.equal(MAX_PAGES, 1_000);
    let asked = 0;
    const list = await readAllPages('Members', (token) => {
      asked++;
      return Promise.resolve({ items: [Number(token ?? 0)], next: String(Number(token ?? 0) + 1) });
    });
    assert.equal(asked, MAX_PAGES);
    assert.equal(list.length, MAX_PAGES);
    assert.match(list.incomplete ?? '', /^Members: stopped after 1000 pages \(1000 items\); the list may be longer$/);
  });

  it('reads 1,000 numbered pages at most, whatever total the platform claims', async () => {
    let asked = 0;
    const list = await readNumberedPages(
      'Projects',
      (page) => {
        asked++;
        return Promise.resolve({ items: [page, page], total: 10_000_000 });
      },
      2,
    );
    assert.equal(asked, MAX_PAGES);
    assert.match(list.incomplete ?? '', /stopped after 1000 pages \(2000 items\)/);
  });
});
