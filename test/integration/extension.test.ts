import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { PlatformId } from '../../src/providers';
import type { TreeNode } from '../../src/vscode/tree/node';
import { Emulator } from '../emulator/server';
import { answer, pickOne, restoreAll } from './stubs';
import { click, EXTENSION_ID, extensionApi, item, label } from './tree';

const PLATFORM_LABEL: Record<PlatformId, string> = {
  elevenlabs: 'ElevenLabs',
  gitbook: 'GitBook',
  confident: 'Confident AI',
};

let emulator: Emulator;
let api: TestApi;

const byPlatform = (id: PlatformId) => pickOne(PLATFORM_LABEL[id]);
const roots = () => api.tree.getChildren();

async function setBaseUrl(platform: PlatformId, url: string | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration()
    .update(`workspaceAccess.${platform}.baseUrl`, url, vscode.ConfigurationTarget.Global);
}

async function addConnection(platform: PlatformId, name: string, key: string) {
  const prompts = answer({ picks: [byPlatform(platform)], inputs: [name, key] });
  const connection = await vscode.commands.executeCommand<{ id: string } | undefined>('workspaceAccess.connection.add');
  restoreAll();
  return { connection, prompts };
}

async function rootFor(connectionId: string): Promise<TreeNode> {
  const node = (await roots()).find((n) => n.id === `conn/${connectionId}`);
  assert.ok(node, `a root for ${connectionId}`);
  return node;
}

async function removeAll(): Promise<void> {
  for (const c of api.store.list()) await api.store.remove(c.id);
}

describe('Workspace Access in a real VS Code', function () {
  this.timeout(30_000);

  before(async () => {
    emulator = await Emulator.start();
    api = await extensionApi();
    for (const p of ['elevenlabs', 'gitbook', 'confident'] as const) await setBaseUrl(p, emulator.baseUrl(p));
  });

  after(async () => {
    await removeAll();
    for (const p of ['elevenlabs', 'gitbook', 'confident'] as const) await setBaseUrl(p, undefined);
    await emulator.close();
  });

  afterEach(() => restoreAll());

  it('activates without loading undici (it comes with the first request), and says how long activate() took', () => {
    assert.equal(api.activation.undiciLoaded, false);
    assert.equal(
      api.activation.accessLoaded,
      false,
      'the access file module and its YAML libraries load when a file or command needs them',
    );
    assert.equal(api.activation.reviewLoaded, false, 'dist/review.js loads when a review file or command needs it');
    assert.ok(api.activation.ms >= 0);
    // `npm run bench` runs this test alone and reads the figure from here.
    if (process.env.WA_BENCH_FILE) writeFileSync(process.env.WA_BENCH_FILE, JSON.stringify(api.activation));
  });

  it('activates and registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(ext.isActive, true);
    const contributed = (
      ext.packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length >= 5);
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
    );
    // Commands are registered from the manifest and their handlers made on first use: the two lists are the same.
    assert.deepEqual(Object.keys(api.handlers()).sort(), [...contributed].sort());
  });

  it('shows no roots (so the welcome view) while there is no connection', async () => {
    await removeAll();
    assert.deepEqual(await roots(), []);
  });

  it('adds a connection: platform, name, password input, validating call, key into SecretStorage', async () => {
    const key = emulator.platform('elevenlabs').keys.admin;
    const { connection, prompts } = await addConnection('elevenlabs', 'Voices Team', key);
    assert.ok(connection);
    assert.equal(prompts.inputs.length, 2);
    assert.equal(prompts.inputs[1].password, true, 'the key is asked in a password input');
    assert.equal(prompts.inputs[0].password, undefined);
    assert.deepEqual(prompts.errors, []);
    assert.match(prompts.infos[0], /Connected "Voices Team" as Ada \(Workspace admin · enterprise\)/);
    assert.equal(await api.store.getKey(connection.id), key, 'SecretStorage round-trip');
    assert.deepEqual(api.store.get(connection.id), {
      id: connection.id,
      platform: 'elevenlabs',
      label: 'Voices Team',
      baseUrl: emulator.baseUrl('elevenlabs'),
      account: { name: 'Ada' },
    });
    assert.ok(
      emulator.requests.some((r) => r.platform === 'elevenlabs' && r.path === '/v1/user'),
      'the key was checked',
    );

    const root = await rootFor(connection.id);
    assert.equal(label(root), 'Voices Team');
    assert.equal(item(root).description, 'ElevenLabs');
    assert.equal(item(root).contextValue, 'connection;elevenlabs;invitable;revocableByEmail');
    assert.equal(item(root).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const [account] = await api.tree.getChildren(root);
    assert.equal(account.id, `conn/${connection.id}/account`);
    assert.equal(label(account), 'Ada');
    assert.equal(item(account).description, 'Workspace admin · enterprise');
    assert.equal(item(account).contextValue, 'account;admin');
    assert.equal(api.tree.getParent(account), root);
  });

  it('refuses a key the platform rejects: says so in the key box, keeps platform and name, offers no other connection, stores nothing', async () => {
    const before = api.store.list().length;
    const prompts = answer({ picks: [byPlatform('gitbook')], inputs: ['Docs', 'not-a-valid-token', undefined] });
    const connection = await vscode.commands.executeCommand('workspaceAccess.connection.add');
    restoreAll();
    assert.equal(connection, undefined);
    assert.equal(prompts.inputs.length, 3, 'the key box opened again');
    assert.equal(prompts.inputs[2].title, 'Add Connection (3/3): API key for Docs', 'the name is kept');
    assert.match(
      prompts.inputs[2].prompt ?? '',
      /^GitBook did not accept that key \(401\)\. Check it and paste it again, or press Escape\./,
    );
    assert.deepEqual(prompts.errors, [], 'no error with an "Update API Key" button that would offer other connections');
    assert.ok(!JSON.stringify(prompts).includes('not-a-valid-token'));
    assert.equal(api.store.list().length, before);
  });

  it('after a refused key, a good one adds the connection', async () => {
    const prompts = answer({
      picks: [byPlatform('confident')],
      inputs: ['Second Try', 'wrong-key-0123', emulator.platform('confident').keys.admin],
    });
    const connection = await vscode.commands.executeCommand<{ id: string } | undefined>(
      'workspaceAccess.connection.add',
    );
    restoreAll();
    assert.ok(connection);
    assert.match(prompts.inputs[2].prompt ?? '', /did not accept that key/);
    assert.equal(await api.store.getKey(connection.id), emulator.platform('confident').keys.admin);
    await api.store.remove(connection.id);
  });

  it('a host that cannot be reached says which host and which setting, at once (no retries)', async () => {
    await setBaseUrl('elevenlabs', 'http://127.0.0.1:9');
    try {
      const prompts = answer({ picks: [byPlatform('elevenlabs')], inputs: ['Nowhere', 'some-key-0123456789'] });
      await vscode.commands.executeCommand('workspaceAccess.connection.add');
      assert.equal(prompts.errors.length, 1);
      assert.match(
        prompts.errors[0],
        /^ElevenLabs cannot be reached at 127\.0\.0\.1:9 \(ECONNREFUSED\)\. Check the network, or the setting workspaceAccess\.elevenlabs\.baseUrl \(now http:\/\/127\.0\.0\.1:9\)\./,
      );
      const log = await (async () => {
        api.log.info('flush marker');
        await new Promise((r) => setTimeout(r, 1_500));
        const files = (await vscode.workspace.fs.readDirectory(api.context.logUri)).filter(([n]) => n.endsWith('.log'));
        return files.map(([n]) => readFileSync(join(api.context.logUri.fsPath, n), 'utf8')).join('\n');
      })();
      assert.ok(
        !/127\.0\.0\.1:9[^\n]*retry|GET \/v1\/user[^\n]*ECONNREFUSED[^\n]*retry 1 of/.test(log),
        'no retry of an unreachable host while a person waits',
      );
    } finally {
      await setBaseUrl('elevenlabs', emulator.baseUrl('elevenlabs'));
      restoreAll();
    }
  });

  it("under npm start, Add Connection offers the sandbox's own base URL, or says it will reach the real platform", async () => {
    process.env.WORKSPACE_ACCESS_SANDBOX = emulator.origin;
    await setBaseUrl('gitbook', undefined);
    try {
      const prompts = answer({
        picks: [byPlatform('gitbook'), (items: readonly vscode.QuickPickItem[]) => items[0]],
        inputs: ['Sandboxed', emulator.platform('gitbook').keys.admin],
      });
      const connection = await vscode.commands.executeCommand<{ id: string; baseUrl: string } | undefined>(
        'workspaceAccess.connection.add',
      );
      assert.ok(connection, JSON.stringify(prompts));
      assert.equal(connection.baseUrl, emulator.baseUrl('gitbook'));
      // Every step is numbered, the sandbox question too.
      assert.deepEqual(
        [prompts.picks[0].title, prompts.picks[1].title, prompts.inputs[0].title, prompts.inputs[1].title],
        [
          'Add Connection (1/4): platform',
          'Add Connection (2/4): where?',
          'Add Connection (3/4): name',
          'Add Connection (4/4): API key for Sandboxed',
        ],
      );
      await api.store.remove(connection.id);
    } finally {
      delete process.env.WORKSPACE_ACCESS_SANDBOX;
      await setBaseUrl('gitbook', emulator.baseUrl('gitbook'));
      restoreAll();
    }
  });

  it('stays quiet when the person presses Escape', async () => {
    const before = api.store.list().length;
    const prompts = answer({ picks: [byPlatform('confident')], inputs: ['Evals', undefined] });
    await vscode.commands.executeCommand('workspaceAccess.connection.add');
    assert.deepEqual(prompts.errors, []);
    assert.equal(api.store.list().length, before);
  });

  it('holds several connections at once, one root each, each with its own identity', async () => {
    await removeAll();
    const a = await addConnection('elevenlabs', 'Workspace A', emulator.platform('elevenlabs').keys.admin);
    const b = await addConnection('elevenlabs', 'Workspace B', emulator.platform('elevenlabs').keys.member);
    const c = await addConnection('gitbook', 'Docs Org', emulator.platform('gitbook').keys.admin);
    const d = await addConnection('confident', 'Evals Org', emulator.platform('confident').keys.admin);
    const list = await roots();
    assert.deepEqual(list.map(label), ['Workspace A', 'Workspace B', 'Docs Org', 'Evals Org']);
    assert.deepEqual(
      list.map((n) => item(n).contextValue),
      [
        'connection;elevenlabs;invitable;revocableByEmail',
        'connection;elevenlabs;invitable;revocableByEmail',
        'connection;gitbook;invitable;linkCreatable;teamCreatable',
        'confident;connection;invitable',
      ],
    );
    const accounts = await Promise.all(list.map(async (n) => (await api.tree.getChildren(n))[0]));
    assert.deepEqual(
      accounts.map(label),
      ['Ada', 'Alan', 'Ada Lovelace', 'Sandbox Evals'],
      'the seeded member-seat key belongs to Alan',
    );
    assert.deepEqual(
      accounts.map((n) => item(n).contextValue),
      ['account;admin', 'account', 'account;admin', 'account;admin'],
    );
    assert.equal(item(accounts[1]).description, 'Member · enterprise');
    assert.ok(a.connection && b.connection && c.connection && d.connection);
  });

  it('picks up a key changed outside this code path (SecretStorage change event)', async () => {
    const [first] = api.store.list();
    const root = await rootFor(first.id);
    assert.equal(label((await api.tree.getChildren(root))[0]), 'Ada');
    // Another window writes the same secret: only the change event tells this window.
    await api.context.secrets.store(`workspaceAccess.apiKey.${first.id}`, 'revoked-key-123456');
    const [message] = await api.tree.getChildren(root);
    assert.equal(message.id, `conn/${first.id}/error`);
    assert.match(label(message), /^ElevenLabs: Invalid API key/);
    assert.equal(item(message).contextValue, 'error;message');
    assert.equal(item(message).command?.command, 'workspaceAccess.connection.updateKey', 'the way out is one click');

    // The message's own command: Update API Key on that connection, validated first.
    answer({ inputs: ['still-wrong-key'] });
    await click(message);
    assert.equal(await api.store.getKey(first.id), 'revoked-key-123456', 'a refused key does not replace the old one');
    restoreAll();
    const prompts = answer({ inputs: [emulator.platform('elevenlabs').keys.admin] });
    const updated = await click(message);
    assert.equal(updated, first.id);
    assert.equal(prompts.inputs[0].password, true);
    assert.equal(await api.store.getKey(first.id), emulator.platform('elevenlabs').keys.admin);
    assert.equal(label((await api.tree.getChildren(root))[0]), 'Ada');
  });

  it('updates a key from the palette by picking the connection', async () => {
    const target = api.store.list().find((c) => c.label === 'Workspace B')!;
    const prompts = answer({
      picks: [(items) => items.find((i) => i.label === 'Workspace B')],
      inputs: [emulator.platform('elevenlabs').keys.admin],
    });
    await vscode.commands.executeCommand('workspaceAccess.connection.updateKey');
    assert.equal(prompts.picks.length, 1);
    assert.equal(
      item((await api.tree.getChildren(await rootFor(target.id)))[0]).description,
      'Workspace admin · enterprise',
    );
  });

  it('refreshes: the title-bar Refresh asks the platforms again', async () => {
    const root = (await roots())[0];
    await api.tree.getChildren(root);
    const before = emulator.requests.filter((r) => r.path === '/v1/user').length;
    await vscode.commands.executeCommand('workspaceAccess.refresh');
    await api.tree.getChildren(root);
    assert.equal(emulator.requests.filter((r) => r.path === '/v1/user').length, before + 1);
  });

  it('shows a failing branch as a message node with Retry, never a pop-up', async () => {
    const root = (await roots()).find((n) => label(n) === 'Docs Org')!;
    await vscode.commands.executeCommand('workspaceAccess.refresh', root);
    emulator.queueFaults('500', '500', '500', '500'); // a stored connection knows its account: one read of the organization, four tries
    const prompts = answer({});
    const [message] = await api.tree.getChildren(root);
    assert.match(label(message), /^GitBook: Internal server error \(injected\)\. \(500 server error\)/);
    assert.equal(item(message).command?.command, 'workspaceAccess.refresh');
    assert.deepEqual(prompts.errors, []);
    await click(message);
    assert.equal(label((await api.tree.getChildren(root))[0]), 'Ada Lovelace');
  });

  it('refuses a base URL setting that would send keys over plain http, naming the setting', async () => {
    await setBaseUrl('gitbook', 'http://api.gitbook.com/v1');
    try {
      const prompts = answer({ picks: [byPlatform('gitbook')] });
      await vscode.commands.executeCommand('workspaceAccess.connection.add');
      assert.equal(prompts.errors.length, 1);
      assert.match(prompts.errors[0], /workspaceAccess\.gitbook\.baseUrl.*must use https/);
    } finally {
      await setBaseUrl('gitbook', emulator.baseUrl('gitbook'));
    }
  });

  it('declares base-URL settings with application scope', () => {
    const props = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      }
    ).contributes.configuration.properties;
    for (const p of ['elevenlabs', 'gitbook', 'confident'])
      assert.equal(props[`workspaceAccess.${p}.baseUrl`].scope, 'application');
  });

  it('removes a connection after a confirmation naming it, and deletes its key', async () => {
    const target = api.store.list().find((c) => c.label === 'Evals Org')!;
    const root = await rootFor(target.id);
    const cancelled = answer({ confirm: undefined });
    await vscode.commands.executeCommand('workspaceAccess.connection.remove', root);
    assert.equal(cancelled.warnings.length, 1);
    assert.ok(api.store.get(target.id), 'cancelling keeps it');
    restoreAll();

    const prompts = answer({ confirm: 'Remove' });
    const removed = await vscode.commands.executeCommand('workspaceAccess.connection.remove', root, [root]);
    assert.deepEqual(removed, [target.id]);
    assert.match(prompts.warnings[0].message, /Remove the connection "Evals Org"\?/);
    assert.match(prompts.warnings[0].detail ?? '', /API key is deleted/);
    assert.equal(api.store.get(target.id), undefined);
    assert.equal(await api.store.getKey(target.id), undefined, 'the secret is gone too');
    assert.ok(!(await roots()).some((n) => n.id === `conn/${target.id}`));
  });

  it('keeps keys out of settings, globalState and the log', async () => {
    const keys = ['elevenlabs', 'gitbook', 'confident'].flatMap((p) =>
      Object.values(emulator.platform(p as PlatformId).keys),
    );
    keys.push('not-a-valid-token', 'revoked-key-123456', 'still-wrong-key');
    const state = JSON.stringify(api.context.globalState.keys().map((k) => [k, api.context.globalState.get(k)]));
    const settings = JSON.stringify(vscode.workspace.getConfiguration('workspaceAccess'));
    assert.ok(state.includes('Workspace A'), 'globalState holds the connection metadata');
    await vscode.commands.executeCommand('workspaceAccess.log.show');
    api.log.info('flush marker');
    await new Promise((r) => setTimeout(r, 1_500)); // the log file is written asynchronously
    const logDir = api.context.logUri.fsPath;
    const files = (await vscode.workspace.fs.readDirectory(api.context.logUri)).filter(([n]) => n.endsWith('.log'));
    assert.ok(files.length > 0, `a log file in ${logDir}`);
    const log = files.map(([n]) => readFileSync(join(logDir, n), 'utf8')).join('\n');
    assert.match(log, /GET \/v1\/user → 401/, 'the log has the refused requests');
    for (const key of keys) {
      assert.ok(!state.includes(key), `globalState has no ${key}`);
      assert.ok(!settings.includes(key), `settings have no ${key}`);
      assert.ok(!log.includes(key), `the log has no ${key}`);
    }
  });
});
