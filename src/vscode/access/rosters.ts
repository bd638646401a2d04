/**
 * The roster of an open access file: the file's own `roster:` (relative to the file) or, without
 * one, the `workspaceAccess.roster` setting. Its people are checked against every line of the file
 * that grants someone access (core/roster/accessFile.ts). A roster is read again by a fresh check
 * (open, save, Refresh) and reused by each edit's check, so typing reads no file.
 */
import * as vscode from 'vscode';
import type { FilePlan } from '../../core/access/plan';
import { todayUtc } from '../../core/access/plan';
import type { ParsedFile, Problem } from '../../core/access/spec';
import { endDatesOf, rosterProblems } from '../../core/roster/accessFile';
import type { Roster } from '../../core/roster/roster';
import type { FromAccessFiles } from '../findings/read';
import { readRosterFile, resolveRoster, type RosterRead } from '../rosterFile';
import { findingsSettings } from '../settings';
import { workspaceTrust } from './accessFile';

/** The folder a document is in (a roster named in it is relative to it); undefined for an untitled one. */
const folderOf = (uri: vscode.Uri) => (uri.scheme === 'untitled' ? undefined : vscode.Uri.joinPath(uri, '..'));

/** The specs a check compares: the whole file's, or with errors the entries that have none. */
const specsOf = (parsed: ParsedFile) => (parsed.problems.length ? (parsed.partial ?? []) : parsed.connections);

export class FileRosters {
  /** Each roster read, by its URI: reused until a fresh check reads it again. */
  private readonly reads = new Map<string, Promise<RosterRead>>();
  /** The roster each document's last check used, by the document's URI. */
  private readonly used = new Map<string, Roster>();

  /** The roster file a document's check uses: its `roster:` key, else the setting (relative to the first workspace folder). */
  uriOf(doc: vscode.Uri, parsed: Pick<ParsedFile, 'roster'>): vscode.Uri | undefined {
    if (parsed.roster) return resolveRoster(parsed.roster.path, folderOf(doc));
    const setting = findingsSettings().roster;
    return setting.trim() ? resolveRoster(setting, vscode.workspace.workspaceFolders?.[0]?.uri) : undefined;
  }

  /**
   * The roster diagnostics of a document: who has left and who is not on the roster, or why the
   * roster named cannot be used (a warning at the `roster:` key, or the top of the file). Nothing
   * without a roster, and nothing in Restricted Mode (a file someone else wrote could name any path).
   */
  async check(doc: vscode.Uri, parsed: ParsedFile, fresh: boolean): Promise<Problem[]> {
    this.used.delete(doc.toString());
    if (!workspaceTrust.isTrusted()) return [];
    const at = parsed.roster?.at ?? [0, 0];
    const uri = this.uriOf(doc, parsed);
    if (!uri) {
      if (!parsed.roster) return [];
      return [
        {
          at,
          severity: 'warning',
          code: 'roster',
          message: vscode.l10n.t(
            '"{0}" is relative, and this file is not saved in a folder: save it first.',
            parsed.roster.path,
          ),
        },
      ];
    }
    const key = uri.toString();
    let reading = this.reads.get(key);
    if (!reading || fresh) {
      reading = readRosterFile(uri);
      this.reads.set(key, reading);
    }
    const read = await reading;
    if (!read.roster)
      return [
        {
          at,
          severity: 'warning',
          code: 'roster',
          message: vscode.l10n.t(
            'The roster {0} cannot be used: {1}',
            vscode.workspace.asRelativePath(uri),
            read.error ?? '',
          ),
        },
      ];
    this.used.set(doc.toString(), read.roster);
    return rosterProblems(specsOf(parsed), read.roster, todayUtc());
  }

  /** The roster a document's last check used (the hover shows its row). */
  rosterOf(doc: vscode.Uri): Roster | undefined {
    return this.used.get(doc.toString());
  }

  forget(doc: vscode.Uri): void {
    this.used.delete(doc.toString());
  }
}

/**
 * What the Needs Attention view takes from the open access files: the roster the first of them
 * (in the order they were opened) names with `roster:`, and every end date of every file whose
 * entries were matched to connections by its last check.
 */
export function forFindings(
  rosters: FileRosters,
  files: readonly { readonly uri: vscode.Uri; readonly parsed: ParsedFile; readonly plan?: FilePlan }[],
): FromAccessFiles {
  // Files on disk (or not yet saved) only: a diff's `git:` copy of the same file would count its dates twice.
  files = files.filter((f) => f.uri.scheme === 'file' || f.uri.scheme === 'untitled');
  const named = workspaceTrust.isTrusted() ? files.find((f) => f.parsed.roster) : undefined;
  return {
    roster: named && rosters.uriOf(named.uri, named.parsed),
    endDates: files.flatMap((f) =>
      f.plan
        ? endDatesOf(
            f.parsed.connections,
            f.plan.targets.map((t) => t?.connectionId),
          )
        : [],
    ),
  };
}
