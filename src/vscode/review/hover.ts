/**
 * Hover in a review: on an item, what it is, why it is held, the roles it may be lowered to and
 * what is decided; on a person's email line, how far their items are decided. Both end with the
 * person's context as the review read it (roster status, external, last activity, findings): the
 * file holds everything, so the hover makes no request.
 */
import * as vscode from 'vscode';
import { describeItem } from '../../core/review/parse';
import { KEEP, lowerRoles, REVOKE, type ReviewPerson } from '../../core/review/review';
import { connectionOf } from './lenses';
import { isItem, type ReviewLines } from './lines';

function contextText(p: ReviewPerson): string {
  const c = p.context;
  const who = p.name ? `**${p.name}** (${p.email})` : `**${p.email}**`;
  const parts = [
    vscode.l10n.t('Roster: {0}', c?.roster ?? vscode.l10n.t('no roster')),
    c?.external === undefined ? undefined : c.external ? vscode.l10n.t('External') : vscode.l10n.t('Internal'),
    vscode.l10n.t('Last activity: {0}', c?.lastActive ?? vscode.l10n.t('not known')),
    vscode.l10n.t('Findings: {0}', c?.findings?.length ? c.findings.join(', ') : vscode.l10n.t('none')),
  ].filter((x): x is string => !!x);
  return `${who}\n\n${parts.join(' · ')}`;
}

function countsText(p: ReviewPerson): string {
  const n = p.access.length;
  const decided = p.access.filter((i) => i.decision);
  const by = (d: (x: string) => boolean) => decided.filter((i) => d(i.decision!.toLowerCase())).length;
  const keep = by((d) => d === KEEP);
  const revoke = by((d) => d === REVOKE);
  const lower = decided.length - keep - revoke;
  return vscode.l10n.t(
    '{0} of {1} items decided, {2} undecided (keep {3}, revoke {4}, lower {5}).',
    decided.length,
    n,
    n - decided.length,
    keep,
    revoke,
    lower,
  );
}

export function hover(pos: vscode.Position, lines: ReviewLines | undefined): vscode.Hover | undefined {
  const at = lines?.at(pos.line);
  if (!lines || !at) return undefined;
  const md = new vscode.MarkdownString();
  if (isItem(at)) {
    const { item } = at;
    const conn = connectionOf(lines.review, item);
    md.appendMarkdown(`**${describeItem(item)}**`);
    md.appendMarkdown(
      `\n\n${vscode.l10n.t('In {0} ({1}).', conn?.name ?? item.at, conn?.platform ?? '?')} ${
        item.via ? vscode.l10n.t('Held: {0}.', item.via) : vscode.l10n.t('Held directly.')
      }`,
    );
    const lower = lowerRoles(conn, item);
    md.appendMarkdown(
      `\n\n${
        item.via === 'creator'
          ? vscode.l10n.t('Its creator always keeps admin on it: keep.')
          : lower.length
            ? vscode.l10n.t('May be lowered to: {0}.', lower.map((r) => r.label).join(', '))
            : vscode.l10n.t('No lower role: keep or revoke.')
      }`,
    );
    if (conn?.revokeLocks && item.kind === 'member')
      md.appendMarkdown(`\n\n${vscode.l10n.t('Revoking locks the account: {0} cannot remove members.', conn.name)}`);
    md.appendMarkdown(
      `\n\n${
        item.decision
          ? item.reason
            ? vscode.l10n.t('Decided: {0} ({1}).', item.decision, item.reason)
            : vscode.l10n.t('Decided: {0}.', item.decision)
          : vscode.l10n.t('Undecided.')
      }`,
    );
  } else md.appendMarkdown(countsText(at.person));
  md.appendMarkdown(`\n\n---\n\n${contextText(at.person)}`);
  return new vscode.Hover(md);
}
