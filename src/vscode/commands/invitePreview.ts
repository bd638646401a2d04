/**
 * What an invitation list will and will not send, said twice: in a preview document (every row,
 * to read or save) and in the confirmation itself, where nothing covers it. Rows that need a fix
 * are kept apart from those that are fine but not sent (already members, duplicates).
 */
import * as vscode from 'vscode';
import type { InviteCheck, InviteItem, RejectedRow } from '../../core/inviteRows';
import type { InviteOptions, RoleChoice } from '../../core/provider';
import { UserCancelled } from '../prompts';

/** How many rows of each group the confirmation lists; the preview document lists every row. */
export const CONFIRM_ROWS = 50;
/** A caution is split into rows of about this many characters, so none is cut off in the picker. */
const CAUTION_WIDTH = 72;

/** Where the rows come from: a file's lines, or a pasted list's entries. */
export interface Source {
  readonly name: string;
  readonly unit: 'line' | 'entry';
}

export type Checked = InviteCheck & { readonly note?: string; readonly groupNames: ReadonlyMap<string, string> };

/** The checked rows by what happens to them. */
interface Grouped {
  /** Wrong rows: not sent until corrected. */
  readonly invalid: readonly RejectedRow[];
  readonly members: readonly RejectedRow[];
  readonly duplicates: readonly RejectedRow[];
  readonly valid: readonly InviteItem[];
}

const grouped = (result: Pick<Checked, 'rejected' | 'valid'>): Grouped => ({
  invalid: result.rejected.filter((r) => !r.kind),
  members: result.rejected.filter((r) => r.kind === 'member'),
  duplicates: result.rejected.filter((r) => r.kind === 'duplicate'),
  valid: result.valid,
});

/** "1 already a member, 2 duplicates, 1 rejected": what is not sent, in words; undefined when all is sent. */
export function notSentOf(result: Pick<Checked, 'rejected' | 'valid'>): string | undefined {
  return notSentWords(grouped(result));
}

function notSentWords(g: Grouped): string | undefined {
  const parts = [
    g.members.length === 1
      ? vscode.l10n.t('1 already a member')
      : g.members.length
        ? vscode.l10n.t('{0} already members', g.members.length)
        : undefined,
    g.duplicates.length === 1
      ? vscode.l10n.t('1 duplicate')
      : g.duplicates.length
        ? vscode.l10n.t('{0} duplicates', g.duplicates.length)
        : undefined,
    g.invalid.length ? vscode.l10n.t('{0} rejected', g.invalid.length) : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/** The headings of the groups, in the preview and the confirmation alike. */
function headings(source: Source) {
  return {
    invalid:
      source.unit === 'entry'
        ? vscode.l10n.t('Rejected: correct them and invite them again')
        : vscode.l10n.t('Rejected: fix the file and run the import again to send these'),
    members: vscode.l10n.t('Already members (not sent)'),
    duplicates: vscode.l10n.t('Duplicates (sent once)'),
    valid: vscode.l10n.t('Will be sent'),
  };
}

/** Words of a caution in rows short enough to read whole. */
export function wrapWords(text: string, width = CAUTION_WIDTH): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (row && row.length + 1 + word.length > width) {
      rows.push(row);
      row = word;
    } else row = row ? `${row} ${word}` : word;
  }
  if (row) rows.push(row);
  return rows;
}

interface Describe {
  readonly where: (n: number | undefined) => string;
  /** A row to be sent: its role and groups. */
  readonly carries: (v: InviteItem) => string;
}

function describer(
  source: Source,
  result: Checked,
  levels: readonly RoleChoice[],
  defaults: InviteOptions,
  groupWord: string,
): Describe {
  const roleLabel = (id?: string) => levels.find((l) => l.id === id)?.label ?? id;
  return {
    where: (n) =>
      source.unit === 'entry' ? vscode.l10n.t('entry {0}', n ?? '?') : vscode.l10n.t('line {0}', n ?? '?'),
    carries: (v) => {
      const role = roleLabel(v.seat ?? defaults.seat);
      const groups = (v.groupIds ?? defaults.groupIds ?? []).map((id) => result.groupNames.get(id) ?? id);
      return [role, groups.length ? `${groupWord}s: ${groups.join(', ')}` : undefined].filter(Boolean).join('; ');
    },
  };
}

/** The preview document: what will be sent (each invitation with its role and groups by name), and what will not, and why. */
export function previewText(
  source: Source,
  target: string,
  result: Checked,
  levels: readonly RoleChoice[],
  defaults: InviteOptions,
  groupWord: string,
  warning: string | undefined,
): string {
  const g = grouped(result);
  const d = describer(source, result, levels, defaults, groupWord);
  const h = headings(source);
  const notSent = notSentWords(g);
  const lines = [
    vscode.l10n.t('Invite from {0} to {1}', source.name, target),
    notSent
      ? vscode.l10n.t('{0} will be sent; not sent: {1}.', g.valid.length, notSent)
      : vscode.l10n.t('{0} will be sent.', g.valid.length),
    ...(result.note ? [result.note] : []),
    ...(warning ? [vscode.l10n.t('Caution: {0}', warning)] : []),
    '',
  ];
  const section = <T>(heading: string, rows: readonly T[], line: (r: T) => string) => {
    if (!rows.length) return;
    lines.push(`${heading}:`, ...rows.map((r) => `  ${line(r)}`), '');
  };
  section(h.invalid, g.invalid, (r) => `${d.where(r.line)}: ${r.text || vscode.l10n.t('(empty)')}: ${r.reason}`);
  section(h.members, g.members, (r) => `${d.where(r.line)}: ${r.text}`);
  section(h.duplicates, g.duplicates, (r) => `${d.where(r.line)}: ${r.text}: ${r.reason}`);
  section(h.valid, g.valid, (v) => {
    const carries = d.carries(v);
    return `${d.where(v.line)}: ${v.email}${carries ? ` (${carries})` : ''}`;
  });
  return `${lines.join('\n')}\n`;
}

type Row = vscode.QuickPickItem & { readonly choice?: 'invite' | 'cancel' };

/**
 * The confirmation, which is also the preview where nothing covers it: Invite and Cancel, then the
 * caution in rows short enough to read whole, then each group of rows under its heading (the first
 * CONFIRM_ROWS of each; the document has them all). Enter on a listed row does nothing.
 */
export async function confirmInvite(
  source: Source,
  target: string,
  result: Checked,
  levels: readonly RoleChoice[],
  defaults: InviteOptions,
  groupWord: string,
  warning: string | undefined,
): Promise<void> {
  const g = grouped(result);
  const d = describer(source, result, levels, defaults, groupWord);
  const h = headings(source);
  const notSent = notSentWords(g);
  const invite: Row = {
    label: vscode.l10n.t('Invite {0}', g.valid.length),
    ...(warning ? { description: vscode.l10n.t('$(warning) read the caution below') } : {}),
    ...(notSent ? { detail: vscode.l10n.t('Not sent: {0} (listed below).', notSent) } : {}),
    choice: 'invite',
  };
  const rows: Row[] = [invite, { label: vscode.l10n.t('Cancel'), choice: 'cancel' }];
  const separator = (label: string) => rows.push({ label, kind: vscode.QuickPickItemKind.Separator });
  if (warning) {
    separator(vscode.l10n.t('Caution'));
    wrapWords(warning).forEach((text, i) => rows.push({ label: i === 0 ? `$(warning) ${text}` : text }));
  }
  if (result.note) {
    separator(vscode.l10n.t('Note'));
    wrapWords(result.note).forEach((text) => rows.push({ label: text }));
  }
  const group = <T>(heading: string, list: readonly T[], row: (r: T) => vscode.QuickPickItem) => {
    if (!list.length) return;
    separator(`${heading} (${list.length})`);
    rows.push(...list.slice(0, CONFIRM_ROWS).map(row));
    if (list.length > CONFIRM_ROWS)
      rows.push({ label: vscode.l10n.t('…and {0} more (in the preview document)', list.length - CONFIRM_ROWS) });
  };
  group(h.invalid, g.invalid, (r) => ({
    label: r.text || vscode.l10n.t('(empty)'),
    description: d.where(r.line),
    detail: r.reason,
  }));
  group(h.members, g.members, (r) => ({ label: r.text, description: d.where(r.line) }));
  group(h.duplicates, g.duplicates, (r) => ({ label: r.text, description: `${d.where(r.line)}, ${r.reason}` }));
  group(h.valid, g.valid, (v) => ({
    label: v.email,
    description: [d.where(v.line), d.carries(v)].filter(Boolean).join(' · '),
  }));

  const picker = vscode.window.createQuickPick<Row>();
  picker.title = vscode.l10n.t(
    'Invite {0} to {1}?',
    g.valid.length === 1 ? g.valid[0].email : vscode.l10n.t('{0} people', g.valid.length),
    target,
  );
  picker.placeholder = vscode.l10n.t('Below: what will and will not be sent (type to find a row).');
  picker.ignoreFocusOut = true;
  picker.matchOnDescription = true;
  picker.items = rows;
  try {
    const chosen = await new Promise<Row['choice']>((resolve) => {
      picker.onDidAccept(() => {
        const choice = (picker.selectedItems[0] ?? picker.activeItems[0])?.choice;
        if (choice) resolve(choice);
      });
      picker.onDidHide(() => resolve('cancel'));
      picker.show();
    });
    if (chosen !== 'invite') throw new UserCancelled();
  } finally {
    picker.dispose();
  }
}
