import * as vscode from 'vscode';
import type { AccessSource } from '../../core/model';
import type { Provider, Sharing } from '../../core/provider';
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

/** One way a person reaches resources, as "Can reach" groups them: a stable key, a heading, what it means. */
export interface ReasonHeading {
  readonly key: string;
  readonly label: string;
  readonly tooltip: string;
  readonly icon: string;
}

/** The heading of the resources reached one way: "Directly", "Through group "Support"", "Workspace default". */
export function reasonHeading(
  source: AccessSource | undefined,
  platform: PlatformId,
  provider: Provider,
): ReasonHeading {
  const container = PLATFORMS[platform].container;
  const group = groupWord(provider);
  if (!source)
    return {
      key: 'unknown',
      label: vscode.l10n.t('Why not read'),
      tooltip: vscode.l10n.t('Why they reach these could not be read: refresh the person to try again.'),
      icon: 'question',
    };
  switch (source.kind) {
    case 'direct':
      return {
        key: 'direct',
        label: vscode.l10n.t('Directly'),
        tooltip: vscode.l10n.t('Shared with them by name: Remove Access takes it away.'),
        icon: 'person',
      };
    case 'creator':
      return {
        key: 'creator',
        label: vscode.l10n.t('As creator'),
        tooltip: vscode.l10n.t('They made these: a creator always keeps admin.'),
        icon: 'star-empty',
      };
    case 'group':
      return {
        key: `group:${source.name ?? ''}`,
        label: vscode.l10n.t('Through {0} "{1}"', group, source.name ?? '?'),
        tooltip: vscode.l10n.t(
          'Shared with the {0} "{1}", which they are in: taking them out of it ends this access.',
          group,
          source.name ?? '?',
        ),
        icon: 'organization',
      };
    case 'default':
      return {
        key: 'default',
        label: vscode.l10n.t('{0} default', capitalized(container)),
        tooltip: vscode.l10n.t(
          'Everyone in the {0} gets this level: it goes only with their membership (or a lock).',
          container,
        ),
        icon: 'broadcast',
      };
    case 'organization':
      return {
        key: `organization:${source.name ?? ''}`,
        label: source.name
          ? vscode.l10n.t('By their {0} role "{1}"', container, source.name)
          : vscode.l10n.t('By their {0} role', container),
        tooltip: vscode.l10n.t('Their {0} role reaches these whatever each one is shared with.', container),
        icon: 'shield',
      };
    case 'parent':
      return {
        key: `parent:${source.name ?? ''}`,
        label: source.name
          ? vscode.l10n.t('Inherited from {0}', source.name)
          : vscode.l10n.t('Inherited from what holds them'),
        tooltip: vscode.l10n.t('Nothing on these items themselves: the access comes from what holds them.'),
        icon: 'type-hierarchy-sub',
      };
  }
}

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** A resource's type in words: "Voice", "Secret (Agents)"; the platform's value only for a type it does not list. */
export function typeWords(type: string, sharing: Sharing | undefined): string {
  const known = sharing?.types.find((t) => t.id === type);
  return known?.one ?? known?.label ?? type;
}
