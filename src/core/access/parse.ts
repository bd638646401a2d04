/**
 * Reads an access file: YAML (js-yaml, with every entry's position) checked by the schema, then
 * turned into one spec per connection whose every entry knows its place in the text, so each
 * problem, drift and expiry is reported at its line. Entries are checked one by one, and an entry
 * whose text has not changed since the last check is not checked again: an edit costs its line.
 */
import type * as z from 'zod';
import type { AccessFileFacts } from './facts';
import { connectionParts, fileSkeleton, skeletonSchema, type ConnectionParts } from './schema';
import { locate, parseYaml, reparse, YamlError, type Span, type YamlNode, type YamlTree } from './yamlTree';

export type { Span } from './yamlTree';
export { locate } from './yamlTree';
export type * from './spec';
import type { ParsedFile, Path, Problem } from './spec';
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
