/**
 * Reads an access file: YAML (js-yaml, with every entry's position) checked by the schema, then
 * turned into one spec per connection whose every entry knows its place in the text, so each
 * problem, drift and expiry is reported at its line. Entries are checked one by one, and an entry
 * whose text has not changed since the last check is not checked again: an edit costs its line.
 */
import type * as z from 'zod';
import { sectionKey, type AccessFileFacts } from './facts';
import { connectionParts, fileSkeleton, skeletonSchema, type ConnectionParts } from './schema';
import { locate, parseYaml, pruned, reparse, YamlError, type Span, type YamlNode, type YamlTree } from './yamlTree';

export type { Span } from './yamlTree';
export { locate } from './yamlTree';
export type * from './spec';
import type { ConnectionSpec, ParsedFile, Path, Problem } from './spec';
import { toSpec, type Raw } from './specOf';

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
  // A key without its value is said by the value's own schema (an empty role names the roles).
  if (issue.code === 'invalid_type' && issue.input === undefined && issue.path.length > 0)
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
  bad: Set<string>,
  only?: Path,
  remember = true,
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
        if (remember) c.entries.set(cacheKey, found);
      }
      if (found.length) bad.add(entryKey([...base, section, child.key]));
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
export function parseAccessFile(
  text: string,
  facts: readonly AccessFileFacts[],
  previous?: ParsedFile,
  remember = true,
): ParsedFile {
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
  const roster = top.data.roster === undefined ? undefined : { path: top.data.roster, at: locate(root, ['roster']) };
  const nodes = root?.entries.find((e) => e.key === 'connections')?.node.items ?? [];
  /** Connections whose own fields are wrong, and entries that are (`connection|section|key`). */
  const badConnections = new Set<number>();
  const bad = new Set<string>();
  raws.forEach((raw, i) => {
    const p = c.platforms.get(String(raw.platform));
    if (!p) return;
    const base: Path = ['connections', i];
    for (const issue of p.skeleton.safeParse(raw).error?.issues ?? []) {
      const { path, message } = issueMessage(issue);
      problems.push({ at: locate(root, [...base, ...path]), severity: 'error', message, code: 'schema' });
      badConnections.add(i);
    }
    const conn = nodes[i];
    if (conn?.kind === 'map' && (!edited || edited.path[1] === i))
      checkEntries(text, raw, conn, base, p.parts, p.facts.platform, c, problems, root, bad, edited?.path, remember);
  });
  if (problems.length) {
    const partial = partialSpecs(raws, nodes, facts, c, badConnections, bad, problems);
    return { text, tree, connections: [], roster, problems, partial };
  }
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
  return { text, tree, connections, roster, problems, incremental: !!edited };
}

/**
 * For a reader that parses a file once and plans it (the command line): the same specs and
 * problems, with nothing kept for a next parse (no entry's check is remembered) and the tree only
 * down to each connection's sections, which is all planning locates. On the large data set's export
 * (8.4 MB, 131,071 entries) this keeps about 75 MB instead of 180 MB.
 */
export function readAccessFile(text: string, facts: readonly AccessFileFacts[]): ParsedFile {
  const parsed = parseAccessFile(text, facts, undefined, false);
  return { ...parsed, tree: { value: undefined, root: pruned(parsed.tree.root, SECTION_DEPTH) } };
}

/** `connections` › an entry › its sections: the depth of the keys planning locates (plan.ts's `sectionAt`). */
export const SECTION_DEPTH = 3;

/** Where an entry is, as the set of wrong entries keys it: its connection, section and key (or index). */
const entryKey = (path: Path) => `${String(path[1])}|${String(path[2])}|${String(path[3])}`;

/**
 * The specs of a file with errors, without its wrong entries (and without connections whose own
 * fields are wrong), for diagnostics only: the rest is still compared with live, so drift and
 * expiry elsewhere stay in view. A section that lost an entry is not treated as exclusive, so
 * nothing is said to be removed on account of a wrong line. Never planned for writing.
 */
function partialSpecs(
  raws: readonly Raw[],
  nodes: readonly YamlNode[],
  facts: readonly AccessFileFacts[],
  c: Checkers,
  badConnections: ReadonlySet<number>,
  bad: ReadonlySet<string>,
  problems: Problem[],
): ConnectionSpec[] {
  return raws.flatMap((raw, i) => {
    const p = c.platforms.get(String(raw.platform));
    if (!p || badConnections.has(i) || nodes[i]?.kind !== 'map') return [];
    const wrong = (section: string, key: string | number) => bad.has(`${i}|${section}|${key}`);
    // A wrong entry's value is replaced by an empty one (its spec is dropped below), so reading it cannot fail.
    const clean: Raw = { ...raw };
    const touched = new Set<string>();
    for (const section of [...Object.keys(p.parts.maps), ...Object.keys(p.parts.lists)]) {
      const value = raw[section];
      if (!value || typeof value !== 'object') continue;
      if (Array.isArray(value)) {
        clean[section] = value.map((v: unknown, j) => (wrong(section, j) ? (touched.add(section), {}) : v));
      } else {
        clean[section] = Object.fromEntries(
          Object.entries(value as Raw).map(([k, v]) => [k, wrong(section, k) ? (touched.add(section), {}) : v]),
        );
      }
    }
    try {
      const spec = toSpec(nodes[i], clean, i, facts, problems);
      const keep = <T extends { readonly path: Path }>(list: readonly T[] | undefined) =>
        list?.filter((x) => !bad.has(entryKey(x.path)));
      const exclusive = new Set([...spec.exclusive].filter((s) => !touched.has(sectionKey(spec.facts, s))));
      return [
        {
          ...spec,
          exclusive,
          members: keep(spec.members),
          groups: keep(spec.groups),
          resources: keep(spec.resources),
          inviteLinks: keep(spec.inviteLinks),
          projects: keep(spec.projects),
        },
      ];
    } catch {
      return [];
    }
  });
}
