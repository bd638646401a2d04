/**
 * What an offboarding or a copy of someone's access would change, per connection, from what was
 * read of the people (PersonHere). Planning never writes; the preview shows each change with a
 * checkbox, and the dangerous ones (the owner, the last admin) start unticked.
 */
import type { Provider } from '../provider';
import { needsMember, type Change, type MemberRef, type Ref } from '../changes/change';
import { userOf } from '../changes/reads';
import type { PersonHere } from './person';

/** Why an offboarding's change starts unticked. */
export type OffboardCaution = 'owner' | 'last-admin';

/** A change the preview offers, with its checkbox. */
export interface Proposed {
  readonly connectionId: string;
  readonly change: Change;
  /** Ticked in the preview unless it needs an explicit choice. */
  readonly checked: boolean;
  readonly caution?: OffboardCaution;
}

/** What a plan leaves out, and why: the UI words it. */
export type Omission = {
  readonly connectionId: string;
  readonly why: 'self' | 'nothing' | 'cannot-invite' | 'creator-grants' | 'role-not-invitable';
  readonly count?: number;
};

export interface Plan {
  readonly changes: Proposed[];
  /** Changes that must wait until the person is a member (a copy to someone invited). */
  readonly followUps: Proposed[];
  readonly omissions: Omission[];
}

const ref = (m: { id: string; email: string; name: string }): MemberRef => ({ id: m.id, email: m.email, name: m.name });
const resourceRef = (r: { type: string; id: string; name: string }) => ({ type: r.type, id: r.id, name: r.name });

/**
 * Offboarding in one connection. A platform that removes members (GitBook, Confident AI) removes
 * them, which ends every grant; one that only locks them (ElevenLabs) locks, takes them out of every
 * group and removes every direct share. Someone not a member has their pending invitations revoked.
 */
export function offboardPlan(connectionId: string, provider: Provider, here: PersonHere, lastAdmin: boolean): Plan {
  const changes: Proposed[] = [];
  const omissions: Omission[] = [];
  const member = here.member;
  const add = (change: Change, caution?: OffboardCaution) =>
    changes.push({ connectionId, change, checked: !caution, ...(caution ? { caution } : {}) });
  if (member && here.self) {
    omissions.push({ connectionId, why: 'self' });
    return { changes, followUps: [], omissions };
  }
  if (member) {
    const caution: OffboardCaution | undefined = member.owner ? 'owner' : lastAdmin ? 'last-admin' : undefined;
    if (provider.members?.remove) {
      add({ op: 'remove-member', member: ref(member) }, caution);
    } else {
      if (provider.members?.setLocked && !member.locked)
        add({ op: 'set-locked', member: ref(member), locked: true }, caution);
      if (provider.groups?.remove)
        for (const g of here.groups)
          if (!g.group.system)
            add({ op: 'leave-group', group: { id: g.group.id, name: g.group.name }, member: ref(member) });
      if (provider.sharing?.unshare) {
        for (const r of here.reach)
          if (r.sources.some((s) => s.kind === 'direct'))
            add({ op: 'revoke', resource: resourceRef(r.resource), principal: userOf(member) });
        const created = here.reach.filter((r) => r.sources.some((s) => s.kind === 'creator')).length;
        if (created) omissions.push({ connectionId, why: 'creator-grants', count: created });
      }
      for (const p of here.projects)
        if (p.member && provider.projects)
          add({ op: 'leave-project', project: resourceRef(p.project), member: ref(member) });
    }
  } else if (here.invitations) {
    for (const inv of here.invitations) add({ op: 'revoke-invitation', email: inv.email, invitation: inv });
  } else if (provider.invitations?.revokeByEmail) {
    // The platform cannot list invitations: revoking one that may be pending is the change.
    add({ op: 'revoke-invitation', email: here.email });
  }
  if (!member || !provider.members?.remove) {
    for (const p of here.projects)
      if (p.invitation && !p.member)
        add({ op: 'revoke-project-invitation', project: resourceRef(p.project), invitation: p.invitation });
  }
  if (changes.length === 0) omissions.push({ connectionId, why: 'nothing' });
  return { changes, followUps: [], omissions };
}

/**
 * A copy of one person's access to another in one connection: an invitation with the same seat or
 * role (and groups, where invitations carry them) for someone not yet a member; the same groups or
 * teams, projects and direct grants. What needs a member waits as a follow-up until they are one.
 */
export function copyPlan(
  connectionId: string,
  provider: Provider,
  from: PersonHere,
  to: PersonHere,
  invitable?: ReadonlySet<string>,
): Plan {
  const changes: Proposed[] = [];
  const followUps: Proposed[] = [];
  const omissions: Omission[] = [];
  const source = from.member;
  if (!source) {
    omissions.push({ connectionId, why: 'nothing' });
    return { changes, followUps, omissions };
  }
  const email = to.email;
  const planned: Change[] = [];
  const inviteGroups = !to.member && provider.invitations?.options?.groups;
  const groups: Ref[] = from.groups
    .filter((g) => !g.group.system && !to.groups.some((t) => t.group.id === g.group.id))
    .map((g) => ({ id: g.group.id, name: g.group.name }));
  if (!to.member) {
    if (!provider.invitations) omissions.push({ connectionId, why: 'cannot-invite' });
    else if (!to.invitations?.length) {
      // `invitable`: the roles an invitation can give (Confident AI's Owner cannot be); the default role otherwise.
      const same = source.role !== undefined && (!invitable || invitable.has(source.role));
      if (source.role !== undefined && !same) omissions.push({ connectionId, why: 'role-not-invitable' });
      planned.push({
        op: 'invite',
        email,
        ...(same ? { role: source.role, roleLabel: source.roleLabel } : {}),
        ...(inviteGroups && groups.length ? { groups } : {}),
      });
    }
  }
  if (!inviteGroups && provider.groups?.add)
    for (const g of from.groups.filter((x) => groups.some((y) => y.id === x.group.id)))
      planned.push({
        op: 'join-group',
        group: { id: g.group.id, name: g.group.name },
        email,
        ...(g.role ? { role: g.role } : {}),
      });
  if (provider.sharing?.share) {
    for (const r of from.reach) {
      const direct = r.sources.find((s) => s.kind === 'direct');
      if (!direct?.role) continue;
      const held = to.reach
        .find((x) => x.resource.type === r.resource.type && x.resource.id === r.resource.id)
        ?.sources.find((s) => s.kind === 'direct' || s.kind === 'creator');
      if (held?.role === direct.role) continue;
      planned.push({
        op: 'grant',
        resource: resourceRef(r.resource),
        principal: to.member ? userOf(to.member) : { kind: 'person', email },
        role: direct.role,
      });
    }
  }
  for (const p of from.projects) {
    if (!p.member || to.projects.some((t) => t.project.id === p.project.id)) continue;
    // A project's Owner is not given by invitation: the copy joins with the default role.
    const owner = p.member.owner;
    planned.push({
      op: 'join-project',
      project: resourceRef(p.project),
      email,
      ...(p.member.role && !owner ? { role: p.member.role, roleLabel: p.member.roleLabel } : {}),
    });
  }
  for (const change of planned) {
    const entry: Proposed = { connectionId, change, checked: true };
    if (!to.member && needsMember(change)) followUps.push(entry);
    else changes.push(entry);
  }
  if (changes.length === 0 && followUps.length === 0) omissions.push({ connectionId, why: 'nothing' });
  return { changes, followUps, omissions };
}
