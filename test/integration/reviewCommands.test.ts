// The access review's commands in a real VS Code, against the emulator: start a review, decide it by
// editing the text, sign off, close (the plan, one job, the evidence), close again (nothing sent),
// verify the evidence, and see Verify name a changed byte; a close of an undecided review refuses, and
// one whose connection is not stored names it and waits.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { closeLedgerName } from '../../src/core/review/finish';
import { parseReview } from '../../src/core/review/parse';
import { Emulator } from '../emulator/server';
import { answer, pickMany, pickOne, stub, type Prompts } from './stubs';
import { connect, useSandbox } from './tree';

let emulator: Emulator;
let api: TestApi;
/** The reviews the tests wrote: they and their evidence are removed after the suite. */
const created: string[] = [];

const LABEL = 'Review Voices';
const today = () => new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

interface CloseResult {
  readonly plan?: { readonly changes: readonly { readonly change: { readonly op: string } }[] };
  readonly evidence?: readonly vscode.Uri[];
  readonly sent: number;
}

/** Starts a review of everyone in the one connection through the command, its prompts answered. */
async function startReview(name: string): Promise<vscode.TextDocument> {
  const prompts = answer({
    picks: [pickMany(LABEL), pickOne('Everyone')],
    inputs: [name, inDays(14), 'ada@example.com'],
  });
  const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('workspaceAccess.review.start');
  assert.ok(uri, `the review was written (errors: ${prompts.errors.join(' | ')})`);
  assert.ok(uri.path.endsWith('.access-review.yaml'));
  assert.equal(fs.statSync(uri.fsPath).mode & 0o777, 0o600, 'the review names people: it is private');
  created.push(uri.fsPath);
  return vscode.workspace.openTextDocument(uri);
}

/**
 * Decides every item by editing the text: the first direct grant is revoked with a reason (or, with
 * `revoke`, every item it matches), the rest kept.
 */
async function decide(doc: vscode.TextDocument, revoke?: (line: string) => boolean): Promise<string> {
  let revoked = '';
  const lines = doc
    .getText()
    .split('\n')
    .map((line) => {
      if (!/^ {6}- \{.*\}$/.test(line)) return line;
      if (revoke ? revoke(line) : !revoked && line.includes('kind: grant') && line.includes('via: direct')) {
        revoked ||= line;
        return line.replace(/\}$/, ', decision: revoke, reason: moved teams}');
      }
      return line.replace(/\}$/, ', decision: keep}');
    });
  assert.ok(revoked, 'the review lists a direct grant');
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), lines.join('\n'));
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await doc.save());
  return revoked;
}

const writes = () => emulator.requests.filter((r) => r.method !== 'GET');

/** Runs Close on a review that must refuse: the command gives nothing, and its error says `message`. */
async function refusedClose(doc: vscode.TextDocument, message: RegExp): Promise<Prompts> {
  const seen = answer({ confirm: 'Apply' });
  const result = await vscode.commands.executeCommand<CloseResult | undefined>('workspaceAccess.review.close', doc.uri);
  assert.equal(result, undefined);
  assert.match(seen.errors[0] ?? '', message);
  return seen;
}

describe('review commands', function () {
  this.timeout(120_000);

  useSandbox([{ platform: 'elevenlabs', name: LABEL }], (s) => ({ emulator, api } = s));
  beforeEach(() => {
    emulator.reset();
    api.sessions.invalidate();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(() => {
    for (const file of created) {
      const base = file.replace(/\.access-review\.yaml$/, '');
      for (const f of [file, `${base}.evidence.json`, `${base}.evidence.md`, `${base}.evidence.csv`])
        fs.rmSync(f, { force: true });
    }
  });

  it('start → decide by editing → sign off → close applies one revoke and writes evidence → close again sends nothing → verify, then names a changed byte', async () => {
    const name = `Review ${Date.now()}`;
    const doc = await startReview(name);
    const parsed = parseReview(doc.getText(), today());
    assert.ok(parsed.review, 'the file reads as a review');
    assert.deepEqual(
      parsed.problems.filter((p) => p.code !== 'undecided'),
      [],
      'only undecided items, no other problem',
    );
    assert.equal(parsed.review.name, name);
    assert.deepEqual(parsed.review.reviewers, ['ada@example.com']);
    assert.deepEqual(parsed.review.scope.connections, ['review-voices'], 'the key is made from the label');
    const members = parsed.review.people.flatMap((p) => p.access.filter((i) => i.kind === 'member'));
    assert.equal(members.length, emulator.state('elevenlabs').members.length, 'every member is listed');

    const revoked = await decide(doc);
    const item = /id: ([^,}]+)/.exec(revoked)?.[1];
    const type = /type: ([^,}]+)/.exec(revoked)?.[1];
    const decided = parseReview(doc.getText(), today()).review;
    const holder = decided?.people.find((p) => p.access.some((i) => i.decision === 'revoke'));
    assert.ok(item && type && holder);

    // Closing before the sign-off refuses, and offers Sign Off.
    const early = answer({});
    const refused = await vscode.commands.executeCommand<CloseResult>('workspaceAccess.review.close', doc.uri);
    assert.equal(refused.sent, 0);
    assert.match(early.errors[0] ?? '', /not signed off/);

    // In Restricted Mode git is not run in the folder (its config could run commands): both are asked.
    api.access.trust.isTrusted = () => false;
    let asked: ReturnType<typeof answer>;
    let signoff: { name: string; email: string } | undefined;
    try {
      asked = answer({ inputs: ['Ada Reviewer', 'ada@example.com'] });
      signoff = await vscode.commands.executeCommand<{ name: string; email: string }>(
        'workspaceAccess.review.signOff',
        doc.uri,
      );
    } finally {
      api.access.trust.isTrusted = () => true;
    }
    assert.deepEqual(
      asked.inputs.map((i) => /^Your (name|email)/.exec(i?.prompt ?? '')?.[0]),
      ['Your name', 'Your email'],
    );
    assert.equal(signoff?.email, 'ada@example.com', 'signed off');
    assert.match(doc.getText(), /\nsignoff: \{name: .+, email: .+, at: .+\}\n/);
    assert.ok(!doc.isDirty, 'the sign-off is saved');

    emulator.reset();
    api.sessions.invalidate();
    const seen = answer({ confirm: 'Apply' });
    const closed = await vscode.commands.executeCommand<CloseResult>('workspaceAccess.review.close', doc.uri);
    assert.deepEqual(seen.errors, []);
    const diff = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputTextDiff && t.label.startsWith('Now ↔ after closing'));
    assert.ok(diff, 'the plan is shown in the diff editor');
    const { original, modified } = diff.input as vscode.TabInputTextDiff;
    const now = (await vscode.workspace.openTextDocument(original)).getText();
    const planned = (await vscode.workspace.openTextDocument(modified)).getText();
    assert.ok(now.includes(revoked.trim()), 'the left side holds the grant as read now');
    assert.ok(!planned.includes(revoked.trim()), 'the right side is after the revoke');
    assert.match(planned, /1 change\(s\)/);
    assert.deepEqual(
      closed.plan?.changes.map((c) => c.change.op),
      ['revoke'],
      'one revoke, the rest kept',
    );
    assert.match(
      seen.infos.find((m) => m.startsWith('Review closed')) ?? '',
      /^Review closed: 1 changed, \d+ kept, 0 no longer held\.$/,
    );
    const provider = api.sessions.provider(api.store.list().find((c) => c.label === LABEL)!);
    provider.invalidate();
    const access = await provider.sharing!.access({ type, id: item });
    const memberId = holder.access.find((i) => i.kind === 'member')?.id;
    assert.ok(memberId);
    assert.ok(
      !access.grants.some((g) => g.principal.kind === 'user' && g.principal.id === memberId),
      'the emulator no longer has the grant',
    );
    assert.equal(closed.evidence?.length, 3);
    for (const uri of closed.evidence ?? []) {
      assert.ok(fs.existsSync(uri.fsPath), `${uri.fsPath} is written`);
      assert.equal(fs.statSync(uri.fsPath).mode & 0o777, 0o600, 'evidence is private');
    }
    const after = parseReview(doc.getText(), today()).review;
    assert.ok(after?.closed, 'the review is marked closed');
    assert.equal(after.closed.evidence, path.basename(closed.evidence[2].fsPath));

    const before = writes().length;
    const again = answer({ confirm: 'Apply' });
    const second = await vscode.commands.executeCommand<CloseResult>('workspaceAccess.review.close', doc.uri);
    assert.equal(second.sent, 0);
    assert.equal(writes().length, before, 'a second close sends nothing');
    assert.match(again.infos[0] ?? '', /closed on .*nothing was sent/);

    const ok = answer({});
    const verified = await vscode.commands.executeCommand<{ ok: boolean; files: string[] }>(
      'workspaceAccess.review.verify',
      doc.uri,
    );
    assert.equal(verified.ok, true, `verify: ${ok.errors.join(' | ')}`);
    assert.ok(verified.files.includes(after.closed.evidence));
    assert.match(ok.infos[0] ?? '', /^Evidence verified: \d+ file\(s\)/);

    const markdown = closed.evidence[0].fsPath;
    const bytes = fs.readFileSync(markdown);
    bytes[bytes.length - 2] = bytes[bytes.length - 2] === 0x41 ? 0x42 : 0x41;
    fs.writeFileSync(markdown, bytes);
    const bad = answer({});
    const failed = await vscode.commands.executeCommand<{ ok: boolean; file?: string }>(
      'workspaceAccess.review.verify',
      doc.uri,
    );
    assert.equal(failed.ok, false);
    assert.equal(failed.file, path.basename(markdown), 'Verify names the changed file');
    assert.match(bad.errors[0] ?? '', new RegExp(`${path.basename(markdown).replace(/\./g, '\\.')}: it was changed`));
  });

  it('a close cancelled part-way stays open; the close after it sends the rest, and its evidence records both jobs as done', async () => {
    const doc = await startReview(`Cancelled ${Date.now()}`);
    const direct = (line: string) => line.includes('kind: grant') && line.includes('via: direct');
    const revokes = doc.getText().split('\n').filter(direct).length;
    assert.ok(revokes >= 3, `enough direct grants to cancel part-way (${revokes})`);
    await decide(doc, direct);
    answer({ inputs: ['Ada Reviewer', 'ada@example.com'] });
    await vscode.commands.executeCommand('workspaceAccess.review.signOff', doc.uri);
    assert.match(doc.getText(), /\nsignoff: /);
    emulator.reset();
    api.sessions.invalidate();
    const settings = vscode.workspace.getConfiguration('workspaceAccess');
    await settings.update('bulk.maxConcurrency', 1, vscode.ConfigurationTarget.Global);
    try {
      emulator.setFaults({ latencyMs: 40 });
      const seen = answer({ confirm: 'Apply' });
      // The job's notification is cancelled when it counts its first change; the reads before it are not.
      stub('withProgress', ((
        options: vscode.ProgressOptions,
        task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>,
      ) => {
        const source = new vscode.CancellationTokenSource();
        const job = options.title?.startsWith('Close ');
        return task(
          { report: (v) => (job && v.message?.startsWith('1/') ? source.cancel() : undefined) },
          source.token,
        );
      }) as unknown as typeof vscode.window.withProgress);
      const cut = await vscode.commands.executeCommand<CloseResult>('workspaceAccess.review.close', doc.uri);
      assert.equal(cut.plan?.changes.length, revokes);
      assert.ok(cut.sent >= 1 && cut.sent < revokes, `cancelled part-way (${cut.sent} of ${revokes})`);
      assert.ok(
        seen.warnings.some((w) => /stays open: \d+ of \d+ change\(s\) were not sent\. Close it again/.test(w.message)),
        seen.warnings.map((w) => w.message).join(' | '),
      );
      assert.ok(!parseReview(doc.getText(), today()).review?.closed, 'the review stays open');
      assert.equal(fs.readdirSync(api.jobs.ledgerDir).length, 1, 'what the job did is kept until the review closes');
    } finally {
      emulator.setFaults({ latencyMs: 0 });
      await settings.update('bulk.maxConcurrency', undefined, vscode.ConfigurationTarget.Global);
    }
    const sentFirst = writes().filter((w) => w.status < 300).length;

    // While a close's job has not ended (here: interrupted, its journal left), closing again refuses.
    const review = parseReview(doc.getText(), today()).review;
    assert.ok(review);
    const ledger = path.join(api.jobs.ledgerDir, closeLedgerName(doc.uri.toString(), review.snapshot));
    const journal = path.join(api.jobs.dir, 'review-close-left.job.jsonl');
    const header = {
      v: 1,
      id: 'review-close-left',
      kind: 'access',
      title: 'Close the review',
      connectionId: '*',
      params: { ledger: { file: ledger, entries: {} } },
      items: [],
      started: new Date().toISOString(),
      pid: 0,
    };
    fs.writeFileSync(journal, `${JSON.stringify(header)}\n`);
    try {
      await refusedClose(
        doc,
        /its close "Close the review" has not finished\. Resume it \(Workspace Access: Resume Interrupted Bulk Jobs\), or discard it, then close again\. Nothing was sent\./,
      );
      assert.equal(writes().filter((w) => w.status < 300).length, sentFirst, 'nothing was sent');
    } finally {
      fs.rmSync(journal, { force: true });
    }

    const seen = answer({ confirm: 'Apply' });
    const closed = await vscode.commands.executeCommand<CloseResult>('workspaceAccess.review.close', doc.uri);
    assert.equal(closed.plan?.changes.length, revokes - sentFirst, 'the close sends only the rest');
    assert.match(
      seen.infos.find((m) => m.startsWith('Review closed')) ?? '',
      new RegExp(`^Review closed: ${revokes} changed, \\d+ kept, 0 no longer held\\.$`),
    );
    const json = closed.evidence?.find((u) => u.fsPath.endsWith('.evidence.json'));
    assert.ok(json);
    const evidence = JSON.parse(fs.readFileSync(json.fsPath, 'utf8')) as {
      counts: Record<string, number>;
      decisions: { detail?: string }[];
    };
    assert.equal(evidence.counts.done, revokes);
    assert.equal(evidence.counts.gone, 0);
    assert.equal(
      evidence.decisions.filter((d) => /^done by this review's close on /.test(d.detail ?? '')).length,
      sentFirst,
    );
    assert.deepEqual(fs.readdirSync(api.jobs.ledgerDir), [], 'the ledger goes when the review closes');
    const sent = writes().filter((w) => w.status < 300);
    assert.equal(sent.length, revokes, 'each revoke sent once');
  });

  it('revoking every membership (the key’s own, the last admin) needs the number of changes typed: Escape sends nothing', async () => {
    const doc = await startReview(`Members ${Date.now()}`);
    await decide(doc, (line) => line.includes('kind: member'));
    answer({ inputs: ['Ada Reviewer', 'ada@example.com', 'Ada Reviewer', 'ada@example.com'] });
    await vscode.commands.executeCommand('workspaceAccess.review.signOff', doc.uri);
    assert.match(doc.getText(), /\nsignoff: /);
    emulator.reset();
    api.sessions.invalidate();
    const seen = answer({ confirm: 'Apply', inputs: [undefined] });
    const result = await vscode.commands.executeCommand<CloseResult | undefined>(
      'workspaceAccess.review.close',
      doc.uri,
    );
    assert.equal(result, undefined, 'cancelled at the typed confirmation');
    const changes = /^Apply (\d+) change\(s\) and close/.exec(seen.warnings[0]?.message ?? '')?.[1];
    assert.ok(changes && Number(changes) > 1, 'the modal counts the changes');
    assert.match(
      seen.warnings[0]?.detail ?? '',
      /Needs a typed confirmation: .*the account of the key this connection uses/,
    );
    assert.match(seen.warnings[0]?.detail ?? '', /the last admin/);
    assert.match(seen.inputs[0]?.prompt ?? '', new RegExp(`Type ${changes} to confirm`));
    assert.deepEqual(writes(), [], 'nothing was sent');
    assert.ok(!parseReview(doc.getText(), today()).review?.closed, 'the review stays open');
  });

  it('Restricted Mode: Start Access Review waits until the folder is trusted, and reads nothing', async () => {
    api.access.trust.isTrusted = () => false;
    try {
      const seen = answer({});
      await vscode.commands.executeCommand('workspaceAccess.review.start');
      assert.match(seen.errors[0] ?? '', /^Start Access Review waits until you trust this folder/);
      assert.deepEqual(emulator.requests, []);
    } finally {
      api.access.trust.isTrusted = () => true;
    }
  });

  it('a review of the people findings name, with no roster set, says how to set one and reads nothing', async () => {
    const seen = answer({ picks: [pickMany(LABEL), pickOne('Only the people findings name')] });
    const uri = await vscode.commands.executeCommand('workspaceAccess.review.start');
    assert.equal(uri, undefined);
    assert.match(
      seen.errors[0] ?? '',
      /needs a roster: set "workspaceAccess\.roster" in Settings, or run "Choose Roster…"/,
    );
    assert.deepEqual(emulator.requests, []);
  });

  it('a review connection with no stored connection: the plan names it, its decisions wait and nothing is sent; added again, the close goes on', async () => {
    const doc = await startReview(`Removed ${Date.now()}`);
    await decide(doc);
    answer({ inputs: ['Ada Reviewer', 'ada@example.com'] });
    await vscode.commands.executeCommand('workspaceAccess.review.signOff', doc.uri);
    const stored = api.store.list().find((c) => c.label === LABEL);
    assert.ok(stored);
    await api.store.remove(stored.id);
    try {
      emulator.reset();
      const seen = await refusedClose(
        doc,
        /^review-voices \(ElevenLabs "Review Voices"\) has no stored connection: 1 decision\(s\) wait\. Add a connection to it and close again\.$/,
      );
      assert.deepEqual(seen.warnings, [], 'no confirmation was asked');
      const diff = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.label.startsWith('Now ↔ after closing'));
      assert.ok(diff, 'the plan was shown in the diff editor');
      assert.deepEqual(emulator.requests, [], 'nothing was read or sent');
      assert.ok(!parseReview(doc.getText(), today()).review?.closed, 'the review stays open');
    } finally {
      await connect(api, emulator, 'elevenlabs', LABEL);
    }
    api.sessions.invalidate();
    const seen = answer({ confirm: 'Apply' });
    const closed = await vscode.commands.executeCommand<CloseResult>('workspaceAccess.review.close', doc.uri);
    assert.equal(closed.plan?.changes.length, 1, seen.errors.join(' | '));
    assert.equal(closed.sent, 1);
    assert.ok(parseReview(doc.getText(), today()).review?.closed, 'the review closed');
  });

  it('a close while items are undecided refuses and sends nothing', async () => {
    const doc = await startReview(`Undecided ${Date.now()}`);
    emulator.reset();
    const seen = answer({ confirm: 'Apply' });
    const result = await vscode.commands.executeCommand<CloseResult>('workspaceAccess.review.close', doc.uri);
    assert.equal(result.sent, 0);
    assert.match(seen.errors[0] ?? '', /cannot close yet: \d+ item\(s\) are undecided/);
    assert.deepEqual(emulator.requests, [], 'nothing was read or sent');
    assert.ok(!parseReview(doc.getText(), today()).review?.closed);
  });
});
