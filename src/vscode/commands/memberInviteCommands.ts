import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  checkInviteRowsYielding,
  MAX_CSV_BYTES,
  parseInviteCsv,
  parsePastedEmails,
  type InviteItem,
  type InviteRow,
} from '../../core/inviteRows';
import type { ChangeItem } from '../../core/changes/change';
import type { Group } from '../../core/model';
import type { InviteOptions, Provider, RoleChoice } from '../../core/provider';
import { pickChoice, UserCancelled } from '../prompts';
import { groupWord, type NodeContext } from '../tree/context';
import type { Handler } from './register';
import { connectionFor, type CommandDeps } from './targets';
import type { ReadOnlyDocuments } from '../documents';
import { confirmInvite, notSentOf, previewText, type Checked, type Source } from './invitePreview';

async function levelsOf(p: Provider): Promise<readonly RoleChoice[]> {
  return p.members?.roles ? p.members.roles.choices() : [];
}

/** The groups invitations can add people to, where the platform's invitations can (ElevenLabs). */
const invitableGroups = (p: Provider) => (p.invitations?.options?.groups ? p.groups : undefined);

/**
 * The seat or role for rows that name none, groups for rows that name none, SSO: asked once. Returns
 * the groups it read (to offer them), so the checks that follow do not read them again.
 */
async function askDefaults(
  ctx: NodeContext,
  levels: readonly RoleChoice[],
  rows: readonly InviteRow[],
): Promise<{ defaults: InviteOptions; groups?: readonly Group[] }> {
  const p = ctx.provider;
  const invitable = levels.filter((l) => l.invitable !== false);
  const needRole = rows.some((r) => !r.role);
  // No current role for someone new: the least powerful is focused (see pickChoice).
  const seatPick =
    invitable.length && needRole
      ? await pickChoice(invitable, {
          title:
            p.members?.roles?.kind === 'seat'
              ? vscode.l10n.t('Seat type for the invitees')
              : vscode.l10n.t('Role for the invitees'),
          placeHolder: rows.some((r) => r.role) ? vscode.l10n.t('For rows that name none') : undefined,
        })
      : undefined;
  const joinable = invitableGroups(p);
  const loaded =
    joinable && rows.some((r) => r.groups.length === 0) ? (await joinable.list()).filter((g) => !g.system) : undefined;
  const groups = loaded ?? [];
  const groupPick = groups.length
    ? await vscode.window.showQuickPick(
        groups.map((g) => ({ label: g.name, id: g.id })),
        { title: vscode.l10n.t('Groups to join on acceptance (optional)'), canPickMany: true, ignoreFocusOut: true },
      )
    : [];
  if (groupPick === undefined) throw new UserCancelled();
  let sso = false;
  if (p.invitations?.options?.sso) {
    const yes = vscode.l10n.t('Invite as SSO members');
    const pick = await vscode.window.showQuickPick(
      [{ label: vscode.l10n.t('Invite as regular members') }, { label: yes }],
      { title: vscode.l10n.t('Single sign-on'), ignoreFocusOut: true },
    );
    if (!pick) throw new UserCancelled();
    sso = pick.label === yes;
  }
  return {
    defaults: { seat: seatPick?.id, groupIds: groupPick.map((g) => g.id), sso },
    ...(loaded ? { groups: loaded } : {}),
  };
}

/** Checks rows against the members, roles and groups the connection has now (cancellable: a roster can be long); `known` groups are not read again. */
async function check(
  ctx: NodeContext,
  rows: readonly InviteRow[],
  levels: readonly RoleChoice[],
  unit: Source['unit'],
  known: readonly Group[] | undefined,
): Promise<Checked> {
  const p = ctx.provider;
  const counted =
    unit === 'entry'
      ? rows.length === 1
        ? vscode.l10n.t('1 entry')
        : vscode.l10n.t('{0} entries', rows.length)
      : rows.length === 1
        ? vscode.l10n.t('1 line')
        : vscode.l10n.t('{0} lines', rows.length);
  const title = vscode.l10n.t('Checking {0} against {1}…', counted, ctx.connection.label);
  const [members, groups] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const signal = controller.signal;
      const joinable = invitableGroups(p);
      const readGroups = known ? Promise.resolve(known) : joinable ? joinable.list(signal) : Promise.resolve(undefined);
      return Promise.all([p.members ? p.members.list(signal) : Promise.resolve([]), readGroups]).catch(
        (err: unknown) => {
          if (signal.aborted) throw new UserCancelled();
          throw err;
        },
      );
    },
  );
  const usable = (groups ?? []).filter((g) => !g.system);
  const result = await checkInviteRowsYielding(rows, {
    members: new Set(members.map((m) => m.email.toLowerCase())),
    roles: levels,
    groups: invitableGroups(p) ? usable : undefined,
    groupWord: groupWord(p),
    unit,
  });
  const groupNames = new Map(usable.map((g) => [g.id, g.name]));
  const incomplete = 'incomplete' in members ? members.incomplete : undefined;
  return {
    ...result,
    groupNames,
    ...(incomplete
      ? {
          note: vscode.l10n.t(
            'Only {0} members could be read ({1}): "already a member" may be missed for the rest.',
            members.length,
            incomplete,
          ),
        }
      : {}),
  };
}

/**
 * The invitation pipeline for a file or a pasted list alike: check every row, show a preview of
 * what will and will not be sent, ask in a confirmation that lists the same rows, then send the
 * valid rows as one journaled job in the platform's bulk call (falling back per email where it is
 * refused). The summary says what was not sent, as the preview does.
 */
async function inviteRows(
  deps: CommandDeps,
  previews: ReadOnlyDocuments,
  ctx: NodeContext,
  rows: readonly InviteRow[],
  source: Source,
) {
  const title = vscode.l10n.t('Invite Members');
  if (rows.length === 0) throw new Error(vscode.l10n.t('{0} has no rows to invite.', source.name));
  const levels = await levelsOf(ctx.provider);
  const { defaults, groups } = await askDefaults(ctx, levels, rows);
  const result = await check(ctx, rows, levels, source.unit, groups);
  const warning = ctx.provider.invitations?.warning;
  const words = [source, ctx.connection.label, result, levels, defaults, groupWord(ctx.provider), warning] as const;
  const preview = await previews.show(`${path.basename(source.name)} preview.txt`, previewText(...words));
  const where = (n: number) => (source.unit === 'entry' ? vscode.l10n.t('entry {0}', n) : vscode.l10n.t('line {0}', n));
  if (result.valid.length === 0) {
    throw new Error(
      vscode.l10n.t(
        'Nothing in {0} can be sent: {1}',
        source.name,
        result.rejected
          .slice(0, 3)
          .map((r) => `${where(r.line)}: ${r.reason}`)
          .join('; '),
      ),
    );
  }
  // Not modal: the confirmation lists what was checked itself, and the preview stays open to read or save.
  await confirmInvite(...words);
  const outcomes = await deps.jobs.run(
    ctx.connection,
    title,
    { kind: 'invite', items: result.valid.map((v) => inviteItem(ctx.connection.id, v, defaults, result.groupNames)) },
    { notSent: notSentOf(result) },
  );
  deps.tree.refresh(deps.tree.root(ctx.connection.id));
  return { outcomes, rejected: result.rejected, preview: preview.document.uri.toString() };
}

/** One checked row as a change: its own seat and groups over the job's. */
function inviteItem(
  connectionId: string,
  v: InviteItem,
  defaults: InviteOptions,
  groupNames: ReadonlyMap<string, string>,
): ChangeItem {
  const role = v.seat ?? defaults.seat;
  const groups = (v.groupIds ?? defaults.groupIds ?? []).map((id) => ({ id, name: groupNames.get(id) ?? id }));
  const change = {
    op: 'invite',
    email: v.email,
    ...(role !== undefined ? { role } : {}),
    ...(groups.length ? { groups } : {}),
    ...(defaults.sso ? { sso: true } : {}),
  } as const;
  return {
    connectionId,
    change,
    ...(v.line !== undefined ? { line: v.line } : {}),
    ...(v.unit ? { unit: v.unit } : {}),
  };
}

/** A pasted list: Enter is never blocked by one bad entry; the preview says what is wrong with each. */
async function askInviteText(title: string, prompt: string): Promise<string> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    placeHolder: 'ada@example.com, grace@example.com',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter at least one email.')),
  });
  if (text === undefined) throw new UserCancelled();
  return text;
}

export function inviteCommands(deps: CommandDeps, previews: ReadOnlyDocuments): Record<string, Handler> {
  return {
    /** A pasted list of emails: checked as typed, then the same pipeline as a file. */
    'workspaceAccess.member.invite': async (node?: unknown) => {
      const title = vscode.l10n.t('Invite Members');
      const ctx = await connectionFor(deps, node, (p) => !!p.invitations, title);
      const text = await askInviteText(
        title,
        vscode.l10n.t(
          'Emails to invite, separated by commas, spaces or new lines. Every entry is checked and shown in a preview before anything is sent.',
        ),
      );
      return inviteRows(deps, previews, ctx, parsePastedEmails(text), {
        name: vscode.l10n.t('the pasted list'),
        unit: 'entry',
      });
    },

    /** A CSV file (from the Explorer, or picked): `email` and optionally `role`/`seat` and `groups`/`teams` columns. */
    'workspaceAccess.member.inviteFromCsv': async (uri?: unknown) => {
      const title = vscode.l10n.t('Invite Members from CSV');
      // From a connection's row: that connection (from the Explorer or the palette: asked after the file).
      const row = uri instanceof vscode.Uri ? undefined : uri;
      let file = uri instanceof vscode.Uri ? uri : undefined;
      if (!file) {
        const picked = await vscode.window.showOpenDialog({
          title,
          canSelectMany: false,
          filters: { CSV: ['csv'] },
          openLabel: vscode.l10n.t('Invite from this file'),
        });
        if (!picked?.length) throw new UserCancelled();
        file = picked[0];
      }
      const ctx = await connectionFor(deps, row, (p) => !!p.invitations, title);
      const name = path.basename(file.fsPath);
      const { size } = await vscode.workspace.fs.stat(file);
      if (size > MAX_CSV_BYTES)
        throw new Error(
          vscode.l10n.t(
            '{0} is {1} MB; an import reads files up to {2} MB. Split it into smaller files.',
            name,
            Math.round((size / 1024 / 1024) * 10) / 10,
            MAX_CSV_BYTES / 1024 / 1024,
          ),
        );
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(file));
      let rows: InviteRow[];
      try {
        rows = await parseInviteCsv(text);
      } catch (err) {
        throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return inviteRows(deps, previews, ctx, rows, { name, unit: 'line' });
    },
  };
}
