/**
 * Open review files: each read and checked (core/review/parse.ts) when opened and after each edit,
 * its problems as diagnostics, and the active one's progress in the status bar ("132 of 410
 * decided, due in 5 days").
 */
import * as vscode from 'vscode';
import type { Problem } from '../../core/access/spec';
import { parseReview, type ParsedReview } from '../../core/review/parse';
import { daysUntil, progressOf, type Review } from '../../core/review/review';
import { complete } from './completion';
import { hover } from './hover';
import {
  ALL_LENSES_UP_TO,
  codeLenses,
  lensWindow,
  needsLenses,
  resolveCodeLens,
  visibleLines,
  type LensWindow,
} from './lenses';
import { knownLinesOf, linesOf, type ReviewLines } from './lines';
import { isReviewFile } from './reviewFile';

const today = () => new Date().toISOString().slice(0, 10);

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Undecided items shown one by one in the Problems panel; past this, one more diagnostic counts the
 * rest (the status bar and each person's CodeLens count them too). A review of thousands of people
 * would otherwise fill the panel with tens of thousands of entries and slow the window.
 */
export const UNDECIDED_DIAGNOSTICS = 500;

export class ReviewDocuments implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('workspaceAccess.review');
  readonly status = vscode.window.createStatusBarItem('workspaceAccess.review', vscode.StatusBarAlignment.Left, 49);
  private readonly parsed = new Map<string, { version: number; lineCount: number; parsed: ParsedReview }>();
  private pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Each document's last review that read, for completion while a line is half typed. */
  private readonly lastGood = new Map<string, Review>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  /** Fired when a large review's lenses should follow what is on screen now. */
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  /** The lines each large review's lenses were given for. */
  private readonly served = new Map<string, LensWindow>();
  private readonly scrolled: vscode.Disposable;

  constructor() {
    this.status.name = vscode.l10n.t('Workspace Access: access review');
    this.scrolled = vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
      const window = this.served.get(e.textEditor.document.uri.toString());
      if (window && needsLenses(window, visibleLines(e.textEditor.document))) this.lensesChanged.fire();
    });
  }

  /** The document's review as last read (read now when it changed since). */
  read(doc: vscode.TextDocument): ParsedReview {
    const key = doc.uri.toString();
    const known = this.parsed.get(key);
    if (known && known.version === doc.version) return known.parsed;
    const parsed = parseReview(doc.getText(), today());
    this.parsed.set(key, { version: doc.version, lineCount: doc.lineCount, parsed });
    if (parsed.review) this.lastGood.set(key, parsed.review);
    return parsed;
  }

  /** Where each person and item is, by line, in the document as it is now. */
  lines(doc: vscode.TextDocument): ReviewLines | undefined {
    return linesOf(doc, this.read(doc));
  }

  check(doc: vscode.TextDocument): void {
    const parsed = this.read(doc);
    const diagnostic = (p: Pick<Problem, 'at' | 'message' | 'severity' | 'code'>) => {
      // An undecided item is marked at its opening brace, not underlined whole: most lines of a new
      // review are undecided, and a squiggle under each would hide the text.
      const end = p.code === 'undecided' ? Math.min(p.at[0] + 1, p.at[1]) : p.at[1];
      const d = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(p.at[0]), doc.positionAt(end)),
        p.message,
        SEVERITY[p.severity],
      );
      d.source = 'Workspace Access';
      d.code = p.code;
      return d;
    };
    const undecided = parsed.problems.filter((p) => p.code === 'undecided');
    const shown = [
      ...parsed.problems.filter((p) => p.code !== 'undecided'),
      ...undecided.slice(0, UNDECIDED_DIAGNOSTICS),
    ].map(diagnostic);
    const rest = undecided.length - UNDECIDED_DIAGNOSTICS;
    if (rest > 0)
      shown.push(
        diagnostic({
          at: undecided[UNDECIDED_DIAGNOSTICS].at,
          severity: 'info',
          code: 'undecided',
          message: vscode.l10n.t(
            "{0} more undecided items from here on: the status bar counts them, and each person's CodeLens decides them.",
            rest,
          ),
        }),
      );
    this.diagnostics.set(doc.uri, shown);
    this.showStatus();
    if (this.served.has(doc.uri.toString())) this.lensesChanged.fire();
  }

  /** Checked again when typing pauses: a large review is read in one go. */
  edited(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.check(doc);
      }, 200),
    );
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.parsed.delete(key);
    this.lastGood.delete(key);
    this.served.delete(key);
    this.diagnostics.delete(doc.uri);
    this.showStatus();
  }

  /** The active review's progress, or nothing when the active editor holds no review. */
  showStatus(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const review = doc && isReviewFile(doc) ? this.read(doc).review : undefined;
    if (!doc || !review) {
      this.status.hide();
      return;
    }
    const p = progressOf(review);
    const days = daysUntil(review.due, today());
    const due = review.closed
      ? vscode.l10n.t('closed')
      : days > 1
        ? vscode.l10n.t('due in {0} days', days)
        : days === 1
          ? vscode.l10n.t('due tomorrow')
          : days === 0
            ? vscode.l10n.t('due today')
            : vscode.l10n.t('overdue by {0} days', -days);
    this.status.text = `$(checklist) ${vscode.l10n.t('{0} of {1} decided, {2}', p.decided, p.items, due)}`;
    this.status.tooltip = vscode.l10n.t(
      'Access review "{0}": {1} of {2} items decided',
      review.name,
      p.decided,
      p.items,
    );
    this.status.backgroundColor =
      !review.closed && days < 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.status.show();
  }

  /**
   * The lenses: all of them for a review of ordinary size; for a large one, those of the lines on
   * screen and a margin around them, given again when scrolling nears the margin's edge.
   */
  codeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const key = doc.uri.toString();
    // While a large review is being typed in, its lenses stay those of the last read when no line was
    // added or removed (reading it takes a second): the check after typing pauses gives them anew.
    const known = this.parsed.get(key);
    const stale =
      known && known.version !== doc.version && known.lineCount === doc.lineCount
        ? knownLinesOf(known.parsed)
        : undefined;
    const lines = stale && stale.items.length > ALL_LENSES_UP_TO ? stale : this.lines(doc);
    if (!lines || lines.items.length <= ALL_LENSES_UP_TO) {
      this.served.delete(key);
      return codeLenses(doc, lines);
    }
    const window = lensWindow(visibleLines(doc));
    this.served.set(key, window);
    return codeLenses(doc, lines, window);
  }

  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    return resolveCodeLens(lens);
  }

  complete(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] {
    // The connections and their roles are what completion needs: the last read has them, without reading every keystroke.
    const review = this.lastGood.get(doc.uri.toString()) ?? this.read(doc).review;
    return complete(doc, pos, review);
  }

  hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    return hover(pos, this.lines(doc));
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.diagnostics.dispose();
    this.status.dispose();
    this.scrolled.dispose();
    this.lensesChanged.dispose();
  }
}
