// Access as code in a real VS Code: export live access to workspace-access.yaml, edit it, see drift
// and expiry at their lines, Plan in the diff editor, Apply as one job, and Plan again to nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { FilePlan } from '../../src/core/access/plan';
import { Emulator } from '../emulator/server';
import { answer, restoreAll, stub } from './stubs';
import { useSandbox } from './tree';

let emulator: Emulator;
let api: TestApi;
let ids: string[];

const folder = () => {
  const f = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(f, 'the test window has a workspace folder');
  return f;
};

/** Waits until the file's diagnostics satisfy `ok` (checks run after open, edit and save). */
async function diagnosticsUntil(
  uri: vscode.Uri,
  ok: (d: readonly vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Workspace Access');
    if (ok(list)) return list;
    if (Date.now() > deadline)
      assert.fail(`${what}; diagnostics: ${list.map((d) => `${d.range.start.line + 1}: ${d.message}`).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Replaces the one match of `from` in the document, and saves. */
async function edit(doc: vscode.TextDocument, from: RegExp, to: string): Promise<void> {
  const text = doc.getText();
  const m = from.exec(text);
  assert.ok(m, `${String(from)} is in the file`);
  const we = new vscode.WorkspaceEdit();
  we.replace(
    doc.uri,
    new vscode.Range(doc.positionAt(m.index), doc.positionAt(m.index + m[0].length)),
    m[0].replace(from, to),
  );
  assert.ok(await vscode.workspace.applyEdit(we));
  await doc.save();
}

const lineOf = (doc: vscode.TextDocument, needle: string) =>
  doc
    .getText()
    .split('\n')
    .findIndex((l) => l.includes(needle));

describe('Access as code', function () {
  this.timeout(120_000);

  useSandbox(
    [
      { platform: 'elevenlabs', name: 'Code Voices' },
      { platform: 'gitbook', name: 'Code Docs' },
      { platform: 'confident', name: 'Code Evals' },
    ],
    (s) => {
      ({ emulator, api } = s);
      ids = s.connections.map((c) => c.id.replace(/^conn\//, ''));
    },
  );
  beforeEach(() => {
    emulator.reset();
    api.sessions.invalidate();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function exported(name: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.joinPath(folder(), name);
    const written = await vscode.commands.executeCommand<vscode.Uri>('workspaceAccess.access.export', {
      connections: ids,
      uri,
    });
    assert.equal(written.toString(), uri.toString());
    assert.equal(fs.statSync(uri.fsPath).mode & 0o777, 0o600, 'the exported file names people: it is private');
    const doc = await vscode.workspace.openTextDocument(uri);
    return doc;
  }

  it('Export → edit → Plan (diff editor) → Apply → Plan again is empty, for all three platforms', async () => {
    const doc = await exported('workspace-access.yaml');
    const text = doc.getText();
    assert.match(text, /platform: elevenlabs\n {4}workspace: Code Voices/);
    assert.match(text, /platform: gitbook\n {4}organization: org_sandbox/);
    assert.match(
      text,
      /platform: confident\n {4}organization: Sandbox Evals\n/,
      'Confident AI by the organization its key belongs to',
    );
    assert.match(text, /alan\.lovelace@example\.com: workspace_member # Alan/, 'names are comments');
    // A fresh export matches live: nothing drifts.
    await diagnosticsUntil(
      doc.uri,
      (d) => !d.some((x) => x.code === 'drift' || x.severity === vscode.DiagnosticSeverity.Error),
      'an export has no drift',
    );

    await edit(
      doc,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_admin # Alan',
    );
    await edit(
      doc,
      /dennis\.lovelace@example\.com: read # Dennis Lovelace/,
      'dennis.lovelace@example.com: edit # Dennis Lovelace',
    );
    await edit(doc, /(name: Handbook 2\n {8}members:\n {10}edsger\.lovelace@example\.com: )Member/, '$1Manager');
    const drift = await diagnosticsUntil(
      doc.uri,
      (d) => d.filter((x) => x.code === 'drift').length >= 3,
      'three drifts',
    );
    const alan = drift.find((d) => d.range.start.line === lineOf(doc, 'alan.lovelace@example.com: workspace_admin'));
    assert.equal(alan?.message, 'live: workspace_member', 'drift is on the edited line');
    assert.equal(
      drift.find((d) => d.range.start.line === lineOf(doc, 'dennis.lovelace@example.com: edit'))?.message,
      'live: read',
    );

    const plan = await vscode.commands.executeCommand<FilePlan>('workspaceAccess.access.plan', doc.uri);
    assert.deepEqual(plan.changes.map((c) => c.change.op).sort(), ['set-project-role', 'set-role', 'set-role']);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'the plan opens in the diff editor');
    assert.equal(tab.input.modified.toString(), doc.uri.toString());
    assert.match(tab.label, /\(\d to change\)$/, 'the title counts the plan');
    const left = await vscode.workspace.openTextDocument(tab.input.original);
    assert.match(
      left.getText(),
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'the left side is live, as the same YAML',
    );
    assert.equal(
      emulator.state('elevenlabs').members.find((m) => m.email.startsWith('alan.'))?.seat_type,
      'workspace_member',
      'planning wrote nothing',
    );

    // The plan's Details (its Markdown) counts the same changes as its diff: Apply closes both.
    const titles = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    stub('showInformationMessage', (message: string) =>
      Promise.resolve(message.startsWith('Plan for') ? 'Details' : undefined),
    );
    await vscode.commands.executeCommand('workspaceAccess.access.plan', doc.uri);
    for (let i = 0; i < 400 && !titles().includes('plan-workspace-access.yaml.md'); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(titles().includes('plan-workspace-access.yaml.md'), `the Details opened: ${titles().join(' | ')}`);
    restoreAll();

    const prompts = answer({ confirm: 'Apply' });
    await vscode.commands.executeCommand('workspaceAccess.access.apply', doc.uri);
    assert.match(prompts.warnings[0]?.message ?? '', /^Apply 3 change\(s\) from workspace-access\.yaml\?/);
    assert.match(prompts.warnings[0]?.detail ?? '', /2 to change|3 to change/);
    assert.equal(
      emulator.state('elevenlabs').members.find((m) => m.email.startsWith('alan.'))?.seat_type,
      'workspace_admin',
    );
    assert.equal(emulator.state('gitbook').members.find((m) => m.user.email?.startsWith('dennis.'))?.role, 'edit');

    assert.ok(!titles().includes('plan-workspace-access.yaml.md'), 'the Details of the applied plan are closed');
    assert.ok(
      !titles().some((t) => /to change/.test(t)),
      `no tab keeps the applied plan's title: ${titles().join(' | ')}`,
    );
    const again = await vscode.commands.executeCommand<FilePlan>('workspaceAccess.access.plan', doc.uri);
    assert.deepEqual(again.changes, []);
    assert.equal(
      titles()
        .filter((t) => t.startsWith('Live ↔ workspace-access.yaml'))
        .join(' | '),
      'Live ↔ workspace-access.yaml (No changes)',
      'one plan tab, titled by the plan now',
    );
    await diagnosticsUntil(doc.uri, (d) => !d.some((x) => x.code === 'drift'), 'no drift after Apply');
  });

  it('an invitation whose answer was lost is "sent, unconfirmed": a warning at its line, and Plan and Apply never send it again', async () => {
    // A file of its own: the document of an earlier test's file can still hold that test's edits.
    const doc = await exported('lost.workspace-access.yaml');
    await edit(
      doc,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_member # Alan\n      el.lost@example.com: workspace_member',
    );
    const invites = () =>
      emulator.requests.filter((r) => r.platform === 'elevenlabs' && r.path === '/v1/workspace/invites/add');
    // ElevenLabs takes the invitation and answers 500: it cannot list invitations, so nobody can tell.
    emulator.queueAnswers({ status: 500, path: '/v1/workspace/invites/add', body: { detail: 'Internal error' } });
    answer({ confirm: 'Apply' });
    await vscode.commands.executeCommand('workspaceAccess.access.apply', doc.uri);
    restoreAll();
    assert.ok(emulator.state('elevenlabs').invites.has('el.lost@example.com'), 'the platform acted');
    assert.equal(invites().length, 1);

    const line = lineOf(doc, 'el.lost@example.com');
    const shown = await diagnosticsUntil(
      doc.uri,
      (d) => d.some((x) => x.code === 'unconfirmed'),
      'the line says "sent, unconfirmed"',
    );
    const at = shown.find((d) => d.code === 'unconfirmed');
    assert.equal(at?.range.start.line, line);
    assert.equal(at?.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(at?.message ?? '', /^el\.lost@example\.com: sent, unconfirmed\./);
    const plan = await vscode.commands.executeCommand<FilePlan>('workspaceAccess.access.plan', doc.uri);
    assert.deepEqual(plan.changes, [], 'not invited again');
    answer({ confirm: 'Apply' });
    await vscode.commands.executeCommand('workspaceAccess.access.apply', doc.uri);
    restoreAll();
    assert.equal(invites().length, 1, 'one invitation, never a second');
    // Forgotten and gone: a later test's re-check of every known file would read live for it.
    (await api.access.files()).forget(doc);
    fs.rmSync(doc.uri.fsPath, { force: true });
    fs.rmSync(doc.uri.fsPath.replace(/\.yaml$/, '.state.json'), { force: true });
  });

  it('the state file beside the file: an invitation the repository recorded is not planned or sent again, and an Apply that invites on GitBook records its own there', async () => {
    const doc = await exported('shared.workspace-access.yaml');
    const stateFile = path.join(folder().fsPath, 'shared.workspace-access.state.json');
    // What the command line's apply on CI wrote and committed: a hash of the connection as the file names it and the email.
    const hash = (email: string) => createHash('sha256').update(`gitbook:org_sandbox:${email}`).digest('hex');
    const sent = new Date().toISOString();
    fs.writeFileSync(
      stateFile,
      JSON.stringify({
        schemaVersion: 1,
        connections: {
          'gitbook:org_sandbox': { invitations: { [hash('gb.ci@example.com')]: { sent, status: 'sent' } } },
        },
      }),
    );
    try {
      await edit(
        doc,
        /dennis\.lovelace@example\.com: read # Dennis Lovelace/,
        'dennis.lovelace@example.com: read # Dennis Lovelace\n      gb.ci@example.com: read\n      gb.new@example.com: read',
      );
      const plan = await vscode.commands.executeCommand<FilePlan>('workspaceAccess.access.plan', doc.uri);
      const invited = (p: FilePlan) => p.changes.flatMap((c) => (c.change.op === 'invite' ? [c.change.email] : []));
      assert.deepEqual(invited(plan), ['gb.new@example.com'], 'no + Invite for whom CI invited');
      assert.ok(
        plan.findings.some((f) => f.code === 'pending' && /^gb\.ci@example\.com was invited by Apply/.test(f.message)),
        plan.findings.map((f) => f.message).join(' | '),
      );

      const prompts = answer({ confirm: 'Apply' });
      await vscode.commands.executeCommand('workspaceAccess.access.apply', doc.uri);
      restoreAll();
      assert.deepEqual(
        [...emulator.state('gitbook').invited.keys()],
        ['gb.new@example.com'],
        'one invitation, not a second',
      );
      const written = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as {
        connections: Record<string, { invitations: Record<string, { status: string }> }>;
      };
      const recorded = written.connections['gitbook:org_sandbox']?.invitations ?? {};
      assert.equal(recorded[hash('gb.new@example.com')]?.status, 'sent', 'the new invitation is in the state file');
      assert.equal(recorded[hash('gb.ci@example.com')]?.status, 'sent', "CI's is kept");
      assert.ok(!fs.readFileSync(stateFile, 'utf8').includes('@'), 'no email in clear');
      assert.ok(
        prompts.infos.some(
          (m) =>
            m === 'Updated shared.workspace-access.state.json: commit it, so every runner and colleague plans from it.',
        ),
        prompts.infos.join(' | '),
      );
    } finally {
      fs.rmSync(stateFile, { force: true });
      fs.rmSync(path.join(folder().fsPath, '.workspace-access-locks'), { recursive: true, force: true });
    }
  });

  it('Restricted Mode: an access file is checked for syntax only, nothing is read with the keys, Plan and Apply wait; trusting the folder compares it with live', async () => {
    const doc = await exported('restricted.workspace-access.yaml');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const files = await api.access.files();
    files.forget(doc);
    emulator.reset();
    api.sessions.invalidate();
    api.access.trust.isTrusted = () => false;
    try {
      await vscode.window.showTextDocument(doc);
      await edit(
        doc,
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        'alan.lovelace@example.com: workspace_admin # Alan',
      );
      await edit(doc, /(platform: gitbook\n)/, '$1    bogus: 1\n');
      const list = await diagnosticsUntil(
        doc.uri,
        (d) => d.some((x) => x.code === 'restricted') && d.some((x) => x.severity === vscode.DiagnosticSeverity.Error),
        'the Restricted Mode notice and the schema error',
      );
      assert.equal(list.find((d) => d.code === 'restricted')?.range.start.line, 0, 'said at the top of the file');
      assert.ok(!list.some((d) => d.code === 'drift'), 'no drift: live was not read');
      const prompts = answer({});
      await vscode.commands.executeCommand('workspaceAccess.access.plan', doc.uri);
      await vscode.commands.executeCommand('workspaceAccess.access.apply', doc.uri);
      assert.match(prompts.errors[0] ?? '', /^Plan waits until you trust this folder: /);
      assert.match(prompts.errors[1] ?? '', /^Apply waits until you trust this folder: /);
      assert.deepEqual(
        emulator.requests.map((r) => `${r.method} ${r.path}`),
        [],
        'nothing was read or sent with the keys of the stored connections',
      );
    } finally {
      api.access.trust.isTrusted = () => true;
    }
    await edit(doc, /\n {4}bogus: 1/, '');
    files.recheckAll();
    await diagnosticsUntil(
      doc.uri,
      (d) => d.some((x) => x.code === 'drift') && !d.some((x) => x.code === 'restricted'),
      'trusted: compared with live',
    );
    assert.ok(emulator.requests.length > 0, 'trusted: live was read');
    // The check the edit started may still be reading: done before the next test counts requests.
    await files.idle();
  });

  it('a file whose check takes more reads than accessFile.askBeforeReads (1,000 by default) asks once; "Not Now" reads nothing, and Plan reads it', async () => {
    const config = vscode.workspace.getConfiguration('workspaceAccess');
    assert.equal(
      config.inspect<number>('accessFile.askBeforeReads')?.defaultValue,
      1000,
      'the default is 1,000 requests',
    );
    // 998 resources and a connection: about 1,001 requests, one over the default.
    const voices = Array.from(
      { length: 998 },
      (_, i) => `      - type: voice\n        id: voice_unknown_${i}\n        name: Unknown ${i}\n        grants: {}`,
    ).join('\n');
    const uri = vscode.Uri.joinPath(folder(), 'large.workspace-access.yaml');
    fs.writeFileSync(
      uri.fsPath,
      `version: 1\nconnections:\n  - platform: elevenlabs\n    workspace: Code Voices\n    resources:\n${voices}\n`,
    );
    emulator.reset();
    api.sessions.invalidate();
    const prompts = answer({ confirm: 'Not Now' });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await diagnosticsUntil(doc.uri, (d) => d.some((x) => x.code === 'held'), 'held back, said at the top');
    assert.match(
      prompts.warnings[0]?.message ?? '',
      /^Comparing large\.workspace-access\.yaml with live access takes about 1001 requests with your keys\. Read now\?$/,
    );
    assert.deepEqual(
      emulator.requests.map((r) => r.path),
      [],
      '"Not Now" read nothing',
    );
    // An edit does not ask again.
    await edit(doc, /Unknown 0\n/, 'Unknown zero\n');
    await diagnosticsUntil(doc.uri, (d) => d.some((x) => x.code === 'held'), 'still held after an edit');
    assert.equal(prompts.warnings.length, 1, 'asked once');
    // Plan is the user asking for live: it reads, and the notice goes.
    await vscode.commands.executeCommand('workspaceAccess.access.plan', doc.uri);
    assert.ok(emulator.requests.length >= 998, `Plan read live (${emulator.requests.length} requests)`);
    await diagnosticsUntil(doc.uri, (d) => !d.some((x) => x.code === 'held'), 'no longer held after Plan');
    assert.equal(prompts.warnings.length, 1, 'Plan did not ask');
    fs.rmSync(uri.fsPath, { force: true });
  });

  it('expiry and drift at their lines; the quick fix accepts the live value; completion and hover come from the connection', async () => {
    const doc = await exported('team.workspace-access.yaml');
    await edit(
      doc,
      /(name: Narrator 1\n {8}grants:\n {10}group:Support: )editor/,
      '$1{ role: editor, until: 2026-01-31 }',
    );
    await edit(
      doc,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_lite_member # Alan',
    );
    const list = await diagnosticsUntil(
      doc.uri,
      (d) => d.some((x) => x.code === 'expired') && d.some((x) => x.code === 'drift'),
      'expiry and drift',
    );
    const expired = list.find((d) => d.code === 'expired')!;
    assert.equal(expired.range.start.line, lineOf(doc, 'group:Support: { role: editor, until: 2026-01-31 }'));
    assert.match(
      expired.message,
      /^group:Support's editor expired \d+ days ago \(until 2026-01-31\): Plan removes it\.$/,
    );
    // The quick fix: "Accept live value into the file".
    const alan = list.find((d) => d.code === 'drift' && d.message === 'live: workspace_member')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      alan.range,
    );
    const accept = actions.find((a) => a.title === 'Accept live value into the file');
    assert.ok(accept?.command, `offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(actions.some((a) => a.title === 'Plan'));
    await vscode.commands.executeCommand(accept.command.command, ...((accept.command.arguments ?? []) as unknown[]));
    assert.match(doc.getText(), /alan\.lovelace@example\.com: workspace_member # Alan/);
    await diagnosticsUntil(
      doc.uri,
      (d) => !d.some((x) => x.code === 'drift' && x.message === 'live: workspace_member'),
      'the drift is gone once the file takes the live value',
    );
    // Completion after a member's email offers the seats; hover says what a grant gives and why.
    const line = lineOf(doc, 'alan.lovelace@example.com: workspace_member');
    const at = new vscode.Position(line, doc.lineAt(line).text.indexOf(': ') + 2);
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      at,
    );
    const labels = completions.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const seat of ['workspace_admin', 'workspace_member', 'workspace_lite_member'])
      assert.ok(labels.includes(seat), `${seat} in ${labels.join(', ')}`);
    // The member's live seat is preselected, never the most powerful one.
    const preselected = completions.items
      .filter((i) => i.preselect)
      .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepEqual(preselected, ['workspace_member']);
    const grantLine = lineOf(doc, 'group:Support: { role: editor');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(grantLine, doc.lineAt(grantLine).text.indexOf('group:') + 2),
    );
    const said = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(said, /Everyone in group "Support" reaches voice "Narrator 1" as \*\*editor\*\*, through the group/);
  });

  it('bad input: a syntax error and an unknown connection are diagnostics at their lines; Plan and Apply refuse and say why', async () => {
    const doc = await exported('bad.workspace-access.yaml');
    await edit(doc, /workspace: Code Voices/, 'workspace: Nowhere');
    const unmatched = await diagnosticsUntil(
      doc.uri,
      (d) => d.some((x) => x.code === 'connection'),
      'the unknown connection',
    );
    assert.equal(unmatched.find((d) => d.code === 'connection')?.range.start.line, lineOf(doc, 'workspace: Nowhere'));
    assert.match(
      unmatched.find((d) => d.code === 'connection')!.message,
      /No ElevenLabs connection matches workspace "Nowhere"; connections: "Code Voices"/,
    );
    // Plan refuses as Apply does, at the line (no diff of a file that cannot be applied).
    let prompts = answer({});
    await vscode.commands.executeCommand('workspaceAccess.access.plan', doc.uri);
    assert.match(
      prompts.errors[0] ?? '',
      new RegExp(
        `^Plan refuses bad\\.workspace-access\\.yaml: line ${lineOf(doc, 'workspace: Nowhere') + 1}: No ElevenLabs connection matches`,
      ),
    );
    assert.ok(
      !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff)),
      'no diff opened',
    );
    restoreAll();
    prompts = answer({ confirm: 'Apply' });
    await vscode.commands.executeCommand('workspaceAccess.access.apply', doc.uri);
    assert.match(
      prompts.errors[0] ?? '',
      /^Apply refuses bad\.workspace-access\.yaml: line \d+: No ElevenLabs connection matches/,
    );
    assert.equal(prompts.warnings.length, 0, 'nothing was confirmed: nothing was sent');

    await edit(doc, /workspace: Nowhere/, 'workspace: [Code Voices');
    const syntax = await diagnosticsUntil(doc.uri, (d) => d.some((x) => x.code === 'syntax'), 'the syntax error');
    assert.ok(syntax.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    prompts = answer({});
    await vscode.commands.executeCommand('workspaceAccess.access.plan', doc.uri);
    assert.match(prompts.errors[0] ?? '', /^Plan refuses bad\.workspace-access\.yaml: line \d+: /);
  });

  it('an empty role is an error at its line that names the roles; the other diagnostics stay; Plan refuses, naming the line', async () => {
    const doc = await exported('empty.workspace-access.yaml');
    await edit(
      doc,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_lite_member # Alan',
    );
    await diagnosticsUntil(doc.uri, (d) => d.some((x) => x.code === 'drift'), 'the drift');
    await edit(doc, /radia\.lovelace@example\.com: workspace_member/, 'radia.lovelace@example.com:');
    const radia = lineOf(doc, 'radia.lovelace@example.com:');
    const list = await diagnosticsUntil(
      doc.uri,
      (d) => d.some((x) => x.code === 'schema'),
      'the empty seat is an error',
    );
    const empty = list.find((d) => d.code === 'schema')!;
    assert.equal(empty.range.start.line, radia);
    assert.equal(
      empty.message,
      'The seat type is empty; use one of: workspace_admin, workspace_member, workspace_lite_member.',
    );
    // The drift elsewhere is still said while the error is there (once the check of the new text is in).
    const both = await diagnosticsUntil(
      doc.uri,
      (d) =>
        d.some((x) => x.code === 'schema') &&
        d.some((x) => x.code === 'drift' && x.message === 'live: workspace_member'),
      'the drift stays beside the error',
    );
    assert.equal(
      both.find((d) => d.code === 'drift')?.range.start.line,
      lineOf(doc, 'alan.lovelace@example.com: workspace_lite_member'),
    );
    const prompts = answer({});
    await vscode.commands.executeCommand('workspaceAccess.access.plan', doc.uri);
    assert.equal(
      prompts.errors[0],
      `Plan refuses empty.workspace-access.yaml: line ${radia + 1}: The seat type is empty; use one of: workspace_admin, workspace_member, workspace_lite_member.`,
    );
  });

  it("a removal of the key's own account needs a typed confirmation; Escape sends nothing", async () => {
    const doc = await exported('self.workspace-access.yaml');
    const self = (await api.sessions.provider(api.store.get(ids[0])!).whoAmI()).userId;
    const mine = emulator.state('elevenlabs').members.find((m) => m.user_id === self);
    assert.ok(mine, "the key's own account is a member");
    await edit(doc, new RegExp(` +${mine.email.replace(/[.]/g, '\\.')}: .*\\n`, 'i'), '');
    const prompts = answer({ confirm: 'Apply', inputs: [undefined] });
    await vscode.commands.executeCommand('workspaceAccess.access.apply', doc.uri);
    assert.match(prompts.warnings[0]?.detail ?? '', /Needs a typed confirmation: Lock .*the connection's own key/);
    assert.equal(prompts.inputs.length, 1, 'a typed confirmation was asked');
    assert.equal(
      emulator.state('elevenlabs').members.find((m) => m.user_id === mine.user_id)?.is_locked ?? false,
      false,
      'Escape sent nothing',
    );
  });
  it("one plan, two front ends: the extension's Plan and the command line's `plan --json` give the same changes for one file and one live state", async () => {
    const doc = await exported('equal.workspace-access.yaml');
    assert.match(
      doc.getText(),
      /platform: confident\n {4}organization: Sandbox Evals\n/,
      'an export names Confident AI by its organization',
    );
    await edit(
      doc,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_admin # Alan\n      equal.person@example.com: workspace_member',
    );
    await edit(doc, /(name: Narrator 1\n {8}grants:\n {10}group:Support: )editor/, '$1viewer');
    await edit(doc, / +barbara\.lovelace@example\.com: read # Barbara Lovelace\n/, '');
    await edit(doc, /(name: Helpdesk 13\n {8}grants:\n {10}team:Support: )comment/, '$1edit');
    await edit(doc, /tim\.lovelace@example\.com: Member # Tim Lovelace/, 'tim.lovelace@example.com: Admin');
    await edit(doc, /(name: Handbook 2\n {8}members:\n {10}edsger\.lovelace@example\.com: )Member/, '$1Manager');

    const plan = await vscode.commands.executeCommand<FilePlan>('workspaceAccess.access.plan', doc.uri);
    const root = path.resolve(__dirname, '../../..');
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-cli-state-'));
    const env = {
      PATH: process.env.PATH,
      // In test-electron's extension host, process.execPath is Electron: this makes it Node.
      ELECTRON_RUN_AS_NODE: '1',
      WORKSPACE_ACCESS_STATE_DIR: state,
      ...Object.fromEntries(
        (['elevenlabs', 'gitbook', 'confident'] as const).flatMap((p) => [
          [`WORKSPACE_ACCESS_${p.toUpperCase()}_KEY`, emulator.platform(p).keys.admin],
          [`WORKSPACE_ACCESS_${p.toUpperCase()}_URL`, emulator.baseUrl(p)],
        ]),
      ),
    };
    const before = emulator.requests.filter((r) => r.method !== 'GET').length;
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(root, 'dist/cli.js'), 'plan', doc.uri.fsPath, '--json'],
        { env },
        (err, out) => resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stdout: out }),
      );
    });
    fs.rmSync(state, { recursive: true, force: true });
    assert.equal(code, 2, 'the command line says changes are pending');
    const cli = JSON.parse(stdout) as {
      changes: { platform: string; line: number; kind: string; description: string; change: unknown }[];
    };
    const platformOf = (id: string) => api.store.get(id)?.platform ?? id;
    const fromExtension = plan.changes.map((c) => ({
      platform: platformOf(c.connectionId),
      line: doc.positionAt(c.at[0]).line + 1,
      kind: c.kind,
      change: JSON.parse(JSON.stringify(c.change)) as unknown,
    }));
    const fromCli = cli.changes.map((c) => ({ platform: c.platform, line: c.line, kind: c.kind, change: c.change }));
    const order = (list: typeof fromCli) =>
      [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    assert.equal(fromExtension.length, 7, 'the edits make seven changes');
    assert.deepEqual(order(fromCli), order(fromExtension));
    assert.equal(emulator.requests.filter((r) => r.method !== 'GET').length, before, 'neither plan sent anything');
  });
});
