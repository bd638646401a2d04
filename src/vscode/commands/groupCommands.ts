import * as vscode from 'vscode';
import type { Group, Member } from '../../core/model';
import { confirm, pickChoice, UserCancelled } from '../prompts';
import { runWithProgress } from '../jobs/progress';
import { removalNote } from '../jobs/reports';
import { GroupNode, MemberNode } from '../tree/memberNodes';
import type { Groups } from '../../core/provider';
import type { TreeNode } from '../tree/node';
import { nodesOrPick, type Route } from './navigate';
import type { Handler } from './register';
import { connectionFor, nodesOf, refreshAround, type CommandDeps } from './targets';

/** From the palette: a group (team) of a connection that can do the command. */
const groupRoute = (title: string, capable: (g: Groups) => boolean, many: boolean): Route<GroupNode> => ({
  title,
  capable: (p) => !!p.groups && capable(p.groups),
  sections: ['groups'],
  target: (n): n is GroupNode => n instanceof GroupNode && !n.group.system && capable(n.groups),
  many,
});

/** A member inside a group, as the group lists it. */
type GroupMemberNode = MemberNode & { readonly group: NonNullable<MemberNode['group']> };

/** From the palette: a group, then members inside it. */
const groupMemberRoute = (title: string, capable: (g: Groups) => boolean): Route<GroupMemberNode> => ({
  title,
  capable: (p) => !!p.groups && capable(p.groups),
  sections: ['groups'],
  through: (n: TreeNode) => n instanceof GroupNode,
  target: (n): n is GroupMemberNode =>
    n instanceof MemberNode &&
    !!n.group &&
    !n.group.system &&
    !!n.ctx.provider.groups &&
    capable(n.ctx.provider.groups),
  many: true,
});

async function askName(title: string, value: string, taken: readonly string[]): Promise<string> {
  const name = await vscode.window.showInputBox({
    title,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const t = v.trim();
      if (t.length < 1 || t.length > 64) return vscode.l10n.t('A name has 1 to 64 characters.');
      return taken.some((x) => x.toLowerCase() === t.toLowerCase()) && t !== value
        ? vscode.l10n.t('"{0}" exists already.', t)
        : undefined;
    },
  });
  if (name === undefined) throw new UserCancelled();
  return name.trim();
}

/** A command's wording with the platform's word for a group: "Create Team", "team". */
const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function groupCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    'workspaceAccess.group.create': async (node?: unknown) => {
      const ctx = await connectionFor(
        deps,
        node instanceof GroupNode ? undefined : node,
        (p) => !!p.groups?.create,
        vscode.l10n.t('Create Team'),
      );
      const groups = ctx.provider.groups;
      const create = groups?.create;
      if (!groups || !create) throw new Error(vscode.l10n.t('{0} cannot create groups.', ctx.connection.label));
      const name = await askName(
        vscode.l10n.t('Create {0}', capital(groups.word)),
        '',
        (await groups.list()).map((g) => g.name),
      );
      const group = await create(name);
      deps.tree.refresh(deps.tree.root(ctx.connection.id)?.section('groups'));
      void vscode.window.showInformationMessage(vscode.l10n.t('Created the {0} "{1}".', groups.word, group.name));
      return group;
    },

    'workspaceAccess.group.rename': async (clicked?: unknown) => {
      const [node] = await nodesOrPick(
        deps,
        groupRoute(vscode.l10n.t('Rename Team'), (g) => !!g.rename, false),
        clicked,
        undefined,
      );
      const rename = node?.groups.rename;
      if (!node || !rename) throw new Error(vscode.l10n.t('Rename Team works on a team in the tree.'));
      const siblings = (await node.groups.list()).map((g) => g.name);
      const name = await askName(vscode.l10n.t('Rename {0}', capital(node.groups.word)), node.group.name, siblings);
      if (name === node.group.name) return undefined;
      await rename(node.group.id, name);
      refreshAround(deps, node, 'groups');
      return name;
    },

    'workspaceAccess.group.delete': async (node?: unknown, selected?: unknown) => {
      const groups = await nodesOrPick(
        deps,
        groupRoute(vscode.l10n.t('Delete Team'), (g) => !!g.delete, true),
        node,
        selected,
      );
      const platform = groups[0]?.groups;
      const remove = platform?.delete;
      if (!platform || !remove) throw new Error(vscode.l10n.t('Delete Team works on teams in the tree.'));
      await confirm(
        vscode.l10n.t('Delete {0}?', groups.map((g) => `"${g.group.name}"`).join(', ')),
        platform.deleteConsequence ?? vscode.l10n.t('Members stay, but lose what the {0} was given.', platform.word),
        vscode.l10n.t('Delete'),
      );
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Delete {0}', capital(platform.word)),
        items: groups,
        label: (g) => g.group.name,
        work: async (g, signal) => removalNote(await remove(g.group.id, signal), 'deletion'),
      });
      refreshAround(deps, groups[0], 'groups');
      return outcomes;
    },

    /** Members (tree selection or picked) into one group. */
    'workspaceAccess.group.addMember': async (node?: unknown, selected?: unknown) => {
      const title = vscode.l10n.t('Add to Group');
      const memberNodes = nodesOf(MemberNode, node, selected);
      const groupNode = node instanceof GroupNode ? node : undefined;
      const ctx =
        memberNodes[0]?.ctx ?? groupNode?.ctx ?? (await connectionFor(deps, node, (p) => !!p.groups?.add, title));
      const platform = ctx.provider.groups;
      const add = platform?.add;
      if (!platform || !add) throw new Error(vscode.l10n.t('{0} cannot add members to groups.', ctx.connection.label));
      let group = groupNode?.group;
      if (!group) {
        const groups = (await platform.list()).filter((g) => !g.system);
        const count = (g: Group) =>
          g.memberEmails.length === 1 ? vscode.l10n.t('1 member') : vscode.l10n.t('{0} members', g.memberEmails.length);
        const pick = await vscode.window.showQuickPick(
          groups.map((g) => ({ label: g.name, description: count(g), group: g })),
          { title, placeHolder: vscode.l10n.t('Which {0}?', platform.word), ignoreFocusOut: true },
        );
        if (!pick) throw new UserCancelled();
        group = pick.group;
      }
      const inGroup = new Set(group.memberEmails.map((e) => e.toLowerCase()));
      let list: Member[] = memberNodes.map((n) => n.member);
      if (list.length === 0) {
        const all = ctx.provider.members
          ? (await ctx.provider.members.list()).filter((m) => !inGroup.has(m.email.toLowerCase()))
          : [];
        const picked = await vscode.window.showQuickPick(
          all.map((m) => ({ label: m.name, description: m.email, member: m })),
          {
            title: vscode.l10n.t('Add to {0}', group.name),
            canPickMany: true,
            matchOnDescription: true,
            ignoreFocusOut: true,
          },
        );
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
          await add(target.id, m.email, signal);
        },
      });
      ctx.provider.invalidate();
      // The Groups section of the same connection shows the new membership.
      const anchor = memberNodes[0] ?? groupNode;
      const groupsSection = anchor ? deps.tree.root(ctx.connection.id)?.section('groups') : undefined;
      if (groupsSection) deps.tree.refresh(groupsSection);
      else refreshAround(deps, anchor, 'groups');
      return outcomes;
    },

    /** A member's role inside a group (GitBook teams: owner or member). */
    'workspaceAccess.group.setRole': async (node?: unknown, selected?: unknown) => {
      const nodes = await nodesOrPick(
        deps,
        groupMemberRoute(vscode.l10n.t('Change Team Role'), (g) => !!g.roles),
        node,
        selected,
      );
      const roles = nodes[0]?.ctx.provider.groups?.roles;
      if (!roles) throw new Error(vscode.l10n.t('Select members under a team to change their team role.'));
      const current = new Set(nodes.map((n) => roles.of(n.member)));
      const pick = await pickChoice(roles.choices, { title: vscode.l10n.t('Team role'), current });
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Team role: {0}', pick.label),
        items: nodes,
        label: (n) => `${n.member.email} in ${n.group.name}`,
        work: (n, signal) => roles.set(n.group.id, n.member, pick.id, signal),
      });
      refreshAround(deps, nodes[0], 'groups');
      return outcomes;
    },

    /** Group members (tree selection) out of their group, after a confirmation naming them. */
    'workspaceAccess.group.removeMember': async (node?: unknown, selected?: unknown) => {
      const nodes = await nodesOrPick(
        deps,
        groupMemberRoute(vscode.l10n.t('Remove from Group'), (g) => !!g.remove),
        node,
        selected,
      );
      const remove = nodes[0]?.ctx.provider.groups?.remove;
      if (!remove) throw new Error(vscode.l10n.t('Select members under a group to remove them from it.'));
      const names = nodes.map((n) => `${n.member.name} (${n.group.name})`).join(', ');
      await confirm(
        vscode.l10n.t('Remove from group: {0}?', names),
        vscode.l10n.t('They lose whatever the group was given; their workspace seat stays.'),
        vscode.l10n.t('Remove'),
      );
      const outcomes = await runWithProgress(deps.reports, {
        title: vscode.l10n.t('Remove from Group'),
        items: nodes,
        label: (n) => `${n.member.email} from ${n.group.name}`,
        work: (n, signal) => remove(n.group.id, n.member.email, signal),
      });
      nodes[0].ctx.provider.invalidate();
      refreshAround(deps, nodes[0], 'groups');
      return outcomes;
    },
  };
}
