/**
 * A review as the YAML file people decide: one line per item, so a decision is one edit on one
 * line and a pull request's diff reads as the decisions. Written directly (the file's shape is
 * fixed and large reviews have tens of thousands of lines); parse.ts reads it with js-yaml, and a
 * round-trip test holds the two together.
 */
import type { Review, ReviewItem, ReviewPerson } from './review';

/** The file's header: what to do with it. */
export const HEADER = [
  '# Access review: decide each item with `decision: keep`, `decision: revoke`, or a lower role',
  '# (its name, e.g. `decision: viewer`). Anything but keep needs a `reason:`. When every item is',
  '# decided, sign off and close the review (Workspace Access: Close Access Review, or',
  '# `workspace-access review close FILE`). Only decision, reason and signoff may be edited.',
];

const RESERVED = /^(?:true|false|yes|no|on|off|null|~|y|n)$/i;
const NUMBER = /^[-+]?(?:\.?\d|\.inf|\.nan)/i;
const PLAIN = /^[A-Za-z_./()+][\w@./()+'& -]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A scalar as YAML: plain where it reads back as the same string, else double-quoted (JSON's quoting is YAML's). */
export function scalar(text: string): string {
  if (DATE.test(text)) return text;
  if (text === '' || RESERVED.test(text) || NUMBER.test(text) || !PLAIN.test(text) || text.endsWith(' '))
    return JSON.stringify(text);
  return text;
}

const pair = (key: string, value: string | boolean | undefined) =>
  value === undefined ? undefined : `${key}: ${typeof value === 'boolean' ? String(value) : scalar(value)}`;

/** One item on one line, in a fixed key order: where, what, held how, decided how. */
export function itemLine(item: ReviewItem): string {
  const parts = [
    pair('at', item.at),
    pair('kind', item.kind),
    pair('type', item.type),
    pair('id', item.id),
    pair('name', item.name),
    pair('role', item.role),
    pair('via', item.via),
    pair('decision', item.decision),
    pair('reason', item.reason),
  ].filter((p): p is string => p !== undefined);
  return `{${parts.join(', ')}}`;
}

/** A person's lines as the file writes them; with `factsOnly`, their items without decision or reason (what the snapshot hashes). */
export function personLines(p: ReviewPerson, factsOnly = false): string[] {
  const lines = [`  - email: ${scalar(p.email)}`];
  if (p.name) lines.push(`    name: ${scalar(p.name)}`);
  const c = p.context;
  if (c) {
    const parts = [
      pair('roster', c.roster),
      pair('external', c.external),
      pair('lastActive', c.lastActive),
      c.findings?.length ? `findings: [${c.findings.map(scalar).join(', ')}]` : undefined,
    ].filter((x): x is string => x !== undefined);
    if (parts.length) lines.push(`    context: {${parts.join(', ')}}`);
  }
  lines.push(p.access.length ? '    access:' : '    access: []');
  for (const item of p.access)
    lines.push(`      - ${itemLine(factsOnly ? { ...item, decision: undefined, reason: undefined } : item)}`);
  return lines;
}

/** The whole file. */
export function renderReview(review: Review, schemaUrl?: string): string {
  const lines = [...(schemaUrl ? [`# yaml-language-server: $schema=${schemaUrl}`] : []), ...HEADER];
  lines.push(`accessReview: ${review.format}`);
  lines.push(`name: ${scalar(review.name)}`);
  lines.push(`started: ${scalar(review.started)}`);
  lines.push(`due: ${scalar(review.due)}`);
  lines.push(`reviewers: [${review.reviewers.map(scalar).join(', ')}]`);
  const s = review.scope;
  lines.push(
    `scope: {people: ${s.people}, connections: [${s.connections.map(scalar).join(', ')}]${s.type ? `, type: ${scalar(s.type)}` : ''}}`,
  );
  lines.push(`snapshot: ${review.snapshot}`);
  lines.push('connections:');
  for (const c of review.connections) {
    lines.push(`  ${scalar(c.key)}:`);
    lines.push(`    platform: ${scalar(c.platform)}`);
    lines.push(`    name: ${scalar(c.name)}`);
    if (c.revokeLocks) lines.push('    revokeLocks: true');
    const kinds = Object.entries(c.roles);
    lines.push(kinds.length ? '    roles:' : '    roles: {}');
    for (const [kind, roles] of kinds) {
      const list = roles.roles.map((r) =>
        r.id === r.label ? scalar(r.label) : `{id: ${scalar(r.id)}, label: ${scalar(r.label)}}`,
      );
      lines.push(`      ${kind}: {ranked: ${roles.ranked}, roles: [${list.join(', ')}]}`);
    }
  }
  lines.push(review.people.length ? 'people:' : 'people: []');
  for (const p of review.people) lines.push(...personLines(p));
  if (review.signoff)
    lines.push(
      `signoff: {name: ${scalar(review.signoff.name)}, email: ${scalar(review.signoff.email)}, at: ${scalar(review.signoff.at)}}`,
    );
  if (review.closed)
    lines.push(
      `closed: {at: ${scalar(review.closed.at)}, evidence: ${scalar(review.closed.evidence)}, sha256: ${review.closed.sha256}${review.closed.decisions ? `, decisions: ${review.closed.decisions}` : ''}}`,
    );
  return `${lines.join('\n')}\n`;
}
