/**
 * The access file's YAML as js-yaml reads it: the value (js-yaml's own constructor, core schema),
 * and beside it a tree of source positions built from the same parser events, so every entry knows
 * its key's span and its value's. js-yaml's event parser reads a 900 KB file in tens of
 * milliseconds. The `yaml` library, which writes the file (render.ts), takes 0.3 to 0.6 s for the
 * same file even through its CST parser alone, which puts planning it past its 500 ms budget; so
 * reading stays here, and a round-trip test (accessFile.test.ts) holds both to one dialect: YAML
 * 1.2, core schema, no merge keys.
 */
import { constructFromEvents, EVENT_ID, getScalarValue, parseEvents, YAMLException, type Event } from 'js-yaml';

export type Span = readonly [number, number];

export interface YamlEntry {
  readonly key: string;
  /** Mutable in place: an incremental parse moves it (see reparse). */
  readonly keySpan: [number, number];
  readonly node: YamlNode;
}

export interface YamlNode {
  readonly kind: 'map' | 'seq' | 'scalar' | 'alias';
  /** [start, end): mutable in place, so what holds it (a spec's `at`) moves with an edit. */
  readonly span: [number, number];
  readonly flow: boolean;
  /** A map's entries, in order. */
  readonly entries: YamlEntry[];
  /** A sequence's items. */
  readonly items: YamlNode[];
}

export interface YamlTree {
  readonly value: unknown;
  readonly root: YamlNode | undefined;
}

/** A YAML mistake at its offset. */
export class YamlError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly duplicate: boolean,
  ) {
    super(message);
  }
}

/**
 * What a scalar or an alias holds: nothing. One frozen array for all of them (a large file has
 * hundreds of thousands of scalars; two empty arrays each were a third of its tree's memory).
 */
const NONE = Object.freeze([]) as unknown as never[];

const node = (kind: YamlNode['kind'], start: number, end: number, flow = false): YamlNode => {
  const container = kind === 'map' || kind === 'seq';
  return { kind, span: [start, end], flow, entries: container ? [] : NONE, items: container ? [] : NONE };
};

interface Frame {
  readonly node: YamlNode;
  /** In a map: the key waiting for its value. */
  key?: { key: string; span: [number, number] };
}

function asError(err: unknown): YamlError {
  if (err instanceof YAMLException) {
    const reason = err.reason || err.message;
    return new YamlError(
      `${reason[0].toUpperCase()}${reason.slice(1)}.`,
      err.mark?.position ?? 0,
      /duplicated mapping key/.test(reason),
    );
  }
  throw err;
}

/** Parses one YAML document. Throws a YamlError at its offset. */
export function parseYaml(text: string): YamlTree {
  let events: Event[];
  let value: unknown;
  try {
    events = parseEvents(text, {});
    value = constructFromEvents(events, { source: text })[0];
  } catch (err) {
    throw asError(err);
  }
  let root: YamlNode | undefined;
  const stack: Frame[] = [];
  const attach = (n: YamlNode, keyText?: string) => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      root = n;
      return;
    }
    const p = parent.node;
    if (p.kind === 'seq') {
      p.items.push(n);
    } else if (!parent.key) {
      parent.key = { key: keyText ?? '', span: n.span };
      return;
    } else {
      p.entries.push({ key: parent.key.key, keySpan: parent.key.span, node: n });
      parent.key = undefined;
    }
    if (n.span[1] > p.span[1]) p.span[1] = n.span[1];
  };
  // Where the parser is: an empty scalar (`- : x`, `key:`) has no text of its own (js-yaml gives it -1), so it sits here.
  let at = 0;
  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.SCALAR:
        if (e.valueStart >= 0) at = Math.max(at, e.valueEnd);
        attach(
          node('scalar', e.valueStart >= 0 ? e.valueStart : at, e.valueStart >= 0 ? e.valueEnd : at),
          stack[stack.length - 1]?.node.kind === 'map' && !stack[stack.length - 1]?.key
            ? getScalarValue(text, e)
            : undefined,
        );
        break;
      case EVENT_ID.ALIAS:
        at = Math.max(at, e.anchorEnd);
        attach(node('alias', e.anchorStart, e.anchorEnd));
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        at = Math.max(at, e.start);
        stack.push({ node: node(e.type === EVENT_ID.MAPPING ? 'map' : 'seq', e.start, e.start, e.style === 2) });
        break;
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (frame) attach(frame.node);
        break;
      }
      default:
        break;
    }
  }
  return { value, root };
}

/**
 * The tree down to `depth` levels of keys and items, the nodes below it dropped (their spans stay
 * with whatever holds them, a spec's `at`). A reader that parses a file once and only locates its
 * upper levels (the command line: a connection's sections) keeps a few hundred nodes instead of one
 * per line: a large file's whole tree is over ten times its text.
 */
export function pruned(root: YamlNode | undefined, depth: number): YamlNode | undefined {
  if (!root) return undefined;
  const cut = (n: YamlNode, left: number): YamlNode =>
    left === 0 || (n.kind !== 'map' && n.kind !== 'seq')
      ? { ...n, entries: NONE, items: NONE }
      : {
          ...n,
          entries: n.entries.map((e) => ({ ...e, node: cut(e.node, left - 1) })),
          items: n.items.map((i) => cut(i, left - 1)),
        };
  return cut(root, depth);
}

/** The node at a path, and the span that names it: a map entry's key, a list item's first key, else the node. */
export function locate(root: YamlNode | undefined, path: readonly (string | number)[]): Span {
  let n = root;
  let span: Span = n ? n.span : [0, 0];
  for (const key of path) {
    if (!n) break;
    if (n.kind === 'map') {
      const entry = n.entries.find((e) => e.key === String(key));
      if (!entry) break;
      span = entry.keySpan;
      n = entry.node;
    } else if (n.kind === 'seq' && typeof key === 'number') {
      n = n.items[key];
      if (!n) break;
      span = n.kind === 'map' && n.entries[0] ? n.entries[0].keySpan : n.span;
    } else break;
  }
  return span;
}

/** The entry or node at a path (undefined when it is not there). */
export function nodeAt(
  root: YamlNode | undefined,
  path: readonly (string | number)[],
): { node: YamlNode; entry?: YamlEntry; parent?: YamlNode } | undefined {
  let n = root;
  let entry: YamlEntry | undefined;
  let parent: YamlNode | undefined;
  for (const key of path) {
    if (!n) return undefined;
    parent = n;
    if (n.kind === 'map') {
      entry = n.entries.find((e) => e.key === String(key));
      n = entry?.node;
    } else if (n.kind === 'seq' && typeof key === 'number') {
      entry = undefined;
      n = n.items[key];
    } else return undefined;
  }
  return n ? { node: n, entry, parent } : undefined;
}

/** The path of the innermost entry at an offset, and whether the offset is on its key. */
export function pathAt(
  root: YamlNode | undefined,
  offset: number,
): { path: (string | number)[]; onKey: boolean } | undefined {
  let n = root;
  const path: (string | number)[] = [];
  let onKey = false;
  let found = false;
  while (n) {
    let next: YamlNode | undefined;
    if (n.kind === 'map') {
      for (const e of n.entries) {
        if (offset < e.keySpan[0] || offset > Math.max(e.node.span[1], e.keySpan[1])) continue;
        path.push(e.key);
        found = true;
        onKey = offset <= e.keySpan[1];
        next = onKey ? undefined : e.node;
        break;
      }
    } else if (n.kind === 'seq') {
      for (const [i, item] of n.items.entries()) {
        if (offset < item.span[0] || offset > item.span[1]) continue;
        path.push(i);
        found = true;
        onKey = item.kind === 'scalar';
        next = item;
        break;
      }
    }
    if (!next || next.kind === 'scalar') break;
    n = next;
  }
  return found ? { path, onKey } : undefined;
}

/** Moves every offset at or after `from` by `delta`, in place (spans are shared with what holds them). */
function shift(n: YamlNode, from: number, delta: number): void {
  if (n.span[1] < from) return;
  if (n.span[0] >= from) n.span[0] += delta;
  n.span[1] += delta;
  for (const e of n.entries) {
    if (e.keySpan[0] >= from) {
      e.keySpan[0] += delta;
      e.keySpan[1] += delta;
    }
    shift(e.node, from, delta);
  }
  for (const i of n.items) shift(i, from, delta);
}

/** What an edit changed: the new tree, and the path of the one entry it parsed again. */
export interface Reparsed {
  readonly tree: YamlTree;
  readonly path: readonly (string | number)[];
}

const lineStartAt = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const LONE_CR = /\r(?!\n)/;
/** The indentation of the line starting at `lineStart`: its spaces and tabs. */
const indentAt = (text: string, lineStart: number) =>
  /^[ \t]*/.exec(text.slice(lineStart, lineStart + 256))?.[0].length ?? 0;

/** Where two texts differ: the common prefix's length, and where the change ends in the old text. */
function changed(prevText: string, text: string): { from: number; oldEnd: number } {
  const max = Math.min(prevText.length, text.length);
  // Whole blocks first (compared natively), then characters.
  const BLOCK = 4096;
  let p = 0;
  while (p + BLOCK <= max && prevText.slice(p, p + BLOCK) === text.slice(p, p + BLOCK)) p += BLOCK;
  while (p < max && prevText.charCodeAt(p) === text.charCodeAt(p)) p++;
  let q = 0;
  const a = prevText.length;
  const b = text.length;
  while (q + BLOCK <= max - p && prevText.slice(a - q - BLOCK, a - q) === text.slice(b - q - BLOCK, b - q)) q += BLOCK;
  while (q < max - p && prevText.charCodeAt(a - 1 - q) === text.charCodeAt(b - 1 - q)) q++;
  return { from: p, oldEnd: a - q };
}

/** The entry at `depth` whose whole lines hold the change (its newline untouched), with its parent and line span. */
function entryHolding(
  prevText: string,
  root: YamlNode,
  from: number,
  oldEnd: number,
  depth: number,
): { path: (string | number)[]; parent: YamlNode; lines: [number, number] } | undefined {
  const path: (string | number)[] = [];
  const holds = (start: number, end: number): [number, number] | undefined => {
    const ls = lineStartAt(prevText, start);
    const nl = prevText.indexOf('\n', end - 1);
    return ls <= from && nl !== -1 && oldEnd <= nl ? [ls, nl + 1] : undefined;
  };
  let n: YamlNode | undefined = root;
  let parent: YamlNode = root;
  let lines: [number, number] = [0, 0];
  while (n && path.length < depth) {
    parent = n;
    let next: YamlNode | undefined;
    if (n.kind === 'map' && !n.flow) {
      for (const e of n.entries) {
        const span = holds(e.keySpan[0], Math.max(e.keySpan[1], e.node.span[1]));
        if (!span) continue;
        path.push(e.key);
        next = e.node;
        lines = span;
        break;
      }
    } else if (n.kind === 'seq' && !n.flow) {
      for (const [i, item] of n.items.entries()) {
        const span = holds(item.span[0], Math.max(item.span[0] + 1, item.span[1]));
        if (!span) continue;
        path.push(i);
        next = item;
        lines = span;
        break;
      }
    }
    if (!next) return undefined;
    n = next;
  }
  return path.length === depth ? { path, parent, lines } : undefined;
}

/** The value with one entry replaced (and renamed, for a map entry whose key changed), copied along the path only. */
function withEntry(
  value: unknown,
  path: readonly (string | number)[],
  fresh: unknown,
  newKey: string | undefined,
): unknown {
  const setIn = (v: unknown, i: number): unknown => {
    const key = path[i];
    const last = i === path.length - 1;
    if (Array.isArray(v)) return (v as unknown[]).map((x, j) => (j !== key ? x : last ? fresh : setIn(x, i + 1)));
    const o = v as Record<string, unknown>;
    if (!last) return { ...o, [key]: setIn(o[key], i + 1) };
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k === key ? (newKey ?? k) : k] = k === key ? fresh : x;
    return out;
  };
  return setIn(value, 0);
}

/**
 * After an edit inside one entry of a section (a member, a group, a resource…), parses only that
 * entry's lines again and splices it into the last tree. Undefined when the edit reaches further
 * (then the caller parses the whole text): a new or removed entry, a changed indentation, a key
 * that another entry already has. The previous tree is updated in place and becomes the new one:
 * spans held by the previous parse's specs move with it.
 */
export function reparse(prevText: string, prev: YamlTree, text: string, depth = 4): Reparsed | undefined {
  if (!prev.root || prevText === text) return undefined;
  // A lone CR ends a line for YAML, not for the line arithmetic here: such a text is parsed whole.
  if (LONE_CR.test(text) || LONE_CR.test(prevText)) return undefined;
  const { from, oldEnd } = changed(prevText, text);
  const at = entryHolding(prevText, prev.root, from, oldEnd, depth);
  if (!at) return undefined;
  const { path, parent, lines } = at;
  // The entry's first line sets where it sits (a map's first key sets the map's indentation): moved, it is a new structure.
  if (indentAt(prevText, lines[0]) !== indentAt(text, lines[0])) return undefined;
  const delta = text.length - prevText.length;
  let part: YamlTree;
  try {
    part = parseYaml(text.slice(lines[0], lines[1] + delta));
  } catch {
    return undefined;
  }
  const last = path[path.length - 1];
  const r = part.root;
  if (!r || r.kind !== parent.kind || (r.kind === 'map' ? r.entries.length !== 1 : r.items.length !== 1))
    return undefined;
  const newKey = r.kind === 'map' ? r.entries[0].key : undefined;
  if (newKey !== undefined && newKey !== last && parent.entries.some((e) => e.key === newKey)) return undefined;
  // In place: offsets after the edit move, and the entry is the new one.
  shift(r, 0, lines[0]);
  shift(prev.root, oldEnd, delta);
  if (parent.kind === 'map') parent.entries[parent.entries.findIndex((e) => e.key === last)] = r.entries[0];
  else parent.items[last as number] = r.items[0];
  const fresh =
    r.kind === 'map' ? (part.value as Record<string, unknown>)[r.entries[0].key] : (part.value as unknown[])[0];
  return {
    tree: { value: withEntry(prev.value, path, fresh, newKey), root: prev.root },
    path: newKey !== undefined ? [...path.slice(0, -1), newKey] : path,
  };
}
