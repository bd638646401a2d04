/**
 * The plan: the changes that would make live match the file, and what cannot be done with why.
 * Planning never writes. Every change and finding carries the span of the line it comes from, so
 * the editor shows drift and expiry where they are, and the CLI prints their line numbers.
 */
import type { Change } from '../changes/change';
import type { InvitedLookup } from './invited';
import type { Member, Principal } from '../model';
import type { Provider } from '../provider';
import type { ConnectionSpec, Fix, Path, Problem, Span } from './parse';
import type { LiveGroup, LiveResource, LiveState } from './live';
import { planLinks, planResources } from './planGrants';
import { planGroups } from './planGroups';
import { planMembers } from './planMembers';
import { planProjects } from './planProjects';
import { expiredWords, lower, refOf, userOf } from './planRoles';

/** Why a change needs more than a click to confirm. */
export type Caution = 'self' | 'owner' | 'ownership';

export interface PlannedChange {
  readonly connectionId: string;
  readonly change: Change;
  readonly kind: 'add' | 'change' | 'remove';
  /** The line it comes from; removals of what the file does not list point at their section. */
  readonly at: Span;
  readonly caution?: Caution;
  /** The platform's own warning for the role (what an ownership transfer does). */
  readonly warning?: string;
  /** It lowers what someone holds (a lower role or seat on the platform's ladder, or away from a role that reaches everything). */
  readonly lowers?: boolean;
}

export interface ConnectionPlan {
  readonly connectionId: string;
  readonly changes: readonly PlannedChange[];
  /** Drift, expiry, pending and what cannot be done: each at its line. */
  readonly findings: readonly Problem[];
}

export interface PlanContext {
  readonly connectionId: string;
  readonly provider: Provider;
  /** Today, as YYYY-MM-DD (UTC): what `until:` is compared with. */
  readonly today: string;
  /** Invitations Apply sent earlier where the platform cannot list them, by lower-case email. */
  readonly invited?: InvitedLookup;
}

/** Lookups built from one live state, kept while it is (an edit plans again against the same state). */
interface LiveIndex {
  readonly byEmail: Map<string, Member>;
  principals?: Map<string, Principal[]>;
  resources?: Map<string, LiveResource>;
  groups?: Map<string, LiveGroup>;
}

const indexes = new WeakMap<LiveState, LiveIndex>();

function indexOf(live: LiveState): LiveIndex {
  let index = indexes.get(live);
  if (!index) indexes.set(live, (index = { byEmail: new Map(live.members.map((m) => [lower(m.email), m])) }));
  return index;
}

/**
 * One connection's plan as it is built: what it collects, and the state and helpers the section
 * planners (planMembers, planGroups, planGrants, planProjects) share. Members not marked private are for them.
 */
export class Planner {
  readonly changes: PlannedChange[] = [];
  readonly findings: Problem[] = [];
  /** Live members by lower-case email. */
  readonly byEmail: Map<string, Member>;
  private readonly index: LiveIndex;
  /** Emails this plan invites, so what needs a member can say it waits for them. */
  readonly invites = new Map<string, Change & { op: 'invite' }>();

  constructor(
    readonly spec: ConnectionSpec,
    readonly live: LiveState,
    readonly ctx: PlanContext,
  ) {
    this.index = indexOf(live);
    this.byEmail = this.index.byEmail;
  }

  add(
    change: Change,
    kind: PlannedChange['kind'],
    at: Span,
    extra: Pick<PlannedChange, 'caution' | 'warning' | 'lowers'> = {},
  ) {
    this.changes.push({ connectionId: this.ctx.connectionId, change, kind, at, ...extra });
  }

  find(at: Span, code: string, message: string, severity: Problem['severity'] = 'warning', fix?: Fix) {
    this.findings.push({ at, code, message, severity, ...(fix ? { fix } : {}) });
  }

  /** Live access an exclusive section leaves out, said at the line it is planned from: Plan removes it. */
  unlisted(at: Span, message: string) {
    this.findings.push({ at, code: 'drift', message, severity: 'info', unlisted: true });
  }

  /** Drift on a line, with the edit that writes the live value into the file. */
  drift(at: Span, message: string, fix: Fix) {
    this.find(at, 'drift', message, 'warning', fix);
  }

  /** Whether an `until:` has passed: said at its line, as something Plan removes while live still has it. */
  expired(
    item: { until?: string; at: Span; path: Path },
    what: string,
    live: boolean,
    gone = 'live no longer has it',
  ): boolean {
    if (!item.until || item.until >= this.ctx.today) return false;
    if (live)
      this.find(
        item.at,
        'expired',
        `${what} ${expiredWords(item.until, this.ctx.today)} (until ${item.until}): Plan removes it.`,
      );
    else
      this.find(item.at, 'stale', `${what} ended on ${item.until} and ${gone}: this line can go.`, 'info', {
        kind: 'delete',
        path: item.path,
      });
    return true;
  }

  isSelf = (m: Member) => this.live.identity?.userId === m.id;

  /** How a member who should not be here leaves: removed, or locked where the platform cannot remove. */
  removeMember(m: Member, at: Span) {
    const members = this.ctx.provider.members;
    const caution = this.isSelf(m) ? 'self' : m.owner ? 'owner' : undefined;
    if (members?.remove) this.add({ op: 'remove-member', member: refOf(m) }, 'remove', at, caution ? { caution } : {});
    else if (members?.setLocked && !m.locked)
      this.add({ op: 'set-locked', member: refOf(m), locked: true }, 'remove', at, caution ? { caution } : {});
  }

  /** Live groups by exact name, by lower-case name and by id (exact names win). */
  groupIndex(): Map<string, LiveGroup> {
    if (!this.index.groups) {
      const index = new Map<string, LiveGroup>();
      for (const g of this.live.groups ?? [])
        for (const k of [g.group.id, lower(g.group.name)]) if (!index.has(k)) index.set(k, g);
      for (const g of this.live.groups ?? []) index.set(g.group.name, g);
      this.index.groups = index;
    }
    return this.index.groups;
  }

  /** Someone the file names who is not a member: they wait for an invitation this file sends, or are unknown. */
  waitsOrUnknown(email: string, at: Span, what: string) {
    if (
      this.invites.has(lower(email)) ||
      this.ctx.invited?.get(lower(email)) ||
      (this.live.invitations ?? []).some((i) => lower(i.email) === lower(email))
    ) {
      this.find(at, 'pending', `${email} is not a member yet: they ${what} once they join (Plan again then).`, 'info');
    } else {
      this.find(
        at,
        'unknown',
        `${email} is not a member, and this file does not invite them: add them to members, or fix the email.`,
      );
    }
  }

  principalOf(key: string): Principal | undefined {
    const colon = key.indexOf(':');
    if (key.includes('@') && (colon === -1 || colon > key.indexOf('@'))) {
      const m = this.byEmail.get(lower(key));
      return m ? userOf(m) : undefined;
    }
    if (!this.index.principals) {
      const index = new Map<string, Principal[]>();
      const put = (k: string, p: Principal) => {
        const list = index.get(k);
        if (list) list.push(p);
        else index.set(k, [p]);
      };
      for (const p of this.live.principals?.values() ?? []) {
        put(`${p.kind}:name:${p.name}`, p);
        put(`${p.kind}:id:${p.id}`, p);
        if (p.kind === 'default') put('default', p);
      }
      this.index.principals = index;
    }
    const principals = this.index.principals;
    if (key === 'default') return principals.get('default')?.[0];
    const [kind, name] = [key.slice(0, colon), key.slice(colon + 1)];
    const wanted = kind === 'service-account' ? 'serviceAccount' : 'group';
    const byName = principals.get(`${wanted}:name:${name}`) ?? [];
    const byId = principals.get(`${wanted}:id:${name}`) ?? [];
    return byName.length === 1 ? byName[0] : byId[0];
  }

  resourceIndex(): Map<string, LiveResource> {
    this.index.resources ??= new Map(
      (this.live.resources ?? []).map((x) => [`${x.resource.type}:${x.resource.id}`, x]),
    );
    return this.index.resources;
  }
}

/** The changes for one connection. Planning never writes. */
export function planConnection(
  spec: ConnectionSpec,
  live: LiveState,
  ctx: PlanContext,
  sectionAt: (section: string) => Span,
): ConnectionPlan {
  const p = new Planner(spec, live, ctx);
  // Members first: what the groups and grants need may be on its way by invitation.
  if (spec.members) planMembers(p, spec.members, sectionAt('members'));
  if (spec.groups) planGroups(p);
  if (spec.resources) planResources(p);
  if (spec.inviteLinks) planLinks(p, sectionAt('inviteLinks'));
  if (spec.projects) planProjects(p);
  return { connectionId: ctx.connectionId, changes: p.changes, findings: p.findings };
}
