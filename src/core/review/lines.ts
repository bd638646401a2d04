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
  /** Each person's place, and each of their items' map (its `{` to the end of its last value). */
  readonly nodes: readonly { readonly person: Located; readonly items: readonly Span[] }[];
  /**
   * Each decided item's decision and reason, as pairs of offsets (from the `, ` before them to the
   * item's `}`): the section without them is its facts as render.ts writes them, when the file was
   * written so (snapshot.ts). Undefined when an item has a fact after its decision or reason.
   */
  readonly cuts?: readonly number[];
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

/**
 * What render.ts writes plain (and digits first: dates, ids), no trailing space:
 * `[A-Za-z0-9_./()+][\w@./()+'& -]*`. The first character by its code, the rest as a sticky run.
 */
const PLAIN_FIRST: boolean[] = [];
for (let c = 0; c < 128; c++) PLAIN_FIRST[c] = /[A-Za-z0-9_./()+]/.test(String.fromCharCode(c));
const PLAIN_REST = /[\w@./()+'& -]*/y;
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
  // What render.ts writes plain (PLAIN, digits first too), up to `,`, `}`, `]` or the line's end.
  if (i >= end || !PLAIN_FIRST[text.charCodeAt(i)]) return false;
  PLAIN_REST.lastIndex = i + 1;
  PLAIN_REST.test(text);
  const j = Math.min(PLAIN_REST.lastIndex, end);
  if (j < end) {
    const c = text.charCodeAt(j);
    if (c !== 44 && c !== 125 && c !== 93) return false;
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
/** What finds a known key in KEY_TABLE: its length, first and last character (no two share all three). */
const keyCode = (length: number, first: number, last: number) => (length * 128 + first) * 128 + last;
const KEY_TABLE = new Map(KNOWN_KEYS.map((k) => [keyCode(k.length, k.charCodeAt(0), k.charCodeAt(k.length - 1)), k]));

function keyText(text: string, from: number, to: number): string | undefined {
  const known = KEY_TABLE.get(keyCode(to - from, text.charCodeAt(from), text.charCodeAt(to - 1)));
  if (known !== undefined && text.startsWith(known, from)) return known;
  const key = text.slice(from, to);
  return KEY.test(key) ? key : undefined;
}

/** The last flow map read (flowMapAt): its value, where its last value ends, and where the text after it starts. */
let mValue: Record<string, unknown> = {};
let mEnd = 0;
let mNext = 0;
/**
 * Where its `decision` and `reason` start (the `, ` before the first of them), -1 when it has neither;
 * and whether they come after every other key, as render.ts writes them (then cutting from mCut to its
 * `}` leaves the item's facts as render.ts writes them).
 */
let mCut = -1;
let mCutLast = true;

/**
 * A flow map at `i` (its `{`) on one line, into mValue, mEnd and mNext; false when it is not one
 * this reads. A value may be a flow list of scalars when `lists` allows; its keys and where they
 * start go into `keys`.
 */
function flowMapAt(
  text: string,
  i: number,
  end: number,
  lists: boolean,
  keys?: { key: string; at: number }[],
): boolean {
  const value: Record<string, unknown> = {};
  let last = i;
  let j = i + 1;
  mCut = -1;
  mCutLast = true;
  if (text.charCodeAt(j) === 125) return false; // `{}`: left to the general parser
  for (;;) {
    const colon = text.indexOf(': ', j);
    if (colon < 0 || colon >= end) return false;
    const key = keyText(text, j, colon);
    if (key === undefined || key in value) return false;
    keys?.push({ key, at: j });
    if (key === 'decision' || key === 'reason') {
      if (mCut < 0) mCut = j - 2;
      if (j === i + 1) mCutLast = false; // nothing before it to cut from
    } else if (mCut >= 0) mCutLast = false;
    j = colon + 2;
    if (lists && text.charCodeAt(j) === 91) {
      const list: unknown[] = [];
      j++;
      if (text.charCodeAt(j) === 93) return false; // `[]`: left to the general parser
      for (;;) {
        if (!scalarAt(text, j, end)) return false;
        list.push(sValue);
        last = sEnd;
        j = sNext;
        if (text.startsWith(', ', j)) j += 2;
        else if (text.charCodeAt(j) === 93) break;
        else return false;
      }
      j++;
      value[key] = list;
    } else {
      if (!scalarAt(text, j, end)) return false;
      value[key] = sValue;
      last = sEnd;
      j = sNext;
    }
    if (text.startsWith(', ', j)) j += 2;
    else if (text.charCodeAt(j) === 125) {
      mValue = value;
      mEnd = last;
      mNext = j + 1;
      return true;
    } else return false;
  }
}

/** Where a key of a one-line map (its span as `nodes` gives it) is: looked up only when a check asks (most items never do). */
export function keyOnLine(text: string, span: Span, name: string): Span | undefined {
  const lineEnd = text.indexOf('\n', span[1]);
  const keys: { key: string; at: number }[] = [];
  flowMapAt(text, span[0], lineEnd < 0 ? text.length : lineEnd, false, keys);
  const k = keys.find((x) => x.key === name);
  return k ? [k.at, k.at + name.length] : undefined;
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
  const nodes: { person: Located; items: Span[] }[] = [];
  let cuts: number[] | undefined = [];
  let person: Record<string, unknown> | undefined;
  let items: Span[] = [];
  let access: unknown[] | undefined;
  /** After `access:` with no item under it yet: YAML reads that as null, which is left to the general parser. */
  let bare = false;
  let i = from;
  while (i < to) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0 || lineEnd > to) lineEnd = to;
    if (text.startsWith(ITEM, i)) {
      if (!access) return undefined;
      const open = i + ITEM.length - 1;
      if (!flowMapAt(text, open, lineEnd, false) || mNext !== lineEnd) return undefined;
      access.push(mValue);
      items.push([open, mEnd]);
      if (mCut >= 0) {
        if (mCutLast) cuts?.push(mCut, mNext - 1);
        else cuts = undefined;
      }
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
        if (!flowMapAt(text, colon + 2, lineEnd, true) || mNext !== lineEnd) return undefined;
        person.context = mValue;
      } else return undefined;
      if (key !== 'access') access = undefined;
    } else return undefined;
    i = lineEnd + 1;
  }
  if (bare) return undefined;
  return { people, nodes, ...(cuts ? { cuts } : {}) };
}
