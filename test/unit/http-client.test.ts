import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as z from 'zod';
import { ApiError, CancelledError } from '../../src/core/http/errors';
import { Emulator } from '../emulator/server';
import { clientFor } from './helpers';

const User = z.object({
  user_id: z.string(),
  seat_type: z.enum(['workspace_admin', 'workspace_member', 'workspace_lite_member']),
});
const Status = z.object({ status: z.literal('ok') });

describe('HttpClient against the emulator', () => {
  let emulator: Emulator;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('sends the auth header and parses the body with the schema', async () => {
    const { client, transport } = clientFor(emulator, 'elevenlabs');
    const me = await client.request({ method: 'GET', path: '/v1/user', schema: User });
    assert.deepEqual(me, { user_id: 'usr_000000', seat_type: 'workspace_admin' });
    await transport.close();
  });

  it('authenticates each platform its own way', async () => {
    for (const platform of ['gitbook', 'confident'] as const) {
      const { client, transport } = clientFor(emulator, platform);
      const path = platform === 'gitbook' ? '/user' : '/v1/organization';
      const body = await client.request({ method: 'GET', path, schema: z.record(z.string(), z.unknown()) });
      assert.ok(Object.keys(body).length > 0, `${platform} answered`);
      await transport.close();
    }
  });

  it('turns a wrong key into a typed 401 that never contains the key', async () => {
    for (const platform of ['elevenlabs', 'gitbook', 'confident'] as const) {
      const secret = `wrong-key-${platform}-0123456789`;
      const { client, log, transport } = clientFor(emulator, platform, { apiKey: () => secret });
      const path = platform === 'gitbook' ? '/user' : platform === 'confident' ? '/v1/organization' : '/v1/user';
      const err = await client.request({ method: 'GET', path, schema: z.unknown() }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 401);
      assert.equal(err.platform, platform);
      assert.ok(err.isAuthError);
      assert.match(err.message, /Invalid API key/);
      assert.match(err.message, /Update the API key/);
      assert.ok(!err.message.includes(secret));
      assert.ok(log.lines.length > 0 && log.lines.every((l) => !l.includes(secret)), 'key absent from every log line');
      await transport.close();
    }
  });

  it('carries the 422 detail list', async () => {
    const { client, transport } = clientFor(emulator, 'elevenlabs');
    const err = await client
      .request({ method: 'POST', expect: [200], path: '/v1/workspace/members', body: {}, schema: Status })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 422);
    assert.deepEqual(err.details, [{ loc: ['body', 'email'], msg: 'Field required', type: 'missing' }]);
    assert.match(err.message, /email: Field required/);
    await transport.close();
  });

  it('reads 403 and 404 messages from the platform envelope', async () => {
    const { client, transport } = clientFor(emulator, 'gitbook');
    const err = await client.request({ method: 'GET', path: '/nowhere', schema: z.unknown() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 404);
    assert.match(err.message, /^GitBook: Not found: \/nowhere \(404/);
    await transport.close();
  });

  it('retries 429 and 5xx on a GET, honouring Retry-After', async () => {
    emulator.setFaults({ retryAfterSec: 2 });
    emulator.queueFaults('429', '500');
    const { client, waits, transport } = clientFor(emulator, 'elevenlabs');
    const me = await client.request({ method: 'GET', path: '/v1/user', schema: User });
    assert.equal(me.user_id, 'usr_000000');
    assert.equal(emulator.requests.length, 3);
    // First wait from Retry-After (2 s); second from backoff: 0.5 × min(cap, 500 × 2¹) = 500 ms.
    assert.deepEqual(waits, [2_000, 500]);
    await transport.close();
  });

  it('gives up after the retry budget with the last error', async () => {
    emulator.queueFaults('500', '500', '500', '500', '500');
    const { client, waits, transport } = clientFor(emulator, 'elevenlabs');
    const err = await client.request({ method: 'GET', path: '/v1/user', schema: User }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 500);
    assert.equal(emulator.requests.length, 4, 'one try and three retries');
    assert.equal(waits.length, 3);
    await transport.close();
  });

  it('never repeats a non-idempotent write after a 5xx, a reset or a malformed body', async () => {
    for (const fault of ['500', 'reset', 'malformed'] as const) {
      emulator.reset();
      emulator.queueFaults(fault);
      const { client, transport } = clientFor(emulator, 'elevenlabs');
      const err = await client
        .request({
          method: 'POST',
          expect: [200],
          path: '/v1/workspace/members',
          body: { email: 'grace.lovelace@example.com', is_locked: true },
          schema: Status,
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(err instanceof ApiError, `${fault}: an error`);
      assert.equal(emulator.requests.filter((r) => r.method === 'POST').length, 1, `${fault}: sent once`);
      await transport.close();
    }
  });

  it('repeats a write after a 429, which the server did not act on', async () => {
    emulator.queueFaults('429');
    const { client, transport } = clientFor(emulator, 'elevenlabs');
    const res = await client.request({
      method: 'POST',
      expect: [200],
      path: '/v1/workspace/members',
      body: { email: 'grace.lovelace@example.com', is_locked: true },
      schema: Status,
    });
    assert.equal(res.status, 'ok');
    assert.equal(emulator.requests.length, 2);
    assert.equal(emulator.state('elevenlabs').members[1].is_locked, true);
    await transport.close();
  });

  it('retries a reset connection and a malformed body on a GET', async () => {
    emulator.queueFaults('reset', 'malformed');
    const { client, transport } = clientFor(emulator, 'elevenlabs');
    const me = await client.request({ method: 'GET', path: '/v1/user', schema: User });
    assert.equal(me.user_id, 'usr_000000');
    assert.deepEqual(
      emulator.requests.map((r) => r.fault),
      ['reset', 'malformed', 'none'],
    );
    await transport.close();
  });

  it('times out a stalled body', async () => {
    emulator.setFaults({ stallMs: 5_000 });
    emulator.queueFaults('stall');
    const { client, transport } = clientFor(emulator, 'elevenlabs', {
      timeoutMs: 300,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const err = await client.request({ method: 'GET', path: '/v1/user', schema: User }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApiError);
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, /ElevenLabs did not answer within 0 s|ElevenLabs did not answer within/);
    await transport.close();
  });

  it('cancels through an AbortSignal, without retrying', async () => {
    emulator.setFaults({ latencyMs: 2_000 });
    const { client, transport } = clientFor(emulator, 'elevenlabs');
    const controller = new AbortController();
    const pending = client.request({ method: 'GET', path: '/v1/user', schema: User, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (e: unknown) => e instanceof CancelledError);
    assert.equal(emulator.stats.requests, 1);
    await transport.close();
  });

  it('sends nothing when the caller already cancelled', async () => {
    const { client, transport } = clientFor(emulator, 'elevenlabs');
    const signal = AbortSignal.abort();
    await assert.rejects(
      client.request({ method: 'GET', path: '/v1/user', schema: User, signal }),
      (e: unknown) => e instanceof CancelledError,
    );
    assert.equal(emulator.stats.requests, 0);
    await transport.close();
  });

  it('reports a response that does not match the schema, naming the field', async () => {
    const { client, transport } = clientFor(emulator, 'elevenlabs');
    const Strict = z.object({ user_id: z.number() });
    const err = await client.request({ method: 'GET', path: '/v1/user', schema: Strict }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApiError);
    assert.equal(err.kind, 'unexpected-response');
    assert.match(err.message, /^Unexpected response from ElevenLabs \(GET \/v1\/user\): field "user_id": /);
    assert.equal(emulator.requests.length, 1, 'a schema mismatch is not retried');
    await transport.close();
  });

  it('reports a network failure when nothing listens', async () => {
    const { client, transport } = clientFor(emulator, 'elevenlabs', {
      baseUrl: 'http://127.0.0.1:9',
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const err = await client.request({ method: 'GET', path: '/v1/user', schema: User }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApiError);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /ElevenLabs could not be reached \(ECONNREFUSED\)/);
    await transport.close();
  });

  it('refuses a base URL that would send the key over plain http', () => {
    assert.throws(() => clientFor(emulator, 'elevenlabs', { baseUrl: 'http://api.elevenlabs.io' }), /must use https/);
  });
});
