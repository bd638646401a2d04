// Member activity where the platforms give it: GitBook's last seen (from the members list, no read
// of its own), ElevenLabs' credit usage (the workspace analytics query, by user), and none at
// Confident AI, whose invitations carry their date instead.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Member } from '../../src/core/model';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import * as elActivity from '../../src/providers/elevenlabs/activity';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { ACTIVITY_SOURCE as GITBOOK_SOURCE } from '../../src/providers/gitbook/members';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { loadContract } from '../contract/contract';
import { DAY_MS, dayStart } from '../emulator/platforms/activity';
import { Emulator } from '../emulator/server';
import { clientFor, failure } from './helpers';

const USAGE_PATH = '/v1/workspace/analytics/query/usage-by-product-over-time';
const daysBefore = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

describe('member activity', () => {
  let emulator: Emulator;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  describe('GitBook: last seen, from the members list', () => {
    it('reads lastSeenAt and joinedAt from the list just read, with no request of its own', async () => {
      const t = clientFor(emulator, 'gitbook');
      const gb = new GitBookProvider(t.client, 'org_sandbox');
      const members = await gb.members.list();
      const before = emulator.stats.requests;
      const reading = await gb.members.activity!.read(members, daysBefore(90));
      assert.equal(emulator.stats.requests, before, 'no request beyond the list');
      const st = emulator.state('gitbook');
      const seen = st.members.filter((m) => m.lastSeenAt);
      assert.ok(seen.length > 0 && seen.length < st.members.length, 'some members were never seen');
      assert.deepEqual(
        [...reading.lastActive].sort(),
        seen.map((m) => [m.user.id, m.lastSeenAt]).sort(),
        'every seen member with their date; the never seen are absent',
      );
      assert.deepEqual([...reading.joined!].sort(), st.members.map((m) => [m.user.id, m.joinedAt]).sort());
      assert.equal(reading.since, undefined, 'lastSeenAt covers all time');
      // A member seen long ago keeps their date, older than the 90 days asked for: the evidence a finding shows.
      const old = st.members.find((m) => m.lastSeenAt && Date.parse(m.lastSeenAt) < Date.now() - 100 * DAY_MS)!;
      assert.equal(reading.lastActive.get(old.user.id), old.lastSeenAt);
      assert.equal(members.find((m) => m.id === old.user.id)?.lastSeen, old.lastSeenAt, 'on the member too');
      assert.deepEqual(loadContract('gitbook').checkAll(emulator.requests), []);
      await t.transport.close();
    });

    it('members that did not come from a list (no `joined`) are read from one list, for the members asked about', async () => {
      const t = clientFor(emulator, 'gitbook');
      const gb = new GitBookProvider(t.client, 'org_sandbox');
      const st = emulator.state('gitbook');
      const asked: Member[] = [st.members[0], st.members[3]].map((m) => ({
        id: m.user.id,
        email: m.user.email,
        name: m.user.displayName,
      }));
      const reading = await gb.members.activity!.read(asked, daysBefore(90));
      assert.equal(emulator.requests.filter((r) => r.path === '/orgs/org_sandbox/members').length, 1);
      assert.equal(st.members[3].lastSeenAt, undefined, 'the seed never saw member 3');
      assert.deepEqual([...reading.lastActive], [[st.members[0].user.id, st.members[0].lastSeenAt]]);
      assert.equal(reading.joined!.size, 2);
      await t.transport.close();
    });

    it('says what its figure is', () => {
      assert.equal(GITBOOK_SOURCE, 'last seen in GitBook');
    });
  });

  describe('ElevenLabs: credit usage by user', () => {
    /** The start of the last day (UTC) each member used credits since `start`, from the emulator's seed. */
    const expected = (start: number) => {
      const out = new Map<string, string>();
      for (const [id, events] of emulator.state('elevenlabs').usage) {
        const used = events.filter((e) => e.credits > 0 && e.at >= start).map((e) => e.at);
        if (used.length) out.set(id, new Date(dayStart(Math.max(...used))).toISOString());
      }
      return out;
    };

    it('one query from `since` to now, daily, by user_id: each member has the start of their last day with usage', async () => {
      const t = clientFor(emulator, 'elevenlabs');
      const el = new ElevenLabsProvider(t.client);
      const members = await el.members.list();
      const since = daysBefore(90);
      const startedAt = Date.now();
      const reading = await el.members.activity!.read(members, since);
      const sent = emulator.requests.filter((r) => r.path === USAGE_PATH);
      assert.equal(sent.length, 1);
      const body = sent[0].body as Record<string, unknown>;
      assert.equal(body.start_time, Date.parse(since), 'since, in ms');
      assert.ok(
        typeof body.end_time === 'number' && body.end_time >= startedAt && body.end_time <= Date.now(),
        'now, in ms',
      );
      assert.equal(body.interval_seconds, 86_400);
      assert.deepEqual(body.group_by, ['user_id']);
      assert.equal(body.time_zone, 'UTC');
      assert.equal(reading.since, since);
      assert.deepEqual([...reading.lastActive].sort(), [...expected(Date.parse(since))].sort());
      const st = emulator.state('elevenlabs');
      // The seed: member 3 never used a credit; member 6 last did 126 days ago, and has a zero-credit row 2 days ago.
      assert.equal(reading.lastActive.has(st.members[3].user_id), false);
      assert.equal(reading.lastActive.has(st.members[6].user_id), false, 'a zero-credit row is no activity');
      assert.ok(st.usage.get(st.members[6].user_id)!.some((e) => e.credits === 0));
      assert.equal(
        reading.lastActive.get(st.members[2].user_id),
        new Date(dayStart(Date.now()) - 3 * DAY_MS).toISOString(),
        'member 2 last used credits 2 days and 3 hours before today began: the day before that',
      );
      assert.deepEqual(loadContract('elevenlabs').checkAll(emulator.requests), []);
      await t.transport.close();
    });

    it('a longer window finds the long inactive; only the members asked about are in the reading', async () => {
      const t = clientFor(emulator, 'elevenlabs');
      const el = new ElevenLabsProvider(t.client);
      const st = emulator.state('elevenlabs');
      const six = (await el.members.list()).filter((m) => m.id === st.members[6].user_id);
      const reading = await el.members.activity!.read(six, daysBefore(365));
      assert.deepEqual([...reading.lastActive.keys()], [st.members[6].user_id]);
      assert.equal(reading.lastActive.get(st.members[6].user_id), expected(Date.now() - 365 * DAY_MS).get(six[0].id));
      await t.transport.close();
    });

    it('its defaults: daily buckets in UTC, from 2020-01-01 at the earliest, named as credit usage', async () => {
      assert.equal(elActivity.INTERVAL_SECONDS, 86_400);
      assert.equal(elActivity.TIME_ZONE, 'UTC');
      assert.equal(elActivity.EARLIEST_MS, Date.parse('2020-01-01T00:00:00.000Z'));
      assert.equal(elActivity.ACTIVITY_SOURCE, 'ElevenLabs credit usage');
      const t = clientFor(emulator, 'elevenlabs');
      const el = new ElevenLabsProvider(t.client);
      const reading = await el.members.activity!.read([], '2019-06-01T00:00:00.000Z');
      assert.equal((emulator.requests.at(-1)!.body as { start_time: number }).start_time, elActivity.EARLIEST_MS);
      assert.equal(reading.since, '2020-01-01T00:00:00.000Z', 'the reading says how far back it looked');
      await t.transport.close();
    });

    it('a `since` that is not a date-time, or not in the past, is refused before any request', async () => {
      const t = clientFor(emulator, 'elevenlabs');
      const el = new ElevenLabsProvider(t.client);
      await assert.rejects(el.members.activity!.read([], 'last spring'), /"last spring" is not a date-time/);
      await assert.rejects(el.members.activity!.read([], daysBefore(-1)), /must be before now/);
      assert.equal(emulator.stats.requests, 0);
      await t.transport.close();
    });

    it('finds the columns by name, whatever their order; a cell in epoch ms is a time too', () => {
      const table = {
        columns: ['credits', 'product_type', 'user_id', 'time'],
        column_types: ['Float', 'String', 'String', 'DateTime'],
        column_units: ['credits', null, null, null],
        rows: [
          [5, 'tts', 'u1', '2026-03-01T00:00:00Z'],
          [7, 'tts', 'u1', Date.parse('2026-03-04T00:00:00Z')],
          [0, 'tts', 'u1', '2026-03-09T00:00:00Z'],
          ['2.5', 'sts', 'u2', '2026-03-02T00:00:00Z'],
          [9, 'sts', 'someone-else', '2026-03-05T00:00:00Z'],
        ],
      };
      assert.deepEqual(
        [...elActivity.lastActivity(table, new Set(['u1', 'u2']))],
        [
          ['u1', '2026-03-04T00:00:00.000Z'],
          ['u2', '2026-03-02T00:00:00.000Z'],
        ],
      );
      // Names it does not know: the one DateTime column, and the one column in credits.
      const renamed = { ...table, columns: ['spent', 'product_type', 'user_id', 'day_start'] };
      assert.deepEqual(elActivity.columnsOf(renamed), { user: 2, time: 3, usage: 0 });
    });

    it('an answer without the columns it needs fails naming the columns it had', () => {
      const table = {
        columns: ['when', 'who', 'n'],
        column_types: ['String', 'String', 'Int'],
        column_units: [null, null, null],
        rows: [],
      };
      assert.throws(
        () => elActivity.lastActivity(table, new Set()),
        /no "user_id", a time, a credits column \(it has "when", "who", "n"\)/,
      );
    });

    it("the platform's 422 fails with its message and the field", async () => {
      const t = clientFor(emulator, 'elevenlabs');
      const el = new ElevenLabsProvider(t.client);
      emulator.queueAnswers({
        status: 422,
        body: { detail: [{ loc: ['body', 'start_time'], msg: 'Field required', type: 'missing' }] },
      });
      const err = await failure(el.members.activity!.read([], daysBefore(30)));
      assert.equal(err.status, 422);
      assert.match(err.message, /ElevenLabs/);
      assert.match(err.message, /start_time/);
      await t.transport.close();
    });

    it('a 500 is retried (the query changes nothing), then fails clearly', async () => {
      const t = clientFor(emulator, 'elevenlabs');
      const el = new ElevenLabsProvider(t.client);
      const boom = { status: 500, body: { detail: { status: 'error', message: 'Analytics are unavailable.' } } };
      emulator.queueAnswers(boom, boom, boom, boom);
      const err = await failure(el.members.activity!.read([], daysBefore(30)));
      assert.equal(err.status, 500);
      assert.match(err.message, /ElevenLabs: Analytics are unavailable\. \(500/);
      assert.equal(emulator.requests.filter((r) => r.path === USAGE_PATH).length, 4, 'the first try and 3 retries');
      await t.transport.close();
    });
  });

  describe('Confident AI: no activity, dated invitations', () => {
    it('has no `activity`; its invitations carry when they were sent', async () => {
      const t = clientFor(emulator, 'confident');
      const provider = new ConfidentProvider(t.client);
      assert.equal(provider.members?.activity, undefined);
      const invitations = await provider.invitations.list!();
      const pending = invitations.find((i) => i.status === 'pending')!;
      const age = (Date.now() - Date.parse(pending.createdAt!)) / DAY_MS;
      assert.ok(age > 44 && age < 46, `the seeded pending invitation is 45 days old (${age})`);
      await provider.invitations.send(['new.person@example.com'], {});
      const fresh = (await provider.invitations.list!()).find((i) => i.email === 'new.person@example.com')!;
      assert.ok(Date.now() - Date.parse(fresh.createdAt!) < 60_000, 'a new one is dated now');
      assert.deepEqual(loadContract('confident').checkAll(emulator.requests), []);
      await t.transport.close();
    });
  });
});
