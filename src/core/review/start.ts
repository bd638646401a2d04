/**
 * A review started from live: each connection's state as an export reads it (readLive), turned
 * into one entry per person with every item they hold there and why, and the context a reviewer
 * needs (roster, external, last activity, findings). Planning never writes; neither does this.
 */
import type { LiveState } from '../access/live';
import type { Member } from '../model';
import type { Provider } from '../provider';
import {
  REVIEW_FORMAT,
  type ItemKind,
  type KindRoles,
  type PersonContext,
  type Review,
  type ReviewConnection,
  type ReviewItem,
  type ReviewPerson,
  type ReviewScope,
} from './review';
import { snapshotHash } from './snapshot';

/** One connection's live state, with what the review needs to know of its platform. */
export interface ConnectionRead {
  readonly key: string;
  readonly platform: string;
  readonly name: string;
  readonly provider: Provider;
  readonly live: LiveState;
}

export interface StartOptions {
  readonly name: string;
  readonly due: string;
  readonly reviewers: readonly string[];
  readonly scope: ReviewScope;
  /** ISO date-time the live state was read. */
  readonly started: string;
  /** What is known of a person besides their access (roster, activity, findings). */
  readonly context?: (email: string) => PersonContext | undefined;
  /** The people findings name, for the `findings` scope (lower-case emails). */
  readonly flagged?: ReadonlySet<string>;
}

const lower = (s: string) => s.toLowerCase();

/** The item without keys left undefined: what the file writes and reads back. */
const defined = (item: ReviewItem): ReviewItem =>
  Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as unknown as ReviewItem;

/** The roles a decision may name in one connection, per kind of item. */
export function rolesOf(provider: Provider, live: LiveState): Partial<Record<ItemKind, KindRoles>> {
  const roles: Partial<Record<ItemKind, KindRoles>> = {};
  const members = provider.members?.roles;
  if (members && live.roles.length)
    roles.member = { roles: live.roles.map((r) => ({ id: r.id, label: r.label })), ranked: !!members.ranked };
  const groupRoles = provider.groups?.roles;
  if (groupRoles) roles.group = { roles: groupRoles.choices.map((r) => ({ id: r.id, label: r.label })), ranked: true };
  if (provider.sharing)
    roles.grant = { roles: provider.sharing.roles.roles.map((r) => ({ id: r, label: r })), ranked: true };
  const project = live.projects?.[0];
  if (provider.projects && project) {
    const ranked = provider.projects.ranked;
    const preset = ranked ? project.roles.filter((r) => ranked.includes(r.label)) : [];
    roles.project = ranked
      ? {
          roles: preset
            .sort((a, b) => ranked.indexOf(a.label) - ranked.indexOf(b.label))
            .map((r) => ({ id: r.label, label: r.label })),
          ranked: true,
        }
      : { roles: project.roles.map((r) => ({ id: r.label, label: r.label })), ranked: false };
  }
  return roles;
}

/** Everything each member of one connection holds there, by lower-case email. */
function itemsOf(read: ConnectionRead, typeOnly?: string): Map<string, { member?: Member; items: ReviewItem[] }> {
  const { key: at, live, provider } = read;
  const people = new Map<string, { member?: Member; items: ReviewItem[] }>();
  const entry = (email: string) => {
    const k = lower(email);
    let e = people.get(k);
    if (!e) people.set(k, (e = { items: [] }));
    return e;
  };
  const byId = new Map(live.members.map((m) => [m.id, m]));
  const roles = rolesOf(provider, live);
  const roleLabel = (kind: ItemKind, id: string | undefined) =>
    id === undefined ? undefined : (roles[kind]?.roles.find((r) => r.id === id)?.label ?? id);
  for (const m of live.members) {
    const e = entry(m.email);
    e.member = m;
    if (typeOnly) continue;
    const everything = provider.members?.reachesEverything?.(m);
    e.items.push(
      defined({
        at,
        kind: 'member',
        id: m.id,
        name: read.name,
        role: m.roleLabel ?? roleLabel('member', m.role),
        via: m.owner ? 'owner' : everything ? 'reaches everything' : undefined,
      }),
    );
  }
  if (!typeOnly) {
    for (const inv of live.invitations ?? [])
      entry(inv.email).items.push(
        defined({
          at,
          kind: 'invitation',
          id: inv.id,
          name: read.name,
          role: roleLabel('member', inv.roleId),
          via: inv.createdAt ? `invited ${inv.createdAt.slice(0, 10)}` : 'invited',
        }),
      );
    const groupRoles = provider.groups?.roles;
    for (const g of live.groups ?? []) {
      if (g.group.system) continue;
      for (const m of g.members)
        entry(m.email).items.push(
          defined({
            at,
            kind: 'group',
            id: g.group.id,
            name: g.group.name,
            role: groupRoles ? roleLabel('group', groupRoles.of(m)) : undefined,
          }),
        );
    }
    for (const p of live.projects ?? [])
      for (const m of p.members)
        entry(m.email).items.push(
          defined({
            at,
            kind: 'project',
            id: p.project.id,
            name: p.project.name,
            role: m.roleLabel ?? m.role,
            via: m.owner ? 'owner' : undefined,
          }),
        );
  }
  for (const r of live.resources ?? []) {
    if (typeOnly && r.resource.type !== typeOnly) continue;
    for (const g of r.grants ?? []) {
      if (g.principal.kind !== 'user') continue;
      const member = byId.get(g.principal.id);
      const email = member?.email ?? g.principal.email;
      if (!email) continue;
      entry(email).items.push(
        defined({
          at,
          kind: 'grant',
          type: r.resource.type,
          id: r.resource.id,
          name: r.resource.name,
          role: g.role,
          via: g.creator ? 'creator' : 'direct',
        }),
      );
    }
  }
  return people;
}

/** Whether a member is an owner or admin of their connection. */
const isAdmin = (provider: Provider, m: Member | undefined) =>
  !!m && (!!m.owner || !!provider.members?.reachesEverything?.(m));

/** The review of the people and items in scope, undecided. */
export function startReview(reads: readonly ConnectionRead[], options: StartOptions): Review {
  const { scope } = options;
  const inScope = reads.filter((r) => scope.connections.includes(r.key));
  const people = new Map<string, { email: string; name?: string; admin: boolean; items: ReviewItem[] }>();
  for (const read of inScope)
    for (const [email, found] of itemsOf(read, scope.type)) {
      let p = people.get(email);
      if (!p) people.set(email, (p = { email: found.member?.email ?? email, admin: false, items: [] }));
      if (found.member && !p.name && found.member.name && found.member.name !== found.member.email)
        p.name = found.member.name;
      p.admin ||= isAdmin(read.provider, found.member);
      p.items.push(...found.items);
    }
  const chosen = [...people.entries()]
    .filter(([email, p]) => {
      if (!p.items.length) return false;
      if (scope.people === 'admins') return p.admin;
      if (scope.people === 'findings') return !!options.flagged?.has(email);
      return true;
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, p]): ReviewPerson => {
      const context = options.context?.(p.email);
      return {
        email: p.email,
        ...(p.name ? { name: p.name } : {}),
        ...(context && Object.keys(context).length ? { context } : {}),
        access: p.items,
      };
    });
  const connections: ReviewConnection[] = inScope.map((r) => ({
    key: r.key,
    platform: r.platform,
    name: r.name,
    roles: rolesOf(r.provider, r.live),
    ...(r.provider.members && !r.provider.members.remove && r.provider.members.setLocked ? { revokeLocks: true } : {}),
  }));
  const facts = { scope, started: options.started, connections, people: chosen };
  return {
    format: REVIEW_FORMAT,
    name: options.name,
    started: options.started,
    due: options.due,
    reviewers: options.reviewers,
    scope,
    snapshot: snapshotHash(facts),
    connections,
    people: chosen,
  };
}
