/**
 * CodeLens on an open review: on each person's `email:` line, how many items are undecided, Keep all
 * and Revoke all…; on each undecided item, Keep, Revoke… and each lower role it may take
 * (→ viewer). Each runs `workspaceAccess.review.decide`. A closed review offers none.
 *
 * A review of thousands of people has tens of thousands of lenses: they are handed over as ranges
 * only, and VS Code asks for the command (resolve) of the ones on screen.
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

export function codeLenses(doc: vscode.TextDocument, lines: ReviewLines | undefined): vscode.CodeLens[] {
  if (!lines || lines.review.closed) return [];
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
    if (!access.length) continue;
    const open = access.filter((i) => !i.decision).length;
    const range = at(p.line);
    lenses.push(
      new ReviewLens(range, () => ({
        title: open
          ? vscode.l10n.t('{0} of {1} undecided', open, access.length)
          : vscode.l10n.t('all {0} decided', access.length),
        command: '',
      })),
      new ReviewLens(range, () =>
        decide(
          vscode.l10n.t('Keep all'),
          email,
          access,
          KEEP,
          vscode.l10n.t('Keep all {0} items of {1}', access.length, email),
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
    if (item.decision) continue;
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
