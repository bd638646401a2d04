import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runEach, summarize } from '../../src/core/bulk';

describe('runEach', () => {
  it('gives every item an outcome, in input order, and a failure never stops the others', async () => {
    const outcomes = await runEach([1, 2, 3, 4, 5], async (n) => {
      await new Promise((r) => setTimeout(r, (6 - n) * 3));
      if (n % 2 === 0) throw new Error(`even ${n}`);
    }, { concurrency: 3 });
    assert.deepEqual(outcomes.map((o) => `${o.item}:${o.status}${o.status === 'failed' ? `:${o.reason}` : ''}`), ['1:done', '2:failed:even 2', '3:done', '4:failed:even 4', '5:done']);
    assert.deepEqual(summarize(outcomes), { done: 3, failed: 2, skipped: 0 });
  });

  it('never runs more than the concurrency limit at once', async () => {
    let running = 0;
    let peak = 0;
    await runEach(Array.from({ length: 20 }, (_, i) => i), async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
    }, { concurrency: 4 });
    assert.equal(peak, 4);
  });

  it('after cancellation, skips what has not started and reports what was cut short', async () => {
    const controller = new AbortController();
    const settled: number[] = [];
    const outcomes = await runEach([1, 2, 3, 4, 5, 6], async (n, signal) => {
      if (n === 2) controller.abort();
      await new Promise((resolve, reject) => {
        if (signal.aborted) return reject(new Error('aborted')); // as the HTTP client does
        const t = setTimeout(resolve, 5);
        signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
      });
    }, { concurrency: 2, signal: controller.signal, onSettled: (n) => settled.push(n) });
    assert.deepEqual(outcomes.map((o) => o.status), ['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    assert.equal(outcomes[0].status === 'skipped' && outcomes[0].reason, 'cancelled');
    assert.equal(outcomes[5].status === 'skipped' && outcomes[5].reason, 'cancelled before it started');
    assert.deepEqual(settled, [1, 2, 3, 4, 5, 6], 'progress reaches the total');
  });

  it('handles an empty list', async () => {
    assert.deepEqual(await runEach([], () => Promise.resolve(), { concurrency: 4 }), []);
  });
});
