/**
 * The roster part of the access file's hover, on a line that grants a person something: their
 * roster row (name, status, end date, line) and their last activity where the platform gives it.
 * Activity comes from what is already read, never from a request per hover: GitBook's members list
 * carries the date last seen, and the Needs Attention view's last read holds ElevenLabs' usage.
 */
import * as vscode from 'vscode';
import type { AccessFileFacts } from '../../core/access/facts';
import type { LiveState } from '../../core/access/live';
import { hasLeft, type RosterPerson } from '../../core/roster/roster';
import { todayUtc } from '../../core/access/plan';
import { PLATFORMS } from '../../providers';
import type { AccessFiles } from './openFiles';

/** The email a hovered path names a person by, where it is a line that grants a person something. */
export function emailAt(
  rel: readonly string[],
  f: AccessFileFacts,
  raw: Record<string, unknown> | undefined,
): string | undefined {
  const email = (s: string | undefined) => (s?.includes('@') ? s : undefined);
  if (rel[0] === 'members') return email(rel[1]);
  if (rel[0] === 'resources' && rel[2] === 'grants') return email(rel[3]);
  if (rel[0] === 'projects' && rel[2] === 'members') return email(rel[3]);
  if (f.groups && rel[0] === f.groups.key && rel.length >= 3) {
    const members = (raw?.[f.groups.key] as Record<string, unknown> | undefined)?.[rel[1]];
    return Array.isArray(members) ? email(String(members[Number(rel[2])])) : email(rel[2]);
  }
  return undefined;
}

const row = (p: RosterPerson) =>
  vscode.l10n.t(
    'Roster line {0}: **{1}**, {2}{3}.',
    p.line,
    p.name ?? p.email,
    p.statusText ?? p.status,
    p.endDate ? vscode.l10n.t(', end date {0}', p.endDate) : '',
  );

/** What a connection's platform says of a member's last activity, from what is read already. */
function activityOf(files: AccessFiles, connectionId: string | undefined, email: string, live?: LiveState): string {
  const connection = connectionId ? files.deps.store.get(connectionId) : undefined;
  if (!connection) return vscode.l10n.t('Last activity: not read (the entry matches no connection).');
  const activity = files.deps.sessions.provider(connection).members?.activity;
  const label = PLATFORMS[connection.platform].label;
  if (!activity) return vscode.l10n.t('Last activity: no activity given ({0} gives none).', label);
  const member = live?.members.find((m) => m.email.toLowerCase() === email.toLowerCase());
  if (!member) return vscode.l10n.t('Last activity: not a member of this connection.');
  const reading = files.deps.activity?.(connection.id);
  const last = reading?.lastActive.get(member.id) ?? member.lastSeen;
  if (last) return vscode.l10n.t('Last activity: {0} ({1}).', last.slice(0, 10), activity.source);
  if (reading)
    return reading.since
      ? vscode.l10n.t('Last activity: none since {0} ({1}).', reading.since.slice(0, 10), activity.source)
      : vscode.l10n.t('Last activity: never ({0}).', activity.source);
  return vscode.l10n.t('Last activity: not read yet ({0}); open Needs Attention to read it.', activity.source);
}

/** The hover's roster lines for a person on a line of the file's entry `index`; undefined without a roster. */
export function rosterHover(
  files: AccessFiles,
  doc: vscode.TextDocument,
  index: number,
  email: string,
  live: LiveState | undefined,
): string | undefined {
  const roster = files.rosters.rosterOf(doc.uri);
  if (!roster) return undefined;
  const person = roster.find(email);
  const lines = [
    person
      ? `${row(person)}${hasLeft(person, todayUtc()) ? ` ${vscode.l10n.t('Has left.')}` : ''}`
      : vscode.l10n.t('Not on the roster (no row has this email or alias).'),
    activityOf(files, files.state(doc.uri)?.plan?.targets[index]?.connectionId, email, live),
  ];
  return lines.join('\n\n');
}
