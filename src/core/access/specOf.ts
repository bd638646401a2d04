/**
 * One connection's entry of the access file, as checked YAML, turned into its spec: every entry
 * with its span, and a second entry for the same key a problem at its line.
 */
import { sectionKey, sectionsOf, type AccessFileFacts, type Section } from './facts';
import {
  under,
  type ConnectionSpec,
  type GroupSpec,
  type LinkSpec,
  type Located,
  type MemberSpec,
  type Path,
  type ProjectSpec,
  type Problem,
  type ResourceSpec,
} from './spec';
import type { Span, YamlNode } from './yamlTree';

/** One entry per key, case-insensitive for emails: a second one is a problem at its line. */
function uniqueBy<T extends Located>(
  items: T[],
  key: (t: T) => string,
  what: (t: T) => string,
  problems: Problem[],
): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) {
      problems.push({
        at: t.at,
        severity: 'error',
        message: `${what(t)} is listed twice: keep one.`,
        code: 'duplicate',
      });
      return false;
    }
    seen.add(k);
    return true;
  });
}

const lower = (s: string) => s.toLowerCase();
const principalId = (p: string) => (p.includes('@') ? lower(p) : p);

export type Raw = Record<string, unknown>;

/** A map node's entries with their values, in the file's order. */
function entriesOf(
  node: YamlNode | undefined,
  value: unknown,
): { key: string; span: Span; node: YamlNode; value: unknown }[] {
  if (!node || node.kind !== 'map' || !value || typeof value !== 'object') return [];
  return node.entries.map((e) => ({ key: e.key, span: e.keySpan, node: e.node, value: (value as Raw)[e.key] }));
}

const entryOf = (node: YamlNode | undefined, key: string) =>
  node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
const firstSpan = (n: YamlNode | undefined): Span =>
  n?.kind === 'map' && n.entries[0] ? n.entries[0].keySpan : n ? n.span : [0, 0];

/** One connection's spec; with `reuse`, the sections other than `rebuild` are taken from it (an edit touched one section). */
export function toSpec(
  conn: YamlNode | undefined,
  raw: Raw,
  i: number,
  facts: readonly AccessFileFacts[],
  problems: Problem[],
  reuse?: ConnectionSpec,
  rebuild?: string,
): ConnectionSpec {
  const f = facts.find((x) => x.platform === raw.platform);
  if (!f) throw new Error(`No facts for ${String(raw.platform)}.`);
  const base: Path = ['connections', i];
  const keyOf = (s: Section) => sectionKey(f, s);
  const exclusive = new Set(
    sectionsOf(f).filter((s) => ((raw.exclusive as string[] | undefined) ?? []).includes(keyOf(s))),
  );
  const match = entryOf(conn, f.match.key);
  const spec: { -readonly [K in keyof ConnectionSpec]: ConnectionSpec[K] } = {
    at: match?.keySpan ?? firstSpan(conn),
    path: under(base, f.match.key),
    facts: f,
    name: String(raw[f.match.key]),
    exclusive,
  };

  const roleKey = f.members.roleKey;
  const roleEntry = (v: unknown, key: string) =>
    typeof v === 'string'
      ? { role: v }
      : {
          role: (v as Raw)[key] as string | undefined,
          until: (v as Raw).until as string | undefined,
          locked: (v as Raw).locked as boolean | undefined,
        };
  const kept = (key: string) => reuse !== undefined && rebuild !== key;
  if (kept('members')) spec.members = reuse?.members;
  else if (raw.members) {
    const members = entriesOf(entryOf(conn, 'members')?.node, raw.members).map((e): MemberSpec => ({
      email: e.key,
      ...roleEntry(e.value, roleKey),
      at: e.span,
      path: under(base, 'members', e.key),
    }));
    spec.members = uniqueBy(
      members,
      (m) => lower(m.email),
      (m) => `Member ${m.email}`,
      problems,
    );
  }
  if (f.groups && kept(f.groups.key)) spec.groups = reuse?.groups;
  else if (f.groups && raw[f.groups.key]) {
    const gk = f.groups.key;
    spec.groups = entriesOf(entryOf(conn, gk)?.node, raw[gk]).map((g): GroupSpec => {
      const path = under(base, gk, g.key);
      const entries = Array.isArray(g.value)
        ? (g.value as string[]).map((email, j) => ({ email, at: firstSpan(g.node.items[j]), path: under(path, j) }))
        : entriesOf(g.node, g.value).map((e) => ({
            email: e.key,
            role: e.value as string,
            at: e.span,
            path: under(path, e.key),
          }));
      return {
        name: g.key,
        at: g.span,
        path,
        members: uniqueBy(
          entries,
          (m) => lower(m.email),
          (m) => `${m.email} in "${g.key}"`,
          problems,
        ),
      };
    });
  }
  const items = (section: string) => {
    const node = entryOf(conn, section)?.node;
    return ((raw[section] as Raw[] | undefined) ?? []).map((value, j) => ({
      value,
      node: node?.items[j],
      path: under(base, section, j),
    }));
  };
  if (kept('resources')) spec.resources = reuse?.resources;
  else if (f.resources && raw.resources) {
    const resources = items('resources').map(({ value: r, node, path }): ResourceSpec => ({
      type: r.type as string,
      id: r.id as string,
      name: r.name as string | undefined,
      at: firstSpan(node),
      path,
      grants: uniqueBy(
        entriesOf(entryOf(node, 'grants')?.node, r.grants).map((e) => ({
          principal: e.key,
          ...(roleEntry(e.value, 'role') as { role: string; until?: string }),
          at: e.span,
          path: under(path, 'grants', e.key),
        })),
        (g) => principalId(g.principal),
        (g) => `A grant to ${g.principal}`,
        problems,
      ),
    }));
    spec.resources = uniqueBy(
      resources,
      (r) => `${r.type}:${r.id}`,
      (r) => `Resource ${r.type} ${r.id}`,
      problems,
    );
  }
  if (kept('inviteLinks')) spec.inviteLinks = reuse?.inviteLinks;
  else if (f.inviteLinks && raw.inviteLinks) {
    const links = items('inviteLinks').map(({ value: l, node, path }): LinkSpec => ({
      target: l.target as string,
      role: l.role as string,
      at: firstSpan(node),
      path,
    }));
    spec.inviteLinks = uniqueBy(
      links,
      (l) => `${l.target}|${l.role}`,
      (l) => `An invite link to ${l.target} as ${l.role}`,
      problems,
    );
  }
  if (kept('projects')) spec.projects = reuse?.projects;
  else if (f.projects && raw.projects) {
    const projects = items('projects').map(({ value: p, node, path }): ProjectSpec => ({
      id: p.id as string,
      name: p.name as string | undefined,
      at: firstSpan(node),
      path,
      members: uniqueBy(
        entriesOf(entryOf(node, 'members')?.node, p.members).map((e) => ({
          email: e.key,
          ...(roleEntry(e.value, 'role') as { role: string; until?: string }),
          at: e.span,
          path: under(path, 'members', e.key),
        })),
        (m) => lower(m.email),
        (m) => `Member ${m.email}`,
        problems,
      ),
    }));
    spec.projects = uniqueBy(
      projects,
      (p) => p.id,
      (p) => `Project ${p.id}`,
      problems,
    );
  }
  return spec;
}
