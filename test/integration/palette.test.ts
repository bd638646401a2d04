// The palette reaches every action: a command that works on a tree node, run with no node, walks the
// same tree in quick picks (connection, section, branch, targets) and then does what a click does.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Outcome } from '../../src/core/jobs/bulkTask';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import type { TestApi } from '../../src/extension';
import { answer, pickBack, pickMany, pickOne, restoreAll, stub } from './stubs';
import { EXTENSION_ID, label, useSandbox } from './tree';

let emulator: Emulator;
let api: TestApi;

const { el, gb, ca } = emulatorState(() => emulator);

/** Commands that only make sense on a tree row: hidden from the palette. */
/** Commands that need what only a row or a quick fix carries (a tree row; a diagnostic's live value). */
const NODE_ONLY = [
  'workspaceAccess.access.acceptLive',
  'workspaceAccess.item.copyId',
  'workspaceAccess.loadMore',
  // Run by a review's CodeLens with the item it decides (the palette's way is typing the decision).
  'workspaceAccess.review.decide',
];

/** Whether a menu's when-clause holds for a row: the `view` and `viewItem` terms the manifest uses, joined by &&. */
function whenHolds(when: string, view: string, contextValue: string): boolean {
  return when.split('&&').every((term) => {
    const t = term.trim();
    const m = /^(view|viewItem) (==|=~) (.+)$/.exec(t);
    if (!m) throw new Error(`a when-clause term this test cannot read: ${t}`);
    const value = m[1] === 'view' ? view : contextValue;
    if (m[2] === '==') return value === m[3];
    const re = /^\/(.*)\/$/.exec(m[3]);
    if (!re) throw new Error(`not a regular expression: ${m[3]}`);
    return new RegExp(re[1]).test(value);
  });
}

describe('The palette reaches every action', function () {
  this.timeout(60_000);

  useSandbox(
    [
      { platform: 'elevenlabs', name: 'Palette Voices' },
      { platform: 'gitbook', name: 'Palette Docs' },
      { platform: 'confident', name: 'Palette Evals' },
    ],
    (s) => ({ emulator, api } = s),
  );

  it('hides only the commands that need a tree row (or a quick fix, or a review CodeLens)', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[]; menus: { commandPalette: { command: string; when: string }[] } };
    };
    const hidden = pkg.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command);
    assert.deepEqual(hidden.sort(), NODE_ONLY);
  });

  it('every tree command runs from the palette: it asks its first question (Escape sends nothing)', async () => {
    const treeCommands = [
      'grant.changeRole',
      'grant.remove',
      'resource.effectiveAccess',
      'item.openInBrowser',
      'principal.shareResources',
      'principal.unshareResources',
      'group.removeMember',
      'group.rename',
      'group.delete',
      'group.setRole',
      'inviteLink.edit',
      'inviteLink.delete',
      'project.changeRole',
      'project.removeMember',
    ];
    const writes = () => emulator.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    for (const id of treeCommands) {
      const prompts = answer({ picks: [() => undefined] });
      await vscode.commands.executeCommand(`workspaceAccess.${id}`);
      assert.deepEqual(prompts.errors, [], id);
      assert.equal(prompts.picks.length, 1, `${id} asked a question`);
      assert.ok((prompts.picks[0].items ?? []).length >= 1, `${id} offered something to pick`);
      restoreAll();
    }
    assert.equal(writes(), before, 'nothing sent');
  });

  it('offers only the connections that can do the command', async () => {
    const prompts = answer({ picks: [() => undefined] });
    await vscode.commands.executeCommand('workspaceAccess.inviteLink.delete');
    // Only GitBook has invite links: one connection, so the walk opens it and asks for the link.
    assert.equal(prompts.picks[0].title, 'Delete Invite Link: Invite links');
    restoreAll();
    const teams = answer({ picks: [() => undefined] });
    await vscode.commands.executeCommand('workspaceAccess.group.removeMember');
    assert.deepEqual((teams.picks[0].items ?? []).map((i) => i.label).sort(), ['Palette Docs', 'Palette Voices']);
  });

  it("a connection row's menu offers only what its platform can do: each command offered asks its first question, none fails", async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const offered = (view: string, contextValue: string) =>
      pkg.contributes.menus['view/item/context']
        .filter((m) => whenHolds(m.when ?? '', view, contextValue))
        .map((m) => m.command);
    const roots = await api.tree.getChildren();
    const byName = new Map(roots.map((r) => [label(r), r]));
    const menus = new Map<string, string[]>();
    for (const [name, root] of byName) {
      const commands = [...new Set(offered('workspaceAccess.connections', root.getTreeItem().contextValue ?? ''))];
      menus.set(name, commands);
      for (const command of commands) {
        const prompts = answer({ picks: [() => undefined], inputs: [undefined] });
        stub('showOpenDialog', () => Promise.resolve(undefined));
        await vscode.commands.executeCommand(command, root);
        assert.deepEqual(prompts.errors, [], `${command} on ${name}`);
        restoreAll();
      }
    }
    const revoke = 'workspaceAccess.member.revokeInvite';
    assert.ok(menus.get('Palette Voices')?.includes(revoke), 'ElevenLabs revokes by email');
    assert.ok(!menus.get('Palette Docs')?.includes(revoke), 'not on GitBook');
    assert.ok(!menus.get('Palette Evals')?.includes(revoke), 'not on Confident AI (it lists invitations)');
    assert.ok(menus.get('Palette Evals')?.includes('workspaceAccess.member.invite'));
    // From the palette, only a connection that can: ElevenLabs, the only one, so no question about which.
    const prompts = answer({ inputs: [undefined] });
    await vscode.commands.executeCommand(revoke);
    assert.deepEqual(prompts.errors, []);
    assert.match(prompts.inputs[0]?.prompt ?? '', /Palette Voices cannot list invitations/);
  });

  it('Remove Access: a resource type, a resource, then several of its grants', async () => {
    const voice = el().resources.find(
      (r) =>
        r.type === 'voice' &&
        Object.entries(r.roles).filter(([role, ids]) => role !== 'admin' && ids.length > 0).length >= 1,
    )!;
    const holders = Object.entries(voice.roles)
      .filter(([role]) => role !== 'admin')
      .flatMap(([, ids]) => ids);
    const prompts = answer({
      picks: [
        pickOne('Palette Voices'),
        pickOne('Voices'),
        pickOne(voice.name),
        (items) => items.filter((i) => !/^Everyone|^Anyone/.test(i.label)).slice(0, 2),
      ],
      confirm: 'Remove Access',
    });
    const outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>('workspaceAccess.grant.remove');
    assert.ok(outcomes?.length, `removed (errors: ${prompts.errors.join(' | ')})`);
    assert.ok(
      outcomes.every((o) => o.status === 'done'),
      JSON.stringify(outcomes),
    );
    assert.equal(prompts.picks[3].title, `Remove Access: ${voice.name}`);
    const left = Object.entries(voice.roles)
      .filter(([role]) => role !== 'admin')
      .flatMap(([, ids]) => ids);
    assert.equal(left.length, holders.length - outcomes.length);
  });

  it('Remove from Group: a team, then its members', async () => {
    const team = gb().teams.find((t) => t.members.size >= 2)!;
    const [first] = [...team.members.keys()];
    const name = gb().members.find((m) => m.user.id === first)!.user.displayName;
    const prompts = answer({
      picks: [pickOne('Palette Docs'), pickOne(team.title), pickMany(name)],
      confirm: 'Remove',
    });
    const outcomes = await vscode.commands.executeCommand<Outcome<unknown>[]>('workspaceAccess.group.removeMember');
    assert.deepEqual(
      outcomes?.map((o) => o.status),
      ['done'],
      prompts.errors.join(' | '),
    );
    assert.ok(!team.members.has(first));
  });

  it('Back goes one level up: a wrong team, Back, then the right one', async () => {
    const [wrong, right] = gb().teams.filter((t) => t.members.size > 0);
    const [first] = [...right.members.keys()];
    const name = gb().members.find((m) => m.user.id === first)!.user.displayName;
    const prompts = answer({
      picks: [pickOne('Palette Docs'), pickOne(wrong.title), pickBack, pickOne(right.title), pickMany(name)],
      confirm: undefined,
    });
    await vscode.commands.executeCommand('workspaceAccess.group.removeMember');
    assert.deepEqual(
      prompts.picks.map((p) => p.title),
      [
        'Remove from Group',
        'Remove from Group: Teams',
        `Remove from Group: ${wrong.title}`,
        'Remove from Group: Teams',
        `Remove from Group: ${right.title}`,
      ],
    );
    assert.match(prompts.warnings[0]?.message ?? '', new RegExp(`${name} \\(${right.title}\\)`));
    assert.ok(right.members.has(first), 'declined: nothing removed');
  });

  it('Change Project Role: a project, then a member, with the current role focused', async () => {
    // Only Confident AI has projects: the walk opens its one connection and its Projects at once.
    const project = ca().projects.find((p) => [...p.members.values()].some((r) => r !== ca().projectRoles.owner.id))!;
    const [id] = [...project.members.entries()].find(([, r]) => r !== ca().projectRoles.owner.id)!;
    const member = ca().users.find((u) => u.id === id)!;
    const prompts = answer({ picks: [pickOne(project.name), pickMany(member.name), () => undefined] });
    await vscode.commands.executeCommand('workspaceAccess.project.changeRole');
    assert.equal(prompts.picks[0].title, 'Change Project Role: Projects');
    const rolePick = prompts.picks[2];
    assert.equal(rolePick.active?.length, 1);
    assert.match(String(rolePick.items?.find((i) => i.label === rolePick.active?.[0])?.description), /current/);
  });

  it('Show Effective Access and Open in Browser walk to one resource, on the platforms that have them', async () => {
    const space = gb().content.find((c) => c.kind === 'space')!;
    const prompts = answer({ picks: [pickOne('Spaces'), pickOne(space.title), () => undefined] });
    const rows = await vscode.commands.executeCommand<unknown[]>('workspaceAccess.resource.effectiveAccess');
    assert.ok(rows && rows.length > 0, prompts.errors.join(' | '));
    restoreAll();
    // ElevenLabs resources have no page to open: only GitBook is offered, so the walk starts at its types.
    const open = answer({ picks: [() => undefined] });
    await vscode.commands.executeCommand('workspaceAccess.item.openInBrowser');
    assert.deepEqual(
      (open.picks[0].items ?? []).map((i) => i.label),
      ['Spaces', 'Collections', 'Sites'],
    );
  });
});
