import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkInviteRowsYielding, MAX_CSV_BYTES, parseInviteCsv, parsePastedEmails, type InviteCheck, type InviteRow } from '../../core/invites';
import type { InviteParams } from '../../core/jobs';
import type { Provider, RoleChoice } from '../../core/provider';
import { confirm, pickChoice, UserCancelled } from '../prompts';
import type { NodeContext } from '../tree/context';
import { askEmailText } from './members';
import type { Handler } from './register';
import { connectionFor, type CommandDeps } from './targets';

export const PREVIEW_SCHEME = 'workspace-access-preview';

/** Read-only documents for invitation previews: closing one never asks to save. */
export class PreviewDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private n = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  async show(name: string, text: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${++this.n}/${name}` });
    this.texts.set(uri.path, text);
    await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: false });
    return uri;
  }
}

async function levelsOf(p: Provider): Promise<readonly RoleChoice[]> {
  return p.seatTypes ?? p.memberRoles ?? (p.listMemberRoles ? await p.listMemberRoles() : []);
}

/** The seat or role for rows that name none, groups for rows that name none, SSO: asked once. */
async function askDefaults(ctx: NodeContext, levels: readonly RoleChoice[], rows: readonly InviteRow[]): Promise<InviteParams> {
  const p = ctx.provider;
  const invitable = levels.filter((l) => l.invitable !== false);
  const needRole = rows.some((r) => !r.role);
  // No current role for someone new: the least powerful is focused (see pickChoice).
  const seatPick = invitable.length && needRole
    ? await pickChoice(invitable, { title: p.seatTypes ? vscode.l10n.t('Seat type for the invitees') : vscode.l10n.t('Role for the invitees'), placeHolder: rows.some((r) => r.role) ? vscode.l10n.t('For rows that name none') : undefined })
    : undefined;
  const groups = p.inviteOptions?.groups && p.listGroups && rows.some((r) => r.groups.length === 0) ? (await p.listGroups()).filter((g) => !g.system) : [];
  const groupPick = groups.length
    ? await vscode.window.showQuickPick(groups.map((g) => ({ label: g.name, id: g.id })), { title: vscode.l10n.t('Groups to join on acceptance (optional)'), canPickMany: true, ignoreFocusOut: true })
    : [];
  if (groupPick === undefined) throw new UserCancelled();
  let sso = false;
  if (p.inviteOptions?.sso) {
    const yes = vscode.l10n.t('Invite as SSO members');
    const pick = await vscode.window.showQuickPick([{ label: vscode.l10n.t('Invite as regular members') }, { label: yes }], { title: vscode.l10n.t('Single sign-on'), ignoreFocusOut: true });
    if (!pick) throw new UserCancelled();
    sso = pick.label === yes;
  }
  return { seat: seatPick?.id, groupIds: groupPick.map((g) => g.id), sso };
}

/** Checks rows against the members, roles and groups the connection has now (cancellable: a roster can be long). */
async function check(ctx: NodeContext, rows: readonly InviteRow[], levels: readonly RoleChoice[]): Promise<InviteCheck & { readonly note?: string }> {
  const p = ctx.provider;
  const title = vscode.l10n.t('Checking {0} rows against {1}…', rows.length, ctx.connection.label);
  const [members, groups] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const signal = controller.signal;
    return Promise.all([p.listMembers ? p.listMembers(signal) : Promise.resolve([]), p.inviteOptions?.groups && p.listGroups && rows.some((r) => r.groups.length) ? p.listGroups(signal) : Promise.resolve(undefined)]).catch((err: unknown) => {
      if (signal.aborted) throw new UserCancelled();
      throw err;
    });
  });
  const groupWord = (p.sectionLabels?.groups ?? 'Groups').replace(/s$/, '').toLowerCase();
  const result = await checkInviteRowsYielding(rows, { members: new Set(members.map((m) => m.email.toLowerCase())), roles: levels, groups: p.inviteOptions?.groups ? (groups ?? []).filter((g) => !g.system) : undefined, groupWord });
  const incomplete = 'incomplete' in members ? members.incomplete : undefined;
  return incomplete ? { ...result, note: vscode.l10n.t('Only {0} members could be read ({1}): "already a member" may be missed for the rest.', members.length, incomplete) } : result;
}

function previewText(source: string, target: string, result: InviteCheck & { readonly note?: string }, levels: readonly RoleChoice[], defaults: InviteParams): string {
  const roleLabel = (id?: string) => levels.find((l) => l.id === id)?.label ?? id;
  const lines = [
    vscode.l10n.t('Invite from {0} to {1}', source, target),
    vscode.l10n.t('{0} row(s) will be sent; {1} rejected (not sent).', result.valid.length, result.rejected.length),
    ...(result.note ? [result.note] : []),
    '',
  ];
  if (result.rejected.length) {
    lines.push(vscode.l10n.t('Rejected (fix the file and run the import again to send these):'));
    for (const r of result.rejected) lines.push(`  ${vscode.l10n.t('line {0}', r.line)}: ${r.text || vscode.l10n.t('(empty)')}: ${r.reason}`);
    lines.push('');
  }
  if (result.valid.length) {
    lines.push(vscode.l10n.t('Will be sent:'));
    for (const v of result.valid) {
      const role = roleLabel(v.seat ?? defaults.seat);
      const groups = (v.groupIds ?? defaults.groupIds ?? []).length;
      lines.push(`  ${vscode.l10n.t('line {0}', v.line ?? '?')}: ${v.email}${role ? ` (${role}${groups ? `; ${vscode.l10n.t('{0} group(s)', groups)}` : ''})` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The invitation pipeline for a file or a pasted list: check every row, show the rejected ones with
 * their line and reason in a preview, confirm, then send the valid rows as one journaled job in the
 * platform's bulk call (falling back per email where it is refused).
 */
async function inviteRows(deps: CommandDeps, previews: PreviewDocuments, ctx: NodeContext, rows: readonly InviteRow[], source: string, alwaysPreview: boolean) {
  const title = vscode.l10n.t('Invite Members');
  if (rows.length === 0) throw new Error(vscode.l10n.t('{0} has no rows to invite.', source));
  const levels = await levelsOf(ctx.provider);
  const defaults = await askDefaults(ctx, levels, rows);
  const result = await check(ctx, rows, levels);
  const preview = alwaysPreview || result.rejected.length > 0 || result.note ? await previews.show(`${path.basename(source)} preview.txt`, previewText(source, ctx.connection.label, result, levels, defaults)) : undefined;
  if (result.valid.length === 0) {
    throw new Error(vscode.l10n.t('No row of {0} can be sent: {1}', source, result.rejected.slice(0, 3).map((r) => vscode.l10n.t('line {0}: {1}', r.line, r.reason)).join('; ')));
  }
  const rejectedNote = result.rejected.length ? vscode.l10n.t('{0} row(s) are rejected and will not be sent; the preview lists why. ', result.rejected.length) : '';
  const warning = ctx.provider.inviteWarning ?? '';
  if (preview || warning) {
    await confirm(vscode.l10n.t('Invite {0} to {1}?', result.valid.length === 1 ? result.valid[0].email : vscode.l10n.t('{0} people', result.valid.length), ctx.connection.label), `${rejectedNote}${warning}`.trim(), vscode.l10n.t('Invite {0}', result.valid.length));
  }
  const outcomes = await deps.jobs.run(ctx.connection, title, { kind: 'invite', params: defaults, items: result.valid });
  deps.tree.refresh(deps.tree.root(ctx.connection.id));
  return { outcomes, rejected: result.rejected, preview: preview?.toString() };
}

export function inviteCommands(deps: CommandDeps, previews: PreviewDocuments): Record<string, Handler> {
  return {
    /** A pasted list of emails: checked as typed, then the same pipeline as a file. */
    'workspaceAccess.member.invite': async (node?: unknown) => {
      const title = vscode.l10n.t('Invite Members');
      const ctx = await connectionFor(deps, node, (p) => !!p.inviteMembers, title);
      const text = await askEmailText(title, vscode.l10n.t('Emails to invite, separated by commas, spaces or new lines.'));
      return inviteRows(deps, previews, ctx, parsePastedEmails(text), vscode.l10n.t('the pasted list'), false);
    },

    /** A CSV file (from the Explorer, or picked): `email` and optionally `role`/`seat` and `groups`/`teams` columns. */
    'workspaceAccess.member.inviteFromCsv': async (uri?: unknown) => {
      const title = vscode.l10n.t('Invite Members from CSV');
      let file = uri instanceof vscode.Uri ? uri : undefined;
      if (!file) {
        const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { CSV: ['csv'] }, openLabel: vscode.l10n.t('Invite from this file') });
        if (!picked?.length) throw new UserCancelled();
        file = picked[0];
      }
      const ctx = await connectionFor(deps, undefined, (p) => !!p.inviteMembers, title);
      const name = path.basename(file.fsPath);
      const { size } = await vscode.workspace.fs.stat(file);
      if (size > MAX_CSV_BYTES) throw new Error(vscode.l10n.t('{0} is {1} MB; an import reads files up to {2} MB. Split it into smaller files.', name, Math.round((size / 1024 / 1024) * 10) / 10, MAX_CSV_BYTES / 1024 / 1024));
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(file));
      let rows: InviteRow[];
      try {
        rows = await parseInviteCsv(text);
      } catch (err) {
        throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return inviteRows(deps, previews, ctx, rows, name, true);
    },
  };
}
