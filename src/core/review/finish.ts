/**
 * The edits a review's file takes (a sign-off, the closing record) and the end of a close: the
 * job's outcomes turned into evidence. Each front end reads and writes the files itself (the
 * editor through its workspace, the command line through node:fs); what they write is made here,
 * so both write the same bytes.
 */
import { changeKey } from '../changes/change';
import { parseYaml } from '../access/yamlTree';
import { canonicalJson, sha256 } from '../access/fingerprint';
import type { LedgerLine } from '../jobs/ledger';
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

/**
 * What a close's ledger (core/jobs/ledger.ts) keeps of each change its job made: the item and the
 * decision carried out. A close cut short (Ctrl+C, a cancelled job, a reload that resumed it) leaves
 * the review open; the next close finds those items no longer held, and its evidence records them as
 * done by that job, not as gone.
 */
export interface DoneEntry {
  /** The item's `itemKey`. */
  readonly item: string;
  readonly decision: string;
}

/** The ledger file's name for a review: by where it is and its snapshot (another review there gets another). */
export const closeLedgerName = (where: string, snapshot: string): string =>
  `review-${sha256(`${where}\n${snapshot}`).slice(0, 32)}.done.jsonl`;

/** The ledger's entries for a close's job: each change's, by the change's key in the job. */
export function closeLedgerEntries(
  sent: readonly { readonly change: ReviewChange; readonly jobKey: string }[],
): Record<string, DoneEntry> {
  const out: Record<string, DoneEntry> = {};
  for (const { change: c, jobKey } of sent)
    out[jobKey] = { item: itemKey(c.email, c.item), decision: c.item.decision ?? '' };
  return out;
}

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
  /** The close's ledger: what earlier jobs of this close did (their entries are DoneEntry). */
  readonly earlier?: readonly LedgerLine[];
}

/** The ledger's entries by item, where they read as DoneEntry. */
function doneBefore(lines: readonly LedgerLine[]): Map<string, { decision: string; at: string }> {
  const out = new Map<string, { decision: string; at: string }>();
  for (const { entry, at } of lines) {
    const e = entry as Partial<DoneEntry> | null;
    if (typeof e?.item === 'string' && typeof e.decision === 'string') out.set(e.item, { decision: e.decision, at });
  }
  return out;
}

export interface Finished {
  readonly evidence: EvidenceFiles;
  /** The review file's new text: closed. */
  readonly text: string;
}

/** The evidence of a closed review, and its file marked closed. */
export function finishReview(input: FinishInput): Finished {
  const outcomes = new Map(input.outcomes);
  const before = doneBefore(input.earlier ?? []);
  for (const g of input.plan.gone) {
    const k = itemKey(g.email, g.item);
    const done = before.get(k);
    outcomes.set(
      k,
      done && done.decision === g.item.decision
        ? {
            status: 'done',
            detail: `done by this review's close on ${done.at} (its job ended before the review closed)`,
          }
        : { status: 'gone', detail: 'no longer held when the review closed' },
    );
  }
  for (const c of input.plan.changes) {
    const k = itemKey(c.email, c.item);
    if (!outcomes.has(k)) outcomes.set(k, { status: 'unknown', detail: 'the job did not report it' });
  }
  // An item an earlier job carried out another decision for (the decision changed since): said.
  for (const p of input.review.people)
    for (const item of p.access) {
      const k = itemKey(p.email, item);
      const done = before.get(k);
      if (!done || done.decision === item.decision) continue;
      const o = outcomes.get(k);
      const note = `this review's close on ${done.at} carried out "${done.decision}" before the decision became "${item.decision ?? ''}"`;
      outcomes.set(k, { status: o?.status ?? 'kept', detail: o?.detail ? `${o.detail}; ${note}` : note });
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
