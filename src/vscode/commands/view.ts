import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections';
import type { Log } from '../log';
import { pickConnections, UserCancelled } from '../prompts';
import { ConnectionNode, FilterNode } from '../tree/connection';
import type { Sessions } from '../sessions';
import type { AccessTree } from '../tree/provider';
import type { TreeNode } from '../tree/node';
import type { Handler } from './register';
import { rootOf } from './targets';

/** The connection root a command works on: the clicked one, the only one, or a pick. */
async function rootFor(tree: AccessTree, store: ConnectionStore, node: unknown, title: string): Promise<ConnectionNode> {
  if (node instanceof ConnectionNode) return node;
  const list = store.list();
  if (list.length === 0) throw new Error(vscode.l10n.t('Add a connection first.'));
  const [connection] = list.length === 1 ? list : await pickConnections(list, title, false);
  await tree.getChildren();
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
      const text = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter {0}', root.connection.label), prompt: vscode.l10n.t('Members, groups and resources whose name or email contains this text. Empty shows everything.'), value: root.filter ?? '', ignoreFocusOut: true });
      if (text === undefined) throw new UserCancelled();
      root.filter = text.trim() || undefined;
      tree.refresh(root);
      return root.filter;
    },
    /** From a connection or its filter row; from the palette, it offers only the filtered connections. */
    'workspaceAccess.connection.clearFilter': async (node?: unknown) => {
      let root: ConnectionNode | undefined = node instanceof ConnectionNode ? node : node instanceof FilterNode ? node.getParent() : undefined;
      if (!root) {
        await tree.getChildren();
        const filtered = store.list().filter((c) => tree.root(c.id)?.filter);
        if (filtered.length === 0) {
          void vscode.window.showInformationMessage(vscode.l10n.t('No connection is filtered.'));
          return;
        }
        const [connection] = filtered.length === 1 ? filtered : await pickConnections(filtered, vscode.l10n.t('Clear Filter'), false);
        root = tree.root(connection.id);
      }
      if (!root) return;
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
