/**
 * Reads an access file: YAML (with positions and comments kept) checked by the schema, then
 * turned into one spec per connection whose every entry knows its place in the text, so each
 * problem, drift and expiry is reported at its line.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type * as z from 'zod';
import { sectionKey, sectionsOf, type AccessFileFacts, type Section } from './facts';
import { accessFileSchema, type AccessFileSchema } from './schema';

/** Offsets into the file's text: [start, end). */
export type Span = readonly [number, number];

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
export type Fix = { readonly kind: 'set'; readonly path: Path; readonly key?: string; readonly value: string | boolean } | { readonly kind: 'delete'; readonly path: Path };

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
  readonly doc: Document;
  readonly connections: readonly ConnectionSpec[];
  /** Syntax, schema and duplicate errors: Plan and Apply refuse a file with any. */
  readonly problems: readonly Problem[];
}

export type Path = readonly (string | number)[];

const schemas = new WeakMap<readonly AccessFileFacts[], AccessFileSchema>();

/** The node at a path, and the span that names it: a map entry's key, else the node. */
export function locate(doc: Document, path: Path): Span {
  let node: unknown = doc.contents;
  let span: Span = [0, 0];
  const rangeOf = (n: unknown): Span | undefined => {
    const r = (n as Node | null)?.range;
    return r ? [r[0], r[1]] : undefined;
  };
  span = rangeOf(node) ?? span;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      span = rangeOf(pair.key) ?? span;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      span = rangeOf(node) ?? span;
      // A sequence entry that is a map is named by its first line.
      if (isMap(node) && node.items[0] && isPair(node.items[0])) span = rangeOf(node.items[0].key) ?? span;
    } else break;
  }
  return span;
}

function issueMessage(issue: z.core.$ZodIssue): { path: Path; message: string } {
  if (issue.code === 'invalid_union' && 'errors' in issue) {
    // The branch that got past the value's type says the useful thing.
    const branch = issue.errors.find((b) => b.some((i) => i.code !== 'invalid_type' || i.path.length > 0)) ?? issue.errors[0];
    const inner = branch?.[0];
    if (inner) {
      const nested = issueMessage(inner);
      return { path: [...issue.path, ...nested.path] as Path, message: nested.message };
    }
  }
  if (issue.code === 'unrecognized_keys') return { path: [...issue.path, issue.keys[0] ?? ''] as Path, message: `Unknown key "${issue.keys.join('", "')}": remove it, or check its spelling.` };
  if (issue.code === 'invalid_key' && 'issues' in issue && issue.issues[0]) return { path: issue.path as Path, message: issue.issues[0].message };
  if (issue.code === 'invalid_type' && issue.input === undefined) return { path: issue.path as Path, message: `"${String(issue.path[issue.path.length - 1])}" is missing.` };
  return { path: issue.path as Path, message: issue.message };
}

const syntaxMessage = (message: string) => message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '.');

/** Parses and checks the text. Never throws on bad input: every mistake is a problem at its place. */
export function parseAccessFile(text: string, facts: readonly AccessFileFacts[]): ParsedFile {
  const doc = parseDocument(text, { uniqueKeys: true, keepSourceTokens: false });
  const problems: Problem[] = [];
  for (const e of doc.errors) problems.push({ at: [e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)], severity: 'error', message: syntaxMessage(e.message), code: e.code === 'DUPLICATE_KEY' ? 'duplicate' : 'syntax' });
  if (doc.errors.length) return { doc, connections: [], problems };
  let schema = schemas.get(facts);
  if (!schema) schemas.set(facts, (schema = accessFileSchema(facts)));
  const value: unknown = doc.toJS();
  const checked = schema.safeParse(value ?? {});
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const { path, message } = issueMessage(issue);
      problems.push({ at: locate(doc, path), severity: 'error', message, code: 'schema' });
    }
    return { doc, connections: [], problems };
  }
  const connections = (checked.data.connections as Record<string, unknown>[]).map((raw, i) => toSpec(doc, raw, i, facts, problems));
  const seen = new Map<string, number>();
  connections.forEach((c, i) => {
    const key = `${c.facts.platform}|${c.name.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push({ at: c.at, severity: 'error', message: `This ${c.facts.label} ${c.facts.match.key} is already declared (entry ${first + 1}): merge the two.`, code: 'duplicate' });
    else seen.set(key, i);
  });
  return { doc, connections, problems };
}

/** One entry per key, case-insensitive for emails: a second one is a problem at its line. */
function uniqueBy<T extends Located>(items: T[], key: (t: T) => string, what: (t: T) => string, problems: Problem[]): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) {
      problems.push({ at: t.at, severity: 'error', message: `${what(t)} is listed twice: keep one.`, code: 'duplicate' });
      return false;
    }
    seen.add(k);
    return true;
  });
}

const lower = (s: string) => s.toLowerCase();
const principalId = (p: string) => (p.includes('@') ? lower(p) : p);

type Raw = Record<string, unknown>;

function toSpec(doc: Document, raw: Raw, i: number, facts: readonly AccessFileFacts[], problems: Problem[]): ConnectionSpec {
  const f = facts.find((x) => x.platform === raw.platform);
  if (!f) throw new Error(`No facts for ${String(raw.platform)}.`);
  const base: Path = ['connections', i];
  const at = (...path: Path) => locate(doc, [...base, ...path]);
  const loc = (...path: Path) => ({ at: at(...path), path: [...base, ...path] });
  const keyOf = (s: Section) => sectionKey(f, s);
  const exclusive = new Set(sectionsOf(f).filter((s) => ((raw.exclusive as string[] | undefined) ?? []).includes(keyOf(s))));
  const spec: { -readonly [K in keyof ConnectionSpec]: ConnectionSpec[K] } = { ...loc(f.match.key), facts: f, name: String(raw[f.match.key]), exclusive };

  const roleKey = f.members.roleKey;
  const roleEntry = (v: unknown, key: string) => (typeof v === 'string' ? { role: v } : { role: (v as Raw)[key] as string | undefined, until: (v as Raw).until as string | undefined, locked: (v as Raw).locked as boolean | undefined });
  if (raw.members) {
    const members = Object.entries(raw.members as Raw).map(([email, v]): MemberSpec => ({ email, ...roleEntry(v, roleKey), ...loc('members', email) }));
    spec.members = uniqueBy(members, (m) => lower(m.email), (m) => `Member ${m.email}`, problems);
  }
  if (f.groups && raw[f.groups.key]) {
    const gk = f.groups.key;
    spec.groups = Object.entries(raw[gk] as Raw).map(([name, v]): GroupSpec => {
      const entries = Array.isArray(v) ? v.map((email: string, j) => ({ email, ...loc(gk, name, j) })) : Object.entries(v as Raw).map(([email, role]) => ({ email, role: role as string, ...loc(gk, name, email) }));
      return { name, ...loc(gk, name), members: uniqueBy(entries, (m) => lower(m.email), (m) => `${m.email} in "${name}"`, problems) };
    });
  }
  if (f.resources && raw.resources) {
    const resources = (raw.resources as Raw[]).map((r, j): ResourceSpec => ({
      type: r.type as string,
      id: r.id as string,
      name: r.name as string | undefined,
      ...loc('resources', j),
      grants: uniqueBy(
        Object.entries(r.grants as Raw).map(([principal, v]) => ({ principal, ...(roleEntry(v, 'role') as { role: string; until?: string }), ...loc('resources', j, 'grants', principal) })),
        (g) => principalId(g.principal),
        (g) => `A grant to ${g.principal}`,
        problems,
      ),
    }));
    spec.resources = uniqueBy(resources, (r) => `${r.type}:${r.id}`, (r) => `Resource ${r.type} ${r.id}`, problems);
  }
  if (f.inviteLinks && raw.inviteLinks) {
    const links = (raw.inviteLinks as Raw[]).map((l, j): LinkSpec => ({ target: l.target as string, role: l.role as string, ...loc('inviteLinks', j) }));
    spec.inviteLinks = uniqueBy(links, (l) => `${l.target}|${l.role}`, (l) => `An invite link to ${l.target} as ${l.role}`, problems);
  }
  if (f.projects && raw.projects) {
    const projects = (raw.projects as Raw[]).map((p, j): ProjectSpec => ({
      id: p.id as string,
      name: p.name as string | undefined,
      ...loc('projects', j),
      members: uniqueBy(
        Object.entries(p.members as Raw).map(([email, v]) => ({ email, ...(roleEntry(v, 'role') as { role: string; until?: string }), ...loc('projects', j, 'members', email) })),
        (m) => lower(m.email),
        (m) => `Member ${m.email}`,
        problems,
      ),
    }));
    spec.projects = uniqueBy(projects, (p) => p.id, (p) => `Project ${p.id}`, problems);
  }
  return spec;
}
