import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Outcome } from '../../src/core/jobs/bulkTask';
import { changeKey } from '../../src/core/changes/change';
import { grantItems, type AccessItem } from '../shared/changeItems';
import type { JobItem } from '../../src/core/jobs/journal';
import type { TestApi } from '../../src/extension';
import { KEPT_REPORTS } from '../../src/vscode/jobs/reports';
import type { TreeNode } from '../../src/vscode/tree/node';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { answer, pickMany, pickOne, restoreAll, stub } from './stubs';
import { label, useSandbox, walk } from './tree';

let emulator: Emulator;
let api: TestApi;
let root: TreeNode;
let connectionId: string;
let dir: string;

const { el } = emulatorState(() => emulator);
const shares = () => emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/share'));

/** A voice and the members (not its creator, not the owner) to share it with. */
function fanout(n: number): { resource: { id: string; type: string; name: string }; items: AccessItem[] } {
  const r = el().resources.find((x) => x.type === 'voice')!;
  const people = el()
    .members.filter((m) => m.user_id !== r.creator_user_id && !m.is_owner)
    .slice(0, n);
  return {
    resource: { id: r.id, type: r.type, name: r.name },
    items: people.map((m) => ({
      resource: { id: r.id, type: r.type, name: r.name },
      principal: { kind: 'user', id: m.user_id, name: m.first_name ?? m.email, email: m.email },
    })),
  };
}

describe('Bulk jobs: CSV import, progress and cancel, reports, resume', function () {
  this.timeout(60_000);

  useSandbox(
    [{ platform: 'elevenlabs', name: 'Bulk Inc' }],
    (s) =>
      ({
        emulator,
        api,
        connections: [{ id: connectionId, root }],
      } = s),
  );

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-bulk-'));
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('workspaceAccess')
      .update('bulk.maxConcurrency', undefined, vscode.ConfigurationTarget.Global);
  });

  afterEach(() => {
    emulator.setFaults({ latencyMs: 0 });
  });

  it('imports a CSV: every bad row is named with its line and reason in a preview, and only good rows are sent', async () => {
    const file = path.join(dir, 'team.csv');
    const member = el().members[2].email;
    fs.writeFileSync(
      file,
      [
        'email,seat,groups',
        'new.a@example.com,Lite member,',
        'not-an-email,,',
        `"${member}",,`,
        'new.b@example.com,,Support',
        'NEW.A@example.com,,',
        'new.c@example.com,Wizard,',
        'new.d@example.com,,Nope',
        'new.e@example.com,workspace_admin,',
      ].join('\n'),
    );
    const prompts = answer({ picks: [pickOne('Member'), pickMany(), pickOne('Invite 3')] });
    const result = await vscode.commands.executeCommand<{
      outcomes: Outcome<JobItem>[];
      rejected: { line: number; reason: string }[];
      preview: string;
    }>('workspaceAccess.member.inviteFromCsv', vscode.Uri.file(file));
    assert.deepEqual(
      result.rejected.map((r) => `${r.line}: ${r.reason}`),
      [
        '3: "not-an-email" is not a valid email address',
        '4: already a member',
        '6: duplicate of line 2',
        '7: unknown role "Wizard"; use one of: Workspace admin, Member, Lite member',
        '8: unknown group: "Nope"',
      ],
    );
    const preview = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.preview)!.getText();
    assert.match(preview, /3 will be sent; not sent: 1 already a member, 1 duplicate, 3 rejected\./);
    assert.match(preview, /line 7: new\.c@example\.com, Wizard: unknown role "Wizard"/);
    assert.match(preview, /line 2: new\.a@example\.com \(Lite member\)/);
    assert.match(prompts.picks[2].title ?? '', /^Invite 3 people to /);
    assert.equal(
      prompts.picks[2].items?.[0].detail,
      'Not sent: 1 already a member, 1 duplicate, 3 rejected (listed below).',
    );
    assert.ok(
      prompts.picks[2].items?.some(
        (i) => i.label === 'Rejected: fix the file and run the import again to send these (3)',
      ),
    );
    assert.equal(prompts.warnings.length, 0, 'no modal in front of the preview');
    assert.deepEqual(
      result.outcomes.map((o) => `${o.item.label}:${o.status}`),
      ['new.a@example.com (line 2):done', 'new.b@example.com (line 5):done', 'new.e@example.com (line 9):done'],
    );
    assert.deepEqual(el().invites.get('new.a@example.com'), { seat_type: 'workspace_lite_member', group_ids: [] });
    assert.deepEqual(el().invites.get('new.b@example.com'), {
      seat_type: 'workspace_member',
      group_ids: ['grp_000000'],
    });
    assert.equal(el().invites.get('new.e@example.com')?.seat_type, 'workspace_admin');
    for (const bad of ['new.c@example.com', 'new.d@example.com', 'not-an-email'])
      assert.ok(!el().invites.has(bad), `${bad} was not sent`);
    assert.ok(
      !emulator.requests.some((r) => String(JSON.stringify(r.body)).includes('new.c@example.com')),
      'nothing was sent for a rejected row',
    );
    assert.deepEqual(fs.readdirSync(path.join(api.jobs.dir)), [], 'the journal went with the job');
  });

  it('says where a file is not CSV at all', async () => {
    const file = path.join(dir, 'broken.csv');
    fs.writeFileSync(file, 'email\n"unclosed@example.com\nx@example.com\n');
    const prompts = answer({});
    await vscode.commands.executeCommand('workspaceAccess.member.inviteFromCsv', vscode.Uri.file(file));
    assert.match(prompts.errors[0], /^broken\.csv: The file is not valid CSV \(line \d\): /);
  });

  it('shows progress, and cancelling stops new requests: what was in flight finishes, the rest is skipped', async () => {
    await vscode.workspace
      .getConfiguration('workspaceAccess')
      .update('bulk.maxConcurrency', 2, vscode.ConfigurationTarget.Global);
    emulator.setFaults({ latencyMs: 40 });
    const { items } = fanout(8);
    const messages: string[] = [];
    stub('withProgress', ((
      options: vscode.ProgressOptions,
      task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>,
    ) => {
      assert.equal(options.cancellable, true);
      const source = new vscode.CancellationTokenSource();
      return task(
        { report: (v) => (messages.push(v.message ?? ''), v.message === '1/8' ? source.cancel() : undefined) },
        source.token,
      );
    }) as unknown as typeof vscode.window.withProgress);
    const prompts = answer({});
    const before = shares().length;
    const outcomes = await api.jobs.run(api.store.get(connectionId)!, 'Share test', {
      kind: 'share',
      items: grantItems(items, 'viewer', connectionId),
    });
    assert.equal(messages[0], '1/8');
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done', 'done', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped'],
    );
    assert.equal(shares().length - before, 2, 'the request in flight at cancel finished; nothing else was sent');
    assert.match(
      prompts.warnings[0].message,
      /Share test: 2 done, 0 failed, 6 skipped, 0 unknown\. .*: cancelled before it started/,
    );
    assert.deepEqual(fs.readdirSync(api.jobs.dir), [], 'a cancelled job ends: its journal goes');
  });

  it('keeps a report of every item, opens it as a document and saves it as CSV', async () => {
    const { items } = fanout(3);
    const broken = { ...items[2], principal: { ...items[2].principal, email: 'nobody@elsewhere.org' } };
    answer({});
    await api.jobs.run(api.store.get(connectionId)!, 'Report test', {
      kind: 'share',
      items: grantItems([items[0], items[1], broken], 'editor', connectionId),
    });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('workspaceAccess.bulk.showReport');
    const text = editor.document.getText();
    assert.equal(
      editor.document.uri.scheme,
      'workspace-access-preview',
      'a read-only document: closing it never asks to save',
    );
    assert.ok(!editor.document.isUntitled && !editor.document.isDirty);
    assert.match(
      text,
      /^Report test\nConnection: Bulk Inc\nFinished: \d{4}-\d\d-\d\dT.*\n3 items: 2 done, 1 failed, 0 skipped, 0 unknown\n\n✓ .* on ".*"\n✓ .*\n✗ .*: ElevenLabs: nobody@elsewhere\.org is not in this workspace\./,
      'a header (title, connection, when, counts per outcome), then the items',
    );
    const target = vscode.Uri.file(path.join(dir, 'report.csv'));
    await vscode.commands.executeCommand('workspaceAccess.bulk.saveReport', target);
    const csv = fs.readFileSync(target.fsPath, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'item,outcome,detail');
    assert.equal(csv.length, 4);
    assert.match(csv[3], /,failed,ElevenLabs: nobody@elsewhere\.org is not in this workspace\./);
  });

  it('Show Details brings the summary back with its saves: the report is not lost with the notification', async () => {
    const { items } = fanout(2);
    answer({});
    const shown: { message: string; actions: string[] }[] = [];
    let again: () => void = () => undefined;
    const back = new Promise<void>((resolve) => (again = resolve));
    stub('showInformationMessage', ((message: string, ...actions: string[]) => {
      shown.push({ message, actions });
      if (shown.length === 2) again();
      return Promise.resolve(shown.length === 1 ? 'Show Details' : undefined);
    }) as never);
    const details = new Promise<vscode.TextDocument>((resolve) => {
      const opened = vscode.workspace.onDidOpenTextDocument((doc) => {
        if (!doc.getText().startsWith('Details test\n')) return;
        opened.dispose();
        resolve(doc);
      });
    });
    await api.jobs.run(api.store.get(connectionId)!, 'Details test', {
      kind: 'share',
      items: grantItems(items, 'viewer', connectionId),
    });
    await back;
    assert.deepEqual(
      shown.map((s) => s.actions),
      [['Show Details', 'Save as CSV'], ['Save as CSV']],
    );
    assert.equal(shown[1].message, shown[0].message);
    assert.match((await details).getText(), /^Details test\nConnection: Bulk Inc\n/, 'the details opened');
  });

  it(`keeps the last ${KEPT_REPORTS} reports of the window to save later, newest first, each named by what, when and where`, async () => {
    assert.equal(KEPT_REPORTS, 10);
    const { items } = fanout(1);
    answer({});
    for (let n = 1; n <= KEPT_REPORTS + 2; n++)
      api.reports.show(`Job ${n}`, [{ item: items[0].principal.name, status: 'done' as const }], (s) => s, {
        connections: ['Bulk Inc'],
      });
    const prompts = answer({ picks: [pickOne('Job 12'), pickOne('CSV')] });
    const target = vscode.Uri.file(path.join(dir, 'earlier.csv'));
    stub('showSaveDialog', () => Promise.resolve(target));
    await vscode.commands.executeCommand('workspaceAccess.bulk.saveEarlierReport');
    const offered = prompts.picks[0].items ?? [];
    assert.deepEqual(
      offered.map((i) => i.label),
      Array.from({ length: KEPT_REPORTS }, (_, i) => `Job ${KEPT_REPORTS + 2 - i}`),
    );
    assert.match(offered[0].description ?? '', / · Bulk Inc$/);
    assert.equal(offered[0].detail, '1 done, 0 failed, 0 skipped, 0 unknown');
    assert.deepEqual(
      prompts.picks[1].items?.map((i) => i.label),
      ['CSV', 'Markdown'],
    );
    assert.deepEqual(fs.readFileSync(target.fsPath, 'utf8').trim().split('\n'), [
      'item,outcome,detail',
      `${items[0].principal.name},done,`,
    ]);
    assert.equal(fs.statSync(target.fsPath).mode & 0o777, 0o600);
    assert.match(prompts.infos[0], /^The report "Job 12" is saved to .*earlier\.csv\.$/);
  });

  it('resumes a job whose extension host died: finished items are not redone, the one in flight is checked, the rest is sent', async () => {
    const { resource, items } = fanout(6);
    // A journal as a dead extension host leaves it: two done, one sent (the server applied it), three never sent.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const key = (i: AccessItem) => changeKey(grantItems([i], 'commenter', connectionId)[0]);
    const header = {
      v: 1,
      id: 'job-dead-host',
      kind: 'share',
      title: 'Share after a crash',
      connectionId,
      params: {},
      items: items.map((i) => ({
        key: key(i),
        label: i.principal.name,
        payload: grantItems([i], 'commenter', connectionId)[0],
      })),
      started: new Date().toISOString(),
      pid: Number(dead),
    };
    const r = el().resources.find((x) => x.id === resource.id)!;
    for (const i of items.slice(0, 3)) r.roles.commenter.push(i.principal.id);
    const steps = [
      { k: key(items[0]), s: 'sending' },
      { k: key(items[0]), s: 'done' },
      { k: key(items[1]), s: 'sending' },
      { k: key(items[1]), s: 'done' },
      { k: key(items[2]), s: 'sending' },
    ];
    fs.mkdirSync(api.jobs.dir, { recursive: true });
    fs.writeFileSync(
      path.join(api.jobs.dir, 'job-dead-host.job.jsonl'),
      [header, ...steps].map((l) => JSON.stringify(l)).join('\n') + '\n',
    );

    const before = shares().length;
    const prompts = answer({ confirm: 'Resume' });
    await vscode.commands.executeCommand('workspaceAccess.bulk.resume');
    assert.match(
      prompts.warnings[0].message,
      /"Share after a crash" on Bulk Inc was interrupted with 2 of 6 items finished\. Resume it\?/,
    );
    const sent = shares()
      .slice(before)
      .map((s) => (s.body as { user_email: string }).user_email);
    assert.deepEqual(
      sent.sort(),
      items
        .slice(3)
        .map((i) => i.principal.email!)
        .sort(),
      'only the never-sent items were sent',
    );
    assert.ok(items.every((i) => r.roles.commenter.includes(i.principal.id)));
    assert.ok(
      emulator.requests
        .slice(-10)
        .some((q) => q.method === 'GET' && q.path === `/v1/workspace/resources/${resource.id}`),
      'the in-flight one was checked',
    );
    assert.match(prompts.infos[0], /Share after a crash: 6 done, 0 failed, 0 skipped/);
    assert.deepEqual(fs.readdirSync(api.jobs.dir), [], 'the journal is deleted when the job ends');
  });

  it("a job resumed after a reload adds its done items to the ledger its journal names, only in the runner's ledgers folder", async () => {
    const { items } = fanout(4);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const key = (i: AccessItem) => changeKey(grantItems([i], 'viewer', connectionId)[0]);
    const inside = path.join(api.jobs.ledgerDir, 'resumed.done.jsonl');
    const outside = path.join(dir, 'elsewhere.done.jsonl');
    const journal = (id: string, file: string, of: AccessItem[]) => {
      const header = {
        v: 1,
        id,
        kind: 'share',
        title: `Ledger ${id}`,
        connectionId,
        params: { ledger: { file, entries: Object.fromEntries(of.map((i) => [key(i), { who: i.principal.email }])) } },
        items: of.map((i) => ({
          key: key(i),
          label: i.principal.name,
          payload: grantItems([i], 'viewer', connectionId)[0],
        })),
        started: new Date().toISOString(),
        pid: Number(dead),
      };
      fs.mkdirSync(api.jobs.dir, { recursive: true });
      fs.writeFileSync(path.join(api.jobs.dir, `${id}.job.jsonl`), `${JSON.stringify(header)}\n`);
    };
    journal('job-ledger-in', inside, items.slice(0, 2));
    journal('job-ledger-out', outside, items.slice(2));
    answer({ confirm: 'Resume' });
    await vscode.commands.executeCommand('workspaceAccess.bulk.resume');
    assert.deepEqual(fs.readdirSync(api.jobs.dir), [], 'both jobs ended');
    const lines = fs
      .readFileSync(inside, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { entry: { who: string } }).entry.who);
    assert.deepEqual(
      lines.sort(),
      items
        .slice(0, 2)
        .map((i) => i.principal.email)
        .sort(),
    );
    assert.equal(fs.statSync(inside).mode & 0o777, 0o600);
    assert.equal(fs.existsSync(outside), false, 'a journal naming a ledger elsewhere gets none');
    fs.rmSync(inside);

    // Discarded, an interrupted job's done items go to its ledger all the same: it did them.
    journal('job-ledger-discard', inside, items.slice(0, 3));
    const file = path.join(api.jobs.dir, 'job-ledger-discard.job.jsonl');
    fs.appendFileSync(file, `${JSON.stringify({ k: key(items[1]), s: 'sending' })}\n`);
    fs.appendFileSync(file, `${JSON.stringify({ k: key(items[1]), s: 'done' })}\n`);
    fs.appendFileSync(file, `${JSON.stringify({ k: key(items[2]), s: 'sending' })}\n`);
    const before = shares().length;
    answer({ confirm: 'Discard' });
    await vscode.commands.executeCommand('workspaceAccess.bulk.resume');
    assert.deepEqual(fs.readdirSync(api.jobs.dir), [], 'discarded');
    assert.equal(shares().length, before, 'nothing sent');
    assert.deepEqual(
      fs
        .readFileSync(inside, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { entry: { who: string } }).entry.who),
      [items[1].principal.email],
    );
    fs.rmSync(inside);
  });

  it('offers to discard an interrupted job, and leaves a running one alone', async () => {
    const { items } = fanout(1);
    const header = {
      v: 1,
      id: 'job-running',
      kind: 'share',
      title: 'Still running',
      connectionId,
      params: {},
      items: grantItems(items, 'viewer', connectionId).map((i) => ({ key: 'k', label: 'x', payload: i })),
      started: new Date().toISOString(),
      pid: process.ppid,
    };
    fs.writeFileSync(path.join(api.jobs.dir, 'job-running.job.jsonl'), JSON.stringify(header) + '\n');
    assert.deepEqual(
      api.jobs.interrupted().map((j) => j.header.id),
      [],
      'its writer is alive: not ours to resume',
    );
    fs.writeFileSync(
      path.join(api.jobs.dir, 'job-running.job.jsonl'),
      JSON.stringify({ ...header, pid: 0x7ffffff0 }) + '\n',
    );
    const prompts = answer({ confirm: 'Discard' });
    await vscode.commands.executeCommand('workspaceAccess.bulk.resume');
    assert.match(prompts.warnings[0].message, /"Still running" on Bulk Inc was interrupted/);
    assert.deepEqual(fs.readdirSync(api.jobs.dir), []);
  });

  it('Filter… narrows groups through the platform search and members locally, and clears', async () => {
    answer({ inputs: ['support'] });
    await vscode.commands.executeCommand('workspaceAccess.connection.filter', root);
    const groups = await api.tree.getChildren(await walk(api, root, 'Groups'));
    assert.deepEqual(
      groups.map((g) => g.getTreeItem().label),
      ['Support'],
    );
    assert.ok(
      emulator.requests.some((r) => r.path === '/v1/workspace/groups/search' && r.query.includes('name=support')),
      'the platform searched',
    );
    restoreAll();
    const word = el()
      .resources.find((r) => r.type === 'voice')!
      .name.split(' ')[0];
    answer({ inputs: [word] });
    await vscode.commands.executeCommand('workspaceAccess.connection.filter', root);
    const voices = await api.tree.getChildren(await walk(api, root, 'Resources', 'Voices'));
    assert.ok(
      voices.length > 0 &&
        voices.every((v) => label(v).toLowerCase().includes(word.toLowerCase()) || label(v) === 'Load more…'),
      voices.map(label).join(', '),
    );
    assert.ok(
      emulator.requests.some((r) => r.path === '/v2/voices' && r.query.includes(`search=${encodeURIComponent(word)}`)),
      'the voice list was searched by the platform',
    );
    restoreAll();
    answer({ inputs: ['ada'] });
    await vscode.commands.executeCommand('workspaceAccess.connection.filter', root);
    const members = await api.tree.getChildren(await walk(api, root, 'Members'));
    const shown = members.map((m) => `${label(m)} ${String(m.getTreeItem().description)}`);
    assert.ok(members.length >= 1 && shown.every((t) => /ada/i.test(t)), shown.join(' | '));
    await vscode.commands.executeCommand('workspaceAccess.connection.clearFilter', root);
    assert.ok((await api.tree.getChildren(await walk(api, root, 'Members'))).length > members.length);
  });

  it('shares many resources with many principals from the tree in one job', async () => {
    const voices = (await api.tree.getChildren(await walk(api, root, 'Resources', 'Voices'))).slice(0, 3);
    const group = (await api.tree.getChildren(await walk(api, root, 'Groups')))[1];
    let picked: string[] = [];
    const prompts = answer({
      picks: [
        pickOne('Voices'),
        (items) => ((picked = items.slice(0, 3).map((i) => i.description!)), items.slice(0, 3)),
        pickOne('editor'),
      ],
    });
    const outcomes = await vscode.commands.executeCommand<Outcome<JobItem>[]>(
      'workspaceAccess.principal.shareResources',
      group,
      [group],
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done', 'done', 'done'],
    );
    assert.equal(voices.length, 3);
    const groupId = group.id.split('/').pop()!;
    for (const id of picked)
      assert.ok(
        el()
          .resources.find((r) => r.id === id)!
          .roles.editor.includes(groupId),
        `${id} is shared with the group`,
      );
    assert.match(prompts.infos[0], /3 done/);
  });
});
