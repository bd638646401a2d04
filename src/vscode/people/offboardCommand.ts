import * as vscode from 'vscode';
import type { ChangeItem } from '../../core/changes/change';
import type { Outcome } from '../../core/jobs/bulkTask';
import type { JobItem } from '../../core/jobs/journal';
import type { Member } from '../../core/model';
import { offboardPlan } from '../../core/people/plans';
import type { Provider } from '../../core/provider';
import { ACROSS } from '../jobs/jobRunner';
import { confirmByTyping } from '../prompts';
import type { PersonNode } from './nodes/personNodes';
import { personFrom, type PeopleCommandDeps } from './personTargets';
import { explained, ok, pickPlanned, readFresh } from './planPreview';
import type { Ok } from './readCache';
import { changeWords, keptWords } from './words';

/**
 * Whether the member's role reaches everything and no one else's does who stays: the last admin.
 * `leaving`: the emails of everyone an action removes at once (an offboarding of several people),
 * none of whom counts as staying.
 */
export async function isLastAdmin(
  provider: Provider,
  member: Member,
  leaving: ReadonlySet<string> = new Set(),
): Promise<boolean> {
  const reaches = provider.members?.reachesEverything;
  if (!provider.members || !reaches?.(member)) return false;
  const everyone = await provider.members.list();
  return !everyone.some(
    (m) => m.id !== member.id && !leaving.has(m.email.toLowerCase()) && !m.locked && reaches(m) !== undefined,
  );
}

/**
 * The person's email as a platform lists it for their member record (the first connection that
 * has them), else as an invitation has it, else as typed, in lower case (emails are matched so).
 */
export function ownEmail(typed: string, reads: readonly Ok[]): string {
  const wanted = typed.toLowerCase();
  const own = (e: string | undefined) => (e && e.toLowerCase() === wanted ? e : undefined);
  for (const r of reads) {
    const found = own(r.here.member?.email);
    if (found) return found;
  }
  for (const r of reads) for (const inv of r.here.invitations ?? []) if (own(inv.email)) return inv.email;
  return wanted;
}

/** Offboard…: a preview of every change in every connection, a typed confirmation, one journaled job, a record. */
export async function offboard(deps: PeopleCommandDeps, node: unknown): Promise<Outcome<JobItem>[]> {
  const personNode = await personFrom(deps, node, vscode.l10n.t('Offboard…'));
  return offboardPeople(deps, [personNode]);
}

/** One person's fresh reads and their plan in each connection that answered. */
async function planOffboard(deps: PeopleCommandDeps, personNode: PersonNode, leaving: ReadonlySet<string>) {
  const reads = await readFresh(deps, personNode);
  // The person as the platforms list them, not as typed in the search.
  const email = ownEmail(personNode.person.email, ok(reads));
  const failed = reads.filter((r) => 'error' in r);
  const why = (r: (typeof failed)[number]) =>
    'error' in r && r.error instanceof Error ? r.error.message : String('error' in r ? r.error : '');
  if (ok(reads).length === 0)
    throw new Error(
      vscode.l10n.t(
        '{0} could not be read in any connection: {1}',
        email,
        failed.map((r) => `${r.ctx.connection.label} (${why(r)})`).join('; '),
      ),
    );
  // Where a member cannot be removed outright, their direct grants are: those need why.
  const ready = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading what {0} holds…', email) },
    () => explained(ok(reads), (r) => !r.ctx.provider.members?.remove),
  );
  const plans = await Promise.all(
    ready.map(async (read) => {
      const member = read.here.member;
      const last = member && !read.here.self ? await isLastAdmin(read.ctx.provider, member, leaving) : false;
      return { read, plan: offboardPlan(read.ctx.connection.id, read.ctx.provider, read.here, last) };
    }),
  );
  return { personNode, email, plans, failed: failed.map((r) => ({ label: r.ctx.connection.label, why: why(r) })) };
}

/**
 * Offboards one person, or several at once (everyone the roster says has left): one preview of
 * every change of every person in every connection, one typed confirmation, one journaled job and
 * one record. With several, each heading names the person, and the confirmation is their number.
 */
export async function offboardPeople(
  deps: PeopleCommandDeps,
  personNodes: readonly PersonNode[],
): Promise<Outcome<JobItem>[]> {
  const people: Awaited<ReturnType<typeof planOffboard>>[] = [];
  // One person after another: each read is a notification of its own, and a failure names its person.
  // Everyone offboarded at once leaves together: the last admin is the last one who stays.
  const leaving = new Set(personNodes.map((n) => n.person.email.toLowerCase()));
  for (const node of personNodes) people.push(await planOffboard(deps, node, leaving));
  const many = people.length > 1;
  const subject = many ? vscode.l10n.t('{0} people', people.length) : people[0].email;
  // What is said about a connection is a row of its own under its name, never a long heading.
  const partial = (read: Ok) => read.here.index === 'none' || (read.here.index && !read.here.index.complete);
  const all = people.flatMap((p) => p.plans.map((plan) => ({ ...plan, email: p.email })));
  const chosen = await pickPlanned(
    vscode.l10n.t('Offboard {0}', subject),
    all.map((p) => ({
      ...p,
      heading: many ? `${p.email} · ${p.read.ctx.connection.label}` : undefined,
      notes: partial(p.read)
        ? [
            {
              label: vscode.l10n.t('The access index is not complete'),
              detail: vscode.l10n.t('Direct shares found so far only: build the index to find every one.'),
            },
          ]
        : [],
    })),
    vscode.l10n.t('Untick what to keep; Enter goes on to a typed confirmation.'),
    people.flatMap((p) => p.failed.map((f) => (many ? { ...f, label: `${p.email} · ${f.label}` } : f))),
  );
  // What the preview offered and was unticked: the record says it was kept, and why.
  const kept = all.flatMap(({ read, plan, email }) =>
    plan.changes
      .filter((p) => !chosen.includes(p))
      .map((p) => ({
        label: `${many ? `${email} · ` : ''}${read.ctx.connection.label}: ${changeWords(p.change, read.ctx.connection.platform, read.ctx.provider)}`,
        why: p.caution ? keptWords(p.caution) : vscode.l10n.t('unticked in the preview'),
      })),
  );
  const connections = new Set(chosen.map((c) => c.connectionId)).size;
  const removals = chosen.filter((c) => c.change.op === 'remove-member').length;
  await confirmByTyping(
    vscode.l10n.t('Offboard {0}', subject),
    vscode.l10n.t(
      '{0} changes in {1} connections, {2} of them removals from an organization.',
      chosen.length,
      connections,
      removals,
    ),
    subject,
  );
  const items: ChangeItem[] = chosen.map((c) => ({ connectionId: c.connectionId, change: c.change }));
  const outcomes = await deps.jobs.run(
    ACROSS,
    vscode.l10n.t('Offboard {0}', subject),
    { kind: 'person', items },
    { record: () => ({ subject: many ? people.map((p) => p.email).join(', ') : subject, kept }) },
  );
  for (const p of people) deps.people.refresh(p.personNode);
  deps.tree.refresh();
  return outcomes;
}
