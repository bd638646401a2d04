import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { PlatformId } from '../../src/providers';
import type { TreeNode } from '../../src/vscode/tree/node';
import type { Emulator } from '../emulator/server';

export const EXTENSION_ID = 'workspace-access.workspace-access';

export async function extensionApi(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(ext, 'the extension is installed');
  const api = await ext.activate();
  assert.ok(api, 'activate() hands the test API to tests');
  return api;
}

/** Stores a connection to an emulated platform (the key, else its admin key) and finds its root in the tree. */
export async function connect(api: TestApi, emulator: Emulator, platform: PlatformId, name: string, key = emulator.platform(platform).keys.admin): Promise<{ id: string; root: TreeNode }> {
  const c = await api.store.add({ platform, label: name, baseUrl: emulator.baseUrl(platform) }, key);
  const root = (await api.tree.getChildren()).find((n) => n.id === `conn/${c.id}`);
  assert.ok(root, `the connection ${name} is a root of the tree`);
  return { id: c.id, root };
}

export const item = (node: TreeNode) => node.getTreeItem();

export const label = (node: TreeNode): string => {
  const l = item(node).label;
  return typeof l === 'object' ? l.label : (l ?? '');
};

/** Runs a tree item's own command, as a click would. */
export async function click(node: TreeNode): Promise<unknown> {
  const command = item(node).command;
  assert.ok(command, `${label(node)} has a command`);
  return vscode.commands.executeCommand(command.command, ...((command.arguments ?? []) as unknown[]));
}

/** Follows labels down from a node through the registered tree provider. */
export async function walk(api: TestApi, from: TreeNode, ...labels: string[]): Promise<TreeNode> {
  let node = from;
  for (const wanted of labels) {
    const children = await api.tree.getChildren(node);
    const next = children.find((c) => label(c) === wanted);
    assert.ok(next, `"${wanted}" under "${label(node)}"; found: ${children.map(label).join(', ')}`);
    node = next;
  }
  return node;
}

/** The email of a member row (rows show the role first; the email is in the tooltip and the node). */
export const emailOf = (node: TreeNode): string => (node as unknown as { member?: { email?: string } }).member?.email ?? '';
