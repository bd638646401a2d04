import * as vscode from 'vscode';
import { explainReach } from '../../core/people/person';
import type { Plan, Proposed } from '../../core/people/plans';
import { UserCancelled } from '../prompts';
import { maxConcurrency } from '../settings';
import type { PersonNode } from './nodes/personNodes';
import type { PeopleCommandDeps } from './personTargets';
import type { Ok, Read } from './readCache';
import { cautionWords, changeWords, omissionWords, previewWords } from './words';

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

type PlanItem = vscode.QuickPickItem & { planned?: Proposed; note?: true };

/** A line the preview says about a connection, as its own row under the connection's heading. */
export interface PlanNote {
  readonly label: string;
  readonly detail?: string;
}

/** A row that says something and cannot be ticked (it is unticked again if clicked). */
const noteRow = (n: PlanNote, icon = 'info'): PlanItem => ({
  label: `$(${icon}) ${n.label}`,
  detail: n.detail,
  alwaysShow: true,
  note: true,
});

/**
 * The preview: every change, per connection, each a checkbox; what needs an explicit choice starts
 * unticked, with why on its own line under it. A connection's heading is its name only: what a plan
 * leaves out, and anything said about the connection (`notes`), are rows of their own that cannot be
 * ticked, so nothing overlays or cuts off a change at the default width. `unread`: connections that
 * could not be read, each with a row saying so.
 */
export async function pickPlanned(
  title: string,
  plans: readonly { read: Ok; plan: Plan; followUps?: boolean; notes?: readonly PlanNote[]; heading?: string }[],
  placeHolder: string,
  unread: readonly { label: string; why: string }[] = [],
): Promise<Proposed[]> {
  const items: PlanItem[] = [];
  for (const { read, plan, notes, heading } of plans) {
    const { connection, provider } = read.ctx;
    items.push({ label: heading ?? connection.label, kind: vscode.QuickPickItemKind.Separator });
    for (const o of plan.omissions)
      if (o.why !== 'nothing' || plan.changes.length + plan.followUps.length === 0)
        items.push(noteRow(omissionWords(o, connection.platform)));
    for (const n of notes ?? []) items.push(noteRow(n));
    for (const planned of plan.changes) {
      const words = previewWords(planned.change, connection.platform, provider);
      items.push({
        label: words.label,
        detail: planned.caution ? `$(warning) ${cautionWords(planned.caution)}` : words.detail,
        picked: planned.checked,
        planned,
      });
    }
    for (const planned of plan.followUps)
      items.push({
        label: changeWords(planned.change, connection.platform, provider),
        description: vscode.l10n.t('when they are a member'),
        picked: planned.checked,
        planned,
      });
  }
  for (const u of unread) {
    items.push({ label: u.label, kind: vscode.QuickPickItemKind.Separator });
    items.push(noteRow({ label: vscode.l10n.t('Not read: left out'), detail: u.why }, 'error'));
  }
  if (!items.some((i) => i.planned)) throw new Error(vscode.l10n.t('{0}: nothing to change in any connection.', title));
  const picked = await pickMany(items, title, placeHolder);
  return picked.flatMap((p) => (p.planned ? [p.planned] : []));
}

/** A multi-select quick pick whose note rows cannot stay ticked. */
function pickMany(items: readonly PlanItem[], title: string, placeholder: string): Promise<readonly PlanItem[]> {
  const qp = vscode.window.createQuickPick<PlanItem>();
  qp.title = title;
  qp.placeholder = placeholder;
  qp.canSelectMany = true;
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = items;
  qp.selectedItems = items.filter((i) => i.picked);
  return new Promise<readonly PlanItem[]>((resolve, reject) => {
    let done = false;
    const subscriptions = [
      qp.onDidChangeSelection((selected) => {
        if (selected.some((i) => i.note)) qp.selectedItems = selected.filter((i) => !i.note);
      }),
      qp.onDidAccept(() => {
        done = true;
        const chosen = qp.selectedItems.filter((i) => !i.note);
        qp.hide();
        if (chosen.length) resolve(chosen);
        else reject(new UserCancelled());
      }),
      qp.onDidHide(() => {
        if (!done) reject(new UserCancelled());
        for (const s of subscriptions) s.dispose();
        qp.dispose();
      }),
    ];
    qp.show();
  });
}
