import * as vscode from 'vscode';
import type { ChangeItem } from '../../core/changes/change';
import { principalLabel } from '../../core/model';
import type { Sharing } from '../../core/provider';
import { runWithProgress } from '../jobs/progress';
import { confirm } from '../prompts';
import { GrantNode, ResourceNode, ResourceTypeNode } from '../tree/resourceNodes';
import { nodesOrPick, type Route } from './navigate';
import type { Handler } from './register';
import { pickRole, refOf, warnIfLowering } from './sharingFlow';
import type { CommandDeps } from './targets';

/** From the palette: a resource type, then a resource, then its grants. */
const grantRoute = (title: string, capable: (s: Sharing) => boolean): Route<GrantNode> => ({
  title,
  capable: (p) => !!p.sharing && capable(p.sharing),
  sections: ['resources'],
  through: (n) => n instanceof ResourceTypeNode || n instanceof ResourceNode,
  target: (n): n is GrantNode => n instanceof GrantNode && !n.grant.fixed,
  many: true,
});

export function grantCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    'workspaceAccess.grant.changeRole': async (node?: unknown, selected?: unknown) => {
      const grants = await nodesOrPick(
        deps,
        grantRoute(vscode.l10n.t('Change Role'), (s) => !!(s.changeRole ?? s.share)),
        node,
        selected,
      );
      const sharing = grants[0]?.resourceNode.sharing;
      const change = sharing?.changeRole ?? sharing?.share;
      if (!sharing || !change)
        throw new Error(vscode.l10n.t('Select a grant (a principal under a resource) that can be changed.'));
      const role = await pickRole(
        sharing,
        vscode.l10n.t('New role for {0}', grants.map((g) => principalLabel(g.grant.principal)).join(', ')),
        grants.length === 1 ? grants[0].grant.role : undefined,
      );
      await warnIfLowering(
        sharing,
        { grants: grants.map((g) => g.grant) },
        grants.map((g) => g.grant.principal),
        role,
      );
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Change role to {0}', role),
        items: grants,
        label: (g) => `${principalLabel(g.grant.principal)} on ${g.resourceNode.resource.name}`,
        work: (g, signal) => change(g.resourceNode.resource, g.grant.principal, role, signal),
      });
      for (const r of new Set(grants.map((g) => g.resourceNode))) deps.tree.refresh(r);
      // What keeps a copy of access (the access index) reads these resources again.
      for (const g of grants) {
        const connectionId = g.resourceNode.ctx.connection.id;
        deps.jobs.changed({
          kind: 'share',
          connectionId,
          items: [
            {
              connectionId,
              change: { op: 'grant', resource: refOf(g.resourceNode.resource), principal: g.grant.principal, role },
            },
          ],
        });
      }
      return outcomes;
    },

    'workspaceAccess.grant.remove': async (node?: unknown, selected?: unknown) => {
      const grants = await nodesOrPick(
        deps,
        grantRoute(vscode.l10n.t('Remove Access'), (s) => !!s.unshare),
        node,
        selected,
      );
      if (grants.length === 0)
        throw new Error(
          vscode.l10n.t("Select a grant that can be removed (the creator's admin and link access cannot)."),
        );
      const lines = grants.map((g) =>
        vscode.l10n.t(
          '{0} loses {1} on "{2}"',
          principalLabel(g.grant.principal),
          g.grant.role,
          g.resourceNode.resource.name,
        ),
      );
      // The question names what changes; the detail adds only what the question does not say.
      const detail =
        grants.length === 1
          ? vscode.l10n.t('Access they have through a group or the default stays.')
          : lines.join('\n');
      await confirm(
        grants.length === 1
          ? vscode.l10n.t('Remove access: {0}?', lines[0])
          : vscode.l10n.t('Remove {0} grants?', grants.length),
        detail,
        vscode.l10n.t('Remove Access'),
      );
      const items: ChangeItem[] = grants.map((g) => ({
        connectionId: g.resourceNode.ctx.connection.id,
        change: { op: 'revoke', resource: refOf(g.resourceNode.resource), principal: g.grant.principal },
      }));
      const outcomes = await deps.jobs.run(grants[0].resourceNode.ctx.connection, vscode.l10n.t('Remove Access'), {
        kind: 'unshare',
        items,
      });
      for (const r of new Set(grants.map((g) => g.resourceNode))) deps.tree.refresh(r);
      return outcomes;
    },
  };
}
