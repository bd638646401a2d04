/**
 * Reads an access file: YAML (js-yaml, with every entry's position) checked by the schema, then
 * turned into one spec per connection whose every entry knows its place in the text, so each
 * problem, drift and expiry is reported at its line. Entries are checked one by one, and an entry
 * whose text has not changed since the last check is not checked again: an edit costs its line.
 */
import type * as z from 'zod';
import { sectionKey, sectionsOf, type AccessFileFacts, type Section } from './facts';
import { connectionParts, fileSkeleton, skeletonSchema, type ConnectionParts } from './schema';
import { locate, parseYaml, reparse, YamlError, type Span, type YamlNode, type YamlTree } from './yamlTree';

export type { Span } from './yamlTree';
export { locate } from './yamlTree';

export type Path = readonly (string | number)[];

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  readonly at: Span;
  readonly severity: Severity;
  readonly message: string;
  /** What kind it is, for quick fixes and counts: `syntax`, `schema`, `duplicate`, `connection`, `drift`, `expired`, `unknown`, `pending`. */
  readonly code: string;
  /** The edit that writes the live value into the file (drift). */
  readonly fix?: Fix;
}

interface Located {
  readonly at: Span;
  /** Where it is in the YAML document: what a quick fix edits. */
  readonly path: Path;
}

/** A quick fix's edit: set the value at a path (its `key` inside a map value), or delete the entry there. */
export type Fix =
  | { readonly kind: 'set'; readonly path: Path; readonly key?: string; readonly value: string | boolean }
  | { readonly kind: 'delete'; readonly path: Path };

export interface MemberSpec extends Located {
  readonly email: string;
  readonly role?: string;
  readonly locked?: boolean;
  readonly until?: string;
}

export interface GroupMemberSpec extends Located {
  readonly email: string;
  readonly role?: string;
}

export interface GroupSpec extends Located {
  readonly name: string;
  readonly members: readonly GroupMemberSpec[];
}

export interface GrantSpec extends Located {
  /** An email, `group:<name>` (`team:<name>`), `service-account:<name>` or `default`. */
  readonly principal: string;
  readonly role: string;
  readonly until?: string;
}

export interface ResourceSpec extends Located {
  readonly type: string;
  readonly id: string;
  readonly name?: string;
  readonly grants: readonly GrantSpec[];
}

export interface LinkSpec extends Located {
  /** `organization`, `space:<id>` or `collection:<id>`. */
  readonly target: string;
  readonly role: string;
}

export interface ProjectSpec extends Located {
  readonly id: string;
  readonly name?: string;
  readonly members: readonly MemberSpec[];
}

/** One connection as the file declares it. A section left out is not managed. */
export interface ConnectionSpec extends Located {
  readonly facts: AccessFileFacts;
  /** The workspace or organization it names. */
  readonly name: string;
  readonly exclusive: ReadonlySet<Section>;
  readonly members?: readonly MemberSpec[];
  readonly groups?: readonly GroupSpec[];
  readonly resources?: readonly ResourceSpec[];
  readonly inviteLinks?: readonly LinkSpec[];
  readonly projects?: readonly ProjectSpec[];
}

export interface ParsedFile {
  readonly text: string;
  /** Whether only the edited entry was parsed again. */
  readonly incremental?: boolean;
  readonly tree: YamlTree;
  readonly connections: readonly ConnectionSpec[];
  /** Syntax, schema and duplicate errors: Plan and Apply refuse a file with any. */
  readonly problems: readonly Problem[];
}

function issueMessage(issue: z.core.$ZodIssue): { path: Path; message: string } {
  if (issue.code === 'invalid_union' && 'errors' in issue) {
    // The branch that got past the value's type says the useful thing.
    const branch =
      issue.errors.find((b) => b.some((i) => i.code !== 'invalid_type' || i.path.length > 0)) ?? issue.errors[0];
    const inner = branch?.[0];
    if (inner) {
      const nested = issueMessage(inner);
      return { path: [...issue.path, ...nested.path] as Path, message: nested.message };
    }
  }
  if (issue.code === 'unrecognized_keys')
    return {
      path: [...issue.path, issue.keys[0] ?? ''] as Path,
      message: `Unknown key "${issue.keys.join('", "')}": remove it, or check its spelling.`,
    };
  if (issue.code === 'invalid_key' && 'issues' in issue && issue.issues[0])
    return { path: issue.path as Path, message: issue.issues[0].message };
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return { path: issue.path as Path, message: `"${String(issue.path[issue.path.length - 1])}" is missing.` };
  return { path: issue.path as Path, message: issue.message };
}

/** An issue relative to its entry: its path inside the entry, and what to do. */
interface EntryIssue {
  readonly path: Path;
  readonly message: string;
}

interface Checkers {
  readonly file: ReturnType<typeof fileSkeleton>;
  readonly platforms: ReadonlyMap<
    string,
    {
      readonly facts: AccessFileFacts;
      readonly skeleton: ReturnType<typeof skeletonSchema>;
      readonly parts: ConnectionParts;
    }
  >;
  /** The issues of entries already checked, by platform, section and the entry's text. */
  readonly entries: Map<string, readonly EntryIssue[]>;
}

const checkers = new WeakMap<readonly AccessFileFacts[], Checkers>();
/** Trees an incremental parse has already moved on from. */
const consumed = new WeakSet<YamlTree>();

function checkersFor(facts: readonly AccessFileFacts[]): Checkers {
  let c = checkers.get(facts);
  if (!c) {
    c = {
      file: fileSkeleton(facts.map((f) => f.platform)),
      platforms: new Map(
        facts.map((f) => [f.platform, { facts: f, skeleton: skeletonSchema(f), parts: connectionParts(f) }]),
      ),
      entries: new Map(),
    };
    checkers.set(facts, c);
  }
  return c;
}

const issuesOf = (result: { success: boolean; error?: { issues: readonly z.core.$ZodIssue[] } }): EntryIssue[] =>
  result.success ? [] : (result.error?.issues ?? []).map(issueMessage);

/** Checks each entry of each section by its schema; an entry whose text did not change is not checked again. */
function checkEntries(
  text: string,
  raw: Raw,
  conn: YamlNode,
  base: Path,
  parts: ConnectionParts,
  platform: string,
  c: Checkers,
  problems: Problem[],
  root: YamlNode | undefined,
  only?: Path,
): void {
  if (c.entries.size > 200_000) c.entries.clear();
  for (const entry of conn.entries) {
    const section = entry.key;
    const map = parts.maps[section];
    const list = parts.lists[section];
    const value = raw[section];
    if ((!map && !list) || !value || typeof value !== 'object') continue;
    const children = map
      ? entry.node.entries.map((e) => ({ key: e.key, start: e.keySpan[0], end: e.node.span[1] }))
      : entry.node.items.map((n, i) => ({ key: i, start: n.span[0], end: n.span[1] }));
    for (const child of children) {
      if (only && (only[2] !== section || only[3] !== child.key)) continue;
      const cacheKey = `${platform}|${section}|${text.slice(child.start, child.end)}`;
      let found = c.entries.get(cacheKey);
      if (!found) {
        const v = (value as Record<string | number, unknown>)[child.key];
        found = map
          ? [
              ...issuesOf(map.key.safeParse(child.key)).map((p) => ({ ...p, path: [] })),
              ...issuesOf(map.value.safeParse(v)),
            ]
          : list
            ? issuesOf(list.item.safeParse(v))
            : [];
        c.entries.set(cacheKey, found);
      }
      for (const p of found)
        problems.push({
          at: locate(root, [...base, section, child.key, ...p.path]),
          severity: 'error',
          message: p.message,
          code: 'schema',
        });
    }
  }
}

/** Parses and checks the text. Never throws on bad input: every mistake is a problem at its place. */
export function parseAccessFile(text: string, facts: readonly AccessFileFacts[], previous?: ParsedFile): ParsedFile {
  const problems: Problem[] = [];
  let tree: YamlTree;
  // After an edit inside one entry of a file that had no problem, only that entry is parsed and checked again.
  // The previous tree is updated in place, so it serves one edit only.
  const usable = previous && !previous.problems.length && !consumed.has(previous.tree);
  const edited = usable ? reparse(previous.text, previous.tree, text) : undefined;
  if (usable) consumed.add(previous.tree);
  try {
    tree = edited?.tree ?? parseYaml(text);
  } catch (err) {
    if (!(err instanceof YamlError)) throw err;
    // A duplicate is reported where its line starts (js-yaml points past the key).
    const lineStart = text.lastIndexOf('\n', Math.max(0, err.position - 1)) + 1;
    const start = err.duplicate
      ? lineStart + (/^\s*/.exec(text.slice(lineStart, err.position))?.[0].length ?? 0)
      : err.position;
    const at: Span = [start, Math.min(text.length, Math.max(start + 1, err.position))];
    return {
      text,
      tree: { value: undefined, root: undefined },
      connections: [],
      problems: [
        {
          at,
          severity: 'error',
          message: err.duplicate ? 'This key is listed twice in the same map: keep one.' : err.message,
          code: err.duplicate ? 'duplicate' : 'syntax',
        },
      ],
    };
  }
  const c = checkersFor(facts);
  const root = tree.root;
  const top = c.file.safeParse(tree.value ?? {});
  if (!top.success) {
    for (const issue of top.error.issues) {
      const { path, message } = issueMessage(issue);
      problems.push({ at: locate(root, path), severity: 'error', message, code: 'schema' });
    }
    return { text, tree, connections: [], problems };
  }
  const raws = top.data.connections as Raw[];
  const nodes = root?.entries.find((e) => e.key === 'connections')?.node.items ?? [];
  raws.forEach((raw, i) => {
    const p = c.platforms.get(String(raw.platform));
    if (!p) return;
    const base: Path = ['connections', i];
    for (const issue of p.skeleton.safeParse(raw).error?.issues ?? []) {
      const { path, message } = issueMessage(issue);
      problems.push({ at: locate(root, [...base, ...path]), severity: 'error', message, code: 'schema' });
    }
    const conn = nodes[i];
    if (conn?.kind === 'map' && (!edited || edited.path[1] === i))
      checkEntries(text, raw, conn, base, p.parts, p.facts.platform, c, problems, root, edited?.path);
  });
  if (problems.length) return { text, tree, connections: [], problems };
  // After an edit of one entry, the other connections' specs and the other sections are the previous ones (their spans moved in place).
  const connections = raws.map((raw, i) => {
    const before = edited && previous?.connections[i];
    if (before && edited.path[1] !== i) return before;
    return toSpec(nodes[i], raw, i, facts, problems, before || undefined, before ? String(edited.path[2]) : undefined);
  });
  const seen = new Map<string, number>();
  connections.forEach((conn, i) => {
    const key = `${conn.facts.platform}|${conn.name.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({
        at: conn.at,
        severity: 'error',
        message: `This ${conn.facts.label} ${conn.facts.match.key} is already declared (entry ${first + 1}): merge the two.`,
        code: 'duplicate',
      });
    else seen.set(key, i);
  });
  return { text, tree, connections, problems, incremental: !!edited };
}

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

type Raw = Record<string, unknown>;

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
function toSpec(
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
    path: [...base, f.match.key],
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
      path: [...base, 'members', e.key],
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
      const path = [...base, gk, g.key];
      const entries = Array.isArray(g.value)
        ? (g.value as string[]).map((email, j) => ({ email, at: firstSpan(g.node.items[j]), path: [...path, j] }))
        : entriesOf(g.node, g.value).map((e) => ({
            email: e.key,
            role: e.value as string,
            at: e.span,
            path: [...path, e.key],
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
      path: [...base, section, j],
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
          path: [...path, 'grants', e.key],
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
          path: [...path, 'members', e.key],
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
