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
  review.people.forEach((person, pi) => {
    const spans = parsed.spans[pi];
    if (!spans) return;
    const p: PersonAt = { person, line: doc.positionAt(spans.person[0]).line };
    people.push(p);
    byLine.set(p.line, p);
    person.access.forEach((item, ii) => {
      const span = spans.items[ii];
      if (!span) return;
      const at: ItemAt = { ...p, item, span, itemLine: doc.positionAt(span[0]).line };
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
