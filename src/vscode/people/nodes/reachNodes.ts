import * as vscode from 'vscode';
import type { Grant } from '../../../core/model';
import type { PersonReach } from '../../../core/people/person';
import { PLATFORMS } from '../../../providers';
import { MessageNode } from '../../tree/messageNode';
import { contextFlags, type TreeNode } from '../../tree/node';
import { GrantNode, ResourceNode } from '../../tree/resourceNodes';
import type { Ok, PeopleDeps, Person } from '../readCache';
import { whyWords } from '../reasonWords';
import { ago } from '../time';
import { FolderNode } from './folderNode';

/** Rows of what a person reaches shown at most; the rest is counted. */
const MAX_REACH_ROWS = 500;

/** A resource the person holds directly (or made): the grant's row, named by the resource, with why. */
export class PersonGrantNode extends GrantNode {
  constructor(
    parent: ResourceNode,
    grant: Grant,
    container: TreeNode,
    private readonly reach: PersonReach,
    private readonly why: string | undefined,
  ) {
    super(parent, grant, container, true);
  }

  override getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    item.label = this.reach.resource.name;
    item.description = [this.reach.role, this.why].filter(Boolean).join(' · ');
    item.tooltip = `${this.reach.resource.name} (${this.reach.resource.type}): ${this.reach.role}${this.why ? `\n${this.why}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('file-symlink-file');
    return item;
  }
}

/** A resource the person reaches through a group, the default or their role: read-only, with why. */
export class ReachNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    private readonly reach: PersonReach,
    private readonly why: string | undefined,
  ) {
    this.id = `${parent.id}/${reach.resource.type}:${reach.resource.id}`;
  }

  get serverId(): string {
    return this.reach.resource.id;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.reach.resource.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [this.reach.role, this.why].filter(Boolean).join(' · ');
    item.tooltip = `${this.reach.resource.name} (${this.reach.resource.type}): ${this.reach.role}${this.why ? `\n${this.why}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('eye');
    item.contextValue = contextFlags('reach', 'copyable');
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode {
    return this.parent;
  }
}

/** What the person reaches; why each (where it costs a read per resource) is read when it is opened. */
export function reachFolder(parent: TreeNode, person: Person, read: Ok, deps: PeopleDeps): TreeNode {
  const { ctx, here: listed } = read;
  const { provider, connection } = ctx;
  const sharing = provider.sharing;
  const building = deps.indexes.isBuilding(connection.id);
  const index = listed.index;
  const state =
    index === 'none'
      ? vscode.l10n.t('no access index yet')
      : index
        ? index.complete
          ? vscode.l10n.t('index {0}', ago(index.builtAt ?? index.updatedAt))
          : vscode.l10n.t(
              'index {0} of {1}{2}',
              index.size.toLocaleString('en-US'),
              (index.total ?? index.size).toLocaleString('en-US'),
              building ? vscode.l10n.t(', building') : '',
            )
        : undefined;
  const count = listed.reach.length;
  return new FolderNode(
    `${parent.id}/reach`,
    parent,
    vscode.l10n.t('Can reach'),
    [String(count), state].filter(Boolean).join(' · '),
    'key',
    async (self) => {
      const here = listed.explained === false ? await person.explain(read) : listed;
      const rows: TreeNode[] = [];
      const rebuild: vscode.Command = {
        command: 'workspaceAccess.person.buildIndex',
        title: vscode.l10n.t('Build Access Index'),
        arguments: [parent],
      };
      if (index === 'none')
        rows.push(
          new MessageNode(
            `${self.id}/index`,
            self,
            building
              ? vscode.l10n.t('Building the access index…')
              : vscode.l10n.t('No access index yet: click to build it'),
            'info',
            building ? undefined : rebuild,
          ),
        );
      else if (index)
        rows.push(
          new MessageNode(
            `${self.id}/index`,
            self,
            index.complete
              ? vscode.l10n.t('Access index built {0}: click to rebuild', ago(index.builtAt ?? index.updatedAt))
              : vscode.l10n.t(
                  'Access index has {0} of {1} resources{2}',
                  index.size.toLocaleString('en-US'),
                  (index.total ?? index.size).toLocaleString('en-US'),
                  building ? vscode.l10n.t(' (building)') : vscode.l10n.t(': click to finish it'),
                ),
            'info',
            building ? undefined : rebuild,
          ),
        );
      if (here.reachCovers && sharing) {
        const names = sharing.types.filter((t) => here.reachCovers?.includes(t.id)).map((t) => t.label.toLowerCase());
        rows.push(
          new MessageNode(
            `${self.id}/covers`,
            self,
            vscode.l10n.t(
              '{0} answers per member for {1} only',
              PLATFORMS[connection.platform].label,
              names.join(', '),
            ),
            'info',
          ),
        );
      }
      if (!sharing) return rows;
      for (const r of here.reach.slice(0, MAX_REACH_ROWS)) {
        const why = whyWords(r.sources, connection.platform, provider);
        const own = r.sources.find((s) => s.kind === 'direct' || s.kind === 'creator');
        const member = here.member;
        if (own && member) {
          const resourceNode = new ResourceNode(self, ctx, { ...r.resource }, sharing);
          const grant: Grant = {
            principal: { kind: 'user', id: member.id, name: member.name, email: member.email },
            role: own.role ?? r.role,
            ...(own.kind === 'creator'
              ? { fixed: vscode.l10n.t('The creator always keeps admin.'), creator: true }
              : {}),
          };
          rows.push(new PersonGrantNode(resourceNode, grant, self, r, why));
        } else rows.push(new ReachNode(self, r, why ?? vscode.l10n.t('why could not be read')));
      }
      if (here.reach.length > MAX_REACH_ROWS)
        rows.push(
          new MessageNode(
            `${self.id}/more`,
            self,
            vscode.l10n.t('and {0} more', here.reach.length - MAX_REACH_ROWS),
            'info',
          ),
        );
      if (here.reach.length === 0 && !here.reachesEverything)
        rows.push(new MessageNode(`${self.id}/none`, self, vscode.l10n.t('Nothing shared with them'), 'info'));
      return rows;
    },
  );
}
