/**
 * The review file's `people` section read line by line, for speed: a large review has tens of
 * thousands of items, and a general YAML parser takes seconds on it where the editor has a few
 * hundred milliseconds. It reads only the shape render.ts writes (and one-line edits of it): each
 * person's `  - email:` line, `    name:`, `    context: {…}` and `    access:` lines, and one item per
 * line as a flow map of plain or double-quoted scalars. Anything else (a comment, another layout,
 * an escape YAML has and JSON has not) makes it give up, and the caller reads the whole file with the
 * general parser: the two read the same text the same way (values, and the spans problems point at),
 * which a test holds.
 */
import { constructFromEvents, parseEvents } from 'js-yaml';
import type { Span } from '../access/yamlTree';

/** A map as the checks need it: where it is, and where each of its keys is. */
export interface Located {
  readonly span: Span;
  key(name: string): Span | undefined;
}

export interface PeopleLines {
  /** The people as YAML gives them: `{email, name?, context?, access}`. */
  readonly people: unknown[];
  readonly nodes: readonly { readonly person: Located; readonly items: readonly Located[] }[];
}

/** A plain scalar as the core schema resolves it (a date stays a string; `12` is a number). */
const resolved = new Map<string, unknown>();
function plainValue(s: string): unknown {
  const c = s.charCodeAt(0);
  const special = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126;
  if (!special && (s.length < 4 || s.length > 5 || !/^(?:null|true|false)$/i.test(s))) return s;
  if (!resolved.has(s)) {
    if (resolved.size > 10_000) resolved.clear();
    resolved.set(s, constructFromEvents(parseEvents(s, {}), { source: s })[0]);
  }
  return resolved.get(s);
}

/** What render.ts writes plain (and digits first: dates, ids), no trailing space: `[A-Za-z0-9_./()+][\w@./()+'& -]*`, by char code. */
const PLAIN_FIRST: boolean[] = [];
const PLAIN_NEXT: boolean[] = [];
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  PLAIN_FIRST[c] = /[A-Za-z0-9_./()+]/.test(ch);
  PLAIN_NEXT[c] = /[\w@./()+'& -]/.test(ch);
}
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Escapes JSON and YAML's double quotes both read the same way. */
const ESCAPE = /\\[^"\\/bfnrtu]/;

/**
 * The last scalar read (scalarAt): its value, its text's span as the YAML parser gives it (inside the
 * quotes for a quoted one) and where the text after it starts. Module fields, not an object per
 * scalar: a large review has half a million of them.
 */
let sValue: unknown;
let sEnd = 0;
let sNext = 0;

/** A scalar in flow context at `i`, ending before `,`, `}` or `]`; false when it is not one this reads. */
function scalarAt(text: string, i: number, end: number): boolean {
  if (text.charCodeAt(i) === 34) {
    let j = i + 1;
    while (j < end && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
    if (j >= end) return false;
    const raw = text.slice(i, j + 1);
    if (ESCAPE.test(raw)) return false;
    try {
      sValue = JSON.parse(raw) as unknown;
    } catch {
      return false;
    }
    sEnd = j;
    sNext = j + 1;
    return true;
  }
  // What render.ts writes plain (PLAIN, digits first too), checked as it is scanned.
  let j = i;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c === 44 || c === 125 || c === 93) break;
    if (!(j === i ? PLAIN_FIRST[c] : PLAIN_NEXT[c])) return false;
    j++;
  }
  if (j === i || text.charCodeAt(j - 1) === 32) return false;
  const raw = text.slice(i, j);
  sValue = plainValue(raw);
  sEnd = j;
  sNext = j;
  return true;
}

/** The keys the file writes, as constants: a key read from the text is not a new string to look up. */
const KNOWN_KEYS = ['at', 'kind', 'type', 'id', 'name', 'role', 'via', 'decision', 'reason'].concat([
  'roster',
  'external',
  'lastActive',
  'findings',
]);

function keyText(text: string, from: number, to: number): string | undefined {
  const length = to - from;
  for (const k of KNOWN_KEYS) if (k.length === length && text.startsWith(k, from)) return k;
  const key = text.slice(from, to);
  return KEY.test(key) ? key : undefined;
}

interface FlowMap {
  readonly value: Record<string, unknown>;
  /** The map's span as the YAML parser gives it: its `{` to the end of its last value. */
  readonly span: Span;
  readonly next: number;
}

/** A flow map at `i` (its `{`) on one line; a value may be a flow list of scalars when `lists` allows; its keys and where they start into `keys`. */
function flowMapAt(
  text: string,
  i: number,
  end: number,
  lists: boolean,
  keys?: { key: string; at: number }[],
): FlowMap | undefined {
  const value: Record<string, unknown> = {};
  let last = i;
  let j = i + 1;
  if (text.charCodeAt(j) === 125) return undefined; // `{}`: left to the general parser
  for (;;) {
    const colon = text.indexOf(': ', j);
    if (colon < 0 || colon >= end) return undefined;
    const key = keyText(text, j, colon);
    if (key === undefined || key in value) return undefined;
    keys?.push({ key, at: j });
    j = colon + 2;
    if (lists && text.charCodeAt(j) === 91) {
      const list: unknown[] = [];
      j++;
      if (text.charCodeAt(j) === 93) return undefined; // `[]`: left to the general parser
      for (;;) {
        if (!scalarAt(text, j, end)) return undefined;
        list.push(sValue);
        last = sEnd;
        j = sNext;
        if (text.startsWith(', ', j)) j += 2;
        else if (text.charCodeAt(j) === 93) break;
        else return undefined;
      }
      j++;
      value[key] = list;
    } else {
      if (!scalarAt(text, j, end)) return undefined;
      value[key] = sValue;
      last = sEnd;
      j = sNext;
    }
    if (text.startsWith(', ', j)) j += 2;
    else if (text.charCodeAt(j) === 125) return { value, span: [i, last], next: j + 1 };
    else return undefined;
  }
}

/** Where a one-line map's keys are, found again only when a check asks (most items never do). */
class LineMap implements Located {
  constructor(
    private readonly text: string,
    readonly span: Span,
    private readonly lineEnd: number,
  ) {}

  key(name: string): Span | undefined {
    const keys: { key: string; at: number }[] = [];
    flowMapAt(this.text, this.span[0], this.lineEnd, false, keys);
    const k = keys.find((x) => x.key === name);
    return k ? [k.at, k.at + name.length] : undefined;
  }
}

const PERSON = '  - email: ';
const ITEM = '      - {';

/**
 * The people section, from `from` (the start of the line after `people:`) to `to` (the start of
 * the next top-level line, or the end), read as render.ts writes it; undefined when any line is
 * not of that shape.
 */
export function readPeopleLines(text: string, from: number, to: number): PeopleLines | undefined {
  const people: unknown[] = [];
  const nodes: { person: Located; items: Located[] }[] = [];
  let person: Record<string, unknown> | undefined;
  let items: Located[] = [];
  let access: unknown[] | undefined;
  /** After `access:` with no item under it yet: YAML reads that as null, which is left to the general parser. */
  let bare = false;
  let i = from;
  while (i < to) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0 || lineEnd > to) lineEnd = to;
    if (text.startsWith(ITEM, i)) {
      if (!access) return undefined;
      const m = flowMapAt(text, i + ITEM.length - 1, lineEnd, false);
      if (!m || m.next !== lineEnd) return undefined;
      access.push(m.value);
      items.push(new LineMap(text, m.span, lineEnd));
      bare = false;
    } else if (bare) {
      return undefined;
    } else if (text.startsWith(PERSON, i)) {
      if (!scalarAt(text, i + PERSON.length, lineEnd) || sNext !== lineEnd) return undefined;
      person = { email: sValue };
      access = undefined;
      items = [];
      const keyAt = i + PERSON.length - 7;
      const emailKey: Span = [keyAt, keyAt + 5];
      people.push(person);
      nodes.push({ person: { span: emailKey, key: (k) => (k === 'email' ? emailKey : undefined) }, items });
    } else if (person && text.startsWith('    ', i) && text.charCodeAt(i + 4) !== 32) {
      const colon = text.indexOf(':', i);
      if (colon < 0 || colon >= lineEnd) return undefined;
      const key = text.slice(i + 4, colon);
      if (key in person) return undefined;
      const rest = text.slice(colon, lineEnd);
      if (key === 'access' && rest === ':') {
        person.access = access = [];
        bare = true;
      } else if (key === 'access' && rest === ': []') {
        person.access = [];
        access = undefined;
      } else if (key === 'name' && rest.startsWith(': ')) {
        if (!scalarAt(text, colon + 2, lineEnd) || sNext !== lineEnd) return undefined;
        person.name = sValue;
      } else if (key === 'context' && rest.startsWith(': {')) {
        const m = flowMapAt(text, colon + 2, lineEnd, true);
        if (!m || m.next !== lineEnd) return undefined;
        person.context = m.value;
      } else return undefined;
      if (key !== 'access') access = undefined;
    } else return undefined;
    i = lineEnd + 1;
  }
  if (bare) return undefined;
  return { people, nodes };
}
