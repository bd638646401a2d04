// Promises kept in a real VS Code: a job has one runner, keys never reach what a person or a log
// reads (even when a server echoes them), personal data stays out of the info log, the sandbox
// never overwrites a key someone typed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { changeKey } from '../../src/core/changes/change';
import { grantItems, inviteItems, type AccessItem } from '../shared/changeItems';
import type { TestApi } from '../../src/extension';
import { connectSandbox } from '../../src/vscode/sandbox';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { answer, pickMany, pickOne, restoreAll } from './stubs';
import { connect, EXTENSION_ID, item, label, useSandbox } from './tree';

let emulator: Emulator;
let api: TestApi;

const { el } = emulatorState(() => emulator);
const shares = () =>
  emulator.requests
    .filter((r) => r.method === 'POST' && r.path.endsWith('/share'))
    .map((r) => (r.body as { user_email: string }).user_email);

/** The log file as written so far: a marker line is written, then the file is read until it holds it. */
async function logText(): Promise<string> {
  const marker = `flush marker ${Date.now()}-${Math.random()}`;
  api.log.info(marker);
  const deadline = Date.now() + 20_000;
  for (;;) {
    // The log file is written asynchronously: wait until the marker is there.
    const entries = await vscode.workspace.fs.readDirectory(api.context.logUri).then(
      (all) => all,
      () => [], // not made yet
    );
    const files = entries.filter(([n]) => n.endsWith('.log'));
    const text = files.map(([n]) => fs.readFileSync(path.join(api.context.logUri.fsPath, n), 'utf8')).join('\n');
    if (text.includes(marker) || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A journal as a crashed window leaves it: two items done, the rest never sent, a dead writer. */
function crashedJob(connectionId: string, id: string): { items: AccessItem[]; file: string } {
  const r = el().resources.find((x) => x.type === 'voice')!;
  const people = el()
    .members.filter((m) => m.user_id !== r.creator_user_id && !m.is_owner)
    .slice(0, 6);
  const items: AccessItem[] = people.map((m) => ({
    resource: { id: r.id, type: r.type, name: r.name },
    principal: { kind: 'user', id: m.user_id, name: m.email, email: m.email },
  }));
  const change = (i: AccessItem) => grantItems([i], 'viewer', connectionId)[0];
  const key = (i: AccessItem) => changeKey(change(i));
  const dead = Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString(),
  );
  const header = {
    v: 1,
    id,
    kind: 'share',
    title: `Share ${id}`,
    connectionId,
    params: {},
    items: items.map((i) => ({ key: key(i), label: i.principal.name, payload: change(i) })),
    started: new Date().toISOString(),
    pid: dead,
  };
  for (const i of items.slice(0, 2)) r.roles.viewer.push(i.principal.id);
  const steps = items.slice(0, 2).flatMap((i) => [
    { k: key(i), s: 'sending' },
    { k: key(i), s: 'done' },
  ]);
  fs.mkdirSync(api.jobs.dir, { recursive: true });
  const file = path.join(api.jobs.dir, `${id}.job.jsonl`);
  fs.writeFileSync(file, [header, ...steps].map((l) => JSON.stringify(l)).join('\n') + '\n');
  return { items, file };
}

describe('Safety in a real VS Code: one runner, redaction, personal data, sandbox', function () {
  this.timeout(60_000);

  useSandbox([], (s) => ({ emulator, api } = s));

  beforeEach(() => emulator.reset());

  it('the startup prompt and the Resume command at once resume a job once: each unfinished item is sent once', async () => {
    const { id } = await connect(api, emulator, 'elevenlabs', 'Race Inc');
    const { items } = crashedJob(id, 'job-race');
    const prompts = answer({ confirm: 'Resume' });
    await Promise.all([api.jobs.offerResume(), vscode.commands.executeCommand('workspaceAccess.bulk.resume')]);
    const sent = shares();
    assert.deepEqual(
      [...sent].sort(),
      items
        .slice(2)
        .map((i) => i.principal.email)
        .sort(),
      'the four unfinished items, once each',
    );
    assert.equal(prompts.warnings.filter((w) => /was interrupted/.test(w.message)).length, 1, 'one prompt for one job');
    assert.deepEqual(fs.readdirSync(api.jobs.dir), []);
  });

  it('an outage pauses a job with a Resume offer; after recovery Resume finishes it with nothing sent twice', async () => {
    const { id } = await connect(api, emulator, 'elevenlabs', 'Outage Inc');
    const r = el().resources.find((x) => x.type === 'voice')!;
    const people = el()
      .members.filter((m) => m.user_id !== r.creator_user_id && !m.is_owner)
      .slice(0, 8);
    const items: AccessItem[] = people.map((m) => ({
      resource: { id: r.id, type: r.type, name: r.name },
      principal: { kind: 'user', id: m.user_id, name: m.email, email: m.email },
    }));
    emulator.setFaults({ outage: 1 });
    const paused = answer({ confirm: undefined });
    const first = await api.jobs.run(api.store.get(id)!, 'Share in an outage', {
      kind: 'share',
      items: grantItems(items, 'editor', id),
    });
    assert.ok(first.every((o) => o.status !== 'done'));
    assert.match(
      paused.warnings[0]?.message ?? '',
      /"Share in an outage" is paused: 8 requests in a row failed: ElevenLabs: Service unavailable \(injected outage\)\. \(503 service unavailable\)\. 8 of 8 items are not finished; nothing more is sent until you resume\./,
    );
    assert.equal(api.jobs.interrupted().length, 1, 'the journal stays for a resume');
    restoreAll();
    emulator.setFaults({ outage: 0 });
    const prompts = answer({ confirm: 'Resume' });
    await vscode.commands.executeCommand('workspaceAccess.bulk.resume');
    assert.match(prompts.infos.join('\n'), /Share in an outage: 8 done, 0 failed, 0 skipped, 0 unknown\./);
    const applied = emulator.requests
      .filter((q) => q.path.endsWith('/share') && q.status === 200)
      .map((q) => (q.body as { user_email: string }).user_email);
    assert.deepEqual([...applied].sort(), people.map((m) => m.email).sort(), 'each once');
    assert.deepEqual(fs.readdirSync(api.jobs.dir), []);
  });

  it('Resume clicked on an old prompt after the job finished says so and sends nothing', async () => {
    const { id } = await connect(api, emulator, 'elevenlabs', 'Late Inc');
    crashedJob(id, 'job-late');
    const [job] = api.jobs.interrupted();
    assert.ok(api.store.get(id));
    answer({});
    await api.jobs.resume(job);
    const before = shares().length;
    const prompts = answer({});
    const again = await api.jobs.resume(job);
    assert.deepEqual(again, []);
    assert.equal(shares().length, before, 'nothing sent again');
    assert.match(prompts.infos[0], /"Share job-late" has already finished; nothing was sent again\./);
    assert.deepEqual(fs.readdirSync(api.jobs.dir), [], 'no journal made again');
  });

  it('a key the server echoes back (401 body, error detail, header) is [redacted] in the tree, the notification and the log', async () => {
    const key = emulator.platform('elevenlabs').keys.admin;
    const { root } = await connect(api, emulator, 'elevenlabs', 'Echo Inc');
    emulator.queueAnswers({ status: 401, path: '/v1/user', echoKey: true });
    const children = await api.tree.getChildren(root);
    const row = children.find((c) => item(c).contextValue?.includes('error'));
    assert.ok(row, `an error row: ${children.map(label).join(', ')}`);
    assert.match(label(row), /\[redacted\]/);
    assert.ok(
      !label(row).includes(key) &&
        !(typeof item(row).tooltip === 'string' ? (item(row).tooltip as string) : '').includes(key),
      'the tree row holds no key',
    );

    emulator.queueAnswers({ status: 401, path: '/v1/workspace/groups', echoKey: true });
    const prompts = answer({ inputs: ['new.person@example.com'], picks: [pickOne('Member'), pickMany()] });
    await vscode.commands.executeCommand('workspaceAccess.member.invite', root);
    assert.equal(prompts.errors.length, 1, JSON.stringify(prompts));
    assert.match(prompts.errors[0], /\[redacted\]/);
    assert.ok(!prompts.errors[0].includes(key), 'the notification holds no key');

    const log = await logText();
    assert.match(log, /\[redacted\]/, 'the echoed key reached the log, redacted');
    assert.ok(!log.includes(key), 'the log holds no key');
  });

  it('the log channel redacts on its own: a key value and an email written straight to it never reach the file', async () => {
    // Not shaped like a credential: only the channel's own list of keys knows it is one.
    const key = 'plain-key-value-0123456789';
    api.log.addSecret(key);
    const http = api.log.child('http');
    http.info(`GET /v1/echo/${key} → 200 (1 ms)`);
    http.error(
      'POST /v1/invite → 400 (5 ms): GitBook: carol@example.com is already in the workspace (400 bad request).',
    );
    http.warn('DELETE /v1/members/dave%40example.com → 503 (2 ms); retry 1 of 3');
    const log = await logText();
    assert.match(log, /GET \/v1\/echo\/\[redacted\] → 200/);
    assert.ok(!log.includes(key), 'the log holds no key');
    assert.match(log, /GitBook: <email> is already in the workspace/);
    assert.match(log, /DELETE \/v1\/members\/<email> → 503/);
    assert.ok(!/carol@example\.com|dave%40example\.com/.test(log), 'the log holds no email at warning or error');
  });

  it('keeps emails out of the info log: per-item lines are debug, the report keeps the detail', async () => {
    const { id } = await connect(api, emulator, 'elevenlabs', 'Private Inc');
    const emails = ['private.one@example.com', 'private.two@example.com'];
    answer({});
    await api.jobs.run(api.store.get(id)!, 'Invite privately', { kind: 'invite', items: inviteItems(emails, id) });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('workspaceAccess.bulk.showReport');
    assert.ok(
      emails.every((e) => editor.document.getText().includes(e)),
      'the report names each',
    );
    const log = await logText();
    const loud = log.split('\n').filter((l) => /\[(info|warning|error)\]/.test(l));
    assert.ok(
      loud.some((l) => l.includes('Invite privately: 2 done, 0 failed, 0 skipped, 0 unknown')),
      'the info log keeps the counts',
    );
    for (const e of emails) assert.ok(!loud.some((l) => l.includes(e)), `no info line names ${e}`);
  });

  it('the development sandbox never replaces the key of a connection someone added by hand', async () => {
    for (const c of api.store.list()) await api.store.remove(c.id);
    const typed = 'typed-by-hand-key-0123456789';
    const mine = await api.store.add(
      { platform: 'confident', label: 'Mine', baseUrl: emulator.baseUrl('confident') },
      typed,
    );
    await connectSandbox(api.store, api.log, emulator.origin);
    assert.equal(await api.store.getKey(mine.id), typed, 'the typed key stays');
    const own = api.store.list().filter((c) => c.sandbox);
    assert.deepEqual(
      own.map((c) => c.platform).sort(),
      ['elevenlabs', 'gitbook'],
      'the sandbox adds its own where nobody has one',
    );
    await api.store.setKey(own[0].id, 'stale');
    await connectSandbox(api.store, api.log, emulator.origin);
    assert.equal(
      await api.store.getKey(own[0].id),
      emulator.platform(own[0].platform).keys.admin,
      'its own connections get the new key',
    );
  });

  it('declares Restricted Mode and virtual workspaces support (every setting is application-scoped)', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      capabilities?: { untrustedWorkspaces?: { supported?: unknown }; virtualWorkspaces?: unknown };
    };
    assert.equal(
      pkg.capabilities?.untrustedWorkspaces?.supported,
      'limited',
      'access files wait for trust before reading live',
    );
    assert.equal(pkg.capabilities?.virtualWorkspaces, true);
  });
});
