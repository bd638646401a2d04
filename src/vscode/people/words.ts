import * as vscode from 'vscode';
import type { Change, ChangeItem } from '../../core/changes/change';
import { describeChange, granteeLabel } from '../../core/changes/words';
import type { ConnectionStore } from '../connectionStore';
import type { Sessions } from '../sessions';
import type { OffboardCaution, Omission } from '../../core/people/plans';
import type { Provider } from '../../core/provider';
import { PLATFORMS, type PlatformId } from '../../providers';
import { groupWord } from '../tree/context';

/** A change as a job's report names it: "Connection: what". */
export function personLabeller(store: ConnectionStore, sessions: Sessions): (item: ChangeItem) => string {
  return (item) => {
    const connection = store.get(item.connectionId);
    return connection
      ? `${connection.label}: ${changeWords(item.change, connection.platform, sessions.provider(connection))}`
      : item.change.op;
  };
}

/** One change in words, as the preview, the journal and the record show it. */
export function changeWords(change: Change, platform: PlatformId, provider: Provider): string {
  const container = PLATFORMS[platform].container;
  const group = groupWord(provider);
  switch (change.op) {
    case 'set-locked':
      return change.locked
        ? vscode.l10n.t('Lock {0}', change.member.email)
        : vscode.l10n.t('Unlock {0}', change.member.email);
    case 'remove-member':
      return vscode.l10n.t('Remove {0} from the {1} (ends every grant there)', change.member.email, container);
    case 'leave-group':
      return vscode.l10n.t('Take {0} out of {1} "{2}"', change.member.email, group, change.group.name);
    case 'revoke':
      return vscode.l10n.t(
        'Remove {0}\'s direct access to "{1}"',
        change.principal.email ?? change.principal.name,
        change.resource.name,
      );
    case 'revoke-invitation':
      return change.invitation
        ? vscode.l10n.t('Revoke the pending invitation of {0}', change.email)
        : vscode.l10n.t('Revoke a pending invitation of {0}, if there is one', change.email);
    case 'leave-project':
      return vscode.l10n.t('Remove {0} from project "{1}"', change.member.email, change.project.name);
    case 'revoke-project-invitation':
      return vscode.l10n.t(
        'Revoke the invitation of {0} to project "{1}"',
        change.invitation.email,
        change.project.name,
      );
    case 'invite': {
      const as = change.roleLabel ?? change.role ?? vscode.l10n.t('the default role');
      return change.groups?.length
        ? vscode.l10n.t(
            'Invite {0} as {1}, into {2}',
            change.email,
            as,
            change.groups.map((g) => `"${g.name}"`).join(', '),
          )
        : vscode.l10n.t('Invite {0} as {1}', change.email, as);
    }
    case 'join-group':
      return change.role
        ? vscode.l10n.t('Add {0} to {1} "{2}" as {3}', change.email, group, change.group.name, change.role)
        : vscode.l10n.t('Add {0} to {1} "{2}"', change.email, group, change.group.name);
    case 'grant':
      return vscode.l10n.t(
        'Give {0} {1} on "{2}"',
        change.principal.email ?? granteeLabel(change.principal),
        change.role,
        change.resource.name,
      );
    case 'join-project':
      return vscode.l10n.t(
        'Invite {0} to project "{1}" as {2}',
        change.email,
        change.project.name,
        change.roleLabel ?? vscode.l10n.t('the default role'),
      );
    default:
      // The rest are the plan's changes, which offboarding and copy never make: the core's words.
      return describeChange(change);
  }
}

/** One change as the preview's row: a short label, and what it entails on its own line. */
export function previewWords(
  change: Change,
  platform: PlatformId,
  provider: Provider,
): { label: string; detail?: string } {
  if (change.op === 'remove-member')
    return {
      label: vscode.l10n.t('Remove {0} from the {1}', change.member.email, PLATFORMS[platform].container),
      detail: vscode.l10n.t('Ends every grant there.'),
    };
  return { label: changeWords(change, platform, provider) };
}

/** Why a change starts unticked: short, on its own line under the change. */
export function cautionWords(caution: OffboardCaution): string {
  return caution === 'owner'
    ? vscode.l10n.t('The owner: tick it only if you mean it.')
    : vscode.l10n.t('The last admin: tick it only if you mean it.');
}

/** Why a change that needed an explicit choice was kept, for the record. */
export function keptWords(caution: OffboardCaution): string {
  return caution === 'owner'
    ? vscode.l10n.t('unticked in the preview (they are the owner)')
    : vscode.l10n.t('unticked in the preview (the last admin)');
}

/** What a plan leaves out, as a note row of the preview: a short label, the rest on its own line. */
export function omissionWords(o: Omission, platform: PlatformId): { label: string; detail?: string } {
  const container = PLATFORMS[platform].container;
  switch (o.why) {
    case 'self':
      return {
        label: vscode.l10n.t("Their account holds this connection's key"),
        detail: vscode.l10n.t('It is not offboarded with it.'),
      };
    case 'nothing':
      return { label: vscode.l10n.t('Nothing to change here.') };
    case 'cannot-invite':
      return { label: vscode.l10n.t('This {0} cannot invite by API.', container) };
    case 'creator-grants':
      return {
        label: vscode.l10n.t('{0} resources they created keep their admin access', o.count ?? 0),
        detail: vscode.l10n.t("A creator's access cannot be removed."),
      };
    case 'role-not-invitable':
      return {
        label: vscode.l10n.t('Their role cannot be given by invitation'),
        detail: vscode.l10n.t('The invitation gives the default role.'),
      };
  }
}
