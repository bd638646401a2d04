import * as vscode from 'vscode';
import type { ChangeItem, ResourceRef } from '../../core/changes/change';
import { principalLabel, type Access, type Principal } from '../../core/model';
import type { Provider, Sharing } from '../../core/provider';
import { whyWords } from '../people/reasonWords';
import { confirm, pickChoice, pickResources, UserCancelled } from '../prompts';
import { runWithProgress } from '../jobs/progress';
import { canShareResources, groupWord, type NodeContext } from '../tree/context';
import type { TreeNode } from '../tree/node';
import { GrantNode, ResourceNode, ResourceTypeNode } from '../tree/resourceNodes';
import { nodesOrPick, resourceRoute, type Route } from './navigate';
import type { Handler } from './register';
import { principalOf, type CommandDeps } from './targets';

const key = (p: Principal) => `${p.kind}:${p.id}`;

/** "1 resource", "3 resources". */
const resourceCount = (n: number) => (n === 1 ? vscode.l10n.t('1 resource') : vscode.l10n.t('{0} resources', n));

const KIND_ICON: Record<Principal['kind'], string> = { user: 'person', group: 'organization', serviceAccount: 'robot', default: 'globe', anonymous: 'link' };

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

async function pickRole(sharing: Sharing, title: string, current?: string): Promise<string> {
  const roles = sharing.roles.roles.map((r) => ({ id: r, label: r }));
  return (await pickChoice(roles, { title, placeHolder: vscode.l10n.t('Which role?'), current: current ? [current] : [] })).id;
}

/** A modal warning when the new role is lower than a principal's current one: the share replaces it. */
async function warnIfLowering(sharing: Sharing, access: Access, principals: readonly Principal[], role: string): Promise<void> {
  const ladder = sharing.roles;
  const lowered = principals.flatMap((p) => {
    const g = access.grants.find((x) => key(x.principal) === key(p));
    return g && ladder.isHigher(g.role, role) ? [`${principalLabel(p)} (${g.role} → ${role})`] : [];
  });
  if (lowered.length === 0) return;
  await confirm(vscode.l10n.t('Lower the role of {0}?', lowered.join(', ')), vscode.l10n.t('A share replaces the role a principal already holds, so they would lose their higher role.'), vscode.l10n.t('Replace Role'));
}

/**
 * Shares resources with principals: picked (showing each one's current role when there is one
 * resource), or dropped or selected in the tree. Checks the platform's principal cap on each
 * resource before sending anything, then runs one journaled job over every resource × principal.
 */
export async function shareResource(deps: CommandDeps, nodes: readonly ResourceNode[], given?: readonly Principal[]): Promise<unknown> {
  const { provider, connection } = nodes[0].ctx;
  const { sharing } = nodes[0];
  const accesses = await Promise.all(nodes.map((n) => sharing.access(n.resource)));
  const access = accesses[0];
  const what = nodes.length === 1 ? `"${nodes[0].resource.name}"` : resourceCount(nodes.length);
  let principals = given ? [...given] : [];
  if (principals.length === 0) {
    const everyone = [...(await sharing.principals()).values()];
    const roleOf = new Map(nodes.length === 1 ? access.grants.map((g) => [key(g.principal), g]) : []);
    const items = everyone.map((p) => {
      const grant = roleOf.get(key(p));
      const now = grant ? vscode.l10n.t('now: {0}{1}', grant.role, grant.fixed ? vscode.l10n.t(' (fixed)') : '') : undefined;
      return { label: principalLabel(p), iconPath: new vscode.ThemeIcon(KIND_ICON[p.kind]), description: [kindWord(p, provider), now].filter(Boolean).join(' · '), detail: p.kind === 'serviceAccount' && !p.keyId ? vscode.l10n.t('has no API key: cannot be shared with') : undefined, principal: p };
    });
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Share {0} with…', what), canPickMany: true, matchOnDescription: true, ignoreFocusOut: true });
    if (!picked?.length) throw new UserCancelled();
    principals = picked.map((x) => x.principal);
  }
  const role = await pickRole(sharing, vscode.l10n.t('Role for {0}', principals.length === 1 ? principalLabel(principals[0]) : vscode.l10n.t('{0} principals', principals.length)));
  for (const [i, node] of nodes.entries()) {
    const a = accesses[i];
    await warnIfLowering(sharing, a, principals.filter((p) => !a.grants.some((g) => key(g.principal) === key(p) && g.fixed)), role);
    const holders = new Set(a.grants.filter((g) => g.principal.kind !== 'anonymous').map((g) => key(g.principal)));
    const added = principals.filter((p) => !holders.has(key(p))).length;
    if (a.cap !== undefined && holders.size + added > a.cap) {
      throw new Error(vscode.l10n.t('"{0}" is shared with {1} principals; adding {2} would pass the limit of {3}. Remove access from someone first, or share with a group.', node.resource.name, holders.size, added, a.cap));
    }
  }
  const items: ChangeItem[] = nodes.flatMap((n) => principals.map((principal) => ({ connectionId: connection.id, change: { op: 'grant', resource: refOf(n.resource), principal, role } })));
  const outcomes = await deps.jobs.run(connection, vscode.l10n.t('Share {0} as {1}', what, role), { kind: 'share', items });
  for (const n of nodes) deps.tree.refresh(n);
  return outcomes;
}

const refOf = (r: ResourceRef): ResourceRef => ({ id: r.id, type: r.type, name: r.name });

type PrincipalNode = TreeNode & { readonly ctx: NodeContext };

/** From the palette: a resource type, then a resource, then its grants. */
const grantRoute = (title: string, capable: (s: Sharing) => boolean): Route<GrantNode> => ({
  title,
  capable: (p) => !!p.sharing && capable(p.sharing),
  sections: ['resources'],
  through: (n) => n instanceof ResourceTypeNode || n instanceof ResourceNode,
  target: (n): n is GrantNode => n instanceof GrantNode && !n.grant.fixed,
  many: true,
});

/** The principals of the selected (or, from the palette, picked) members, groups or service accounts, with their connection. */
async function principalsOf(deps: CommandDeps, node: unknown, selected: unknown, title: string, capable: (p: Provider) => boolean): Promise<{ ctx: NodeContext; principals: Principal[] }> {
  const route: Route<PrincipalNode> = { title, capable, sections: ['groups', 'members', 'serviceAccounts'], target: (n): n is PrincipalNode => !!principalOf(n), many: true };
  const list = await nodesOrPick(deps, route, node, selected);
  if (list.length === 0) throw new Error(vscode.l10n.t('Select members, groups or service accounts in the tree.'));
  const { ctx } = list[0];
  return { ctx, principals: list.filter((n) => n.ctx.connection.id === ctx.connection.id).flatMap((n) => principalOf(n) ?? []) };
}

export function sharingCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    /** Selected resources, else one picked by walking the tree (connection, type, resource). */
    'workspaceAccess.resource.share': async (node?: unknown, selected?: unknown) => {
      const route: Route<ResourceNode> = { ...resourceRoute(vscode.l10n.t('Share Resource'), (p) => !!p.sharing?.share, () => true), many: true };
      const resources = await nodesOrPick(deps, route, node, selected);
      if (resources.length === 0) throw new Error(vscode.l10n.t('Share Resource works on resources in the tree.'));
      return shareResource(deps, resources.filter((n) => n.ctx.connection.id === resources[0].ctx.connection.id));
    },

    /** One or many principals (selected in the tree) get a role on many resources of one type. */
    'workspaceAccess.principal.shareResources': async (node?: unknown, selected?: unknown) => {
      const { ctx, principals } = await principalsOf(deps, node, selected, vscode.l10n.t('Share Resources with…'), canShareResources);
      const sharing = ctx.provider.sharing;
      if (!sharing?.share) throw new Error(vscode.l10n.t('{0} cannot share resources.', ctx.connection.label));
      const who = principals.length === 1 ? principalLabel(principals[0]) : vscode.l10n.t('{0} principals', principals.length);
      const resources = (await pickResources(sharing, vscode.l10n.t('Share resources with {0}', who), { many: true })).map(refOf);
      const role = await pickRole(sharing, vscode.l10n.t('Role for {0} on {1}', who, resourceCount(resources.length)));
      const items: ChangeItem[] = resources.flatMap((resource) => principals.map((principal) => ({ connectionId: ctx.connection.id, change: { op: 'grant', resource, principal, role } })));
      const outcomes = await deps.jobs.run(ctx.connection, vscode.l10n.t('Share {0} with {1} as {2}', resourceCount(resources.length), who, role), { kind: 'share', items });
      deps.tree.refresh(deps.tree.root(ctx.connection.id));
      return outcomes;
    },

    /** Takes one or many principals' access away from many resources of one type. */
    'workspaceAccess.principal.unshareResources': async (node?: unknown, selected?: unknown) => {
      const { ctx, principals } = await principalsOf(deps, node, selected, vscode.l10n.t('Remove Access to Resources…'), (p) => !!p.sharing?.unshare);
      const sharing = ctx.provider.sharing;
      if (!sharing?.unshare) throw new Error(vscode.l10n.t('{0} cannot remove access.', ctx.connection.label));
      const who = principals.length === 1 ? principalLabel(principals[0]) : vscode.l10n.t('{0} principals', principals.length);
      const resources = (await pickResources(sharing, vscode.l10n.t('Remove access of {0}', who), { many: true })).map(refOf);
      await confirm(vscode.l10n.t('Remove the access of {0} to {1}?', who, resourceCount(resources.length)), resources.map((r) => r.name).join('\n'), vscode.l10n.t('Remove Access'));
      const items: ChangeItem[] = resources.flatMap((resource) => principals.map((principal) => ({ connectionId: ctx.connection.id, change: { op: 'revoke', resource, principal } })));
      const outcomes = await deps.jobs.run(ctx.connection, vscode.l10n.t('Remove access of {0}', who), { kind: 'unshare', items });
      deps.tree.refresh(deps.tree.root(ctx.connection.id));
      return outcomes;
    },

    /** Everyone who can reach a resource, whatever the source: a searchable, read-only list. */
    'workspaceAccess.resource.effectiveAccess': async (clicked?: unknown) => {
      const route = resourceRoute(vscode.l10n.t('Show Effective Access'), (p) => !!p.sharing?.effectiveAccess, (n) => !!n.sharing.effectiveAccess);
      const [node] = await nodesOrPick(deps, route, clicked, undefined);
      const effective = node?.sharing.effectiveAccess;
      if (!node || !effective) throw new Error(vscode.l10n.t('Show Effective Access works on content in the tree.'));
      const rows = await vscode.window.withProgress({ location: { viewId: 'workspaceAccess.connections' } }, () => effective(node.resource));
      void vscode.window.showQuickPick(
        rows.map((r) => ({ label: principalLabel(r.principal), description: r.role, detail: whyWords(r.sources, node.ctx.connection.platform, node.ctx.provider) })),
        { title: vscode.l10n.t('Who can reach "{0}" ({1})', node.resource.name, rows.length), matchOnDescription: true, matchOnDetail: true },
      );
      return rows;
    },

    'workspaceAccess.grant.changeRole': async (node?: unknown, selected?: unknown) => {
      const grants = await nodesOrPick(deps, grantRoute(vscode.l10n.t('Change Role'), (s) => !!(s.changeRole ?? s.share)), node, selected);
      const sharing = grants[0]?.resourceNode.sharing;
      const change = sharing?.changeRole ?? sharing?.share;
      if (!sharing || !change) throw new Error(vscode.l10n.t('Select a grant (a principal under a resource) that can be changed.'));
      const role = await pickRole(sharing, vscode.l10n.t('New role for {0}', grants.map((g) => principalLabel(g.grant.principal)).join(', ')), grants.length === 1 ? grants[0].grant.role : undefined);
      await warnIfLowering(sharing, { grants: grants.map((g) => g.grant) }, grants.map((g) => g.grant.principal), role);
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
        deps.jobs.changed({ kind: 'share', connectionId, items: [{ connectionId, change: { op: 'grant', resource: refOf(g.resourceNode.resource), principal: g.grant.principal, role } }] });
      }
      return outcomes;
    },

    'workspaceAccess.grant.remove': async (node?: unknown, selected?: unknown) => {
      const grants = await nodesOrPick(deps, grantRoute(vscode.l10n.t('Remove Access'), (s) => !!s.unshare), node, selected);
      if (grants.length === 0) throw new Error(vscode.l10n.t('Select a grant that can be removed (the creator\'s admin and link access cannot).'));
      const lines = grants.map((g) => vscode.l10n.t('{0} loses {1} on "{2}"', principalLabel(g.grant.principal), g.grant.role, g.resourceNode.resource.name));
      // The question names what changes; the detail adds only what the question does not say.
      const detail = grants.length === 1 ? vscode.l10n.t('Access they have through a group or the default stays.') : lines.join('\n');
      await confirm(grants.length === 1 ? vscode.l10n.t('Remove access: {0}?', lines[0]) : vscode.l10n.t('Remove {0} grants?', grants.length), detail, vscode.l10n.t('Remove Access'));
      const items: ChangeItem[] = grants.map((g) => ({ connectionId: g.resourceNode.ctx.connection.id, change: { op: 'revoke', resource: refOf(g.resourceNode.resource), principal: g.grant.principal } }));
      const outcomes = await deps.jobs.run(grants[0].resourceNode.ctx.connection, vscode.l10n.t('Remove Access'), { kind: 'unshare', items });
      for (const r of new Set(grants.map((g) => g.resourceNode))) deps.tree.refresh(r);
      return outcomes;
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
