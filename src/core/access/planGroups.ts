/** The plan's groups section: who joins, leaves or changes role in each group. */
import type { Planner } from './planner';
import { lower, refOf } from './planRoles';

/** The changes and findings for the file's groups. */
export function planGroups(pl: Planner) {
  const spec = pl.spec.groups ?? [];
  const groups = pl.ctx.provider.groups;
  const word = groups?.word ?? 'group';
  for (const g of spec) {
    const live = pl.groupIndex().get(g.name) ?? pl.groupIndex().get(lower(g.name));
    if (!live) {
      pl.find(
        g.at,
        'unknown',
        `This ${pl.spec.facts.label} ${pl.spec.facts.match.key} has no ${word} named "${g.name}": create it there, or fix the name.`,
      );
      continue;
    }
    if (live.group.system) {
      pl.find(g.at, 'unknown', `"${g.name}" is managed by ${pl.spec.facts.label}: its members cannot be changed.`);
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
          pl.add({ op: 'set-group-role', group: ref, member: refOf(here), role: want.role }, 'change', want.at);
          pl.drift(want.at, `live: ${role ?? 'member'}`, { kind: 'set', path: want.path, value: role ?? 'member' });
        }
        continue;
      }
      const member = pl.byEmail.get(email);
      if (member) {
        pl.add(
          {
            op: 'join-group',
            group: ref,
            email: member.email,
            name: member.name,
            ...(want.role ? { role: want.role } : {}),
          },
          'add',
          want.at,
        );
        pl.drift(want.at, `live: not in "${live.group.name}".`, { kind: 'delete', path: want.path });
        continue;
      }
      const invite = pl.invites.get(email);
      if (invite && pl.ctx.provider.invitations?.options?.groups) {
        pl.invites.set(email, Object.assign(invite, { groups: [...(invite.groups ?? []), ref] }));
        pl.find(
          want.at,
          'drift',
          `live: not a member. The invitation puts ${want.email} in "${live.group.name}".`,
          'info',
        );
      } else pl.waitsOrUnknown(want.email, want.at, `join "${live.group.name}"`);
    }
    if (pl.spec.exclusive.has('groups')) {
      const wanted = new Set(g.members.map((m) => lower(m.email)));
      for (const m of live.members)
        if (!wanted.has(lower(m.email))) {
          pl.add({ op: 'leave-group', group: ref, member: refOf(m) }, 'remove', g.at);
          pl.unlisted(
            g.at,
            `live: ${m.email} is in "${live.group.name}" and the file does not list them. Plan removes them.`,
          );
        }
    }
  }
}
