/**
 * Closing a review: each decision that is not keep becomes a change of the one vocabulary, checked
 * against live read now. What a decision names that is no longer there (someone who left the
 * platform since, a grant already removed) is reported, not an error; what people in scope hold now
 * that the review never listed (granted after it started) is named and left alone. Planning never
 * writes; the job engine sends the changes.
 */
import type { Change, MemberRef } from '../changes/change';
import type { LiveState } from '../access/live';
import type { Member } from '../model';
import { sameEmail } from '../people/email';
import { itemKey, KEEP, REVOKE, roleNamed, type Review, type ReviewItem } from './review';
import { startReview, type ConnectionRead } from './start';

/** Why a change needs the typed confirmation: the key's own account, an owner, or the last admin. */
export type ReviewCaution = 'self' | 'owner' | 'last-admin';

export interface ReviewChange {
  readonly email: string;
  readonly item: ReviewItem;
  /** The connection key (the review's `at`). */
  readonly at: string;
  readonly change: Change;
  readonly caution?: ReviewCaution;
}

/** An item of the review and the person who held it. */
export interface HeldItem {
  readonly email: string;
  readonly item: ReviewItem;
}

export interface ClosePlan {
  readonly changes: readonly ReviewChange[];
  /** Decided revoke or lower, but no longer held (the person left the platform, or it was already done). */
  readonly gone: readonly HeldItem[];
  /** Held now by people in scope, never reviewed: granted after the review started. Not revoked. */
  readonly unreviewed: readonly HeldItem[];
  /** Connections the review names that could not be read now: their decisions wait. */
  readonly unread: readonly string[];
  readonly kept: number;
}

const lower = (s: string) => s.toLowerCase();
const ref = (m: Member): MemberRef => ({ id: m.id, email: m.email, name: m.name });

/** What a live state holds, looked up by the review's item identities. */
class Held {
  private readonly byEmail: Map<string, Member>;
  constructor(
    readonly read: ConnectionRead,
    private readonly live: LiveState = read.live,
  ) {
    this.byEmail = new Map(live.members.map((m) => [lower(m.email), m]));
  }

  member(email: string): Member | undefined {
    return this.byEmail.get(lower(email));
  }

  isSelf(m: Member): boolean {
    const me = this.live.identity;
    return !!me && ((me.userId !== undefined && me.userId === m.id) || sameEmail(me.email, m.email));
  }

  isAdmin(m: Member): boolean {
    return !!m.owner || !!this.read.provider.members?.reachesEverything?.(m);
  }

  /** The change a decision makes here, or undefined when what it names is no longer held. */
  changeFor(email: string, item: ReviewItem): Change | undefined {
    const decision = item.decision ?? KEEP;
    const m = this.member(email);
    const revoke = decision === REVOKE;
    const roles = this.read.live;
    switch (item.kind) {
      case 'member': {
        if (!m) return undefined;
        if (revoke)
          return this.read.provider.members?.remove
            ? { op: 'remove-member', member: ref(m) }
            : m.locked
              ? undefined
              : { op: 'set-locked', member: ref(m), locked: true };
        const role = roleNamed(
          roles.roles.map((r) => ({ id: r.id, label: r.label })),
          decision,
        );
        if (!role || m.role === role.id) return undefined;
        return { op: 'set-role', member: ref(m), role: role.id, roleLabel: role.label, from: m.role };
      }
      case 'group': {
        const g = this.live.groups?.find((x) => x.group.id === item.id);
        const inIt = g?.members.find((x) => sameEmail(x.email, email));
        if (!g || !inIt) return undefined;
        const member = m ?? inIt;
        if (revoke) return { op: 'leave-group', group: { id: g.group.id, name: g.group.name }, member: ref(member) };
        const choices = this.read.provider.groups?.roles?.choices ?? [];
        const role = roleNamed(
          choices.map((r) => ({ id: r.id, label: r.label })),
          decision,
        );
        if (!role || inIt.groupRole === role.id) return undefined;
        return {
          op: 'set-group-role',
          group: { id: g.group.id, name: g.group.name },
          member: ref(member),
          role: role.id,
        };
      }
      case 'grant': {
        if (!m) return undefined;
        const r = this.live.resources?.find((x) => x.resource.type === item.type && x.resource.id === item.id);
        const grant = r?.grants?.find((g) => g.principal.kind === 'user' && g.principal.id === m.id);
        if (!r || !grant) return undefined;
        const resource = { type: r.resource.type, id: r.resource.id, name: r.resource.name };
        if (revoke) return { op: 'revoke', resource, principal: grant.principal, from: grant.role };
        if (grant.role === decision) return undefined;
        return { op: 'grant', resource, principal: grant.principal, role: decision, from: grant.role };
      }
      case 'project': {
        const p = this.live.projects?.find((x) => x.project.id === item.id);
        const inIt = p?.members.find((x) => sameEmail(x.email, email));
        if (!p || !inIt) return undefined;
        const project = { id: p.project.id, name: p.project.name };
        if (revoke) return { op: 'leave-project', project, member: ref(inIt) };
        const role = p.roles.find((x) => x.label.toLowerCase() === decision.toLowerCase());
        if (!role || inIt.role === role.id || inIt.roleLabel === role.label) return undefined;
        return {
          op: 'set-project-role',
          project,
          member: ref(inIt),
          role: role.id,
          roleLabel: role.label,
          from: inIt.role,
        };
      }
      case 'invitation': {
        const inv = this.live.invitations?.find((x) => x.id === item.id);
        return inv && revoke ? { op: 'revoke-invitation', email: inv.email, invitation: inv } : undefined;
      }
    }
  }
}

/** What the review's scope holds in live read now (of the connections read), as a review would list it. */
export function heldNow(review: Review, reads: readonly ConnectionRead[]): Review {
  const keys = new Set(reads.map((r) => r.key));
  return startReview(reads, {
    name: review.name,
    due: review.due,
    reviewers: review.reviewers,
    scope: { ...review.scope, connections: review.scope.connections.filter((k) => keys.has(k)) },
    started: review.started,
  });
}

/** Whether a change takes away an admin's admin: a removal, a lock, or a lower membership role. */
const demotes = (c: Change) => c.op === 'remove-member' || c.op === 'set-locked' || c.op === 'set-role';

/**
 * The changes taken in turn from each connection, each connection's own order kept: the job's window
 * then holds every connection's changes side by side, instead of one connection's while the others
 * wait (1.25 × the slowest connection's bound against 1.7 × in the review's order, review-close).
 */
function byConnectionInTurn(changes: readonly ReviewChange[]): ReviewChange[] {
  const byAt = new Map<string, ReviewChange[]>();
  for (const c of changes) {
    const queue = byAt.get(c.at);
    if (queue) queue.push(c);
    else byAt.set(c.at, [c]);
  }
  const queues = [...byAt.values()];
  const out: ReviewChange[] = [];
  for (let i = 0; out.length < changes.length; i++) for (const q of queues) if (i < q.length) out.push(q[i]);
  return out;
}

/** The changes a decided review makes against live read now. `reads` are the review's connections, read afresh. */
export function closePlan(review: Review, reads: readonly ConnectionRead[]): ClosePlan {
  const held = new Map(reads.map((r) => [r.key, new Held(r)]));
  const changes: ReviewChange[] = [];
  const gone: HeldItem[] = [];
  let kept = 0;
  for (const p of review.people)
    for (const item of p.access) {
      if (!item.decision || item.decision === KEEP) {
        kept++;
        continue;
      }
      const here = held.get(item.at);
      if (!here) continue;
      const change = here.changeFor(p.email, item);
      if (change) changes.push({ email: p.email, item, at: item.at, change });
      else gone.push({ email: p.email, item });
    }
  const cautioned = changes.map((c) => {
    const here = held.get(c.at);
    const m = here?.member(c.email);
    if (!here || !m || c.item.kind !== 'member') return c;
    if (here.isSelf(m)) return { ...c, caution: 'self' as const };
    if (m.owner) return { ...c, caution: 'owner' as const };
    return c;
  });
  // The last admin: every admin of a connection demoted by this review, and none left besides.
  for (const [key, here] of held) {
    const admins = here.read.live.members.filter((m) => here.isAdmin(m));
    const demoted = cautioned.filter(
      (c) => c.at === key && demotes(c.change) && admins.some((a) => sameEmail(a.email, c.email)),
    );
    if (admins.length && demoted.length === admins.length)
      for (const c of demoted) {
        const i = cautioned.indexOf(c);
        if (!cautioned[i].caution) cautioned[i] = { ...c, caution: 'last-admin' };
      }
  }
  // What people in scope hold now that the review never listed.
  const now = heldNow(review, reads);
  const listed = new Set(review.people.flatMap((p) => p.access.map((i) => itemKey(p.email, i))));
  const unreviewed: HeldItem[] = [];
  for (const p of now.people)
    for (const item of p.access) if (!listed.has(itemKey(p.email, item))) unreviewed.push({ email: p.email, item });
  return {
    changes: byConnectionInTurn(cautioned),
    gone,
    unreviewed,
    unread: review.scope.connections.filter((k) => !held.has(k)),
    kept,
  };
}
