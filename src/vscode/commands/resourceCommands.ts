import * as vscode from 'vscode';
import type { ChangeItem } from '../../core/changes/change';
import { principalLabel, type Principal } from '../../core/model';
import type { Provider } from '../../core/provider';
import { whyWords } from '../people/reasonWords';
import { UserCancelled } from '../prompts';
import { groupWord } from '../tree/context';
import { ResourceNode } from '../tree/resourceNodes';
import { nodesOrPick, resourceRoute, type Route } from './navigate';
import type { Handler } from './register';
import {
  heldRoles,
  key,
  lockedMembers,
  pickRole,
  refOf,
  resourceCount,
  warnIfLocked,
  warnIfLowering,
} from './sharingFlow';
import { principalOf, type CommandDeps } from './targets';

const KIND_ICON: Record<Principal['kind'], string> = {
  user: 'person',
  group: 'organization',
  serviceAccount: 'robot',
  default: 'globe',
  anonymous: 'link',
};

/** What a picker entry is, so a group "Support" and a service account "Support Automation" never look alike. */
function kindWord(p: Principal, provider: Provider): string {
  switch (p.kind) {
    case 'user':
      return vscode.l10n.t('member');
    case 'group':
      return groupWord(provider);
    case 'serviceAccount':
      return vscode.l10n.t('service account');
    case 'default':
      return vscode.l10n.t('everyone in the workspace (default)');
    case 'anonymous':
      return vscode.l10n.t('anyone with the link');
  }
}

/**
 * Shares resources with principals: picked (showing each one's current role when there is one
 * resource), or dropped or selected in the tree. Checks the platform's principal cap on each
 * resource before sending anything, then runs one journaled job over every resource × principal.
 */
export async function shareResource(
  deps: CommandDeps,
  nodes: readonly ResourceNode[],
  given?: readonly Principal[],
): Promise<unknown> {
  const { provider, connection } = nodes[0].ctx;
  const { sharing } = nodes[0];
  const accesses = await Promise.all(nodes.map((n) => sharing.access(n.resource)));
  const access = accesses[0];
  const what = nodes.length === 1 ? `"${nodes[0].resource.name}"` : resourceCount(nodes.length);
  let principals = given ? [...given] : [];
  const locked = await lockedMembers(provider);
  if (principals.length === 0) {
    const everyone = [...(await sharing.principals()).values()];
    const roleOf = new Map(nodes.length === 1 ? access.grants.map((g) => [key(g.principal), g]) : []);
    const items = everyone.map((p) => {
      const grant = roleOf.get(key(p));
      const now = grant
        ? vscode.l10n.t('now: {0}{1}', grant.role, grant.fixed ? vscode.l10n.t(' (fixed)') : '')
        : undefined;
      return {
        label: principalLabel(p),
        iconPath: new vscode.ThemeIcon(KIND_ICON[p.kind]),
        description: [
          kindWord(p, provider),
          p.kind === 'user' && locked.has(p.id) ? vscode.l10n.t('locked') : undefined,
          now,
        ]
          .filter(Boolean)
          .join(' · '),
        detail:
          p.kind === 'serviceAccount' && !p.keyId ? vscode.l10n.t('has no API key: cannot be shared with') : undefined,
        principal: p,
      };
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Share {0} with…', what),
      canPickMany: true,
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!picked?.length) throw new UserCancelled();
    principals = picked.map((x) => x.principal);
  }
  await warnIfLocked(principals, locked);
  const role = await pickRole(
    sharing,
    vscode.l10n.t(
      'Role for {0}',
      principals.length === 1 ? principalLabel(principals[0]) : vscode.l10n.t('{0} principals', principals.length),
    ),
    heldRoles(accesses, principals),
  );
  for (const [i, node] of nodes.entries()) {
    const a = accesses[i];
    await warnIfLowering(
      sharing,
      a,
      principals.filter((p) => !a.grants.some((g) => key(g.principal) === key(p) && g.fixed)),
      role,
    );
    const holders = new Set(a.grants.filter((g) => g.principal.kind !== 'anonymous').map((g) => key(g.principal)));
    const added = principals.filter((p) => !holders.has(key(p))).length;
    if (a.cap !== undefined && holders.size + added > a.cap) {
      throw new Error(
        vscode.l10n.t(
          '"{0}" is shared with {1} principals; adding {2} would pass the limit of {3}. Remove access from someone first, or share with a group.',
          node.resource.name,
          holders.size,
          added,
          a.cap,
        ),
      );
    }
  }
  const items: ChangeItem[] = nodes.flatMap((n) =>
    principals.map((principal) => ({
      connectionId: connection.id,
      change: { op: 'grant', resource: refOf(n.resource), principal, role },
    })),
  );
  const outcomes = await deps.jobs.run(connection, vscode.l10n.t('Share {0} as {1}', what, role), {
    kind: 'share',
    items,
  });
  for (const n of nodes) deps.tree.refresh(n);
  return outcomes;
}

export function resourceCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    /** Selected resources, else one picked by walking the tree (connection, type, resource). */
    'workspaceAccess.resource.share': async (node?: unknown, selected?: unknown) => {
      const route: Route<ResourceNode> = {
        ...resourceRoute(
          vscode.l10n.t('Share Resource'),
          (p) => !!p.sharing?.share,
          () => true,
        ),
        many: true,
      };
      const resources = await nodesOrPick(deps, route, node, selected);
      if (resources.length === 0) throw new Error(vscode.l10n.t('Share Resource works on resources in the tree.'));
      return shareResource(
        deps,
        resources.filter((n) => n.ctx.connection.id === resources[0].ctx.connection.id),
      );
    },

    /** Everyone who can reach a resource, whatever the source: a searchable, read-only list. */
    'workspaceAccess.resource.effectiveAccess': async (clicked?: unknown) => {
      const route = resourceRoute(
        vscode.l10n.t('Show Effective Access'),
        (p) => !!p.sharing?.effectiveAccess,
        (n) => !!n.sharing.effectiveAccess,
      );
      const [node] = await nodesOrPick(deps, route, clicked, undefined);
      const effective = node?.sharing.effectiveAccess;
      if (!node || !effective) throw new Error(vscode.l10n.t('Show Effective Access works on content in the tree.'));
      const rows = await vscode.window.withProgress({ location: { viewId: 'workspaceAccess.connections' } }, () =>
        effective(node.resource),
      );
      void vscode.window.showQuickPick(
        rows.map((r) => ({
          label: principalLabel(r.principal),
          description: r.role,
          detail: whyWords(r.sources, node.ctx.connection.platform, node.ctx.provider),
        })),
        {
          title: vscode.l10n.t('Who can reach "{0}" ({1})', node.resource.name, rows.length),
          matchOnDescription: true,
          matchOnDetail: true,
        },
      );
      return rows;
    },
  };
}

/** Drag members, groups or service accounts onto a resource to share it: the same role pick and warnings. */
export class ShareDragAndDrop implements vscode.TreeDragAndDropController<unknown> {
  static readonly MIME = 'application/vnd.code.tree.workspaceaccess.connections';
  readonly dragMimeTypes = [ShareDragAndDrop.MIME];
  readonly dropMimeTypes = [ShareDragAndDrop.MIME];

  constructor(
    private readonly deps: CommandDeps,
    private readonly onError: (err: unknown) => void,
  ) {}

  handleDrag(source: readonly unknown[], data: vscode.DataTransfer): void {
    const principals = source.map(principalOf).filter((p): p is Principal => !!p);
    if (principals.length) data.set(ShareDragAndDrop.MIME, new vscode.DataTransferItem(principals));
  }

  async handleDrop(target: unknown, data: vscode.DataTransfer): Promise<void> {
    const item = data.get(ShareDragAndDrop.MIME);
    if (!item || !(target instanceof ResourceNode)) return;
    const principals = item.value as Principal[];
    try {
      await shareResource(this.deps, [target], principals);
    } catch (err) {
      this.onError(err);
    }
  }
}
