/**
 * What every part of the access file in the editor shares, with no import of its own parts: the
 * dependencies it is given, which documents are access files, and how a stored connection is
 * matched. A leaf module, so setup (loaded at activation) and the lazily loaded modules never
 * import each other.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Candidate } from '../../core/access/plan';
import type { ActivityReading } from '../../core/provider';
import type { ParsedFile } from '../../core/access/spec';
import type { CommandDeps } from '../commands/targets';
import type { ConnectionInfo } from '../connectionStore';
import { READ_ONLY_SCHEME, type ReadOnlyDocuments } from '../documents';

export interface AccessDeps extends CommandDeps {
  readonly context: vscode.ExtensionContext;
  readonly previews: ReadOnlyDocuments;
  /** A connection's member activity as the Needs Attention view last read it (the hover makes no request of its own). */
  readonly activity?: (connectionId: string) => ActivityReading | undefined;
}

/** `workspace-access.yaml`, or `<anything>.workspace-access.yaml`. */
export const ACCESS_FILE_GLOB = '**/{workspace-access.yaml,*.workspace-access.yaml}';

export function isAccessFile(doc: Pick<vscode.TextDocument, 'uri'>): boolean {
  // The live side of a plan's diff is named like the file, but it is not one.
  if (doc.uri.scheme === READ_ONLY_SCHEME) return false;
  const name = path.posix.basename(doc.uri.path).toLowerCase();
  return name === 'workspace-access.yaml' || name.endsWith('.workspace-access.yaml');
}

export function candidateOf(c: ConnectionInfo): Candidate {
  return {
    id: c.id,
    platform: c.platform,
    names: [c.label, c.tenantId, c.tenantName, c.account?.name].filter((n): n is string => !!n),
  };
}

/**
 * Whether the folder is trusted: only then does an access file read live access with the user's
 * keys (a file in a folder someone else wrote names any organization it likes). Held in one object
 * so the integration tests, whose editor runs with trust switched off, can see Restricted Mode.
 */
export const workspaceTrust = { isTrusted: (): boolean => vscode.workspace.isTrusted };

/** What a command that reads live says in Restricted Mode. */
export function refuseUntrusted(what: string): void {
  if (workspaceTrust.isTrusted()) return;
  throw new Error(
    vscode.l10n.t(
      '{0} waits until you trust this folder: in Restricted Mode an access file is checked for syntax only, and nothing reads live access with your keys. Run "Workspaces: Manage Workspace Trust" to trust it.',
      what,
    ),
  );
}

/** About how many requests comparing the file with live takes: a few per connection, one per resource, group and project. */
export function readsOf(parsed: ParsedFile): number {
  return parsed.connections.reduce(
    (n, c) => n + 3 + (c.resources?.length ?? 0) + (c.groups?.length ?? 0) + 2 * (c.projects?.length ?? 0),
    0,
  );
}
