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

/** A row that only says something; `command` opens what it is about (a setting, the roster file). */
export class InfoNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly icon: string,
    private readonly tooltip?: string,
    private readonly command?: vscode.Command,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.tooltip = this.tooltip ?? this.label;
    item.command = this.command;
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
    return Promise.resolve(
      this.findings.map((f) => new FindingNode(f, this, this.labels.get(f.connectionId) ?? f.connectionId)),
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
  ) {
    const f = finding;
    this.id = `finding:${f.kind}:${f.connectionId}:${f.memberId ?? f.invitation?.id ?? ''}:${f.email.toLowerCase()}`;
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
  const r = read.roster;
  if (r.error)
    rows.push(
      new InfoNode('findings:roster', vscode.l10n.t('Roster: {0}', r.error), 'error', r.uri?.fsPath, {
        command: 'workspaceAccess.findings.chooseRoster',
        title: vscode.l10n.t('Choose Roster…'),
      }),
    );
  else if (!r.uri)
    rows.push(
      new InfoNode(
        'findings:roster',
        vscode.l10n.t('No roster: choose one to find who left and who is unknown'),
        'info',
        undefined,
        { command: 'workspaceAccess.findings.chooseRoster', title: vscode.l10n.t('Choose Roster…') },
      ),
    );
  else {
    const skipped = r.problems.filter((p) => p.skipped).length;
    const extra = [
      skipped ? vscode.l10n.t('{0} rows skipped', skipped) : undefined,
      r.ignoredColumns.length ? vscode.l10n.t('ignored columns: {0}', r.ignoredColumns.join(', ')) : undefined,
    ].filter(Boolean);
    rows.push(
      new InfoNode(
        'findings:roster',
        vscode.l10n.t('Roster: {0} people', r.people ?? 0),
        'organization',
        [r.uri.fsPath, ...r.problems.map((p) => vscode.l10n.t('line {0}: {1}', p.line, p.message))].join('\n'),
        { command: 'vscode.open', title: vscode.l10n.t('Open Roster'), arguments: [r.uri] },
      ),
    );
    if (extra.length) rows.push(new InfoNode('findings:rosterProblems', extra.join('; '), 'warning', undefined));
  }
  if (read.domains.error)
    rows.push(
      new InfoNode(
        'findings:domains',
        vscode.l10n.t('Organization domains: {0}', read.domains.error),
        'error',
        undefined,
        settings('workspaceAccess.organizationDomains'),
      ),
    );
  else if (!read.domains.set)
    rows.push(
      new InfoNode(
        'findings:domains',
        vscode.l10n.t('No organization domains set: nobody is called external'),
        'info',
        undefined,
        settings('workspaceAccess.organizationDomains'),
      ),
    );
  for (const n of read.notes) rows.push(noteNode(n, labels));
  for (const k of KINDS) {
    const of = read.findings.filter((f) => f.kind === k.kind);
    if (of.length) rows.push(new KindNode(k.kind, of, labels));
  }
  if (!read.findings.some((f) => f.severity !== 'info'))
    rows.push(new InfoNode('findings:none', vscode.l10n.t('Nothing needs attention'), 'pass'));
  return rows;
}

function noteNode(n: ConnectionNote, labels: ReadonlyMap<string, string>): InfoNode {
  const label = labels.get(n.connectionId) ?? n.connectionId;
  return new InfoNode(
    `findings:note:${n.connectionId}:${n.kind}:${n.message}`,
    `${label}: ${n.message}`,
    n.kind === 'error' ? 'error' : 'info',
  );
}
