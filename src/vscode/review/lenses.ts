/**
 * CodeLens on an open review: on each person's `email:` line, how many items are undecided, Keep all
 * (Keep the other N once some are decided) and Revoke all…; on each undecided item, Keep, Revoke… and each lower role it may take
 * (→ viewer). Each runs `workspaceAccess.review.decide`. A closed review offers none.
 *
 * A review of thousands of people would have tens of thousands of lenses, and VS Code takes seconds
 * over 50,000 (measured in test/integration/review.test.ts). So a large review's lenses are those
 * of the lines on screen and a margin, given again as scrolling nears the margin's edge; and every
 * lens is handed over as a range, its command made when VS Code shows it (resolve).
 */
import * as vscode from 'vscode';
import { describeItem } from '../../core/review/parse';
import { itemKey, KEEP, lowerRoles, REVOKE, type Review, type ReviewItem } from '../../core/review/review';
import type { ReviewLines } from './lines';

export const DECIDE = 'workspaceAccess.review.decide';

/** What the decide command takes from a lens: the review, the person, the items' keys, the decision. */
export type DecideArgs = [uri: vscode.Uri, email: string, keys: string[], decision: string];

/** A lens whose command is made when VS Code shows it. */
export class ReviewLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    private readonly make: () => vscode.Command,
  ) {
    super(range);
  }
  resolve(): this {
    this.command ??= this.make();
    return this;
  }
}

/** Whether an item may be revoked or lowered: a creator always keeps admin on what they made. */
const changeable = (item: ReviewItem) => item.via !== 'creator';

export function connectionOf(review: Review, item: ReviewItem) {
  return review.connections.find((c) => c.key === item.at);
}

/** Up to this many items, every lens is given; beyond, those of the lines around the screen. */
export const ALL_LENSES_UP_TO = 1_000;
/** Lines given lenses above and below what is on screen. */
const MARGIN = 150;

/** The lines [from, to] a large review's lenses were given for. */
export interface LensWindow {
  readonly from: number;
  readonly to: number;
}

/** The lines of the document on screen, across its editors; the top of the file when none shows it. */
export function visibleLines(doc: vscode.TextDocument): LensWindow {
  const ranges = vscode.window.visibleTextEditors.filter((e) => e.document === doc).flatMap((e) => e.visibleRanges);
  if (!ranges.length) return { from: 0, to: 100 };
  return {
    from: Math.min(...ranges.map((r) => r.start.line)),
    to: Math.max(...ranges.map((r) => r.end.line)),
  };
}

export const lensWindow = (visible: LensWindow): LensWindow => ({
  from: Math.max(0, visible.from - MARGIN),
  to: visible.to + MARGIN,
});

/** Whether what is on screen came near the edge of the lines given lenses (a third of the margin). */
export const needsLenses = (served: LensWindow, visible: LensWindow): boolean =>
  (served.from > 0 && visible.from < served.from + MARGIN / 3) || visible.to > served.to - MARGIN / 3;

export function codeLenses(
  doc: vscode.TextDocument,
  lines: ReviewLines | undefined,
  window?: LensWindow,
): vscode.CodeLens[] {
  if (!lines || lines.review.closed) return [];
  const within = (line: number) => !window || (line >= window.from && line <= window.to);
  const { review } = lines;
  const lenses: vscode.CodeLens[] = [];
  const at = (line: number) => new vscode.Range(line, 0, line, 0);
  const decide = (title: string, email: string, items: readonly ReviewItem[], decision: string, tooltip?: string) => ({
    title,
    command: DECIDE,
    arguments: [doc.uri, email, items.map((i) => itemKey(email, i)), decision] satisfies DecideArgs,
    ...(tooltip ? { tooltip } : {}),
  });
  for (const p of lines.people) {
    const { email, access } = p.person;
    if (!access.length || !within(p.line)) continue;
    const undecided = access.filter((i) => !i.decision);
    const open = undecided.length;
    const range = at(p.line);
    lenses.push(
      new ReviewLens(range, () => ({
        title: open
          ? vscode.l10n.t('{0} of {1} undecided', open, access.length)
          : vscode.l10n.t('all {0} decided', access.length),
        command: '',
      })),
    );
    // Keep never undoes a decision made: once one is, it keeps the others only.
    if (open)
      lenses.push(
        new ReviewLens(range, () =>
          open === access.length
            ? decide(
                vscode.l10n.t('Keep all'),
                email,
                access,
                KEEP,
                vscode.l10n.t('Keep all {0} items of {1}', access.length, email),
              )
            : decide(
                vscode.l10n.t('Keep the other {0}', open),
                email,
                undecided,
                KEEP,
                vscode.l10n.t('Keep the {0} undecided items of {1}', open, email),
              ),
        ),
      );
    const revocable = access.filter(changeable);
    if (revocable.length)
      lenses.push(
        new ReviewLens(range, () =>
          decide(
            vscode.l10n.t('Revoke all…'),
            email,
            revocable,
            REVOKE,
            vscode.l10n.t('Revoke all {0} items of {1}, with one reason', revocable.length, email),
          ),
        ),
      );
  }
  // Per item only while undecided: once decided, the line says it, and changing it is typing.
  for (const x of lines.items) {
    const { item } = x;
    if (item.decision || !within(x.itemLine)) continue;
    const email = x.person.email;
    const range = at(x.itemLine);
    lenses.push(new ReviewLens(range, () => decide(vscode.l10n.t('Keep'), email, [item], KEEP, describeItem(item))));
    if (!changeable(item)) continue;
    lenses.push(
      new ReviewLens(range, () => decide(vscode.l10n.t('Revoke…'), email, [item], REVOKE, describeItem(item))),
    );
    for (const role of lowerRoles(connectionOf(review, item), item))
      lenses.push(
        new ReviewLens(range, () =>
          decide(`→ ${role.label}`, email, [item], role.label, vscode.l10n.t('Lower to {0}', role.label)),
        ),
      );
  }
  return lenses;
}

export function resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
  return lens instanceof ReviewLens ? lens.resolve() : lens;
}
