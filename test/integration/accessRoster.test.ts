// The access file and the roster in a real VS Code: a `roster:` key relative to the file, who has left
// and who is not on the roster as diagnostics at their lines, the hover's roster row and last
// activity, and an `until:` within 14 days under Needs Attention's "Access ending soon".
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { FindingNode } from '../../src/vscode/findings/nodes';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { label, useSandbox } from './tree';

let emulator: Emulator;
let api: TestApi;
const { el, gb, ca } = emulatorState(() => emulator);

/** Waits until the file's diagnostics satisfy `ok`. */
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

async function hoverText(doc: vscode.TextDocument, needle: string): Promise<string> {
  const line = doc
    .getText()
    .split('\n')
    .findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} is in the file`);
  const at = new vscode.Position(line, doc.lineAt(line).text.indexOf(needle) + 1);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('Access file and roster', function () {
  this.timeout(120_000);
  let dir: vscode.Uri;

  useSandbox(
    [
      { platform: 'elevenlabs', name: 'Roster Voices' },
      { platform: 'gitbook', name: 'Roster Docs' },
      { platform: 'confident', name: 'Roster Evals' },
    ],
    (s) => ({ emulator, api } = s),
  );

  before(async () => {
    // The roster comes from the file's key alone: the setting is empty.
    await vscode.workspace
      .getConfiguration('workspaceAccess')
      .update('roster', undefined, vscode.ConfigurationTarget.Global);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test window has a workspace folder');
    dir = vscode.Uri.joinPath(folder, 'roster-suite');
    fs.mkdirSync(dir.fsPath, { recursive: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir.fsPath, { recursive: true, force: true });
  });

  it('marks who has left and who is not on the roster at their lines, hovers their roster row and activity, and lists an until: ending soon', async () => {
    const [gone, staying] = el()
      .members.filter((m) => !m.is_locked && m.seat_type !== 'workspace_admin')
      .map((m) => m.email);
    const seen = gb().members.find((m) => m.lastSeenAt && m.user.email !== gone && m.user.email !== staying)!;
    const evals = ca().users[5].email;
    // Relative to the access file's folder (roster-suite/), not the workspace folder.
    fs.writeFileSync(
      vscode.Uri.joinPath(dir, 'people.csv').fsPath,
      [
        'Work Email,Full Name,Employment Status,Termination Date',
        `${gone},Gone Person,Terminated,2026-01-31`,
        `${staying},Staying Person,active,`,
        `${seen.user.email},Seen Person,active,`,
        `${evals},Evals Person,active,`,
        '',
      ].join('\n'),
    );
    const until = inDays(5);
    const uri = vscode.Uri.joinPath(dir, 'team.workspace-access.yaml');
    fs.writeFileSync(
      uri.fsPath,
      [
        'version: 1',
        'roster: people.csv',
        'connections:',
        '  - platform: elevenlabs',
        '    workspace: Roster Voices',
        '    members:',
        `      ${gone}: workspace_member`,
        `      ${staying}: { seat: workspace_member, until: ${until} }`,
        '      stranger@example.com: workspace_member',
        '  - platform: gitbook',
        `    organization: ${gb().org.id}`,
        '    members:',
        `      ${seen.user.email}: read`,
        '  - platform: confident',
        '    organization: Roster Evals',
        '    members:',
        `      ${evals}: Member`,
        '',
      ].join('\n'),
    );
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const lineOf = (needle: string) =>
      doc
        .getText()
        .split('\n')
        .findIndex((l) => l.includes(needle));

    const list = await diagnosticsUntil(
      uri,
      (d) => d.some((x) => x.code === 'left') && d.some((x) => x.code === 'not-on-roster'),
      'who left and who is not on the roster',
    );
    assert.deepEqual(
      list.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message),
      [],
      'every entry matched its connection',
    );
    const left = list.filter((d) => d.code === 'left');
    assert.equal(left.length, 1, left.map((d) => d.message).join(' | '));
    assert.equal(left[0].range.start.line, lineOf(`${gone}: workspace_member`));
    assert.equal(left[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(
      left[0].message,
      `${gone} has left (roster line 2: Terminated, end date 2026-01-31): remove this line, or offboard them.`,
    );
    const unknown = list.filter((d) => d.code === 'not-on-roster');
    assert.deepEqual(
      unknown.map((d) => [d.range.start.line, d.severity]),
      [[lineOf('stranger@example.com'), vscode.DiagnosticSeverity.Information]],
    );
    // Not counted as drift or errors in the status bar.
    assert.ok(!list.some((d) => d.code === 'roster'), 'the roster beside the file was read');

    // Hover: the roster row, and the last activity where the platform gives it.
    const onGone = await hoverText(doc, gone);
    assert.match(onGone, /Roster line 2: \*\*Gone Person\*\*, Terminated, end date 2026-01-31\. Has left\./);
    assert.match(onGone, /Last activity: /);
    const onSeen = await hoverText(doc, seen.user.email);
    assert.match(onSeen, /Roster line 4: \*\*Seen Person\*\*, active\./);
    assert.ok(onSeen.includes(`Last activity: ${seen.lastSeenAt!.slice(0, 10)} (last seen in GitBook).`), onSeen);
    assert.match(await hoverText(doc, evals), /Last activity: no activity given \(Confident AI gives none\)\./);
    assert.match(await hoverText(doc, 'stranger@example.com'), /Not on the roster/);

    // Needs Attention: the until: within 14 days, on the connection the entry matched; and the file's roster.
    api.findings.refresh();
    const rows = await api.findings.getChildren();
    assert.ok(
      rows.some((r) => `${label(r)}: ${String(r.getTreeItem().description ?? '')}` === 'Roster: 4 people'),
      rows.map((r) => `${label(r)}: ${String(r.getTreeItem().description ?? '')}`).join(' | '),
    );
    const group = rows.find((r) => r.id === 'findings:expiring');
    assert.ok(group, `groups: ${rows.map((r) => r.id).join(', ')}`);
    const ending = (await group.getChildren()) as FindingNode[];
    const voices = api.store.list().find((c) => c.label === 'Roster Voices')!;
    assert.deepEqual(
      ending.map((f) => [f.finding.email, f.finding.connectionId, f.finding.evidence]),
      [[staying, voices.id, `member until ${until} (in 5 days)`]],
    );
    // With the view read, ElevenLabs' hover shows its credit usage (or none in the window read), with no request of its own.
    const requests = emulator.requests.length;
    const read = await hoverText(doc, gone);
    assert.match(read, /Last activity: .*\(ElevenLabs credit usage\)\./);
    assert.doesNotMatch(read, /not read yet/);
    assert.equal(emulator.requests.length, requests, 'a hover sends no request');
    const leftRows = ((await rows.find((r) => r.id === 'findings:left')?.getChildren()) ?? []) as FindingNode[];
    assert.ok(
      leftRows.some((r) => r.finding.email === gone),
      "the file's roster feeds the view when the setting is empty",
    );
  });
});
