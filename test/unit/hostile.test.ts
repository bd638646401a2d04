// Answers no platform should give, and what the extension makes of them: only the statuses an
// operation expects are success, bodies and texts are bounded, a far rate-limit reset is not waited for.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as z from 'zod';
import { runJob } from '../../src/core/jobs/engine';
import { grantItems, taskOf } from '../shared/changeItems';
import type { Principal, Resource } from '../../src/core/model';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { Emulator } from '../emulator/server';
import { clientFor, failure } from './helpers';

const User = z.object({ user_id: z.string() });

describe('hostile and unexpected answers', () => {
  let emulator: Emulator;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('a 302 on a share is an unexpected answer, not followed, and the job reports it failed, not done', async () => {
    const t = clientFor(emulator, 'elevenlabs');
    const provider = new ElevenLabsProvider(t.client);
    const resource: Resource = { id: emulator.state('elevenlabs').resources[0].id, type: 'voice', name: 'v' };
    const m = emulator.state('elevenlabs').members[4];
    const principal: Principal = { kind: 'user', id: m.user_id, name: m.email, email: m.email };
    emulator.queueAnswers({ status: 302, headers: { location: 'https://login.example/' }, acted: false });
    const { outcomes } = await runJob(grantItems([{ resource, principal }], 'viewer'), taskOf(provider), {
      maxConcurrency: 4,
    });
    assert.equal(outcomes[0].status, 'failed', JSON.stringify(outcomes[0]));
    assert.match(
      outcomes[0].status === 'failed' ? outcomes[0].reason : '',
      /status 302, to https:\/\/login\.example\/, where 200 was expected/,
    );
    assert.equal(
      emulator.requests.filter((r) => r.method === 'POST').length,
      1,
      'the redirect was not followed nor the share resent',
    );
    await t.transport.close();
  });

  it('a 307 on a GitBook member removal is not "removed"', async () => {
    const t = clientFor(emulator, 'gitbook');
    const gb = new GitBookProvider(t.client, 'org_sandbox');
    const member = (await gb.listMembersPage()).items[3];
    emulator.queueAnswers({ status: 307, headers: { location: '/elsewhere' }, acted: false });
    const err = await failure(gb.removeMember(member));
    assert.equal(err.kind, 'unexpected-response');
    assert.match(err.message, /status 307, to \/elsewhere, where 202 or 204 or 205 was expected/);
    await t.transport.close();
  });

  it('a 2xx an operation does not answer with is not success either (201 where 200 is expected)', async () => {
    const t = clientFor(emulator, 'elevenlabs');
    emulator.queueAnswers({ status: 201, body: { status: 'ok' } });
    const err = await failure(
      t.client.request({
        method: 'POST',
        expect: [200],
        path: '/v1/workspace/members',
        body: { email: 'a@example.com', is_locked: true },
        schema: z.unknown(),
      }),
    );
    assert.match(err.message, /status 201, where 200 was expected/);
    await t.transport.close();
  });

  it('refuses a body whose declared length is over the cap without reading it', async () => {
    const t = clientFor(emulator, 'elevenlabs', {
      maxBodyBytes: 1024 * 1024,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
    emulator.queueAnswers({ status: 200, bytes: 400 * 1024 * 1024, declare: true });
    const err = await failure(t.client.request({ method: 'GET', path: '/v1/user', schema: User }));
    assert.match(err.message, /larger than 1 MB \(it declared 400 MB\); it was not read/);
    await t.transport.close();
  });

  it('cuts a streamed body off past the cap, without holding it in memory', async () => {
    const t = clientFor(emulator, 'elevenlabs', {
      maxBodyBytes: 2 * 1024 * 1024,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
    emulator.queueAnswers({ status: 200, bytes: 400 * 1024 * 1024 });
    const heap = process.memoryUsage().arrayBuffers;
    const err = await failure(t.client.request({ method: 'GET', path: '/v1/user', schema: User }));
    assert.match(err.message, /larger than 2 MB; it was not read/);
    assert.ok(
      process.memoryUsage().arrayBuffers - heap < 64 * 1024 * 1024,
      'far less than the 400 MB the server offered was held',
    );
    await t.transport.close();
  });

  it('clips a 2 MB error detail to a readable message', async () => {
    const t = clientFor(emulator, 'elevenlabs');
    emulator.queueAnswers({ status: 400, body: { detail: 'x'.repeat(2_000_000) } });
    const err = await failure(
      t.client.request({
        method: 'POST',
        expect: [200],
        path: '/v1/workspace/members',
        body: { email: 'a@example.com' },
        schema: z.unknown(),
      }),
    );
    assert.ok(err.message.length < 400, `${err.message.length} characters`);
    assert.match(err.message, /… \(1999700 more characters\)/);
    await t.transport.close();
  });

  it('a far-future X-RateLimit-Reset is reported once, never waited for, and never stalls the requests after it', async () => {
    const t = clientFor(emulator, 'gitbook');
    const far = Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600;
    emulator.queueAnswers({
      status: 200,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(far) },
      body: { id: 'u', displayName: 'A', email: 'a@example.com' },
    });
    const Any = z.unknown();
    await t.client.request({ method: 'GET', path: '/user', schema: Any });
    await t.client.request({ method: 'GET', path: '/user', schema: Any });
    await t.client.request({ method: 'GET', path: '/user', schema: Any });
    assert.deepEqual(t.waits, [], 'a reset past the budget of a call is not waited for');
    assert.equal(
      t.log.lines.filter((l) => l.startsWith('warn') && l.includes('rate-limit window is used up until')).length,
      1,
      t.log.lines.join('\n'),
    );
    await t.transport.close();
  });
});
