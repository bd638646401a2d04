import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Outcome } from '../../src/core/jobs/bulkTask';
import type { TreeNode } from '../../src/vscode/tree/node';
import { loadContract } from '../contract/contract';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { CONFIRM_ROWS } from '../../src/vscode/commands/invitePreview';
import { answer, pickMany, pickOne, restoreAll } from './stubs';
import { click, connect, emailOf, item, label, useSandbox, walk } from './tree';

const contract = loadContract('elevenlabs');
let emulator: Emulator;
let api: TestApi;
let root: TreeNode;
let connectionId: string;

const { el } = emulatorState(() => emulator);
/** A voice that Alan (usr_000002) did not create, so his role on it can change. */
async function voiceForAlan(): Promise<TreeNode> {
  const voices = await api.tree.getChildren(await walk(api, root, 'Resources', 'Voices'));
  const node = voices.find((v) =>
    el().resources.some((r) => v.id.endsWith(`/${r.id}`) && r.creator_user_id !== 'usr_000002'),
  );
  assert.ok(node, 'a voice not created by Alan');
  return node;
}
const member = (email: string) => el().members.find((m) => m.email === email)!;

describe('ElevenLabs in the tree and the commands', function () {
  this.timeout(60_000);

  useSandbox(
    [{ platform: 'elevenlabs', name: 'Voices Inc' }],
    (s) =>
      ({
        emulator,
        api,
        connections: [{ id: connectionId, root }],
      } = s),
  );

  afterEach(() => {
    // Everything the extension sent, and every answer, keeps to the official spec.
    assert.deepEqual(contract.checkAll(emulator.requests.filter((r) => r.fault === 'none')), []);
  });

  it('shows the account and one section per capability, with ids from the path', async () => {
    const children = await api.tree.getChildren(root);
    assert.deepEqual(children.map(label), ['Ada', 'Groups', 'Members', 'Service accounts', 'Resources']);
    assert.deepEqual(
      children.slice(1).map((n) => n.id),
      ['groups', 'members', 'serviceAccounts', 'resources'].map((k) => `conn/${connectionId}/${k}`),
    );
    assert.equal(item(root).contextValue, 'connection;elevenlabs;invitable;revocableByEmail');
  });

  it('lists groups and their members; Everyone is managed by the platform', async () => {
    const groups = await api.tree.getChildren(await walk(api, root, 'Groups'));
    assert.deepEqual(groups.map(label), ['Everyone', 'Support', 'Marketing', 'Research', 'Engineering']);
    assert.equal(item(groups[0]).contextValue, 'copyable;group;principal;resourceSharer');
    assert.equal(item(groups[1]).contextValue, 'copyable;editable;group;principal;resourceSharer');
    assert.equal(item(groups[0]).description, '12 members · managed by the platform');
    const support = el().groups[1];
    const members = await api.tree.getChildren(groups[1]);
    assert.deepEqual(members.map(emailOf), support.members);
    assert.equal(members[0].id, `conn/${connectionId}/groups/${support.id}/${member(support.members[0]).user_id}`);
    assert.equal(item(members[0]).contextValue, 'copyable;groupMember;principal;removableFromGroup;resourceSharer');
    assert.equal(api.tree.getParent(members[0]), groups[1]);
  });

  it('lists members with seat type, owner and lock, and flags by capability', async () => {
    const members = await api.tree.getChildren(await walk(api, root, 'Members'));
    assert.equal(members.length, 12);
    assert.equal(
      item(members[0]).description,
      'Workspace admin · owner',
      'the seat comes first; it survives the default width',
    );
    assert.match(String((item(members[0]).tooltip as vscode.MarkdownString).value), /ada\.lovelace@example\.com/);
    assert.equal(
      item(members[0]).contextValue,
      'copyable;groupable;member;principal;resourceSharer',
      'the owner cannot be locked or re-seated',
    );
    const locked = members[7];
    assert.match(String(item(locked).description), /· locked$/);
    assert.equal((item(locked).iconPath as vscode.ThemeIcon).id, 'lock');
    assert.equal(
      item(locked).contextValue,
      'copyable;groupable;member;principal;resourceSharer;seatChangeable;unlockable',
    );
    assert.equal(
      item(members[2]).contextValue,
      'copyable;groupable;lockable;member;principal;resourceSharer;seatChangeable',
    );
  });

  it('lists service accounts and their keys (hint only)', async () => {
    const [ci] = await api.tree.getChildren(await walk(api, root, 'Service accounts'));
    assert.equal(label(ci), 'CI Bot');
    const [key] = await api.tree.getChildren(ci);
    assert.deepEqual(
      [label(key), item(key).description, item(key).contextValue],
      ['CI Bot key', 'sk_…1000', 'apiKey;copyable'],
    );
  });

  it("lists resources by type, and each resource's grants including the default and link access", async () => {
    const types = await api.tree.getChildren(await walk(api, root, 'Resources'));
    assert.deepEqual(types.map(label), [
      'Voices',
      'Agents',
      'Pronunciation dictionaries',
      'Dubbing',
      'Studio projects',
      'Knowledge base',
      'Tools',
      'Phone numbers',
      'MCP servers',
      'Secrets',
    ]);
    for (const t of types) assert.equal((await api.tree.getChildren(t)).length, 4, label(t));
    const voices = await api.tree.getChildren(types[0]);
    assert.equal(item(voices[0]).contextValue, 'copyable;resource;shareable');
    // A seeded resource with both the workspace default and link access, under its own type.
    const r = el().resources.find((x) => x.anonymous && x.roles.viewer.includes('default'))!;
    const typeNode = types.find((t) => t.id.endsWith(`/${r.type}`))!;
    const node = (await api.tree.getChildren(typeNode)).find((v) => v.id.endsWith(`/${r.id}`))!;
    const grants = await api.tree.getChildren(node);
    const described = grants.map((g) => `${label(g)}|${String(item(g).description)}|${String(item(g).contextValue)}`);
    assert.equal(
      described[0],
      `${member(el().members.find((m) => m.user_id === r.creator_user_id)!.email).first_name} <${el().members.find((m) => m.user_id === r.creator_user_id)!.email}>|admin · fixed|grant;userGrant`,
    );
    assert.ok(
      described.includes('Everyone in the workspace (default)|viewer|changeable;grant;removable'),
      described.join('\n'),
    );
    assert.ok(described.includes('Anyone with the link|viewer · fixed|grant'));
  });

  it('pages large lists with Load more…, one request per page', async () => {
    const large = await Emulator.start({ size: 'large' });
    try {
      const big = await connect(api, large, 'elevenlabs', 'Large');
      const members = await walk(api, big.root, 'Members');
      let nodes = await api.tree.getChildren(members);
      assert.equal(nodes.length, 201);
      assert.equal(label(nodes[200]), 'Load more…');
      const count = large.state('elevenlabs').members.length;
      assert.equal(
        item(nodes[200]).description,
        `200 of ${count.toLocaleString()} shown`,
        'the whole list is known: say how much is shown',
      );
      const voices = await walk(api, big.root, 'Resources', 'Voices');
      const before = large.requests.filter((r) => r.path === '/v2/voices').length;
      nodes = await api.tree.getChildren(voices);
      assert.equal(nodes.length, 101);
      assert.equal(
        item(nodes[100]).description,
        undefined,
        'ElevenLabs does not say how many voices there are: no count is made up',
      );
      assert.equal(
        large.requests.filter((r) => r.path === '/v2/voices').length,
        before + 1,
        'the first page costs one request',
      );
      await click(nodes[100]);
      nodes = await api.tree.getChildren(voices);
      assert.equal(nodes.length, 201);
      assert.equal(new Set(nodes.map((n) => n.id)).size, 201);
      assert.equal(large.requests.filter((r) => r.path === '/v2/voices').length, before + 2);
      assert.deepEqual(contract.checkAll(large.requests), []);
      await api.store.remove(big.id);
    } finally {
      await large.close();
    }
  });

  it('locks after a confirmation and unlocks several at once', async () => {
    const members = await api.tree.getChildren(await walk(api, root, 'Members'));
    const alan = members[2];
    const cancelled = answer({ confirm: undefined });
    await vscode.commands.executeCommand('workspaceAccess.member.lock', alan);
    assert.equal(cancelled.warnings.length, 1);
    assert.equal(member('alan.lovelace@example.com').is_locked, false, 'cancelled: nothing sent');
    restoreAll();
    const prompts = answer({ confirm: 'Lock' });
    const outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>('workspaceAccess.member.lock', alan);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done'],
    );
    assert.match(prompts.warnings[0].message, /^Lock Alan\?/);
    assert.equal(member('alan.lovelace@example.com').is_locked, true);
    restoreAll();
    // The command refreshed the Members node it came from: the same node now shows the lock.
    const membersSection = alan.getParent()!;
    assert.match(
      String(item((await api.tree.getChildren(membersSection)).find((n) => n.id === alan.id)!).description),
      /locked$/,
    );
    const lockedNodes = (await api.tree.getChildren(await walk(api, root, 'Members'))).filter((n) =>
      String(item(n).description).endsWith('locked'),
    );
    assert.equal(lockedNodes.length, 2);
    const unlock = answer({});
    await vscode.commands.executeCommand('workspaceAccess.member.unlock', lockedNodes[0], lockedNodes);
    assert.ok(el().members.every((m) => !m.is_locked));
    assert.match(unlock.infos[0], /Unlock Members: 2 done, 0 failed, 0 skipped/);
  });

  it('changes a seat type from the palette, picking members and seat', async () => {
    answer({ picks: [pickMany('Barbara'), pickOne('Lite member')] });
    await vscode.commands.executeCommand('workspaceAccess.member.changeSeat');
    assert.equal(member('barbara.lovelace@example.com').seat_type, 'workspace_lite_member');
  });

  it('invites one email through invites/add, many through one add-bulk call', async () => {
    answer({ inputs: ['new.one@example.com'], picks: [pickOne('Member'), pickMany(), pickOne('Invite 1')] });
    await vscode.commands.executeCommand('workspaceAccess.member.invite', root);
    assert.deepEqual(el().invites.get('new.one@example.com'), { seat_type: 'workspace_member', group_ids: [] });
    restoreAll();
    const before = emulator.requests.length;
    const prompts = answer({
      inputs: ['a1@example.com, a2@example.com\nada.lovelace@example.com'],
      picks: [pickOne('Lite member'), pickMany('Support'), pickOne('Invite 2')],
    });
    const result = await vscode.commands.executeCommand<{
      outcomes: Outcome<{ label: string }>[];
      rejected: { line: number; reason: string }[];
      preview?: string;
    }>('workspaceAccess.member.invite', root);
    assert.deepEqual(
      result.outcomes.map((o) => `${o.item.label}:${o.status}`),
      ['a1@example.com (entry 1):done', 'a2@example.com (entry 2):done'],
    );
    assert.deepEqual(
      result.rejected.map((r) => `${r.line}:${r.reason}`),
      ['3:already a member'],
    );
    assert.deepEqual(
      emulator.requests
        .slice(before)
        .filter((r) => r.path.startsWith('/v1/workspace/invites'))
        .map((r) => r.path),
      ['/v1/workspace/invites/add-bulk'],
    );
    assert.match(prompts.picks[2].title ?? '', /Invite 2 people to /);
    assert.equal(prompts.picks[2].items?.[0].detail, 'Not sent: 1 already a member (listed below).');
    const preview = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.preview)!;
    assert.match(preview.getText(), /Already members \(not sent\):\n {2}entry 3: ada\.lovelace@example\.com\n/);
    assert.match(
      preview.getText(),
      /entry 2: a2@example\.com \(Lite member; groups: Support\)/,
      'the preview names the role and the groups',
    );
    assert.match(
      prompts.infos[0],
      /Invite Members: 2 done, 0 failed, 0 skipped, 0 unknown; not sent: 1 already a member\./,
    );
    assert.deepEqual(el().invites.get('a2@example.com'), {
      seat_type: 'workspace_lite_member',
      group_ids: ['grp_000000'],
    });
  });

  it('falls back to one invite per email when the domain is not verified, reporting each', async () => {
    const prompts = answer({
      inputs: ['x@elsewhere.org, y@elsewhere.org, z@example.com'],
      picks: [pickOne('Member'), pickMany(), pickOne('Invite 3')],
    });
    const result = await vscode.commands.executeCommand<{ outcomes: Outcome<{ label: string }>[] }>(
      'workspaceAccess.member.invite',
      root,
    );
    assert.deepEqual(
      result.outcomes.map((o) => `${o.item.label}:${o.status}`),
      ['x@elsewhere.org (entry 1):done', 'y@elsewhere.org (entry 2):done', 'z@example.com (entry 3):done'],
    );
    assert.match(prompts.infos[0], /Invite Members: 3 done, 0 failed, 0 skipped/);
    assert.equal(
      emulator.requests.filter((r) => r.path === '/v1/workspace/invites/add-bulk').length,
      2,
      'the earlier bulk call, then this refused one',
    );
    assert.equal(
      emulator.requests.filter((r) => r.path === '/v1/workspace/invites/add').length,
      4,
      'one earlier invite, then one per email',
    );
  });

  it('never blocks Enter on a bad or duplicate entry of a pasted list: the preview names each, in words for a list', async () => {
    const prompts = answer({
      inputs: ['ok.one@example.com, not-an-email, ok.one@example.com, ada.lovelace@example.com'],
      picks: [pickOne('Member'), pickMany(), pickOne('Invite 1')],
    });
    const result = await vscode.commands.executeCommand<{
      rejected: { line: number; reason: string }[];
      preview: string;
    }>('workspaceAccess.member.invite', root);
    assert.equal(
      await prompts.inputs[0].validateInput?.('ok@example.com, not-an-email, ok@example.com'),
      undefined,
      'Enter is not blocked',
    );
    assert.deepEqual(
      result.rejected.map((r) => `${r.line}:${r.reason}`),
      ['2:"not-an-email" is not a valid email address', '3:duplicate of entry 1', '4:already a member'],
    );
    // Only a wrong entry is "rejected"; a member already and a duplicate are fine, and said so apart.
    const preview = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.preview)!.getText();
    assert.equal(
      preview,
      [
        'Invite from the pasted list to Voices Inc',
        '1 will be sent; not sent: 1 already a member, 1 duplicate, 1 rejected.',
        '',
        'Rejected: correct them and invite them again:',
        '  entry 2: not-an-email: "not-an-email" is not a valid email address',
        '',
        'Already members (not sent):',
        '  entry 4: ada.lovelace@example.com',
        '',
        'Duplicates (sent once):',
        '  entry 3: ok.one@example.com: duplicate of entry 1',
        '',
        'Will be sent:',
        '  entry 1: ok.one@example.com (Member)',
        '',
        '',
      ].join('\n'),
    );
    assert.ok(!/\bline\b|the file/.test(preview), 'no words for a file');
    // The confirmation lists the same rows itself, where no picker covers them.
    const confirmRows = (prompts.picks[2].items ?? []).map((i) =>
      [i.kind === vscode.QuickPickItemKind.Separator ? '--' : '', i.label, i.description].filter(Boolean).join(' '),
    );
    assert.deepEqual(confirmRows, [
      'Invite 1',
      'Cancel',
      '-- Rejected: correct them and invite them again (1)',
      'not-an-email entry 2',
      '-- Already members (not sent) (1)',
      'ada.lovelace@example.com entry 4',
      '-- Duplicates (sent once) (1)',
      'ok.one@example.com entry 3, duplicate of entry 1',
      '-- Will be sent (1)',
      'ok.one@example.com entry 1 · Member',
    ]);
    assert.equal(
      prompts.picks[2].items?.[0].detail,
      'Not sent: 1 already a member, 1 duplicate, 1 rejected (listed below).',
    );
  });

  it(`the confirmation lists the first ${CONFIRM_ROWS} rows of a group, and says how many more the preview holds`, async () => {
    const emails = Array.from({ length: CONFIRM_ROWS + 2 }, (_, i) => `many.${i}@example.com`);
    const prompts = answer({ inputs: [emails.join(' ')], picks: [pickOne('Member'), pickMany(), pickOne('Cancel')] });
    await vscode.commands.executeCommand('workspaceAccess.member.invite', root);
    const labels = (prompts.picks[2].items ?? []).map((i) => i.label);
    assert.equal(CONFIRM_ROWS, 50);
    assert.equal(labels.indexOf(`Will be sent (${CONFIRM_ROWS + 2})`), 2);
    assert.deepEqual(labels.slice(3), [...emails.slice(0, CONFIRM_ROWS), '…and 2 more (in the preview document)']);
    assert.ok(!el().invites.has('many.0@example.com'), 'Cancel sent nothing');
  });

  it('revokes invitations by email, reporting one that was not pending', async () => {
    const prompts = answer({ inputs: ['a1@example.com nobody@example.com'] });
    const outcomes = await vscode.commands.executeCommand<Outcome<string>[]>(
      'workspaceAccess.member.revokeInvite',
      root,
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done', 'failed'],
    );
    assert.ok(!el().invites.has('a1@example.com'));
    assert.match(
      prompts.warnings[0].message,
      /1 done, 1 failed.*nobody@example\.com: ElevenLabs: No pending invitation for nobody@example\.com\. \(404/,
    );
  });

  it('adds selected members to a group and removes them again', async () => {
    const members = await api.tree.getChildren(await walk(api, root, 'Members'));
    const research = el().groups[3];
    const outsiders = members.filter((m) => !research.members.includes(emailOf(m))).slice(0, 2);
    answer({ picks: [pickOne('Research')] });
    await vscode.commands.executeCommand('workspaceAccess.group.addMember', outsiders[0], outsiders);
    const emails = outsiders.map(emailOf);
    assert.ok(emails.every((e) => research.members.includes(e)));
    restoreAll();
    const inGroup = (await api.tree.getChildren(await walk(api, root, 'Groups', 'Research'))).filter((n) =>
      emails.includes(emailOf(n)),
    );
    assert.equal(inGroup.length, 2);
    const prompts = answer({ confirm: 'Remove' });
    await vscode.commands.executeCommand('workspaceAccess.group.removeMember', inGroup[0], inGroup);
    assert.match(prompts.warnings[0].message, /\(Research\)/);
    assert.ok(emails.every((e) => !research.members.includes(e)));
  });

  it('shares a resource: current roles shown, several principals, one role', async () => {
    const node = await voiceForAlan();
    const r = el().resources.find((x) => node.id.endsWith(`/${x.id}`))!;
    let shownItems: readonly vscode.QuickPickItem[] = [];
    answer({
      picks: [
        (items) => ((shownItems = items), pickMany('Alan <alan.lovelace@example.com>', 'Research', 'CI Bot')(items)),
        pickOne('editor'),
      ],
    });
    await vscode.commands.executeCommand('workspaceAccess.resource.share', node);
    const creator = shownItems.find((i) => i.description?.includes('fixed'));
    assert.ok(creator, 'the creator shows as now: admin (fixed)');
    assert.equal(creator.description, 'member · now: admin (fixed)', 'what the entry is, then its current role');
    assert.ok(['usr_000002', el().groups[3].id, 'sa_000000'].every((id) => r.roles.editor.includes(id)));
    const shares = emulator.requests
      .filter((x) => x.path === `/v1/workspace/resources/${r.id}/share`)
      .map((x) => x.body);
    assert.deepEqual(
      shares.find((b) => (b as { workspace_api_key_id?: string }).workspace_api_key_id),
      { workspace_api_key_id: 'key_000000', role: 'editor', resource_type: 'voice' },
    );
  });

  it('warns before a share would replace a higher role, and sends nothing when declined', async () => {
    const node = await voiceForAlan();
    const before = emulator.requests.length;
    const prompts = answer({ picks: [pickMany('Research'), pickOne('viewer')], confirm: undefined });
    await vscode.commands.executeCommand('workspaceAccess.resource.share', node);
    assert.match(prompts.warnings[0].message, /Lower the role of Research \(editor → viewer\)\?/);
    assert.equal(emulator.requests.slice(before).filter((r) => r.path.endsWith('/share')).length, 0);
  });

  it("changes a grant's role and removes access after a confirmation", async () => {
    const voice = await voiceForAlan();
    const r = el().resources.find((x) => voice.id.endsWith(`/${x.id}`))!;
    let grants = await api.tree.getChildren(voice);
    const alan = grants.find((g) => label(g).startsWith('Alan'))!;
    const declined = answer({ picks: [pickOne('commenter')], confirm: undefined });
    await vscode.commands.executeCommand('workspaceAccess.grant.changeRole', alan);
    assert.match(
      declined.warnings[0].message,
      /Lower the role of Alan <alan\.lovelace@example\.com> \(editor → commenter\)\?/,
    );
    assert.ok(r.roles.editor.includes('usr_000002'), 'declined: unchanged');
    restoreAll();
    answer({ picks: [pickOne('commenter')], confirm: 'Replace Role' });
    await vscode.commands.executeCommand('workspaceAccess.grant.changeRole', alan);
    assert.ok(r.roles.commenter.includes('usr_000002') && !r.roles.editor.includes('usr_000002'));
    restoreAll();
    grants = await api.tree.getChildren(voice);
    const again = grants.find((g) => label(g).startsWith('Alan'))!;
    assert.equal(item(again).description, 'commenter');
    const prompts = answer({ confirm: 'Remove Access' });
    await vscode.commands.executeCommand('workspaceAccess.grant.remove', again);
    assert.match(
      prompts.warnings[0].message,
      /^Remove access: Alan <alan\.lovelace@example\.com> loses commenter on ".*"\?$/,
    );
    assert.ok(!(prompts.warnings[0].detail ?? '').includes('loses'), 'the detail does not say the question again');
    assert.ok(!Object.values(r.roles).flat().includes('usr_000002'));
  });

  it('shares by dragging members and groups onto a resource', async () => {
    const members = await api.tree.getChildren(await walk(api, root, 'Members'));
    const groups = await api.tree.getChildren(await walk(api, root, 'Groups'));
    const agents = await api.tree.getChildren(await walk(api, root, 'Resources', 'Agents'));
    const r = el().resources.find((x) => agents[0].id.endsWith(`/${x.id}`))!;
    const data = new vscode.DataTransfer();
    api.dragAndDrop.handleDrag([members[3], groups[4]], data);
    answer({ picks: [pickOne('viewer')] });
    await api.dragAndDrop.handleDrop(agents[0], data);
    assert.ok(r.roles.viewer.includes(el().members[3].user_id) && r.roles.viewer.includes(el().groups[4].id));
  });

  it('refuses a share that would pass the 100-principal cap, before sending anything', async () => {
    const voices = await api.tree.getChildren(await walk(api, root, 'Resources', 'Voices'));
    const r = el().resources.find((x) => voices[2].id.endsWith(`/${x.id}`))!;
    for (let i = 0; Object.values(r.roles).flat().length < 100; i++) r.roles.viewer.push(`usr_fake_${i}`);
    const before = emulator.requests.length;
    const prompts = answer({ picks: [pickMany('Dennis <dennis.lovelace@example.com>'), pickOne('viewer')] });
    await vscode.commands.executeCommand('workspaceAccess.resource.share', voices[2]);
    assert.match(prompts.errors[0], /is shared with 100 principals; adding 1 would pass the limit of 100/);
    assert.equal(emulator.requests.slice(before).filter((x) => x.path.endsWith('/share')).length, 0);
  });

  it('copies ids of the selection', async () => {
    const groups = await api.tree.getChildren(await walk(api, root, 'Groups'));
    const ids = await vscode.commands.executeCommand('workspaceAccess.item.copyId', groups[1], [groups[1], groups[2]]);
    assert.deepEqual(ids, [el().groups[1].id, el().groups[2].id]);
    assert.equal(await vscode.env.clipboard.readText(), `${el().groups[1].id}\n${el().groups[2].id}`);
  });

  it('reports 403 for a member seat per item, and shows 403 branches in the tree', async () => {
    const seat = await connect(api, emulator, 'elevenlabs', 'As Alan', emulator.platform('elevenlabs').keys.member);
    const [message] = await api.tree.getChildren(await walk(api, seat.root, 'Service accounts'));
    assert.match(label(message), /^ElevenLabs: Only workspace admins can list service accounts\. \(403/);
    const members = await api.tree.getChildren(await walk(api, seat.root, 'Members'));
    assert.equal(
      item(members[3]).contextValue,
      'copyable;member;principal;resourceSharer',
      'a member seat is offered no admin actions',
    );
    const groups = await api.tree.getChildren(await walk(api, seat.root, 'Groups'));
    assert.equal(item(groups[1]).contextValue, 'copyable;group;principal;resourceSharer');
    // Run anyway (as from a stale menu): each item reports the platform's refusal.
    const prompts = answer({ confirm: 'Lock' });
    const outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>(
      'workspaceAccess.member.lock',
      members[3],
    );
    assert.equal(outcomes[0].status, 'failed');
    assert.match(prompts.warnings[1].message, /0 done, 1 failed.*Only workspace admins can update members/);
    await api.store.remove(seat.id);
  });

  it('shows a 422 detail list and a 401 with its way out', async () => {
    // The fault goes to the next request: the seat update, sent right after this pick.
    const prompts = answer({
      picks: [pickMany('Edsger'), (items) => (emulator.queueFaults('422'), pickOne('Lite member')(items))],
    });
    await vscode.commands.executeCommand('workspaceAccess.member.changeSeat');
    assert.match(
      prompts.warnings[0].message,
      /Input should be a valid value \(injected\) \(422 the request was not valid\)/,
    );
    restoreAll();
    await api.store.setKey(connectionId, 'revoked-key-abcdef');
    const denied = answer({ picks: [pickMany('Edsger')], confirm: 'Lock' });
    await vscode.commands.executeCommand('workspaceAccess.member.lock');
    assert.match(
      denied.errors[0],
      /^ElevenLabs: Invalid API key\. \(401 the API key was not accepted\)\. Update the API key/,
    );
    await api.store.setKey(connectionId, emulator.platform('elevenlabs').keys.admin);
  });

  it('retries a 429 and reports one that persists', async () => {
    const groups = await api.tree.getChildren(await walk(api, root, 'Groups'));
    const members = await api.tree.getChildren(groups[2]);
    emulator.setFaults({ retryAfterSec: 0 });
    emulator.queueFaults('429');
    answer({ confirm: 'Remove' });
    let outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>(
      'workspaceAccess.group.removeMember',
      members[0],
    );
    assert.equal(outcomes[0].status, 'done', 'one 429 is retried after Retry-After');
    restoreAll();
    const rest = await api.tree.getChildren(await walk(api, root, 'Groups', label(groups[2])));
    emulator.queueFaults(...Array.from({ length: 13 }, () => '429' as const));
    const prompts = answer({ confirm: 'Remove' });
    outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>('workspaceAccess.group.removeMember', rest[0]);
    assert.equal(outcomes[0].status, 'failed');
    assert.match(prompts.warnings[1].message, /still rate limited after 12 tries: .*429/i);
  });
});
