/**
 * Writes live state as an access file: stable order and formatting, names as comments, so a commit
 * of an export reads as an access review and a diff of two exports shows who gained or lost what.
 * With the file's spec as the scope, it writes live in the file's own shape and order (the left
 * side of the plan's diff): only what the file declares, with the file's `until:` and names kept.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { Grant, Member } from '../model';
import type { Provider } from '../provider';
import { sectionKey, sectionsOf, type AccessFileFacts, type Section } from './facts';
import type { ConnectionSpec, ParsedFile } from './parse';
import type { LiveState } from './live';
import type { FilePlan } from './plan';
import { linkTarget } from '../changes/change';
import { fileRole, principalKey, resolveRole } from './planRoles';
import { FILE_VERSION } from './schema';

export interface RenderEntry {
  readonly facts: AccessFileFacts;
  /** The workspace or organization name the file matches the connection by. */
  readonly name: string;
  readonly provider: Provider;
  readonly live: LiveState;
  /** Render only what this spec declares, in its order. */
  readonly scope?: ConnectionSpec;
}

const HEADER = [
  ' Workspace Access: who should have what, per connection.',
  ' Plan shows what would change; Apply makes live match; removing a line removes access in the',
  ' sections listed under `exclusive`. Names in comments are for people to read.',
].join('\n');

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const lower = (s: string) => s.toLowerCase();

/**
 * A name as a comment: one line of text YAML allows. A platform's names are anyone's text, and a
 * control character (a NUL, an escape) makes the whole file unreadable as YAML; a line break would
 * end the comment. Either becomes a space.
 */
const commentOf = (text: string | undefined) =>
  text ? ` ${text.replace(/[^\t\x20-\x7E\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]+/gu, ' ')}` : undefined;

function scalar(value: unknown, comment?: string): Scalar {
  const s = new Scalar(value);
  s.comment = commentOf(comment);
  return s;
}

function map(entries: readonly (readonly [string, Node | undefined])[], flow = false): YAMLMap {
  const m = new YAMLMap();
  m.flow = flow;
  for (const [k, v] of entries) if (v !== undefined) m.items.push(new Pair(new Scalar(k), v));
  return m;
}

function seq(items: readonly Node[]): YAMLSeq {
  const s = new YAMLSeq();
  s.items.push(...items);
  return s;
}

/** Declared items first in the file's order, then the rest sorted: what the diff lines up. */
function ordered<T>(
  items: readonly T[],
  key: (t: T) => string,
  declared: readonly string[] | undefined,
  include: 'all' | 'declared',
): T[] {
  if (!declared) return [...items].sort((a, b) => cmp(key(a), key(b)));
  const at = new Map(declared.map((k, i) => [k, i]));
  const first = items.filter((t) => at.has(key(t))).sort((a, b) => (at.get(key(a)) ?? 0) - (at.get(key(b)) ?? 0));
  const rest = include === 'all' ? items.filter((t) => !at.has(key(t))).sort((a, b) => cmp(key(a), key(b))) : [];
  return [...first, ...rest];
}

const nameComment = (m: { name: string; email: string }) => (m.name && m.name !== m.email ? m.name : undefined);

function renderConnection(e: RenderEntry): YAMLMap {
  const { facts: f, provider, scope } = e;
  const sections = sectionsOf(f).filter((s) => !scope || scope[s] !== undefined);
  const exclusive = scope
    ? sections.filter((s) => scope.exclusive.has(s))
    : sections.filter((s) => s !== 'members' || !!provider.members);
  const entries: [string, Node | undefined][] = [
    ['platform', scalar(f.platform)],
    [f.match.key, scalar(e.name)],
    ['exclusive', exclusive.length ? flowSeq(exclusive.map((s) => sectionKey(f, s))) : undefined],
  ];
  for (const s of sections) entries.push([sectionKey(f, s), renderSection(e, s)]);
  return map(entries);
}

function flowSeq(items: readonly string[]): YAMLSeq {
  const s = seq(items.map((i) => scalar(i)));
  s.flow = true;
  return s;
}

function renderSection(e: RenderEntry, s: Section): Node | undefined {
  switch (s) {
    case 'members':
      return e.provider.members ? renderMembers(e) : undefined;
    case 'groups':
      return e.live.groups ? renderGroups(e) : undefined;
    case 'resources':
      return e.live.resources ? renderResources(e) : undefined;
    case 'inviteLinks':
      return e.live.links ? renderLinks(e) : undefined;
    case 'projects':
      return e.live.projects ? renderProjects(e) : undefined;
  }
}

function renderMembers(e: RenderEntry): YAMLMap {
  const { facts: f, live, scope } = e;
  const listed = !!e.provider.members?.roles?.listed;
  const declared = scope?.members;
  const byEmail = new Map(declared?.map((m) => [lower(m.email), m]));
  const include = !scope || scope.exclusive.has('members') ? 'all' : 'declared';
  const members = ordered(
    live.members,
    (m) => lower(m.email),
    declared?.map((m) => lower(m.email)),
    include,
  );
  return map(
    members.map((m): [string, Node] => {
      const role = fileRole(resolveRole(live.roles, m.role ?? ''), listed, m.role ?? '');
      const spec = byEmail.get(lower(m.email));
      const locked = f.members.locks && (m.locked || spec?.locked !== undefined) ? !!m.locked : undefined;
      const until = spec?.until;
      if (locked === undefined && !until) return [spec?.email ?? m.email, scalar(role, nameComment(m))];
      const value = map(
        [
          [f.members.roleKey, scalar(role)],
          ['locked', locked === undefined ? undefined : scalar(locked)],
          ['until', until ? scalar(until) : undefined],
        ],
        true,
      );
      value.comment = commentOf(nameComment(m));
      return [spec?.email ?? m.email, value];
    }),
  );
}

function renderGroups(e: RenderEntry): YAMLMap {
  const { live, scope, provider } = e;
  const declared = scope?.groups;
  const groups = ordered(
    (live.groups ?? []).filter((g) => scope || !g.group.system),
    (g) => g.group.name,
    declared?.map(
      (g) =>
        live.groups?.find((x) => lower(x.group.name) === lower(g.name) || x.group.id === g.name)?.group.name ?? g.name,
    ),
    'declared',
  );
  const roles = provider.groups?.roles;
  return map(
    groups.map((g): [string, Node] => {
      const spec = declared?.find((d) => lower(d.name) === lower(g.group.name) || d.name === g.group.id);
      const order = spec?.members.map((m) => lower(m.email));
      const members = ordered(g.members, (m) => lower(m.email), order, 'all');
      const name = spec?.name ?? g.group.name;
      const asMap =
        roles && (spec ? spec.members.some((m) => m.role) || (!spec.members.length && members.length > 0) : true);
      if (asMap && roles) return [name, map(members.map((m) => [m.email, scalar(roles.of(m), nameComment(m))]))];
      return [name, seq(members.map((m) => scalar(m.email, nameComment(m))))];
    }),
  );
}

const KIND_ORDER = ['default', 'group', 'serviceAccount', 'user', 'anonymous'];

function renderResources(e: RenderEntry): YAMLSeq {
  const { facts: f, live, scope } = e;
  const prefix = f.groups?.prefix ?? 'group';
  const counts = new Map<string, number>();
  for (const g of live.groupNames ?? []) counts.set(g.name, (counts.get(g.name) ?? 0) + 1);
  const taken = (name: string) => (counts.get(name) ?? 0) > 1;
  const types = f.resources?.types ?? [];
  const present = (live.resources ?? []).filter((r) => r.grants);
  const declared = scope?.resources?.map((r) => `${r.type}:${r.id}`);
  const resources = declared
    ? ordered(present, (r) => `${r.resource.type}:${r.resource.id}`, declared, 'declared')
    : [...present].sort(
        (a, b) =>
          types.indexOf(a.resource.type) - types.indexOf(b.resource.type) ||
          cmp(lower(a.resource.name), lower(b.resource.name)) ||
          cmp(a.resource.id, b.resource.id),
      );
  return seq(
    resources.map((r) => {
      const spec = scope?.resources?.find((x) => x.type === r.resource.type && x.id === r.resource.id);
      const keyOf = (g: Grant) => principalKey(g.principal, prefix, taken);
      const shown = (r.grants ?? []).filter(
        (g) => g.principal.kind !== 'anonymous' && (g.principal.kind !== 'default' || f.resources?.workspaceDefault),
      );
      const specKey = (k: string) => (k.includes('@') ? lower(k) : k);
      const order = spec?.grants.map((g) => specKey(g.principal));
      const grants = order
        ? ordered(shown, (g) => specKey(keyOf(g)), order, 'all')
        : [...shown].sort(
            (a, b) =>
              KIND_ORDER.indexOf(a.principal.kind) - KIND_ORDER.indexOf(b.principal.kind) ||
              cmp(lower(keyOf(a)), lower(keyOf(b))),
          );
      const grantMap = map(
        grants.map((g): [string, Node] => {
          const key = keyOf(g);
          const until = spec?.grants.find((x) => specKey(x.principal) === specKey(key))?.until;
          const comment = g.creator
            ? 'creator'
            : g.principal.kind === 'user' && g.principal.email && g.principal.name !== g.principal.email
              ? g.principal.name
              : undefined;
          const fileKey = spec?.grants.find((x) => specKey(x.principal) === specKey(key))?.principal ?? key;
          if (!until) return [fileKey, scalar(g.role, comment)];
          const value = map(
            [
              ['role', scalar(g.role)],
              ['until', scalar(until)],
            ],
            true,
          );
          value.comment = commentOf(comment);
          return [fileKey, value];
        }),
      );
      return map([
        ['type', scalar(r.resource.type)],
        ['id', scalar(r.resource.id)],
        ['name', scalar(spec?.name ?? r.resource.name)],
        ['grants', grantMap],
      ]);
    }),
  );
}

function renderLinks(e: RenderEntry): YAMLSeq {
  const links = [...(e.live.links ?? [])].map((l) => ({ l, target: linkTarget(l.target) }));
  const declared = e.scope?.inviteLinks?.map((l) => `${l.target}|${l.role}`);
  return seq(
    ordered(
      links,
      (x) => `${x.target}|${x.l.role}`,
      declared,
      !e.scope || e.scope.exclusive.has('inviteLinks') ? 'all' : 'declared',
    ).map((x) =>
      map([
        ['target', scalar(x.target, x.l.target.kind === 'organization' ? undefined : x.l.target.name)],
        ['role', scalar(x.l.role)],
      ]),
    ),
  );
}

function renderProjects(e: RenderEntry): YAMLSeq {
  const { live, scope } = e;
  const projects = ordered(
    live.projects ?? [],
    (p) => p.project.id,
    scope?.projects?.map((p) => p.id),
    'declared',
  );
  if (!scope)
    projects.sort((a, b) => cmp(lower(a.project.name), lower(b.project.name)) || cmp(a.project.id, b.project.id));
  return seq(
    projects.map((p) => {
      const spec = scope?.projects?.find((x) => x.id === p.project.id);
      const include = !scope || scope.exclusive.has('projects') ? 'all' : 'declared';
      const members = ordered(
        p.members,
        (m: Member) => lower(m.email),
        spec?.members.map((m) => lower(m.email)),
        include,
      );
      return map([
        ['id', scalar(p.project.id)],
        ['name', scalar(spec?.name ?? p.project.name)],
        [
          'members',
          map(
            members.map((m): [string, Node] => {
              const role = fileRole(resolveRole(p.roles, m.role ?? ''), true, m.roleLabel ?? m.role ?? '');
              const until = spec?.members.find((x) => lower(x.email) === lower(m.email))?.until;
              if (!until) return [m.email, scalar(role, nameComment(m))];
              const value = map(
                [
                  ['role', scalar(role)],
                  ['until', scalar(until)],
                ],
                true,
              );
              return [m.email, value];
            }),
          ),
        ],
      ]);
    }),
  );
}

/** The file's text for these connections' live state. */
export function renderAccessFile(entries: readonly RenderEntry[], roster?: string): string {
  const doc = new Document();
  doc.contents = map([
    ['version', scalar(FILE_VERSION)],
    // The file's roster is the file's, not live's: kept as it was written (a Plan diff shows no change for it).
    ['roster', roster === undefined ? undefined : scalar(roster)],
    ['connections', seq(entries.map(renderConnection))],
  ]);
  doc.commentBefore = HEADER;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** Live state in a parsed file's own shape and order, for the connections its plan read: the plan's left side, and an export over an existing file. */
export function renderLive(parsed: ParsedFile, plan: Pick<FilePlan, 'targets' | 'live'>): string {
  const entries: RenderEntry[] = [];
  parsed.connections.forEach((spec, i) => {
    const target = plan.targets[i];
    const live = target && plan.live.get(target.connectionId);
    if (target && live)
      entries.push({ facts: spec.facts, name: spec.name, provider: target.provider, live, scope: spec });
  });
  return renderAccessFile(entries, parsed.roster?.path);
}
