/**
 * What a planned change was computed from, as a fingerprint: a saved plan keeps one per change, and
 * applying it reads live again and compares. Each fingerprint covers only the live facts the planner
 * read to decide that one change (the member's record or absence, whether someone is in a group, a
 * principal's grant on a resource, the links on one target), so live moving elsewhere leaves the
 * change standing, and live moving under it stops the whole plan before anything is sent.
 * Names are left out on purpose: someone renamed is still the same decision.
 */
import { createHash } from 'node:crypto';
import { granteeKey, linkTarget, type Change } from '../changes/change';
import type { Member } from '../model';
import type { LiveGroup, LiveProject, LiveResource, LiveState } from './live';

const lower = (s: string) => s.toLowerCase();

/** SHA-256 of text or bytes, in hex. */
export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * JSON with every object's keys in order and `undefined` left out: the same value always gives the
 * same text, whichever order a platform's answer or a planner built it in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The facts of a member a plan decides on: their role, lock and ownership (not their name). */
const memberFacts = (m: Member | undefined) =>
  m ? { id: m.id, email: lower(m.email), role: m.role ?? null, locked: !!m.locked, owner: !!m.owner } : null;

/** Lookups over one live state, built once for every change of its connection. */
class LiveIndex {
  readonly byEmail: Map<string, Member>;
  readonly byId: Map<string, Member>;
  readonly invited: Set<string>;
  private readonly groups: Map<string, { live: LiveGroup; byEmail: Map<string, Member> }>;
  private readonly resources: Map<string, LiveResource>;
  private readonly projects: Map<string, LiveProject>;

  constructor(readonly live: LiveState) {
    this.byEmail = new Map(live.members.map((m) => [lower(m.email), m]));
    this.byId = new Map(live.members.map((m) => [m.id, m]));
    this.invited = new Set((live.invitations ?? []).map((i) => lower(i.email)));
    this.groups = new Map(
      (live.groups ?? []).map((g) => [
        g.group.id,
        { live: g, byEmail: new Map(g.members.map((m) => [lower(m.email), m])) },
      ]),
    );
    this.resources = new Map((live.resources ?? []).map((r) => [`${r.resource.type}:${r.resource.id}`, r]));
    this.projects = new Map((live.projects ?? []).map((p) => [p.project.id, p]));
  }

  /** Whether the group is there, and the person's place in it (with their role inside, where groups have roles). */
  inGroup(groupId: string, email: string) {
    const g = this.groups.get(groupId);
    if (!g) return { group: false };
    const m = g.byEmail.get(lower(email));
    return { group: true, member: m ? { id: m.id, groupRole: m.groupRole ?? null } : null };
  }

  /** Whether the resource is readable, and the grant a principal holds on it. */
  grantOn(type: string, id: string, principalKey: string) {
    const grants = this.resources.get(`${type}:${id}`)?.grants;
    if (!grants) return { resource: false };
    const g = grants.find(
      (x) =>
        granteeKey(x.principal) === principalKey ||
        (x.principal.email && `person:${lower(x.principal.email)}` === principalKey),
    );
    return { resource: true, grant: g ? { role: g.role, fixed: g.fixed ?? null, creator: !!g.creator } : null };
  }

  /** Whether the project is there, the person's place in it, and their pending invitation to it. */
  inProject(projectId: string, email: string) {
    const p = this.projects.get(projectId);
    if (!p) return { project: false };
    const m = p.members.find((x) => lower(x.email) === lower(email));
    const invited = (p.invitations ?? []).some((i) => lower(i.email) === lower(email));
    return { project: true, member: memberFacts(m), invited };
  }

  projectInvitation(projectId: string, invitationId: string) {
    const p = this.projects.get(projectId);
    return { project: !!p, invitation: !!p?.invitations?.some((i) => i.id === invitationId) };
  }

  /** The links on one target, each with its role: a link is matched by its target and role. */
  linksOn(target: string) {
    return (this.live.links ?? [])
      .filter((l) => linkTarget(l.target) === target)
      .map((l) => ({ id: l.id, role: l.role }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/**
 * The live facts one change was decided from. `remembered`: the emails an earlier apply invited
 * where the platform cannot list invitations (the plan reads them as "invited").
 */
function factsOf(c: Change, index: LiveIndex, remembered: ReadonlySet<string>): object {
  switch (c.op) {
    case 'invite':
      return {
        member: memberFacts(index.byEmail.get(lower(c.email))),
        invited: index.invited.has(lower(c.email)),
        remembered: remembered.has(lower(c.email)),
      };
    case 'revoke-invitation':
      return { invited: index.invited.has(lower(c.email)) };
    case 'set-role':
    case 'set-locked':
    case 'remove-member':
      return { member: memberFacts(index.byId.get(c.member.id)) };
    case 'join-group':
      return { ...index.inGroup(c.group.id, c.email), member: memberFacts(index.byEmail.get(lower(c.email))) };
    case 'set-group-role':
    case 'leave-group':
      return index.inGroup(c.group.id, c.member.email);
    case 'grant':
    case 'revoke':
      return index.grantOn(c.resource.type, c.resource.id, granteeKey(c.principal));
    case 'create-link':
      return { links: index.linksOn(linkTarget(c.target)) };
    case 'update-link':
    case 'delete-link':
      return { links: index.linksOn(linkTarget(c.link.target)) };
    case 'join-project':
      return index.inProject(c.project.id, c.email);
    case 'set-project-role':
    case 'leave-project':
      return index.inProject(c.project.id, c.member.email);
    case 'revoke-project-invitation':
      return index.projectInvitation(c.project.id, c.invitation.id);
  }
}

/**
 * Fingerprints the changes of one connection against its live state: the same change over the same
 * live facts always gives the same hex string, and any of those facts moving gives another.
 */
export function fingerprints(
  changes: readonly Change[],
  live: LiveState,
  remembered: ReadonlySet<string> = new Set(),
): string[] {
  const index = new LiveIndex(live);
  return changes.map((c) => sha256(canonicalJson({ op: c.op, facts: factsOf(c, index, remembered) })));
}
