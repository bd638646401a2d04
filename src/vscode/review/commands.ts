/**
 * The review commands: Start Access Review…, Sign Off, Close Access Review, Verify Evidence, and
 * the decisions CodeLens runs (keep all, revoke all, one item).
 */
import * as vscode from 'vscode';
import type { ReviewDocuments } from './documents';
import { decideCommand } from './decide';
import type { ReviewDeps } from './reviewFile';

export interface ReviewCommands {
  start(): Promise<unknown>;
  signOff(uri?: vscode.Uri): Promise<unknown>;
  close(uri?: vscode.Uri): Promise<unknown>;
  verify(uri?: vscode.Uri): Promise<unknown>;
  decide(...args: unknown[]): Promise<unknown>;
}

export function reviewCommands(_deps: ReviewDeps, documents: ReviewDocuments): ReviewCommands {
  const notYet = () => Promise.reject(new Error(vscode.l10n.t('Not available yet.')));
  return {
    start: notYet,
    signOff: notYet,
    close: notYet,
    verify: notYet,
    decide: (...args: unknown[]) => decideCommand(documents, ...args),
  };
}
