/**
 * Verify Evidence: the chain of a folder's evidence recomputed (core/review/evidence.ts
 * verifyChain), each last file anchored by the `closed.sha256` its review recorded. It names the
 * first file that was changed, and why.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VerifyResult } from '../../core/review/evidence';
import { parseReview } from '../../core/review/parse';
import { REVIEW_SUFFIX } from '../../core/review/review';
import { EVIDENCE_SUFFIX, verifyChain } from '../../core/review/evidence';
import { isReviewFile, type ReviewDeps } from './reviewFile';

const today = () => new Date().toISOString().slice(0, 10);

/** The folder to verify: the given file's or folder's, the active review's, or one picked among those holding evidence. */
async function evidenceFolder(deps: ReviewDeps, arg: unknown): Promise<vscode.Uri> {
  if (arg instanceof vscode.Uri) {
    const stat = await vscode.workspace.fs.stat(arg);
    return stat.type & vscode.FileType.Directory ? arg : vscode.Uri.joinPath(arg, '..');
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active && (isReviewFile(active) || active.uri.path.endsWith(EVIDENCE_SUFFIX)))
    return vscode.Uri.joinPath(active.uri, '..');
  const found = await vscode.workspace.findFiles(`**/*${EVIDENCE_SUFFIX}`, '**/node_modules/**', 1000);
  const folders = [
    ...new Map(found.map((u) => [vscode.Uri.joinPath(u, '..').toString(), vscode.Uri.joinPath(u, '..')])).values(),
  ];
  if (!folders.length)
    throw new Error(vscode.l10n.t('No evidence in the workspace: evidence is written when a review closes.'));
  if (folders.length === 1) return folders[0];
  const picked = await vscode.window.showQuickPick(
    folders.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: vscode.l10n.t('Verify the evidence in which folder?'), ignoreFocusOut: true },
  );
  if (!picked) throw deps.kit.cancelled();
  return picked.uri;
}

const readOrUndefined = async (uri: vscode.Uri): Promise<Uint8Array | undefined> => {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
};

/** The chain of one folder: its evidence, the files they name, and the anchors its reviews recorded. */
export async function verifyFolder(folder: vscode.Uri): Promise<VerifyResult> {
  const entries = (await vscode.workspace.fs.readDirectory(folder)).filter(([, t]) => t === vscode.FileType.File);
  const found = await Promise.all(
    entries
      .filter(([n]) => n.endsWith(EVIDENCE_SUFFIX))
      .map(async ([file]) => ({ file, bytes: await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, file)) })),
  );
  // The Markdown and CSV each evidence names, read beforehand: the check itself is synchronous.
  const named = new Set<string>();
  for (const f of found) {
    try {
      const e = JSON.parse(Buffer.from(f.bytes).toString('utf8')) as { files?: Record<string, { file?: unknown }> };
      for (const part of Object.values(e.files ?? {}))
        if (typeof part?.file === 'string' && path.posix.basename(part.file) === part.file) named.add(part.file);
    } catch {
      // verifyChain names it.
    }
  }
  const siblings = new Map<string, Uint8Array>();
  for (const file of named) {
    const bytes = await readOrUndefined(vscode.Uri.joinPath(folder, file));
    if (bytes) siblings.set(file, bytes);
  }
  const anchors = new Map<string, string>();
  for (const [name] of entries.filter(([n]) => n.endsWith(REVIEW_SUFFIX))) {
    const bytes = await readOrUndefined(vscode.Uri.joinPath(folder, name));
    const closed = bytes && parseReview(Buffer.from(bytes).toString('utf8'), today()).review?.closed;
    if (closed) anchors.set(closed.evidence, closed.sha256);
  }
  return verifyChain(found, (file) => siblings.get(file), anchors);
}

export async function verifyCommand(deps: ReviewDeps, arg?: unknown): Promise<VerifyResult> {
  const folder = await evidenceFolder(deps, arg);
  const where = vscode.workspace.asRelativePath(folder);
  const result = await verifyFolder(folder);
  if (result.ok) {
    if (!result.files.length)
      throw new Error(vscode.l10n.t('No evidence in {0}: evidence is written when a review closes.', where));
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Evidence verified: {0} file(s) in {1}, each unchanged and chained to the one before.',
        result.files.length,
        where,
      ),
    );
    return result;
  }
  deps.log.warn(`evidence in ${where}: ${result.file}: ${result.why}`);
  const open = vscode.l10n.t('Open File');
  void vscode.window
    .showErrorMessage(vscode.l10n.t('Evidence check failed in {0}: {1}: {2}.', where, result.file, result.why), open)
    .then(async (picked) => {
      if (picked === open)
        await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, result.file), { preview: false });
    });
  return result;
}
