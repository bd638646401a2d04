import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Outcome } from '../../src/core/jobs/bulkTask';
import type { TreeNode } from '../../src/vscode/tree/node';
import { loadContract } from '../contract/contract';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { answer, pickMany, pickOne, restoreAll } from './stubs';
import { item, label, useSandbox, walk } from './tree';

const contract = loadContract('gitbook');
let emulator: Emulator;
let api: TestApi;
let root: TreeNode;

const { gb } = emulatorState(() => emulator);
const tooltip = (node: TreeNode) => {
  const t = item(node).tooltip;
  return typeof t === 'string' ? t : (t?.value ?? '');
};
const memberNode = async (name: string) =>
  (await api.tree.getChildren(await walk(api, root, 'Members'))).find((n) => label(n) === name)!;

describe('GitBook in the tree and the commands', function () {
  this.timeout(60_000);

  useSandbox([], (s) => ({ emulator, api } = s));

  before(async () => {
    await vscode.workspace
      .getConfiguration()
      .update('workspaceAccess.gitbook.baseUrl', emulator.baseUrl('gitbook'), vscode.ConfigurationTarget.Global);
    // Add Connection picks the organization itself when the token sees one.
    answer({ picks: [pickOne('GitBook')], inputs: ['Docs', emulator.platform('gitbook').keys.admin] });
    const c = await vscode.commands.executeCommand<{ id: string }>('workspaceAccess.connection.add');
    restoreAll();
    assert.deepEqual(api.store.get(c.id), {
      id: c.id,
      platform: 'gitbook',
      label: 'Docs',
      baseUrl: emulator.baseUrl('gitbook'),
      tenantId: 'org_sandbox',
      tenantName: 'Sandbox Docs',
      account: { name: 'Ada Lovelace', email: 'ada.lovelace@example.com' },
    });
    root = (await api.tree.getChildren()).find((n) => n.id === `conn/${c.id}`)!;
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration()
      .update('workspaceAccess.gitbook.baseUrl', undefined, vscode.ConfigurationTarget.Global);
  });

  afterEach(() => {
    restoreAll();
    assert.deepEqual(contract.checkAll(emulator.requests.filter((r) => r.fault === 'none')), []);
  });

  it('shows the organization, teams, members and content', async () => {
    assert.equal(item(root).description, 'GitBook · Sandbox Docs');
    assert.equal(item(root).contextValue, 'connection;gitbook;invitable;linkCreatable;teamCreatable');
    const children = await api.tree.getChildren(root);
    assert.deepEqual(children.map(label), ['Ada Lovelace', 'Teams', 'Members', 'Invite links', 'Content']);
    assert.equal(item(children[0]).description, 'Sandbox Docs · admin');
    const teams = await api.tree.getChildren(children[1]);
    assert.deepEqual(teams.map(label), ['Support', 'Marketing', 'Research', 'Engineering']);
    assert.equal(item(teams[0]).contextValue, 'copyable;deletable;editable;group;principal;renamable;resourceSharer');
    const support = await api.tree.getChildren(teams[0]);
    assert.equal(support.length, gb().teams[0].members.size);
    assert.match(String(item(support[0]).description), /Team owner/);
    const members = await api.tree.getChildren(children[2]);
    assert.equal(members.length, 12);
    assert.match(String(item(members[5]).description), /Guest/);
    assert.equal(
      item(members[2]).contextValue,
      'copyable;groupable;member;principal;removable;resourceSharer;roleChangeable',
    );
    assert.equal(
      item(support[0]).contextValue,
      'copyable;groupMember;groupRoleChangeable;principal;removableFromGroup;resourceSharer',
    );
    const kinds = await api.tree.getChildren(children[4]);
    assert.deepEqual(kinds.map(label), ['Spaces', 'Collections', 'Sites']);
  });

  it('shows who has which role on a space, with the default level, and opens it in the browser', async () => {
    const spaces = await api.tree.getChildren(await walk(api, root, 'Content', 'Spaces'));
    const withDefault = spaces.find((s) => String(item(s).description).includes('default: read'))!;
    assert.equal(item(withDefault).contextValue, 'browsable;copyable;effective;resource;shareable');
    const grants = await api.tree.getChildren(withDefault);
    assert.ok(grants.some((g) => label(g) === 'Organization default' && item(g).description === 'read · fixed'));
    const opened: string[] = [];
    const env = vscode.env as unknown as Record<string, unknown>;
    const original = env.openExternal;
    try {
      Object.defineProperty(env, 'openExternal', {
        value: (uri: vscode.Uri) => (opened.push(uri.toString()), Promise.resolve(true)),
        configurable: true,
        writable: true,
      });
    } catch {
      // vscode.env may be frozen; then the returned URL is the check.
    }
    const url = await vscode.commands.executeCommand<string>('workspaceAccess.item.openInBrowser', withDefault);
    if (env.openExternal !== original)
      Object.defineProperty(env, 'openExternal', { value: original, configurable: true, writable: true });
    assert.match(url, /^https:\/\/app\.gitbook\.com\/o\/org_sandbox\/s\/spa_\d+$/);
  });

  it('shows effective access on a site, with where each level comes from', async () => {
    const [site] = await api.tree.getChildren(await walk(api, root, 'Content', 'Sites'));
    let shown: readonly vscode.QuickPickItem[] = [];
    answer({ picks: [(items) => ((shown = items), undefined)] });
    const rows = await vscode.commands.executeCommand<unknown[]>('workspaceAccess.resource.effectiveAccess', site);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(rows.length > 0);
    assert.equal(shown.length, rows.length);
    assert.ok(
      shown.some(
        (i) =>
          i.label.startsWith('Ada Lovelace') &&
          i.description === 'admin' &&
          i.detail === 'from organization role (admin)',
      ),
      shown.map((i) => `${i.label} ${i.detail}`).join(' | '),
    );
    assert.ok(emulator.requests.some((r) => r.path.endsWith('/permissions/aggregate')));
  });

  it('shows effective access on a space with every reason: direct, a team, the default, the organization role', async () => {
    const spaces = await api.tree.getChildren(await walk(api, root, 'Content', 'Spaces'));
    const node = spaces.find((n) => gb().content.some((c) => n.id.endsWith(`/${c.id}`) && c.defaultLevel === 'read'))!;
    const c = gb().content.find((x) => node.id.endsWith(`/${x.id}`))!;
    const team = gb().teams.find((t) => t.members.size > 0)!;
    const [teamMember] = [...team.members.keys()];
    const person = gb().members.find(
      (m) => m.role !== 'admin' && m.user.id !== teamMember && !team.members.has(m.user.id),
    )!;
    c.users.set(person.user.id, 'edit');
    c.teams.set(team.id, 'review');
    let shown: readonly vscode.QuickPickItem[] = [];
    answer({ picks: [(items) => ((shown = items), undefined)] });
    await vscode.commands.executeCommand('workspaceAccess.resource.effectiveAccess', node);
    const detail = (name: string) => shown.find((i) => i.label.startsWith(name))?.detail;
    assert.equal(detail(person.user.displayName), 'from direct (edit) · organization default (read)');
    assert.match(
      detail(gb().members.find((m) => m.user.id === teamMember)!.user.displayName) ?? '',
      new RegExp(`team "${team.title}" \\(review\\)`),
    );
    assert.match(detail('Ada Lovelace') ?? '', /^from organization role \(admin\)/);
  });

  it('shares by dragging a team onto a space', async () => {
    const teams = await api.tree.getChildren(await walk(api, root, 'Teams'));
    const spaces = await api.tree.getChildren(await walk(api, root, 'Content', 'Spaces'));
    const c = gb().content.find((x) => spaces[1].id.endsWith(`/${x.id}`))!;
    const data = new vscode.DataTransfer();
    api.dragAndDrop.handleDrag([teams[3]], data);
    answer({ picks: [pickOne('review')] });
    await api.dragAndDrop.handleDrop(spaces[1], data);
    assert.equal(c.teams.get(gb().teams[3].id), 'review');
  });

  it("shows the platform's refusal when a reader creates a team or shares", async () => {
    for (const c of api.store.list().filter((x) => x.label === 'Reader')) await api.store.remove(c.id);
    const reader = await api.store.add(
      { platform: 'gitbook', label: 'Reader', baseUrl: emulator.baseUrl('gitbook'), tenantId: 'org_sandbox' },
      emulator.platform('gitbook').keys.reader,
    );
    const node = (await api.tree.getChildren()).find((n) => n.id === `conn/${reader.id}`)!;
    let prompts = answer({ inputs: ['Nope'] });
    await vscode.commands.executeCommand('workspaceAccess.group.create', node);
    assert.match(prompts.errors[0], /^GitBook: You need to be an admin of the organization to do this\. \(403/);
    restoreAll();
    const spaces = await api.tree.getChildren(await walk(api, node, 'Content', 'Spaces'));
    assert.ok(spaces.length > 0, 'a reader sees content shared with it');
    assert.ok(!String(item(spaces[0]).contextValue).includes('shareable'), 'and is offered no sharing');
    // Margaret holds nothing on it, so no lowering warning comes first.
    prompts = answer({ picks: [pickMany('Margaret Lovelace <margaret.lovelace@example.com>'), pickOne('read')] });
    const outcomes = await vscode.commands.executeCommand<Outcome<unknown>[] | undefined>(
      'workspaceAccess.resource.share',
      spaces[0],
    );
    assert.ok(outcomes, `share ran (errors: ${prompts.errors.join(' | ')})`);
    assert.equal(outcomes[0].status, 'failed');
    assert.match(prompts.warnings[0].message, /You need admin access to this space\. \(403/);
    await api.store.remove(reader.id);
  });

  it('changes a member role and removes a member, naming what they lose', async () => {
    const membersSection = await walk(api, root, 'Members');
    const alan = (await api.tree.getChildren(membersSection)).find((n) => label(n) === 'Alan Lovelace')!;
    answer({ picks: [pickOne('Review')] });
    await vscode.commands.executeCommand('workspaceAccess.member.changeRole', alan);
    assert.equal(gb().members[2].role, 'review');
    // The command refreshed the same Members node: it shows the new role, not its old page.
    const again = (await api.tree.getChildren(membersSection)).find((n) => label(n) === 'Alan Lovelace')!;
    assert.match(String(item(again).description), /Review/);
    restoreAll();
    const prompts = answer({ confirm: 'Remove' });
    const outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>(
      'workspaceAccess.member.remove',
      await memberNode('Edsger Lovelace'),
    );
    assert.match(prompts.warnings[0].message, /Remove Edsger Lovelace from Sandbox Docs\?/);
    assert.match(prompts.warnings[0].detail ?? '', /every team membership and every direct grant/);
    assert.deepEqual(
      outcomes.map((o) => o.status === 'done' && o.note),
      ['removed'],
    );
    assert.ok(!gb().members.some((m) => m.user.displayName === 'Edsger Lovelace'));
  });

  it('Filter… narrows the tree: members through the platform search, teams and content page by page; clearing restores', async () => {
    answer({ inputs: ['Ada'] });
    assert.equal(await vscode.commands.executeCommand('workspaceAccess.connection.filter', root), 'Ada');
    assert.match(String(item(root).description), /filter: "Ada"/);
    assert.match(item(root).contextValue ?? '', /\bfiltered\b/);
    const members = await api.tree.getChildren(await walk(api, root, 'Members'));
    assert.ok(
      members.length > 0 && members.every((m) => /ada/i.test(`${label(m)} ${String(item(m).description)}`)),
      members.map(label).join(', '),
    );
    assert.ok(
      emulator.requests.some((r) => r.path.endsWith('/members') && r.query.includes('search=Ada')),
      'the platform searched',
    );
    const spaces = await api.tree.getChildren(await walk(api, root, 'Content', 'Spaces'));
    assert.ok(spaces.every((n) => /ada/i.test(label(n)) || label(n) === 'Load more…' || /nothing|no /i.test(label(n))));
    await vscode.commands.executeCommand('workspaceAccess.connection.clearFilter', root);
    const all = await api.tree.getChildren(await walk(api, root, 'Members'));
    assert.ok(all.length > members.length, 'cleared: every member again');
  });

  it('finds members by a server-side search when run from the palette', async () => {
    // The member pick allows many: answer with a list.
    const prompts = answer({ inputs: ['marg'], picks: [pickMany('Margaret Lovelace'), pickOne('Comment')] });
    await vscode.commands.executeCommand('workspaceAccess.member.changeRole');
    assert.match(prompts.inputs[0].prompt ?? '', /Search members by name or email in Sandbox Docs/);
    assert.equal(gb().members.find((m) => m.user.displayName === 'Margaret Lovelace')!.role, 'comment');
    assert.ok(emulator.requests.some((r) => r.query.includes('search=marg')));
  });

  it('reports a removal that only sent a request to the admins (202)', async () => {
    const reader = await api.store.add(
      { platform: 'gitbook', label: 'As reader', baseUrl: emulator.baseUrl('gitbook'), tenantId: 'org_sandbox' },
      emulator.platform('gitbook').keys.reader,
    );
    const node = (await api.tree.getChildren()).find((n) => n.id === `conn/${reader.id}`)!;
    const members = await api.tree.getChildren(await walk(api, node, 'Members'));
    assert.equal(
      item(members[3]).contextValue,
      'copyable;member;principal;resourceSharer',
      'a reader is offered no admin actions',
    );
    const prompts = answer({ confirm: 'Remove' });
    const outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>(
      'workspaceAccess.member.remove',
      members[3],
    );
    assert.deepEqual(
      outcomes.map((o) => o.status === 'done' && o.note),
      ['request sent to the admins'],
    );
    assert.match(prompts.infos[0], /request sent to the admins/);
    await api.store.remove(reader.id);
  });

  it('creates, renames and deletes a team; adds and removes its members', async () => {
    answer({ inputs: ['Writers'] });
    await vscode.commands.executeCommand('workspaceAccess.group.create', root);
    const team = gb().teams.find((t) => t.title === 'Writers')!;
    assert.ok(team);
    restoreAll();
    let node = (await api.tree.getChildren(await walk(api, root, 'Teams'))).find((n) => label(n) === 'Writers')!;
    answer({ inputs: ['Tech Writers'] });
    await vscode.commands.executeCommand('workspaceAccess.group.rename', node);
    assert.equal(team.title, 'Tech Writers');
    restoreAll();
    answer({ picks: [pickOne('Tech Writers')] });
    await vscode.commands.executeCommand('workspaceAccess.group.addMember', await memberNode('Grace Lovelace'));
    assert.ok(team.members.has('gbu_000001'));
    restoreAll();
    node = (await api.tree.getChildren(await walk(api, root, 'Teams'))).find((n) => label(n) === 'Tech Writers')!;
    const [grace] = await api.tree.getChildren(node);
    answer({ confirm: 'Remove' });
    await vscode.commands.executeCommand('workspaceAccess.group.removeMember', grace);
    assert.equal(team.members.size, 0);
    restoreAll();
    const prompts = answer({ confirm: 'Delete' });
    const outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>('workspaceAccess.group.delete', node);
    assert.deepEqual(
      outcomes.map((o) => o.status === 'done' && o.note),
      ['deleted'],
    );
    assert.match(prompts.warnings[0].message, /Delete "Tech Writers"\?/);
    assert.ok(!gb().teams.includes(team));
  });

  it('invites with a role and SSO in one call, reporting emails that cannot be SSO members', async () => {
    const prompts = answer({
      inputs: ['one@example.com, two@other-org.example'],
      picks: [pickOne('Comment'), pickOne('Invite as SSO members'), pickOne('Invite 2')],
    });
    const result = await vscode.commands.executeCommand<{ outcomes: Outcome<{ label: string }>[] }>(
      'workspaceAccess.member.invite',
      root,
    );
    assert.deepEqual(
      result.outcomes.map((o) => `${o.item.label}:${o.status}:${o.status === 'done' ? (o.note ?? '') : ''}`),
      ['one@example.com (entry 1):done:', 'two@other-org.example (entry 2):done:invited, but not as an SSO member'],
    );
    assert.deepEqual(gb().invited.get('one@example.com'), { role: 'comment', sso: true });
    assert.match(prompts.infos[0], /2 done.*two@other-org\.example \(entry 2\): invited, but not as an SSO member/);
    assert.equal(emulator.requests.filter((r) => r.path.endsWith('/invites')).length, 1);
  });

  it('lists invite links; creates one for a space, edits its level and deletes it', async () => {
    const section = await walk(api, root, 'Invite links');
    const links = await api.tree.getChildren(section);
    assert.deepEqual(links.map((l) => `${label(l)}|${String(item(l).description)}`).slice(0, 2), [
      'Organization|Read · your key already has this',
      'Organization|Guest · your key already has this',
    ]);
    assert.match(tooltip(links[0]), /already has this access or more/);
    assert.equal(item(links[0]).contextValue, 'copyable;inviteLink;linkDeletable;linkEditable');
    const space = gb().content.find((c) => c.kind === 'space')!;
    answer({ picks: [pickOne('One space'), pickOne(space.title), pickOne('Comment')] });
    const created = await vscode.commands.executeCommand<{ id: string }>('workspaceAccess.inviteLink.create', root);
    const link = gb().links.find((l) => l.id === created.id)!;
    assert.equal(link.content, space);
    assert.equal(link.role, 'comment');
    restoreAll();
    const node = (await api.tree.getChildren(section)).find((n) => n.id.endsWith(`/${created.id}`))!;
    assert.equal(label(node), `Space "${space.title}"`);
    answer({ picks: [pickOne('Edit')] });
    await vscode.commands.executeCommand('workspaceAccess.inviteLink.edit', node);
    assert.equal(link.role, 'edit');
    restoreAll();
    const prompts = answer({ confirm: 'Delete' });
    const outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>(
      'workspaceAccess.inviteLink.delete',
      node,
    );
    assert.deepEqual(
      outcomes.map((o) => o.status === 'done' && o.note),
      ['deleted'],
    );
    assert.match(prompts.warnings[0].detail ?? '', /stops working at once/);
    assert.ok(!gb().links.includes(link));
  });

  it('marks an invite link "your key already has this" only where the key\'s account has that access', async () => {
    const space = gb().content.find((c) => c.kind === 'space')!;
    gb().links.push({ id: 'inv_adminlink', content: space, role: 'admin' });
    const reader = await api.store.add(
      { platform: 'gitbook', label: 'Link Reader', baseUrl: emulator.baseUrl('gitbook'), tenantId: 'org_sandbox' },
      emulator.platform('gitbook').keys.reader,
    );
    try {
      const node = (await api.tree.getChildren()).find((n) => n.id === `conn/${reader.id}`)!;
      const links = await api.tree.getChildren(await walk(api, node, 'Invite links'));
      const described = new Map(links.map((l) => [l.id.split('/').pop(), String(item(l).description)]));
      assert.equal(described.get('inv_000000'), 'Read · your key already has this', 'a reader holds Read');
      assert.equal(described.get('inv_adminlink'), 'Admin', 'a reader does not hold Admin on the space');
      assert.doesNotMatch(tooltip(links.find((l) => l.id.endsWith('/inv_adminlink'))!), /already/);
    } finally {
      await api.store.remove(reader.id);
      gb().links.splice(
        gb().links.findIndex((l) => l.id === 'inv_adminlink'),
        1,
      );
    }
  });

  it('says how many members are shown of how many on Load more…', async () => {
    const added = Array.from({ length: 120 }, (_, i) => ({
      user: { id: `usr_more${i}`, displayName: `More Person ${i}`, email: `more.person${i}@example.com` },
      role: 'read' as const,
      disabled: false,
    }));
    gb().members.push(...added);
    try {
      await vscode.commands.executeCommand('workspaceAccess.refresh', root);
      const nodes = await api.tree.getChildren(await walk(api, root, 'Members'));
      const more = nodes[nodes.length - 1];
      assert.equal(label(more), 'Load more…');
      assert.equal(item(more).description, `100 of ${gb().members.length} shown`);
    } finally {
      gb().members.splice(gb().members.length - added.length, added.length);
      await vscode.commands.executeCommand('workspaceAccess.refresh', root);
    }
  });

  it("changes a team member's team role", async () => {
    const [first] = await api.tree.getChildren(await walk(api, root, 'Teams', 'Support'));
    answer({ picks: [pickOne('Member')] });
    await vscode.commands.executeCommand('workspaceAccess.group.setRole', first);
    assert.ok([...gb().teams[0].members.values()].every((r) => r === 'member'));
  });

  it('shares content with members and teams, changes a grant with PATCH and revokes it', async () => {
    const [site] = await api.tree.getChildren(await walk(api, root, 'Content', 'Sites'));
    const c = gb().content.find((x) => site.id.endsWith(`/${x.id}`))!;
    answer({ picks: [pickMany('Grace Lovelace <grace.lovelace@example.com>', 'Research'), pickOne('edit')] });
    await vscode.commands.executeCommand('workspaceAccess.resource.share', site);
    assert.deepEqual([c.users.get('gbu_000001'), c.teams.get(gb().teams[2].id)], ['edit', 'edit']);
    restoreAll();
    const folders = await api.tree.getChildren(site);
    assert.deepEqual(
      folders.map(label).filter((l) => l === 'Users' || l === 'Teams'),
      ['Users', 'Teams'],
      'grants come in one folder per list, each paged',
    );
    const teams = folders.find((f) => label(f) === 'Teams')!;
    let grants = await api.tree.getChildren(teams);
    assert.ok(
      (await api.tree.getChildren(folders.find((f) => label(f) === 'Users'))).some((g) =>
        label(g).startsWith('Grace Lovelace'),
      ),
    );
    const research = grants.find((g) => label(g) === 'Research')!;
    answer({ picks: [pickOne('admin')] });
    await vscode.commands.executeCommand('workspaceAccess.grant.changeRole', research);
    assert.equal(c.teams.get(gb().teams[2].id), 'admin');
    assert.equal(
      emulator.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/permissions/teams/')).length,
      1,
    );
    restoreAll();
    grants = await api.tree.getChildren(await walk(api, site, 'Teams'));
    answer({ confirm: 'Remove Access' });
    await vscode.commands.executeCommand(
      'workspaceAccess.grant.remove',
      grants.find((g) => label(g) === 'Research')!,
    );
    assert.ok(!c.teams.has(gb().teams[2].id));
  });
});
