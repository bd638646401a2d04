/**
 * The rows of the Needs Attention view: what the roster and the settings led to, each connection's
 * note (could not be read, gives no activity), then one group per kind of finding with a row per
 * finding. A finding row says who, where and why; its actions are in its context menu.
 */
import * as vscode from 'vscode';
import type { ConnectionNote, Finding, FindingKind } from '../../core/roster/findings';
import { contextFlags, type TreeNode } from '../tree/node';
import type { FindingsRead } from './read';

/** The kinds in the order a reader meets them, each with its heading and icon. */
export const KINDS: readonly { readonly kind: FindingKind; readonly label: () => string; readonly icon: string }[] = [
  { kind: 'left', label: () => vscode.l10n.t('Left, still has access'), icon: 'sign-out' },
  { kind: 'unknown', label: () => vscode.l10n.t('Not on the roster'), icon: 'question' },
  { kind: 'external', label: () => vscode.l10n.t('External accounts'), icon: 'globe' },
  { kind: 'inactive', label: () => vscode.l10n.t('Inactive seats'), icon: 'clock' },
  { kind: 'stale-invitation', label: () => vscode.l10n.t('Stale invitations'), icon: 'mail' },
  { kind: 'expiring', label: () => vscode.l10n.t('Access ending soon'), icon: 'calendar' },
  { kind: 'admin', label: () => vscode.l10n.t('Owners and admins'), icon: 'shield' },
];

/** A row that only says something (short, for the sidebar's width; the rest in its description and tooltip); `command` opens what it is about. */
export class InfoNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly icon: string,
    private readonly more: { description?: string; tooltip?: string; command?: vscode.Command } = {},
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.description = this.more.description;
    item.tooltip = this.more.tooltip ?? [this.label, this.more.description].filter(Boolean).join(': ');
    item.command = this.more.command;
    item.contextValue = 'findingInfo';
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode | undefined {
    return undefined;
  }
}

/** One kind of finding and its rows. */
export class KindNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly kind: FindingKind,
    readonly findings: readonly Finding[],
    private readonly labels: ReadonlyMap<string, string>,
  ) {
    this.id = `findings:${kind}`;
  }

  getTreeItem(): vscode.TreeItem {
    const k = KINDS.find((x) => x.kind === this.kind);
    const item = new vscode.TreeItem(k?.label() ?? this.kind, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = String(this.findings.length);
    item.iconPath = new vscode.ThemeIcon(k?.icon ?? 'warning');
    item.contextValue = contextFlags('findingKind', `findingKind-${this.kind}`);
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    // Ids from what each finding is about; a repeat (one person's two end dates on one connection) gets its place.
    const seen = new Map<string, number>();
    return Promise.resolve(
      this.findings.map((f) => {
        const node = new FindingNode(f, this, this.labels.get(f.connectionId) ?? f.connectionId);
        const n = seen.get(node.id) ?? 0;
        seen.set(node.id, n + 1);
        return n ? new FindingNode(f, this, node.connectionLabel, n) : node;
      }),
    );
  }

  getParent(): TreeNode | undefined {
    return undefined;
  }
}

/** One finding: the person, the connection, the evidence. */
export class FindingNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly finding: Finding,
    private readonly parent: KindNode,
    readonly connectionLabel: string,
    repeat = 0,
  ) {
    const f = finding;
    const what = f.memberId ?? f.invitation?.id ?? (f.at ? `${f.at[0]}` : '');
    this.id = `finding:${f.kind}:${f.connectionId}:${what}:${f.email.toLowerCase()}${repeat ? `#${repeat}` : ''}`;
  }

  getTreeItem(): vscode.TreeItem {
    const f = this.finding;
    const item = new vscode.TreeItem(f.email, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${this.connectionLabel} · ${f.evidence}`;
    item.tooltip = new vscode.MarkdownString(
      [`**${f.email}**`, '', `${this.connectionLabel}`, '', f.evidence].join('\n'),
    );
    item.iconPath = new vscode.ThemeIcon(f.invitation ? 'mail' : 'person');
    item.contextValue = contextFlags('finding', ...f.actions.map((a) => `can-${a}`));
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  getParent(): TreeNode | undefined {
    return this.parent;
  }
}

/** The rows of a read: roster and settings first, each connection's notes, then the kinds with findings. */
export function rowsOf(read: FindingsRead, labels: ReadonlyMap<string, string>): TreeNode[] {
  const rows: TreeNode[] = [];
  const settings = (key: string): vscode.Command => ({
    command: 'workbench.action.openSettings',
    title: vscode.l10n.t('Open Settings'),
    arguments: [key],
  });
  const choose: vscode.Command = {
    command: 'workspaceAccess.findings.chooseRoster',
    title: vscode.l10n.t('Choose Roster…'),
  };
  const r = read.roster;
  if (r.error)
    rows.push(
      new InfoNode('findings:roster', vscode.l10n.t('Roster cannot be used'), 'error', {
        description: r.error,
        tooltip: [r.uri?.fsPath, r.error].filter(Boolean).join('\n'),
        command: choose,
      }),
    );
  else if (!r.uri)
    rows.push(
      new InfoNode('findings:roster', vscode.l10n.t('Choose a roster…'), 'organization', {
        description: vscode.l10n.t('to find who left'),
        tooltip: vscode.l10n.t(
          "The organization's people, a CSV from an HR system or identity provider: who has left, and which accounts it does not know.",
        ),
        command: choose,
      }),
    );
  else {
    const skipped = r.problems.filter((p) => p.skipped).length;
    rows.push(
      new InfoNode('findings:roster', vscode.l10n.t('Roster'), 'organization', {
        description: [
          vscode.l10n.t('{0} people', r.people ?? 0),
          skipped ? vscode.l10n.t('{0} rows skipped', skipped) : undefined,
          r.ignoredColumns.length ? vscode.l10n.t('ignored: {0}', r.ignoredColumns.join(', ')) : undefined,
        ]
          .filter(Boolean)
          .join(' · '),
        tooltip: [r.uri.fsPath, ...r.problems.map((p) => vscode.l10n.t('line {0}: {1}', p.line, p.message))].join('\n'),
        command: { command: 'vscode.open', title: vscode.l10n.t('Open Roster'), arguments: [r.uri] },
      }),
    );
  }
  if (read.domains.error)
    rows.push(
      new InfoNode('findings:domains', vscode.l10n.t('Organization domains'), 'error', {
        description: read.domains.error,
        command: settings('workspaceAccess.organizationDomains'),
      }),
    );
  else if (!read.domains.set)
    rows.push(
      new InfoNode('findings:domains', vscode.l10n.t('No organization domains'), 'info', {
        description: vscode.l10n.t('nobody is external'),
        command: settings('workspaceAccess.organizationDomains'),
      }),
    );
  for (const n of read.notes) rows.push(noteNode(n, labels));
  for (const k of KINDS) {
    const of = read.findings.filter((f) => f.kind === k.kind);
    if (of.length) rows.push(new KindNode(k.kind, of, labels));
  }
  // Said only when everything was read: a connection, its activity or the roster that failed is not "nothing".
  const complete = !r.error && !read.notes.some((n) => n.kind === 'error');
  if (complete && !read.findings.some((f) => f.severity !== 'info'))
    rows.push(new InfoNode('findings:none', vscode.l10n.t('Nothing needs attention'), 'pass'));
  return rows;
}

/** A connection's note: its name, and what is said in the description. */
function noteNode(n: ConnectionNote, labels: ReadonlyMap<string, string>): InfoNode {
  return new InfoNode(
    `findings:note:${n.connectionId}:${n.kind}:${n.message}`,
    labels.get(n.connectionId) ?? n.connectionId,
    n.kind === 'error' ? 'error' : 'info',
    { description: n.message },
  );
}
