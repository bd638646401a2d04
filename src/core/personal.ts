/**
 * Keeps personal data (emails and people's names) out of log lines at info, warning and error: the
 * per-person lines are debug, and whatever a platform's error text or a request path says about a
 * person is masked on its way to the log. What a person is shown (an error message, a report) keeps
 * the whole text: it is theirs.
 */
export const MASKED_EMAIL = '<email>';
export const MASKED_NAME = '<name>';

/** How an @ is written: plain, URL-encoded (once or twice), as an HTML entity, or as a JSON escape. */
const AT = /@|%(?:25)?40|&#(?:64|x40);|\\u0040/gi;
/** What ends an email's local part in running text, read backwards from the @ (an apostrophe does not: O'Brien). */
const LOCAL_STOP = /[\s@<>()[\]{},;:"\\/?&=#|]/;
/** What ends its domain: the same, and an apostrophe or backquote (`bob@x.io's`). */
const DOMAIN_STOP = /[\s@<>()[\]{},;:"'`\\/?&=#|]/;

/** The end of a domain written as an IP literal (`[10.0.0.1]`, `%5B::1%5D`), or undefined. */
function literalEnd(text: string, from: number): number | undefined {
  const [open, close] =
    text[from] === '[' ? ['[', ']'] : /^%5B/i.test(text.slice(from, from + 3)) ? ['%5B', '%5D'] : [];
  if (!open || !close) return undefined;
  const upper = text.slice(from, from + 80).toUpperCase();
  const at = upper.indexOf(close, open.length);
  return at > 0 && !/\s/.test(upper.slice(0, at)) ? from + at + close.length : undefined;
}

/**
 * Replaces every email in `text` with `<email>`: any local part (dots, plus, hyphens, apostrophes,
 * a quoted string, Unicode), any domain (with or without a dot: `bob@localhost`; an IP literal),
 * with the @ written plain or encoded (`bob%40x.io`). It errs towards masking too much: a log line
 * loses a little text rather than keep a person's address.
 */
export function maskEmails(text: string): string {
  AT.lastIndex = 0;
  if (!AT.test(text)) return text;
  AT.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let m = AT.exec(text); m; m = AT.exec(text)) {
    const at = m.index;
    if (at < last) continue;
    let start = at;
    const quoteOpen = text[at - 1] === '"' ? text.lastIndexOf('"', at - 2) : -1;
    if (quoteOpen >= last && !/[\r\n]/.test(text.slice(quoteOpen, at))) start = quoteOpen;
    else while (start > last && !LOCAL_STOP.test(text[start - 1])) start--;
    const domainStart = at + m[0].length;
    let end = literalEnd(text, domainStart) ?? domainStart;
    if (end === domainStart) {
      while (end < text.length && !DOMAIN_STOP.test(text[end])) end++;
      // A sentence's full stop (or a dash) after the address is not part of it.
      while (end > domainStart && /[.-]/.test(text[end - 1])) end--;
    }
    if (start === at || end === domainStart) continue;
    out += `${text.slice(last, start)}${MASKED_EMAIL}`;
    last = end;
    AT.lastIndex = Math.max(AT.lastIndex, end);
  }
  return out + text.slice(last);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A name as a pattern: any case, any apostrophe (' ’ ʼ), any dash, any run of spaces between its words. */
function namePattern(name: string): string {
  return escapeRegExp(name)
    .replace(/['’ʼ`]/g, "['’ʼ`]")
    .replace(/[-‐‑–—]/g, '[-‐‑–—]')
    .replace(/\s+/g, '\\s+');
}

/** Each text once, longest first (a longer name holding a shorter one is masked whole). */
const distinct = (texts: readonly string[]) =>
  [...new Set(texts)].filter((t) => t.length >= 3).sort((a, b) => b.length - a.length);

/**
 * Masks the given people's emails (`people`: what a job's items say about who they concern) as
 * written, then every email (see maskEmails), then every occurrence of their names, in any case,
 * inside words too: a line loses a little text rather than keep a name. Names shorter than three
 * characters are left alone (they would mask half the line).
 */
export function maskPersonal(text: string, people: Iterable<string> = []): string {
  const known = [...people].map((p) => p.normalize('NFC').trim());
  const emails = distinct(known.filter((p) => p.includes('@')));
  const names = distinct(known.filter((p) => !p.includes('@')));
  let out = text.normalize('NFC');
  if (emails.length) out = out.replace(new RegExp(emails.map(escapeRegExp).join('|'), 'giu'), MASKED_EMAIL);
  out = maskEmails(out);
  if (names.length) out = out.replace(new RegExp(names.map(namePattern).join('|'), 'giu'), MASKED_NAME);
  return out;
}

/** How deep `peopleIn` looks into an item (a job item is a change and its words: a few levels). */
const MAX_DEPTH = 6;

/**
 * The emails and names an item (plain JSON: a job item, a change) says of people: the `email` and
 * `name` of every object that has an email or is a user, and the item's own `label` (its words,
 * which name the person). For masking them in what the log keeps of the item's outcome.
 */
export function peopleIn(item: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > MAX_DEPTH || typeof item !== 'object' || item === null) return out;
  if (Array.isArray(item)) {
    for (const x of item.slice(0, 100)) peopleIn(x, out, depth + 1);
    return out;
  }
  const o = item as Record<string, unknown>;
  const isPerson = typeof o.email === 'string' || o.kind === 'user' || o.kind === 'person';
  for (const field of isPerson ? ['email', 'name'] : []) if (typeof o[field] === 'string') out.add(o[field]);
  if (depth === 0 && typeof o.label === 'string') out.add(o.label);
  for (const v of Object.values(o)) peopleIn(v, out, depth + 1);
  return out;
}
