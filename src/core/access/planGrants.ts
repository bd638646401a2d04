/** The plan's resources and invite links sections: grants, revokes, and links created, changed or deleted. */
import { linkTarget, type ResourceRef } from '../changes/change';
import type { Grant, InviteLink, Principal } from '../model';
import type { LiveResource } from './live';
import type { GrantSpec, Span } from './parse';
import type { Planner } from './planner';
import { principalKey } from './planRoles';

/** The changes and findings for the file's resources. */
export function planResources(pl: Planner) {
  const prefix = pl.spec.facts.groups?.prefix ?? 'group';
  const sharing = pl.ctx.provider.sharing;
  for (const r of pl.spec.resources ?? []) {
    const live: LiveResource | undefined = pl.resourceIndex().get(`${r.type}:${r.id}`);
    const grants = live?.grants;
    if (!grants) {
      pl.find(
        r.at,
        'unknown',
        `${r.type} ${r.id}${r.name ? ` ("${r.name}")` : ''} no longer exists, or this connection's key cannot see it.`,
      );
      continue;
    }
    const ref: ResourceRef = { type: r.type, id: r.id, name: r.name ?? r.id };
    const held = (p: Principal) => grants.find((g) => g.principal.kind === p.kind && g.principal.id === p.id);
    const wanted = new Set<string>();
    for (const g of r.grants) grant(pl, g, ref, held, wanted);
    if (pl.spec.exclusive.has('resources') && sharing?.unshare) {
      for (const g of grants) {
        if (
          wanted.has(`${g.principal.kind}:${g.principal.id}`) ||
          g.fixed ||
          g.creator ||
          g.principal.kind === 'anonymous'
        )
          continue;
        const self = g.principal.kind === 'user' && g.principal.id === pl.live.identity?.userId;
        pl.add(
          { op: 'revoke', resource: ref, principal: g.principal, from: g.role },
          'remove',
          r.at,
          self ? { caution: 'self' } : {},
        );
        pl.unlisted(
          r.at,
          `live: ${principalKey(g.principal, prefix)} holds ${g.role} and the file does not list them. Plan removes it.`,
        );
      }
    }
  }
}

function grant(
  pl: Planner,
  g: GrantSpec,
  ref: ResourceRef,
  held: (p: Principal) => Grant | undefined,
  wanted: Set<string>,
) {
  const principal = pl.principalOf(g.principal);
  if (!principal) {
    if (g.principal.includes('@')) pl.waitsOrUnknown(g.principal, g.at, `get ${g.role} on "${ref.name}"`);
    else
      pl.find(
        g.at,
        'unknown',
        `${g.principal} is not known in this ${pl.spec.facts.label} ${pl.spec.facts.match.key}: fix the name.`,
      );
    return;
  }
  wanted.add(`${principal.kind}:${principal.id}`);
  const now = held(principal);
  const removable = now && !now.fixed && !now.creator ? now : undefined;
  if (pl.expired(g, `${g.principal}'s ${g.role}`, !!removable)) {
    if (removable) pl.add({ op: 'revoke', resource: ref, principal, from: removable.role }, 'remove', g.at);
    return;
  }
  if (now?.role === g.role) return;
  if (now && (now.fixed || now.creator)) {
    pl.find(g.at, 'unknown', `live: ${now.role}. ${now.fixed ?? 'The creator keeps admin.'}`);
    return;
  }
  const ladder = pl.ctx.provider.sharing?.roles;
  pl.add(
    { op: 'grant', resource: ref, principal, role: g.role, ...(now ? { from: now.role } : {}) },
    now ? 'change' : 'add',
    g.at,
    now && ladder?.isHigher(now.role, g.role) ? { lowers: true } : {},
  );
  pl.drift(
    g.at,
    `live: ${now?.role ?? 'no access'}`,
    now ? { kind: 'set', path: g.path, key: 'role', value: now.role } : { kind: 'delete', path: g.path },
  );
}

/** The changes and findings for the file's invite links. */
export function planLinks(pl: Planner, sectionAt: Span) {
  const live = [...(pl.live.links ?? [])];
  const targetOf = (l: InviteLink) => linkTarget(l.target);
  // A link is its target and role: the same ones match; what is left on one target is a role change.
  const wants = (pl.spec.inviteLinks ?? []).filter((want) => {
    const i = live.findIndex((l) => targetOf(l) === want.target && l.role === want.role);
    if (i !== -1) live.splice(i, 1);
    return i === -1;
  });
  for (const want of wants) {
    const i = live.findIndex((l) => targetOf(l) === want.target);
    if (i !== -1) {
      const [link] = live.splice(i, 1);
      pl.add({ op: 'update-link', link, role: want.role }, 'change', want.at);
      pl.drift(want.at, `live: ${link.role}`, { kind: 'set', path: want.path, key: 'role', value: link.role });
      continue;
    }
    const [kind, id] = want.target.split(/:(.*)/s);
    const target: InviteLink['target'] =
      kind === 'organization' ? { kind: 'organization' } : { kind: kind as 'space' | 'collection', id, name: id };
    pl.add({ op: 'create-link', target, role: want.role }, 'add', want.at);
    pl.drift(want.at, 'live: no such invite link.', { kind: 'delete', path: want.path });
  }
  if (pl.spec.exclusive.has('inviteLinks')) {
    for (const link of live) pl.add({ op: 'delete-link', link }, 'remove', sectionAt);
    if (live.length)
      pl.unlisted(sectionAt, `live: ${live.length} invite link(s) the file does not list. Plan deletes them.`);
  }
}
