import * as vscode from 'vscode';
import type { ChangeItem } from '../../core/changes/change';
import type { Outcome } from '../../core/jobs/bulkTask';
import type { JobItem } from '../../core/jobs/journal';
import { looksLikeEmail, sameEmail } from '../../core/people/person';
import { copyPlan } from '../../core/people/plans';
import { PLATFORMS } from '../../providers';
import { ACROSS } from '../jobs/jobRunner';
import { confirm, UserCancelled } from '../prompts';
import { personFrom, type PeopleCommandDeps } from './personTargets';
import { explained, ok, pickPlanned, readFresh } from './planPreview';
import { personLabeller } from './words';

/** Copy Access to…: the same seat or role, groups, projects and direct grants for another email; what needs a member waits. */
export async function copyAccess(deps: PeopleCommandDeps, node: unknown): Promise<Outcome<JobItem>[]> {
  const title = vscode.l10n.t('Copy Access to…');
  const fromNode = await personFrom(deps, node, title);
  const from = fromNode.person.email;
  const to = await vscode.window.showInputBox({
    title: vscode.l10n.t('Copy the access of {0} to…', from),
    prompt: vscode.l10n.t('The email of the person who should get the same access.'),
    ignoreFocusOut: true,
    validateInput: (t) =>
      !looksLikeEmail(t)
        ? vscode.l10n.t('Type one email address.')
        : sameEmail(t, from)
          ? vscode.l10n.t('That is {0} themself; type someone else.', from)
          : undefined,
  });
  if (to === undefined) throw new UserCancelled();
  const fromReads = ok(await readFresh(deps, fromNode)).filter((r) => r.here.member);
  if (fromReads.length === 0)
    throw new Error(vscode.l10n.t('{0} is not a member of any connection: there is no access to copy.', from));
  const pickedConnections = await vscode.window.showQuickPick(
    fromReads.map((r) => ({
      label: r.ctx.connection.label,
      description: PLATFORMS[r.ctx.connection.platform].label,
      picked: true,
      read: r,
    })),
    { title: vscode.l10n.t('Copy into which connections?'), canPickMany: true, ignoreFocusOut: true },
  );
  if (!pickedConnections?.length) throw new UserCancelled();
  const toNode = deps.people.open(to.trim());
  const toReads = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Reading {0} in every connection…', to.trim()),
    },
    async () =>
      explained(ok(await toNode.person.read(deps)), (r) =>
        pickedConnections.some((p) => p.read.ctx.connection.id === r.ctx.connection.id),
      ),
  );
  // Why they hold each thing, read only where it is copied (GitBook: two reads a space).
  const fromExplained = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading what {0} holds…', from) },
    () =>
      explained(
        pickedConnections.map((p) => p.read),
        () => true,
      ),
  );
  const plans = await Promise.all(
    fromExplained.map(async (read) => {
      const target = toReads.find((r) => r.ctx.connection.id === read.ctx.connection.id);
      if (!target) throw new Error(vscode.l10n.t('{0} could not be read for {1}.', read.ctx.connection.label, to));
      const roles = read.ctx.provider.members?.roles;
      const invitable = roles
        ? new Set((await roles.choices()).filter((c) => c.invitable !== false).map((c) => c.id))
        : undefined;
      return { read, plan: copyPlan(read.ctx.connection.id, read.ctx.provider, read.here, target.here, invitable) };
    }),
  );
  const chosen = await pickPlanned(
    vscode.l10n.t('Copy the access of {0} to {1}', from, to.trim()),
    plans,
    vscode.l10n.t('Untick what not to copy. "When they are a member" waits until they accept.'),
  );
  const waiting = new Set(plans.flatMap((p) => p.plan.followUps));
  const now = chosen.filter((c) => !waiting.has(c));
  const later = chosen.filter((c) => waiting.has(c));
  await confirm(
    vscode.l10n.t('Copy the access of {0} to {1}?', from, to.trim()),
    vscode.l10n.t(
      '{0} changes now; {1} wait until {2} is a member, and are applied then (on Refresh or at start).',
      now.length,
      later.length,
      to.trim(),
    ),
    vscode.l10n.t('Copy Access'),
  );
  const outcomes = now.length
    ? await deps.jobs.run(ACROSS, vscode.l10n.t('Copy the access of {0} to {1}', from, to.trim()), {
        kind: 'person',
        items: now.map((c) => ({ connectionId: c.connectionId, change: c.change })),
      })
    : [];
  // Follow-ups wait only where the invitation went out (or one was pending already).
  const invitedIn = (connectionId: string) => {
    const invite = outcomes.find(
      (o) =>
        (o.item.payload as ChangeItem).connectionId === connectionId &&
        (o.item.payload as ChangeItem).change.op === 'invite',
    );
    return !invite || invite.status === 'done' || invite.status === 'skipped';
  };
  const kept = later.filter((c) => invitedIn(c.connectionId));
  if (kept.length)
    deps.followUps.add(
      kept.map((c) => ({
        connectionId: c.connectionId,
        change: c.change,
        email: to.trim(),
        label: personLabeller(deps.store, deps.sessions)(c),
      })),
    );
  if (kept.length < later.length)
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} follow-ups were dropped because the invitation in their connection failed.',
        later.length - kept.length,
      ),
    );
  deps.people.refresh(toNode);
  deps.tree.refresh();
  await deps.peopleView().reveal(toNode, { select: true, focus: false, expand: true });
  return outcomes;
}
