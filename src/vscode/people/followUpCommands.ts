import * as vscode from 'vscode';
import { ACROSS } from '../jobs/jobRunner';
import { UserCancelled } from '../prompts';
import type { FollowUp } from './followUps';
import { FollowUpNode } from './nodes/followUpNode';
import type { PeopleCommandDeps } from './personTargets';

/** Applies the follow-ups whose person is now a member: one journaled job. */
export function applyFollowUps(deps: PeopleCommandDeps): Promise<number> {
  return deps.followUps.applyReady(async (title: string, items: readonly FollowUp[]) => {
    const outcomes = await deps.jobs.run(ACROSS, title, { kind: 'person', items });
    deps.people.refresh();
    return new Set(outcomes.filter((o) => o.status === 'done').map((o) => (o.item.payload as FollowUp).id));
  });
}

/** Dismiss Follow-up: the selected follow-ups, or, from the palette, those picked among the pending ones. */
export async function dismissFollowUps(deps: PeopleCommandDeps, node?: unknown, selected?: unknown) {
  const nodes = (Array.isArray(selected) && selected.length ? selected : [node]).filter(
    (n): n is FollowUpNode => n instanceof FollowUpNode,
  );
  let ids = nodes.map((n) => n.followUp.id);
  if (ids.length === 0) {
    const pending = deps.followUps.list();
    if (pending.length === 0) return vscode.window.showInformationMessage(vscode.l10n.t('No follow-up is pending.'));
    const picked = await vscode.window.showQuickPick(
      pending.map((f) => ({ label: f.label, description: f.email, id: f.id })),
      { title: vscode.l10n.t('Dismiss Follow-up'), canPickMany: true, ignoreFocusOut: true },
    );
    if (!picked?.length) throw new UserCancelled();
    ids = picked.map((p) => p.id);
  }
  deps.followUps.dismiss(ids);
  return ids.length;
}
