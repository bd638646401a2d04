import * as vscode from 'vscode';
import type { ResourceRef } from '../../core/changes/change';
import { principalLabel, type Access, type Principal } from '../../core/model';
import type { Sharing } from '../../core/provider';
import { confirm, pickChoice } from '../prompts';

/** A principal as a key (kind and id): what the sharing commands match grants by. */
export const key = (p: Principal) => `${p.kind}:${p.id}`;

/** "1 resource", "3 resources". */
export const resourceCount = (n: number) => (n === 1 ? vscode.l10n.t('1 resource') : vscode.l10n.t('{0} resources', n));

export async function pickRole(sharing: Sharing, title: string, current?: string): Promise<string> {
  const roles = sharing.roles.roles.map((r) => ({ id: r, label: r }));
  return (
    await pickChoice(roles, { title, placeHolder: vscode.l10n.t('Which role?'), current: current ? [current] : [] })
  ).id;
}

/** A modal warning when the new role is lower than a principal's current one: the share replaces it. */
export async function warnIfLowering(
  sharing: Sharing,
  access: Access,
  principals: readonly Principal[],
  role: string,
): Promise<void> {
  const ladder = sharing.roles;
  const lowered = principals.flatMap((p) => {
    const g = access.grants.find((x) => key(x.principal) === key(p));
    return g && ladder.isHigher(g.role, role) ? [`${principalLabel(p)} (${g.role} → ${role})`] : [];
  });
  if (lowered.length === 0) return;
  await confirm(
    vscode.l10n.t('Lower the role of {0}?', lowered.join(', ')),
    vscode.l10n.t('A share replaces the role a principal already holds, so they would lose their higher role.'),
    vscode.l10n.t('Replace Role'),
  );
}

export const refOf = (r: ResourceRef): ResourceRef => ({ id: r.id, type: r.type, name: r.name });
