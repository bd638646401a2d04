/**
 * A person across connections: one email, and in each connection what they hold and why. Each
 * connection is read on its own (the UI runs them in parallel and shows a failed one in its branch).
 */
import { runEach } from '../jobs/each';
import type { AccessSource, Grant, Group, Invitation, Member, Resource, RoleLadder } from '../model';
import { readAllPages } from '../paging';
import type { GroupMembership, Identity, Provider } from '../provider';
import type { ReachIndex } from './reachIndex';
import { looksLikeEmail, sameEmail } from './email';

export { looksLikeEmail, sameEmail } from './email';

/** A resource the person reaches, at their effective role, with every reason (strongest first). */
export interface PersonReach {
  readonly resource: Pick<Resource, 'type' | 'id' | 'name'> & Partial<Pick<Resource, 'webUrl' | 'baseline'>>;
  readonly role: string;
  readonly sources: readonly AccessSource[];
}

/** A project the person is in (with the project role), or invited to. */
export interface ProjectPlace {
  readonly project: Resource;
  readonly member?: Member;
  readonly invitation?: Invitation;
}

/** What the index said when it answered: how much of it there was and how old it is. */
export interface IndexState {
  readonly size: number;
  readonly total?: number;
  readonly complete: boolean;
  readonly builtAt?: number;
  readonly updatedAt: number;
}

/** One person in one connection. */
export interface PersonHere {
  readonly email: string;
  readonly member?: Member;
  /** The connection's own key acts as this person: they are not offboarded with it. */
  readonly self: boolean;
  /** Their role reaches every resource (an admin): its name. */
  readonly reachesEverything?: string;
  /** Pending invitations; undefined where the platform cannot list them. */
  readonly invitations?: readonly Invitation[];
  readonly groups: readonly GroupMembership[];
  readonly projects: readonly ProjectPlace[];
  readonly reach: readonly PersonReach[];
  /** The types `reach` answers for, where it answers for some only (GitBook: spaces). */
  readonly reachCovers?: readonly string[];
  /** Set when `reach` came from the access index (and how complete it was), or when there was none yet. */
  readonly index?: IndexState | 'none';
  /** False when `reach` has no reasons yet (read with `explain: false`): explainReach adds them. */
  readonly explained?: boolean;
}

/**
 * Members matching the text: by email (case-insensitive, whole) when it is an email, else by a name
 * or email that contains it. The platform's search narrows the read where it has one.
 */
export async function findMembers(provider: Provider, text: string, signal?: AbortSignal): Promise<Member[]> {
  const members = provider.members;
  if (!members) return [];
  const needle = text.trim().toLowerCase();
  const candidates = members.search ? await members.search(text.trim(), signal) : await members.list(signal);
  return looksLikeEmail(needle)
    ? candidates.filter((m) => sameEmail(m.email, needle))
    : candidates.filter((m) => m.name.toLowerCase().includes(needle) || m.email.toLowerCase().includes(needle));
}

/** The strongest role first; then the sources in the ladder's order. */
function bySource(ladder: RoleLadder) {
  return (a: AccessSource, b: AccessSource) => ladder.rank(a.role ?? '') - ladder.rank(b.role ?? '');
}

/** Why a member holds a role, from a resource's grants: direct, creator, their groups, the default, their role. */
export function reasonsFrom(
  grants: readonly Pick<Grant, 'principal' | 'role' | 'creator'>[],
  member: Member,
  groupIds: ReadonlySet<string>,
  everything?: string,
): AccessSource[] {
  const sources: AccessSource[] = [];
  for (const g of grants) {
    if (g.principal.kind === 'user' && g.principal.id === member.id)
      sources.push({ kind: g.creator ? 'creator' : 'direct', role: g.role });
    else if (g.principal.kind === 'group' && groupIds.has(g.principal.id))
      sources.push({ kind: 'group', name: g.principal.name, role: g.role });
    else if (g.principal.kind === 'default') sources.push({ kind: 'default', role: g.role });
  }
  if (everything) sources.push({ kind: 'organization', name: everything, role: 'admin' });
  return sources;
}

export interface ReadOptions {
  readonly identity?: Identity;
  /** The connection's access index, when the platform needs one for reach. */
  readonly index?: ReachIndex;
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  /**
   * Whether to read why for what the platform lists per member (GitBook: each space's grants, two
   * requests a space). False leaves it for explainReach, when the list is opened. True by default.
   */
  readonly explain?: boolean;
}

/** The member's groups: asked per member where the platform can, else from the whole list (read early, beside the member's). */
export async function groupsOf(
  provider: Provider,
  member: Member,
  whole: Promise<readonly Group[]> | undefined,
  signal?: AbortSignal,
): Promise<GroupMembership[]> {
  const groups = provider.groups;
  if (!groups) return [];
  if (groups.of) return groups.of(member, signal);
  return (await (whole ?? groups.list(signal)))
    .filter((g) => g.memberEmails.some((e) => sameEmail(e, member.email)))
    .map((g) => ({ group: { id: g.id, name: g.name, system: g.system } }));
}

/** The projects the email is in or invited to: each project's members and invitations, through the engine's window. */
async function projectsOf(
  provider: Provider,
  email: string,
  listed: Promise<Resource[]> | undefined,
  concurrency: number,
  signal?: AbortSignal,
): Promise<ProjectPlace[]> {
  const projects = provider.projects;
  if (!projects || !listed) return [];
  const list = await listed;
  const reads = list.flatMap((project, i) => [
    { i, project, what: 'members' as const },
    { i, project, what: 'invitations' as const },
  ]);
  const found: { member?: Member; invitation?: Invitation }[] = list.map(() => ({}));
  const outcomes = await runEach(
    reads,
    async ({ i, project, what }, s) => {
      if (what === 'members')
        found[i].member = (
          await readAllPages(`${project.name} members`, (token) => projects.members(project.id, token, s), {
            signal: s,
          })
        ).find((m) => sameEmail(m.email, email));
      else
        found[i].invitation = (await (projects.invitations?.(project.id).list?.(s) ?? Promise.resolve([]))).find(
          (x) => x.status === 'pending' && sameEmail(x.email, email),
        );
    },
    { concurrency, signal },
  );
  for (const o of outcomes)
    if (o.status !== 'done') throw new Error(`Project "${o.item.project.name}" could not be read: ${o.reason}`);
  return list.flatMap((project, i) => (found[i].member || found[i].invitation ? [{ project, ...found[i] }] : []));
}

/** What the member reaches; their groups (read side by side) are awaited only where the reasons need them. */
async function reachOf(
  provider: Provider,
  member: Member,
  groupsRead: Promise<GroupMembership[]>,
  everything: string | undefined,
  options: ReadOptions,
): Promise<Pick<PersonHere, 'reach' | 'reachCovers' | 'index' | 'explained'>> {
  const sharing = provider.sharing;
  if (!sharing) return { reach: [] };
  if (sharing.reachOf) {
    const reached = await sharing.reachOf.read(member, options.signal);
    const reach = reached.map((r): PersonReach => ({ resource: r.resource, role: r.role, sources: [] }));
    if (options.explain === false) return { reach, reachCovers: sharing.reachOf.covers, explained: false };
    const groupIds = new Set((await groupsRead).map((g) => g.group.id));
    return {
      reach: await explain(provider, member, groupIds, everything, reach, options),
      reachCovers: sharing.reachOf.covers,
    };
  }
  const groups = await groupsRead;
  const index = options.index;
  if (!index) return { reach: [], index: 'none' };
  return {
    reach: reachFromIndex(index, member, groups, sharing.roles),
    index: {
      size: index.size,
      total: index.total,
      complete: index.complete,
      builtAt: index.builtAt,
      updatedAt: index.updatedAt,
    },
  };
}

/** What the member reaches according to the access index, each with why (strongest first): local work, no request. */
export function reachFromIndex(
  index: ReachIndex,
  member: Member,
  groups: readonly GroupMembership[],
  ladder: RoleLadder,
): PersonReach[] {
  const names = new Map(groups.map((g) => [g.group.id, g.group.name]));
  return index.reach({ userId: member.id, groups: names }).map((r): PersonReach => {
    const sources: AccessSource[] = r.grants.map((g) =>
      g.k === 'user'
        ? { kind: g.c ? 'creator' : 'direct', role: g.r }
        : g.k === 'group'
          ? { kind: 'group', name: g.n ?? names.get(g.id), role: g.r }
          : { kind: 'default', role: g.r },
    );
    if (sources.length > 1) sources.sort((a, b) => ladder.rank(a.role ?? '') - ladder.rank(b.role ?? ''));
    return { resource: r.resource, role: sources[0].role ?? '', sources };
  });
}

/**
 * Why the member reaches each resource, from each resource's grants, read side by side through the
 * engine's window. An admin's role explains everything without a read.
 */
async function explain(
  provider: Provider,
  member: Member,
  groupIds: ReadonlySet<string>,
  everything: string | undefined,
  reach: readonly PersonReach[],
  options: ReadOptions,
): Promise<PersonReach[]> {
  const sharing = provider.sharing;
  if (!sharing) return [...reach];
  const order = bySource(sharing.roles);
  if (everything)
    return reach.map((r) => ({ ...r, sources: [{ kind: 'organization', name: everything, role: 'admin' }] }));
  const why: (AccessSource[] | undefined)[] = reach.map(() => undefined);
  await runEach(
    reach.map((r, i) => ({ r, i })),
    async ({ r, i }, signal) => {
      // A default that is no role of the ladder (GitBook's "inherit", or guest: none) gives nothing of its own.
      why[i] = reasonsFrom((await sharing.access(r.resource, signal)).grants, member, groupIds).filter(
        (s) => s.kind !== 'default' || sharing.roles.roles.includes(s.role ?? ''),
      );
    },
    { concurrency: options.concurrency, signal: options.signal },
  );
  return reach.map((r, i): PersonReach => ({
    ...r,
    // Nothing on the item itself: it comes from what holds it. Unread (a failed read): no reason is made up.
    sources: why[i]?.length
      ? why[i].sort(order)
      : why[i]
        ? [{ kind: 'parent', name: 'a parent collection', role: r.role }]
        : [],
  }));
}

/** Adds the reasons to a person read with `explain: false`. */
export async function explainReach(provider: Provider, here: PersonHere, options: ReadOptions): Promise<PersonHere> {
  if (here.explained !== false || !here.member) return here;
  const groupIds = new Set(here.groups.map((g) => g.group.id));
  return {
    ...here,
    reach: await explain(provider, here.member, groupIds, here.reachesEverything, here.reach, options),
    explained: true,
  };
}

/** Everything one connection holds for one email. */
export async function readPerson(provider: Provider, email: string, options: ReadOptions): Promise<PersonHere> {
  const { signal, identity } = options;
  // What does not depend on the member is read beside them: one round trip less.
  const wholeGroups = provider.groups && !provider.groups.of ? provider.groups.list(signal) : undefined;
  wholeGroups?.catch(() => undefined);
  const invitationsRead = provider.invitations?.list
    ? provider.invitations
        .list(signal)
        .then((all) => all.filter((i) => i.status === 'pending' && sameEmail(i.email, email)))
    : Promise.resolve(undefined);
  const projectList = provider.projects?.list(signal);
  invitationsRead.catch(() => undefined);
  projectList?.catch(() => undefined);
  // The member list's pages and each project's reads go side by side: the connection's client keeps
  // them within its share of requests in flight.
  const [matches, invitations, projects] = await Promise.all([
    findMembers(provider, email, signal),
    invitationsRead,
    projectsOf(provider, email, projectList, options.concurrency, signal),
  ]);
  const member = matches.find((m) => sameEmail(m.email, email));
  if (!member) return { email, self: false, invitations, groups: [], projects, reach: [] };
  const everything = provider.members?.reachesEverything?.(member);
  const groupsRead = groupsOf(provider, member, wholeGroups, signal);
  groupsRead.catch(() => undefined);
  const [groups, reach] = await Promise.all([groupsRead, reachOf(provider, member, groupsRead, everything, options)]);
  const self =
    !!identity &&
    ((identity.userId !== undefined && identity.userId === member.id) || sameEmail(identity.email, member.email));
  // The strongest role first, then by name: what matters most reads first.
  const ladder = provider.sharing?.roles;
  const sorted = ladder
    ? [...reach.reach].sort(
        (a, b) => ladder.rank(a.role) - ladder.rank(b.role) || a.resource.name.localeCompare(b.resource.name),
      )
    : reach.reach;
  return { email, member, self, reachesEverything: everything, invitations, groups, projects, ...reach, reach: sorted };
}
