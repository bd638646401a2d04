import * as vscode from 'vscode';
import { explainReach } from '../../core/people/person';
import type { Plan, Proposed } from '../../core/people/plans';
import { UserCancelled } from '../prompts';
import { maxConcurrency } from '../settings';
import type { PersonNode } from './nodes/personNodes';
import type { PeopleCommandDeps } from './personTargets';
import type { Ok, Read } from './readCache';
import { cautionWords, changeWords, omissionWords } from './words';

/** The connections that could be read. */
export const ok = (reads: readonly Read[]): Ok[] => reads.filter((r): r is Ok => 'here' in r);

/** The reads with why for what each person reaches, where a plan needs it (read only there: it costs a request per resource on GitBook). */
export function explained(reads: readonly Ok[], where: (read: Ok) => boolean): Promise<Ok[]> {
  return Promise.all(
    reads.map(async (r) =>
      where(r) ? { ...r, here: await explainReach(r.ctx.provider, r.here, { concurrency: maxConcurrency() }) } : r,
    ),
  );
}

/** Every connection read afresh, as a notification (the plans must not act on what was read an hour ago). */
export async function readFresh(deps: PeopleCommandDeps, node: PersonNode): Promise<Read[]> {
  node.person.forget();
  deps.people.refresh(node);
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Reading {0} in every connection…', node.person.email),
    },
    () => node.person.read(deps),
  );
}

type PlanItem = vscode.QuickPickItem & { planned?: Proposed };

/**
 * The preview: every change, per connection, each a checkbox; what needs an explicit choice starts
 * unticked, with why. What a plan leaves out is said in the connection's heading.
 */
export async function pickPlanned(
  title: string,
  plans: readonly { read: Ok; plan: Plan; followUps?: boolean }[],
  placeHolder: string,
): Promise<Proposed[]> {
  const items: PlanItem[] = [];
  for (const { read, plan } of plans) {
    const { connection, provider } = read.ctx;
    const notes = plan.omissions.filter((o) => o.why !== 'nothing').map((o) => omissionWords(o, connection.platform));
    items.push({ label: [connection.label, ...notes].join(' · '), kind: vscode.QuickPickItemKind.Separator });
    for (const planned of plan.changes)
      items.push({
        label: changeWords(planned.change, connection.platform, provider),
        description: planned.caution ? cautionWords(planned.caution) : undefined,
        picked: planned.checked,
        planned,
      });
    for (const planned of plan.followUps)
      items.push({
        label: changeWords(planned.change, connection.platform, provider),
        description: vscode.l10n.t('when they are a member'),
        picked: planned.checked,
        planned,
      });
  }
  if (!items.some((i) => i.planned)) throw new Error(vscode.l10n.t('{0}: nothing to change in any connection.', title));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder,
    canPickMany: true,
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!picked?.length) throw new UserCancelled();
  return picked.flatMap((p) => (p.planned ? [p.planned] : []));
}
