import * as vscode from 'vscode';
import type { TreeNode } from '../tree/node';
import { LoadMoreNode } from '../tree/pagedNodes';
import { nodesOrPick, resourceRoute } from './navigate';
import type { Handler } from './register';
import type { CommandDeps } from './targets';

export function commonCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    'workspaceAccess.item.copyId': async (node?: unknown, selected?: unknown) => {
      const list = Array.isArray(selected) && selected.length ? selected : [node];
      const ids = list.flatMap((n) => (n as Partial<TreeNode> | undefined)?.serverId ?? []);
      if (ids.length === 0)
        throw new Error(vscode.l10n.t('Copy ID works on members, groups, service accounts, keys and resources.'));
      await vscode.env.clipboard.writeText(ids.join('\n'));
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', ids.join(', ')), 3_000);
      return ids;
    },

    'workspaceAccess.item.openInBrowser': async (clicked?: unknown) => {
      const route = resourceRoute(
        vscode.l10n.t('Open in Browser'),
        (p) => !!p.sharing,
        (n) => !!n.resource.webUrl,
        (t) => !!t.webPages,
      );
      const [node] = await nodesOrPick(deps, route, clicked, undefined);
      const url = node?.resource.webUrl;
      if (!url) throw new Error(vscode.l10n.t('This item has no page on the platform to open.'));
      const uri = vscode.Uri.parse(url);
      if (uri.scheme !== 'https') throw new Error(vscode.l10n.t('Not opening {0}: only https pages are opened.', url));
      await vscode.env.openExternal(uri);
      return url;
    },

    'workspaceAccess.loadMore': async (node?: unknown) => {
      if (!(node instanceof LoadMoreNode)) return;
      const parent: TreeNode & { loadMore(): Promise<void> } = node.getParent();
      await parent.loadMore();
      deps.tree.refresh(parent, { keepPages: true });
    },
  };
}
