import * as vscode from 'vscode';
import type { RoleChoice } from '../../core/provider';
import { confirm, confirmByTyping, pickChoice, UserCancelled } from '../prompts';
import type { Resource } from '../../core/model';
import type { Projects } from '../../core/provider';
import { runWithProgress } from '../jobs/progress';
import { removalNote } from '../jobs/reports';
import type { NodeContext } from '../tree/context';
import { ProjectMemberNode, ProjectNode } from '../tree/projectNodes';
import { askEmails } from './memberCommands';
import { nodesOrPick, type Route } from './navigate';
import type { Handler } from './register';
import { connectionFor, type CommandDeps } from './targets';

/** From the palette: a project, then members of it. */
const projectMemberRoute = (title: string, usable: (n: ProjectMemberNode) => boolean): Route<ProjectMemberNode> => ({
  title,
  capable: (p) => !!p.projects,
  sections: ['projects'],
  through: (n) => n instanceof ProjectNode,
  target: (n): n is ProjectMemberNode => n instanceof ProjectMemberNode && usable(n),
  many: true,
});

function pickProjectRole(roles: readonly RoleChoice[], title: string, current?: string): Promise<RoleChoice> {
  return pickChoice(roles, { title, current: current ? [current] : [] });
}

export function projectCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    /** Org members into a project, by email, with a project role. */
    'workspaceAccess.project.invite': async (node?: unknown) => {
      const title = vscode.l10n.t('Invite to Project');
      let project: { ctx: NodeContext; project: Resource; projects: Projects } | undefined =
        node instanceof ProjectNode ? node : undefined;
      if (!project) {
        const ctx = await connectionFor(deps, node, (p) => !!p.projects?.invitations, title);
        const projects = ctx.provider.projects;
        if (!projects) throw new Error(vscode.l10n.t('{0} has no projects.', ctx.connection.label));
        const pick = await vscode.window.showQuickPick(
          (await projects.list()).map((p) => ({ label: p.name, description: p.id, p })),
          { title, placeHolder: vscode.l10n.t('Which project?'), ignoreFocusOut: true },
        );
        if (!pick) throw new UserCancelled();
        project = { ctx, project: pick.p, projects };
      }
      const scope = project.projects.invitations?.(project.project.id);
      if (!scope) throw new Error(vscode.l10n.t('{0} cannot invite to projects.', project.ctx.connection.label));
      const emails = await askEmails(
        title,
        vscode.l10n.t('Emails of organization members to invite to {0}.', project.project.name),
      );
      const roles = (await project.projects.roles(project.project.id)).filter((r) => r.invitable !== false);
      const role = await pickProjectRole(roles, vscode.l10n.t('Project role for the invitees'));
      const skipped = (await scope.send(emails, { seat: role.id }))?.skippedEmails ?? [];
      const invited = emails.filter((e) => !skipped.includes(e));
      const skipNote = skipped.length
        ? vscode.l10n.t(' Skipped (already in the project or invited): {0}.', skipped.join(', '))
        : '';
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Invited {0} to {1}.{2}',
          invited.length ? invited.join(', ') : vscode.l10n.t('nobody'),
          project.project.name,
          skipNote,
        ),
      );
      deps.tree.refresh(
        node instanceof ProjectNode ? node : deps.tree.root(project.ctx.connection.id)?.section('projects'),
      );
      return { invited, skipped };
    },

    'workspaceAccess.project.changeRole': async (node?: unknown, selected?: unknown) => {
      const nodes = await nodesOrPick(
        deps,
        projectMemberRoute(vscode.l10n.t('Change Project Role'), () => true),
        node,
        selected,
      );
      if (nodes.length === 0)
        throw new Error(vscode.l10n.t('Select project members in the tree to change their project role.'));
      const { projectNode } = nodes[0];
      const list = nodes.filter((n) => n.projectNode === projectNode).map((n) => n.member);
      const { projects } = projectNode;
      const role = await pickProjectRole(
        await projects.roles(projectNode.project.id),
        vscode.l10n.t('Project role in {0}', projectNode.project.name),
        list.length === 1 ? list[0].role : undefined,
      );
      const warning = projects.roleWarning?.(list, role);
      if (warning && list.length > 1) throw new Error(warning);
      if (warning)
        await confirmByTyping(
          vscode.l10n.t('Give {0} the role {1} in {2}?', list[0].name, role.label, projectNode.project.name),
          warning,
          list[0].email,
        );
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Project role: {0}', role.label),
        items: list,
        label: (m) => m.email,
        work: (m, signal) => projects.setRole(projectNode.project.id, m, role.id, signal),
      });
      deps.tree.refresh(projectNode);
      return outcomes;
    },

    'workspaceAccess.project.removeMember': async (node?: unknown, selected?: unknown) => {
      const nodes = await nodesOrPick(
        deps,
        projectMemberRoute(vscode.l10n.t('Remove from Project'), (n) => !n.member.owner),
        node,
        selected,
      );
      if (nodes.length === 0)
        throw new Error(vscode.l10n.t('Select project members (not the Owner) to remove them from the project.'));
      const { projectNode } = nodes[0];
      const list = nodes.filter((n) => n.projectNode === projectNode).map((n) => n.member);
      await confirm(
        vscode.l10n.t('Remove {0} from the project {1}?', list.map((m) => m.name).join(', '), projectNode.project.name),
        vscode.l10n.t(
          'They lose their project role and their pending invitations to it; they stay in the organization.',
        ),
        vscode.l10n.t('Remove'),
      );
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Remove from Project'),
        items: list,
        label: (m) => m.email,
        work: async (m, signal) =>
          removalNote(await projectNode.projects.removeMember(projectNode.project.id, m, signal), 'projectMember'),
      });
      deps.tree.refresh(projectNode);
      return outcomes;
    },
  };
}
