/**
 * Live state: what the platform holds, read through the provider's capability groups, for what a
 * file declares (or everything, for an export). Reads that do not depend on each other run side by
 * side; per-resource reads go through the bulk engine's window.
 */
import { runEach } from '../jobs/each';
import { ApiError } from '../http/errors';
import type { Grant, Group, InviteLink, Invitation, Member, Principal, Resource } from '../model';
import { readAllPages, type WholeList } from '../paging';
import type { Identity, Provider, RoleChoice } from '../provider';
import type { ConnectionSpec } from './parse';

export interface LiveGroup {
  readonly group: Group;
  /** Members with their role in the group (`groupRole`), where groups have roles. */
  readonly members: readonly Member[];
}

export interface LiveResource {
  readonly resource: Pick<Resource, 'type' | 'id' | 'name'>;
  /** Undefined when the resource no longer exists (or the key cannot see it). */
  readonly grants?: readonly Grant[];
}

export interface LiveProject {
  readonly project: Resource;
  readonly roles: readonly RoleChoice[];
  readonly members: readonly Member[];
  readonly invitations?: readonly Invitation[];
}

export interface LiveState {
  readonly identity?: Identity;
  readonly members: readonly Member[];
  readonly roles: readonly RoleChoice[];
  /** Pending invitations, where the platform lists them. */
  readonly invitations?: readonly Invitation[];
  readonly groups?: readonly LiveGroup[];
  /** Every group's id and name, to name groups in grants. */
  readonly groupNames?: readonly Pick<Group, 'id' | 'name' | 'system'>[];
  readonly principals?: ReadonlyMap<string, Principal>;
  readonly resources?: readonly LiveResource[];
  readonly links?: readonly InviteLink[];
  readonly projects?: readonly LiveProject[];
  /** Declared projects the platform does not have. */
  readonly missingProjects?: readonly string[];
}

export interface ReadOptions {
  readonly signal?: AbortSignal;
  /** Requests in flight for per-resource reads. */
  readonly concurrency: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** An export of only the first N resources (in the platform's list order). */
  readonly maxResources?: number;
}

/** A plan on part of a list could remove what it did not see: an incomplete read stops it. */
function whole<T>(list: WholeList<T>, what: string): T[] {
  if (list.incomplete) throw new Error(`Could not read all of ${what} (${list.incomplete}); nothing was planned.`);
  return list;
}

const notFound = (err: unknown) => err instanceof ApiError && (err.status === 404 || err.status === 403);

/** Reads what `spec` declares, or everything when `spec` is undefined (an export). */
export async function readLive(
  provider: Provider,
  spec: ConnectionSpec | undefined,
  options: ReadOptions,
): Promise<LiveState> {
  const { signal } = options;
  const all = !spec;
  const wantGroups = provider.groups && (all || spec.groups || spec.resources);
  const [identity, members, roles, invitations, groupList, links, projects] = await Promise.all([
    provider.whoAmI(signal).catch(() => undefined),
    provider.members
      ? provider.members.list(signal).then((l) => whole(l, 'the members'))
      : Promise.resolve([] as Member[]),
    provider.members?.roles ? provider.members.roles.choices(signal) : Promise.resolve([] as RoleChoice[]),
    (all || spec.members) && provider.invitations?.list
      ? provider.invitations.list(signal).then((l) => l.filter((i) => i.status === 'pending'))
      : Promise.resolve(undefined),
    wantGroups && provider.groups
      ? provider.groups.list(signal).then((l) => whole(l, 'the groups'))
      : Promise.resolve(undefined),
    (all || spec.inviteLinks) && provider.inviteLinks ? provider.inviteLinks.list(signal) : Promise.resolve(undefined),
    (all || spec.projects) && provider.projects ? readProjects(provider, spec, options) : Promise.resolve(undefined),
  ]);
  const groups =
    groupList && (all || spec.groups) ? await readGroups(provider, groupList, members, spec, options) : undefined;
  const resources =
    provider.sharing && (all || spec.resources) ? await readResources(provider, spec, options) : undefined;
  const principals = resources && provider.sharing ? await provider.sharing.principals(signal) : undefined;
  return {
    identity,
    members,
    roles,
    invitations,
    groups,
    groupNames: groupList?.map((g) => ({ id: g.id, name: g.name, system: g.system })),
    principals,
    resources,
    links,
    projects: projects?.found,
    missingProjects: projects?.missing,
  };
}

/** Runs `work` over items in the engine's window and returns each result; a failure stops the read with its reason. */
async function readEach<T, R>(
  items: readonly T[],
  what: (item: T) => string,
  work: (item: T, signal: AbortSignal) => Promise<R>,
  options: ReadOptions,
): Promise<R[]> {
  const results = new Map<T, R>();
  const outcomes = await runEach(items, async (item, signal) => void results.set(item, await work(item, signal)), {
    concurrency: options.concurrency,
    signal: options.signal,
    onSettled: options.onProgress,
  });
  options.signal?.throwIfAborted();
  for (const o of outcomes) if (o.status !== 'done') throw new Error(`Could not read ${what(o.item)}: ${o.reason}`);
  return items.map((item) => results.get(item) as R);
}

async function readGroups(
  provider: Provider,
  list: readonly Group[],
  members: readonly Member[],
  spec: ConnectionSpec | undefined,
  options: ReadOptions,
): Promise<LiveGroup[]> {
  const groups = provider.groups;
  if (!groups) return [];
  const declared = spec?.groups ? new Set(spec.groups.map((g) => g.name.toLowerCase())) : undefined;
  const wanted = list.filter(
    (g) => !declared || declared.has(g.name.toLowerCase()) || declared.has(g.id.toLowerCase()),
  );
  const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]));
  // Where the group list carries member emails (ElevenLabs) and groups have no roles, no further read.
  const listed = (g: Group) => !groups.roles && (g.memberEmails.length > 0 || g.memberCount === 0);
  return readEach(
    wanted,
    (g) => `the members of "${g.name}"`,
    async (group, signal): Promise<LiveGroup> => {
      if (listed(group))
        return {
          group,
          members: group.memberEmails.map(
            (email) => byEmail.get(email.toLowerCase()) ?? { id: email, email, name: email },
          ),
        };
      return {
        group,
        members: whole(
          await readAllPages(`${group.name} members`, (token) => groups.members(group.id, token, signal), { signal }),
          `the members of "${group.name}"`,
        ),
      };
    },
    { ...options, onProgress: undefined },
  );
}

async function readResources(
  provider: Provider,
  spec: ConnectionSpec | undefined,
  options: ReadOptions,
): Promise<LiveResource[]> {
  const sharing = provider.sharing;
  if (!sharing) return [];
  const { signal } = options;
  const targets: Pick<Resource, 'type' | 'id' | 'name' | 'baseline'>[] = spec?.resources
    ? spec.resources.map((r) => ({ type: r.type, id: r.id, name: r.name ?? r.id }))
    : (
        await Promise.all(
          sharing.types.map(async (t) =>
            whole(await readAllPages(t.label, (token) => sharing.list(t.id, token, signal), { signal }), t.label),
          ),
        )
      )
        .flatMap((l) => l.map((r) => ({ type: r.type, id: r.id, name: r.name, baseline: r.baseline })))
        .slice(0, options.maxResources);
  await sharing.prepare?.(signal);
  const grants = await readEach(
    targets,
    (r) => `who holds "${r.name}"`,
    async (resource, s) => {
      try {
        return (await sharing.access(resource, s)).grants;
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    },
    options,
  );
  return targets.map((resource, i) => ({ resource, grants: grants[i] }));
}

async function readProjects(
  provider: Provider,
  spec: ConnectionSpec | undefined,
  options: ReadOptions,
): Promise<{ found: LiveProject[]; missing: string[] }> {
  const projects = provider.projects;
  if (!projects) return { found: [], missing: [] };
  const { signal } = options;
  const list = await projects.list(signal);
  const declared = spec?.projects?.map((p) => p.id);
  const wanted = declared ? list.filter((p) => declared.includes(p.id)) : list;
  const missing = declared ? declared.filter((id) => !list.some((p) => p.id === id)) : [];
  const found = await Promise.all(
    wanted.map(async (project): Promise<LiveProject> => {
      const invitations = projects.invitations?.(project.id).list;
      const [roles, members, pending] = await Promise.all([
        projects.roles(project.id, signal),
        readAllPages(`${project.name} members`, (token) => projects.members(project.id, token, signal), { signal }),
        invitations
          ? invitations(signal).then((l) => l.filter((i) => i.status === 'pending'))
          : Promise.resolve(undefined),
      ]);
      return { project, roles, members: whole(members, `the members of "${project.name}"`), invitations: pending };
    }),
  );
  return { found, missing };
}

/** Whether live state read earlier holds everything the spec now declares. */
export function covers(live: LiveState, spec: ConnectionSpec): boolean {
  if (
    spec.groups &&
    !spec.groups.every(
      (g) =>
        live.groups?.some((x) => x.group.name.toLowerCase() === g.name.toLowerCase() || x.group.id === g.name) ||
        (live.groupNames && !live.groupNames.some((x) => x.name.toLowerCase() === g.name.toLowerCase())),
    )
  )
    return false;
  if (
    spec.resources &&
    !spec.resources.every((r) => live.resources?.some((x) => x.resource.type === r.type && x.resource.id === r.id))
  )
    return false;
  if (spec.inviteLinks && !live.links) return false;
  if (
    spec.projects &&
    !spec.projects.every(
      (p) => live.projects?.some((x) => x.project.id === p.id) || live.missingProjects?.includes(p.id),
    )
  )
    return false;
  return true;
}
