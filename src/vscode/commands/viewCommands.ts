import * as vscode from 'vscode';
import type { ConnectionStore } from '../connectionStore';
import type { Log } from '../outputLog';
import { pickConnections, UserCancelled } from '../prompts';
import { ConnectionNode, FilterNode } from '../tree/connectionNode';
import type { Sessions } from '../sessions';
import type { AccessTree } from '../tree/accessTree';
import type { TreeNode } from '../tree/node';
import type { Handler } from './register';
import { rootOf } from './targets';

/**
 * The connection root a command works on: the clicked one (or the connection of a clicked filter
 * row), the only one, or a pick among those `eligible` offers. Undefined when none is eligible.
 */
async function rootFor(tree: AccessTree, store: ConnectionStore, node: unknown, title: string, eligible: (root: ConnectionNode | undefined) => boolean = () => true): Promise<ConnectionNode | undefined> {
  if (node instanceof ConnectionNode) return node;
  if (node instanceof FilterNode) return node.getParent();
  if (store.list().length === 0) throw new Error(vscode.l10n.t('Add a connection first.'));
  await tree.getChildren();
  const list = store.list().filter((c) => eligible(tree.root(c.id)));
  if (list.length === 0) return undefined;
  const [connection] = list.length === 1 ? list : await pickConnections(list, title, false);
  const root = tree.root(connection.id);
  if (!root) throw new Error(vscode.l10n.t('The connection {0} is not in the tree.', connection.label));
  return root;
}

export function viewCommands(tree: AccessTree, sessions: Sessions, log: Log, store: ConnectionStore): Record<string, Handler> {
  return {
    /**
     * Narrows a connection's members, groups and resources to the text: the platform's own search
     * where it has one (GitBook members, ElevenLabs groups), else each page as it loads. Empty clears.
     */
    'workspaceAccess.connection.filter': async (node?: unknown) => {
      const title = vscode.l10n.t('Filter…');
      const root = await rootFor(tree, store, node, title);
      if (!root) return undefined;
      const text = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter {0}', root.connection.label), prompt: vscode.l10n.t('Members, groups and resources whose name or email contains this text. Empty shows everything.'), value: root.filter ?? '', ignoreFocusOut: true });
      if (text === undefined) throw new UserCancelled();
      root.filter = text.trim() || undefined;
      tree.refresh(root);
      return root.filter;
    },
    /** From a connection or its filter row; from the palette, it offers only the filtered connections. */
    'workspaceAccess.connection.clearFilter': async (node?: unknown) => {
      const root = await rootFor(tree, store, node, vscode.l10n.t('Clear Filter'), (r) => !!r?.filter);
      if (!root) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No connection is filtered.'));
        return;
      }
      root.filter = undefined;
      tree.refresh(root);
    },
    /** From the title bar: clear every cache and reload. On a node (Retry): reload that branch. */
    'workspaceAccess.refresh': (node?: unknown) => {
      const target = node && typeof (node as TreeNode).getChildren === 'function' ? (node as TreeNode) : undefined;
      const root = target ? rootOf(target) : undefined;
      const connectionId = root?.id.startsWith('conn/') ? root.id.slice('conn/'.length) : undefined;
      sessions.invalidate(connectionId);
      tree.refresh(root);
    },
    'workspaceAccess.log.show': () => log.channel.show(true),
  };
}
