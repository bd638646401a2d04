/**
 * Where each person and item of an open review is, by line: what CodeLens, hover, completion and
 * the decide command look up. Built once per read of the document (a review of thousands of people
 * has tens of thousands of lines) and kept beside that read.
 */
import type * as vscode from 'vscode';
import type { ParsedReview } from '../../core/review/parse';
import type { Review, ReviewItem, ReviewPerson } from '../../core/review/review';

export interface PersonAt {
  readonly person: ReviewPerson;
  /** The line of the person's `email:`. */
  readonly line: number;
}

export interface ItemAt extends PersonAt {
  readonly item: ReviewItem;
  /** The item's flow map in the text: [start, end) offsets. */
  readonly span: readonly [number, number];
  readonly itemLine: number;
}

export interface ReviewLines {
  readonly review: Review;
  readonly people: readonly PersonAt[];
  readonly items: readonly ItemAt[];
  /** The person (on their email line) or the item on a line. */
  at(line: number): PersonAt | ItemAt | undefined;
}

const cache = new WeakMap<ParsedReview, ReviewLines>();

export function linesOf(doc: vscode.TextDocument, parsed: ParsedReview): ReviewLines | undefined {
  const review = parsed.review;
  if (!review) return undefined;
  const known = cache.get(parsed);
  if (known) return known;
  const people: PersonAt[] = [];
  const items: ItemAt[] = [];
  const byLine = new Map<number, PersonAt | ItemAt>();
  // Spans come in the text's order (as written): one pass counting newlines, not a lookup per span.
  const text = doc.getText();
  let offset = 0;
  let line = 0;
  const lineAt = (to: number) => {
    if (to < offset) return doc.positionAt(to).line; // A person's keys in another order: looked up.
    for (let nl = text.indexOf('\n', offset); nl !== -1 && nl < to; nl = text.indexOf('\n', nl + 1)) line++;
    offset = Math.max(offset, to);
    return line;
  };
  review.people.forEach((person, pi) => {
    const spans = parsed.spans[pi];
    if (!spans) return;
    const p: PersonAt = { person, line: lineAt(spans.person[0]) };
    people.push(p);
    byLine.set(p.line, p);
    person.access.forEach((item, ii) => {
      const span = spans.items[ii];
      if (!span) return;
      const at: ItemAt = { ...p, item, span, itemLine: lineAt(span[0]) };
      items.push(at);
      if (!byLine.has(at.itemLine)) byLine.set(at.itemLine, at);
    });
  });
  const lines: ReviewLines = { review, people, items, at: (line) => byLine.get(line) };
  cache.set(parsed, lines);
  return lines;
}

/** The lines of a read made before, if they were worked out then (never worked out against newer text). */
export const knownLinesOf = (parsed: ParsedReview): ReviewLines | undefined => cache.get(parsed);

export const isItem = (x: PersonAt | ItemAt | undefined): x is ItemAt => !!x && 'item' in x;
