/**
 * Export Access to File…, Plan, Apply and the quick fix that accepts a live value: the commands
 * of the access file. Plan shows live (as the same YAML) against the file in the diff editor and
 * never writes; Apply plans again, confirms, and runs the plan as one journaled job.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { changeKey, type ChangeItem } from '../../core/changes/change';
import type { AccessFileFacts } from '../../core/access/facts';
import type { Identity } from '../../core/provider';
import type { Fix, ParsedFile, Problem } from '../../core/access/parse';
import { rememberInvited } from '../../core/access/invited';
import { recordInvitations } from '../../core/access/repoRecord';
import { readLive } from '../../core/access/live';
import type { FilePlan } from '../../core/access/plan';
import type { Recorded } from '../../core/access/repoRecord';
import { renderAccessFile, renderLive, type RenderEntry } from '../../core/access/render';
import { cautionWords, countsLine, planMarkdown } from '../../core/access/words';
import { describeChange } from '../../core/changes/words';
import { PLATFORMS } from '../../providers';
import type { ConnectionInfo } from '../connectionStore';
import { READ_ONLY_SCHEME } from '../documents';
import { ACROSS } from '../jobs/jobRunner';
import { confirm, confirmByTyping, pickConnections, UserCancelled } from '../prompts';
import { withJobProgress } from '../jobs/progress';
import { maxConcurrency } from '../settings';
import type { AccessFiles } from './openFiles';
import { fixEdit } from './editing';
import { ACCESS_FILE_GLOB, isAccessFile, refuseUntrusted } from './accessFile';

export { codeActions, complete, hover } from './editing';

const fileName = (doc: vscode.TextDocument) => path.basename(doc.uri.path);
const lineOf = (doc: vscode.TextDocument) => (p: Pick<Problem, 'at'>) => doc.positionAt(p.at[0]).line + 1;

/** The access file a command acts on: the one given, the active or a visible one, or the workspace's. */
async function accessDocument(arg: unknown): Promise<vscode.TextDocument> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active && isAccessFile(active)) return active;
  const visible = vscode.window.visibleTextEditors.find((e) => isAccessFile(e.document));
  if (visible) return visible.document;
  const found = await vscode.workspace.findFiles(ACCESS_FILE_GLOB, '**/node_modules/**', 50);
  if (found.length === 0)
    throw new Error(
      vscode.l10n.t(
        'No access file is open or in the workspace. Run "Export Access to File…" to write one, or open a workspace-access.yaml.',
      ),
    );
  if (found.length === 1) return vscode.workspace.openTextDocument(found[0]);
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: vscode.l10n.t('Which access file?') },
  );
  if (!picked) throw new UserCancelled();
  return vscode.workspace.openTextDocument(picked.uri);
}

/** Plan and Apply refuse a file with errors, and say the first one and where. */
function refuseErrors(doc: vscode.TextDocument, problems: readonly Problem[], what: string): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (!errors.length) return;
  const first = errors[0];
  const more = errors.length > 1 ? vscode.l10n.t(' (and {0} more in Problems)', errors.length - 1) : '';
  throw new Error(
    vscode.l10n.t('{0} refuses {1}: line {2}: {3}{4}', what, fileName(doc), lineOf(doc)(first), first.message, more),
  );
}

async function planWithProgress(
  files: AccessFiles,
  doc: vscode.TextDocument,
  title: string,
): Promise<{ parsed: ParsedFile; plan: FilePlan }> {
  const { parsed, plan, findings } = await withJobProgress(title, (signal, onSettled) =>
    files.plan(doc, true, signal, onSettled),
  );
  files.show(doc, [...parsed.problems, ...(plan?.findings ?? findings ?? [])]);
  if (!plan) throw new Error(vscode.l10n.t('{0} has errors: they are listed in Problems.', fileName(doc)));
  return { parsed, plan };
}

export async function planCommand(files: AccessFiles, arg?: unknown): Promise<FilePlan> {
  const doc = await accessDocument(arg);
  refuseUntrusted(vscode.l10n.t('Plan'));
  refuseErrors(doc, files.parse(doc).problems, vscode.l10n.t('Plan'));
  files.allow(doc.uri);
  const { parsed, plan } = await planWithProgress(files, doc, vscode.l10n.t('Planning {0}…', fileName(doc)));
  // As Apply: what cannot be done (a connection the file cannot name, a role it does not have) is fixed first.
  refuseErrors(doc, plan.findings, vscode.l10n.t('Plan'));
  const left = files.deps.previews.put(`live/${fileName(doc)}`, renderLive(parsed, plan));
  const counts = countsLine(plan);
  // An open diff keeps the title it was opened with: a stale one goes, the new one says this plan.
  await closePlanTabs(doc.uri);
  await vscode.commands.executeCommand(
    'vscode.diff',
    left,
    doc.uri,
    vscode.l10n.t('Live ↔ {0} ({1})', fileName(doc), counts),
    { preview: false },
  );
  files.shown(doc.uri, plan.changes.map(changeKey));
  const names = (id: string) => files.deps.store.get(id)?.label ?? id;
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('Plan for {0}: {1}. Nothing was sent.', fileName(doc), counts),
      ...(plan.changes.length ? [vscode.l10n.t('Apply…')] : []),
      vscode.l10n.t('Details'),
    )
    .then(async (picked) => {
      if (picked === vscode.l10n.t('Apply…'))
        await vscode.commands.executeCommand('workspaceAccess.access.apply', doc.uri);
      else if (picked === vscode.l10n.t('Details'))
        await files.deps.previews.show(planDetailsName(doc.uri), planMarkdown(plan, fileName(doc), lineOf(doc), names));
    });
  return plan;
}

export async function applyCommand(files: AccessFiles, arg?: unknown): Promise<unknown[]> {
  const doc = await accessDocument(arg);
  refuseUntrusted(vscode.l10n.t('Apply'));
  refuseErrors(doc, files.parse(doc).problems, vscode.l10n.t('Apply'));
  files.allow(doc.uri);
  const before = files.state(doc.uri)?.shown;
  const { plan } = await planWithProgress(
    files,
    doc,
    vscode.l10n.t('Planning {0} again before applying…', fileName(doc)),
  );
  refuseErrors(doc, plan.findings, vscode.l10n.t('Apply'));
  if (!plan.changes.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to apply: live matches {0}.', fileName(doc)));
    return [];
  }
  const keys = plan.changes.map(changeKey);
  const changed = before !== undefined && (before.length !== keys.length || before.some((k, i) => k !== keys[i]));
  const removals = plan.changes.filter((c) => c.kind === 'remove').length;
  const cautions = plan.changes.filter((c) => c.caution);
  const shown = plan.changes.slice(0, 12).map((c) => `• ${describeChange(c.change)}`);
  const detail = [
    ...(changed ? [vscode.l10n.t('Live access changed since the last Plan: this is the plan now.')] : []),
    `${countsLine(plan)}.`,
    ...(removals ? [vscode.l10n.t('{0} removal(s): what is removed is not restored from here.', removals)] : []),
    ...cautions.map((c) =>
      vscode.l10n.t('Needs a typed confirmation: {0} ({1}).', describeChange(c.change), cautionWords(c) ?? ''),
    ),
    '',
    ...shown,
    ...(plan.changes.length > shown.length
      ? [vscode.l10n.t('…and {0} more (Plan → Details lists them all).', plan.changes.length - shown.length)]
      : []),
  ].join('\n');
  await confirm(
    vscode.l10n.t('Apply {0} change(s) from {1}?', plan.changes.length, fileName(doc)),
    detail,
    vscode.l10n.t('Apply'),
  );
  if (cautions.length) {
    const subject = (c: (typeof cautions)[number]) =>
      'member' in c.change ? c.change.member.email : describeChange(c.change);
    const expected = cautions.length === 1 ? subject(cautions[0]) : vscode.l10n.t('{0} changes', cautions.length);
    await confirmByTyping(
      vscode.l10n.t('Apply {0}', fileName(doc)),
      cautions.map((c) => `${describeChange(c.change)}: ${cautionWords(c) ?? ''}.`).join(' '),
      expected,
    );
  }
  const items: ChangeItem[] = plan.changes.map((c) => ({ connectionId: c.connectionId, change: c.change }));
  // Taken now: the check after the job plans the file again.
  const recorded = files.recorded(doc.uri);
  const outcomes = await files.deps.jobs.run(ACROSS, vscode.l10n.t('Apply {0}', fileName(doc)), {
    kind: 'access',
    items,
  });
  await afterApply(
    files,
    outcomes.map((o) => ({ status: o.status, item: o.item.payload as ChangeItem })),
    recorded,
  );
  // The plan's diff, if open, shows what live was before: Plan again shows it now.
  await closePlanTabs(doc.uri);
  await files.check(doc, true);
  return outcomes;
}

/**
 * Closes a file's plan diffs and their Details (the plan in Markdown): both count the changes of the
 * plan they were opened for.
 */
async function closePlanTabs(uri: vscode.Uri): Promise<void> {
  const details = `/${planDetailsName(uri)}`;
  const stale = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter(
      (t) =>
        (t.input instanceof vscode.TabInputTextDiff &&
          t.input.modified.toString() === uri.toString() &&
          t.input.original.scheme === READ_ONLY_SCHEME) ||
        (t.input instanceof vscode.TabInputText &&
          t.input.uri.scheme === READ_ONLY_SCHEME &&
          t.input.uri.path.endsWith(details)),
    );
  if (stale.length) await vscode.window.tabGroups.close(stale, true);
}

/** The name of a plan's Details document. */
const planDetailsName = (uri: vscode.Uri) => `plan-${path.basename(uri.path)}.md`;

/**
 * Remembers the invitations that platforms cannot list (on this machine, and in the state file beside
 * a file on disk, as the command line's apply does), and forgets cached reads of what changed.
 */
async function afterApply(
  files: AccessFiles,
  outcomes: readonly { status: string; item: ChangeItem }[],
  recorded: Recorded | undefined,
): Promise<void> {
  if (recorded) await recordInRepository(files, outcomes, recorded);
  else {
    const cannotList = (id: string) => {
      const connection = files.deps.store.get(id);
      return !!connection && files.facts.find((f) => f.platform === connection.platform)?.invitationsListed === false;
    };
    rememberInvited(files.invited, outcomes, cannotList);
  }
  for (const id of new Set(outcomes.map((o) => o.item.connectionId))) {
    const connection = files.deps.store.get(id);
    if (connection) files.deps.sessions.provider(connection).invalidate();
  }
  files.deps.tree.refresh();
}

/** The invitations recorded in this machine's store and the state file; a changed state file is to be committed. */
async function recordInRepository(
  files: AccessFiles,
  outcomes: readonly { status: string; item: ChangeItem }[],
  recorded: Recorded,
): Promise<void> {
  try {
    const { written } = await recordInvitations(files.invited, outcomes, recorded, files.facts);
    if (written)
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Updated {0}: commit it, so every runner and colleague plans from it.',
          vscode.workspace.asRelativePath(written),
        ),
      );
  } catch (err) {
    // This machine's store was written first: only the repository's copy is missing.
    void vscode.window.showWarningMessage(err instanceof Error ? err.message : String(err));
  }
}

/** Which connections to export: every one is ticked, since one file usually holds them all. */
async function pickExported(all: readonly ConnectionInfo[], title: string): Promise<ConnectionInfo[]> {
  if (all.length === 0) return pickConnections(all, title, true);
  const picked = await vscode.window.showQuickPick(
    all.map((c) => ({ label: c.label, description: PLATFORMS[c.platform].label, picked: true, connection: c })),
    {
      title,
      canPickMany: true,
      ignoreFocusOut: true,
      placeHolder: vscode.l10n.t('The connections the file will hold'),
    },
  );
  if (!picked?.length) throw new UserCancelled();
  return picked.map((p) => p.connection);
}

/**
 * What an export names a connection by: its organization's id, the organization its key belongs
 * to (as the key says now), or the connection's name. The command line checks the same names.
 */
function exportName(c: ConnectionInfo, by: AccessFileFacts['match']['by'], identity: Identity | undefined): string {
  if (by === 'tenant' && c.tenantId) return c.tenantId;
  const account = identity?.name ?? c.account?.name;
  if (by === 'account' && account) return account;
  return c.label;
}

/** Keeps who the key acts as, read with live: the file is matched to the connection by it. */
async function keepAccount(files: AccessFiles, c: ConnectionInfo, identity: Identity | undefined): Promise<void> {
  if (identity && identity.name !== c.account?.name)
    await files.deps.store.setAccount(c.id, {
      name: identity.name,
      ...(identity.email ? { email: identity.email } : {}),
    });
}

/** Export Access to File…: `options` (tests, scripts) names the connections and the file instead of asking. */
export async function exportAccess(
  files: AccessFiles,
  options?: { connections?: readonly string[]; uri?: vscode.Uri },
): Promise<vscode.Uri> {
  const all = files.deps.store.list();
  const title = vscode.l10n.t('Export Access to File…');
  const chosen = options?.connections
    ? all.filter((c) => options.connections?.includes(c.id))
    : await pickExported(all, title);
  if (!chosen.length) throw new Error(vscode.l10n.t('No connection to export.'));
  const text = await withJobProgress(
    vscode.l10n.t('Reading live access of {0}…', chosen.map((c) => c.label).join(', ')),
    async (signal, onSettled) => {
      const entries = await Promise.all(
        chosen.map(async (c): Promise<RenderEntry> => {
          const facts = files.facts.find((f) => f.platform === c.platform);
          if (!facts) throw new Error(vscode.l10n.t('{0} has no access file format.', PLATFORMS[c.platform].label));
          const provider = files.deps.sessions.provider(c);
          try {
            const live = await readLive(provider, undefined, {
              concurrency: maxConcurrency(),
              signal,
              onProgress: onSettled,
            });
            await keepAccount(files, c, live.identity);
            return { facts, name: exportName(c, facts.match.by, live.identity), provider, live };
          } catch (err) {
            signal.throwIfAborted();
            throw new Error(
              vscode.l10n.t('Could not read {0}: {1}', c.label, err instanceof Error ? err.message : String(err)),
            );
          }
        }),
      );
      return renderAccessFile(entries);
    },
  );
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    options?.uri ??
    (await vscode.window.showSaveDialog({
      title,
      defaultUri: folder ? vscode.Uri.joinPath(folder, 'workspace-access.yaml') : undefined,
      filters: { YAML: ['yaml'] },
      saveLabel: vscode.l10n.t('Export'),
    }));
  if (!uri) throw new UserCancelled();
  // It names people: a new file is private to its owner until they choose to share it (by a commit).
  if (uri.scheme === 'file') fs.writeFileSync(uri.fsPath, text, { mode: 0o600 });
  else await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  files.deps.log.info(`exported the access of ${chosen.length} connection(s)`);
  return uri;
}

/** The quick fix "Accept live value into the file". */
export async function acceptLive(_files: AccessFiles, uri: unknown, fix: unknown): Promise<boolean> {
  if (!(uri instanceof vscode.Uri) || !fix) return false;
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = fixEdit(doc.getText(), fix as Fix);
  if (!edit) throw new Error(vscode.l10n.t('This line cannot be rewritten automatically: edit it by hand.'));
  const we = new vscode.WorkspaceEdit();
  we.replace(uri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.text);
  return vscode.workspace.applyEdit(we);
}
