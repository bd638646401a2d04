import * as vscode from 'vscode';
import type { ConnectionStore } from '../connectionStore';
import type { Log } from '../outputLog';
import { UserCancelled } from '../prompts';
import type { Sessions } from '../sessions';
import type { ConnectionsTree } from '../tree/connectionsTree';
import type { TreeNode } from '../tree/node';
import type { Handler } from './register';
import { connectionRoot, rootOf } from './targets';

export function viewCommands(
  tree: ConnectionsTree,
  sessions: Sessions,
  log: Log,
  store: ConnectionStore,
  onRefresh?: () => void,
): Record<string, Handler> {
  return {
    /**
     * Narrows a connection's members, groups and resources to the text: the platform's own search
     * where it has one (GitBook members, ElevenLabs groups), else each page as it loads. Empty clears.
     */
    'workspaceAccess.connection.filter': async (node?: unknown) => {
      const title = vscode.l10n.t('Filter…');
      const root = await connectionRoot({ store, tree }, node, () => true, title);
      if (!root) return undefined;
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Filter {0}', root.connection.label),
        prompt: vscode.l10n.t(
          'Members, groups and resources whose name or email contains this text. Empty shows everything.',
        ),
        value: root.filter ?? '',
        ignoreFocusOut: true,
      });
      if (text === undefined) throw new UserCancelled();
      root.filter = text.trim() || undefined;
      tree.refresh(root);
      return root.filter;
    },
    /** From a connection or its filter row; from the palette, it offers only the filtered connections. */
    'workspaceAccess.connection.clearFilter': async (node?: unknown) => {
      const root = await connectionRoot({ store, tree }, node, (r) => !!r.filter, vscode.l10n.t('Clear Filter'));
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
      // A whole refresh also applies follow-ups whose person has become a member.
      if (!root) onRefresh?.();
    },
    'workspaceAccess.log.show': () => log.channel.show(true),
  };
}
