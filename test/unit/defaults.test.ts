// The limits production runs with, at their production values: a test that passes its own limit
// proves the mechanism, these prove the default (each one made unlimited passed every other test).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as z from 'zod';
import { AdaptiveWindow } from '../../src/core/jobs/sendWindow';
import { Emulator } from '../emulator/server';
import { clientFor, failure } from './helpers';

const MiB = 1024 * 1024;

describe('production defaults', () => {
  describe('the HTTP client, with no cap of its own', () => {
    let emulator: Emulator;
    before(async () => (emulator = await Emulator.start()));
    after(() => emulator.close());
    beforeEach(() => emulator.reset());

    /** A client as production makes one: no body cap passed (retries off, so each answer is read once). */
    const client = () => clientFor(emulator, 'elevenlabs', { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    const get = (t: ReturnType<typeof client>) =>
      failure(t.client.request({ method: 'GET', path: '/v1/user', schema: z.object({ user_id: z.string() }) }));

    it('reads a body of 16 MiB and refuses one a byte over, streamed or declared', async () => {
      const t = client();
      try {
        emulator.queueAnswers({ status: 200, bytes: 16 * MiB });
        const whole = await get(t);
        assert.doesNotMatch(whole.message, /larger than/, 'a body of exactly 16 MiB is read (it is not JSON)');
        emulator.queueAnswers({ status: 200, bytes: 16 * MiB + 1 });
        assert.match((await get(t)).message, /larger than 16 MB; it was not read/);
        emulator.queueAnswers({ status: 200, bytes: 16 * MiB + 1, declare: true });
        assert.match((await get(t)).message, /larger than 16 MB \(it declared 16 MB\); it was not read/);
      } finally {
        await t.transport.close();
      }
    });
  });

  describe("the concurrency window's pause", () => {
    it('never pauses longer than 30 s, whatever Retry-After says (10^9 s, or the year 9999)', () => {
      const now = 1_000;
      for (const retryAfterMs of [1e12, Date.UTC(9999, 0, 1) - now, 30_001]) {
        const w = new AdaptiveWindow({ maxConcurrency: 8, now: () => now });
        w.rateLimited(w.sent(), retryAfterMs);
        assert.equal(w.pausedFor(), 30_000, `Retry-After of ${retryAfterMs} ms`);
      }
      const w = new AdaptiveWindow({ maxConcurrency: 8, now: () => now });
      w.rateLimited(w.sent(), 29_000);
      assert.equal(w.pausedFor(), 29_000, 'a shorter one is waited for as it says');
    });

    it('backs off refused rounds with no hint up to 30 s, and no further', () => {
      let now = 0;
      const w = new AdaptiveWindow({ maxConcurrency: 8, initialConcurrency: 1, now: () => now });
      const pauses: number[] = [];
      for (let i = 0; i < 30; i++) {
        w.rateLimited(w.sent());
        pauses.push(w.pausedFor());
        now += w.pausedFor();
      }
      assert.ok(Math.max(...pauses) === 30_000, `the pauses grow to the cap: ${pauses.join(', ')}`);
      assert.deepEqual(pauses.slice(-5), [30_000, 30_000, 30_000, 30_000, 30_000]);
    });
  });
});
