import * as vscode from 'vscode';
import type { ChangeItem } from '../../core/changes/change';
import { principalLabel, type Principal } from '../../core/model';
import type { Provider } from '../../core/provider';
import { confirm, pickResources } from '../prompts';
import { canShareResources, type NodeContext } from '../tree/context';
import type { TreeNode } from '../tree/node';
import { nodesOrPick, type Route } from './navigate';
import type { Handler } from './register';
import { lockedMembers, pickRole, refOf, resourceCount, warnIfLocked } from './sharingFlow';
import { principalOf, type CommandDeps } from './targets';

type PrincipalNode = TreeNode & { readonly ctx: NodeContext };

/** The principals of the selected (or, from the palette, picked) members, groups or service accounts, with their connection. */
async function principalsOf(
  deps: CommandDeps,
  node: unknown,
  selected: unknown,
  title: string,
  capable: (p: Provider) => boolean,
): Promise<{ ctx: NodeContext; principals: Principal[] }> {
  const route: Route<PrincipalNode> = {
    title,
    capable,
    sections: ['groups', 'members', 'serviceAccounts'],
    target: (n): n is PrincipalNode => !!principalOf(n),
    many: true,
  };
  const list = await nodesOrPick(deps, route, node, selected);
  if (list.length === 0) throw new Error(vscode.l10n.t('Select members, groups or service accounts in the tree.'));
  const { ctx } = list[0];
  return {
    ctx,
    principals: list.filter((n) => n.ctx.connection.id === ctx.connection.id).flatMap((n) => principalOf(n) ?? []),
  };
}

export function principalCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    /** One or many principals (selected in the tree) get a role on many resources of one type. */
    'workspaceAccess.principal.shareResources': async (node?: unknown, selected?: unknown) => {
      const { ctx, principals } = await principalsOf(
        deps,
        node,
        selected,
        vscode.l10n.t('Share Resources with…'),
        canShareResources,
      );
      const sharing = ctx.provider.sharing;
      if (!sharing?.share) throw new Error(vscode.l10n.t('{0} cannot share resources.', ctx.connection.label));
      const who =
        principals.length === 1 ? principalLabel(principals[0]) : vscode.l10n.t('{0} principals', principals.length);
      await warnIfLocked(principals, await lockedMembers(ctx.provider));
      const resources = (
        await pickResources(sharing, vscode.l10n.t('Share resources with {0}', who), { many: true })
      ).map(refOf);
      const role = await pickRole(sharing, vscode.l10n.t('Role for {0} on {1}', who, resourceCount(resources.length)));
      const items: ChangeItem[] = resources.flatMap((resource) =>
        principals.map((principal) => ({
          connectionId: ctx.connection.id,
          change: { op: 'grant', resource, principal, role },
        })),
      );
      const outcomes = await deps.jobs.run(
        ctx.connection,
        vscode.l10n.t('Share {0} with {1} as {2}', resourceCount(resources.length), who, role),
        { kind: 'share', items },
      );
      deps.tree.refresh(deps.tree.root(ctx.connection.id));
      return outcomes;
    },

    /** Takes one or many principals' access away from many resources of one type. */
    'workspaceAccess.principal.unshareResources': async (node?: unknown, selected?: unknown) => {
      const { ctx, principals } = await principalsOf(
        deps,
        node,
        selected,
        vscode.l10n.t('Remove Access to Resources…'),
        (p) => !!p.sharing?.unshare,
      );
      const sharing = ctx.provider.sharing;
      if (!sharing?.unshare) throw new Error(vscode.l10n.t('{0} cannot remove access.', ctx.connection.label));
      const who =
        principals.length === 1 ? principalLabel(principals[0]) : vscode.l10n.t('{0} principals', principals.length);
      const resources = (await pickResources(sharing, vscode.l10n.t('Remove access of {0}', who), { many: true })).map(
        refOf,
      );
      await confirm(
        vscode.l10n.t('Remove the access of {0} to {1}?', who, resourceCount(resources.length)),
        resources.map((r) => r.name).join('\n'),
        vscode.l10n.t('Remove Access'),
      );
      const items: ChangeItem[] = resources.flatMap((resource) =>
        principals.map((principal) => ({
          connectionId: ctx.connection.id,
          change: { op: 'revoke', resource, principal },
        })),
      );
      const outcomes = await deps.jobs.run(ctx.connection, vscode.l10n.t('Remove access of {0}', who), {
        kind: 'unshare',
        items,
      });
      deps.tree.refresh(deps.tree.root(ctx.connection.id));
      return outcomes;
    },
  };
}
