/**
 * The Needs Attention commands (`workspaceAccess.findings.*`, `workspaceAccess.finding.*`): each
 * action goes through an existing flow and its preview, as a journaled job with a report: Offboard
 * (one person, or everyone who left at once), Show Person, Reclaim Seat (lock, a cheaper seat or
 * role, or removal, whichever the platform offers; the least drastic focused) and Revoke Invitation.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Change, ChangeItem } from '../../core/changes/change';
import type { Finding, FindingAction } from '../../core/roster/findings';
import type { Handler } from '../commands/register';
import { ACROSS } from '../jobs/jobRunner';
import { isLastAdmin, offboardPeople } from '../people/offboardCommand';
import { openPerson, type PeopleCommandDeps } from '../people/personTargets';
import { confirmByTyping, UserCancelled } from '../prompts';
import { FINDINGS_VIEW_ID, type FindingsTree } from './findingsView';
import { FindingNode, KindNode } from './nodes';

export interface FindingsCommandDeps extends PeopleCommandDeps {
  readonly findings: FindingsTree;
}

/** The findings a command acts on: the rows selected (with the clicked one), else the clicked row. */
function findingsFrom(node: unknown, selected: unknown): Finding[] {
  const rows = Array.isArray(selected) && selected.includes(node) ? (selected as unknown[]) : [node];
  return rows.flatMap((r) => (r instanceof FindingNode ? [r.finding] : r instanceof KindNode ? r.findings : []));
}

/**
 * The findings a command acts on: the rows it was run on, or from the palette a pick among the
 * findings it can act on (one, or several where it takes several), read now.
 */
async function chosenFindings(
  deps: FindingsCommandDeps,
  node: unknown,
  selected: unknown,
  action: FindingAction,
  title: string,
  many: boolean,
): Promise<Finding[]> {
  const given = findingsFrom(node, selected).filter((f) => f.actions.includes(action));
  if (given.length || node !== undefined) return given;
  const read = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading every connection…') },
    () => deps.findings.read(),
  );
  const candidates = read.findings.filter((f) => f.actions.includes(action));
  if (!candidates.length) throw new Error(vscode.l10n.t('{0}: nothing in Needs Attention asks for it.', title));
  const labels = new Map(deps.store.list().map((c) => [c.id, c.label]));
  const items = candidates.map((f) => ({
    label: f.email,
    description: labels.get(f.connectionId) ?? f.connectionId,
    detail: f.evidence,
    f,
  }));
  const options = { title, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true };
  const picked = many
    ? await vscode.window.showQuickPick(items, { ...options, canPickMany: true })
    : await vscode.window.showQuickPick(items, options).then((p) => (p ? [p] : undefined));
  if (!picked?.length) throw new UserCancelled();
  return picked.map((p) => p.f);
}

const unique = (emails: readonly string[]) => [...new Map(emails.map((e) => [e.toLowerCase(), e])).values()];

export function findingsCommands(deps: FindingsCommandDeps): Record<string, Handler> {
  // The view reads again when any job ends (setup.ts); the Connections tree is drawn again here.
  const afterJob = () => deps.tree.refresh();
  return {
    'workspaceAccess.findings.show': async () => {
      await vscode.commands.executeCommand(`${FINDINGS_VIEW_ID}.focus`);
      return deps.findings.read();
    },
    'workspaceAccess.findings.refresh': () => {
      deps.findings.refresh();
      return deps.findings.read();
    },
    'workspaceAccess.findings.chooseRoster': () => chooseRoster(),
    'workspaceAccess.finding.showPerson': async (node?: unknown) => {
      const [f] = await chosenFindings(deps, node, undefined, 'show-person', vscode.l10n.t('Show Person'), false);
      if (!f) throw new Error(vscode.l10n.t('Choose a finding in the Needs Attention view.'));
      return openPerson(deps, f.email);
    },
    'workspaceAccess.finding.offboard': async (node?: unknown, selected?: unknown) => {
      const chosen = await chosenFindings(deps, node, selected, 'offboard', vscode.l10n.t('Offboard…'), true);
      const emails = unique(chosen.map((f) => f.email));
      if (!emails.length) throw new Error(vscode.l10n.t('Choose a finding in the Needs Attention view.'));
      const outcomes = await offboardPeople(
        deps,
        emails.map((e) => deps.people.open(e)),
      );
      afterJob();
      return outcomes;
    },
    'workspaceAccess.findings.offboardLeft': async () => {
      // Read now, not from the last read: the roster may have changed since (someone re-hired).
      deps.findings.refresh();
      const read = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading every connection…') },
        () => deps.findings.read(),
      );
      // Members and pending invitees alike: offboarding revokes an invitation.
      const emails = unique(read.findings.filter((f) => f.kind === 'left').map((f) => f.email));
      if (!emails.length)
        throw new Error(
          read.roster.uri
            ? vscode.l10n.t('Nobody the roster says has left holds access in any connection.')
            : vscode.l10n.t('Choose a roster first: Workspace Access: Choose Roster…'),
        );
      const outcomes = await offboardPeople(
        deps,
        emails.map((e) => deps.people.open(e)),
      );
      afterJob();
      return outcomes;
    },
    'workspaceAccess.finding.reclaimSeat': async (node?: unknown) => {
      const [f] = await chosenFindings(deps, node, undefined, 'reclaim-seat', vscode.l10n.t('Reclaim Seat…'), false);
      if (!f?.memberId) throw new Error(vscode.l10n.t('Choose an inactive seat in the Needs Attention view.'));
      const outcomes = await reclaimSeat(deps, f);
      afterJob();
      return outcomes;
    },
    'workspaceAccess.finding.revokeInvitation': async (node?: unknown, selected?: unknown) => {
      const picked = (
        await chosenFindings(deps, node, selected, 'revoke-invitation', vscode.l10n.t('Revoke Invitation'), true)
      ).filter((f) => f.invitation);
      // One invitation can be two findings (left, and stale): revoked once.
      const chosen = [...new Map(picked.map((f) => [`${f.connectionId}|${f.invitation?.id ?? f.email}`, f])).values()];
      if (!chosen.length) throw new Error(vscode.l10n.t('Choose a pending invitation in the Needs Attention view.'));
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Revoke {0} invitation(s)?', chosen.length),
        { modal: true, detail: unique(chosen.map((f) => f.email)).join('\n') },
        vscode.l10n.t('Revoke'),
      );
      if (!answer) throw new UserCancelled();
      const items: ChangeItem[] = chosen.map((f) => ({
        connectionId: f.connectionId,
        change: { op: 'revoke-invitation', email: f.email, invitation: f.invitation },
      }));
      const outcomes = await deps.jobs.run(ACROSS, vscode.l10n.t('Revoke {0} invitation(s)', chosen.length), {
        kind: 'person',
        items,
      });
      afterJob();
      return outcomes;
    },
  };
}

/** The roster file, picked and written to the workspace's setting (relative to its folder when inside it). */
async function chooseRoster(): Promise<string> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Choose Roster…'),
    canSelectMany: false,
    filters: { [vscode.l10n.t('CSV')]: ['csv'] },
    defaultUri: folder?.uri,
    openLabel: vscode.l10n.t('Use as Roster'),
  });
  const file = picked?.[0];
  if (!file) throw new UserCancelled();
  const inside = folder && path.relative(folder.uri.fsPath, file.fsPath);
  const value =
    inside && !inside.startsWith('..') && !path.isAbsolute(inside) ? inside.split(path.sep).join('/') : file.fsPath;
  await vscode.workspace
    .getConfiguration('workspaceAccess')
    .update('roster', value, folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand(`${FINDINGS_VIEW_ID}.focus`);
  return value;
}

type Way = vscode.QuickPickItem & { change?: Change; drastic?: boolean };

/**
 * Reclaim Seat…: what the platform offers for this member, least drastic first and focused: lock,
 * a cheaper seat or lower role, removal. A lock or a seat is confirmed in a modal; a removal by
 * typing the email. One journaled job with a report, like every change.
 */
async function reclaimSeat(deps: FindingsCommandDeps, f: Finding) {
  const connection = deps.store.get(f.connectionId);
  if (!connection) throw new Error(vscode.l10n.t('Its connection was removed.'));
  const members = deps.sessions.provider(connection).members;
  const member = (await members?.list())?.find((m) => m.id === f.memberId);
  if (!members || !member)
    throw new Error(vscode.l10n.t('{0} is no longer a member of {1}.', f.email, connection.label));
  // The key's own account, and the last admin, are not reclaimed: nobody would be left to manage it.
  const me = await deps.sessions.provider(connection).whoAmI();
  if (me.userId === member.id || (me.email && me.email.toLowerCase() === member.email.toLowerCase()))
    throw new Error(
      vscode.l10n.t("{0} is the account of this connection's key: its seat is not reclaimed from here.", member.email),
    );
  if (await isLastAdmin(deps.sessions.provider(connection), member))
    throw new Error(
      vscode.l10n.t('{0} is the last admin of {1}: give someone else the role first.', member.email, connection.label),
    );
  const ref = { id: member.id, email: member.email, name: member.name };
  const ways: Way[] = [];
  if (members.setLocked && !member.locked)
    ways.push({
      label: vscode.l10n.t('$(lock) Lock the seat'),
      detail: vscode.l10n.t('{0} keeps their place and cannot use it until it is unlocked.', member.email),
      change: { op: 'set-locked', member: ref, locked: true },
    });
  const roles = members.roles;
  if (roles?.ranked) {
    const choices = await roles.choices();
    const at = choices.findIndex((c) => c.id === member.role);
    for (const c of at >= 0 ? choices.slice(at + 1) : [])
      ways.push({
        label:
          roles.kind === 'seat'
            ? vscode.l10n.t('$(arrow-down) Change the seat type to {0}', c.label)
            : vscode.l10n.t('$(arrow-down) Change the role to {0}', c.label),
        change: { op: 'set-role', member: ref, role: c.id, roleLabel: c.label, from: member.role },
      });
  }
  if (members.remove)
    ways.push({
      label: vscode.l10n.t('$(trash) Remove {0} from {1}', member.email, connection.label),
      detail: members.removalConsequence,
      change: { op: 'remove-member', member: ref },
      drastic: true,
    });
  if (!ways.length) throw new Error(vscode.l10n.t('{0} offers no way to reclaim this seat.', connection.label));
  const way = await vscode.window.showQuickPick(ways, {
    title: vscode.l10n.t('Reclaim Seat: {0}', member.email),
    placeHolder: vscode.l10n.t('{0} in {1}: {2}', member.email, connection.label, f.evidence),
    ignoreFocusOut: true,
  });
  if (!way?.change) throw new UserCancelled();
  if (way.drastic)
    await confirmByTyping(
      vscode.l10n.t('Remove {0}', member.email),
      members.removalConsequence ?? vscode.l10n.t('They lose their access in {0}.', connection.label),
      member.email,
    );
  else {
    const go = await vscode.window.showWarningMessage(
      way.label.replace(/^\$\([^)]*\)\s*/, ''),
      { modal: true, detail: `${member.email} · ${connection.label}` },
      vscode.l10n.t('Reclaim'),
    );
    if (!go) throw new UserCancelled();
  }
  return deps.jobs.run(ACROSS, vscode.l10n.t('Reclaim the seat of {0}', member.email), {
    kind: 'person',
    items: [{ connectionId: connection.id, change: way.change }],
  });
}
