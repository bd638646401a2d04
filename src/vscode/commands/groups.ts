import * as vscode from 'vscode';
import type { Member } from '../../core/model';
import { confirm, pickChoice, UserCancelled } from '../prompts';
import { runWithProgress } from '../progress';
import { GroupNode, MemberNode } from '../tree/members';
import type { Provider } from '../../core/provider';
import type { TreeNode } from '../tree/node';
import { nodesOrPick, type Route } from './navigate';
import type { Handler } from './register';
import { connectionFor, nodesOf, refreshAround, type CommandDeps } from './targets';

/** From the palette: a group (team) of a connection that can do the command. */
const groupRoute = (title: string, capable: (p: Provider) => boolean, many: boolean): Route<GroupNode> => ({
  title,
  capable,
  sections: ['groups'],
  target: (n): n is GroupNode => n instanceof GroupNode && !n.group.system,
  many,
});

/** A member inside a group, as the group lists it. */
type GroupMemberNode = MemberNode & { readonly group: NonNullable<MemberNode['group']> };

/** From the palette: a group, then members inside it. */
const groupMemberRoute = (title: string, capable: (p: Provider) => boolean): Route<GroupMemberNode> => ({
  title,
  capable,
  sections: ['groups'],
  through: (n: TreeNode) => n instanceof GroupNode,
  target: (n): n is GroupMemberNode => n instanceof MemberNode && !!n.group && !n.group.system && capable(n.ctx.provider),
  many: true,
});

const NOTES = { removed: 'deleted', 'not-there': 'was already gone', requested: 'request sent to the admins' } as const;

async function askName(title: string, value: string, taken: readonly string[]): Promise<string> {
  const name = await vscode.window.showInputBox({
    title,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const t = v.trim();
      if (t.length < 1 || t.length > 64) return vscode.l10n.t('A name has 1 to 64 characters.');
      return taken.some((x) => x.toLowerCase() === t.toLowerCase()) && t !== value ? vscode.l10n.t('"{0}" exists already.', t) : undefined;
    },
  });
  if (name === undefined) throw new UserCancelled();
  return name.trim();
}

export function groupCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    'workspaceAccess.group.create': async (node?: unknown) => {
      const title = vscode.l10n.t('Create Team');
      const ctx = await connectionFor(deps, node instanceof GroupNode ? undefined : node, (p) => !!p.createGroup, title);
      const name = await askName(title, '', (await ctx.provider.listGroups!()).map((g) => g.name));
      const group = await ctx.provider.createGroup!(name);
      deps.tree.refresh(deps.tree.root(ctx.connection.id)?.section('groups'));
      void vscode.window.showInformationMessage(vscode.l10n.t('Created the team "{0}".', group.name));
      return group;
    },

    'workspaceAccess.group.rename': async (clicked?: unknown) => {
      const [node] = await nodesOrPick(deps, groupRoute(vscode.l10n.t('Rename Team'), (p) => !!p.renameGroup, false), clicked, undefined);
      if (!node) throw new Error(vscode.l10n.t('Rename Team works on a team in the tree.'));
      const siblings = (await node.ctx.provider.listGroups!()).map((g) => g.name);
      const name = await askName(vscode.l10n.t('Rename Team'), node.group.name, siblings);
      if (name === node.group.name) return undefined;
      await node.ctx.provider.renameGroup!(node.group.id, name);
      refreshAround(deps, node, 'groups');
      return name;
    },

    'workspaceAccess.group.delete': async (node?: unknown, selected?: unknown) => {
      const groups = await nodesOrPick(deps, groupRoute(vscode.l10n.t('Delete Team'), (p) => !!p.deleteGroup, true), node, selected);
      if (groups.length === 0) throw new Error(vscode.l10n.t('Delete Team works on teams in the tree.'));
      await confirm(
        vscode.l10n.t('Delete {0}?', groups.map((g) => `"${g.group.name}"`).join(', ')),
        vscode.l10n.t('Members stay in the organization but lose what the team was given on spaces, collections and sites.'),
        vscode.l10n.t('Delete'),
      );
      const outcomes = await runWithProgress(deps.reports, { title: vscode.l10n.t('Delete Team'), items: groups, label: (g) => g.group.name, work: async (g, signal) => NOTES[await g.ctx.provider.deleteGroup!(g.group.id, signal)] });
      refreshAround(deps, groups[0], 'groups');
      return outcomes;
    },

    /** Members (tree selection or picked) into one group. */
    'workspaceAccess.group.addMember': async (node?: unknown, selected?: unknown) => {
      const title = vscode.l10n.t('Add to Group');
      const memberNodes = nodesOf(MemberNode, node, selected);
      const groupNode = node instanceof GroupNode ? node : undefined;
      const ctx = memberNodes[0]?.ctx ?? groupNode?.ctx ?? (await connectionFor(deps, node, (p) => !!p.addToGroup, title));
      const p = ctx.provider;
      let group = groupNode?.group;
      if (!group) {
        const groups = (await p.listGroups!()).filter((g) => !g.system);
        const pick = await vscode.window.showQuickPick(groups.map((g) => ({ label: g.name, description: g.memberEmails.length === 1 ? vscode.l10n.t('1 member') : vscode.l10n.t('{0} members', g.memberEmails.length), group: g })), { title, placeHolder: vscode.l10n.t('Which group?'), ignoreFocusOut: true });
        if (!pick) throw new UserCancelled();
        group = pick.group;
      }
      const inGroup = new Set(group.memberEmails.map((e) => e.toLowerCase()));
      let list: Member[] = memberNodes.map((n) => n.member);
      if (list.length === 0) {
        const all = (await p.listMembers!()).filter((m) => !inGroup.has(m.email.toLowerCase()));
        const picked = await vscode.window.showQuickPick(all.map((m) => ({ label: m.name, description: m.email, member: m })), { title: vscode.l10n.t('Add to {0}', group.name), canPickMany: true, matchOnDescription: true, ignoreFocusOut: true });
        if (!picked?.length) throw new UserCancelled();
        list = picked.map((x) => x.member);
      }
      const target = group;
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Add to {0}', target.name),
        items: list,
        label: (m) => m.email,
        work: async (m, signal) => {
          if (inGroup.has(m.email.toLowerCase())) throw new Error(vscode.l10n.t('already in {0}', target.name));
          await p.addToGroup!(target.id, m.email, signal);
        },
      });
      p.invalidate?.();
      // The Groups section of the same connection shows the new membership.
      const anchor = memberNodes[0] ?? groupNode;
      const groupsSection = anchor ? deps.tree.root(ctx.connection.id)?.section('groups') : undefined;
      if (groupsSection) deps.tree.refresh(groupsSection);
      else refreshAround(deps, anchor, 'groups');
      return outcomes;
    },

    /** Owner or member inside a team. */
    'workspaceAccess.group.setRole': async (node?: unknown, selected?: unknown) => {
      const nodes = await nodesOrPick(deps, groupMemberRoute(vscode.l10n.t('Change Team Role'), (p) => !!p.setGroupRole), node, selected);
      if (nodes.length === 0) throw new Error(vscode.l10n.t('Select members under a team to change their team role.'));
      const current = new Set(nodes.map((n) => (n.member.roleLabel === 'Team owner' ? 'owner' : 'member')));
      const pick = await pickChoice([{ label: vscode.l10n.t('Owner'), id: 'owner' as const, description: vscode.l10n.t('manages the team\'s members') }, { label: vscode.l10n.t('Member'), id: 'member' as const }], { title: vscode.l10n.t('Team role'), current });
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Team role: {0}', pick.label),
        items: nodes,
        label: (n) => `${n.member.email} in ${n.group.name}`,
        work: (n, signal) => n.ctx.provider.setGroupRole!(n.group.id, n.member, pick.id, signal),
      });
      refreshAround(deps, nodes[0], 'groups');
      return outcomes;
    },

    /** Group members (tree selection) out of their group, after a confirmation naming them. */
    'workspaceAccess.group.removeMember': async (node?: unknown, selected?: unknown) => {
      const nodes = await nodesOrPick(deps, groupMemberRoute(vscode.l10n.t('Remove from Group'), (p) => !!p.removeFromGroup), node, selected);
      if (nodes.length === 0) throw new Error(vscode.l10n.t('Select members under a group to remove them from it.'));
      const names = nodes.map((n) => `${n.member.name} (${n.group.name})`).join(', ');
      await confirm(vscode.l10n.t('Remove from group: {0}?', names), vscode.l10n.t('They lose whatever the group was given; their workspace seat stays.'), vscode.l10n.t('Remove'));
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Remove from Group'),
        items: nodes,
        label: (n) => `${n.member.email} from ${n.group.name}`,
        work: (n, signal) => n.ctx.provider.removeFromGroup!(n.group.id, n.member.email, signal),
      });
      nodes[0].ctx.provider.invalidate?.();
      refreshAround(deps, nodes[0], 'groups');
      return outcomes;
    },
  };
}
