/**
 * The edits a review's file takes (a sign-off, the closing record) and the end of a close: the
 * job's outcomes turned into evidence. Each front end reads and writes the files itself (the
 * editor through its workspace, the command line through node:fs); what they write is made here,
 * so both write the same bytes.
 */
import { changeKey } from '../changes/change';
import { parseYaml } from '../access/yamlTree';
import { canonicalJson } from '../access/fingerprint';
import { decisionsHash } from './parse';
import { scalar } from './render';
import { itemKey, type Review, type SignOff } from './review';
import type { ClosePlan, ReviewChange } from './close';
import { evidenceFiles, evidenceHash, type EvidenceFiles, type FileHash, type OutcomeStatus } from './evidence';

/** A top-level entry of the file replaced by one line, or the line added at the end. */
function setTopLevel(text: string, key: string, line: string): string {
  const root = parseYaml(text).root;
  const entry = root?.entries.find((e) => e.key === key);
  if (!entry) return `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${line}\n`;
  const lineStart = text.lastIndexOf('\n', entry.keySpan[0] - 1) + 1;
  let end = entry.node.span[1];
  const nl = text.indexOf('\n', end);
  end = nl < 0 ? text.length : nl;
  return `${text.slice(0, lineStart)}${line}${text.slice(end)}`;
}

export const signOffLine = (s: SignOff) =>
  `signoff: {name: ${scalar(s.name)}, email: ${scalar(s.email)}, at: ${scalar(s.at)}}`;

/** The file signed off: its `signoff:` set (replacing an earlier one). */
export const withSignOff = (text: string, s: SignOff): string => setTopLevel(text, 'signoff', signOffLine(s));

/** The file closed: `closed:` names the evidence and its hash, and the decisions it closed with. */
export function withClosed(text: string, closed: NonNullable<Review['closed']>): string {
  const line = `closed: {at: ${scalar(closed.at)}, evidence: ${scalar(closed.evidence)}, sha256: ${closed.sha256}${closed.decisions ? `, decisions: ${closed.decisions}` : ''}}`;
  return setTopLevel(text, 'closed', line);
}

/** Why a review cannot close yet, or undefined when it can. */
export function notReady(review: Review, problems: readonly { severity: string; code: string }[]): string | undefined {
  if (review.closed)
    return `The review closed on ${review.closed.at.slice(0, 10)}: its evidence is ${review.closed.evidence}.`;
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) return `The review has ${errors.length} problem(s): fix them first.`;
  const undecided = review.people.reduce((n, p) => n + p.access.filter((i) => !i.decision).length, 0);
  if (undecided) return `${undecided} item(s) are undecided: decide each one (keep, revoke or a lower role).`;
  if (!review.signoff)
    return 'The review is not signed off: a reviewer signs it off (name and email) before it closes.';
  return undefined;
}

/** The journal key of a review's change, as the job engine records its outcome. */
export const changeKeyOf = (c: ReviewChange, connectionId: string): string =>
  changeKey({ connectionId, change: c.change });

export interface FinishInput {
  readonly review: Review;
  /** The review file's text as it is now (signed off), and its base name. */
  readonly text: string;
  readonly file: string;
  readonly plan: ClosePlan;
  /** Each change's outcome from the job, by `itemKey` of its item; a change with none is `unknown`. */
  readonly outcomes: ReadonlyMap<string, { readonly status: OutcomeStatus; readonly detail?: string }>;
  readonly closed: string;
  /** The previous review's evidence JSON in the same folder (its name and bytes), if there is one. */
  readonly previous?: { readonly file: string; readonly bytes: Uint8Array };
}

export interface Finished {
  readonly evidence: EvidenceFiles;
  /** The review file's new text: closed. */
  readonly text: string;
}

/** The evidence of a closed review, and its file marked closed. */
export function finishReview(input: FinishInput): Finished {
  const outcomes = new Map(input.outcomes);
  for (const g of input.plan.gone)
    outcomes.set(itemKey(g.email, g.item), { status: 'gone', detail: 'no longer held when the review closed' });
  for (const c of input.plan.changes) {
    const k = itemKey(c.email, c.item);
    if (!outcomes.has(k)) outcomes.set(k, { status: 'unknown', detail: 'the job did not report it' });
  }
  const previous: FileHash | null = input.previous
    ? { file: input.previous.file, sha256: evidenceHash(input.previous.bytes) }
    : null;
  const evidence = evidenceFiles({
    review: input.review,
    file: input.file,
    closed: input.closed,
    outcomes,
    key: itemKey,
    unreviewed: input.plan.unreviewed,
    previous,
  });
  const text = withClosed(input.text, {
    at: input.closed,
    evidence: evidence.names.json,
    sha256: evidenceHash(evidence.json),
    decisions: decisionsHash(input.review),
  });
  return { evidence, text };
}

/** The newest evidence JSON among a folder's files (by when it closed), for the chain's `previous`. */
export function latestEvidence(
  found: readonly { readonly file: string; readonly bytes: Uint8Array }[],
): { readonly file: string; readonly bytes: Uint8Array } | undefined {
  let best: { file: string; bytes: Uint8Array; closed: string } | undefined;
  for (const f of found) {
    let closed = '';
    try {
      const at = (JSON.parse(Buffer.from(f.bytes).toString('utf8')) as { closed?: unknown }).closed;
      closed = typeof at === 'string' ? at : '';
    } catch {
      continue;
    }
    if (!best || closed > best.closed || (closed === best.closed && f.file > best.file)) best = { ...f, closed };
  }
  return best && { file: best.file, bytes: best.bytes };
}

/** What a plan's changes were computed from, for a saved plan's check before it is sent. */
export const planDigest = (plan: ClosePlan): string =>
  evidenceHash(canonicalJson(plan.changes.map((c) => ({ key: itemKey(c.email, c.item), change: c.change }))));
