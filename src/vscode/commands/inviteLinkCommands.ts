import * as vscode from 'vscode';
import type { InviteLink } from '../../core/model';
import { confirm, pickChoice, pickResources, UserCancelled } from '../prompts';
import { runWithProgress } from '../jobs/progress';
import { removalNote } from '../jobs/reports';
import { InviteLinkNode } from '../tree/inviteLinkNodes';
import type { InviteLinks } from '../../core/provider';
import { nodesOrPick, type Route } from './navigate';
import type { Handler } from './register';
import { connectionFor, type CommandDeps } from './targets';

/** From the palette: invite links of a connection that can do the command. */
const linkRoute = (title: string, capable: (l: InviteLinks) => boolean, many: boolean): Route<InviteLinkNode> => ({
  title,
  capable: (p) => !!p.inviteLinks && capable(p.inviteLinks),
  sections: ['inviteLinks'],
  target: (n): n is InviteLinkNode => n instanceof InviteLinkNode,
  many,
});

async function pickLevel(
  levels: readonly { id: string; label: string }[],
  title: string,
  current?: string,
): Promise<string> {
  return (await pickChoice(levels, { title, current: current ? [current] : [] })).id;
}

export function inviteLinkCommands(deps: CommandDeps): Record<string, Handler> {
  const refresh = (connectionId: string) => deps.tree.refresh(deps.tree.root(connectionId)?.section('inviteLinks'));
  return {
    /** A link to the organization (with a role) or to one space or collection (with a level). */
    'workspaceAccess.inviteLink.create': async (node?: unknown) => {
      const title = vscode.l10n.t('Create Invite Link');
      const ctx = await connectionFor(deps, node, (p) => !!p.inviteLinks?.create, title);
      const links = ctx.provider.inviteLinks;
      const create = links?.create;
      if (!links || !create) throw new Error(vscode.l10n.t('{0} cannot create invite links.', ctx.connection.label));
      const where = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('The organization'), target: 'organization' as const },
          { label: vscode.l10n.t('One space'), target: 'space' as const },
          { label: vscode.l10n.t('One collection'), target: 'collection' as const },
        ],
        { title, placeHolder: vscode.l10n.t('What does the link give access to?'), ignoreFocusOut: true },
      );
      if (!where) throw new UserCancelled();
      let target: InviteLink['target'] = { kind: 'organization' };
      if (where.target !== 'organization') {
        if (!ctx.provider.sharing)
          throw new Error(vscode.l10n.t('{0} lists no content to link to.', ctx.connection.label));
        const [resource] = await pickResources(ctx.provider.sharing, title, { typeId: where.target, many: false });
        target = { kind: where.target, id: resource.id, name: resource.name };
      }
      const role = await pickLevel(
        links.roles,
        where.target === 'organization'
          ? vscode.l10n.t('Role for people who join with the link')
          : vscode.l10n.t('Level for people who join with the link'),
      );
      const link = await create(target, role);
      refresh(ctx.connection.id);
      void vscode.window.showInformationMessage(
        [vscode.l10n.t('Created invite link {0} ({1}).', link.id, link.roleLabel), links.createdNote]
          .filter(Boolean)
          .join(' '),
      );
      return link;
    },

    'workspaceAccess.inviteLink.edit': async (clicked?: unknown) => {
      const [node] = await nodesOrPick(
        deps,
        linkRoute(vscode.l10n.t('Edit Invite Link'), (l) => !!l.update, false),
        clicked,
        undefined,
      );
      const links = node?.ctx.provider.inviteLinks;
      const update = links?.update;
      if (!node || !links || !update)
        throw new Error(vscode.l10n.t('Edit Invite Link works on an invite link in the tree.'));
      const role = await pickLevel(links.roles, vscode.l10n.t('New level for {0}', node.targetLabel), node.link.role);
      const link = await update(node.link, role);
      refresh(node.ctx.connection.id);
      return link;
    },

    'workspaceAccess.inviteLink.delete': async (node?: unknown, selected?: unknown) => {
      const links = await nodesOrPick(
        deps,
        linkRoute(vscode.l10n.t('Delete Invite Link'), (l) => !!l.delete, true),
        node,
        selected,
      );
      const remove = links[0]?.ctx.provider.inviteLinks?.delete;
      if (!remove) throw new Error(vscode.l10n.t('Delete Invite Link works on invite links in the tree.'));
      await confirm(
        links.length === 1
          ? vscode.l10n.t('Delete the invite link to {0} ({1})?', links[0].targetLabel, links[0].link.roleLabel)
          : vscode.l10n.t(
              'Delete {0} invite links: {1}?',
              links.length,
              links.map((l) => `${l.targetLabel} (${l.link.roleLabel})`).join(', '),
            ),
        vscode.l10n.t('The link stops working at once; people who joined with it keep their access.'),
        vscode.l10n.t('Delete'),
      );
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Delete Invite Link'),
        items: links,
        label: (l) => `${l.targetLabel} (${l.link.id})`,
        work: async (l, signal) => removalNote(await remove(l.link, signal), 'deletion'),
      });
      refresh(links[0].ctx.connection.id);
      return outcomes;
    },
  };
}
