// The job engine's waits and limits at their production values: the window's pauses, the budget an
// item waits for rate limits in (then the job pauses, as in an outage), refusals, tries, checks, the
// outage threshold and the grace after a cancel. Clocks are injected; nothing waits real minutes.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { ApiError, CancelledError } from '../../src/core/http/errors';
import type { BulkTask, ItemResult, JobLog } from '../../src/core/jobs/bulkTask';
import { runJob } from '../../src/core/jobs/engine';
import {
  AdaptiveWindow,
  BACKOFF_BASE_MS,
  DEFAULT_INITIAL_CONCURRENCY,
  MAX_PAUSE_MS,
  RATE_LIMIT_BUDGET_MS,
} from '../../src/core/jobs/sendWindow';
import {
  DEFAULT_GRACE_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RATE_LIMITED,
  MAX_CHECKS,
  MIN_OUTAGE_FAILURES,
} from '../../src/core/jobs/units';
import { PLATFORMS } from '../../src/providers';

const refused = (retryAfterMs?: number) =>
  new ApiError(
    'http',
    PLATFORMS.gitbook,
    'GitBook: too many requests (429).',
    'POST /x',
    429,
    undefined,
    [],
    retryAfterMs,
  );

/** A task over numbers whose `run` is given; it counts its calls. */
function task(run: (n: number, signal: AbortSignal) => Promise<unknown>, verify?: BulkTask<number>['verify']) {
  const calls = { run: 0, verify: 0 };
  const t: BulkTask<number> = {
    key: String,
    run: (n, signal) => {
      calls.run++;
      return run(n, signal);
    },
    ...(verify
      ? {
          verify: (n: number, signal: AbortSignal) => {
            calls.verify++;
            return verify(n, signal);
          },
        }
      : {}),
  };
  return { task: t, calls };
}

describe('the send window at its production values', () => {
  it('starts at 16 requests in flight', () => {
    assert.equal(DEFAULT_INITIAL_CONCURRENCY, 16);
    assert.equal(new AdaptiveWindow({ maxConcurrency: 64 }).size, 16);
  });

  it('pauses 30 s at most for a Retry-After, however far', () => {
    assert.equal(MAX_PAUSE_MS, 30_000);
    const w = new AdaptiveWindow({ maxConcurrency: 8, now: () => 0 });
    w.rateLimited(w.sent(), 1e12);
    assert.equal(w.pausedFor(), MAX_PAUSE_MS);
  });

  it('backs off from 100 ms when rounds are refused with no hint, up to 30 s', () => {
    assert.equal(BACKOFF_BASE_MS, 100);
    const w = new AdaptiveWindow({ maxConcurrency: 8, initialConcurrency: 1, now: () => 0 });
    for (let i = 0; i < 4; i++) w.rateLimited(w.sent());
    assert.equal(w.pausedFor(), BACKOFF_BASE_MS, 'the third refused round in a row');
    for (let i = 0; i < 20; i++) w.rateLimited(w.sent());
    assert.equal(w.pausedFor(), MAX_PAUSE_MS);
  });

  it('gives an item 60 s in all to wait for rate limits', () => {
    assert.equal(RATE_LIMIT_BUDGET_MS, 60_000);
    const now = 1_000_000;
    const w = new AdaptiveWindow({ maxConcurrency: 8, now: () => now });
    assert.equal(w.pastBudget(now, 60_000), false);
    assert.equal(w.pastBudget(now, 60_001), true, 'a Retry-After is taken whole, not capped');
    assert.equal(w.pastBudget(now - 30_000, 30_000), false);
    assert.equal(w.pastBudget(now - 30_001, 30_000), true);
    w.rateLimited(w.sent(), 30_000);
    assert.equal(w.pastBudget(now - 30_001, undefined), true, "with no hint, the window's pause counts");
  });
});

describe('a job waits for rate limits within a budget, then pauses', () => {
  it('a Retry-After past 60 s pauses the job at once, naming the time; nothing is failed', async () => {
    const journal: string[] = [];
    const log: JobLog = {
      sending: (keys) => journal.push(`sending ${keys.join()}`),
      requeued: (key) => journal.push(`requeued ${key}`),
      settled: (key, r: ItemResult) => journal.push(`settled ${key} ${r.status}`),
    };
    const { task: t, calls } = task(() => Promise.reject(refused(1e12)));
    const result = await runJob([1, 2, 3], t, { maxConcurrency: 1, journal: log, now: () => Date.UTC(2026, 0, 1) });
    assert.equal(calls.run, 1, 'one request');
    assert.equal(
      result.paused,
      'GitBook asked to wait until 2057-09-09T01:46:40Z, past the 60 s an item waits for rate limits',
    );
    assert.deepEqual(
      result.outcomes.map((o) => o.status === 'skipped' && o.reason),
      Array(3).fill("paused by the platform's rate limit; not sent yet"),
    );
    assert.deepEqual(journal, ['sending 1', 'requeued 1'], 'the refused item is back to not sent; none settled');
  });

  it('an item refused again and again pauses the job after 60 s, instead of failing after 12 refusals', async () => {
    let clock = 0;
    const { task: t, calls } = task(() => {
      clock += 10_000;
      return Promise.reject(refused(0));
    });
    const result = await runJob([1], t, { maxConcurrency: 1, now: () => clock });
    assert.equal(calls.run, 8, 'refused at 10 s, then waited 70 s: past 60');
    assert.equal(
      result.paused,
      'an item would wait for rate limits past 60 s (refused for 70 s so far): GitBook: too many requests (429)',
    );
    assert.equal(result.outcomes[0].status, 'skipped');
  });

  it('still fails an item refused 12 times at once (no wait between)', async () => {
    assert.equal(DEFAULT_MAX_RATE_LIMITED, 12);
    const { task: t, calls } = task(() => Promise.reject(refused(0)));
    const result = await runJob([1], t, { maxConcurrency: 1, now: () => 0 });
    assert.equal(calls.run, 13);
    assert.equal(result.paused, undefined);
    const o = result.outcomes[0];
    assert.match(o.status === 'failed' ? o.reason : o.status, /^still rate limited after 12 tries: /);
  });
});

describe('job limits at their production values', () => {
  it('sends a request that never reached the server 3 more times, then fails it', async () => {
    assert.equal(DEFAULT_MAX_ATTEMPTS, 3);
    const notSent = new ApiError('network', PLATFORMS.gitbook, 'refused', 'POST /x', undefined, 'ECONNREFUSED');
    const { task: t, calls } = task(() => Promise.reject(notSent));
    const result = await runJob([1], t, { maxConcurrency: 1 });
    assert.equal(calls.run, 1 + DEFAULT_MAX_ATTEMPTS);
    assert.equal(result.outcomes[0].status, 'failed');
  });

  it('checks an item in doubt 6 more times when its check cannot be read, then leaves it unknown', async () => {
    assert.equal(MAX_CHECKS, 6);
    const reset = new ApiError('network', PLATFORMS.gitbook, 'reset', 'POST /x', undefined, 'ECONNRESET');
    const { task: t, calls } = task(
      () => Promise.reject(reset),
      () => Promise.reject(new Error('the check could not be read')),
    );
    const result = await runJob([1], t, { maxConcurrency: 1 });
    assert.equal(calls.verify, 1 + MAX_CHECKS);
    const o = result.outcomes[0];
    assert.match(o.status === 'unknown' ? o.reason : o.status, /could not be checked \(the check could not be read\)/);
  });

  it('pauses after 4 server failures in a row, even with one request out at a time', async () => {
    assert.equal(MIN_OUTAGE_FAILURES, 4);
    const down = new ApiError('http', PLATFORMS.gitbook, 'GitBook: service unavailable (503).', 'POST /x', 503);
    const { task: t, calls } = task(
      () => Promise.reject(down),
      () => Promise.reject(down),
    );
    const result = await runJob([1, 2, 3], t, { maxConcurrency: 1 });
    assert.equal(calls.run + calls.verify, MIN_OUTAGE_FAILURES);
    assert.match(result.paused ?? '', /^4 requests in a row failed: GitBook: service unavailable \(503\)$/);
  });

  it('gives requests in flight 5 s to finish after a cancel', async () => {
    assert.equal(DEFAULT_GRACE_MS, 5_000);
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const cancel = new AbortController();
      let stopped = false;
      let started = false;
      const { task: t } = task(
        (_n, signal) =>
          new Promise((_resolve, reject) => {
            started = true;
            signal.addEventListener('abort', () => {
              stopped = true;
              reject(new CancelledError(PLATFORMS.gitbook, 'POST /x'));
            });
          }),
      );
      const job = runJob([1], t, { maxConcurrency: 1, signal: cancel.signal });
      while (!started) await new Promise((r) => setImmediate(r));
      cancel.abort();
      mock.timers.tick(DEFAULT_GRACE_MS - 1);
      assert.equal(stopped, false, 'still finishing');
      mock.timers.tick(1);
      assert.equal(stopped, true, 'cut off at 5 s');
      const o = (await job).outcomes[0];
      assert.match(o.status === 'unknown' ? o.reason : o.status, /cancelled while its request was in flight/);
    } finally {
      mock.timers.reset();
    }
  });
});
