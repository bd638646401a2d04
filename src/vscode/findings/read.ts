/**
 * What the Needs Attention view shows, read afresh: every connection's members, invitations and
 * activity (core/roster/gather.ts), the roster the settings name, and the findings across all of
 * them (core/roster/findings.ts). A roster or a connection that fails is said in its own row; the
 * rest is still read.
 */
import * as vscode from 'vscode';
import { todayUtc } from '../../core/access/plan';
import { findingsOf, type ConnectionNote, type Finding } from '../../core/roster/findings';
import { gatherConnection } from '../../core/roster/gather';
import { parseRoster, type RosterProblem } from '../../core/roster/parse';
import { parseDomains, type OrgDomains } from '../../core/roster/roster';
import { PLATFORMS } from '../../providers';
import type { CommandDeps } from '../commands/targets';
import { findingsSettings } from '../settings';

/** What the roster setting led to: its file, its problems, or why it could not be used. */
export interface RosterState {
  /** The file as the setting names it, resolved against the workspace folder. */
  readonly uri?: vscode.Uri;
  readonly people?: number;
  readonly problems: readonly RosterProblem[];
  readonly ignoredColumns: readonly string[];
  readonly error?: string;
}

export interface FindingsRead {
  readonly findings: readonly Finding[];
  readonly notes: readonly ConnectionNote[];
  readonly roster: RosterState;
  /** Why the domain setting was not used (a bad entry), or that it is empty. */
  readonly domains: { readonly set: boolean; readonly error?: string };
  readonly inactiveDays: number;
}

/** The roster file the setting names, resolved against the first workspace folder when relative. */
export function rosterUri(setting: string): vscode.Uri | undefined {
  if (!setting.trim()) return undefined;
  if (/^([a-z]:)?[\\/]/i.test(setting)) return vscode.Uri.file(setting);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, setting) : undefined;
}

async function readRoster(
  setting: string,
): Promise<RosterState & { roster?: Awaited<ReturnType<typeof parseRoster>>['roster'] }> {
  const uri = rosterUri(setting);
  if (!setting.trim()) return { problems: [], ignoredColumns: [] };
  if (!uri)
    return {
      problems: [],
      ignoredColumns: [],
      error: vscode.l10n.t('"{0}" is relative, and no folder is open to read it from.', setting),
    };
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    const parsed = await parseRoster(new TextDecoder().decode(bytes));
    return {
      uri,
      roster: parsed.roster,
      people: parsed.roster.size,
      problems: parsed.problems,
      ignoredColumns: parsed.ignoredColumns,
    };
  } catch (err) {
    return { uri, problems: [], ignoredColumns: [], error: err instanceof Error ? err.message : String(err) };
  }
}

function domainsFrom(list: readonly string[]): { domains?: OrgDomains; set: boolean; error?: string } {
  if (!list.length) return { set: false };
  try {
    return { domains: parseDomains(list), set: true };
  } catch (err) {
    return { set: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Reads every connection and the roster, then finds who should not be here. */
export async function readFindings(
  deps: Pick<CommandDeps, 'store' | 'sessions'>,
  signal?: AbortSignal,
): Promise<FindingsRead> {
  const settings = findingsSettings();
  const today = todayUtc();
  const [roster, facts] = await Promise.all([
    readRoster(settings.roster),
    Promise.all(
      deps.store.list().map((c) =>
        gatherConnection(deps.sessions.provider(c), c.id, PLATFORMS[c.platform].label, {
          today,
          inactiveDays: settings.inactiveDays,
          signal,
        }),
      ),
    ),
  ]);
  const domains = domainsFrom(settings.domains);
  const { findings, notes } = findingsOf({
    connections: facts,
    roster: roster.roster,
    domains: domains.domains,
    today,
    inactiveDays: settings.inactiveDays,
    invitationDays: settings.invitationDays,
  });
  const rosterState: RosterState = {
    uri: roster.uri,
    people: roster.people,
    problems: roster.problems,
    ignoredColumns: roster.ignoredColumns,
    error: roster.error,
  };
  return { findings, notes, roster: rosterState, domains, inactiveDays: settings.inactiveDays };
}
