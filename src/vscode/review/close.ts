/**
 * Close Access Review: refuses until every item is decided and the review is signed off; reads live
 * for the review's connections, shows the plan in the diff editor, confirms (typed when a change
 * takes away the key's own account, an owner or the last admin), applies it as one journaled job,
 * and writes the evidence beside the review, which is marked closed. A closed review sends nothing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeItem } from '../../core/changes/change';
import type { ClosePlan } from '../../core/review/close';
import type { OutcomeStatus } from '../../core/review/evidence';
import { itemKey, KEEP, type Review } from '../../core/review/review';
import { baseName, readConnections, replaceText, reviewDocument, storedFor, writePrivate } from './common';
import { closeTexts } from './closeView';
import type { ReviewDocuments } from './documents';
import { closePlan } from '../../core/review/close';
import { describeChange } from '../../core/changes/words';
import { evidenceBase, EVIDENCE_SUFFIX } from '../../core/review/evidence';
import {
  changeKeyOf,
  closeLedgerEntries,
  closeLedgerName,
  finishReview,
  latestEvidence,
  notReady,
} from '../../core/review/finish';
import { pruneLedgers, readLedger, removeLedger } from '../../core/jobs/ledger';
import type { ReviewDeps } from './reviewFile';

export interface CloseResult {
  readonly plan?: ClosePlan;
  /** The evidence files written, when the review closed. */
  readonly evidence?: readonly vscode.Uri[];
  /** What was sent: the job's items. */
  readonly sent: number;
}

/** Why a change needs the typed confirmation, in words. */
const cautionWords = (caution: string | undefined): string =>
  caution === 'self'
    ? vscode.l10n.t('the account of the key this connection uses')
    : caution === 'owner'
      ? vscode.l10n.t('an owner')
      : caution === 'last-admin'
        ? vscode.l10n.t('the last admin')
        : '';

/** The folder's evidence JSON files other than `own`, with their bytes, for the chain's `previous`. */
async function previousEvidence(folder: vscode.Uri, own: string) {
  const entries = await vscode.workspace.fs.readDirectory(folder);
  const found = await Promise.all(
    entries
      .filter(([n, t]) => t === vscode.FileType.File && n.endsWith(EVIDENCE_SUFFIX) && n !== own)
      .map(async ([file]) => ({ file, bytes: await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, file)) })),
  );
  return latestEvidence(found);
}

export async function closeCommand(deps: ReviewDeps, documents: ReviewDocuments, arg?: unknown): Promise<CloseResult> {
  const ready = await readyToClose(deps, documents, arg);
  if (!ready) return { sent: 0 };
  const { doc, file, review } = ready;
  const title = vscode.l10n.t('Close {0}', file);
  const ledger = ledgerOf(deps, doc, review, file);
  const { plan, connectionOf, waiting } = await showPlan(deps, review, file);
  await confirmClose(deps, plan, waiting, file, title);
  const sent = await sendPlan(deps, plan, connectionOf, title, ledger);
  if (sent.unsent) {
    // A job cancelled or paused part-way leaves changes unsent: the review stays open, so closing it
    // again sends the rest (what was sent is then no longer held) instead of closing it with them undone.
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} stays open: {1} of {2} change(s) were not sent. Close it again to send the rest.',
        file,
        sent.unsent,
        sent.items,
      ),
    );
    return { plan, sent: sent.items - sent.unsent };
  }
  return finish(deps, doc, review, plan, sent.outcomes, ledger);
}

/**
 * The review, saved and read, when it can close now. A closed review, or one not decided and
 * signed off, is said in a message (with Sign Off when that is all it lacks) and gives `undefined`.
 * Throws in Restricted Mode, and for a file that does not save or does not read as a review.
 */
async function readyToClose(deps: ReviewDeps, documents: ReviewDocuments, arg: unknown) {
  const doc = await reviewDocument(deps, arg);
  const file = baseName(doc.uri);
  deps.kit.refuseUntrusted(vscode.l10n.t('Close Access Review'));
  if (doc.isDirty && !(await doc.save())) throw new Error(vscode.l10n.t('{0} could not be saved.', file));
  const parsed = documents.read(doc);
  const review = parsed.review;
  if (!review) {
    const first = parsed.problems.find((p) => p.severity === 'error');
    throw new Error(
      vscode.l10n.t(
        '{0} cannot be read as an access review{1}',
        file,
        first ? `: line ${doc.positionAt(first.at[0]).line + 1}: ${first.message}` : '.',
      ),
    );
  }
  if (review.closed) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        '{0} closed on {1}: nothing was sent. Its evidence is {2}.',
        file,
        review.closed.at.slice(0, 10),
        review.closed.evidence,
      ),
    );
    return undefined;
  }
  const why = notReady(review, parsed.problems);
  if (why) {
    const signOff = vscode.l10n.t('Sign Off');
    const onlySignOff =
      !review.signoff &&
      notReady({ ...review, signoff: { name: '-', email: '-', at: '-' } }, parsed.problems) === undefined;
    void vscode.window
      .showErrorMessage(vscode.l10n.t('{0} cannot close yet: {1}', file, why), ...(onlySignOff ? [signOff] : []))
      .then(
        (picked) => picked === signOff && vscode.commands.executeCommand('workspaceAccess.review.signOff', doc.uri),
      );
    return undefined;
  }
  return { doc, file, review };
}

/**
 * The ledger of what this review's close jobs did, kept until it closes: a job cut short (cancelled,
 * or resumed after a reload) leaves the review open, and the close that follows records those
 * changes as done. Refuses while a close's job has not ended (paused, interrupted, running in
 * another window): its changes would be sent twice.
 */
function ledgerOf(deps: ReviewDeps, doc: vscode.TextDocument, review: Review, file: string): string {
  pruneLedgers(deps.jobs.ledgerDir);
  const ledger = path.join(deps.jobs.ledgerDir, closeLedgerName(doc.uri.toString(), review.snapshot));
  const unfinished = deps.jobs.unfinishedWith(ledger);
  if (unfinished.length)
    throw new Error(
      vscode.l10n.t(
        '{0}: its close "{1}" has not finished. Resume it (Workspace Access: Resume Interrupted Bulk Jobs), or discard it, then close again. Nothing was sent.',
        file,
        unfinished[0].title,
      ),
    );
  return ledger;
}

/**
 * Reads live for the review's stored connections and shows the plan in the diff editor. A review
 * connection with no stored connection is named; if decisions wait on it, nothing more happens.
 */
async function showPlan(deps: ReviewDeps, review: Review, file: string) {
  const stored = deps.store.list();
  const matched = review.connections.map((c) => ({ review: c, connection: storedFor(c, stored) }));
  const missing = matched.filter((m) => !m.connection).map((m) => m.review);
  const decidedAt = (key: string) =>
    review.people.reduce(
      (n, p) => n + p.access.filter((i) => i.at === key && i.decision && i.decision !== KEEP).length,
      0,
    );
  const waiting = missing.map((c) =>
    vscode.l10n.t(
      '{0} ({1} "{2}") has no stored connection: {3} decision(s) wait. Add a connection to it and close again.',
      c.key,
      deps.kit.platformLabel(c.platform),
      c.name,
      decidedAt(c.key),
    ),
  );
  const connectionOf = new Map(matched.flatMap((m) => (m.connection ? [[m.review.key, m.connection]] : [])));
  const reads = await readConnections(
    deps,
    vscode.l10n.t('Reading live access for {0}…', file),
    matched.flatMap((m) =>
      m.connection ? [{ key: m.review.key, name: m.review.name, connection: m.connection }] : [],
    ),
  );
  const plan = closePlan(review, reads);
  const texts = closeTexts(review, reads, plan, waiting);
  await vscode.commands.executeCommand(
    'vscode.diff',
    deps.previews.put(`review-now/${file}`, texts.before),
    deps.previews.put(`review-after/${file}`, texts.after),
    vscode.l10n.t('Now ↔ after closing {0} ({1} change(s))', file, plan.changes.length),
    { preview: false },
  );
  if (missing.some((c) => decidedAt(c.key) > 0)) throw new Error(waiting.join(' '));
  return { plan, connectionOf, waiting };
}

/** The modal (what changes, what is kept, the first changes), then the typed number when a change needs care. */
async function confirmClose(
  deps: ReviewDeps,
  plan: ClosePlan,
  waiting: readonly string[],
  file: string,
  title: string,
): Promise<void> {
  const shown = plan.changes.slice(0, 12).map((c) => `• ${c.email}: ${describeChange(c.change)}`);
  const cautions = plan.changes.filter((c) => c.caution);
  const detail = [
    vscode.l10n.t(
      '{0} change(s), {1} kept, {2} no longer held, {3} granted after the review started (named, not revoked).',
      plan.changes.length,
      plan.kept,
      plan.gone.length,
      plan.unreviewed.length,
    ),
    ...waiting,
    ...cautions.map((c) =>
      vscode.l10n.t('Needs a typed confirmation: {0} ({1}).', describeChange(c.change), cautionWords(c.caution)),
    ),
    '',
    ...shown,
    ...(plan.changes.length > shown.length
      ? [vscode.l10n.t('…and {0} more (the diff lists them all).', plan.changes.length - shown.length)]
      : []),
  ].join('\n');
  await deps.kit.confirm(
    plan.changes.length
      ? vscode.l10n.t('Apply {0} change(s) and close {1}?', plan.changes.length, file)
      : vscode.l10n.t('Close {0}? Nothing needs to be sent.', file),
    detail,
    plan.changes.length ? vscode.l10n.t('Apply') : vscode.l10n.t('Close Review'),
  );
  if (cautions.length)
    await deps.kit.confirmByTyping(
      title,
      cautions.map((c) => `${describeChange(c.change)}: ${cautionWords(c.caution)}.`).join(' '),
      String(plan.changes.length),
    );
}

/**
 * Sends the plan's changes as one journaled job whose done items reach the ledger. Each outcome is
 * keyed by its review item; `unsent` counts what a cancel or a pause left.
 */
async function sendPlan(
  deps: ReviewDeps,
  plan: ClosePlan,
  connectionOf: ReadonlyMap<string, { readonly id: string }>,
  title: string,
  ledger: string,
) {
  const outcomes = new Map<string, { status: OutcomeStatus; detail?: string }>();
  const sendable = plan.changes.flatMap((change) => {
    const connectionId = connectionOf.get(change.at)?.id;
    return connectionId ? [{ change, connectionId, jobKey: changeKeyOf(change, connectionId) }] : [];
  });
  if (!sendable.length) return { outcomes, items: 0, unsent: 0 };
  const items: ChangeItem[] = sendable.map(({ change, connectionId }) => ({ connectionId, change: change.change }));
  const results = await deps.jobs.run(
    deps.kit.across,
    title,
    { kind: 'access', items },
    { ledger: { file: ledger, entries: closeLedgerEntries(sendable) } },
  );
  const byJobKey = new Map(sendable.map(({ change, jobKey }) => [jobKey, itemKey(change.email, change.item)]));
  for (const o of results) {
    const key = byJobKey.get(o.item.key);
    if (key) outcomes.set(key, { status: o.status, ...('reason' in o ? { detail: o.reason } : {}) });
  }
  for (const id of new Set(items.map((i) => i.connectionId))) {
    const c = deps.store.get(id);
    if (c) deps.sessions.provider(c).invalidate();
  }
  deps.tree.refresh();
  return { outcomes, items: items.length, unsent: results.filter((o) => o.status === 'skipped').length };
}

async function finish(
  deps: ReviewDeps,
  doc: vscode.TextDocument,
  review: Review,
  plan: ClosePlan,
  outcomes: ReadonlyMap<string, { status: OutcomeStatus; detail?: string }>,
  ledger: string,
): Promise<CloseResult> {
  const file = baseName(doc.uri);
  const folder = vscode.Uri.joinPath(doc.uri, '..');
  const finished = finishReview({
    review,
    text: doc.getText(),
    file,
    plan,
    outcomes,
    closed: new Date().toISOString(),
    previous: await previousEvidence(folder, `${evidenceBase(file)}${EVIDENCE_SUFFIX}`),
    earlier: readLedger(ledger),
  });
  const { names } = finished.evidence;
  const written = [
    [names.markdown, finished.evidence.markdown],
    [names.csv, finished.evidence.csv],
    [names.json, finished.evidence.json],
  ].map(([name, text]) => ({ uri: vscode.Uri.joinPath(folder, name), text }));
  for (const w of written) await writePrivate(w.uri, w.text);
  await replaceText(doc, finished.text);
  removeLedger(ledger);
  const counts = finished.evidence.evidence.counts;
  const sent = [...outcomes.values()].length;
  deps.log.info(`access review ${file} closed: ${counts.done} changed, ${counts.kept} kept, ${counts.gone} gone`);
  const open = vscode.l10n.t('Open Evidence');
  const failed = counts.failed + counts.unknown + counts.skipped;
  const message = vscode.l10n.t(
    'Review closed: {0} changed, {1} kept, {2} no longer held.',
    counts.done,
    counts.kept,
    counts.gone,
  );
  const show = failed
    ? vscode.window.showWarningMessage(
        `${message} ${vscode.l10n.t('{0} change(s) did not go through: the evidence says which and why.', failed)}`,
        open,
      )
    : vscode.window.showInformationMessage(message, open);
  void show.then(async (picked) => {
    if (picked === open) await vscode.window.showTextDocument(written[0].uri, { preview: false });
  });
  return { plan, evidence: written.map((w) => w.uri), sent };
}
