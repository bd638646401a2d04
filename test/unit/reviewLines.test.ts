import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readPeopleLines } from '../../src/core/review/lines';
import { parseReview, type ParsedReview } from '../../src/core/review/parse';
import { renderReview } from '../../src/core/review/render';
import { REVIEW_FORMAT, type Review } from '../../src/core/review/review';
import { snapshotHash, snapshotOfText } from '../../src/core/review/snapshot';

const TODAY = '2026-12-03';

function sample(): Review {
  const facts: Pick<Review, 'scope' | 'started' | 'connections' | 'people'> = {
    scope: { people: 'everyone', connections: ['acme', 'docs'] },
    started: '2026-12-03T06:00:00.000Z',
    connections: [
      {
        key: 'acme',
        platform: 'elevenlabs',
        name: 'Acme',
        revokeLocks: true,
        roles: {
          member: {
            ranked: true,
            roles: [
              { id: 'workspace_admin', label: 'Workspace admin' },
              { id: 'workspace_member', label: 'Member' },
            ],
          },
          grant: { ranked: true, roles: ['admin', 'editor', 'viewer'].map((r) => ({ id: r, label: r })) },
        },
      },
      {
        key: 'docs',
        platform: 'gitbook',
        name: 'Docs',
        roles: { group: { ranked: true, roles: [{ id: 'member', label: 'member' }] } },
      },
    ],
    people: [
      {
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        context: { roster: 'active', external: false, lastActive: '2026-11-01', findings: ['admin', 'inactive'] },
        access: [
          { at: 'acme', kind: 'member', id: 'usr_1', name: 'Acme', role: 'Workspace admin', via: 'owner' },
          {
            at: 'acme',
            kind: 'grant',
            type: 'voice',
            id: 'v_1',
            name: 'Narrator, "the old one"',
            role: 'editor',
            via: 'direct',
          },
          { at: 'acme', kind: 'grant', type: 'voice', id: '12', name: 'Zoë', role: 'viewer', via: 'creator' },
          { at: 'docs', kind: 'group', id: 'g 7', name: 'Ops: on call', role: 'member' },
        ],
      },
      {
        email: 'bob@example.com',
        access: [{ at: 'docs', kind: 'invitation', id: 'inv_1', name: 'Docs', via: 'invited 2026-11-30' }],
      },
      { email: 'cy@example.com', name: 'true', access: [] },
    ],
  };
  return {
    format: REVIEW_FORMAT,
    name: '2026 Q4',
    due: '2026-12-31',
    reviewers: ['ada@example.com'],
    ...facts,
    snapshot: snapshotHash(facts),
  };
}

/** The same text read by the YAML parser alone: a comment line under `people:` makes the line reader give up. */
function general(text: string): ParsedReview {
  const marker = '\npeople:\n';
  const at = text.indexOf(marker) + marker.length;
  const comment = '  # read by the YAML parser\n';
  const parsed = parseReview(text.slice(0, at) + comment + text.slice(at), TODAY);
  const back = (span: readonly [number, number]): [number, number] =>
    span[0] >= at ? [span[0] - comment.length, span[1] - comment.length] : [span[0], span[1]];
  return {
    ...parsed,
    problems: parsed.problems.map((p) => ({ at: back(p.at), severity: p.severity, code: p.code, message: p.message })),
    spans: parsed.spans.map((s) => ({ person: back(s.person), items: s.items.map(back) })),
  };
}

/** A problem as plain data (an undecided item's words are made when read). */
const plain = (parsed: ParsedReview): ParsedReview => ({
  ...parsed,
  problems: parsed.problems.map((p) => ({ at: p.at, severity: p.severity, code: p.code, message: p.message })),
});

const usesLines = (text: string): boolean => {
  const from = text.indexOf('\npeople:\n') + '\npeople:\n'.length;
  const end = /^[^ \n]/gm;
  end.lastIndex = from;
  return readPeopleLines(text, from, end.exec(text)?.index ?? text.length) !== undefined;
};

describe('the review file read line by line', () => {
  it('reads a rendered review as the YAML parser does: the review, every problem and span', () => {
    const review = sample();
    const text = renderReview(review);
    assert.ok(usesLines(text));
    const fast = parseReview(text, TODAY);
    assert.deepEqual(fast.review, review);
    assert.deepEqual(plain(fast), general(text));
    assert.equal(fast.problems.filter((p) => p.code === 'undecided').length, 5);
  });

  it('reads decisions, reasons, edits and mistakes typed on the item lines as the YAML parser does', () => {
    let text = renderReview({
      ...sample(),
      signoff: { name: 'Ada', email: 'ada@example.com', at: '2026-12-04T00:00:00Z' },
    });
    const edit = (from: string, to: string) => {
      assert.ok(text.includes(from), from);
      text = text.replace(from, to);
    };
    edit('via: owner}', 'via: owner, decision: keep}');
    edit(
      'role: editor, via: direct}',
      'role: editor, via: direct, decision: revoke, reason: "moved \\"teams\\" \\u00e9"}',
    );
    edit('role: viewer, via: creator}', 'role: viewer, via: creator, decision: viewer}');
    edit('role: member}', 'role: member, decison: keep}');
    edit('via: invited 2026-11-30}', 'via: invited 2026-11-30, decision: revoke}');
    edit('id: "12"', 'id: 12');
    assert.ok(usesLines(text));
    const fast = parseReview(text, TODAY);
    assert.deepEqual(plain(fast), general(text));
    assert.deepEqual(fast.problems.map((p) => p.code).sort(), ['reason', 'role', 'schema', 'undecided']);
    const unknown = fast.problems.find((p) => p.code === 'schema');
    assert.equal(text.slice(unknown?.at[0], unknown?.at[1]), 'decison');
    const reason = fast.problems.find((p) => p.code === 'reason');
    assert.equal(text.slice(reason?.at[0], reason?.at[1]), 'decision');
    assert.equal(fast.review?.people[0].access[1].reason, 'moved "teams" é');
    assert.equal(fast.review?.people[0].access[2].id, '12');
  });

  it('leaves any other layout to the YAML parser, with the same result', () => {
    const text = renderReview(sample());
    for (const other of [
      text.replace(/\n/g, '\r\n'),
      text.replace('    name: Ada Lovelace\n', '    name: Ada Lovelace # the first\n'),
      text.replace(
        / {6}- \{at: docs, kind: group, (.*)\}\n/,
        '      - at: docs\n        kind: group\n        id: g 7\n        name: "Ops: on call"\n        role: member\n',
      ),
      text.replace('access: []', 'access:'),
      text.replace('via: owner}', 'via: owner, via: direct}'),
      text.replace('name: Acme, role', "name: 'Acme', role"),
    ]) {
      assert.equal(usesLines(other), false);
      const parsed = parseReview(other, TODAY);
      assert.ok(parsed.review || parsed.problems.some((p) => p.code === 'syntax'));
    }
    // Read by the YAML parser alone, a block-style item is the same item.
    const block = text.replace(
      /      - \{at: docs, kind: group, (.*)\}\n/,
      '      - at: docs\n        kind: group\n        id: g 7\n        name: "Ops: on call"\n        role: member\n',
    );
    assert.deepEqual(parseReview(block, TODAY).review, sample());
  });

  it('checks the snapshot from the text as written, and from what was read in any other shape', () => {
    const review = sample();
    const decided = renderReview({
      ...review,
      people: review.people.map((p, pi) =>
        pi ? p : { ...p, access: p.access.map((i, ii) => (ii ? i : { ...i, decision: 'revoke', reason: 'left' })) },
      ),
      signoff: { name: 'Ada', email: 'ada@example.com', at: '2026-12-04T00:00:00Z' },
    });
    const snapshotProblems = (text: string) => parseReview(text, TODAY).problems.filter((p) => p.code === 'snapshot');
    // As written: the people section's text, its decision and reason cut out, hashes to the snapshot.
    const from = decided.indexOf('\npeople:\n') + '\npeople:\n'.length;
    const to = decided.indexOf('\nsignoff:') + 1;
    const lines = readPeopleLines(decided, from, to);
    assert.deepEqual(lines?.cuts?.length, 2);
    assert.equal(snapshotOfText(review, decided, from, to, lines?.cuts ?? []), review.snapshot);
    assert.deepEqual(snapshotProblems(decided), []);
    // The same facts written otherwise (quoted, the decision first, another layout): the same snapshot.
    for (const same of [
      decided.replace('id: usr_1,', 'id: "usr_1",'),
      decided.replace(
        '{at: acme, kind: member, id: usr_1, name: Acme, role: Workspace admin, via: owner, decision: revoke, reason: left}',
        '{decision: revoke, at: acme, kind: member, id: usr_1, reason: left, name: Acme, role: Workspace admin, via: owner}',
      ),
      decided.replace('    name: Ada Lovelace\n', '    name: "Ada Lovelace" # the first\n'),
      decided.replace('reason: left}', 'reason: "left}, via: x, role: y"}'),
      decided.replace('decision: revoke, reason: left}', 'reason: left, decision: revoke}'),
    ]) {
      assert.notEqual(same, decided);
      assert.deepEqual(snapshotProblems(same), [], same);
    }
    // A fact edited, in the shape written or not: named.
    for (const edited of [
      decided.replace('role: editor,', 'role: viewer,'),
      decided.replace('name: "Narrator', 'name: "Narrator!'),
      decided.replace('lastActive: 2026-11-01', 'lastActive: 2026-11-02'),
      decided.replace('    name: Ada Lovelace\n', '    name: Ada\n'),
      decided.replace('role: editor,', 'role: viewer,').replace('id: usr_1,', 'id: "usr_1",'),
      decided.replace('reason: left}', 'reason: "left}, via: x"}').replace('via: owner,', 'via: direct,'),
      decided.replace('started: "2026-12-03T06:00:00.000Z"', 'started: "2026-12-03T07:00:00.000Z"'),
    ])
      assert.deepEqual(
        snapshotProblems(edited).map((p) => p.code),
        ['snapshot'],
        edited,
      );
  });

  it('makes the snapshot of every fact and of nothing decided', () => {
    const review = sample();
    const item = review.people[0].access[1];
    const withItem = (changed: object) => ({
      ...review,
      people: [{ ...review.people[0], access: [review.people[0].access[0], { ...item, ...changed }] }],
    });
    const base = snapshotHash(withItem({}));
    for (const changed of [{ at: 'docs' }, { kind: 'group' }, { type: 'agent' }, { id: 'v_2' }, { name: 'N' }])
      assert.notEqual(snapshotHash(withItem(changed)), base, JSON.stringify(changed));
    for (const changed of [{ role: 'viewer' }, { via: 'group' }, { role: undefined }, { via: undefined }])
      assert.notEqual(snapshotHash(withItem(changed)), base, JSON.stringify(changed));
    assert.equal(snapshotHash(withItem({ decision: 'revoke', reason: 'left' })), base);
    const person = review.people[0];
    for (const changed of [{ email: 'ada@example.org' }, { name: 'Ada' }, { context: { roster: 'left' } }])
      assert.notEqual(snapshotHash({ ...review, people: [{ ...person, ...changed }] }), snapshotHash(review));
    assert.notEqual(snapshotHash({ ...review, scope: { ...review.scope, people: 'admins' } }), review.snapshot);
    assert.notEqual(snapshotHash({ ...review, connections: review.connections.slice(1) }), review.snapshot);
  });
});
