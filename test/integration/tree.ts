import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { PlatformId } from '../../src/providers';
import type { TreeNode } from '../../src/vscode/tree/node';
import { Emulator } from '../emulator/server';
import { restoreAll } from './stubs';

export const EXTENSION_ID = 'workspace-access.workspace-access';

export async function extensionApi(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(ext, 'the extension is installed');
  const api = await ext.activate();
  assert.ok(api, 'activate() hands the test API to tests');
  return api;
}

/** Stores a connection to an emulated platform (the key, else its admin key) and finds its root in the tree. */
export async function connect(
  api: TestApi,
  emulator: Emulator,
  platform: PlatformId,
  name: string,
  key = emulator.platform(platform).keys.admin,
  tenantId?: string,
): Promise<{ id: string; root: TreeNode }> {
  const c = await api.store.add(
    { platform, label: name, baseUrl: emulator.baseUrl(platform), ...(tenantId ? { tenantId } : {}) },
    key,
  );
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
export const emailOf = (node: TreeNode): string =>
  (node as unknown as { member?: { email?: string } }).member?.email ?? '';

/** A connection a suite starts with: a platform of the emulator, a name, and the key (else the admin's). */
export interface ConnectionSpec {
  readonly platform: PlatformId;
  readonly name: string;
  readonly key?: string;
}

/** What a suite's setup made: its emulator, the extension's API, and its connections in order. */
export interface Sandbox {
  readonly emulator: Emulator;
  readonly api: TestApi;
  readonly connections: readonly { readonly id: string; readonly root: TreeNode }[];
}

/**
 * The setup every per-platform suite shares, called inside its `describe`: before the suite, a fresh
 * emulator, the extension's API and the given connections (handed to `ready`); after each test, the
 * stubs restored; after the suite, every connection removed and the emulator closed.
 */
export function useSandbox(connections: readonly ConnectionSpec[], ready: (sandbox: Sandbox) => void): void {
  let emulator: Emulator | undefined;
  let api: TestApi | undefined;
  before(async () => {
    emulator = await Emulator.start();
    api = await extensionApi();
    const made: { id: string; root: TreeNode }[] = [];
    for (const c of connections)
      made.push(
        await connect(
          api,
          emulator,
          c.platform,
          c.name,
          c.key ?? emulator.platform(c.platform).keys.admin,
          c.platform === 'gitbook' ? emulator.state('gitbook').org.id : undefined,
        ),
      );
    ready({ emulator, api, connections: made });
  });
  afterEach(() => restoreAll());
  after(async () => {
    if (api) for (const c of api.store.list()) await api.store.remove(c.id);
    await emulator?.close();
  });
}
