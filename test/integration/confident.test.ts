import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Outcome } from '../../src/core/jobs/bulkTask';
import type { TreeNode } from '../../src/vscode/tree/node';
import { loadContract } from '../contract/contract';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { answer, pickOne, restoreAll } from './stubs';
import { emailOf, item, label, useSandbox, walk } from './tree';

const contract = loadContract('confident');
let emulator: Emulator;
let api: TestApi;
let root: TreeNode;

const { ca } = emulatorState(() => emulator);
const memberNode = async (name: string) =>
  (await api.tree.getChildren(await walk(api, root, 'Members'))).find((n) => label(n) === name)!;

describe('Confident AI in the tree and the commands', function () {
  this.timeout(60_000);

  useSandbox(
    [{ platform: 'confident', name: 'Evals' }],
    (s) =>
      ({
        emulator,
        api,
        connections: [{ root }],
      } = s),
  );

  afterEach(() => {
    assert.deepEqual(contract.checkAll(emulator.requests.filter((r) => r.fault === 'none')), []);
  });

  it('shows members with roles, invitations, roles and projects', async () => {
    const children = await api.tree.getChildren(root);
    assert.deepEqual(children.map(label), ['Sandbox Evals', 'Members', 'Invitations', 'Roles', 'Projects']);
    const members = await api.tree.getChildren(children[1]);
    assert.equal(members.length, 12);
    assert.equal(item(members[0]).description, 'Owner', 'the role comes first');
    assert.match(
      String((item(members[0]).tooltip as vscode.MarkdownString).value),
      /ada\.lovelace@example\.com/,
      'the email is in the tooltip',
    );
    assert.equal(item(members[0]).contextValue, 'copyable;member;principal', 'the Owner cannot be re-roled or removed');
    assert.equal(item(members[2]).contextValue, 'copyable;member;principal;removable;roleChangeable');
    const invitations = await api.tree.getChildren(children[2]);
    assert.deepEqual(
      invitations.map((n) => `${label(n)}|${String(item(n).description)}|${String(item(n).contextValue)}`),
      [
        'pending.person@example.com|pending · default role|copyable;invitation;resendable;revocable',
        'said.no@example.com|declined · Member|copyable;invitation;revocable',
      ],
    );
    assert.deepEqual((await api.tree.getChildren(children[3])).map(label), [
      'Owner',
      'Admin',
      'Member',
      'Evaluator (custom)',
    ]);
    const [project] = await api.tree.getChildren(children[4]);
    const inside = await api.tree.getChildren(project);
    assert.deepEqual(
      inside.map((n) => String(item(n).description)),
      ['Owner', 'Member'],
    );
    assert.equal(item(project).contextValue, 'copyable;project;projectInvitable');
  });

  it('warns before giving Owner, which transfers ownership, and does it only when confirmed', async () => {
    const grace = await memberNode('Grace Lovelace');
    const email = emailOf(grace);
    const declined = answer({ picks: [pickOne('Owner')], inputs: [undefined] });
    await vscode.commands.executeCommand('workspaceAccess.member.changeRole', grace);
    assert.deepEqual(declined.picks[0].active, ['Admin'], 'the picker focuses her current role, not Owner');
    assert.match(
      declined.inputs[0].prompt ?? '',
      /transfers ownership of the organization: the current Owner becomes Admin/,
    );
    assert.ok(declined.inputs[0].validateInput?.(''), 'Enter on an empty box does not confirm');
    assert.ok(declined.inputs[0].validateInput?.('someone.else@example.com'), 'another email does not confirm');
    assert.equal(declined.warnings.length, 0, 'no Enter-able modal');
    assert.equal(ca().members.get('cau_000001'), ca().orgRoles.admin.id, 'declined: unchanged');
    restoreAll();
    const done = answer({ picks: [pickOne('Owner')], inputs: [email.toUpperCase()] });
    await vscode.commands.executeCommand('workspaceAccess.member.changeRole', grace);
    assert.equal(ca().members.get('cau_000001'), ca().orgRoles.owner.id);
    assert.equal(ca().members.get('cau_000000'), ca().orgRoles.admin.id, 'the old Owner is Admin now');
    const previous = ca().users.find((u) => u.id === 'cau_000000')!;
    assert.deepEqual(done.infos, [
      `Change Member Role: 1 done, 0 failed, 0 skipped, 0 unknown. ${email}: The previous Owner, ${previous.name}, is now Admin.`,
    ]);
  });

  it('warns that a removed member loses every project', async () => {
    const node = await memberNode('Alan Lovelace');
    assert.ok(ca().projects.some((p) => p.members.has('cau_000002')));
    const prompts = answer({ confirm: 'Remove' });
    await vscode.commands.executeCommand('workspaceAccess.member.remove', node);
    assert.match(prompts.warnings[0].detail ?? '', /removed from every project of the organization/);
    assert.ok(!ca().members.has('cau_000002'));
    assert.ok(!ca().projects.some((p) => p.members.has('cau_000002')));
  });

  it('warns invitees leave their other organization, offers no Owner, and names skipped emails', async () => {
    let roleItems: readonly vscode.QuickPickItem[] = [];
    const prompts = answer({
      inputs: ['new.one@example.com, new.two@example.com, ada.lovelace@example.com'],
      picks: [(items) => ((roleItems = items), pickOne('Member')(items)), pickOne('Invite 2')],
    });
    await vscode.commands.executeCommand('workspaceAccess.member.invite', root);
    assert.ok(!roleItems.some((i) => i.label === 'Owner'), 'Owner cannot be given by invitation');
    // The caution is never cut off: a short pointer on the Invite row, the whole text in rows of its own.
    const items = prompts.picks[1].items ?? [];
    assert.equal(items[0].label, 'Invite 2');
    assert.equal(items[0].description, '$(warning) read the caution below');
    assert.equal(items[0].detail, 'Not sent: 1 already a member (listed below).');
    const caution = items.slice(items.findIndex((i) => i.label === 'Caution') + 1);
    const rows = caution.slice(
      0,
      caution.findIndex((i) => i.kind === vscode.QuickPickItemKind.Separator),
    );
    assert.ok(rows.length >= 2 && rows.every((r) => r.label.length <= 84), rows.map((r) => r.label).join(' | '));
    assert.equal(
      rows.map((r) => r.label.replace('$(warning) ', '')).join(' '),
      'Someone who already belongs to another Confident AI organization is removed from all of its projects and organizations when they accept.',
    );
    assert.ok(ca().invitations.some((i) => i.email === 'new.one@example.com' && i.roleId === ca().orgRoles.member.id));
    assert.match(prompts.infos[0], /Invite Members: 2 done, 0 failed, 0 skipped/);
    assert.equal(
      emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/organization/invitations').length,
      1,
      'one call for both',
    );
  });

  it('resends a pending invitation and revokes several', async () => {
    const section = await walk(api, root, 'Invitations');
    let nodes = await api.tree.getChildren(section);
    const pending = nodes.find((n) => label(n) === 'pending.person@example.com')!;
    const resent = await vscode.commands.executeCommand<Outcome<unknown>[]>(
      'workspaceAccess.invitation.resend',
      pending,
    );
    assert.deepEqual(
      resent.map((o) => o.status),
      ['done'],
    );
    assert.ok(emulator.requests.some((r) => r.method === 'PUT' && r.path === '/v1/organization/invitations/1'));
    nodes = await api.tree.getChildren(section);
    const prompts = answer({ confirm: 'Revoke' });
    const revoked = await vscode.commands.executeCommand<Outcome<unknown>[]>(
      'workspaceAccess.invitation.revoke',
      nodes[0],
      nodes.slice(0, 2),
    );
    assert.deepEqual(
      revoked.map((o) => o.status),
      ['done', 'done'],
    );
    assert.match(
      prompts.warnings[0].message,
      /Revoke the invitation of pending\.person@example\.com, said\.no@example\.com\?/,
    );
    assert.ok(
      !ca().invitations.some((i) => i.email === 'pending.person@example.com' || i.email === 'said.no@example.com'),
    );
  });

  it('invites org members to a project, changes project roles (Owner warns) and removes a member', async () => {
    // Project 1: an earlier test removed Alan from the organization, and so from project 0.
    const [, project] = await api.tree.getChildren(await walk(api, root, 'Projects'));
    const p = ca().projects.find((x) => project.id.endsWith(`/${x.id}`))!;
    let roleItems: readonly vscode.QuickPickItem[] = [];
    answer({
      inputs: ['barbara.lovelace@example.com'],
      picks: [(items) => ((roleItems = items), pickOne('Member')(items))],
    });
    const result = await vscode.commands.executeCommand<{ invited: string[] }>(
      'workspaceAccess.project.invite',
      project,
    );
    assert.deepEqual(result.invited, ['barbara.lovelace@example.com']);
    assert.ok(!roleItems.some((i) => i.label === 'Owner'));
    restoreAll();
    let inside = await api.tree.getChildren(project);
    const invitation = inside.find((n) => label(n) === 'barbara.lovelace@example.com')!;
    assert.equal(item(invitation).contextValue, 'copyable;invitation;resendable;revocable');
    const [owner, member] = inside;
    const prompts = answer({ picks: [pickOne('Owner')], inputs: [emailOf(member)] });
    await vscode.commands.executeCommand('workspaceAccess.project.changeRole', member);
    assert.match(prompts.inputs[0].prompt ?? '', /the current Owner becomes Manager/);
    assert.match(
      prompts.infos[0] ?? '',
      new RegExp(`: 1 done, .*: The previous Owner, ${label(owner)}, is now Manager\\.$`),
      'the summary says what became of the previous Owner',
    );
    assert.equal([...p.members.values()].filter((r) => r === ca().projectRoles.owner.id).length, 1);
    restoreAll();
    inside = await api.tree.getChildren(project);
    const oldOwner = inside.find((n) => n.id === owner.id)!;
    assert.match(String(item(oldOwner).description), /Manager/);
    const removal = answer({ confirm: 'Remove' });
    await vscode.commands.executeCommand('workspaceAccess.project.removeMember', oldOwner);
    assert.match(removal.warnings[0].detail ?? '', /they stay in the organization/);
    assert.equal(p.members.size, 1);
    restoreAll();
    answer({ confirm: 'Revoke' });
    inside = await api.tree.getChildren(project);
    await vscode.commands.executeCommand(
      'workspaceAccess.invitation.revoke',
      inside.find((n) => label(n) === 'barbara.lovelace@example.com'),
    );
    assert.equal(p.invitations.length, 0);
  });

  it("shows the platform's own error text when a project invitation is refused", async () => {
    const [project] = await api.tree.getChildren(await walk(api, root, 'Projects'));
    const prompts = answer({ inputs: ['stranger@example.org'], picks: [pickOne('Member')] });
    await vscode.commands.executeCommand('workspaceAccess.project.invite', project);
    assert.equal(
      prompts.errors[0],
      'Confident AI: stranger@example.org is not a member of the organization; invite them to the organization first. (400 the request was refused).',
    );
  });
});
