// The Get Started walkthrough: declared with five steps whose media ship, opened once on the first
// run, and each step completed by doing it (a connection expanded, an invitation job, an access file).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { Walkthrough, WALKTHROUGH_SHOWN_KEY } from '../../src/vscode/walkthrough';
import { answer, pickMany, pickOne, restoreAll } from './stubs';
import { useSandbox } from './tree';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string };
  completionEvents: string[];
}

/** Waits until `ok` holds (each check after the extension host has handled what came before). */
async function until(ok: () => boolean, what: string | (() => string)): Promise<void> {
  for (let i = 0; i < 600 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(ok(), typeof what === 'string' ? what : what());
}

describe('Get Started walkthrough', function () {
  this.timeout(60_000);
  let api: TestApi;
  let root: import('../../src/vscode/tree/node').TreeNode;
  useSandbox([{ platform: 'elevenlabs', name: 'Walk EL' }], (s) => {
    api = s.api;
    root = s.connections[0].root;
  });

  it('declares five steps (connect, explore, invite, find, export), each with its media and a key the extension sets', () => {
    const manifest = api.context.extension.packageJSON as {
      contributes: { walkthroughs: { id: string; steps: Step[] }[] };
    };
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.id, 'getStarted');
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['connect', 'explore', 'invite', 'find', 'export'],
    );
    const keys = walkthrough.steps.map((s) => s.completionEvents.join(' '));
    assert.deepEqual(keys, [
      'onContext:workspaceAccess.hasConnections',
      'onContext:workspaceAccess.walkthrough.explored',
      'onContext:workspaceAccess.walkthrough.invited',
      'onContext:workspaceAccess.hasPeople',
      'onContext:workspaceAccess.walkthrough.exported',
    ]);
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? '';
      assert.ok(existsSync(join(api.context.extensionPath, media)), `${step.id}: ${media} exists`);
      // Titles and descriptions come from package.nls.json: none is left as a %key%.
      assert.ok(!/%walkthrough\./.test(step.title + step.description), `${step.id} is localized`);
      assert.match(step.description, /\(command:workspaceAccess\.[\w.]+\)/, `${step.id} has a button`);
    }
  });

  it('opens on the first run only, and not when the user turned walkthroughs off', async () => {
    const state = api.context.globalState;
    await state.update(WALKTHROUGH_SHOWN_KEY, undefined);
    const config = vscode.workspace.getConfiguration('workbench.welcomePage');
    await config.update('walkthroughs.openOnInstall', false, vscode.ConfigurationTarget.Global);
    try {
      const none = new Walkthrough(api.context, () => Promise.reject(new Error('opened while turned off')));
      assert.equal(await none.openOnFirstRun(), false, 'turned off: not opened');
      assert.equal(state.get(WALKTHROUGH_SHOWN_KEY), true, 'and not offered again later');
    } finally {
      await config.update('walkthroughs.openOnInstall', undefined, vscode.ConfigurationTarget.Global);
    }
    await state.update(WALKTHROUGH_SHOWN_KEY, undefined);
    // VS Code's own command opens it (the workbench tier sees it on screen); here, which one is asked for.
    const opened: string[] = [];
    const first = new Walkthrough(api.context, (id) => Promise.resolve(opened.push(id)));
    assert.equal(await first.openOnFirstRun(), true);
    assert.deepEqual(opened, ['workspace-access.workspace-access#getStarted']);
    assert.equal(await first.openOnFirstRun(), false, 'the second run opens nothing');
    assert.equal(await new Walkthrough(api.context, (id) => Promise.resolve(opened.push(id))).openOnFirstRun(), false);
    assert.equal(opened.length, 1, 'nor does a later window');
  });

  it('completes "explore" on an expanded connection, "invite" on an invitation job, "export" on an access file', async () => {
    // A walkthrough of its own: earlier suites have expanded rows, invited and exported in this window.
    const walkthrough = new Walkthrough(api.context);
    walkthrough.watch(() => api.view, api.jobs);
    const done = () => walkthrough.completed();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the suite runs in a folder');
    const dir = join(folder, 'walkthrough-test');
    try {
      assert.deepEqual([...done()], []);
      await api.view.reveal(root, { expand: true });
      await until(() => done().has('explored'), 'expanding a connection completes "explore"');
      assert.ok(!done().has('invited'));

      answer({ inputs: ['walk.one@example.com'], picks: [pickOne('Member'), pickMany(), pickOne('Invite 1')] });
      await vscode.commands.executeCommand('workspaceAccess.member.invite', root);
      restoreAll();
      await until(() => done().has('invited'), 'an invitation job completes "invite"');
      assert.ok(!done().has('exported'));

      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'team.workspace-access.yaml'), 'version: 1\n');
      // Export opens the file it wrote; a file written by hand is seen by the file watcher.
      await vscode.workspace.openTextDocument(join(dir, 'team.workspace-access.yaml'));
      await until(() => done().has('exported'), 'an access file in the workspace completes "export"');

      // A window that opens on a workspace with an access file completes "export" at once.
      const later = new Walkthrough(api.context);
      await later.scan();
      assert.deepEqual([...later.completed()], ['exported']);
      later.dispose();
    } finally {
      walkthrough.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
