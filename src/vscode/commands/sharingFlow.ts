import * as vscode from 'vscode';
import type { ResourceRef } from '../../core/changes/change';
import { principalLabel, type Access, type Principal } from '../../core/model';
import type { Provider, Sharing } from '../../core/provider';
import { confirm, pickChoice } from '../prompts';

/** A principal as a key (kind and id): what the sharing commands match grants by. */
export const key = (p: Principal) => `${p.kind}:${p.id}`;

/** "1 resource", "3 resources". */
export const resourceCount = (n: number) => (n === 1 ? vscode.l10n.t('1 resource') : vscode.l10n.t('{0} resources', n));

/** The role picker: the role the principals already hold focused (one role), else the least powerful. */
export async function pickRole(sharing: Sharing, title: string, current?: string | Iterable<string>): Promise<string> {
  const roles = sharing.roles.roles.map((r) => ({ id: r, label: r }));
  return (
    await pickChoice(roles, {
      title,
      placeHolder: vscode.l10n.t('Which role?'),
      current: typeof current === 'string' ? [current] : (current ?? []),
    })
  ).id;
}

/** The roles the principals hold now on the resources (what the role picker focuses). */
export function heldRoles(accesses: readonly Access[], principals: readonly Principal[]): Set<string> {
  const keys = new Set(principals.map(key));
  return new Set(accesses.flatMap((a) => a.grants.filter((g) => keys.has(key(g.principal))).map((g) => g.role)));
}

/** The ids of the locked members, where the platform locks members (an offboarding locks on ElevenLabs). */
export async function lockedMembers(provider: Provider): Promise<Set<string>> {
  const members = provider.members;
  if (!members?.setLocked) return new Set();
  return new Set((await members.list()).filter((m) => m.locked).map((m) => m.id));
}

/** A modal warning before sharing with locked members: they cannot use it, and it outlives the lock. */
export async function warnIfLocked(principals: readonly Principal[], locked: ReadonlySet<string>): Promise<void> {
  const who = principals.filter((p) => p.kind === 'user' && locked.has(p.id)).map(principalLabel);
  if (who.length === 0) return;
  await confirm(
    vscode.l10n.t('Share with {0}, who is locked?', who.join(', ')),
    vscode.l10n.t(
      'A locked member (an offboarded one, for example) cannot use what is shared until unlocked, and the share stays when they are.',
    ),
    vscode.l10n.t('Share Anyway'),
  );
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
