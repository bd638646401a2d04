import * as vscode from 'vscode';
import type { AccessSource } from '../../core/model';
import type { Provider } from '../../core/provider';
import { PLATFORMS, type PlatformId } from '../../providers';
import { groupWord } from '../tree/context';

/** One reason for access in words: "team "Support" (edit)", "organization default (read)", "as creator (admin)". */
export function sourceWords(source: AccessSource, platform: PlatformId, provider: Provider): string {
  const container = PLATFORMS[platform].container;
  const role = source.role ? ` (${source.role})` : '';
  switch (source.kind) {
    case 'direct':
      return vscode.l10n.t('direct') + role;
    case 'creator':
      return vscode.l10n.t('as creator') + role;
    case 'group':
      return `${groupWord(provider)} "${source.name ?? '?'}"${role}`;
    case 'default':
      return vscode.l10n.t('{0} default', container) + role;
    case 'organization':
      return (
        (source.name ? vscode.l10n.t('{0} role "{1}"', container, source.name) : vscode.l10n.t('{0} role', container)) +
        role
      );
    case 'parent':
      return (source.name ? vscode.l10n.t('inherited from {0}', source.name) : vscode.l10n.t('inherited')) + role;
  }
}

/** Every reason, strongest first: "from direct (edit) · team "Support" (review)". */
export function whyWords(
  sources: readonly AccessSource[],
  platform: PlatformId,
  provider: Provider,
): string | undefined {
  return sources.length
    ? vscode.l10n.t('from {0}', sources.map((x) => sourceWords(x, platform, provider)).join(' · '))
    : undefined;
}
