import * as vscode from 'vscode';
import type { AccessSource, Grant } from '../../../core/model';
import type { PersonHere, PersonReach } from '../../../core/people/person';
import type { Provider, Sharing } from '../../../core/provider';
import { PLATFORMS, type PlatformId } from '../../../providers';
import type { NodeContext } from '../../tree/context';
import { MessageNode } from '../../tree/messageNode';
import { contextFlags, type TreeNode } from '../../tree/node';
import { GrantNode, ResourceNode } from '../../tree/resourceNodes';
import type { Ok, PeopleDeps, Person } from '../readCache';
import { reasonHeading, typeWords, whyWords, type ReasonHeading } from '../reasonWords';
import { ago } from '../time';
import { FolderNode } from './folderNode';

/** Rows shown at most under one reason; the rest is counted. */
export const MAX_REACH_ROWS = 500;

/** What a row says of a resource reached one way: its type, the role this way gives, the role held, every reason. */
interface ReachWords {
  readonly type: string;
  readonly role: string;
  readonly holds: string;
  readonly why: string | undefined;
}

/** "Voice · editor" (and "holds admin" where another reason gives more); the hover has every reason. */
function describe(item: vscode.TreeItem, name: string, words: ReachWords): void {
  item.label = name;
  item.description = [
    words.type,
    words.role,
    words.holds !== words.role ? vscode.l10n.t('holds {0}', words.holds) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  item.tooltip = [`${name} (${words.type}): ${words.holds}`, words.why].filter(Boolean).join('\n');
}

/** A resource the person holds directly (or made): the grant's row, named by the resource. */
export class PersonGrantNode extends GrantNode {
  constructor(
    parent: ResourceNode,
    grant: Grant,
    container: TreeNode,
    private readonly reach: PersonReach,
    private readonly words: ReachWords,
  ) {
    super(parent, grant, container, true);
  }

  override getTreeItem(): vscode.TreeItem {
    const item = super.getTreeItem();
    describe(item, this.reach.resource.name, this.words);
    item.iconPath = new vscode.ThemeIcon('file-symlink-file');
    return item;
  }
}

/** A resource the person reaches through a group, the default or their role: read-only. */
export class ReachNode implements TreeNode {
  readonly id: string;

  constructor(
    private readonly parent: TreeNode,
    private readonly reach: PersonReach,
    private readonly words: ReachWords,
  ) {
    this.id = `${parent.id}/${reach.resource.type}:${reach.resource.id}`;
  }

  get serverId(): string {
    return this.reach.resource.id;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.reach.resource.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    describe(item, this.reach.resource.name, this.words);
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

/** The resources reached one way, under one heading: "Through group "Support"" and its count. */
interface ReasonGroup {
  readonly heading: ReasonHeading;
  readonly reached: { readonly reach: PersonReach; readonly source?: AccessSource }[];
}

/** Groups what the person reaches by why: each resource under every reason it has, headings in a fixed order. */
function byReason(here: PersonHere, platform: PlatformId, provider: Provider): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const reach of here.reach)
    for (const source of reach.sources.length ? reach.sources : [undefined]) {
      const heading = reasonHeading(source, platform, provider);
      let group = groups.get(heading.key);
      if (!group) groups.set(heading.key, (group = { heading, reached: [] }));
      // Two sources of one kind (a parent and its parent): the resource is listed once under it.
      if (group.reached.at(-1)?.reach !== reach) group.reached.push({ reach, source });
    }
  const order = (key: string) => REASON_ORDER.findIndex((k) => key === k || key.startsWith(`${k}:`));
  return [...groups.values()].sort(
    (a, b) => order(a.heading.key) - order(b.heading.key) || a.heading.label.localeCompare(b.heading.label),
  );
}

/** Headings in this order: what can be taken away from the person first, what comes with membership last. */
const REASON_ORDER = ['direct', 'creator', 'group', 'organization', 'parent', 'default', 'unknown'];

/** What the person reaches, grouped by why; why (where it costs a read per resource) is read when it is opened. */
export function reachFolder(parent: TreeNode, person: Person, read: Ok, deps: PeopleDeps): TreeNode {
  const { ctx, here: listed } = read;
  const { provider, connection } = ctx;
  const sharing = provider.sharing;
  const building = deps.indexes.isBuilding(connection.id);
  const index = listed.index;
  // The index's age is said once, in the row inside; the heading says only what is missing.
  const state =
    index === 'none'
      ? vscode.l10n.t('no access index yet')
      : index && !index.complete
        ? vscode.l10n.t(
            'index {0} of {1}{2}',
            index.size.toLocaleString('en-US'),
            (index.total ?? index.size).toLocaleString('en-US'),
            building ? vscode.l10n.t(', building') : '',
          )
        : undefined;
  const count = listed.reach.length;
  // A locked member (an offboarding locks on ElevenLabs) keeps their shares but cannot use them: said on every level.
  const locked = !!listed.member?.locked;
  return new FolderNode(
    `${parent.id}/reach`,
    parent,
    vscode.l10n.t('Can reach'),
    [String(count), locked ? vscode.l10n.t('locked') : undefined, state].filter(Boolean).join(' · '),
    locked ? 'lock' : 'key',
    async (self) => {
      const here = listed.explained === false ? await person.explain(read) : listed;
      const rows: TreeNode[] = [];
      if (locked)
        rows.push(
          new MessageNode(
            `${self.id}/locked`,
            self,
            count
              ? vscode.l10n.t('Locked: they cannot sign in, so they use none of this unless unlocked')
              : vscode.l10n.t('Locked: they cannot sign in'),
            'info',
          ),
        );
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
      for (const group of byReason(here, connection.platform, provider)) {
        const folder = new FolderNode(
          `${self.id}/${group.heading.key}`,
          self,
          group.heading.label,
          locked ? vscode.l10n.t('{0} · if unlocked', group.reached.length) : String(group.reached.length),
          group.heading.icon,
          (folder) => reasonRows(folder, ctx, here, group, sharing),
          'folder',
          group.heading.tooltip,
        );
        rows.push(folder);
      }
      if (here.reach.length === 0 && !here.reachesEverything)
        rows.push(new MessageNode(`${self.id}/none`, self, vscode.l10n.t('Nothing shared with them'), 'info'));
      return rows;
    },
  );
}

/** The rows under one reason: a direct share as its grant (with its actions), the rest read-only. */
function reasonRows(
  self: TreeNode,
  ctx: NodeContext,
  here: PersonHere,
  group: ReasonGroup,
  sharing: Sharing,
): TreeNode[] {
  const { provider, connection } = ctx;
  const rows: TreeNode[] = [];
  const member = here.member;
  for (const { reach: r, source } of group.reached.slice(0, MAX_REACH_ROWS)) {
    const words: ReachWords = {
      type: typeWords(r.resource.type, sharing),
      role: source?.role ?? r.role,
      holds: r.role,
      why: whyWords(r.sources, connection.platform, provider),
    };
    if (source && (source.kind === 'direct' || source.kind === 'creator') && member) {
      const resourceNode = new ResourceNode(self, ctx, { ...r.resource }, sharing);
      const grant: Grant = {
        principal: { kind: 'user', id: member.id, name: member.name, email: member.email },
        role: source.role ?? r.role,
        ...(source.kind === 'creator'
          ? { fixed: vscode.l10n.t('The creator always keeps admin.'), creator: true }
          : {}),
      };
      rows.push(new PersonGrantNode(resourceNode, grant, self, r, words));
    } else rows.push(new ReachNode(self, r, words));
  }
  if (group.reached.length > MAX_REACH_ROWS)
    rows.push(
      new MessageNode(
        `${self.id}/more`,
        self,
        vscode.l10n.t('and {0} more', group.reached.length - MAX_REACH_ROWS),
        'info',
      ),
    );
  return rows;
}
