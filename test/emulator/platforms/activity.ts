/**
 * Seeded activity: when members joined and were last seen (GitBook) and the credits they used
 * (ElevenLabs). Dates are whole days before the day the emulator started (UTC), so a test can tell
 * "inactive for 90 days" from "active this week" whatever the date; the pattern follows the member's
 * index, so the same seed always gives the same people the same history.
 */
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Midnight UTC of the day `now` falls in. */
export function dayStart(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

/** How many days ago member `i` was last active, or undefined for never (GitBook and ElevenLabs alike). */
export function daysSinceActive(i: number): number | undefined {
  if (i % 8 === 3) return undefined; // never seen, never used a credit
  if (i % 8 === 6) return 120 + (i % 30); // long ago: an inactive seat
  return i % 10; // this week or last
}

/** GitBook's `joinedAt`: member 0 last, so the list's default order (joinedAt, newest first) keeps index order. */
export function joinedAt(today: number, i: number): string {
  return new Date(today - 400 * DAY_MS - (i + 1) * HOUR_MS).toISOString();
}

/** GitBook's `lastSeenAt`: within the day `daysSinceActive` names, or undefined for never. */
export function lastSeenAt(today: number, i: number): string | undefined {
  const d = daysSinceActive(i);
  return d === undefined ? undefined : new Date(today - d * DAY_MS - ((i % 12) + 1) * HOUR_MS).toISOString();
}

/** One use of credits by one member, at a moment (ms), of one product. */
export interface UsageEvent {
  readonly at: number;
  readonly credits: number;
  readonly product: string;
}

const PRODUCTS = ['tts', 'sts', 'dubbing', 'agents'];

/**
 * ElevenLabs usage of member `i`: the last use `daysSinceActive` names, one a month before it, and
 * for the long-inactive a zero-credit row two days ago (a row that is there but is no activity).
 */
export function usageOf(today: number, i: number): UsageEvent[] {
  const d = daysSinceActive(i);
  if (d === undefined) return [];
  const product = PRODUCTS[i % PRODUCTS.length];
  const at = (days: number) => today - days * DAY_MS - ((i % 12) + 1) * HOUR_MS;
  const events: UsageEvent[] = [
    { at: at(d + 30), credits: 50 + (i % 7), product },
    { at: at(d), credits: 100 + (i % 13), product },
  ];
  if (d >= 120) events.push({ at: at(2), credits: 0, product });
  return events;
}
