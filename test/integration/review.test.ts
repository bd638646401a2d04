// Deciding an access review in a real VS Code: the file's undecided items as diagnostics, CodeLens
// that write decisions and reasons into the lines, typing a decision, completion, hover, the status
// bar's count, a closed review left alone, and a review of thousands of people.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { renderReview } from '../../src/core/review/render';
import { itemKey, type Review, type ReviewConnection, type ReviewPerson } from '../../src/core/review/review';
import { snapshotHash } from '../../src/core/review/snapshot';
import { answer, restoreAll } from './stubs';
import { extensionApi } from './tree';

const ACME: ReviewConnection = {
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
        { id: 'workspace_lite_member', label: 'Lite member' },
      ],
    },
    grant: { ranked: true, roles: ['admin', 'editor', 'commenter', 'viewer'].map((r) => ({ id: r, label: r })) },
  },
};
const DOCS: ReviewConnection = {
  key: 'docs',
  platform: 'gitbook',
  name: 'Docs',
  roles: {
    grant: {
      ranked: true,
      roles: ['admin', 'create', 'review', 'edit', 'comment', 'read'].map((r) => ({ id: r, label: r })),
    },
  },
};

const PEOPLE: ReviewPerson[] = [
  {
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    context: { roster: 'active', external: false, lastActive: '2026-11-01', findings: ['admin'] },
    access: [
      { at: 'acme', kind: 'member', id: 'usr_1', name: 'Acme', role: 'Workspace admin', via: 'owner' },
      { at: 'acme', kind: 'grant', type: 'voice', id: 'v_1', name: 'Narrator', role: 'editor', via: 'direct' },
      { at: 'acme', kind: 'grant', type: 'voice', id: 'v_2', name: 'Own voice', role: 'admin', via: 'creator' },
    ],
  },
  {
    email: 'bob@example.com',
    name: 'Bob Babbage',
    context: { roster: 'left 2026-10-01', external: false, findings: ['left'] },
    access: [
      { at: 'acme', kind: 'member', id: 'usr_2', name: 'Acme', role: 'Workspace member' },
      { at: 'acme', kind: 'group', id: 'g_1', name: 'Support' },
    ],
  },
  {
    email: 'eve@partner.io',
    context: { roster: 'not on the roster', external: true, findings: ['external', 'unknown'] },
    access: [
      { at: 'acme', kind: 'grant', type: 'voice', id: 'v_1', name: 'Narrator', role: 'viewer', via: 'direct' },
      { at: 'docs', kind: 'grant', type: 'space', id: 's_1', name: 'Handbook', role: 'edit', via: 'direct' },
    ],
  },
];

function reviewOf(people: ReviewPerson[], closed = false): Review {
  const facts = {
    started: '2026-12-03T06:00:00.000Z',
    scope: { people: 'everyone' as const, connections: ['acme', 'docs'] },
    connections: [ACME, DOCS],
    people,
  };
  return {
    format: 1,
    name: '2026 Q4',
    due: '2099-12-31',
    reviewers: ['ada@example.com'],
    ...facts,
    snapshot: snapshotHash(facts),
    ...(closed
      ? { closed: { at: '2026-12-04T10:00:00.000Z', evidence: 'q4.evidence.json', sha256: 'a'.repeat(64) } }
      : {}),
  };
}

const folder = () => {
  const f = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(f, 'the test window has a workspace folder');
  return f;
};

async function openReview(name: string, review: Review): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(folder(), 'reviews', name);
  fs.mkdirSync(vscode.Uri.joinPath(folder(), 'reviews').fsPath, { recursive: true });
  fs.writeFileSync(uri.fsPath, renderReview(review), { mode: 0o600 });
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Polls until `get` satisfies `ok`: checks and the status bar follow edits on their own schedule. */
async function until<T>(get: () => T | Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Workspace Access');
const undecided = (uri: vscode.Uri) => ours(uri).filter((d) => d.code === 'undecided').length;

const lineOf = (doc: vscode.TextDocument, ...needles: string[]) => {
  const i = doc
    .getText()
    .split('\n')
    .findIndex((l) => needles.every((n) => l.includes(n)));
  assert.ok(i >= 0, `a line with ${needles.join(', ')}`);
  return i;
};

async function lensesAt(doc: vscode.TextDocument, line: number): Promise<vscode.CodeLens[]> {
  const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 1000);
  return all.filter((l) => l.range.start.line === line);
}

async function run(lens: vscode.CodeLens | undefined): Promise<unknown> {
  assert.ok(lens?.command, 'the lens has a command');
  return vscode.commands.executeCommand(lens.command.command, ...((lens.command.arguments ?? []) as unknown[]));
}

const titled = (lenses: vscode.CodeLens[], title: string) => {
  const found = lenses.find((l) => l.command?.title === title);
  assert.ok(found, `"${title}" among ${lenses.map((l) => l.command?.title).join(', ')}`);
  return found;
};

/** Replaces the first match of `from` on line `line` through an edit, as typing would. */
async function type(doc: vscode.TextDocument, line: number, from: string, to: string): Promise<void> {
  const text = doc.lineAt(line).text;
  const at = text.lastIndexOf(from);
  assert.ok(at >= 0, `"${from}" on line ${line + 1}`);
  const we = new vscode.WorkspaceEdit();
  we.replace(doc.uri, new vscode.Range(line, at, line, at + from.length), to);
  assert.ok(await vscode.workspace.applyEdit(we));
}

/** Our completions (the roles and decisions), not the words of the file VS Code offers beside them. */
const labels = (list: vscode.CompletionList) =>
  list.items
    .filter((i) => i.kind === vscode.CompletionItemKind.EnumMember)
    .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));

async function hoverText(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('Deciding an access review in the editor', function () {
  this.timeout(120_000);
  let api: TestApi;
  before(async () => (api = await extensionApi()));
  afterEach(async () => {
    restoreAll();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(() => fs.rmSync(vscode.Uri.joinPath(folder(), 'reviews').fsPath, { recursive: true, force: true }));

  const status = async () => (await api.review.features()).documents.status.text;

  it('CodeLens decide a person and an item, with a reason asked; diagnostics and the status bar follow', async () => {
    const doc = await openReview('editor-q4.access-review.yaml', reviewOf(PEOPLE));
    await until(
      () => undecided(doc.uri),
      (n) => n === 7,
      'every item is undecided at first',
    );
    await until(status, (s) => s.includes('0 of 7 decided, due in'), 'the status bar counts');

    // A person's lenses: the count, Keep all, Revoke all…
    const bob = lineOf(doc, 'email: bob@example.com');
    const bobLenses = await lensesAt(doc, bob);
    titled(bobLenses, '2 of 2 undecided');
    titled(bobLenses, 'Keep all');
    let prompts = answer({ inputs: ['left the company'] });
    await run(titled(bobLenses, 'Revoke all…'));
    assert.equal(prompts.inputs.length, 1, 'a reason is asked once for all of them');
    assert.ok(await prompts.inputs[0].validateInput?.('   '), 'an empty reason is refused with a message');
    assert.match(
      doc.lineAt(lineOf(doc, 'id: usr_2')).text,
      /role: Workspace member, decision: revoke, reason: left the company\}$/,
    );
    assert.match(
      doc.lineAt(lineOf(doc, 'id: g_1')).text,
      /^ {6}- \{at: acme, kind: group, id: g_1, name: Support, decision: revoke, reason: left the company\}$/,
    );
    await until(
      () => undecided(doc.uri),
      (n) => n === 5,
      'two fewer undecided',
    );
    await until(status, (s) => s.includes('2 of 7 decided'), 'the status bar follows the lens');

    // An item's lenses: Keep, Revoke… and each lower role; Escape changes nothing.
    const narrator = lineOf(doc, 'id: v_1', 'role: editor');
    const itemLenses = await lensesAt(doc, narrator);
    assert.deepEqual(
      itemLenses.map((l) => l.command?.title),
      ['Keep', 'Revoke…', '→ commenter', '→ viewer'],
    );
    const before = doc.getText();
    prompts = answer({ inputs: [undefined] });
    await run(titled(itemLenses, '→ commenter'));
    assert.equal(doc.getText(), before, 'Escape leaves the file as it was');
    prompts = answer({ inputs: ['only reads the scripts'] });
    await run(titled(itemLenses, '→ commenter'));
    assert.match(
      doc.lineAt(narrator).text,
      /role: editor, via: direct, decision: commenter, reason: only reads the scripts\}$/,
    );

    // Once one of Ada's items is decided, Keep keeps the others only; Revoke all… still means all.
    const adaLenses = await lensesAt(doc, lineOf(doc, 'email: ada@example.com'));
    assert.deepEqual(
      adaLenses.map((l) => l.command?.title),
      ['2 of 3 undecided', 'Keep the other 2', 'Revoke all…'],
    );
    assert.equal((adaLenses[1].command?.arguments?.[2] as string[]).length, 2);
    // What its creator holds can only be kept; keeping writes no reason.
    const own = lineOf(doc, 'id: v_2');
    const ownLenses = await lensesAt(doc, own);
    assert.deepEqual(
      ownLenses.map((l) => l.command?.title),
      ['Keep'],
    );
    prompts = answer({});
    await run(ownLenses[0]);
    await run(titled(await lensesAt(doc, lineOf(doc, 'id: usr_1')), 'Keep'));
    assert.match(doc.lineAt(own).text, /via: creator, decision: keep\}$/);
    assert.deepEqual(prompts.inputs, [], 'keep asks for no reason');
    await until(
      () => undecided(doc.uri),
      (n) => n === 2,
      'only eve is left',
    );
    await until(status, (s) => s.includes('5 of 7 decided'), 'the status bar counts each lens');
    // A decided item has no lenses of its own; the person's line says all are decided.
    assert.deepEqual(await lensesAt(doc, narrator), []);
    titled(await lensesAt(doc, lineOf(doc, 'email: ada@example.com')), 'all 3 decided');
    assert.deepEqual(prompts.errors, []);
  });

  it('typing: a wrong role is a diagnostic at its line naming the allowed ones; completion offers keep, lower roles and revoke; hover tells the context', async () => {
    const doc = await openReview('editor-typed.access-review.yaml', reviewOf(PEOPLE));
    await until(
      () => undecided(doc.uri),
      (n) => n === 7,
      'every item is undecided at first',
    );
    const handbook = lineOf(doc, 'id: s_1');
    await type(doc, handbook, '}', ', decision: owner}');
    const wrong = await until(
      () => ours(doc.uri).filter((d) => d.code === 'role'),
      (d) => d.length === 1,
      'a wrong role is an error',
    );
    assert.equal(wrong[0].range.start.line, handbook);
    assert.match(
      wrong[0].message,
      /"owner" is not a role of Docs for this grant: decide keep, revoke, or one of comment, read\./,
    );

    // Completion after `decision:` replaces what is typed, least change first.
    await type(doc, handbook, 'decision: owner', 'decision: ');
    const at = new vscode.Position(handbook, doc.lineAt(handbook).text.indexOf('decision: ') + 'decision: '.length);
    const offered = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      at,
    );
    assert.deepEqual(
      labels(offered).filter((l) => ['keep', 'revoke', 'comment', 'read', 'edit', 'admin'].includes(l)),
      ['keep', 'comment', 'read', 'revoke'],
    );
    const viewer = lineOf(doc, 'email: eve@partner.io') + 3;
    assert.match(doc.lineAt(viewer).text, /role: viewer/);
    await type(doc, viewer, '}', ', decision: k}');
    const onViewer = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(viewer, doc.lineAt(viewer).text.indexOf('decision: k') + 'decision: k'.length),
    );
    assert.ok(labels(onViewer).includes('keep') && labels(onViewer).includes('revoke'));
    assert.ok(
      !labels(onViewer).includes('viewer') && !labels(onViewer).includes('editor'),
      'no role that is not lower',
    );

    // Typed right, with a reason: the error is gone and the item is decided.
    await type(doc, handbook, 'decision: ', 'decision: read, reason: "external: reads only"');
    await type(doc, viewer, 'decision: k', 'decision: keep');
    await until(
      () => ours(doc.uri),
      (d) =>
        !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error) &&
        d.filter((x) => x.code === 'undecided').length === 5,
      'typed decisions count',
    );
    await until(status, (s) => s.includes('2 of 7 decided'), 'the status bar counts typed decisions');

    // Hover on an item: what it is, why, where it may go, and the person's context.
    const narrator = lineOf(doc, 'id: v_1', 'role: editor');
    const onItem = await hoverText(
      doc,
      new vscode.Position(narrator, doc.lineAt(narrator).text.indexOf('Narrator') + 2),
    );
    assert.match(onItem, /editor on voice "Narrator" \(acme\)/);
    assert.match(onItem, /Held: direct\./);
    assert.match(onItem, /May be lowered to: commenter, viewer\./);
    assert.match(onItem, /\*\*Ada Lovelace\*\* \(ada@example\.com\)/);
    assert.match(onItem, /Roster: active · Internal · Last activity: 2026-11-01 · Findings: admin/);
    const member = lineOf(doc, 'id: usr_1');
    assert.match(await hoverText(doc, new vscode.Position(member, 12)), /Revoking locks the account/);
    // On a person's email line: their context and counts.
    const eve = lineOf(doc, 'email: eve@partner.io');
    const onPerson = await hoverText(doc, new vscode.Position(eve, 12));
    assert.match(onPerson, /2 of 2 items decided, 0 undecided \(keep 1, revoke 0, lower 1\)/);
    assert.match(
      onPerson,
      /Roster: not on the roster · External · Last activity: not known · Findings: external, unknown/,
    );
  });

  it('a closed review offers no lens and no completion, and the decide command leaves it alone', async () => {
    const decided = PEOPLE.map((p) => ({ ...p, access: p.access.map((i) => ({ ...i, decision: 'keep' })) }));
    const doc = await openReview('editor-closed.access-review.yaml', reviewOf(decided, true));
    await until(status, (s) => s.includes('7 of 7 decided, closed'), 'the status bar says closed');
    const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
    assert.deepEqual(all, []);
    const line = lineOf(doc, 'id: s_1');
    const offered = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(line, doc.lineAt(line).text.indexOf('decision: ') + 'decision: '.length),
    );
    assert.ok(!labels(offered).includes('revoke'), `nothing of ours: ${labels(offered).join(', ')}`);
    const text = doc.getText();
    const prompts = answer({});
    await vscode.commands.executeCommand(
      'workspaceAccess.review.decide',
      doc.uri,
      'eve@partner.io',
      [itemKey('eve@partner.io', { at: 'docs', kind: 'grant', type: 'space', id: 's_1' })],
      'revoke',
    );
    assert.equal(doc.getText(), text);
    assert.equal(prompts.inputs.length, 0);
    assert.match(prompts.errors.join('\n'), /closed on 2026-12-04 and is read-only/);
  });

  it('a review of 3,000 people: lenses for the lines on screen, following a scroll, each resolved when shown', async () => {
    const people: ReviewPerson[] = [];
    for (let n = 0; n < 3000; n++)
      people.push({
        email: `person${n}@example.com`,
        name: `Person ${n}`,
        context: { roster: 'active', external: false, lastActive: '2026-11-01' },
        access: [
          { at: 'acme', kind: 'member', id: `usr_${n}`, name: 'Acme', role: 'Workspace member' },
          { at: 'acme', kind: 'grant', type: 'voice', id: `v_${n}`, name: `Voice ${n}`, role: 'editor', via: 'direct' },
          { at: 'acme', kind: 'group', id: `g_${n % 20}`, name: `Group ${n % 20}` },
          { at: 'docs', kind: 'grant', type: 'space', id: `s_${n}`, name: `Space ${n}`, role: 'review', via: 'direct' },
        ],
      });
    const doc = await openReview('editor-large.access-review.yaml', reviewOf(people));
    await until(status, (s) => s.includes('0 of 12000 decided'), 'the status bar counts a large review');
    // The Problems panel lists the first 500 undecided items, then one entry counts the other 11,500.
    const undecided = await until(
      () => ours(doc.uri).filter((d) => d.code === 'undecided'),
      (d) => d.length > 0,
      'the undecided diagnostics',
    );
    assert.equal(undecided.length, 501);
    assert.match(undecided[500].message, /^11500 more undecided items from here on/);
    const first = lineOf(doc, 'email: person0@example.com');
    const last = lineOf(doc, 'email: person2999@example.com');
    const bare = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    // All of them would be 3,000 × (3 per person + 3 + 4 + 2 + 5 per item) = 51,000: VS Code takes seconds over those.
    assert.ok(bare.length > 0 && bare.length < 3000, `lenses near the screen only, not ${bare.length}`);
    assert.ok(
      bare.every((l) => !l.command),
      'handed over without commands: made when shown',
    );
    assert.ok(bare.some((l) => l.range.start.line === first));
    assert.ok(!bare.some((l) => l.range.start.line === last));
    const shown = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      doc.uri,
      40,
    );
    assert.equal(shown.filter((l) => l.command).length, 40);
    // Scrolling to the end tells VS Code the lenses changed, and the end's are given.
    const documents = (await api.review.features()).documents;
    let changed = 0;
    const listening = documents.onDidChangeCodeLenses(() => changed++);
    try {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
      assert.ok(editor, 'the review is on screen');
      editor.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.InCenter);
      await until(
        () => changed,
        (n) => n > 0,
        'scrolling far asks for new lenses',
      );
    } finally {
      listening.dispose();
    }
    const atEnd = await until(
      async () => {
        const all = await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          doc.uri,
          3000,
        );
        return all.filter((l) => l.range.start.line === last);
      },
      (l) => l.length === 3,
      'the last person has lenses once on screen',
    );
    const prompts = answer({});
    await run(titled(atEnd, 'Keep all'));
    assert.deepEqual(prompts.errors, []);
    assert.match(doc.lineAt(last + 4).text, /decision: keep\}$/);
    await until(status, (s) => s.includes('4 of 12000 decided'), 'a lens at the end of a large review');
  });
});
