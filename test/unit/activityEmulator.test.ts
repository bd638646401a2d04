// The emulator's activity: GitBook's members list sorted as the spec says, and the ElevenLabs
// workspace analytics query with its validation, default bucket and speed on the large data.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as z from 'zod';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { loadContract } from '../contract/contract';
import { DAY_MS, daysSinceActive } from '../emulator/platforms/activity';
import { DEFAULT_INTERVAL_SECONDS, EARLIEST_MS } from '../emulator/platforms/elevenlabsUsage';
import { Emulator } from '../emulator/server';
import { clientFor } from './helpers';

const USAGE_PATH = '/v1/workspace/analytics/query/usage-by-product-over-time';
const Table = z.object({
  columns: z.array(z.string()),
  column_types: z.array(z.string()),
  column_units: z.array(z.string().nullable()),
  rows: z.array(z.array(z.unknown())),
});
const Members = z.object({
  items: z.array(z.object({ id: z.string(), joinedAt: z.string(), lastSeenAt: z.string().optional() })),
});

describe('emulated activity', () => {
  let emulator: Emulator;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('GitBook sorts members by lastSeenAt, joinedAt or name, either way; the default is joinedAt, newest first', async () => {
    const t = clientFor(emulator, 'gitbook');
    const read = async (query: Record<string, string>) =>
      (
        await t.client.request({
          method: 'GET',
          path: '/orgs/org_sandbox/members',
          query: { limit: 1000, ...query },
          schema: Members,
        })
      ).items;
    const st = emulator.state('gitbook');
    const byDefault = await read({});
    assert.deepEqual(
      byDefault.map((m) => m.id),
      st.members.map((m) => m.user.id),
      'the seed joined in reverse index order, so the default keeps index order',
    );
    const joined = byDefault.map((m) => m.joinedAt);
    assert.deepEqual(joined, [...joined].sort().reverse());
    assert.deepEqual(
      (await read({ sort: 'joinedAt', order: 'asc' })).map((m) => m.id),
      st.members.map((m) => m.user.id).reverse(),
    );
    const asc = await read({ sort: 'lastSeenAt', order: 'asc' });
    const never = st.members.filter((m) => !m.lastSeenAt).length;
    assert.ok(never > 0);
    assert.ok(
      asc.slice(0, never).every((m) => m.lastSeenAt === undefined),
      'the never seen come first, ascending',
    );
    const seen = asc.slice(never).map((m) => m.lastSeenAt!);
    assert.deepEqual(seen, [...seen].sort());
    const desc = await read({ sort: 'lastSeenAt', order: 'desc' });
    assert.deepEqual(
      desc.slice(0, seen.length).map((m) => m.lastSeenAt),
      [...seen].reverse(),
    );
    const names = (await read({ sort: 'name', order: 'asc' })).map(
      (m) => st.members.find((x) => x.user.id === m.id)!.user.displayName,
    );
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
    );
    const bad = await t.client
      .request({ method: 'GET', path: '/orgs/org_sandbox/members', query: { sort: 'email' }, schema: Members })
      .then(
        () => 0,
        (e: { status?: number }) => e.status,
      );
    assert.equal(bad, 400);
    assert.deepEqual(loadContract('gitbook').checkAll(emulator.requests.filter((r) => r.status === 200)), []);
    await t.transport.close();
  });

  describe('ElevenLabs usage query', () => {
    const post = async (body: unknown) => {
      const res = await fetch(emulator.baseUrl('elevenlabs') + USAGE_PATH, {
        method: 'POST',
        headers: { 'xi-api-key': emulator.platform('elevenlabs').keys.admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const now = Date.now();

    it('refuses a body the spec refuses, with a 422 in the platform envelope naming the field', async () => {
      const cases: [unknown, (string | number)[], string][] = [
        [{ end_time: now }, ['body', 'start_time'], 'missing'],
        [{ start_time: now - DAY_MS }, ['body', 'end_time'], 'missing'],
        [{ start_time: '2026-01-01', end_time: now }, ['body', 'start_time'], 'int_type'],
        [{ start_time: EARLIEST_MS - 1, end_time: now }, ['body', 'start_time'], 'greater_than_equal'],
        [
          { start_time: now - DAY_MS, end_time: now, interval_seconds: 0 },
          ['body', 'interval_seconds'],
          'greater_than_equal',
        ],
        [{ start_time: now - DAY_MS, end_time: now, group_by: ['user_id', 'email'] }, ['body', 'group_by', 1], 'enum'],
        [{ start_time: now, end_time: now - DAY_MS }, ['body', 'end_time'], 'value_error'],
      ];
      for (const [body, loc, type] of cases) {
        const res = await post(body);
        assert.equal(res.status, 422, JSON.stringify(body));
        const detail = (res.body as { detail: { loc: unknown; type: string; msg: string }[] }).detail[0];
        assert.deepEqual(detail.loc, loc);
        assert.equal(detail.type, type);
        assert.ok(detail.msg.length > 0);
      }
      assert.equal(EARLIEST_MS, Date.parse('2020-01-01T00:00:00.000Z'));
    });

    it("buckets by the spec's default of 60 seconds when no interval is given, in the spec's shapes", async () => {
      assert.equal(DEFAULT_INTERVAL_SECONDS, 60);
      const res = await post({ start_time: now - 5 * DAY_MS, end_time: now, group_by: ['user_id', 'product_type'] });
      assert.equal(res.status, 200);
      const table = Table.parse(res.body);
      assert.deepEqual(table.columns, ['time_bucket', 'user_id', 'product_type', 'credits']);
      assert.deepEqual(table.column_types, ['DateTime', 'String', 'String', 'Float']);
      assert.deepEqual(table.column_units, [null, null, null, 'credits']);
      const usage = emulator.state('elevenlabs').usage;
      const events = [...usage].flatMap(([id, es]) =>
        es.filter((e) => e.at >= now - 5 * DAY_MS).map((e) => ({ id, ...e })),
      );
      assert.equal(table.rows.length, events.length, 'one row per event: no two share a minute and a member');
      for (const e of events)
        assert.ok(
          table.rows.some(
            (r) =>
              r[0] === new Date(Math.floor(e.at / 60_000) * 60_000).toISOString() &&
              r[1] === e.id &&
              r[3] === e.credits,
          ),
        );
    });

    it('answers the large data (5,000 members) for a year of daily buckets quickly, and the provider reads it; GitBook gives every member a join date', async () => {
      const large = await Emulator.start({ size: 'large' });
      try {
        const t = clientFor(large, 'elevenlabs');
        const el = new ElevenLabsProvider(t.client);
        const members = await el.members.list();
        assert.equal(members.length, 5_000);
        const started = performance.now();
        const reading = await el.members.activity!.read(members, new Date(now - 365 * DAY_MS).toISOString());
        const ms = performance.now() - started;
        assert.ok(ms < 2_000, `${ms.toFixed(0)} ms`);
        const active = members.filter((_m, i) => daysSinceActive(i) !== undefined).length;
        assert.equal(reading.lastActive.size, active, 'everyone who used a credit this year');
        assert.ok(active < 5_000);
        await t.transport.close();
        // The findings benchmark's "activity for every member": GitBook too, from its members list.
        const g = clientFor(large, 'gitbook');
        const gb = new GitBookProvider(g.client, 'org_sandbox');
        const gbMembers = await gb.members.list();
        assert.equal(gbMembers.length, 5_000);
        const seen = await gb.members.activity!.read(gbMembers, new Date(now - 91 * DAY_MS).toISOString());
        assert.equal(seen.joined?.size, 5_000, 'every member has joined');
        assert.equal(seen.lastActive.size, active, 'everyone seen, as many as used credits on ElevenLabs');
        await g.transport.close();
      } finally {
        await large.close();
      }
    });
  });
});
