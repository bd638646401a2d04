import * as vscode from 'vscode';
import { emailProblem, parsePastedEmails } from '../../core/invites';
import type { Member } from '../../core/model';
import type { Provider, RoleChoice } from '../../core/provider';
import { confirm, confirmByTyping, pickChoice, UserCancelled } from '../prompts';
import { runWithProgress } from '../progress';
import type { NodeContext } from '../tree/context';
import { MemberNode } from '../tree/members';
import type { Handler } from './register';
import { connectionFor, nodesOf, refreshAround, type CommandDeps } from './targets';

/** Splits pasted text into emails; says which entry is wrong and why (the one email rule, as the CSV import). */
export function parseEmails(text: string): { emails: string[]; problems: string[] } {
  const emails: string[] = [];
  const problems: string[] = [];
  parsePastedEmails(text).forEach(({ email, line: i }) => {
    const problem = emailProblem(email);
    if (problem) problems.push(vscode.l10n.t('entry {0}: {1}', i, problem));
    else if (emails.some((e) => e.toLowerCase() === email.toLowerCase())) problems.push(vscode.l10n.t('entry {0} ("{1}") is a duplicate', i, email));
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
      return problems.length ? problems.join('; ') : emails.length === 0 ? vscode.l10n.t('Enter at least one email.') : undefined;
    },
  });
  if (text === undefined) throw new UserCancelled();
  return text;
}

/** Members to act on: the tree selection, else a multi-select pick on the connection. */
async function members(deps: CommandDeps, node: unknown, selected: unknown, title: string, capable: (p: Provider) => boolean, filter: (m: Member) => boolean): Promise<{ ctx: NodeContext; members: Member[]; anchor?: MemberNode }> {
  const nodes = nodesOf(MemberNode, node, selected).filter((n) => !n.group);
  if (nodes.length) return { ctx: nodes[0].ctx, members: nodes.map((n) => n.member).filter(filter), anchor: nodes[0] };
  const ctx = await connectionFor(deps, node, (p) => !!p.listMembers && capable(p), title);
  // Where the platform searches members itself, ask what to look for instead of listing everyone.
  let all: Member[];
  if (ctx.provider.searchMembers) {
    const text = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Search members by name or email in {0}', ctx.connection.tenantName ?? ctx.connection.label), ignoreFocusOut: true });
    if (text === undefined) throw new UserCancelled();
    all = (await ctx.provider.searchMembers(text.trim())).filter(filter);
    if (all.length === 0) throw new Error(vscode.l10n.t('No member matches "{0}".', text.trim()));
  } else {
    all = (await ctx.provider.listMembers!()).filter(filter);
  }
  const picked = await vscode.window.showQuickPick(
    all.map((m) => ({ label: m.name, description: m.email, detail: [m.roleLabel, m.locked ? vscode.l10n.t('locked') : ''].filter(Boolean).join(' · '), member: m })),
    { title, canPickMany: true, matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!picked?.length) throw new UserCancelled();
  return { ctx, members: picked.map((p) => p.member) };
}

export function memberCommands(deps: CommandDeps): Record<string, Handler> {
  const setLocked = (locked: boolean) => async (node?: unknown, selected?: unknown) => {
    const title = locked ? vscode.l10n.t('Lock Members') : vscode.l10n.t('Unlock Members');
    const { ctx, members: list, anchor } = await members(deps, node, selected, title, (p) => !!p.setLocked, (m) => !m.owner && m.locked !== locked);
    if (list.length === 0) throw new Error(locked ? vscode.l10n.t('Every chosen member is locked already (the owner cannot be locked).') : vscode.l10n.t('None of the chosen members is locked.'));
    if (locked) {
      await confirm(
        vscode.l10n.t('Lock {0}?', list.map((m) => m.name).join(', ')),
        vscode.l10n.t('A locked member keeps their seat but cannot use the workspace until unlocked.'),
        vscode.l10n.t('Lock'),
      );
    }
    const outcomes = await runWithProgress(deps.reports, { title, items: list, label: (m) => m.email, work: (m, signal) => ctx.provider.setLocked!(m.email, locked, signal) });
    refreshAround(deps, anchor, 'members');
    return outcomes;
  };

  return {
    'workspaceAccess.member.lock': setLocked(true),
    'workspaceAccess.member.unlock': setLocked(false),

    'workspaceAccess.member.changeSeat': async (node?: unknown, selected?: unknown) => {
      const title = vscode.l10n.t('Change Seat Type');
      const { ctx, members: list, anchor } = await members(deps, node, selected, title, (p) => !!p.setSeatType, (m) => !m.owner);
      if (list.length === 0) throw new Error(vscode.l10n.t("The owner's seat cannot be changed."));
      const seats = ctx.provider.seatTypes ?? [];
      const seat = await pickChoice(seats, { title: vscode.l10n.t('Seat type for {0}', list.length === 1 ? list[0].name : vscode.l10n.t('{0} members', list.length)), current: new Set(list.flatMap((m) => m.role ?? [])) });
      const outcomes = await runWithProgress(deps.reports, { title, items: list.filter((m) => m.role !== seat.id), label: (m) => m.email, work: (m, signal) => ctx.provider.setSeatType!(m.email, seat.id, signal) });
      refreshAround(deps, anchor, 'members');
      return outcomes;
    },

    /** An organization role (GitBook: a MemberRole, or guest). */
    'workspaceAccess.member.changeRole': async (node?: unknown, selected?: unknown) => {
      const title = vscode.l10n.t('Change Member Role');
      const { ctx, members: list, anchor } = await members(deps, node, selected, title, (p) => !!p.setMemberRole, (m) => !m.owner);
      const p = ctx.provider;
      const roles: RoleChoice[] = p.memberRoles ? [...p.memberRoles] : p.listMemberRoles ? await p.listMemberRoles() : [];
      const pick = await pickChoice(roles, { title: vscode.l10n.t('Role for {0}', list.length === 1 ? list[0].name : vscode.l10n.t('{0} members', list.length)), current: new Set(list.flatMap((m) => m.role ?? [])) });
      const warning = p.memberRoleWarning?.(list, pick);
      if (warning && list.length > 1) throw new Error(warning);
      // Ownership cannot be taken back from here: the new Owner's email is typed, not confirmed by Enter.
      if (warning) await confirmByTyping(vscode.l10n.t('Give {0} the role {1}?', list[0].name, pick.label), warning, list[0].email);
      const outcomes = await runWithProgress(deps.reports, { title, items: list.filter((m) => m.role !== pick.id), label: (m) => m.email, work: (m, signal) => ctx.provider.setMemberRole!(m, pick.id, signal) });
      refreshAround(deps, anchor, 'members');
      return outcomes;
    },

    /** Removes members after a confirmation naming what they lose; reports removed, not a member, or request sent. */
    'workspaceAccess.member.remove': async (node?: unknown, selected?: unknown) => {
      const title = vscode.l10n.t('Remove Member');
      const { ctx, members: list, anchor } = await members(deps, node, selected, title, (p) => !!p.removeMember, (m) => !m.owner);
      if (list.length === 0) throw new Error(vscode.l10n.t('The owner cannot be removed.'));
      const where = ctx.connection.tenantName ?? ctx.connection.label;
      await confirm(
        vscode.l10n.t('Remove {0} from {1}?', list.map((m) => m.name).join(', '), where),
        ctx.provider.removalConsequence ?? vscode.l10n.t('They lose their access to {0}.', where),
        vscode.l10n.t('Remove'),
      );
      const NOTES = { removed: vscode.l10n.t('removed'), 'not-there': vscode.l10n.t('was not a member'), requested: vscode.l10n.t('request sent to the admins') } as const;
      const outcomes = await runWithProgress(deps.reports, { title, items: list, label: (m) => m.email, work: async (m, signal) => NOTES[await ctx.provider.removeMember!(m, signal)] });
      refreshAround(deps, anchor, 'members');
      return outcomes;
    },

    /** ElevenLabs cannot list invitations: revoke by email. */
    'workspaceAccess.member.revokeInvite': async (node?: unknown) => {
      const title = vscode.l10n.t('Revoke Invitation');
      const ctx = await connectionFor(deps, node, (p) => !!p.revokeInvite, title);
      const emails = await askEmails(title, vscode.l10n.t('Emails whose pending invitations to revoke ({0} cannot list invitations).', ctx.connection.label));
      return runWithProgress(deps.reports, { title, items: emails, label: (e) => e, work: (e, signal) => ctx.provider.revokeInvite!(e, signal) });
    },
  };
}
