/**
 * Reading a roster file in the editor, for the Needs Attention view and the access file alike: the
 * path as the setting or an access file names it, resolved, read and parsed (core/roster/parse.ts).
 * Never throws: a roster that cannot be used says why in `error`.
 */
import * as vscode from 'vscode';
import { parseRoster, type RosterProblem } from '../core/roster/parse';
import type { Roster } from '../core/roster/roster';

export interface RosterRead {
  /** The file, resolved. */
  readonly uri?: vscode.Uri;
  readonly roster?: Roster;
  readonly problems: readonly RosterProblem[];
  readonly ignoredColumns: readonly string[];
  readonly error?: string;
}

/** A roster path: absolute, or relative to `base` (a folder); undefined when relative with no base. */
export function resolveRoster(path: string, base: vscode.Uri | undefined): vscode.Uri | undefined {
  if (/^([a-z]:)?[\\/]/i.test(path)) return vscode.Uri.file(path);
  return base ? vscode.Uri.joinPath(base, path) : undefined;
}

/** The roster at `uri`, parsed; its problems or why it cannot be used. */
export async function readRosterFile(uri: vscode.Uri): Promise<RosterRead> {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    const parsed = await parseRoster(new TextDecoder().decode(bytes));
    return { uri, roster: parsed.roster, problems: parsed.problems, ignoredColumns: parsed.ignoredColumns };
  } catch (err) {
    return { uri, problems: [], ignoredColumns: [], error: err instanceof Error ? err.message : String(err) };
  }
}
