import type { EmulatorRequest, EmulatorResponse, Router } from '../router';
import type { UsageEvent } from './activity';

/** The earliest time the spec accepts for start_time and end_time (2020-01-01, in ms). */
export const EARLIEST_MS = 1_577_836_800_000;
/** The spec's default bucket size when `interval_seconds` is left out. */
export const DEFAULT_INTERVAL_SECONDS = 60;
/** The `group_by` values the spec lists. */
const GROUP_BY = [
  'product_type',
  'model',
  'voice_id',
  'user_id',
  'fiat_currency',
  'fiat_charge_type',
  'region',
  'reporting_workspace_id',
  'request_source',
  'resource_id',
  'subresource_id',
  'request_queue_type',
  'voice_multiplier',
  'hashed_xi_api_key',
  'billing_group_id',
  'surface',
  'actor',
];

/**
 * The emulator's columns: `time_bucket` (DateTime, the bucket's start as ISO), then each `group_by`
 * value as a String column in the order asked, then `credits` (Float, unit credits). The real
 * service's column names are not in the spec: check them against a live answer.
 */
export const TIME_COLUMN = 'time_bucket';
export const USAGE_COLUMN = 'credits';

const invalid = (loc: (string | number)[], msg: string, type = 'value_error'): EmulatorResponse => ({
  status: 422,
  body: { detail: [{ loc, msg, type }] },
});

interface Query {
  start: number;
  end: number;
  intervalMs: number;
  groupBy: string[];
}

/** The body as the spec takes it, or the 422 the platform gives (its `detail` list names the field). */
function parse(body: unknown): Query | EmulatorResponse {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return invalid(['body'], 'Input should be a valid dictionary', 'dict_type');
  const b = body as Record<string, unknown>;
  for (const field of ['start_time', 'end_time']) {
    const v = b[field];
    if (v === undefined) return invalid(['body', field], 'Field required', 'missing');
    if (typeof v !== 'number' || !Number.isInteger(v))
      return invalid(['body', field], 'Input should be a valid integer', 'int_type');
    if (v < EARLIEST_MS)
      return invalid(['body', field], `Input should be greater than or equal to ${EARLIEST_MS}`, 'greater_than_equal');
  }
  const interval = b.interval_seconds ?? DEFAULT_INTERVAL_SECONDS;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1)
    return invalid(['body', 'interval_seconds'], 'Input should be greater than or equal to 1', 'greater_than_equal');
  const groupBy = b.group_by ?? [];
  if (!Array.isArray(groupBy)) return invalid(['body', 'group_by'], 'Input should be a valid list', 'list_type');
  const bad = groupBy.findIndex((g) => typeof g !== 'string' || !GROUP_BY.includes(g));
  if (bad !== -1) return invalid(['body', 'group_by', bad], `Input should be ${GROUP_BY.join(', ')}`, 'enum');
  if (b.filters !== undefined && b.filters !== null && !Array.isArray(b.filters))
    return invalid(['body', 'filters'], 'Input should be a valid list', 'list_type');
  if (b.time_zone !== undefined && typeof b.time_zone !== 'string')
    return invalid(['body', 'time_zone'], 'Input should be a valid string', 'string_type');
  if ((b.end_time as number) <= (b.start_time as number))
    return invalid(['body', 'end_time'], 'end_time must be after start_time');
  return {
    start: b.start_time as number,
    end: b.end_time as number,
    intervalMs: interval * 1000,
    groupBy: groupBy as string[],
  };
}

/**
 * `POST /v1/workspace/analytics/query/usage-by-product-over-time`: credits per bucket, one row per
 * bucket and group that has usage (a zero-credit event still gives its row). Buckets start at whole
 * multiples of the interval since the epoch, which for whole days is UTC midnight (the spec's
 * default `time_zone`; the emulator models no other). Only `user_id` and `product_type` carry
 * values; other dimensions are null. Rows come sorted by bucket, then by group.
 */
export function usageOps<P>(router: Router<P>, usage: () => ReadonlyMap<string, readonly UsageEvent[]>): void {
  router.on(
    'POST',
    '/v1/workspace/analytics/query/usage-by-product-over-time',
    (req: EmulatorRequest): EmulatorResponse => {
      const q = parse(req.body);
      if (!('start' in q)) return q;
      const sums = new Map<string, { bucket: number; values: (string | null)[]; credits: number }>();
      for (const [userId, events] of usage()) {
        for (const e of events) {
          if (e.at < q.start || e.at >= q.end) continue;
          const bucket = Math.floor(e.at / q.intervalMs) * q.intervalMs;
          const values = q.groupBy.map((g) => (g === 'user_id' ? userId : g === 'product_type' ? e.product : null));
          const key = `${bucket}\u0000${values.join('\u0000')}`;
          const row = sums.get(key) ?? { bucket, values, credits: 0 };
          row.credits += e.credits;
          sums.set(key, row);
        }
      }
      const rows = [...sums.values()]
        .sort((a, b) => a.bucket - b.bucket || a.values.join().localeCompare(b.values.join()))
        .map((r) => [new Date(r.bucket).toISOString(), ...r.values, r.credits]);
      return {
        status: 200,
        body: {
          columns: [TIME_COLUMN, ...q.groupBy, USAGE_COLUMN],
          column_types: ['DateTime', ...q.groupBy.map(() => 'String'), 'Float'],
          column_units: [null, ...q.groupBy.map(() => null), 'credits'],
          rows,
        },
      };
    },
  );
}
