/**
 * The review commands: Start Access Review…, Sign Off, Close Access Review, Verify Evidence, and
 * the decisions CodeLens runs (keep all, revoke all, one item).
 */
import type * as vscode from 'vscode';
import type { ReviewDocuments } from './documents';
import { decideCommand } from './decide';
import { closeCommand } from './close';
import type { ReviewDeps } from './reviewFile';
import { signOffCommand } from './signOff';
import { startCommand } from './start';
import { verifyCommand } from './verify';

export interface ReviewCommands {
  start(): Promise<unknown>;
  signOff(uri?: vscode.Uri): Promise<unknown>;
  close(uri?: vscode.Uri): Promise<unknown>;
  verify(uri?: vscode.Uri): Promise<unknown>;
  decide(...args: unknown[]): Promise<unknown>;
}

export function reviewCommands(deps: ReviewDeps, documents: ReviewDocuments): ReviewCommands {
  return {
    start: () => startCommand(deps),
    signOff: (uri) => signOffCommand(deps, documents, uri),
    close: (uri) => closeCommand(deps, documents, uri),
    verify: (uri) => verifyCommand(deps, uri),
    decide: (...args: unknown[]) => decideCommand(documents, ...args),
  };
}
