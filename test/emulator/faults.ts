import type { Random } from './prng';

/** Failures the emulator injects into platform responses, set per run. Shares are 0..1. */
export interface Faults {
  /** Added to every platform response. */
  latencyMs: number;
  /** Share of requests answered 429 (not processed). */
  rate429: number;
  /** Retry-After seconds on injected 429s; omitted when undefined. */
  retryAfterSec?: number;
  /** Answer 429 when more than this many requests to one platform are in flight (0: no limit). */
  maxConcurrent: number;
  /** Share of requests answered 500 (not processed). */
  rate5xx: number;
  /** Share of requests whose connection is reset after the handler ran. */
  rateReset: number;
  /** Share of requests whose JSON body is cut short after the handler ran. */
  rateMalformed: number;
  /** Share of requests whose body stalls after the headers, for stallMs. */
  rateStall: number;
  stallMs: number;
  /** 1: every platform request is answered 503 without being processed (a total outage). */
  outage: number;
}

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  rate429: 0,
  retryAfterSec: undefined,
  maxConcurrent: 0,
  rate5xx: 0,
  rateReset: 0,
  rateMalformed: 0,
  rateStall: 0,
  stallMs: 30_000,
  outage: 0,
};

/** `422` is only ever queued (never drawn): it lets UI tests show a validation error list. */
export type FaultDecision = 'none' | '429' | '422' | '500' | '503' | 'reset' | 'malformed' | 'stall';

/** Draws the fault for one request. Rejections before the handler come first. */
export function drawFault(faults: Faults, random: Random, inFlight: number): FaultDecision {
  if (faults.outage > 0) return '503';
  if (faults.maxConcurrent > 0 && inFlight > faults.maxConcurrent) return '429';
  const r = random();
  let edge = faults.rate429;
  if (r < edge) return '429';
  if (r < (edge += faults.rate5xx)) return '500';
  if (r < (edge += faults.rateReset)) return 'reset';
  if (r < (edge += faults.rateMalformed)) return 'malformed';
  if (r < (edge += faults.rateStall)) return 'stall';
  return 'none';
}

/** Validates a partial fault setting from the CLI or the control endpoint. */
export function mergeFaults(base: Faults, patch: Record<string, unknown>): Faults {
  const next: Faults = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in NO_FAULTS)) throw new Error(`unknown fault "${key}"; known: ${Object.keys(NO_FAULTS).join(', ')}`);
    if (value === undefined || value === null) {
      (next as unknown as Record<string, unknown>)[key] = (NO_FAULTS as unknown as Record<string, unknown>)[key];
      continue;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0)
      throw new Error(`fault "${key}" must be a number ≥ 0 (got ${JSON.stringify(value)})`);
    if (key.startsWith('rate') && n > 1) throw new Error(`fault "${key}" is a share between 0 and 1 (got ${n})`);
    (next as unknown as Record<string, unknown>)[key] = n;
  }
  return next;
}
