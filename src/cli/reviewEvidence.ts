/** The end of a close: the job's outcomes by review item, the evidence written beside the review, the review marked closed. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Outcome } from '../core/jobs/bulkTask';
import type { JobItem } from '../core/jobs/journal';
import { readLedger, removeLedger } from '../core/jobs/ledger';
import type { ClosePlan } from '../core/review/close';
import { EVIDENCE_SUFFIX, type OutcomeStatus } from '../core/review/evidence';
import { finishReview, latestEvidence, withSignOff } from '../core/review/finish';
import { itemKey, type Review } from '../core/review/review';
import type { Context } from './commands';
import { writePrivate } from './outputs';

/** Which review a close's job is of, and its plan: what its journal keeps. */
export interface FinishParams {
  readonly file: string;
  readonly given: string;
  readonly plan: ClosePlan;
  /** The close's ledger: what earlier jobs of it did, recorded as done (core/review/finish.ts). */
  readonly ledger?: string;
}

/** Each job outcome under its review item's key (itemKey), as the evidence records it. */
export function outcomeMap(outcomes: readonly Outcome<JobItem>[], plan: ClosePlan, items: readonly JobItem[]) {
  const itemOfJob = new Map(items.map((it, i) => [it.key, plan.changes[i]]));
  const byKey = new Map<string, { status: OutcomeStatus; detail?: string }>();
  for (const o of outcomes) {
    const c = itemOfJob.get(o.item.key);
    if (!c) continue;
    const detail = 'reason' in o ? o.reason : o.note;
    byKey.set(itemKey(c.email, c.item), { status: o.status, ...(detail ? { detail } : {}) });
  }
  return byKey;
}

/** The evidence beside the review, the review marked closed: each written whole, readable by its owner only. */
export function finish(
  ctx: Context,
  params: FinishParams,
  review: Review,
  outcomes: ReadonlyMap<string, { status: OutcomeStatus; detail?: string }>,
): string {
  const dir = path.dirname(params.file);
  const now = new Date().toISOString();
  let text = fs.readFileSync(params.file, 'utf8');
  // A sign-off typed by hand (name and email) gets its time when the review closes.
  if (review.signoff && !review.signoff.at) {
    const signoff = { ...review.signoff, at: now };
    text = withSignOff(text, signoff);
    review = { ...review, signoff };
  }
  const found = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(EVIDENCE_SUFFIX))
    .map((n) => ({ file: n, bytes: fs.readFileSync(path.join(dir, n)) }));
  const done = finishReview({
    review,
    text,
    file: path.basename(params.file),
    plan: params.plan,
    outcomes,
    closed: now,
    previous: latestEvidence(found),
    earlier: params.ledger ? readLedger(params.ledger) : [],
  });
  const { names } = done.evidence;
  writePrivate(path.join(dir, names.markdown), done.evidence.markdown);
  writePrivate(path.join(dir, names.csv), done.evidence.csv);
  writePrivate(path.join(dir, names.json), done.evidence.json);
  writePrivate(params.file, done.text);
  if (params.ledger) removeLedger(params.ledger);
  const rel = (n: string) => path.join(path.dirname(params.given), n);
  const say = (t: string) => (ctx.args.format === 'markdown' ? ctx.err(t) : ctx.out(t));
  say(
    `Closed ${params.given}. Evidence: ${rel(names.json)}, ${rel(names.markdown)}, ${rel(names.csv)} (readable by you only). Commit them with the review; check the chain with: workspace-access review verify ${path.dirname(params.given)}\n`,
  );
  return rel(names.json);
}
