/** The plan's members section: invitations, roles, locks and removals, then what waits for an ownership transfer. */
import type { Member } from '../model';
import type { RoleChoice } from '../provider';
import type { MemberSpec, Span } from './parse';
import type { Planner } from './planner';
import { KEEP_DAYS } from './invited';
import { fileRole, lower, lowerOn, refOf, resolveRole } from './planRoles';

/** The changes and findings for the file's members. */
export function planMembers(pl: Planner, specs: readonly MemberSpec[], sectionAt: Span) {
  const f = pl.spec.facts;
  const listed = !!pl.ctx.provider.members?.roles?.listed;
  const pending = new Set((pl.live.invitations ?? []).map((i) => lower(i.email)));
  const declared = new Set<string>();
  for (const m of specs) {
    const email = lower(m.email);
    declared.add(email);
    const live = pl.byEmail.get(email);
    const choice = m.role ? resolveRole(pl.live.roles, m.role) : undefined;
    if (m.role && !choice) {
      pl.find(
        m.at,
        'unknown',
        `"${m.role}" is not a ${f.members.roleKey} of this ${f.label} ${f.match.key}; use one of: ${pl.live.roles.map((r) => fileRole(r, listed)).join(', ')}.`,
        'error',
      );
      continue;
    }
    // Where the platform locks instead of removing, a locked member's expiry has already been carried out.
    const lockedOnly = !!live?.locked && !pl.ctx.provider.members?.remove;
    if (pl.expired(m, m.email, !!live && !lockedOnly, lockedOnly ? 'they are locked' : undefined)) {
      if (live && !lockedOnly) pl.removeMember(live, m.at);
    } else if (!live) notAMember(pl, m, choice, pending.has(email));
    else member(pl, m, live, choice);
  }
  if (pl.spec.exclusive.has('members')) unlisted(pl, declared, sectionAt);
  afterTransfers(pl);
}

/** Someone the file lists who is not a member: waiting for an invitation, or invited now. */
function notAMember(pl: Planner, m: MemberSpec, choice: RoleChoice | undefined, invited: boolean) {
  const f = pl.spec.facts;
  const email = lower(m.email);
  const remembered = pl.ctx.invited?.get(email);
  if (invited) pl.find(m.at, 'pending', `${m.email} is invited and has not joined yet.`, 'info');
  else if (remembered === 'sent')
    pl.find(
      m.at,
      'pending',
      `${m.email} was invited by Apply and has not joined yet (${f.label} cannot list invitations).`,
      'info',
    );
  else if (remembered === 'unconfirmed')
    // The invitation may have gone out: a second one is a second email, so nobody sends it again unasked.
    pl.find(
      m.at,
      'unconfirmed',
      `${m.email}: sent, unconfirmed. Apply sent this invitation and its answer was lost; ${f.label} cannot list invitations, so it is not sent again. It stays so until they join, or for ${KEEP_DAYS} days: look in ${f.label} if it cannot wait.`,
      'warning',
    );
  else if (choice && choice.invitable === false)
    pl.find(
      m.at,
      'unknown',
      `${choice.label} cannot be given by invitation: invite ${m.email} with another role, and change it once they join.`,
      'error',
    );
  else {
    const invite = {
      op: 'invite' as const,
      email: m.email,
      ...(choice ? { role: choice.id, roleLabel: choice.label } : {}),
    };
    pl.invites.set(email, invite);
    pl.add(invite, 'add', m.at);
    pl.drift(m.at, `live: not a member. Plan invites ${m.email}.`, { kind: 'delete', path: m.path });
  }
}

/** A member the file lists: their role or seat, and whether they are locked. */
function member(pl: Planner, m: MemberSpec, live: Member, choice: RoleChoice | undefined) {
  const f = pl.spec.facts;
  const roles = pl.ctx.provider.members?.roles;
  if (choice && choice.id !== live.role) {
    const warning = roles?.warning?.([live], choice);
    // Lower: down the platform's ladder (its roles are listed highest first, custom ones not ranked),
    // or away from a role that reaches every resource.
    const everything = pl.ctx.provider.members?.reachesEverything;
    const lowers =
      (!!roles?.ranked &&
        lowerOn(
          pl.live.roles.map((r) => r.id),
          live.role,
          choice.id,
        )) ||
      (!!everything?.(live) && !everything({ ...live, role: choice.id, roleLabel: choice.label }));
    pl.add(
      {
        op: 'set-role',
        member: refOf(live),
        role: choice.id,
        roleLabel: choice.label,
        from: live.roleLabel ?? live.role,
      },
      'change',
      m.at,
      {
        ...(warning ? { caution: 'ownership' as const, warning } : pl.isSelf(live) ? { caution: 'self' as const } : {}),
        ...(lowers ? { lowers } : {}),
      },
    );
    const now = fileRole(
      resolveRole(pl.live.roles, live.role ?? ''),
      !!roles?.listed,
      live.roleLabel ?? live.role ?? 'no role',
    );
    pl.drift(m.at, `live: ${now}`, { kind: 'set', path: m.path, key: f.members.roleKey, value: now });
  }
  if (m.locked !== undefined && m.locked !== !!live.locked) {
    pl.add(
      { op: 'set-locked', member: refOf(live), locked: m.locked },
      'change',
      m.at,
      !m.locked ? {} : pl.isSelf(live) ? { caution: 'self' } : {},
    );
    pl.drift(m.at, `live: ${live.locked ? 'locked' : 'not locked'}`, {
      kind: 'set',
      path: m.path,
      key: 'locked',
      value: !!live.locked,
    });
  }
}

/** Members the file leaves out of an exclusive section: removed, or locked where the platform cannot remove (someone locked already needs nothing). */
function unlisted(pl: Planner, declared: ReadonlySet<string>, sectionAt: Span) {
  const remove = !!pl.ctx.provider.members?.remove;
  const extra = pl.live.members.filter((m) => !declared.has(lower(m.email)) && (remove || !m.locked));
  for (const m of extra) pl.removeMember(m, sectionAt);
  if (extra.length)
    pl.unlisted(
      sectionAt,
      `live: ${extra.length} member(s) the file does not list: ${extra
        .map((m) => m.email)
        .sort()
        .join(', ')}. Plan ${remove ? 'removes' : 'locks'} them.`,
    );
}

/**
 * A role only one person holds (ownership) leaves its holder by the transfer itself, and the
 * platform refuses to change or remove the holder before it: their own change waits for the next Plan.
 */
function afterTransfers(pl: Planner) {
  for (const t of pl.changes.filter((c) => c.caution === 'ownership')) {
    if (t.change.op !== 'set-role') continue;
    const { role, roleLabel, member: to } = t.change;
    const holders = new Set(pl.live.members.filter((m) => m.role === role && m.id !== to.id).map((m) => m.id));
    for (const c of [...pl.changes]) {
      if ((c.change.op !== 'set-role' && c.change.op !== 'remove-member') || !holders.has(c.change.member.id)) continue;
      pl.changes.splice(pl.changes.indexOf(c), 1);
      pl.find(
        c.at,
        'pending',
        `${c.change.member.email} stops being ${roleLabel} when ${to.email} becomes ${roleLabel}: Plan again after Apply for the rest of their change.`,
        'info',
      );
    }
  }
}
