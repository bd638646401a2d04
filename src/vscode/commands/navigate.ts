import * as vscode from 'vscode';
import type { ResourceType } from '../../core/model';
import type { Provider } from '../../core/provider';
import { UserCancelled } from '../prompts';
import { ConnectionNode } from '../tree/connectionNode';
import { MessageNode } from '../tree/messageNode';
import type { TreeNode } from '../tree/node';
import { LoadMoreNode } from '../tree/pagedNodes';
import { ResourceNode, ResourceTypeNode } from '../tree/resourceNodes';
import { SectionNode } from '../tree/sectionNodes';
import { eligibleRoots, noConnectionFor, type CommandDeps } from './targets';

/**
 * The way from the palette to the nodes a tree command acts on: which sections of a connection
 * lead there, which branches to open below them, and which nodes are the targets.
 */
export interface Route<N extends TreeNode> {
  readonly title: string;
  /** Connections whose platform can do the command. */
  readonly capable: (p: Provider) => boolean;
  /** Section keys to open under a connection (`groups`, `resources`, …). */
  readonly sections: readonly string[];
  /** Branches below a section on the way to the targets (a resource type, a team, a project). */
  readonly through?: (n: TreeNode) => boolean;
  /** A node the command acts on. */
  readonly target: (n: TreeNode) => n is N;
  /** Several targets at once, where the command takes a selection. */
  readonly many?: boolean;
}

/** From the palette: a resource type (of those `usableType` allows), then one resource. */
export const resourceRoute = (
  title: string,
  capable: (p: Provider) => boolean,
  usable: (n: ResourceNode) => boolean,
  usableType: (t: ResourceType) => boolean = () => true,
): Route<ResourceNode> => ({
  title,
  capable: (p) => capable(p) && !!p.sharing?.types.some(usableType),
  sections: ['resources'],
  through: (n) => n instanceof ResourceTypeNode && usableType(n.type),
  target: (n): n is ResourceNode => n instanceof ResourceNode && usable(n),
});

type Entry = vscode.QuickPickItem & { readonly node?: TreeNode };

const labelOf = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

function entryOf(node: TreeNode): Entry {
  const item = node.getTreeItem();
  return {
    label: labelOf(item),
    description: typeof item.description === 'string' ? item.description : undefined,
    iconPath: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined,
    node,
  };
}

/**
 * Walks the tree in one quick pick, a level at a time, from the connections (or the one given) down
 * to the targets: the same nodes, labels, filter and pages as the sidebar, so a command run from the
 * palette acts on exactly what a click would. The picker stays open and busy while a level loads;
 * Back (the arrow or Alt+←) goes one level up; Escape cancels.
 */
export async function pickFromTree<N extends TreeNode>(
  deps: CommandDeps,
  route: Route<N>,
  start?: ConnectionNode,
): Promise<N[]> {
  const quickPick = vscode.window.createQuickPick<Entry>();
  quickPick.matchOnDescription = true;
  quickPick.ignoreFocusOut = true;
  try {
    const trail: (TreeNode | undefined)[] = [];
    let level: TreeNode | undefined = start;
    for (;;) {
      loading(quickPick, route, level);
      const offered = await offer(deps, route, level);
      // One connection, or one way on: no question to ask.
      const ways = offered.filter(
        (e) => e.node && !route.target(e.node) && !(e.node instanceof LoadMoreNode) && !(e.node instanceof MessageNode),
      );
      if (offered.length === 1 && ways.length === 1 && ways[0].node) {
        level = ways[0].node;
        continue;
      }
      const answer = await ask(quickPick, route, level, offered, trail.length > 0);
      if (answer === 'back') {
        level = trail.pop();
        continue;
      }
      const [first] = answer;
      if (first instanceof LoadMoreNode) {
        await first.getParent().loadMore();
        continue;
      }
      const targets = answer.filter((n): n is N => route.target(n));
      if (targets.length) return targets;
      if (first && !(first instanceof MessageNode)) {
        trail.push(level);
        level = first;
      }
    }
  } finally {
    quickPick.dispose();
  }
}

/** The picker while a level loads: its title, busy, and nothing to choose yet. */
function loading<N extends TreeNode>(
  quickPick: vscode.QuickPick<Entry>,
  route: Route<N>,
  level: TreeNode | undefined,
): void {
  quickPick.title = level ? `${route.title}: ${labelOf(level.getTreeItem())}` : route.title;
  quickPick.placeholder = vscode.l10n.t('Loading…');
  quickPick.items = [];
  quickPick.busy = true;
  quickPick.show();
}

/** What one level offers: targets, the branches that lead to them, Load more…, and any message in their place. */
async function offer<N extends TreeNode>(
  deps: CommandDeps,
  route: Route<N>,
  level: TreeNode | undefined,
): Promise<Entry[]> {
  if (!level) {
    const roots = await eligibleRoots(deps, (n) => route.capable(deps.sessions.provider(n.connection)));
    if (roots.length === 0) throw noConnectionFor(route.title);
    return roots.map((n) => entryOf(n));
  }
  const children = await deps.tree.getChildren(level);
  const leads = (n: TreeNode) => (n instanceof SectionNode ? route.sections.includes(n.key) : !!route.through?.(n));
  const entries = children.flatMap((n): Entry[] => {
    if (route.target(n)) return [entryOf(n)];
    if (leads(n)) return [entryOf(n)];
    if (n instanceof LoadMoreNode || n instanceof MessageNode) return [entryOf(n)];
    return [];
  });
  if (entries.length === 0) throw new Error(vscode.l10n.t('Nothing here for "{0}".', route.title));
  // A branch that failed to load, or has nothing in it, says so rather than offering its message as a choice.
  if (entries.every((e) => e.node instanceof MessageNode)) throw new Error(entries.map((e) => e.label).join(' '));
  return entries;
}

/**
 * The nodes a command acts on: the selection or the clicked node when they are targets; from the
 * palette (or on a connection), picked by walking the tree. A node of another kind gives none.
 */
export async function nodesOrPick<N extends TreeNode>(
  deps: CommandDeps,
  route: Route<N>,
  node: unknown,
  selected: unknown,
): Promise<N[]> {
  const list =
    Array.isArray(selected) && selected.length > 0 ? (selected as TreeNode[]) : node ? [node as TreeNode] : [];
  const given = list.filter((n) => route.target(n));
  if (given.length) return route.many ? given : given.slice(0, 1);
  return node === undefined || node instanceof ConnectionNode ? pickFromTree(deps, route, node) : [];
}

/** One level's question on the walk's picker: the rows chosen, Back, or a cancel (Escape). */
function ask<N extends TreeNode>(
  quickPick: vscode.QuickPick<Entry>,
  route: Route<N>,
  level: TreeNode | undefined,
  entries: readonly Entry[],
  canGoBack: boolean,
): Promise<TreeNode[] | 'back'> {
  const many = !!route.many && entries.every((e) => !e.node || route.target(e.node) || e.node instanceof MessageNode);
  quickPick.placeholder = level ? undefined : vscode.l10n.t('Which connection?');
  quickPick.value = '';
  quickPick.canSelectMany = many;
  quickPick.items = entries;
  // A list of checkboxes focuses nothing by itself: focus the first row, so Enter alone takes it.
  if (many && entries.length) quickPick.activeItems = [entries[0]];
  quickPick.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
  return new Promise((resolve, reject) => {
    const done = (settle: () => void) => {
      for (const d of listeners) d.dispose();
      settle();
    };
    const listeners = [
      quickPick.onDidTriggerButton(() => done(() => resolve('back'))),
      quickPick.onDidAccept(() => {
        // Enter with nothing ticked takes the focused row, as a single pick would.
        const chosen =
          many && quickPick.selectedItems.length
            ? quickPick.selectedItems
            : [quickPick.selectedItems[0] ?? quickPick.activeItems[0]];
        const nodes = chosen.flatMap((e) => (e?.node ? [e.node] : []));
        if (nodes.length) done(() => resolve(nodes));
      }),
      quickPick.onDidHide(() => done(() => reject(new UserCancelled()))),
    ];
    quickPick.busy = false;
  });
}
