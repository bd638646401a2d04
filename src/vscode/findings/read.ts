/**
 * What the Needs Attention view shows, read afresh: every connection's members, invitations and
 * activity (core/roster/gather.ts), the roster the settings name, and the findings across all of
 * them (core/roster/findings.ts). A roster or a connection that fails is said in its own row; the
 * rest is still read.
 */
import * as vscode from 'vscode';
import { todayUtc } from '../../core/access/plan';
import { findingsOf, type ConnectionNote, type EndDate, type Finding } from '../../core/roster/findings';
import { gatherConnection } from '../../core/roster/gather';
import type { RosterProblem } from '../../core/roster/parse';
import { parseDomains, type OrgDomains } from '../../core/roster/roster';
import type { ActivityReading } from '../../core/provider';
import { PLATFORMS } from '../../providers';
import type { CommandDeps } from '../commands/targets';
import { findingsSettings } from '../settings';
import { readRosterFile, resolveRoster, type RosterRead } from '../rosterFile';

/** What the roster setting (or an open access file's `roster:`) led to: its file, its problems, or why it could not be used. */
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
  /** Each connection's activity as read (a failed read left out), for the access file's hover. */
  readonly activity: ReadonlyMap<string, ActivityReading>;
}

/**
 * What the open access files add (see AccessFiles.forFindings): the roster the first of them names
 * (used when the setting is empty) and their end dates, each with the connection its entry matched.
 */
export interface FromAccessFiles {
  readonly roster?: vscode.Uri;
  readonly endDates: readonly EndDate[];
}

/** The roster file the setting names (resolved against the first workspace folder when relative), else the one an open access file names. */
async function readRoster(setting: string, fromFile: vscode.Uri | undefined): Promise<RosterRead> {
  if (!setting.trim()) return fromFile ? readRosterFile(fromFile) : { problems: [], ignoredColumns: [] };
  const uri = resolveRoster(setting, vscode.workspace.workspaceFolders?.[0]?.uri);
  if (!uri)
    return {
      problems: [],
      ignoredColumns: [],
      error: vscode.l10n.t('"{0}" is relative, and no folder is open to read it from.', setting),
    };
  return readRosterFile(uri);
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
  fromFiles: FromAccessFiles = { endDates: [] },
  signal?: AbortSignal,
): Promise<FindingsRead> {
  const settings = findingsSettings();
  const today = todayUtc();
  const [roster, facts] = await Promise.all([
    readRoster(settings.roster, fromFiles.roster),
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
    endDates: fromFiles.endDates,
  });
  const rosterState: RosterState = {
    uri: roster.uri,
    people: roster.roster?.size,
    problems: roster.problems,
    ignoredColumns: roster.ignoredColumns,
    error: roster.error,
  };
  const activity = new Map<string, ActivityReading>();
  for (const f of facts) if (f.activity && !('error' in f.activity)) activity.set(f.connectionId, f.activity);
  return { findings, notes, roster: rosterState, domains, inactiveDays: settings.inactiveDays, activity };
}
