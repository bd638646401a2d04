/**
 * The plan: the changes that would make live match the file, and what cannot be done with why.
 * Planning never writes. Every change and finding carries the span of the line it comes from, so
 * the editor shows drift and expiry where they are, and the CLI prints their line numbers.
 */
import { linkTarget, type Change, type MemberRef, type ResourceRef } from '../changes/change';
import type { Grant, InviteLink, Member, Principal } from '../model';
import type { Provider, RoleChoice } from '../provider';
import type { ConnectionSpec, Fix, GrantSpec, MemberSpec, Path, Problem, Span } from './parse';
import type { LiveGroup, LiveResource, LiveState } from './live';

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
  /** Emails invited earlier by Apply, where the platform cannot list invitations (lower case). */
  readonly invited?: ReadonlySet<string>;
}

const lower = (s: string) => s.toLowerCase();
const refOf = (m: Member): MemberRef => ({ id: m.id, email: m.email, name: m.name });
const userOf = (m: Member): Principal => ({ kind: 'user', id: m.id, name: m.name, email: m.email });
const bare = (label: string) => label.replace(/ \(custom\)$/, '');

/** A role named in the file: by id, or by its label (any case). */
export function resolveRole(choices: readonly RoleChoice[], name: string): RoleChoice | undefined {
  const n = lower(name);
  return choices.find((c) => c.id === name) ?? choices.find((c) => lower(c.id) === n || lower(bare(c.label)) === n);
}

/** How the file writes a role: the id where the platform fixes them, the name where roles are the organization's records. */
export const fileRole = (choice: RoleChoice | undefined, listed: boolean, fallback = ''): string => (choice ? (listed ? bare(choice.label) : choice.id) : fallback);

/** Whole days from `a` to `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

const expiredWords = (until: string, today: string) => {
  const days = daysBetween(until, today);
  return days === 1 ? 'expired yesterday' : `expired ${days} days ago`;
};


/** The key the file names a principal by. */
export function principalKey(p: Principal, prefix: string, groupNameTaken?: (name: string) => boolean): string {
  switch (p.kind) {
    case 'user':
      return p.email ?? p.id;
    case 'group':
      return `${prefix}:${groupNameTaken?.(p.name) ? p.id : p.name}`;
    case 'serviceAccount':
      return `service-account:${p.name}`;
    default:
      return 'default';
  }
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

class Planner {
  readonly changes: PlannedChange[] = [];
  readonly findings: Problem[] = [];
  private readonly byEmail: Map<string, Member>;
  private readonly index: LiveIndex;
  /** Emails this plan invites, so what needs a member can say it waits for them. */
  private readonly invites = new Map<string, Change & { op: 'invite' }>();

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly live: LiveState,
    private readonly ctx: PlanContext,
  ) {
    this.index = indexOf(live);
    this.byEmail = this.index.byEmail;
  }

  private add(change: Change, kind: PlannedChange['kind'], at: Span, extra: Pick<PlannedChange, 'caution' | 'warning'> = {}) {
    this.changes.push({ connectionId: this.ctx.connectionId, change, kind, at, ...extra });
  }

  private find(at: Span, code: string, message: string, severity: Problem['severity'] = 'warning', fix?: Fix) {
    this.findings.push({ at, code, message, severity, ...(fix ? { fix } : {}) });
  }

  /** Drift on a line, with the edit that writes the live value into the file. */
  private drift(at: Span, message: string, fix: Fix) {
    this.find(at, 'drift', message, 'warning', fix);
  }

  /** Whether an `until:` has passed: said at its line, as something Plan removes while live still has it. */
  private expired(item: { until?: string; at: Span; path: Path }, what: string, live: boolean): boolean {
    if (!item.until || item.until >= this.ctx.today) return false;
    if (live) this.find(item.at, 'expired', `${what} ${expiredWords(item.until, this.ctx.today)} (until ${item.until}): Plan removes it.`);
    else this.find(item.at, 'stale', `${what} ended on ${item.until} and live no longer has it: this line can go.`, 'info', { kind: 'delete', path: item.path });
    return true;
  }

  private isSelf = (m: Member) => this.live.identity?.userId === m.id;

  /** How a member who should not be here leaves: removed, or locked where the platform cannot remove. */
  private removeMember(m: Member, at: Span) {
    const members = this.ctx.provider.members;
    const caution = this.isSelf(m) ? 'self' : m.owner ? 'owner' : undefined;
    if (members?.remove) this.add({ op: 'remove-member', member: refOf(m) }, 'remove', at, caution ? { caution } : {});
    else if (members?.setLocked && !m.locked) this.add({ op: 'set-locked', member: refOf(m), locked: true }, 'remove', at, caution ? { caution } : {});
  }

  members(specs: readonly MemberSpec[], sectionAt: Span) {
    const f = this.spec.facts;
    const roles = this.ctx.provider.members?.roles;
    const listed = !!roles?.listed;
    const pending = new Set((this.live.invitations ?? []).map((i) => lower(i.email)));
    const declared = new Set<string>();
    for (const m of specs) {
      const email = lower(m.email);
      declared.add(email);
      const live = this.byEmail.get(email);
      const choice = m.role ? resolveRole(this.live.roles, m.role) : undefined;
      if (m.role && !choice) {
        this.find(m.at, 'unknown', `"${m.role}" is not a ${f.members.roleKey} of this ${f.label} ${f.match.key}; use one of: ${this.live.roles.map((r) => fileRole(r, listed)).join(', ')}.`, 'error');
        continue;
      }
      if (this.expired(m, m.email, !!live)) {
        if (live) this.removeMember(live, m.at);
        continue;
      }
      if (!live) {
        if (pending.has(email)) this.find(m.at, 'pending', `${m.email} is invited and has not joined yet.`, 'info');
        else if (this.ctx.invited?.has(email)) this.find(m.at, 'pending', `${m.email} was invited by Apply and has not joined yet (${f.label} cannot list invitations).`, 'info');
        else if (choice && choice.invitable === false) this.find(m.at, 'unknown', `${choice.label} cannot be given by invitation: invite ${m.email} with another role, and change it once they join.`, 'error');
        else {
          const invite = { op: 'invite' as const, email: m.email, ...(choice ? { role: choice.id, roleLabel: choice.label } : {}) };
          this.invites.set(email, invite);
          this.add(invite, 'add', m.at);
          this.drift(m.at, `live: not a member. Plan invites ${m.email}.`, { kind: 'delete', path: m.path });
        }
        continue;
      }
      if (choice && choice.id !== live.role) {
        const warning = roles?.warning?.([live], choice);
        this.add({ op: 'set-role', member: refOf(live), role: choice.id, roleLabel: choice.label, from: live.roleLabel ?? live.role }, 'change', m.at, warning ? { caution: 'ownership', warning } : this.isSelf(live) ? { caution: 'self' } : {});
        const now = fileRole(resolveRole(this.live.roles, live.role ?? ''), listed, live.roleLabel ?? live.role ?? 'no role');
        this.drift(m.at, `live: ${now}`, { kind: 'set', path: m.path, key: f.members.roleKey, value: now });
      }
      if (m.locked !== undefined && m.locked !== !!live.locked) {
        this.add({ op: 'set-locked', member: refOf(live), locked: m.locked }, 'change', m.at, !m.locked ? {} : this.isSelf(live) ? { caution: 'self' } : {});
        this.drift(m.at, `live: ${live.locked ? 'locked' : 'not locked'}`, { kind: 'set', path: m.path, key: 'locked', value: !!live.locked });
      }
    }
    if (this.spec.exclusive.has('members')) {
      // Left out: removed, or locked where the platform cannot remove (someone locked already needs nothing).
      const extra = this.live.members.filter((m) => !declared.has(lower(m.email)) && (!!this.ctx.provider.members?.remove || !m.locked));
      for (const m of extra) this.removeMember(m, sectionAt);
      if (extra.length) this.find(sectionAt, 'drift', `live: ${extra.length} member(s) the file does not list. Plan ${this.ctx.provider.members?.remove ? 'removes' : 'locks'} them.`, 'info');
    }
    this.afterTransfers();
  }

  /**
   * A role only one person holds (ownership) leaves its holder by the transfer itself, and the
   * platform refuses to change or remove the holder before it: their own change waits for the next Plan.
   */
  private afterTransfers() {
    for (const t of this.changes.filter((c) => c.caution === 'ownership')) {
      if (t.change.op !== 'set-role') continue;
      const { role, roleLabel, member: to } = t.change;
      const holders = new Set(this.live.members.filter((m) => m.role === role && m.id !== to.id).map((m) => m.id));
      for (const c of [...this.changes]) {
        if ((c.change.op !== 'set-role' && c.change.op !== 'remove-member') || !holders.has(c.change.member.id)) continue;
        this.changes.splice(this.changes.indexOf(c), 1);
        this.find(c.at, 'pending', `${c.change.member.email} stops being ${roleLabel} when ${to.email} becomes ${roleLabel}: Plan again after Apply for the rest of their change.`, 'info');
      }
    }
  }

  /** Live groups by exact name, by lower-case name and by id (exact names win). */
  private groupIndex(): Map<string, LiveGroup> {
    if (!this.index.groups) {
      const index = new Map<string, LiveGroup>();
      for (const g of this.live.groups ?? []) for (const k of [g.group.id, lower(g.group.name)]) if (!index.has(k)) index.set(k, g);
      for (const g of this.live.groups ?? []) index.set(g.group.name, g);
      this.index.groups = index;
    }
    return this.index.groups;
  }

  groups() {
    const spec = this.spec.groups ?? [];
    const groups = this.ctx.provider.groups;
    const word = groups?.word ?? 'group';
    for (const g of spec) {
      const live = this.groupIndex().get(g.name) ?? this.groupIndex().get(lower(g.name));
      if (!live) {
        this.find(g.at, 'unknown', `This ${this.spec.facts.label} ${this.spec.facts.match.key} has no ${word} named "${g.name}": create it there, or fix the name.`);
        continue;
      }
      if (live.group.system) {
        this.find(g.at, 'unknown', `"${g.name}" is managed by ${this.spec.facts.label}: its members cannot be changed.`);
        continue;
      }
      const ref = { id: live.group.id, name: live.group.name };
      const inGroup = new Map(live.members.map((m) => [lower(m.email), m]));
      for (const want of g.members) {
        const email = lower(want.email);
        const here = inGroup.get(email);
        if (here) {
          const role = groups?.roles?.of(here);
          if (want.role && role !== want.role) {
            this.add({ op: 'set-group-role', group: ref, member: refOf(here), role: want.role }, 'change', want.at);
            this.drift(want.at, `live: ${role ?? 'member'}`, { kind: 'set', path: want.path, value: role ?? 'member' });
          }
          continue;
        }
        const member = this.byEmail.get(email);
        if (member) {
          this.add({ op: 'join-group', group: ref, email: member.email, name: member.name, ...(want.role ? { role: want.role } : {}) }, 'add', want.at);
          this.drift(want.at, `live: not in "${live.group.name}".`, { kind: 'delete', path: want.path });
          continue;
        }
        const invite = this.invites.get(email);
        if (invite && this.ctx.provider.invitations?.options?.groups) {
          this.invites.set(email, Object.assign(invite, { groups: [...(invite.groups ?? []), ref] }));
          this.find(want.at, 'drift', `live: not a member. The invitation puts ${want.email} in "${live.group.name}".`, 'info');
        } else this.waitsOrUnknown(want.email, want.at, `join "${live.group.name}"`);
      }
      if (this.spec.exclusive.has('groups')) {
        const wanted = new Set(g.members.map((m) => lower(m.email)));
        for (const m of live.members) if (!wanted.has(lower(m.email))) {
          this.add({ op: 'leave-group', group: ref, member: refOf(m) }, 'remove', g.at);
          this.find(g.at, 'drift', `live: ${m.email} is in "${live.group.name}" and the file does not list them. Plan removes them.`, 'info');
        }
      }
    }
  }

  /** Someone the file names who is not a member: they wait for an invitation this file sends, or are unknown. */
  private waitsOrUnknown(email: string, at: Span, what: string) {
    if (this.invites.has(lower(email)) || this.ctx.invited?.has(lower(email)) || (this.live.invitations ?? []).some((i) => lower(i.email) === lower(email))) {
      this.find(at, 'pending', `${email} is not a member yet: they ${what} once they join (Plan again then).`, 'info');
    } else {
      this.find(at, 'unknown', `${email} is not a member, and this file does not invite them: add them to members, or fix the email.`);
    }
  }

  private principalOf(key: string): Principal | undefined {
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

  private resourceIndex(): Map<string, LiveResource> {
    this.index.resources ??= new Map((this.live.resources ?? []).map((x) => [`${x.resource.type}:${x.resource.id}`, x]));
    return this.index.resources;
  }

  resources() {
    const prefix = this.spec.facts.groups?.prefix ?? 'group';
    const sharing = this.ctx.provider.sharing;
    for (const r of this.spec.resources ?? []) {
      const live: LiveResource | undefined = this.resourceIndex().get(`${r.type}:${r.id}`);
      const grants = live?.grants;
      if (!grants) {
        this.find(r.at, 'unknown', `${r.type} ${r.id}${r.name ? ` ("${r.name}")` : ''} no longer exists, or this connection's key cannot see it.`);
        continue;
      }
      const ref: ResourceRef = { type: r.type, id: r.id, name: r.name ?? r.id };
      const held = (p: Principal) => grants.find((g) => g.principal.kind === p.kind && g.principal.id === p.id);
      const wanted = new Set<string>();
      for (const g of r.grants) this.grant(g, ref, held, wanted);
      if (this.spec.exclusive.has('resources') && sharing?.unshare) {
        for (const g of grants) {
          if (wanted.has(`${g.principal.kind}:${g.principal.id}`) || g.fixed || g.creator || g.principal.kind === 'anonymous') continue;
          const self = g.principal.kind === 'user' && g.principal.id === this.live.identity?.userId;
          this.add({ op: 'revoke', resource: ref, principal: g.principal, from: g.role }, 'remove', r.at, self ? { caution: 'self' } : {});
          this.find(r.at, 'drift', `live: ${principalKey(g.principal, prefix)} holds ${g.role} and the file does not list them. Plan removes it.`, 'info');
        }
      }
    }
  }

  private grant(g: GrantSpec, ref: ResourceRef, held: (p: Principal) => Grant | undefined, wanted: Set<string>) {
    const principal = this.principalOf(g.principal);
    if (!principal) {
      if (g.principal.includes('@')) this.waitsOrUnknown(g.principal, g.at, `get ${g.role} on "${ref.name}"`);
      else this.find(g.at, 'unknown', `${g.principal} is not known in this ${this.spec.facts.label} ${this.spec.facts.match.key}: fix the name.`);
      return;
    }
    wanted.add(`${principal.kind}:${principal.id}`);
    const now = held(principal);
    const removable = now && !now.fixed && !now.creator ? now : undefined;
    if (this.expired(g, `${g.principal}'s ${g.role}`, !!removable)) {
      if (removable) this.add({ op: 'revoke', resource: ref, principal, from: removable.role }, 'remove', g.at);
      return;
    }
    if (now?.role === g.role) return;
    if (now && (now.fixed || now.creator)) {
      this.find(g.at, 'unknown', `live: ${now.role}. ${now.fixed ?? 'The creator keeps admin.'}`);
      return;
    }
    this.add({ op: 'grant', resource: ref, principal, role: g.role, ...(now ? { from: now.role } : {}) }, now ? 'change' : 'add', g.at);
    this.drift(g.at, `live: ${now?.role ?? 'no access'}`, now ? { kind: 'set', path: g.path, key: 'role', value: now.role } : { kind: 'delete', path: g.path });
  }

  links(sectionAt: Span) {
    const live = [...(this.live.links ?? [])];
    const targetOf = (l: InviteLink) => linkTarget(l.target);
    // A link is its target and role: the same ones match; what is left on one target is a role change.
    const wants = (this.spec.inviteLinks ?? []).filter((want) => {
      const i = live.findIndex((l) => targetOf(l) === want.target && l.role === want.role);
      if (i !== -1) live.splice(i, 1);
      return i === -1;
    });
    for (const want of wants) {
      const i = live.findIndex((l) => targetOf(l) === want.target);
      if (i !== -1) {
        const [link] = live.splice(i, 1);
        this.add({ op: 'update-link', link, role: want.role }, 'change', want.at);
        this.drift(want.at, `live: ${link.role}`, { kind: 'set', path: want.path, key: 'role', value: link.role });
        continue;
      }
      const [kind, id] = want.target.split(/:(.*)/s);
      const target: InviteLink['target'] = kind === 'organization' ? { kind: 'organization' } : { kind: kind as 'space' | 'collection', id, name: id };
      this.add({ op: 'create-link', target, role: want.role }, 'add', want.at);
      this.drift(want.at, 'live: no such invite link.', { kind: 'delete', path: want.path });
    }
    if (this.spec.exclusive.has('inviteLinks')) {
      for (const link of live) this.add({ op: 'delete-link', link }, 'remove', sectionAt);
      if (live.length) this.find(sectionAt, 'drift', `live: ${live.length} invite link(s) the file does not list. Plan deletes them.`, 'info');
    }
  }

  projects() {
    for (const id of this.live.missingProjects ?? []) {
      const p = this.spec.projects?.find((x) => x.id === id);
      if (p) this.find(p.at, 'unknown', `Project ${id}${p.name ? ` ("${p.name}")` : ''} no longer exists, or this connection's key cannot see it.`);
    }
    for (const p of this.spec.projects ?? []) {
      const live = this.live.projects?.find((x) => x.project.id === p.id);
      if (!live) continue;
      const ref = { id: live.project.id, name: live.project.name };
      const inProject = new Map(live.members.map((m) => [lower(m.email), m]));
      const pending = new Set((live.invitations ?? []).map((i) => lower(i.email)));
      const warn = this.ctx.provider.projects?.roleWarning;
      for (const m of p.members) {
        const choice = m.role ? resolveRole(live.roles, m.role) : undefined;
        if (!choice) {
          this.find(m.at, 'unknown', `"${m.role ?? ''}" is not a role of project "${live.project.name}"; use one of: ${live.roles.map((r) => bare(r.label)).join(', ')}.`, 'error');
          continue;
        }
        const here = inProject.get(lower(m.email));
        if (this.expired(m, `${m.email} in "${live.project.name}"`, !!here)) {
          if (here) this.add({ op: 'leave-project', project: ref, member: refOf(here) }, 'remove', m.at);
          continue;
        }
        if (here) {
          if (here.role !== choice.id) {
            const warning = warn?.([here], choice);
            this.add({ op: 'set-project-role', project: ref, member: refOf(here), role: choice.id, roleLabel: choice.label, from: here.roleLabel ?? here.role }, 'change', m.at, warning ? { caution: 'ownership', warning } : {});
            const now = bare(here.roleLabel ?? here.role ?? '');
            this.drift(m.at, `live: ${now}`, { kind: 'set', path: m.path, key: 'role', value: now });
          }
          continue;
        }
        if (pending.has(lower(m.email))) {
          this.find(m.at, 'pending', `${m.email} is invited to "${live.project.name}" and has not joined yet.`, 'info');
          continue;
        }
        if (choice.invitable === false) {
          this.find(m.at, 'unknown', `${bare(choice.label)} cannot be given by invitation: invite ${m.email} with another role, and change it once they join.`, 'error');
          continue;
        }
        this.add({ op: 'join-project', project: ref, email: m.email, role: choice.id, roleLabel: choice.label }, 'add', m.at);
        this.drift(m.at, `live: not in "${live.project.name}". Plan invites ${m.email}.`, { kind: 'delete', path: m.path });
      }
      if (this.spec.exclusive.has('projects')) {
        const wanted = new Set(p.members.map((m) => lower(m.email)));
        for (const m of live.members) if (!wanted.has(lower(m.email))) {
          this.add({ op: 'leave-project', project: ref, member: refOf(m) }, 'remove', p.at, m.owner ? { caution: 'owner' } : {});
          this.find(p.at, 'drift', `live: ${m.email} is in "${live.project.name}" and the file does not list them. Plan removes them.`, 'info');
        }
      }
    }
  }
}

/** The changes for one connection. Planning never writes. */
export function planConnection(spec: ConnectionSpec, live: LiveState, ctx: PlanContext, sectionAt: (section: string) => Span): ConnectionPlan {
  const p = new Planner(spec, live, ctx);
  // Members first: what the groups and grants need may be on its way by invitation.
  if (spec.members) p.members(spec.members, sectionAt('members'));
  if (spec.groups) p.groups();
  if (spec.resources) p.resources();
  if (spec.inviteLinks) p.links(sectionAt('inviteLinks'));
  if (spec.projects) p.projects();
  return { connectionId: ctx.connectionId, changes: p.changes, findings: p.findings };
}
