/** A review file as the command line reads it: its bytes, what it says, each problem at its line, and progress in words. */
import { todayUtc } from '../core/access/plan';
import type { Problem } from '../core/access/spec';
import { parseReview, type ParsedReview } from '../core/review/parse';
import { daysUntil, progressOf, REVIEW_SUFFIX, type Review } from '../core/review/review';
import { CliError, readGiven } from './errors';
import type { Context } from './commands';
import { EXIT } from './exit';
import { positions, problemLine, type Position } from './output';

/** A review file as read: its bytes, text, what it says and where each problem is. */
export interface LoadedReview {
  readonly file: string;
  readonly bytes: Buffer;
  readonly text: string;
  readonly parsed: ParsedReview;
  readonly pos: Position;
  readonly errors: readonly Problem[];
}

export function readReviewFile(file: string): LoadedReview {
  const bytes = readGiven(file, {
    missing: `Start a review with: workspace-access review start ${file} --name NAME --due YYYY-MM-DD --reviewer EMAIL`,
    folder: `name the review file (*${REVIEW_SUFFIX}).`,
  });
  const text = bytes.toString('utf8');
  const parsed = parseReview(text, todayUtc());
  return {
    file,
    bytes,
    text,
    parsed,
    pos: positions(text),
    errors: parsed.problems.filter((p) => p.severity === 'error'),
  };
}

/** The file's errors, each at FILE:line:column on stderr, as a CliError (exit 1) that names how many. */
export function fileErrors(ctx: Context, loaded: LoadedReview, then: string): CliError {
  for (const p of loaded.errors) ctx.err(`${problemLine(loaded.file, loaded.pos, p)}\n`);
  const n = loaded.errors.length;
  return new CliError(
    `${loaded.file} has ${n} error(s): fix ${n === 1 ? 'it' : 'them'} first. ${then}`,
    EXIT.error,
    loaded.errors.map((p) => ({ ...loaded.pos(p), code: p.code, message: p.message })),
  );
}

/** "132 of 410 decided, due in 5 days" */
export function progressWords(review: Review, today = todayUtc()): string {
  const { items, decided } = progressOf(review);
  if (review.closed) return `${decided} of ${items} decided, closed on ${review.closed.at.slice(0, 10)}`;
  const days = daysUntil(review.due, today);
  const due =
    days > 1
      ? `due in ${days} days`
      : days === 1
        ? 'due tomorrow'
        : days === 0
          ? 'due today'
          : `overdue since ${review.due}`;
  return `${decided} of ${items} decided, ${due}`;
}
