import * as vscode from 'vscode';
import type { Outcome } from '../../core/jobs/bulkTask';
import type { JobItem } from '../../core/jobs/journal';
import type { ChangeItem } from '../../core/changes/change';
import { explainReach, findMembers, looksLikeEmail, sameEmail } from '../../core/people/person';
import { copyPlan, offboardPlan, type Plan, type Proposed } from '../../core/people/plans';
import type { Member } from '../../core/model';
import type { Provider } from '../../core/provider';
import { PLATFORMS } from '../../providers';
import type { Handler } from '../commands/register';
import type { CommandDeps } from '../commands/targets';
import { ACROSS } from '../jobs/jobRunner';
import { confirm, confirmByTyping, UserCancelled } from '../prompts';
import { GrantNode } from '../tree/resourceNodes';
import { InvitationNode } from '../tree/invitationNodes';
import { MemberNode } from '../tree/memberNodes';
import { ProjectMemberNode } from '../tree/projectNodes';
import type { FollowUp, FollowUps } from './followUps';
import { needsIndex, type AccessIndexes } from './indexStore';
import { FollowUpNode, PEOPLE_VIEW_ID, PersonConnectionNode, PersonNode, type Ok, type PeopleTree, type Read } from './peopleView';
import { maxConcurrency } from '../settings';
import { cautionWords, changeWords, omissionWords, personLabeller } from './words';

export interface PeopleCommandDeps extends CommandDeps {
  readonly people: PeopleTree;
  readonly indexes: AccessIndexes;
  readonly followUps: FollowUps;
  /** The People view (made on first use). */
  readonly peopleView: () => vscode.TreeView<unknown>;
}

/** The email a row of either tree stands for: a member, an invitation, a user's grant, a project member. */
export function emailOf(node: unknown): string | undefined {
  if (node instanceof PersonNode) return node.person.email;
  if (node instanceof MemberNode || node instanceof ProjectMemberNode) return node.member.email;
  if (node instanceof InvitationNode) return node.invitation.email;
  if (node instanceof GrantNode) return node.grant.principal.kind === 'user' ? node.grant.principal.email : undefined;
  return undefined;
}

const ok = (reads: readonly Read[]): Ok[] => reads.filter((r): r is Ok => 'here' in r);

/** The reads with why for what each person reaches, where a plan needs it (read only there: it costs a request per resource on GitBook). */
function explained(reads: readonly Ok[], where: (read: Ok) => boolean): Promise<Ok[]> {
  return Promise.all(reads.map(async (r) => (where(r) ? { ...r, here: await explainReach(r.ctx.provider, r.here, { concurrency: maxConcurrency() }) } : r)));
}

/** The people whose name or email holds the text, in every connection at once: email → name and where. */
async function search(deps: PeopleCommandDeps, text: string): Promise<{ found: Map<string, { name: string; where: string[] }>; failed: string[] }> {
  const found = new Map<string, { name: string; where: string[] }>();
  const failed: string[] = [];
  await Promise.all(deps.store.list().map(async (connection) => {
    try {
      for (const m of await findMembers(deps.sessions.provider(connection), text)) {
        const key = m.email.toLowerCase();
        const entry = found.get(key) ?? { name: m.name, where: [] };
        entry.where.push(connection.label);
        found.set(key, entry);
      }
    } catch (err) {
      failed.push(`${connection.label} (${err instanceof Error ? err.message : String(err)})`);
    }
  }));
  return { found, failed };
}

async function askPerson(deps: PeopleCommandDeps, title: string): Promise<string> {
  if (deps.store.list().length === 0) throw new Error(vscode.l10n.t('Add a connection first.'));
  const text = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('An email (any case) or part of a name; every connection is searched at once.'),
    ignoreFocusOut: true,
    validateInput: (t) => (t.trim().length < 2 ? vscode.l10n.t('Type an email or at least two letters of a name.') : undefined),
  });
  if (text === undefined) throw new UserCancelled();
  if (looksLikeEmail(text)) return text.trim();
  const { found, failed } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Searching every connection for "{0}"…', text.trim()) }, () => search(deps, text.trim()));
  if (found.size === 0) throw new Error(failed.length ? vscode.l10n.t('No one matches "{0}" in the connections that answered; {1} could not be searched.', text.trim(), failed.join(', ')) : vscode.l10n.t('No one matches "{0}" in any connection ({1}).', text.trim(), deps.store.list().map((c) => c.label).join(', ')));
  if (found.size === 1) return [...found.keys()][0];
  const picked = await vscode.window.showQuickPick([...found].map(([email, f]) => ({ label: f.name, description: email, detail: f.where.join(' · '), email })), { title, placeHolder: vscode.l10n.t('{0} people match "{1}"', found.size, text.trim()), matchOnDescription: true, ignoreFocusOut: true });
  if (!picked) throw new UserCancelled();
  return picked.email;
}

/** Opens a person in the People view and reveals them; starts the access index where one is needed and missing. */
async function openPerson(deps: PeopleCommandDeps, email: string): Promise<PersonNode> {
  const node = deps.people.open(email);
  for (const connection of deps.store.list()) {
    if (needsIndex(deps.sessions.provider(connection)) && !deps.indexes.get(connection.id)) void deps.indexes.build(connection);
  }
  await vscode.commands.executeCommand(`${PEOPLE_VIEW_ID}.focus`);
  await deps.peopleView().reveal(node, { select: true, focus: true, expand: true });
  return node;
}

/** A person to act on: the clicked one, the only one open, or a pick among those open (or another). */
async function personFrom(deps: PeopleCommandDeps, node: unknown, title: string): Promise<PersonNode> {
  if (node instanceof PersonNode) return node;
  if (node instanceof PersonConnectionNode) return node.personNode;
  const email = emailOf(node);
  if (email) return deps.people.open(email);
  const open = deps.people.list();
  if (open.length === 0) return openPerson(deps, await askPerson(deps, title));
  const another = { label: vscode.l10n.t('$(search) Another person…'), node: undefined };
  const picked = await vscode.window.showQuickPick([...open.map((p) => ({ label: p.person.name ?? p.person.email, description: p.person.email, node: p })), another], { title, ignoreFocusOut: true });
  if (!picked) throw new UserCancelled();
  return picked.node ?? openPerson(deps, await askPerson(deps, title));
}

/** Every connection read afresh, as a notification (the plans must not act on what was read an hour ago). */
async function readFresh(deps: PeopleCommandDeps, node: PersonNode): Promise<Read[]> {
  node.person.forget();
  deps.people.refresh(node);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0} in every connection…', node.person.email) }, () => node.person.read(deps));
}

/** Whether the member is the only one left whose role reaches everything (the last admin). */
async function isLastAdmin(provider: Provider, member: Member): Promise<boolean> {
  const reaches = provider.members?.reachesEverything;
  if (!provider.members || !reaches?.(member)) return false;
  const everyone = await provider.members.list();
  return !everyone.some((m) => m.id !== member.id && !m.locked && reaches(m) !== undefined);
}

type PlanItem = vscode.QuickPickItem & { planned?: Proposed };

/**
 * The preview: every change, per connection, each a checkbox; what needs an explicit choice starts
 * unticked, with why. What a plan leaves out is said in the connection's heading.
 */
async function pickPlanned(title: string, plans: readonly { read: Ok; plan: Plan; followUps?: boolean }[], placeHolder: string): Promise<Proposed[]> {
  const items: PlanItem[] = [];
  for (const { read, plan } of plans) {
    const { connection, provider } = read.ctx;
    const notes = plan.omissions.filter((o) => o.why !== 'nothing').map((o) => omissionWords(o, connection.platform));
    items.push({ label: [connection.label, ...notes].join(' · '), kind: vscode.QuickPickItemKind.Separator });
    for (const planned of plan.changes) items.push({ label: changeWords(planned.change, connection.platform, provider), description: planned.caution ? cautionWords(planned.caution) : undefined, picked: planned.checked, planned });
    for (const planned of plan.followUps) items.push({ label: changeWords(planned.change, connection.platform, provider), description: vscode.l10n.t('when they are a member'), picked: planned.checked, planned });
  }
  if (!items.some((i) => i.planned)) throw new Error(vscode.l10n.t('{0}: nothing to change in any connection.', title));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, canPickMany: true, ignoreFocusOut: true, matchOnDescription: true });
  if (!picked?.length) throw new UserCancelled();
  return picked.flatMap((p) => (p.planned ? [p.planned] : []));
}

/** Offboard…: a preview of every change in every connection, a typed confirmation, one journaled job, a record. */
async function offboard(deps: PeopleCommandDeps, node: unknown): Promise<Outcome<JobItem>[]> {
  const title = vscode.l10n.t('Offboard…');
  const personNode = await personFrom(deps, node, title);
  const email = personNode.person.email;
  const reads = await readFresh(deps, personNode);
  const failed = reads.filter((r) => 'error' in r);
  if (ok(reads).length === 0) throw new Error(vscode.l10n.t('{0} could not be read in any connection: {1}', email, failed.map((r) => `${r.ctx.connection.label} (${'error' in r && r.error instanceof Error ? r.error.message : String('error' in r ? r.error : '')})`).join('; ')));
  // Where a member cannot be removed outright, their direct grants are: those need why.
  const ready = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading what {0} holds…', email) }, () => explained(ok(reads), (r) => !r.ctx.provider.members?.remove));
  const plans = await Promise.all(ready.map(async (read) => {
    const member = read.here.member;
    const last = member && !read.here.self ? await isLastAdmin(read.ctx.provider, member) : false;
    return { read, plan: offboardPlan(read.ctx.connection.id, read.ctx.provider, read.here, last) };
  }));
  const partial = ok(reads).filter((r) => r.here.index === 'none' || (r.here.index && !r.here.index.complete)).map((r) => r.ctx.connection.label);
  const placeHolder = [
    vscode.l10n.t('Untick what to keep; Enter goes on to a typed confirmation.'),
    failed.length ? vscode.l10n.t('Not read (left out): {0}.', failed.map((r) => r.ctx.connection.label).join(', ')) : undefined,
    partial.length ? vscode.l10n.t('The access index of {0} is not complete: direct shares found so far only.', partial.join(', ')) : undefined,
  ].filter(Boolean).join(' ');
  const chosen = await pickPlanned(vscode.l10n.t('Offboard {0}', email), plans, placeHolder);
  const connections = new Set(chosen.map((c) => c.connectionId)).size;
  const removals = chosen.filter((c) => c.change.op === 'remove-member').length;
  await confirmByTyping(vscode.l10n.t('Offboard {0}', email), vscode.l10n.t('{0} changes in {1} connections, {2} of them removals from an organization.', chosen.length, connections, removals), email);
  const items: ChangeItem[] = chosen.map((c) => ({ connectionId: c.connectionId, change: c.change }));
  const outcomes = await deps.jobs.run(ACROSS, vscode.l10n.t('Offboard {0}', email), { kind: 'person', items }, { record: () => ({ subject: email }) });
  deps.people.refresh(personNode);
  deps.tree.refresh();
  return outcomes;
}

/** Copy Access to…: the same seat or role, groups, projects and direct grants for another email; what needs a member waits. */
async function copyAccess(deps: PeopleCommandDeps, node: unknown): Promise<Outcome<JobItem>[]> {
  const title = vscode.l10n.t('Copy Access to…');
  const fromNode = await personFrom(deps, node, title);
  const from = fromNode.person.email;
  const to = await vscode.window.showInputBox({
    title: vscode.l10n.t('Copy the access of {0} to…', from),
    prompt: vscode.l10n.t('The email of the person who should get the same access.'),
    ignoreFocusOut: true,
    validateInput: (t) => (!looksLikeEmail(t) ? vscode.l10n.t('Type one email address.') : sameEmail(t, from) ? vscode.l10n.t('That is {0} themself; type someone else.', from) : undefined),
  });
  if (to === undefined) throw new UserCancelled();
  const fromReads = ok(await readFresh(deps, fromNode)).filter((r) => r.here.member);
  if (fromReads.length === 0) throw new Error(vscode.l10n.t('{0} is not a member of any connection: there is no access to copy.', from));
  const pickedConnections = await vscode.window.showQuickPick(fromReads.map((r) => ({ label: r.ctx.connection.label, description: PLATFORMS[r.ctx.connection.platform].label, picked: true, read: r })), { title: vscode.l10n.t('Copy into which connections?'), canPickMany: true, ignoreFocusOut: true });
  if (!pickedConnections?.length) throw new UserCancelled();
  const toNode = deps.people.open(to.trim());
  const toReads = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0} in every connection…', to.trim()) }, async () => explained(ok(await toNode.person.read(deps)), (r) => pickedConnections.some((p) => p.read.ctx.connection.id === r.ctx.connection.id)));
  // Why they hold each thing, read only where it is copied (GitBook: two reads a space).
  const fromExplained = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading what {0} holds…', from) }, () => explained(pickedConnections.map((p) => p.read), () => true));
  const plans = await Promise.all(fromExplained.map(async (read) => {
    const target = toReads.find((r) => r.ctx.connection.id === read.ctx.connection.id);
    if (!target) throw new Error(vscode.l10n.t('{0} could not be read for {1}.', read.ctx.connection.label, to));
    const roles = read.ctx.provider.members?.roles;
    const invitable = roles ? new Set((await roles.choices()).filter((c) => c.invitable !== false).map((c) => c.id)) : undefined;
    return { read, plan: copyPlan(read.ctx.connection.id, read.ctx.provider, read.here, target.here, invitable) };
  }));
  const chosen = await pickPlanned(vscode.l10n.t('Copy the access of {0} to {1}', from, to.trim()), plans, vscode.l10n.t('Untick what not to copy. "When they are a member" waits until they accept.'));
  const waiting = new Set(plans.flatMap((p) => p.plan.followUps));
  const now = chosen.filter((c) => !waiting.has(c));
  const later = chosen.filter((c) => waiting.has(c));
  await confirm(vscode.l10n.t('Copy the access of {0} to {1}?', from, to.trim()), vscode.l10n.t('{0} changes now; {1} wait until {2} is a member, and are applied then (on Refresh or at start).', now.length, later.length, to.trim()), vscode.l10n.t('Copy Access'));
  const outcomes = now.length ? await deps.jobs.run(ACROSS, vscode.l10n.t('Copy the access of {0} to {1}', from, to.trim()), { kind: 'person', items: now.map((c) => ({ connectionId: c.connectionId, change: c.change })) }) : [];
  // Follow-ups wait only where the invitation went out (or one was pending already).
  const invitedIn = (connectionId: string) => {
    const invite = outcomes.find((o) => (o.item.payload as ChangeItem).connectionId === connectionId && (o.item.payload as ChangeItem).change.op === 'invite');
    return !invite || invite.status === 'done' || invite.status === 'skipped';
  };
  const kept = later.filter((c) => invitedIn(c.connectionId));
  if (kept.length) deps.followUps.add(kept.map((c) => ({ connectionId: c.connectionId, change: c.change, email: to.trim(), label: personLabeller(deps.store, deps.sessions)(c) })));
  if (kept.length < later.length) void vscode.window.showWarningMessage(vscode.l10n.t('{0} follow-ups were dropped because the invitation in their connection failed.', later.length - kept.length));
  deps.people.refresh(toNode);
  deps.tree.refresh();
  await deps.peopleView().reveal(toNode, { select: true, focus: false, expand: true });
  return outcomes;
}

/** Applies the follow-ups whose person is now a member: one journaled job. */
export function applyFollowUps(deps: PeopleCommandDeps): Promise<number> {
  return deps.followUps.applyReady(async (title: string, items: readonly FollowUp[]) => {
    const outcomes = await deps.jobs.run(ACROSS, title, { kind: 'person', items });
    deps.people.refresh();
    return new Set(outcomes.filter((o) => o.status === 'done').map((o) => (o.item.payload as FollowUp).id));
  });
}

export function peopleCommands(deps: PeopleCommandDeps): Record<string, Handler> {
  return {
    'workspaceAccess.person.find': async () => openPerson(deps, await askPerson(deps, vscode.l10n.t('Find Person…'))),
    'workspaceAccess.person.show': async (node?: unknown) => {
      const email = emailOf(node);
      if (!email) return openPerson(deps, await askPerson(deps, vscode.l10n.t('Show Person Across Connections')));
      return openPerson(deps, email);
    },
    'workspaceAccess.person.close': async (node?: unknown) => {
      const open = deps.people.list();
      if (node instanceof PersonNode) return deps.people.close(node);
      if (open.length === 0) return vscode.window.showInformationMessage(vscode.l10n.t('No person is open in the People view.'));
      const picked = await vscode.window.showQuickPick(open.map((p) => ({ label: p.person.name ?? p.person.email, description: p.person.email, p })), { title: vscode.l10n.t('Close Person'), canPickMany: true, ignoreFocusOut: true });
      if (!picked?.length) throw new UserCancelled();
      for (const x of picked) deps.people.close(x.p);
      return undefined;
    },
    'workspaceAccess.person.refresh': async (node?: unknown) => {
      for (const c of deps.store.list()) deps.sessions.provider(c).invalidate();
      deps.people.refresh(node instanceof PersonNode ? node : undefined);
      await applyFollowUps(deps);
    },
    'workspaceAccess.person.offboard': (node?: unknown) => offboard(deps, node),
    'workspaceAccess.person.copyAccess': (node?: unknown) => copyAccess(deps, node),
    'workspaceAccess.person.buildIndex': async (node?: unknown) => {
      const capable = deps.store.list().filter((c) => needsIndex(deps.sessions.provider(c)));
      if (capable.length === 0) throw new Error(vscode.l10n.t('No connection needs an access index: every platform here says per member what they reach.'));
      let connection = node instanceof PersonConnectionNode ? node.connection : capable.length === 1 ? capable[0] : undefined;
      if (!connection) {
        const picked = await vscode.window.showQuickPick(capable.map((c) => ({ label: c.label, description: PLATFORMS[c.platform].label, c })), { title: vscode.l10n.t('Build the access index of…'), ignoreFocusOut: true });
        if (!picked) throw new UserCancelled();
        connection = picked.c;
      }
      await deps.indexes.build(connection);
      return deps.indexes.get(connection.id)?.size;
    },
    'workspaceAccess.person.dismissFollowUp': async (node?: unknown, selected?: unknown) => {
      const nodes = (Array.isArray(selected) && selected.length ? selected : [node]).filter((n): n is FollowUpNode => n instanceof FollowUpNode);
      let ids = nodes.map((n) => n.followUp.id);
      if (ids.length === 0) {
        const pending = deps.followUps.list();
        if (pending.length === 0) return vscode.window.showInformationMessage(vscode.l10n.t('No follow-up is pending.'));
        const picked = await vscode.window.showQuickPick(pending.map((f) => ({ label: f.label, description: f.email, id: f.id })), { title: vscode.l10n.t('Dismiss Follow-up'), canPickMany: true, ignoreFocusOut: true });
        if (!picked?.length) throw new UserCancelled();
        ids = picked.map((p) => p.id);
      }
      deps.followUps.dismiss(ids);
      return ids.length;
    },
  };
}
