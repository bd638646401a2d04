/**
 * Everything the editor does with review files, in a bundle of its own (dist/review.js, loaded by
 * setup.ts on first use): diagnostics, the status bar's progress, CodeLens, completion, hover, and
 * the commands (start, sign off, close, verify, and the CodeLens decisions).
 */
import * as vscode from 'vscode';
import { ReviewDocuments } from './documents';
import { reviewCommands, type ReviewCommands } from './commands';
import { signOffLenses } from './signOff';
import type { ReviewDeps } from './reviewFile';

export interface ReviewFeatures extends vscode.Disposable {
  /** Reads and checks a review document: diagnostics and the status bar. */
  check(doc: vscode.TextDocument): void;
  edited(doc: vscode.TextDocument): void;
  forget(doc: vscode.TextDocument): void;
  showStatus(): void;
  codeLenses(doc: vscode.TextDocument): vscode.CodeLens[];
  complete(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[];
  hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined;
  readonly documents: ReviewDocuments;
  readonly commands: ReviewCommands;
}

export function createReviewFeatures(deps: ReviewDeps): ReviewFeatures {
  const documents = new ReviewDocuments();
  const commands = reviewCommands(deps, documents);
  return {
    check: (doc) => documents.check(doc),
    edited: (doc) => documents.edited(doc),
    forget: (doc) => documents.forget(doc),
    showStatus: () => documents.showStatus(),
    // Sign Off, then Close, at the top once every item is decided; then each person's and item's decisions.
    codeLenses: (doc) => [...signOffLenses(documents, doc), ...documents.codeLenses(doc)],
    complete: (doc, pos) => documents.complete(doc, pos),
    hover: (doc, pos) => documents.hover(doc, pos),
    documents,
    commands,
    dispose: () => documents.dispose(),
  };
}
