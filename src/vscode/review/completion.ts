/**
 * Completion in a review: after `decision:` in an item, keep, each lower role the item may take,
 * and revoke (in that order: the least change first). Read from the item's own line, so it works
 * while the line is being typed; the roles come from the review's last good read. A closed review
 * offers nothing.
 */
import * as vscode from 'vscode';
import { scalar } from '../../core/review/render';
import { KEEP, lowerRoles, REVOKE, type ItemKind, type Review } from '../../core/review/review';

/** A key's value on an item's line, plain or quoted. */
function valueOn(line: string, key: string): string | undefined {
  const m = new RegExp(`[{,]\\s*${key}:\\s*("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^,}]*)`).exec(line);
  if (!m) return undefined;
  const v = m[1].trim();
  if (v.startsWith('"'))
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  return v.startsWith("'") ? v.slice(1, -1) : v;
}

export function complete(
  doc: vscode.TextDocument,
  pos: vscode.Position,
  review: Review | undefined,
): vscode.CompletionItem[] {
  if (!review || review.closed) return [];
  const line = doc.lineAt(pos.line).text;
  const before = line.slice(0, pos.character);
  const m = /[{,]\s*decision:\s*([^,}]*)$/.exec(before);
  if (!m) return [];
  // The value being typed, to its end: a choice replaces it whole.
  const from = pos.character - m[1].length;
  const rest = /^[^,}]*/.exec(line.slice(pos.character))?.[0] ?? '';
  const range = new vscode.Range(pos.line, from, pos.line, pos.character + rest.trimEnd().length);
  const at = valueOn(line, 'at');
  const kind = valueOn(line, 'kind') as ItemKind | undefined;
  const role = valueOn(line, 'role');
  const conn = review.connections.find((c) => c.key === at);
  const Kind = vscode.CompletionItemKind;
  const item = (label: string, detail: string, doc: string, order: number) => {
    const c = new vscode.CompletionItem(label, Kind.EnumMember);
    c.detail = detail;
    c.documentation = doc;
    c.insertText = scalar(label);
    c.range = range;
    c.sortText = String(order).padStart(3, '0');
    return c;
  };
  const keep = item(
    KEEP,
    vscode.l10n.t('keep this access'),
    vscode.l10n.t('Nothing changes when the review closes.'),
    0,
  );
  keep.preselect = true;
  if (valueOn(line, 'via') === 'creator') return [keep];
  const lower = kind ? lowerRoles(conn, { kind, role }) : [];
  return [
    keep,
    ...lower.map((r, i) =>
      item(
        r.label,
        r.id !== r.label
          ? vscode.l10n.t('lower role ({0}), from {1}', r.id, role ?? '?')
          : vscode.l10n.t('lower role, from {0}', role ?? '?'),
        vscode.l10n.t(
          'When the review closes, {0} becomes {1} in {2}. Needs a `reason:`.',
          role ?? '?',
          r.label,
          conn?.name ?? at ?? '?',
        ),
        i + 1,
      ),
    ),
    item(
      REVOKE,
      vscode.l10n.t('remove this access'),
      conn?.revokeLocks && kind === 'member'
        ? vscode.l10n.t(
            'When the review closes, the account is locked ({0} cannot remove members). Needs a `reason:`.',
            conn.name,
          )
        : vscode.l10n.t('When the review closes, this access is removed. Needs a `reason:`.'),
      lower.length + 1,
    ),
  ];
}
