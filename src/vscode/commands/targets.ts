import * as vscode from 'vscode';
import type { Principal } from '../../core/model';
import type { Provider } from '../../core/provider';
import type { ConnectionStore } from '../connectionStore';
import type { JobRunner } from '../jobs/jobRunner';
import type { Log } from '../outputLog';
import type { Reports } from '../jobs/reports';
import { pickConnections } from '../prompts';
import type { Sessions } from '../sessions';
import type { NodeContext } from '../tree/context';
import { ConnectionNode, FilterNode } from '../tree/connectionNode';
import type { TreeNode } from '../tree/node';
import type { ConnectionsTree } from '../tree/connectionsTree';

export interface CommandDeps {
  readonly store: ConnectionStore;
  readonly sessions: Sessions;
  readonly log: Log;
  readonly tree: ConnectionsTree;
  readonly reports: Reports;
  readonly jobs: JobRunner;
}

type Ctor<N> = abstract new (...args: never[]) => N;

/** The nodes a command acts on: every selected node of the class, else the clicked one. */
export function nodesOf<N>(cls: Ctor<N>, node: unknown, selected: unknown): N[] {
  const list = Array.isArray(selected) && selected.length > 0 ? (selected as unknown[]) : node ? [node] : [];
  return list.filter((n): n is N => n instanceof cls);
}

/** The connections in the tree that can do a command. */
export async function eligibleRoots(
  deps: Pick<CommandDeps, 'tree'>,
  eligible: (root: ConnectionNode) => boolean,
): Promise<ConnectionNode[]> {
  return (await deps.tree.getChildren()).filter((n): n is ConnectionNode => n instanceof ConnectionNode && eligible(n));
}

/** Said when no connection's platform offers a command. */
export const noConnectionFor = (title: string): Error =>
  new Error(vscode.l10n.t('No connection can do this. "{0}" needs a platform that offers it.', title));

/**
 * The connection a command works on, the one way every command finds it: the clicked connection
 * (or the connection of a clicked filter row), else the only eligible one, else a pick among the
 * eligible. Undefined when none is eligible.
 */
export async function connectionRoot(
  deps: Pick<CommandDeps, 'store' | 'tree'>,
  node: unknown,
  eligible: (root: ConnectionNode) => boolean,
  title: string,
): Promise<ConnectionNode | undefined> {
  if (node instanceof ConnectionNode) return node;
  if (node instanceof FilterNode) return node.getParent();
  if (deps.store.list().length === 0) throw new Error(vscode.l10n.t('Add a connection first.'));
  const roots = await eligibleRoots(deps, eligible);
  if (roots.length <= 1) return roots[0];
  const [connection] = await pickConnections(
    roots.map((r) => r.connection),
    title,
    false,
  );
  return roots.find((r) => r.connection.id === connection.id);
}

/** The connection a command works on, with its provider; a clear error when no connection can do it. */
export async function connectionFor(
  deps: CommandDeps,
  node: unknown,
  capable: (p: Provider) => boolean,
  title: string,
): Promise<NodeContext> {
  const root = await connectionRoot(deps, node, (r) => capable(deps.sessions.provider(r.connection)), title);
  if (!root) throw noConnectionFor(title);
  return { connection: root.connection, provider: deps.sessions.provider(root.connection) };
}

/** Reloads the branch a change touched: the nearest ancestor with the given id suffix, or the connection. */
export function refreshAround(deps: CommandDeps, node: TreeNode | undefined, sectionKey?: string): void {
  let n = node;
  while (n && sectionKey && !n.id.endsWith(`/${sectionKey}`)) n = n.getParent();
  deps.tree.refresh(n ?? (node ? rootOf(node) : undefined));
}

export function rootOf(node: TreeNode): TreeNode {
  let n = node;
  for (let p = n.getParent(); p; p = n.getParent()) n = p;
  return n;
}

/** The principal a tree row stands for (a member, group or service account), if any. */
export function principalOf(node: unknown): Principal | undefined {
  return (node as Partial<TreeNode> | undefined)?.principal;
}
