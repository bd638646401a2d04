/**
 * Sign Off: the reviewer's name and email (from the git configuration of the folder when there is
 * one, asked otherwise) written as the file's `signoff:`, then saved. A CodeLens at the top of an
 * open, decided review offers it.
 */
import * as vscode from 'vscode';
import { withSignOff } from '../../core/review/finish';
import type { SignOff } from '../../core/review/review';
import { baseName, gitConfig, isEmail, replaceText, reviewDocument } from './common';
import type { ReviewDocuments } from './documents';
import type { ReviewDeps } from './reviewFile';

/** Who signs: git's user.name and user.email in the file's folder, each asked for when git has none. */
async function signer(deps: ReviewDeps, doc: vscode.TextDocument): Promise<{ name: string; email: string }> {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri ?? vscode.Uri.joinPath(doc.uri, '..');
  const [gitName, gitEmail] = await Promise.all([
    gitConfig(folder, 'user.name', deps.kit.trusted()),
    gitConfig(folder, 'user.email', deps.kit.trusted()),
  ]);
  const title = vscode.l10n.t('Sign Off {0}', baseName(doc.uri));
  const ask = async (options: vscode.InputBoxOptions) => {
    const v = await vscode.window.showInputBox({ title, ignoreFocusOut: true, ...options });
    if (v === undefined) throw deps.kit.cancelled();
    return v.trim();
  };
  const name =
    gitName ??
    (await ask({
      prompt: vscode.l10n.t('Your name, as the evidence records who signed off'),
      validateInput: (t) => (t.trim() ? undefined : vscode.l10n.t('Your name is needed.')),
    }));
  const email =
    gitEmail && isEmail(gitEmail)
      ? gitEmail
      : await ask({
          prompt: vscode.l10n.t('Your email'),
          value: gitEmail ?? '',
          validateInput: (t) => (isEmail(t) ? undefined : vscode.l10n.t('"{0}" is not an email.', t.trim())),
        });
  return { name, email };
}

export async function signOffCommand(
  deps: ReviewDeps,
  documents: ReviewDocuments,
  arg?: unknown,
): Promise<SignOff | undefined> {
  const doc = await reviewDocument(deps, arg);
  const parsed = documents.read(doc);
  const review = parsed.review;
  if (!review)
    throw new Error(
      vscode.l10n.t('{0} is not an access review that can be read: fix the problems listed first.', baseName(doc.uri)),
    );
  if (review.closed)
    throw new Error(
      vscode.l10n.t('{0} closed on {1}: it is read-only.', baseName(doc.uri), review.closed.at.slice(0, 10)),
    );
  const undecided = review.people.reduce((n, p) => n + p.access.filter((i) => !i.decision).length, 0);
  if (undecided)
    throw new Error(
      vscode.l10n.t(
        '{0} item(s) are undecided: a sign-off vouches for every decision, so decide each one first.',
        undecided,
      ),
    );
  const { name, email } = await signer(deps, doc);
  const signoff: SignOff = { name, email, at: new Date().toISOString() };
  await replaceText(doc, withSignOff(doc.getText(), signoff));
  deps.log.debug(`access review ${baseName(doc.uri)} signed off by ${email}`);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('{0} is signed off by {1}. Close it to apply the decisions.', baseName(doc.uri), name),
  );
  return signoff;
}

/**
 * The CodeLens at the top of a review: Sign Off once every item is decided, Close once signed off.
 */
export function signOffLenses(documents: ReviewDocuments, doc: vscode.TextDocument): vscode.CodeLens[] {
  const review = documents.read(doc).review;
  if (!review || review.closed) return [];
  const decided = review.people.every((p) => p.access.every((i) => !!i.decision));
  if (!decided) return [];
  const top = new vscode.Range(0, 0, 0, 0);
  return review.signoff
    ? [
        new vscode.CodeLens(top, {
          title: vscode.l10n.t('$(check-all) Close Access Review…'),
          command: 'workspaceAccess.review.close',
          arguments: [doc.uri],
        }),
      ]
    : [
        new vscode.CodeLens(top, {
          title: vscode.l10n.t('$(pass) Sign Off'),
          command: 'workspaceAccess.review.signOff',
          arguments: [doc.uri],
        }),
      ];
}
