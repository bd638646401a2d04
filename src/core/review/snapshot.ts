/**
 * A review's snapshot: the SHA-256 of its facts as read when it started (the connections and their
 * roles, the scope, when live was read, and every person with their items), recorded in the file and
 * in its evidence. Only decisions, reasons and the sign-off may change after that; a check that finds
 * another hash finds a fact edited.
 *
 * The people are hashed as the file writes them (render.ts), each item without its decision and
 * reason. A file in that shape is then checked by hashing its own text with the decisions cut out,
 * without turning tens of thousands of items into anything first (parse.ts); a file of any other
 * shape (reformatted, quoted differently, edited in a browser) is hashed from what was read, and
 * reaches the same hash when its facts are the same.
 */
import { createHash, type Hash } from 'node:crypto';
import { canonicalJson } from '../access/fingerprint';
import { personLines } from './render';
import type { Review } from './review';

type Facts = Pick<Review, 'scope' | 'started' | 'connections' | 'people'>;

/** The hash with everything but the people in it: canonical JSON, then a line break. */
export function snapshotHead(review: Omit<Facts, 'people'>): Hash {
  const { connections, scope, started } = review;
  return createHash('sha256').update(`${canonicalJson({ connections, scope, started })}\n`);
}

/** The snapshot of a review's facts. */
export function snapshotHash(review: Facts): string {
  const hash = snapshotHead(review);
  for (const p of review.people) hash.update(`${personLines(p, true).join('\n')}\n`);
  return hash.digest('hex');
}

/**
 * The snapshot from a file's own text: its people section, `from` to `to`, as render.ts writes it,
 * with each of the `cuts` (pairs of offsets: an item's decision and reason) left out.
 */
export function snapshotOfText(
  review: Omit<Facts, 'people'>,
  text: string,
  from: number,
  to: number,
  cuts: readonly number[],
): string {
  const hash = snapshotHead(review);
  let at = from;
  for (let i = 0; i < cuts.length; i += 2) {
    hash.update(text.slice(at, cuts[i]));
    at = cuts[i + 1];
  }
  hash.update(text.slice(at, to));
  return hash.digest('hex');
}
