import * as vscode from 'vscode';
import { confirm, UserCancelled } from '../prompts';
import type { Invitations } from '../../core/provider';
import { runWithProgress } from '../jobs/progress';
import { removalNote } from '../jobs/reports';
import type { NodeContext } from '../tree/context';
import { InvitationNode } from '../tree/invitationNodes';
import type { Handler } from './register';
import { connectionFor, nodesOf, type CommandDeps } from './targets';

/** Invitations to act on: the tree selection, else a multi-select pick on a connection that lists them. */
async function invitations(
  deps: CommandDeps,
  node: unknown,
  selected: unknown,
  title: string,
  pendingOnly: boolean,
  can: (scope: Invitations) => boolean,
): Promise<{ ctx: NodeContext; list: InvitationNode['invitation'][]; scope: Invitations; projectId?: string }> {
  const nodes = nodesOf(InvitationNode, node, selected).filter(
    (n) => !pendingOnly || n.invitation.status === 'pending',
  );
  if (nodes.length) {
    // One scope at a time: the organization's invitations, or one project's.
    const { scope, projectId } = nodes[0];
    return {
      ctx: nodes[0].ctx,
      list: nodes.filter((n) => n.projectId === projectId).map((n) => n.invitation),
      scope,
      projectId,
    };
  }
  const ctx = await connectionFor(deps, node, (p) => !!p.invitations?.list && can(p.invitations), title);
  const scope = ctx.provider.invitations;
  if (!scope?.list) throw new Error(vscode.l10n.t('{0} cannot list invitations.', ctx.connection.label));
  const all = (await scope.list()).filter((i) => !pendingOnly || i.status === 'pending');
  if (all.length === 0)
    throw new Error(
      vscode.l10n.t('{0} has no {1}invitations.', ctx.connection.label, pendingOnly ? vscode.l10n.t('pending ') : ''),
    );
  const picked = await vscode.window.showQuickPick(
    all.map((i) => ({ label: i.email, description: i.status, invitation: i })),
    { title, canPickMany: true, ignoreFocusOut: true },
  );
  if (!picked?.length) throw new UserCancelled();
  return { ctx, list: picked.map((p) => p.invitation), scope };
}

export function invitationCommands(deps: CommandDeps): Record<string, Handler> {
  const refresh = (ctx: NodeContext, projectId?: string) =>
    deps.tree.refresh(deps.tree.root(ctx.connection.id)?.section(projectId ? 'projects' : 'invitations'));
  return {
    'workspaceAccess.invitation.resend': async (node?: unknown, selected?: unknown) => {
      const title = vscode.l10n.t('Resend Invitation');
      const { ctx, list, scope, projectId } = await invitations(deps, node, selected, title, true, (s) => !!s.resend);
      const resend = scope.resend;
      if (!resend) throw new Error(vscode.l10n.t('{0} cannot resend invitations.', ctx.connection.label));
      const outcomes = await runWithProgress(deps.reports, {
        title,
        items: list,
        label: (i) => i.email,
        work: (i, signal) => resend(i, signal),
      });
      refresh(ctx, projectId);
      return outcomes;
    },

    'workspaceAccess.invitation.revoke': async (node?: unknown, selected?: unknown) => {
      const title = vscode.l10n.t('Revoke Invitation');
      const { ctx, list, scope, projectId } = await invitations(deps, node, selected, title, false, (s) => !!s.revoke);
      const revoke = scope.revoke;
      if (!revoke) throw new Error(vscode.l10n.t('{0} cannot revoke invitations.', ctx.connection.label));
      await confirm(
        vscode.l10n.t('Revoke the invitation of {0}?', list.map((i) => i.email).join(', ')),
        vscode.l10n.t('The link in the email stops working; you can invite them again later.'),
        vscode.l10n.t('Revoke'),
      );
      const outcomes = await runWithProgress(deps.reports, {
        title,
        items: list,
        label: (i) => i.email,
        work: async (i, signal) => removalNote(await revoke(i, signal), 'invitation'),
      });
      refresh(ctx, projectId);
      return outcomes;
    },
  };
}
