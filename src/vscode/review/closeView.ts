/**
 * The close plan in the diff editor: the reviewed people's access as read now (left) against the
 * same after the changes (right). Both sides carry the same notes (what is no longer held, what
 * was granted after the review started, what waits), so the diff shows only the changes.
 */
import { heldNow, type ClosePlan } from '../../core/review/close';
import { describeItem } from '../../core/review/parse';
import { itemLine } from '../../core/review/render';
import { itemKey, REVOKE, type Review, type ReviewItem } from '../../core/review/review';
import type { ConnectionRead } from '../../core/review/start';

export interface CloseTexts {
  readonly before: string;
  readonly after: string;
}

/** `waiting`: review connections with no stored connection, by key, with why. */
export function closeTexts(
  review: Review,
  reads: readonly ConnectionRead[],
  plan: ClosePlan,
  waiting: readonly string[],
): CloseTexts {
  const now = heldNow(review, reads);
  const reviewed = new Set(review.people.map((p) => p.email.toLowerCase()));
  const changes = new Map(plan.changes.map((c) => [itemKey(c.email, c.item), c]));
  const unreviewed = new Set(plan.unreviewed.map((u) => itemKey(u.email, u.item)));
  const notes = [
    `# Access review "${review.name}": ${plan.changes.length} change(s), ${plan.kept} kept, ${plan.gone.length} no longer held`,
    ...(plan.gone.length
      ? [
          '# No longer held (decided, nothing to send):',
          ...plan.gone.map((g) => `#   ${g.email}: ${describeItem(g.item)} (${g.item.decision ?? ''})`),
        ]
      : []),
    ...(plan.unreviewed.length
      ? [
          '# Granted after the review started (not reviewed, never revoked by it):',
          ...plan.unreviewed.map((u) => `#   ${u.email}: ${describeItem(u.item)}`),
        ]
      : []),
    ...waiting.map((w) => `# Waits: ${w}`),
    '',
  ];
  const before: string[] = [...notes];
  const after: string[] = [...notes];
  for (const p of now.people) {
    if (!reviewed.has(p.email.toLowerCase()) && !p.access.some((i) => unreviewed.has(itemKey(p.email, i)))) continue;
    before.push(`${p.email}:`);
    after.push(`${p.email}:`);
    for (const item of p.access) {
      const key = itemKey(p.email, item);
      const mark = unreviewed.has(key) ? '  # unreviewed: granted after the review started' : '';
      const line = `  - ${itemLine(item)}${mark}`;
      before.push(line);
      const change = changes.get(key);
      if (!change) after.push(line);
      else if (change.item.decision !== REVOKE) {
        const lowered: ReviewItem = { ...item, role: change.item.decision };
        after.push(`  - ${itemLine(lowered)}${change.caution ? `  # caution: ${change.caution}` : ''}`);
      } else if (change.caution) after.push(`  # revoked: ${describeItem(item)} (caution: ${change.caution})`);
    }
  }
  return { before: `${before.join('\n')}\n`, after: `${after.join('\n')}\n` };
}
