import * as vscode from 'vscode';
import { InvitationNode, RoleNode } from '../tree/invitations';
import { InviteLinkNode } from '../tree/inviteLinks';
import { ProjectMemberNode, ProjectNode } from '../tree/projects';
import { GroupNode, MemberNode } from '../tree/members';
import type { TreeNode } from '../tree/node';
import { LoadMoreNode } from '../tree/paging';
import { ResourceNode } from '../tree/resources';
import { ApiKeyNode, ServiceAccountNode } from '../tree/serviceAccounts';
import { nodesOrPick, resourceRoute } from './navigate';
import type { Handler } from './register';
import type { CommandDeps } from './targets';

/** The platform id a node stands for. */
export function idOf(node: unknown): string | undefined {
  if (node instanceof MemberNode) return node.member.id;
  if (node instanceof GroupNode) return node.group.id;
  if (node instanceof ServiceAccountNode) return node.account.id;
  if (node instanceof ApiKeyNode) return node.key.id;
  if (node instanceof ResourceNode) return node.resource.id;
  if (node instanceof InviteLinkNode) return node.link.id;
  if (node instanceof InvitationNode) return node.invitation.id;
  if (node instanceof RoleNode) return node.role.id;
  if (node instanceof ProjectNode) return node.project.id;
  if (node instanceof ProjectMemberNode) return node.member.id;
  return undefined;
}

export function commonCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    'workspaceAccess.item.copyId': async (node?: unknown, selected?: unknown) => {
      const list = Array.isArray(selected) && selected.length ? selected : [node];
      const ids = list.map(idOf).filter((id): id is string => !!id);
      if (ids.length === 0) throw new Error(vscode.l10n.t('Copy ID works on members, groups, service accounts, keys and resources.'));
      await vscode.env.clipboard.writeText(ids.join('\n'));
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', ids.join(', ')), 3_000);
      return ids;
    },

    'workspaceAccess.item.openInBrowser': async (clicked?: unknown) => {
      const route = resourceRoute(vscode.l10n.t('Open in Browser'), (p) => !!p.sharing, (n) => !!n.resource.webUrl, (t) => !!t.webPages);
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
