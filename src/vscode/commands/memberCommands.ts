import * as vscode from 'vscode';
import { emailProblem, parsePastedEmails } from '../../core/inviteRows';
import type { Member } from '../../core/model';
import type { Members, MemberRoles } from '../../core/provider';
import { confirm, confirmByTyping, pickChoice, UserCancelled } from '../prompts';
import { runWithProgress } from '../jobs/progress';
import { removalNote } from '../jobs/reports';
import type { NodeContext } from '../tree/context';
import { MemberNode } from '../tree/memberNodes';
import type { Handler } from './register';
import { connectionFor, nodesOf, refreshAround, type CommandDeps } from './targets';

/** Splits pasted text into emails; says which entry is wrong and why (the one email rule, as the CSV import). */
export function parseEmails(text: string): { emails: string[]; problems: string[] } {
  const emails: string[] = [];
  const problems: string[] = [];
  parsePastedEmails(text).forEach(({ email, line: i }) => {
    const problem = emailProblem(email);
    if (problem) problems.push(vscode.l10n.t('entry {0}: {1}', i, problem));
    else if (emails.some((e) => e.toLowerCase() === email.toLowerCase()))
      problems.push(vscode.l10n.t('entry {0} ("{1}") is a duplicate', i, email));
    else emails.push(email);
  });
  return { emails, problems };
}

/** Asks for a list of emails, checking each entry as it is typed; resolves with the clean list. */
export async function askEmails(title: string, prompt: string): Promise<string[]> {
  return parseEmails(await askEmailText(title, prompt)).emails;
}

/** The same input box, resolving with the text as typed (so each entry keeps its line). */
export async function askEmailText(title: string, prompt: string): Promise<string> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    placeHolder: 'ada@example.com, grace@example.com',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const { emails, problems } = parseEmails(value);
      return problems.length
        ? problems.join('; ')
        : emails.length === 0
          ? vscode.l10n.t('Enter at least one email.')
          : undefined;
    },
  });
  if (text === undefined) throw new UserCancelled();
  return text;
}

/**
 * Members to act on: the tree selection, else a multi-select pick on the connection; with what the
 * command needs from the members group (`need` picks it, and a connection without it is not offered).
 */
async function members<T>(
  deps: CommandDeps,
  node: unknown,
  selected: unknown,
  title: string,
  need: (g: Members) => T | undefined,
  filter: (m: Member) => boolean,
): Promise<{ ctx: NodeContext; members: Member[]; anchor?: MemberNode; can: T }> {
  const nodes = nodesOf(MemberNode, node, selected).filter((n) => !n.group);
  const ctx =
    nodes[0]?.ctx ?? (await connectionFor(deps, node, (p) => !!p.members && need(p.members) !== undefined, title));
  const group = ctx.provider.members;
  const can = group && need(group);
  if (!group || can === undefined) throw new Error(vscode.l10n.t('{0} cannot do "{1}".', ctx.connection.label, title));
  if (nodes.length) return { ctx, members: nodes.map((n) => n.member).filter(filter), anchor: nodes[0], can };
  // Where the platform searches members itself, ask what to look for instead of listing everyone.
  let all: Member[];
  if (group.search) {
    const text = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t(
        'Search members by name or email in {0}',
        ctx.connection.tenantName ?? ctx.connection.label,
      ),
      ignoreFocusOut: true,
    });
    if (text === undefined) throw new UserCancelled();
    all = (await group.search(text.trim())).filter(filter);
    if (all.length === 0) throw new Error(vscode.l10n.t('No member matches "{0}".', text.trim()));
  } else {
    all = (await group.list()).filter(filter);
  }
  const picked = await vscode.window.showQuickPick(
    all.map((m) => ({
      label: m.name,
      description: m.email,
      detail: [m.roleLabel, m.locked ? vscode.l10n.t('locked') : ''].filter(Boolean).join(' · '),
      member: m,
    })),
    { title, canPickMany: true, matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!picked?.length) throw new UserCancelled();
  return { ctx, members: picked.map((p) => p.member), can };
}

/** "Ada" or "3 members". */
const whom = (list: readonly Member[]) =>
  list.length === 1 ? list[0].name : vscode.l10n.t('{0} members', list.length);

/** Seat types (ElevenLabs) or organization roles (GitBook, Confident AI): one flow, the platform's words. */
async function changeRole(
  deps: CommandDeps,
  node: unknown,
  selected: unknown,
  kind: MemberRoles['kind'],
): Promise<unknown> {
  const title = kind === 'seat' ? vscode.l10n.t('Change Seat Type') : vscode.l10n.t('Change Member Role');
  const {
    ctx,
    members: list,
    anchor,
    can: roles,
  } = await members(
    deps,
    node,
    selected,
    title,
    (g) => (g.roles?.kind === kind ? g.roles : undefined),
    (m) => !m.owner,
  );
  if (list.length === 0)
    throw new Error(
      kind === 'seat'
        ? vscode.l10n.t("The owner's seat cannot be changed.")
        : vscode.l10n.t("The owner's role cannot be changed here."),
    );
  const pick = await pickChoice(await roles.choices(), {
    title: kind === 'seat' ? vscode.l10n.t('Seat type for {0}', whom(list)) : vscode.l10n.t('Role for {0}', whom(list)),
    current: new Set(list.flatMap((m) => m.role ?? [])),
  });
  const warning = roles.warning?.(list, pick);
  if (warning && list.length > 1) throw new Error(warning);
  // Ownership cannot be taken back from here: the new Owner's email is typed, not confirmed by Enter.
  if (warning)
    await confirmByTyping(vscode.l10n.t('Give {0} the role {1}?', list[0].name, pick.label), warning, list[0].email);
  const outcomes = await runWithProgress(deps.reports, {
    title,
    items: list.filter((m) => m.role !== pick.id),
    label: (m) => m.email,
    // Giving Owner: the provider's note says what became of the previous Owner.
    work: (m, signal) => roles.set(m, pick.id, signal),
    connection: ctx.connection.label,
  });
  refreshAround(deps, anchor, 'members');
  return outcomes;
}

export function memberCommands(deps: CommandDeps): Record<string, Handler> {
  const setLocked = (locked: boolean) => async (node?: unknown, selected?: unknown) => {
    const title = locked ? vscode.l10n.t('Lock Members') : vscode.l10n.t('Unlock Members');
    const {
      ctx,
      members: list,
      anchor,
      can: lock,
    } = await members(
      deps,
      node,
      selected,
      title,
      (g) => g.setLocked,
      (m) => !m.owner && m.locked !== locked,
    );
    if (list.length === 0)
      throw new Error(
        locked
          ? vscode.l10n.t('Every chosen member is locked already (the owner cannot be locked).')
          : vscode.l10n.t('None of the chosen members is locked.'),
      );
    if (locked) {
      await confirm(
        vscode.l10n.t('Lock {0}?', list.map((m) => m.name).join(', ')),
        vscode.l10n.t('A locked member keeps their seat but cannot use the workspace until unlocked.'),
        vscode.l10n.t('Lock'),
      );
    }
    const outcomes = await runWithProgress(deps.reports, {
      title,
      items: list,
      label: (m) => m.email,
      work: (m, signal) => lock(m, locked, signal),
      connection: ctx.connection.label,
    });
    refreshAround(deps, anchor, 'members');
    deps.tree.membersChanged(ctx.connection.id);
    return outcomes;
  };

  return {
    'workspaceAccess.member.lock': setLocked(true),
    'workspaceAccess.member.unlock': setLocked(false),
    'workspaceAccess.member.changeSeat': (node?: unknown, selected?: unknown) =>
      changeRole(deps, node, selected, 'seat'),
    /** An organization role (GitBook: a MemberRole, or guest; Confident AI: the organization's roles). */
    'workspaceAccess.member.changeRole': (node?: unknown, selected?: unknown) =>
      changeRole(deps, node, selected, 'role'),

    /** Removes members after a confirmation naming what they lose; reports removed, not a member, or request sent. */
    'workspaceAccess.member.remove': async (node?: unknown, selected?: unknown) => {
      const title = vscode.l10n.t('Remove Member');
      const {
        ctx,
        members: list,
        anchor,
        can: remove,
      } = await members(
        deps,
        node,
        selected,
        title,
        (g) => g.remove,
        (m) => !m.owner,
      );
      if (list.length === 0) throw new Error(vscode.l10n.t('The owner cannot be removed.'));
      const where = ctx.connection.tenantName ?? ctx.connection.label;
      await confirm(
        vscode.l10n.t('Remove {0} from {1}?', list.map((m) => m.name).join(', '), where),
        ctx.provider.members?.removalConsequence ?? vscode.l10n.t('They lose their access to {0}.', where),
        vscode.l10n.t('Remove'),
      );
      const outcomes = await runWithProgress(deps.reports, {
        title,
        items: list,
        label: (m) => m.email,
        work: async (m, signal) => removalNote(await remove(m, signal), 'member'),
        connection: ctx.connection.label,
      });
      refreshAround(deps, anchor, 'members');
      return outcomes;
    },

    /** ElevenLabs cannot list invitations: revoke by email. */
    'workspaceAccess.member.revokeInvite': async (node?: unknown) => {
      const title = vscode.l10n.t('Revoke Invitation');
      const ctx = await connectionFor(deps, node, (p) => !!p.invitations?.revokeByEmail, title);
      const revoke = ctx.provider.invitations?.revokeByEmail;
      if (!revoke) throw new Error(vscode.l10n.t('{0} cannot do "{1}".', ctx.connection.label, title));
      const emails = await askEmails(
        title,
        vscode.l10n.t(
          'Emails whose pending invitations to revoke ({0} cannot list invitations).',
          ctx.connection.label,
        ),
      );
      return runWithProgress(deps.reports, {
        title,
        items: emails,
        label: (e) => e,
        work: (e, signal) => revoke(e, signal),
      });
    },
  };
}
