// Safe defaults in a real VS Code: a role picker focuses the current role (Enter keeps it), and
// with no current role the least powerful one, never the most powerful.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { TreeNode } from '../../src/vscode/tree/node';
import { Emulator } from '../emulator/server';
import { answer, pickMany, restoreAll } from './stubs';
import { connect, emailOf, EXTENSION_ID, item, label, useSandbox, walk } from './tree';

let emulator: Emulator;
let api: TestApi;
let root: TreeNode;

describe('Safe defaults: pickers focus the current role, never the most powerful', function () {
  this.timeout(30_000);

  useSandbox(
    [{ platform: 'elevenlabs', name: 'Defaults Inc' }],
    (s) =>
      ({
        emulator,
        api,
        connections: [{ root }],
      } = s),
  );

  it("Change Seat Type focuses the member's current seat; Escape changes nothing", async () => {
    const members = await api.tree.getChildren(await walk(api, root, 'Members'));
    const lite = members.find((m) => String(item(m).description).includes('Lite member'));
    assert.ok(lite, members.map((m) => String(item(m).description)).join(' | '));
    const writes = () => emulator.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    const prompts = answer({ picks: [() => undefined] });
    await vscode.commands.executeCommand('workspaceAccess.member.changeSeat', lite);
    assert.deepEqual(prompts.picks[0].active, ['Lite member']);
    assert.equal(writes(), before, 'nothing sent');
  });

  it('a new share focuses the least powerful role (viewer), not admin', async () => {
    const voice = (await api.tree.getChildren(await walk(api, root, 'Resources', 'Voices')))[0];
    const prompts = answer({
      picks: [(items) => pickMany(items.find((i) => !/now:/.test(i.description ?? ''))!.label)(items), () => undefined],
    });
    await vscode.commands.executeCommand('workspaceAccess.resource.share', voice);
    assert.deepEqual(
      prompts.picks[1].active,
      ['viewer'],
      `focused ${JSON.stringify(prompts.picks[1])} on ${label(voice)}`,
    );
  });

  it("Change Role on a grant focuses the grant's role", async () => {
    const voice = (await api.tree.getChildren(await walk(api, root, 'Resources', 'Voices')))[0];
    const grants = await api.tree.getChildren(voice);
    const grant = grants.find(
      (g) => /editor|commenter|viewer/.test(String(item(g).description)) && item(g).contextValue?.includes('removable'),
    );
    assert.ok(
      grant,
      grants.map((g) => `${label(g)} ${String(item(g).description)} ${item(g).contextValue}`).join(' | '),
    );
    const role = /editor|commenter|viewer/.exec(String(item(grant).description))![0];
    const prompts = answer({ picks: [() => undefined] });
    await vscode.commands.executeCommand('workspaceAccess.grant.changeRole', grant);
    assert.deepEqual(prompts.picks[0].active, [role]);
  });

  it('sharing with principals who already hold a role focuses that role, not viewer', async () => {
    const voices = await api.tree.getChildren(await walk(api, root, 'Resources', 'Voices'));
    const held = /now: (editor|commenter)$/;
    let voice: TreeNode | undefined;
    let prompts: ReturnType<typeof answer> | undefined;
    for (const v of voices) {
      prompts = answer({
        picks: [
          (items) => pickMany(items.find((i) => held.test(i.description ?? ''))?.label ?? '')(items),
          () => undefined,
        ],
      });
      await vscode.commands.executeCommand('workspaceAccess.resource.share', v).then(
        () => undefined,
        () => undefined,
      );
      restoreAll();
      if (prompts.picks.length === 2) {
        voice = v;
        break;
      }
    }
    assert.ok(voice && prompts, 'a voice shared with someone as editor or commenter');
    const role = held.exec(prompts.picks[0].items!.find((i) => held.test(i.description ?? ''))!.description!)![1];
    assert.deepEqual(prompts.picks[1].active, [role]);
  });

  it('the share picker marks locked members, and asks before sharing with one (Escape sends nothing)', async () => {
    const locked = emulator.state('elevenlabs').members.find((m) => m.is_locked && !m.is_owner)!;
    assert.ok(locked, 'the sandbox has a locked member');
    const voice = (await api.tree.getChildren(await walk(api, root, 'Resources', 'Voices')))[0];
    const writes = () => emulator.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    const prompts = answer({
      picks: [(items) => items.filter((i) => i.label.includes(`<${locked.email}>`))],
      confirm: undefined,
    });
    await vscode.commands.executeCommand('workspaceAccess.resource.share', voice);
    const items = prompts.picks[0].items ?? [];
    const marked = items.filter((i) => /^member · locked\b/.test(i.description ?? '')).map((i) => i.label);
    assert.deepEqual(
      marked,
      emulator
        .state('elevenlabs')
        .members.filter((m) => m.is_locked)
        .map((m) => `${m.first_name} <${m.email}>`),
    );
    assert.match(
      prompts.warnings[0]?.message ?? '',
      new RegExp(`Share with ${locked.first_name} <.*>, who is locked\\?`),
    );
    assert.equal(prompts.picks.length, 1, 'no role asked after Escape');
    assert.equal(writes(), before, 'nothing sent');
  });

  it('Share Resources with… a locked member asks first; Escape asks nothing more', async () => {
    const locked = emulator.state('elevenlabs').members.find((m) => m.is_locked && !m.is_owner)!;
    const row = (await api.tree.getChildren(await walk(api, root, 'Members'))).find((m) => emailOf(m) === locked.email);
    assert.ok(row, `${locked.email} is listed`);
    const prompts = answer({ confirm: undefined });
    await vscode.commands.executeCommand('workspaceAccess.principal.shareResources', row);
    assert.match(prompts.warnings[0]?.message ?? '', /who is locked\?/);
    assert.equal(prompts.picks.length, 0, 'no resources asked after Escape');
  });

  it('the share picker says what each entry is: member, group, service account or the workspace default, each with its icon', async () => {
    const voice = (await api.tree.getChildren(await walk(api, root, 'Resources', 'Voices')))[0];
    const prompts = answer({ picks: [() => undefined] });
    await vscode.commands.executeCommand('workspaceAccess.resource.share', voice);
    const items = prompts.picks[0].items ?? [];
    const kindOf = (name: RegExp) => String(items.find((i) => name.test(i.label))?.description ?? '').split(' · ')[0];
    assert.equal(kindOf(/^Everyone$/), 'group');
    assert.equal(kindOf(/^Alan /), 'member');
    assert.ok(
      items.some((i) => /^service account/.test(i.description ?? '')),
      'service accounts are named as such',
    );
    assert.ok(
      items.some((i) => /^everyone in the workspace \(default\)/.test(i.description ?? '')),
      'the workspace default is named as such',
    );
    assert.ok(
      items.every((i) => i.iconPath instanceof vscode.ThemeIcon),
      'each entry has its icon',
    );
  });
});

describe('Filter you can find and trust', function () {
  this.timeout(30_000);
  let fe: Emulator;
  let froot: TreeNode;

  useSandbox(
    [{ platform: 'elevenlabs', name: 'Filter Inc' }],
    (s) =>
      ({
        emulator: fe,
        api,
        connections: [{ root: froot }],
      } = s),
  );

  it("is in the connection's context menu as well as inline, and Clear on the filter row", () => {
    const menus = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> };
      }
    ).contributes.menus['view/item/context'];
    const filter = menus.filter((m) => m.command === 'workspaceAccess.connection.filter');
    assert.ok(
      filter.some((m) => m.group?.startsWith('inline')) && filter.some((m) => !m.group?.startsWith('inline')),
      'inline and in the context menu',
    );
    assert.ok(
      menus.some((m) => m.command === 'workspaceAccess.connection.clearFilter' && /filterRow/.test(m.when ?? '')),
    );
  });

  it('shows the active filter as the first row, filters every section (service accounts too), says "No match", and the row clears it', async () => {
    answer({ inputs: ['Automation'] });
    await vscode.commands.executeCommand('workspaceAccess.connection.filter', froot);
    restoreAll();
    const children = await api.tree.getChildren(froot);
    assert.equal(label(children[0]), 'Filter: "Automation"', 'the filter is the first row');
    const accounts = await api.tree.getChildren(await walk(api, froot, 'Service accounts'));
    assert.deepEqual(accounts.map(label), ['Support Automation'], 'service accounts are filtered too');
    const groups = await api.tree.getChildren(await walk(api, froot, 'Groups'));
    assert.deepEqual(groups.map(label), ['No match for "Automation".']);
    await vscode.commands.executeCommand(
      item(children[0]).command!.command,
      ...((item(children[0]).command!.arguments ?? []) as unknown[]),
    );
    const after = await api.tree.getChildren(froot);
    assert.notEqual(label(after[0]), 'Filter: "Automation"', 'clicking the row cleared it');
    assert.equal((await api.tree.getChildren(await walk(api, froot, 'Service accounts'))).length, 2);
  });

  it('under a filter that matches nothing, every section and every resource type says "No match", never "No … yet"', async () => {
    const docs = await connect(api, fe, 'gitbook', 'Filtered Docs', undefined, fe.state('gitbook').org.id);
    try {
      const said: string[] = [];
      for (const root of [froot, docs.root]) {
        answer({ inputs: ['zzq'] });
        await vscode.commands.executeCommand('workspaceAccess.connection.filter', root);
        restoreAll();
        const isMessage = (n: TreeNode) => /\bmessage\b/.test(item(n).contextValue ?? '');
        const sections = (await api.tree.getChildren(root)).filter((n) =>
          /\bsection\b/.test(item(n).contextValue ?? ''),
        );
        for (const section of sections) {
          for (const child of await api.tree.getChildren(section)) {
            // Resources and Content list their types; each type is a branch of its own.
            const rows = isMessage(child) ? [child] : await api.tree.getChildren(child);
            for (const row of rows) if (isMessage(row)) said.push(`${label(section)}/${label(child)}: ${label(row)}`);
          }
        }
        await vscode.commands.executeCommand('workspaceAccess.connection.clearFilter', root);
      }
      assert.ok(
        said.some((s) => s.startsWith('Content/Spaces: ')),
        said.join('\n'),
      );
      assert.deepEqual(
        said.filter((s) => !s.endsWith(': No match for "zzq".')),
        [],
        'every empty branch under the filter says No match',
      );
    } finally {
      await api.store.remove(docs.id);
    }
  });

  it('Clear Filter from the palette offers only filtered connections (and says when there is none)', async () => {
    const other = await connect(api, fe, 'gitbook', 'Unfiltered Docs');
    const none = answer({});
    await vscode.commands.executeCommand('workspaceAccess.connection.clearFilter');
    assert.deepEqual(none.infos, ['No connection is filtered.']);
    restoreAll();
    answer({ inputs: ['Sup'] });
    await vscode.commands.executeCommand('workspaceAccess.connection.filter', froot);
    restoreAll();
    const second = await connect(api, fe, 'elevenlabs', 'Also Filtered');
    answer({ inputs: ['x'] });
    await vscode.commands.executeCommand('workspaceAccess.connection.filter', second.root);
    restoreAll();
    const prompts = answer({ picks: [(items) => items[0]] });
    await vscode.commands.executeCommand('workspaceAccess.connection.clearFilter');
    const offered = (prompts.picks[0].items ?? []).map((i) => i.label).sort();
    assert.deepEqual(offered, ['Also Filtered', 'Filter Inc'], 'only the filtered ones');
    assert.ok(!offered.includes('Unfiltered Docs'));
    await api.store.remove(other.id);
  });
});

describe('The tree comes back the way it was left', function () {
  this.timeout(30_000);

  useSandbox(
    [{ platform: 'elevenlabs', name: 'Expanded Inc' }],
    (s) =>
      ({
        emulator,
        api,
        connections: [{ root }],
      } = s),
  );

  it('remembers an expanded connection and section in the workspace state, and a collapse forgets them', async () => {
    const expanded = () => api.context.workspaceState.get<string[]>('workspaceAccess.expanded', []);
    const state = (node: TreeNode) => api.tree.getTreeItem(node).collapsibleState;
    await api.view.reveal(root, { expand: true });
    const members = await walk(api, root, 'Members');
    await api.view.reveal(members, { expand: true });
    for (let i = 0; i < 50 && !expanded().includes(members.id); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(expanded().includes(root.id) && expanded().includes(members.id), JSON.stringify(expanded()));
    // What a reload asks for: the rows come back expanded (VS Code then loads their children).
    assert.equal(state(root), vscode.TreeItemCollapsibleState.Expanded);
    assert.equal(state(members), vscode.TreeItemCollapsibleState.Expanded);
    const voices = await walk(api, root, 'Resources', 'Voices');
    assert.equal(
      state(voices),
      vscode.TreeItemCollapsibleState.Collapsed,
      'deeper rows are not reopened: each would cost requests at start',
    );
    await vscode.commands.executeCommand('workbench.actions.treeView.workspaceAccess.connections.collapseAll');
    for (let i = 0; i < 50 && expanded().includes(root.id); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!expanded().includes(root.id), JSON.stringify(expanded()));
    assert.equal(state(root), vscode.TreeItemCollapsibleState.Collapsed);
  });
});
