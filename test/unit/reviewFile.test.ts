import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { verifyChain, EVIDENCE_SUFFIX } from '../../src/core/review/evidence';
import { finishReview, latestEvidence, notReady, withSignOff } from '../../src/core/review/finish';
import { parseReview } from '../../src/core/review/parse';
import { renderReview, scalar } from '../../src/core/review/render';
import { itemKey, lowerRoles, type Review } from '../../src/core/review/review';
import { snapshotHash } from '../../src/core/review/snapshot';
import type { ClosePlan } from '../../src/core/review/close';
import {
  doneInJournal,
  LEDGER_DAYS,
  pruneLedgers,
  readLedger,
  recordDone,
  removeLedger,
  type LedgerLine,
} from '../../src/core/jobs/ledger';
import type { PriorState } from '../../src/core/jobs/bulkTask';

const TODAY = '2026-12-03';

/** A small review of two people in two connections, as start would write it. */
function sample(): Review {
  const facts = {
    scope: { people: 'everyone' as const, connections: ['acme', 'docs'] },
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
              { id: 'workspace_member', label: 'Workspace member' },
            ],
          },
          grant: { ranked: true, roles: ['admin', 'editor', 'commenter', 'viewer'].map((r) => ({ id: r, label: r })) },
        },
      },
      {
        key: 'docs',
        platform: 'gitbook',
        name: 'Docs',
        roles: { grant: { ranked: true, roles: ['admin', 'edit', 'read'].map((r) => ({ id: r, label: r })) } },
      },
    ],
    people: [
      {
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        context: { roster: 'left 2026-10-01', external: false, findings: ['left'] },
        access: [
          { at: 'acme', kind: 'member' as const, id: 'u1', name: 'Acme', role: 'Workspace admin', via: 'owner' },
          {
            at: 'acme',
            kind: 'grant' as const,
            type: 'voice',
            id: 'v1',
            name: 'Narrator',
            role: 'editor',
            via: 'direct',
          },
          { at: 'acme', kind: 'grant' as const, type: 'voice', id: 'v2', name: 'Promo', role: 'admin', via: 'creator' },
        ],
      },
      {
        email: 'bob@example.com',
        access: [
          {
            at: 'docs',
            kind: 'grant' as const,
            type: 'space',
            id: 's1',
            name: 'Handbook',
            role: 'edit',
            via: 'direct',
          },
        ],
      },
    ],
  };
  return {
    format: 1,
    name: '2026 Q4: "all" & more',
    due: '2026-12-31',
    reviewers: ['ada@example.com'],
    snapshot: snapshotHash(facts),
    ...facts,
  };
}

/** The file with one item's line edited. */
const editLine = (text: string, match: string, edit: (line: string) => string) =>
  text
    .split('\n')
    .map((l) => (l.includes(match) ? edit(l) : l))
    .join('\n');

const decide = (text: string, id: string, decision: string, reason?: string) =>
  editLine(text, `id: ${id},`, (l) =>
    l.replace(/}$/, `, decision: ${decision}${reason ? `, reason: ${reason}` : ''}}`),
  );

const codes = (text: string, today = TODAY) => parseReview(text, today).problems.map((p) => p.code);

describe('the review file', () => {
  it('reads back what it wrote, every item undecided at its own line, and validates against the shipped JSON Schema', () => {
    const review = sample();
    const text = renderReview(review);
    const parsed = parseReview(text, TODAY);
    assert.deepEqual(parsed.review, review);
    const undecided = parsed.problems.filter((p) => p.code === 'undecided');
    assert.equal(undecided.length, 4);
    assert.ok(text.slice(undecided[1].at[0], undecided[1].at[1]).includes('Narrator'));
    const schema = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../../media/access-review.schema.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.ok(validate(load(text)), JSON.stringify(validate.errors));
    assert.ok(!validate(load(text.replace('kind: grant', 'kind: grnat'))), 'the schema refuses an unknown kind');
  });

  it('quotes whatever would not read back as the same string', () => {
    for (const s of [
      'true',
      'no',
      '123',
      '2026-12-31T00:00:00Z',
      '- x',
      'a, b',
      'a: b',
      '#x',
      '@me',
      "'q",
      '&a',
      ' x',
      'x ',
    ])
      assert.equal(load(`v: ${scalar(s)}`, { schema: undefined }) && (load(`v: ${scalar(s)}`) as { v: unknown }).v, s);
    assert.equal(scalar('2026-12-31'), '2026-12-31');
    assert.equal(scalar('Ada Lovelace'), 'Ada Lovelace');
  });

  it('checks each decision: keep, revoke, a lower role; a reason for anything but keep; the creator keeps admin', () => {
    const text = renderReview(sample());
    assert.deepEqual(
      codes(decide(text, 'v1', 'keep')).filter((c) => c !== 'undecided'),
      [],
    );
    assert.deepEqual(
      codes(decide(text, 'v1', 'viewer', 'less is enough')).filter((c) => c !== 'undecided'),
      [],
    );
    assert.deepEqual(
      codes(decide(text, 'v1', 'revoke')).filter((c) => c !== 'undecided'),
      ['reason'],
    );
    const higher = parseReview(decide(text, 'v1', 'admin', 'x'), TODAY).problems.find((p) => p.code === 'role');
    assert.match(
      higher?.message ?? '',
      /admin is not lower than editor: decide keep, revoke, or one of commenter, viewer/,
    );
    const unknown = parseReview(decide(text, 'v1', 'owner', 'x'), TODAY).problems.find((p) => p.code === 'role');
    assert.match(unknown?.message ?? '', /"owner" is not a role of Acme/);
    assert.deepEqual(
      codes(decide(text, 'v2', 'revoke', 'x')).filter((c) => c !== 'undecided'),
      ['role'],
    );
    // The member's role by its label, any case.
    assert.deepEqual(
      codes(decide(text, 'u1', 'workspace member', 'x')).filter((c) => c !== 'undecided'),
      [],
    );
    assert.deepEqual(
      lowerRoles(sample().connections[0], { kind: 'member', role: 'Workspace admin' }).map((r) => r.id),
      ['workspace_member'],
    );
  });

  it('names an unknown connection, kind or key at its line, and a fact edited since the start', () => {
    const text = renderReview(sample());
    assert.ok(codes(text.replace('{at: docs,', '{at: nowhere,')).includes('unknown'));
    assert.ok(codes(text.replace('kind: grant, type: space', 'kind: space, type: space')).includes('unknown'));
    assert.ok(codes(decide(text, 's1', 'keep').replace(', decision: keep}', ', decison: keep}')).includes('schema'));
    const edited = parseReview(text.replace('role: edit,', 'role: read,'), TODAY);
    assert.deepEqual(
      edited.problems.filter((p) => p.code !== 'undecided').map((p) => p.code),
      ['snapshot'],
    );
    assert.ok(codes(text.replace('Narrator', 'Narrator')).every((c) => c === 'undecided'));
    const dup = text.replace(/(\n {6}- \{at: docs[^\n]*)/, '$1$1');
    assert.ok(codes(dup).includes('duplicate'));
    // Listed twice: the same connection, kind, type and id for the same email in any case, in any entry.
    const review = sample();
    const [ada, bob] = review.people;
    const v1 = ada.access[1];
    const twice = (people: Review['people']) =>
      parseReview(renderReview({ ...review, people }), TODAY)
        .problems.filter((p) => p.code === 'duplicate')
        .map((p) => p.message);
    assert.deepEqual(twice([ada, bob, { email: 'BOB@example.com', access: bob.access }]), [
      'This item is listed twice for BOB@example.com: decide it once.',
    ]);
    const sameId = [
      { ...v1, type: 'agent' },
      { ...v1, at: 'docs' },
      { ...v1, kind: 'group' as const, type: undefined },
    ];
    assert.deepEqual(twice([{ ...ada, access: [...ada.access, ...sameId] }, bob]), []);
    assert.equal(twice([{ ...ada, access: [...ada.access, ...sameId, v1] }, bob]).length, 1);
    const colons = [
      { ...v1, type: 'voice', id: 'a:b' },
      { ...v1, type: 'voice:a', id: 'b' },
    ];
    assert.deepEqual(twice([{ ...ada, access: [...ada.access, ...colons] }, bob]), []);
    assert.notEqual(itemKey(ada.email, colons[0]), itemKey(ada.email, colons[1]));
    assert.ok(codes('people: [', TODAY).includes('syntax'));
    assert.ok(codes('a: 1\n').includes('schema'));
  });

  it('warns when the due date has passed', () => {
    const text = renderReview(sample());
    assert.ok(!codes(text, '2026-12-31').includes('overdue'));
    assert.ok(codes(text, '2027-01-01').includes('overdue'));
  });

  it('refuses to close while undecided or unsigned, and signs off in place', () => {
    let text = renderReview(sample());
    for (const id of ['u1', 'v1', 'v2', 's1']) text = decide(text, id, 'keep');
    let parsed = parseReview(text, TODAY);
    assert.ok(parsed.review);
    assert.match(notReady(parsed.review, parsed.problems) ?? '', /not signed off/);
    text = withSignOff(text, { name: 'Ada', email: 'ada@example.com', at: '2026-12-04T10:00:00.000Z' });
    parsed = parseReview(text, TODAY);
    assert.ok(parsed.review);
    assert.equal(notReady(parsed.review, parsed.problems), undefined);
    assert.equal(parsed.review.signoff?.email, 'ada@example.com');
    const again = withSignOff(text, { name: 'Bob', email: 'bob@example.com', at: '2026-12-05T10:00:00.000Z' });
    assert.equal(again.match(/^signoff:/gm)?.length, 1);
    const undecided = parseReview(renderReview(sample()), TODAY);
    assert.match(notReady(undecided.review as Review, undecided.problems) ?? '', /4 item\(s\) are undecided/);
  });
});

/** A decided, signed review closed with one revoke done, and its evidence. */
function closeOne(previous?: { file: string; bytes: Uint8Array }, name = '2026-q4', earlier?: LedgerLine[]) {
  let text = renderReview(sample());
  text = decide(text, 'u1', 'keep');
  text = decide(text, 'v1', 'revoke', '=HYPERLINK("x")');
  text = decide(text, 'v2', 'keep');
  text = decide(text, 's1', 'read', 'reads only');
  text = withSignOff(text, { name: 'Ada', email: 'ada@example.com', at: '2026-12-04T10:00:00.000Z' });
  const review = parseReview(text, TODAY).review as Review;
  const [ada, bob] = review.people;
  const plan: ClosePlan = {
    changes: [
      {
        email: ada.email,
        item: ada.access[1],
        at: 'acme',
        change: {
          op: 'revoke',
          resource: { type: 'voice', id: 'v1', name: 'Narrator' },
          principal: { kind: 'user', id: 'u1', name: 'Ada' },
        },
      },
    ],
    gone: [{ email: bob.email, item: bob.access[0] }],
    unreviewed: [
      {
        email: 'cy@example.com',
        item: { at: 'docs', kind: 'grant', type: 'space', id: 's9', name: 'New', role: 'read' },
      },
    ],
    unread: [],
    kept: 2,
  };
  return finishReview({
    review,
    text,
    file: `${name}.access-review.yaml`,
    plan,
    outcomes: new Map([[itemKey(ada.email, ada.access[1]), { status: 'done' as const }]]),
    closed: `2026-12-0${previous ? 6 : 5}T10:00:00.000Z`,
    previous,
    earlier,
  });
}

describe("a close's ledger", () => {
  it('keeps the done items its starter named, privately, and reads past a line cut short', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-ledger-'));
    try {
      const file = path.join(dir, 'ledgers', 'x.done.jsonl');
      const item = (key: string) => ({ key, label: key, payload: null });
      recordDone(
        { file, entries: { a: { item: 'A', decision: 'revoke' }, b: { item: 'B', decision: 'revoke' } } },
        [
          { item: item('a'), status: 'done' },
          { item: item('b'), status: 'skipped', reason: 'cancelled' },
          { item: item('c'), status: 'done' },
        ],
        '2026-12-04T10:00:00.000Z',
      );
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
      fs.appendFileSync(file, '{"entry": {"item": "B"');
      assert.deepEqual(readLedger(file), [
        { entry: { item: 'A', decision: 'revoke' }, at: '2026-12-04T10:00:00.000Z' },
      ]);
      removeLedger(file);
      assert.deepEqual(readLedger(file), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("records an item an earlier job of the close did as done, when that job's decision is the item's", () => {
    const [, bob] = sample().people;
    const key = itemKey(bob.email, bob.access[0]);
    const at = '2026-12-04T11:00:00.000Z';
    const done = closeOne(undefined, '2026-q4', [{ entry: { item: key, decision: 'read' }, at }]).evidence.evidence;
    assert.deepEqual(done.counts, { kept: 2, done: 2, failed: 0, skipped: 0, unknown: 0, gone: 0 });
    assert.match(
      done.decisions.find((d) => d.id === 's1')?.detail ?? '',
      /done by this review's close on 2026-12-04T11/,
    );
    // Another item: still gone. Another decision than the one the earlier job carried out: still
    // gone, and the evidence says what that job did.
    for (const entry of [{ item: `${key}x`, decision: 'read' }, 'junk'])
      assert.equal(closeOne(undefined, '2026-q4', [{ entry, at }]).evidence.evidence.counts.gone, 1);
    const changed = closeOne(undefined, '2026-q4', [{ entry: { item: key, decision: 'revoke' }, at }]).evidence
      .evidence;
    assert.equal(changed.counts.gone, 1);
    assert.match(
      changed.decisions.find((d) => d.id === 's1')?.detail ?? '',
      /^no longer held when the review closed; this review's close on 2026-12-04T11:00:00\.000Z carried out "revoke" before the decision became "read"$/,
    );
    // A kept item an earlier job revoked: kept, and said.
    const [ada] = sample().people;
    const kept = closeOne(undefined, '2026-q4', [
      { entry: { item: itemKey(ada.email, ada.access[0]), decision: 'revoke' }, at },
    ]).evidence.evidence;
    assert.equal(kept.counts.kept, 2);
    assert.match(
      kept.decisions.find((d) => d.id === 'u1')?.detail ?? '',
      /carried out "revoke" before the decision became "keep"/,
    );
  });

  it(`keeps a ledger ${LEDGER_DAYS} days after its last line, and a journal's done items as outcomes`, () => {
    assert.equal(LEDGER_DAYS, 90);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-ledgers-'));
    try {
      const now = Date.now();
      const aged = (name: string, days: number) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, '{}\n');
        const t = new Date(now - days * 86_400_000);
        fs.utimesSync(file, t, t);
        return file;
      };
      aged('young.done.jsonl', LEDGER_DAYS - 1);
      const old = aged('old.done.jsonl', LEDGER_DAYS + 1);
      assert.deepEqual(pruneLedgers(dir, undefined, now), [old]);
      assert.deepEqual(fs.readdirSync(dir), ['young.done.jsonl']);
      assert.deepEqual(pruneLedgers(path.join(dir, 'none')), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const item = (key: string) => ({ key, label: key, payload: null });
    const done = doneInJournal(
      [item('a'), item('b'), item('c'), item('d')],
      new Map<string, PriorState>([
        ['a', { status: 'done' }],
        ['b', 'sending'],
        ['c', { status: 'failed', reason: 'x' }],
      ]),
    );
    assert.deepEqual(done, [{ item: item('a'), status: 'done' }]);
  });
});

describe('evidence and its chain', () => {
  it('records every decision with its reason and outcome, neutralises formula cells, and closes the file read-only', () => {
    const { evidence, text } = closeOne();
    const e = evidence.evidence;
    assert.deepEqual(e.counts, { kept: 2, done: 1, failed: 0, skipped: 0, unknown: 0, gone: 1 });
    assert.equal(e.decisions.find((d) => d.id === 'v1')?.reason, '=HYPERLINK("x")');
    assert.ok(evidence.csv.includes(`'=HYPERLINK`), 'the CSV cell is text, not a formula');
    assert.ok(!/,=HYPERLINK/.test(evidence.csv));
    assert.match(evidence.markdown, /Granted after the review started/);
    assert.equal(e.previous, null);
    assert.equal(e.live.sha256, sample().snapshot);
    const closed = parseReview(text, TODAY);
    assert.deepEqual(closed.problems, [], 'a closed review has nothing undecided to say');
    assert.equal(closed.review?.closed?.evidence, '2026-q4.evidence.json');
    const edited = parseReview(text.replace('reason: reads only', 'reason: reads'), TODAY);
    assert.deepEqual(
      edited.problems.map((p) => p.code),
      ['closed'],
    );
    assert.ok(closed.review);
    assert.match(notReady(closed.review, closed.problems) ?? '', /closed on 2026-12-05/);
  });

  it('chains reviews and names the first file changed, the last one through its review', () => {
    const first = closeOne(undefined, '2026-q3');
    const files = new Map<string, Uint8Array>();
    const put = (f: ReturnType<typeof closeOne>) => {
      files.set(f.evidence.names.json, Buffer.from(f.evidence.json));
      files.set(f.evidence.names.markdown, Buffer.from(f.evidence.markdown));
      files.set(f.evidence.names.csv, Buffer.from(f.evidence.csv));
    };
    put(first);
    const previous = latestEvidence(
      [...files].filter(([f]) => f.endsWith(EVIDENCE_SUFFIX)).map(([file, bytes]) => ({ file, bytes })),
    );
    assert.equal(previous?.file, '2026-q3.evidence.json');
    const second = closeOne(previous, '2026-q4');
    put(second);
    const found = () =>
      [...files].filter(([f]) => f.endsWith(EVIDENCE_SUFFIX)).map(([file, bytes]) => ({ file, bytes }));
    const anchors = new Map([
      ['2026-q3.evidence.json', (parseReview(first.text, TODAY).review as Review).closed?.sha256 ?? ''],
      ['2026-q4.evidence.json', (parseReview(second.text, TODAY).review as Review).closed?.sha256 ?? ''],
    ]);
    assert.deepEqual(
      verifyChain(found(), (f) => files.get(f), anchors),
      {
        ok: true,
        files: ['2026-q3.evidence.json', '2026-q4.evidence.json'],
      },
    );
    const flip = (file: string) => {
      const bytes = Buffer.from(files.get(file) as Uint8Array);
      bytes[bytes.length - 3] ^= 1;
      files.set(file, bytes);
    };
    const original = new Map(files);
    flip('2026-q3.evidence.json');
    const r1 = verifyChain(found(), (f) => files.get(f), anchors);
    assert.equal(!r1.ok && r1.file, '2026-q3.evidence.json');
    for (const [k, v] of original) files.set(k, v);
    flip('2026-q3.evidence.md');
    const r2 = verifyChain(found(), (f) => files.get(f), anchors);
    assert.equal(!r2.ok && r2.file, '2026-q3.evidence.md');
    for (const [k, v] of original) files.set(k, v);
    flip('2026-q4.evidence.json');
    const r3 = verifyChain(found(), (f) => files.get(f), anchors);
    assert.equal(!r3.ok && r3.file, '2026-q4.evidence.json', 'the last file is held by its review');
    for (const [k, v] of original) files.set(k, v);
    files.delete('2026-q3.evidence.json');
    const r4 = verifyChain(found(), (f) => files.get(f), anchors);
    assert.equal(!r4.ok && r4.file, '2026-q4.evidence.json');
  });
});
