import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawFault, mergeFaults, NO_FAULTS } from '../emulator/faults';
import { seededRandom } from '../emulator/prng';
import { createSeed } from '../emulator/seed';
import { Emulator } from '../emulator/server';

describe('emulator seed', () => {
  it('is deterministic for a seed', () => {
    const a = createSeed('demo', 1);
    const b = createSeed('demo', 1);
    const c = createSeed('demo', 2);
    assert.deepEqual(a.groups, b.groups);
    assert.deepEqual(a.resources, b.resources);
    assert.notDeepEqual(a.groups, c.groups);
  });

  it('has the large size of the issue: 5,000 members, 1,000 groups, 20,000 resources, unique emails', () => {
    const s = createSeed('large');
    assert.equal(s.people.length, 5_000);
    assert.equal(s.groups.length, 1_000);
    assert.equal(s.resources.length, 20_000);
    assert.equal(new Set(s.people.map((p) => p.email)).size, 5_000);
    assert.equal(new Set(s.groups.map((g) => g.name)).size, 1_000);
  });
});

describe('emulator faults', () => {
  it('draws faults in their shares', () => {
    const faults = mergeFaults(NO_FAULTS, { rate429: 0.1, rate5xx: 0.05, rateReset: 0.02, rateMalformed: 0.02 });
    const random = seededRandom(3);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const f = drawFault(faults, random, 1);
      counts[f] = (counts[f] ?? 0) + 1;
    }
    const share = (k: string) => (counts[k] ?? 0) / 20_000;
    assert.ok(Math.abs(share('429') - 0.1) < 0.01, `429 share ${share('429')}`);
    assert.ok(Math.abs(share('500') - 0.05) < 0.01);
    assert.ok(Math.abs(share('reset') - 0.02) < 0.005);
    assert.ok(Math.abs(share('malformed') - 0.02) < 0.005);
    assert.equal(counts.stall, undefined);
  });

  it('answers 429 above the concurrency limit', () => {
    const faults = mergeFaults(NO_FAULTS, { maxConcurrent: 16 });
    assert.equal(
      drawFault(faults, () => 0.99, 16),
      'none',
    );
    assert.equal(
      drawFault(faults, () => 0.99, 17),
      '429',
    );
  });

  it('rejects unknown or out-of-range settings with a clear message', () => {
    assert.throws(() => mergeFaults(NO_FAULTS, { rate429: 2 }), /share between 0 and 1/);
    assert.throws(() => mergeFaults(NO_FAULTS, { latency: 5 }), /unknown fault "latency"/);
    assert.throws(() => mergeFaults(NO_FAULTS, { latencyMs: -1 }), /≥ 0/);
  });

  it('serves only on loopback', async () => {
    await assert.rejects(Emulator.start({ host: '0.0.0.0' }), /loopback only/);
  });

  it('answers 429 with Retry-After over HTTP when concurrency is exceeded', async () => {
    const emulator = await Emulator.start({ faults: { maxConcurrent: 2, latencyMs: 100, retryAfterSec: 1 } });
    try {
      const key = emulator.platform('elevenlabs').keys.admin;
      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          fetch(`${emulator.baseUrl('elevenlabs')}/v1/user`, { headers: { 'xi-api-key': key } }),
        ),
      );
      const bodies = await Promise.all(responses.map((r) => r.text()));
      const statuses = responses.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 429, 429, 429, 429]);
      const i = responses.findIndex((r) => r.status === 429);
      assert.equal(responses[i].headers.get('retry-after'), '1');
      assert.deepEqual(JSON.parse(bodies[i]), {
        detail: { status: 'too_many_concurrent_requests', message: 'Too many concurrent requests.' },
      });
    } finally {
      await emulator.close();
    }
  });

  it('gives the sandbox connections and takes faults over its control routes', async () => {
    const emulator = await Emulator.start();
    try {
      const sandbox = (await (await fetch(`${emulator.origin}/__emulator/sandbox`)).json()) as {
        platform: string;
        baseUrl: string;
      }[];
      assert.deepEqual(
        sandbox.map((s) => s.platform),
        ['elevenlabs', 'gitbook', 'confident'],
      );
      assert.equal(sandbox[1].baseUrl, `${emulator.origin}/gitbook/v1`);
      const set = await fetch(`${emulator.origin}/__emulator/faults`, {
        method: 'POST',
        body: JSON.stringify({ latencyMs: 50 }),
      });
      assert.equal(((await set.json()) as { latencyMs: number }).latencyMs, 50);
      const bad = await fetch(`${emulator.origin}/__emulator/faults`, {
        method: 'POST',
        body: JSON.stringify({ rate5xx: 3 }),
      });
      assert.equal(bad.status, 400);
    } finally {
      await emulator.close();
    }
  });
});
