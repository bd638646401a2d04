/** The plan's projects section: who joins, leaves or changes role in each project. */
import type { Planner } from './planner';
import { bare, lower, lowerOn, refOf, resolveRole } from './planRoles';

/** The changes and findings for the file's projects. */
export function planProjects(pl: Planner) {
  for (const id of pl.live.missingProjects ?? []) {
    const p = pl.spec.projects?.find((x) => x.id === id);
    if (p)
      pl.find(
        p.at,
        'unknown',
        `Project ${id}${p.name ? ` ("${p.name}")` : ''} no longer exists, or this connection's key cannot see it.`,
      );
  }
  for (const p of pl.spec.projects ?? []) {
    const live = pl.live.projects?.find((x) => x.project.id === p.id);
    if (!live) continue;
    const ref = { id: live.project.id, name: live.project.name };
    const inProject = new Map(live.members.map((m) => [lower(m.email), m]));
    const pending = new Set((live.invitations ?? []).map((i) => lower(i.email)));
    const warn = pl.ctx.provider.projects?.roleWarning;
    const ranked = pl.ctx.provider.projects?.ranked;
    for (const m of p.members) {
      const choice = m.role ? resolveRole(live.roles, m.role) : undefined;
      if (!choice) {
        pl.find(
          m.at,
          'unknown',
          `"${m.role ?? ''}" is not a role of project "${live.project.name}"; use one of: ${live.roles.map((r) => bare(r.label)).join(', ')}.`,
          'error',
        );
        continue;
      }
      const here = inProject.get(lower(m.email));
      if (pl.expired(m, `${m.email} in "${live.project.name}"`, !!here)) {
        if (here) pl.add({ op: 'leave-project', project: ref, member: refOf(here) }, 'remove', m.at);
        continue;
      }
      if (here) {
        if (here.role !== choice.id) {
          const warning = warn?.([here], choice);
          pl.add(
            {
              op: 'set-project-role',
              project: ref,
              member: refOf(here),
              role: choice.id,
              roleLabel: choice.label,
              from: here.roleLabel ?? here.role,
            },
            'change',
            m.at,
            {
              ...(warning ? { caution: 'ownership' as const, warning } : {}),
              ...(lowerOn(ranked ?? [], here.roleLabel, choice.label) ? { lowers: true } : {}),
            },
          );
          const now = bare(here.roleLabel ?? here.role ?? '');
          pl.drift(m.at, `live: ${now}`, { kind: 'set', path: m.path, key: 'role', value: now });
        }
        continue;
      }
      if (pending.has(lower(m.email))) {
        pl.find(m.at, 'pending', `${m.email} is invited to "${live.project.name}" and has not joined yet.`, 'info');
        continue;
      }
      if (choice.invitable === false) {
        pl.find(
          m.at,
          'unknown',
          `${bare(choice.label)} cannot be given by invitation: invite ${m.email} with another role, and change it once they join.`,
          'error',
        );
        continue;
      }
      pl.add(
        { op: 'join-project', project: ref, email: m.email, role: choice.id, roleLabel: choice.label },
        'add',
        m.at,
      );
      pl.drift(m.at, `live: not in "${live.project.name}". Plan invites ${m.email}.`, { kind: 'delete', path: m.path });
    }
    if (pl.spec.exclusive.has('projects')) {
      const wanted = new Set(p.members.map((m) => lower(m.email)));
      for (const m of live.members)
        if (!wanted.has(lower(m.email))) {
          pl.add(
            { op: 'leave-project', project: ref, member: refOf(m) },
            'remove',
            p.at,
            m.owner ? { caution: 'owner' } : {},
          );
          pl.unlisted(
            p.at,
            `live: ${m.email} is in "${live.project.name}" and the file does not list them. Plan removes them.`,
          );
        }
    }
  }
}
