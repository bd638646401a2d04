/**
 * What every part of the access file in the editor shares, with no import of its own parts: the
 * dependencies it is given, which documents are access files, and how a stored connection is
 * matched. A leaf module, so setup (loaded at activation) and the lazily loaded modules never
 * import each other.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { Candidate } from '../../core/access/plan';
import type { CommandDeps } from '../commands/targets';
import type { ConnectionInfo } from '../connectionStore';
import { READ_ONLY_SCHEME, type ReadOnlyDocuments } from '../documents';

export interface AccessDeps extends CommandDeps {
  readonly context: vscode.ExtensionContext;
  readonly previews: ReadOnlyDocuments;
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
