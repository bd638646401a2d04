/**
 * A decision written into one item's line as a person would type it: `decision: X` (and
 * `reason: …`) set inside the item's flow map, each replaced where it is or added before the
 * closing brace, and the rest of the line left as it was. The editor's CodeLens use it; nothing
 * here knows the editor.
 */
import { parseYaml, type YamlEntry } from '../access/yamlTree';
import { scalar } from './render';
import { KEEP } from './review';

/** One replacement inside the item's text: [start, end) → text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The value's span, with its quotes when it is quoted (the tree's span leaves them out). */
function valueSpan(text: string, e: YamlEntry): [number, number] | undefined {
  const [s, t] = e.node.span;
  if (s === t) return undefined;
  const q = text[s - 1];
  return (q === '"' || q === "'") && text[t] === q ? [s - 1, t + 1] : [s, t];
}

/** The edit that sets `key: value` in the flow map `text` (a whole item, `{…}`). */
function setKey(text: string, entries: readonly YamlEntry[], key: string, value: string): TextEdit {
  const written = scalar(value);
  const e = entries.find((x) => x.key === key);
  if (e) {
    const span = valueSpan(text, e);
    if (span) return { start: span[0], end: span[1], text: written };
    // `decision:` with nothing after it yet.
    const colon = text.indexOf(':', e.keySpan[1]);
    let end = colon + 1;
    while (text[end] === ' ') end++;
    return { start: e.keySpan[0], end, text: `${key}: ${written}` };
  }
  const close = text.lastIndexOf('}');
  let at = close;
  while (at > 0 && /\s/.test(text[at - 1])) at--;
  return { start: at, end: at, text: `${text[at - 1] === '{' ? '' : ', '}${key}: ${written}` };
}

/** The edit that removes `key: …` (and its comma) from the flow map. */
function removeKey(text: string, entries: readonly YamlEntry[], key: string): TextEdit | undefined {
  const i = entries.findIndex((x) => x.key === key);
  if (i < 0) return undefined;
  const e = entries[i];
  const end = valueSpan(text, e)?.[1] ?? text.indexOf(':', e.keySpan[1]) + 1;
  if (i > 0) {
    const prev = entries[i - 1];
    const from = valueSpan(text, prev)?.[1] ?? text.indexOf(':', prev.keySpan[1]) + 1;
    return { start: from, end, text: '' };
  }
  let to = end;
  while (text[to] === ' ' || text[to] === ',') to++;
  return { start: e.keySpan[0], end: to === text.lastIndexOf('}') ? end : to, text: '' };
}

/**
 * The item's text with the decision (and reason) set. A keep drops a reason written for another
 * decision (a revoke's reason under a keep would mislead the evidence); a keep's own reason stays.
 * Undefined when the text is not one flow map.
 */
export function decideItemText(text: string, decision: string, reason?: string): string | undefined {
  let entries: readonly YamlEntry[];
  try {
    const root = parseYaml(text).root;
    if (root?.kind !== 'map' || !root.flow) return undefined;
    entries = root.entries;
  } catch {
    return undefined;
  }
  const value = (key: string) => {
    const e = entries.find((x) => x.key === key);
    const span = e && valueSpan(text, e);
    return span ? text.slice(e.node.span[0], e.node.span[1]) : undefined;
  };
  const edits: TextEdit[] = [setKey(text, entries, 'decision', decision)];
  if (reason !== undefined) edits.push(setKey(text, entries, 'reason', reason));
  else if (decision === KEEP && value('decision')?.toLowerCase() !== KEEP) {
    const drop = removeKey(text, entries, 'reason');
    if (drop) edits.push(drop);
  }
  // Applied from the end, so earlier offsets hold; two additions at the brace keep their order.
  let out = text;
  for (const e of edits.map((x, i) => ({ ...x, i })).sort((a, b) => b.start - a.start || b.i - a.i))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** An item's flow map in the file, braces included: the parser's span ends before the closing brace. */
export function itemExtent(text: string, span: readonly [number, number]): [number, number] {
  let end = span[1];
  while (text[end] === ' ' || text[end] === '\t') end++;
  return [span[0], text[end] === '}' ? end + 1 : span[1]];
}
