// Every loop over pages stops: on an empty page, on a page token seen before, at a page cap; a
// platform's `total` never decides how many requests go out; a whole list reads past 5,000.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as z from 'zod';
import { MAX_PAGES, readAllPages, readNumberedPages } from '../../src/core/paging';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { Emulator } from '../emulator/server';
import { clientFor } from './helpers';

describe('reading whole lists, bounded', () => {
  it('stops on an empty page that promises more, on a repeated token and at the cap, saying why', async () => {
    const told: string[] = [];
    const onIncomplete = (why: string) => told.push(why);
    const empty = await readAllPages(
      'things',
      (t) => Promise.resolve(t ? { items: [], next: 'again' } : { items: [1, 2], next: 'p2' }),
      { onIncomplete },
    );
    assert.deepEqual([...empty], [1, 2]);
    assert.match(empty.incomplete ?? '', /empty page that promised more/);
    let calls = 0;
    const loop = await readAllPages('things', () => Promise.resolve({ items: [++calls], next: 'same' }), {
      onIncomplete,
    });
    assert.equal(calls, 2, 'the second "same" token is not followed');
    assert.match(loop.incomplete ?? '', /page token it had sent before/);
    let n = 0;
    const capped = await readAllPages('things', () => Promise.resolve({ items: [n], next: String(++n) }), {
      maxPages: 7,
      onIncomplete,
    });
    assert.equal(capped.length, 7);
    assert.match(capped.incomplete ?? '', /stopped after 7 pages \(7 items\); the list may be longer/);
    assert.equal(told.length, 3);
    const whole = await readAllPages('things', (t) =>
      Promise.resolve(t ? { items: [3] } : { items: [1, 2], next: 'x' }),
    );
    assert.deepEqual([...whole], [1, 2, 3]);
    assert.equal(whole.incomplete, undefined);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    let calls = 0;
    const reading = readAllPages(
      'things',
      (t) => {
        if (++calls === 3) controller.abort();
        return Promise.resolve({ items: [1], next: `${t ?? ''}x` });
      },
      { signal: controller.signal },
    );
    await assert.rejects(reading, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.equal(calls, 3);
  });
});

describe('numbered pages without a total (the Confident AI spec leaves `total` out)', () => {
  const SIZE = 3;
  const page = (n: number, count = SIZE) => Array.from({ length: count }, (_, i) => `${n}.${i}`);

  it('are read one at a time until a short or an empty page', async () => {
    const asked: number[] = [];
    const short = await readNumberedPages(
      'things',
      (n) => (asked.push(n), Promise.resolve({ items: page(n, n === 3 ? 1 : SIZE) })),
      SIZE,
    );
    assert.deepEqual([short.length, short.incomplete, asked], [7, undefined, [1, 2, 3]]);
    asked.length = 0;
    const empty = await readNumberedPages(
      'things',
      (n) => (asked.push(n), Promise.resolve({ items: n < 3 ? page(n) : [] })),
      SIZE,
    );
    assert.deepEqual([empty.length, empty.incomplete, asked], [6, undefined, [1, 2, 3]]);
  });

  it('stop at a page that repeats the one before (a server that ignores `page`), and at MAX_PAGES (1,000)', async () => {
    let calls = 0;
    const same = await readNumberedPages('things', () => (calls++, Promise.resolve({ items: page(1) })), SIZE);
    assert.deepEqual([same.length, calls], [SIZE, 2]);
    assert.equal(same.incomplete, 'things: page 2 repeated page 1; stopped at 3 items');
    assert.equal(MAX_PAGES, 1000);
    calls = 0;
    const endless = await readNumberedPages('things', (n) => (calls++, Promise.resolve({ items: page(n) })), SIZE);
    assert.equal(calls, 1000);
    assert.equal(endless.incomplete, 'things: stopped after 1000 pages (3000 items); the list may be longer');
  });
});

describe('platform lists against the emulator', () => {
  let emulator: Emulator;
  before(async () => (emulator = await Emulator.start({ size: 'large' })));
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('Confident AI member paging does not trust total: 1e9 costs one window of requests (it once sent 5,511)', async () => {
    const t = clientFor(emulator, 'confident');
    // A real first page, then the same platform claiming a billion members on every page.
    const real = (await t.client.request({
      method: 'GET',
      path: '/v1/organization/members',
      query: { page: 1, pageSize: 100 },
      schema: z.any(),
    })) as { data: { members: unknown[] } };
    const full =
      real.data.members.length === 100
        ? real.data.members
        : [...real.data.members, ...Array.from({ length: 100 - real.data.members.length }, () => real.data.members[0])];
    emulator.requests.length = 0;
    emulator.queueAnswers(
      { status: 200, body: { success: true, data: { members: full, total: 1e9 }, deprecated: false } },
      ...Array.from({ length: 20 }, () => ({
        status: 200,
        body: { success: true, data: { members: [], total: 1e9 }, deprecated: false },
      })),
    );
    const members = await new ConfidentProvider(t.client).listMembers();
    assert.equal(members.length, 100);
    // Pages after the first are read side by side (16 at a time): the empty second page ends the read within that window.
    const asked = emulator.requests.filter((r) => r.path === '/v1/organization/members').length;
    assert.ok(asked >= 2 && asked <= 17, `${asked} requests`);
    await t.transport.close();
  });

  it('GitBook whole-member reads see past 5,000 (the "already a member" check missed them), in few requests', async () => {
    const t = clientFor(emulator, 'gitbook');
    const gb = new GitBookProvider(t.client, 'org_sandbox');
    const st = emulator.state('gitbook');
    for (let i = 0; i < 1_500; i++)
      st.members.push({
        user: { id: `gbu_extra_${i}`, displayName: `Extra ${i}`, email: `extra.${i}@example.com` },
        role: 'read',
        disabled: false,
      });
    const members = await gb.listMembers();
    assert.equal(members.length, st.members.length);
    assert.ok(members.length >= 6_500);
    assert.ok(
      members.some((m) => m.email === 'extra.1499@example.com'),
      'the last one is there',
    );
    assert.equal(members.incomplete, undefined);
    assert.equal(
      emulator.requests.filter((r) => r.path === '/orgs/org_sandbox/members').length,
      Math.ceil(st.members.length / 1_000),
      '1,000 a page',
    );
    await t.transport.close();
  });

  it('GitBook: a repeated page token stops the read, and the log says so', async () => {
    const t = clientFor(emulator, 'gitbook');
    const gb = new GitBookProvider(t.client, 'org_sandbox');
    const first = (await t.client.request({
      method: 'GET',
      path: '/orgs/org_sandbox/teams',
      query: { limit: 100 },
      schema: z.any(),
    })) as { items: unknown[] };
    emulator.queueAnswers(
      ...Array.from({ length: 5 }, () => ({
        status: 200,
        body: { items: first.items, next: { page: 'loop' }, count: 1_000_000 },
      })),
    );
    const teams = await gb.listGroups();
    assert.equal(teams.length, 200, 'two pages: the second repeats the token');
    assert.match(teams.incomplete ?? '', /GitBook teams: the platform sent a page token it had sent before/);
    assert.ok(t.log.lines.some((l) => /^warn GitBook teams: .*page token/.test(l)));
    await t.transport.close();
  });
});
