import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideItemText, itemExtent } from '../../src/core/review/decideText';
import { parseReview } from '../../src/core/review/parse';
import { renderReview } from '../../src/core/review/render';
import type { Review } from '../../src/core/review/review';
import { snapshotHash } from '../../src/core/review/snapshot';

const ITEM = '{at: acme, kind: grant, type: voice, id: v_1, name: Narrator, role: editor, via: direct}';

describe('a decision written into an item line', () => {
  it('adds decision and reason before the closing brace, the rest as it was', () => {
    assert.equal(decideItemText(ITEM, 'keep'), ITEM.replace('}', ', decision: keep}'));
    assert.equal(
      decideItemText(ITEM, 'revoke', 'moved teams: left "ops"'),
      ITEM.replace('}', ', decision: revoke, reason: "moved teams: left \\"ops\\""}'),
    );
  });

  it('replaces a decision and a quoted reason where they are, and a keep drops another decision’s reason', () => {
    const decided = ITEM.replace('}', ', decision: revoke, reason: "old one"}');
    assert.equal(
      decideItemText(decided, 'viewer', 'read only'),
      ITEM.replace('}', ', decision: viewer, reason: read only}'),
    );
    assert.equal(decideItemText(decided, 'keep'), ITEM.replace('}', ', decision: keep}'));
    const kept = ITEM.replace('}', ', decision: keep, reason: still needed}');
    assert.equal(decideItemText(kept, 'keep'), kept);
  });

  it('fills a decision typed without a value, and refuses what is not one flow map', () => {
    assert.equal(
      decideItemText('{at: acme, kind: group, id: g, decision: , reason: x}', 'revoke', 'gone'),
      '{at: acme, kind: group, id: g, decision: revoke, reason: gone}',
    );
    assert.equal(decideItemText('{at: acme, decision:}', 'keep'), '{at: acme, decision: keep}');
    assert.equal(decideItemText('at: acme', 'keep'), undefined);
    assert.equal(decideItemText('{at: [', 'keep'), undefined);
  });

  it('reads back through the review parser as the decision', () => {
    const base = {
      format: 1,
      name: 'Q4',
      started: '2026-12-03T06:00:00.000Z',
      due: '2026-12-31',
      reviewers: ['ada@example.com'],
      scope: { people: 'everyone' as const, connections: ['acme'] },
      connections: [
        {
          key: 'acme',
          platform: 'elevenlabs',
          name: 'Acme',
          roles: {
            grant: {
              ranked: true,
              roles: ['admin', 'editor', 'commenter', 'viewer'].map((r) => ({ id: r, label: r })),
            },
          },
        },
      ],
      people: [
        {
          email: 'ada@example.com',
          access: [
            {
              at: 'acme',
              kind: 'grant' as const,
              type: 'voice',
              id: 'v_1',
              name: 'Narrator',
              role: 'editor',
              via: 'direct',
            },
          ],
        },
      ],
    };
    const review: Review = { ...base, snapshot: snapshotHash(base) };
    const text = renderReview(review);
    const parsed = parseReview(text, '2026-12-03');
    const [start, end] = itemExtent(text, parsed.spans[0].items[0]);
    const next =
      text.slice(0, start) + decideItemText(text.slice(start, end), 'viewer', 'reads only') + text.slice(end);
    const again = parseReview(next, '2026-12-03');
    assert.deepEqual(
      again.problems.map((p) => p.message),
      [],
    );
    assert.equal(again.review?.people[0].access[0].decision, 'viewer');
    assert.equal(again.review?.people[0].access[0].reason, 'reads only');
  });
});
