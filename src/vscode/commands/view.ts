import type { Log } from '../log';
import type { Sessions } from '../sessions';
import type { AccessTree } from '../tree/provider';
import type { TreeNode } from '../tree/node';
import type { Handler } from './register';
import { rootOf } from './targets';

export function viewCommands(tree: AccessTree, sessions: Sessions, log: Log): Record<string, Handler> {
  return {
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
