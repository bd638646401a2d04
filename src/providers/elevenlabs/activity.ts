import type { Member } from '../../core/model';
import type { ActivityReading, MemberActivity } from '../../core/provider';
import * as api from './client';
import type { ElevenLabsContext } from './context';
import type { AnalyticsTable } from './schemas';

/** What ElevenLabs' figure is, for people. */
export const ACTIVITY_SOURCE = 'ElevenLabs credit usage';
/** Daily buckets: a member's last activity is the day they last used credits. */
export const INTERVAL_SECONDS = 86_400;
/** The earliest start the spec accepts (2020-01-01): an older `since` is read from there. */
export const EARLIEST_MS = 1_577_836_800_000;
/** Buckets are read in UTC (the spec's default, sent to say so): a bucket's start is UTC midnight. */
export const TIME_ZONE = 'UTC';

/**
 * Column names, in the order tried. The spec names no columns; the emulator answers `time_bucket`,
 * `user_id` and `credits` (with types DateTime, String, Float and the unit `credits`). The real
 * service's names must be checked against a live answer; until then, a column not found by name is
 * found by its type (the one DateTime column) or unit (the one `credits` column), never by position.
 */
const TIME_NAMES = ['time_bucket', 'time', 'timestamp', 'bucket', 'interval_start', 'date'];
const USAGE_NAMES = ['credits', 'usage', 'credits_used', 'total_credits', 'value'];
const USER_COLUMN = 'user_id';

/** Workspace members' credit usage, from the workspace analytics query grouped by user. */
export function activityCapability(ctx: ElevenLabsContext, now: () => number = Date.now): MemberActivity {
  return {
    source: ACTIVITY_SOURCE,
    read: (members, since, signal) => readActivity(ctx, members, since, now(), signal),
  };
}

/**
 * One query from `since` to now in daily buckets grouped by `user_id` (a member's id is their
 * `user_id`): a member's last activity is the start of their last bucket with usage above zero.
 * Rows of anyone not among `members` (service accounts, people who left) are left out.
 */
export async function readActivity(
  ctx: ElevenLabsContext,
  members: readonly Member[],
  since: string,
  now: number,
  signal?: AbortSignal,
): Promise<ActivityReading> {
  const asked = Date.parse(since);
  if (Number.isNaN(asked))
    throw new Error(`ElevenLabs activity: "${since}" is not a date-time; give an ISO date-time.`);
  const start = Math.max(asked, EARLIEST_MS);
  if (start >= now) throw new Error(`ElevenLabs activity: the start (${since}) must be before now.`);
  const table = await api.queryUsage(
    ctx.http,
    {
      start_time: start,
      end_time: now,
      interval_seconds: INTERVAL_SECONDS,
      group_by: [USER_COLUMN],
      time_zone: TIME_ZONE,
    },
    signal,
  );
  return { lastActive: lastActivity(table, new Set(members.map((m) => m.id))), since: new Date(start).toISOString() };
}

/** Member id → the start (ISO) of their last bucket with usage above zero. */
export function lastActivity(table: AnalyticsTable, wanted: ReadonlySet<string>): Map<string, string> {
  const { user, time, usage } = columnsOf(table);
  const latest = new Map<string, number>();
  table.rows.forEach((row, i) => {
    const id = row[user];
    if (typeof id !== 'string' || !wanted.has(id)) return;
    const cell = row[usage];
    const amount = typeof cell === 'number' ? cell : typeof cell === 'string' ? Number(cell) : NaN;
    if (!(amount > 0)) return;
    const at = instant(row[time]);
    if (at === undefined)
      throw new Error(`ElevenLabs usage: row ${i + 1} has no time in column "${table.columns[time]}".`);
    if (at > (latest.get(id) ?? -Infinity)) latest.set(id, at);
  });
  return new Map([...latest].map(([id, at]) => [id, new Date(at).toISOString()]));
}

/** The indexes of the user, time and usage columns, or an error naming the columns the answer had. */
export function columnsOf(table: AnalyticsTable): { user: number; time: number; usage: number } {
  const byName = (names: readonly string[]) => {
    for (const name of names) {
      const i = table.columns.indexOf(name);
      if (i !== -1) return i;
    }
    return -1;
  };
  const only = (match: (i: number) => boolean) => {
    const found = table.columns.map((_c, i) => i).filter(match);
    return found.length === 1 ? found[0] : -1;
  };
  const user = table.columns.indexOf(USER_COLUMN);
  let time = byName(TIME_NAMES);
  if (time === -1) time = only((i) => table.column_types[i] === 'DateTime');
  let usage = byName(USAGE_NAMES);
  if (usage === -1) usage = only((i) => table.column_units[i] === 'credits');
  const lost = [user === -1 && `"${USER_COLUMN}"`, time === -1 && 'a time', usage === -1 && 'a credits'].filter(
    Boolean,
  );
  if (lost.length)
    throw new Error(
      `ElevenLabs usage: the answer has no ${lost.join(', ')} column (it has ${table.columns.map((c) => `"${c}"`).join(', ') || 'none'}).`,
    );
  return { user, time, usage };
}

/** A DateTime cell: an ISO string, or epoch milliseconds. */
function instant(cell: unknown): number | undefined {
  const at = typeof cell === 'number' ? cell : typeof cell === 'string' ? Date.parse(cell) : NaN;
  return Number.isFinite(at) ? at : undefined;
}
