/**
 * What the review commands share: the review a command acts on, the file's name, reading live for
 * several connections side by side, matching a review's connections to stored ones, edits of the
 * file's text, private files, and the git configuration.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LiveState } from '../../core/access/live';
import { writePrivateFile } from '../../core/privateFile';
import type { ReviewConnection } from '../../core/review/review';
import type { ConnectionRead } from '../../core/review/start';
import type { ConnectionInfo } from '../connectionStore';
import { isReviewFile, REVIEW_FILE_GLOB, type ReviewDeps } from './reviewFile';

export const baseName = (uri: vscode.Uri): string => path.posix.basename(uri.path);

/** An email as a reviewer or a sign-off gives it. */
export const isEmail = (text: string): boolean => /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/.test(text.trim());

/** The review file a command acts on: the one given, the active or a visible one, or one picked from the workspace. */
export async function reviewDocument(deps: ReviewDeps, arg: unknown): Promise<vscode.TextDocument> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active && isReviewFile(active)) return active;
  const visible = vscode.window.visibleTextEditors.find((e) => isReviewFile(e.document));
  if (visible) return visible.document;
  const found = await vscode.workspace.findFiles(REVIEW_FILE_GLOB, '**/node_modules/**', 100);
  if (found.length === 0)
    throw new Error(
      vscode.l10n.t('No access review is open or in the workspace. Run "Start Access Review…" to start one.'),
    );
  if (found.length === 1) return vscode.workspace.openTextDocument(found[0]);
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: vscode.l10n.t('Which access review?'), ignoreFocusOut: true },
  );
  if (!picked) throw deps.kit.cancelled();
  return vscode.workspace.openTextDocument(picked.uri);
}

/** Replaces the document's text with `text` (only the part that differs), and saves it. */
export async function replaceText(doc: vscode.TextDocument, text: string): Promise<void> {
  const old = doc.getText();
  let start = 0;
  while (start < old.length && start < text.length && old[start] === text[start]) start++;
  let end = 0;
  while (
    end < old.length - start &&
    end < text.length - start &&
    old[old.length - 1 - end] === text[text.length - 1 - end]
  )
    end++;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(
    doc.uri,
    new vscode.Range(doc.positionAt(start), doc.positionAt(old.length - end)),
    text.slice(start, text.length - end),
  );
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new Error(vscode.l10n.t('{0} could not be edited.', baseName(doc.uri)));
  if (!(await doc.save())) throw new Error(vscode.l10n.t('{0} could not be saved.', baseName(doc.uri)));
}

/** A file that names people: private to its owner from its first byte where the file system has modes. */
export async function writePrivate(uri: vscode.Uri, text: string): Promise<void> {
  if (uri.scheme === 'file') {
    // As the workspace's file system does, its folder (reviews/) is made when missing.
    await mkdir(path.dirname(uri.fsPath), { recursive: true });
    writePrivateFile(uri.fsPath, text);
  } else await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
}

/**
 * `git config <key>` in the folder, or undefined when git or the value is missing, or when the folder
 * is not trusted (git reads the repository's own config, as VS Code's Git does only in a trusted
 * folder): the person is asked instead. No shell.
 */
export function gitConfig(folder: vscode.Uri | undefined, key: string, trusted: boolean): Promise<string | undefined> {
  if (!trusted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(
      'git',
      ['config', '--get', key],
      { cwd: folder?.scheme === 'file' ? folder.fsPath : undefined, timeout: 5000, windowsHide: true },
      (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined),
    );
  });
}

/** Short unique keys from the connections' labels: "Code Voices" → `code-voices`. */
export function connectionKeys(connections: readonly ConnectionInfo[]): Map<string, string> {
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  for (const c of connections) {
    const base =
      c.label
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 24)
        .replace(/-+$/, '') || c.platform;
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
    taken.add(key);
    keys.set(c.id, key);
  }
  return keys;
}

/** The stored connection a review's connection names: same platform, and its name is the connection's label or organization. */
export function storedFor(
  conn: Pick<ReviewConnection, 'platform' | 'name' | 'key'>,
  stored: readonly ConnectionInfo[],
): ConnectionInfo | undefined {
  const same = stored.filter((c) => c.platform === conn.platform);
  const named = (c: ConnectionInfo) =>
    [c.label, c.tenantId, c.tenantName, c.account?.name].some(
      (n) => !!n && n.toLowerCase() === conn.name.toLowerCase(),
    );
  return same.find((c) => c.label === conn.name) ?? same.find(named);
}

/** Each connection read from live, side by side, in one cancellable notification. */
export async function readConnections(
  deps: ReviewDeps,
  title: string,
  wanted: readonly { readonly key: string; readonly name: string; readonly connection: ConnectionInfo }[],
  alongside?: (signal: AbortSignal) => Promise<void>,
): Promise<ConnectionRead[]> {
  return deps.kit.withProgress(title, async (signal, onSettled) => {
    const progress = new Map<string, { done: number; total: number }>();
    const report = () => {
      let done = 0;
      let total = 0;
      for (const p of progress.values()) {
        done += p.done;
        total += p.total;
      }
      onSettled(done, total);
    };
    const [reads] = await Promise.all([
      Promise.all(
        wanted.map(async (w): Promise<ConnectionRead> => {
          const provider = deps.sessions.provider(w.connection);
          let live: LiveState;
          try {
            live = await deps.kit.readLive(provider, undefined, {
              concurrency: deps.kit.concurrency(),
              signal,
              onProgress: (done, total) => {
                progress.set(w.key, { done, total });
                report();
              },
            });
          } catch (err) {
            signal.throwIfAborted();
            throw new Error(
              vscode.l10n.t(
                'Could not read {0}: {1}',
                w.connection.label,
                err instanceof Error ? err.message : String(err),
              ),
            );
          }
          return { key: w.key, platform: w.connection.platform, name: w.name, provider, live };
        }),
      ),
      alongside?.(signal),
    ]);
    return reads;
  });
}
