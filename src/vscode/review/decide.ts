/**
 * Deciding from CodeLens: keep all, revoke all, or one item's keep, revoke or lower role, written
 * into the file as the person would type it (a reason asked for anything but keep). The edit is an
 * ordinary edit of the document: undo takes it back, and saving is the person's.
 */
import * as vscode from 'vscode';
import { decideItemText, itemExtent } from '../../core/review/decideText';
import { itemKey, KEEP, lowerRoles, REVOKE, roleNamed } from '../../core/review/review';
import type { ReviewDocuments } from './documents';
import { connectionOf } from './lenses';
import { isReviewFile } from './reviewFile';

const asStrings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;

export async function decideCommand(documents: ReviewDocuments, ...args: unknown[]): Promise<unknown> {
  const [uri, email, keys, decision] = args;
  if (!(uri instanceof vscode.Uri) || typeof email !== 'string' || !asStrings(keys) || typeof decision !== 'string')
    throw new Error(vscode.l10n.t('Decide from the CodeLens above a person or an item of an open access review.'));
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!isReviewFile(doc)) throw new Error(vscode.l10n.t('{0} is not an access review.', uri.fsPath));
  const lines = documents.lines(doc);
  if (!lines) throw new Error(vscode.l10n.t('The review does not read: fix the problems shown in it first.'));
  if (lines.review.closed)
    throw new Error(
      vscode.l10n.t('This review closed on {0} and is read-only.', lines.review.closed.at.slice(0, 10) || '?'),
    );
  const version = doc.version;
  const wanted = new Set(asStrings(keys));
  const found = lines.items.filter(
    (x) => x.person.email.toLowerCase() === email.toLowerCase() && wanted.has(itemKey(email, x.item)),
  );
  if (found.length !== wanted.size)
    throw new Error(
      vscode.l10n.t(
        '{0} items of {1} are no longer in the review as they were: look again.',
        wanted.size - found.length,
        email,
      ),
    );
  const lower = decision.toLowerCase();
  const chosen = lower === KEEP || lower === REVOKE ? lower : undefined;
  let written = chosen ?? decision;
  for (const x of found) {
    if (x.item.via === 'creator' && lower !== KEEP)
      throw new Error(vscode.l10n.t("{0}'s creator always keeps admin on it: decide keep.", x.item.name));
    if (chosen) continue;
    const named = roleNamed(lowerRoles(connectionOf(lines.review, x.item), x.item), decision);
    if (!named) throw new Error(vscode.l10n.t('{0} is not a lower role of {1} for {2}.', decision, x.item.name, email));
    written = named.label;
  }
  let reason: string | undefined;
  if (lower !== KEEP) {
    const what =
      lower === REVOKE
        ? found.length === 1
          ? vscode.l10n.t('Why revoke {0} of {1}?', found[0].item.name, email)
          : vscode.l10n.t('Why revoke all {0} items of {1}?', found.length, email)
        : vscode.l10n.t('Why lower {0} of {1} to {2}?', found[0].item.name, email, written);
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Access review: reason'),
      prompt: what,
      placeHolder: vscode.l10n.t('e.g. moved teams, no longer needs it'),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A reason is needed for anything but keep.')),
    });
    if (typed === undefined) return undefined; // Escape: nothing changes.
    reason = typed.trim();
    if (!reason) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('A reason is needed for anything but keep: nothing was changed.'),
      );
      return undefined;
    }
  }
  // The document may have moved while the reason was asked: the places were read from that version.
  if (doc.version !== version) throw new Error(vscode.l10n.t('The review changed while deciding: try again.'));
  const text = doc.getText();
  const edit = new vscode.WorkspaceEdit();
  for (const x of found) {
    const [start, end] = itemExtent(text, x.span);
    const next = decideItemText(text.slice(start, end), written, reason);
    if (next === undefined)
      throw new Error(vscode.l10n.t('Line {0} is not one item on one line: decide it by typing.', x.itemLine + 1));
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(end)), next);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('The review could not be edited.'));
  documents.check(doc);
  return found.length;
}
