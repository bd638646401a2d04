/**
 * Invitation lists: a CSV file or a pasted list, read into rows and checked before anything is
 * sent. Every row either becomes an invitation or gets the reason it will not be sent, with its
 * line number.
 */
import { parse } from 'csv-parse';
import * as z from 'zod';
import type { Group } from './model';

/** One email to invite, as read from a list: the CSV line (or the pasted list's entry) it came from, and this row's own seat or role and groups (a CSV column), over the job's. */
export interface InviteItem {
  readonly email: string;
  readonly line?: number;
  /** Set when `line` counts entries of a pasted list, not lines of a file. */
  readonly unit?: 'entry';
  readonly seat?: string;
  readonly groupIds?: readonly string[];
}
import type { RoleChoice } from './provider';

export interface InviteRow {
  /** 1-based line in the file or the pasted text. */
  readonly line: number;
  readonly email: string;
  readonly role?: string;
  /** Group or team names or ids. */
  readonly groups: readonly string[];
}

export interface RejectedRow {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
  /**
   * Why it is not sent when the row itself is fine: the person is a member already (`member`), or
   * an earlier row invites the same email (`duplicate`). Absent: the row is wrong and needs a fix.
   */
  readonly kind?: 'member' | 'duplicate';
}

export interface InviteCheck {
  readonly valid: readonly InviteItem[];
  readonly rejected: readonly RejectedRow[];
}

export interface InviteContext {
  /** Emails of current members, any case. */
  readonly members: ReadonlySet<string>;
  /** Seat types or roles an invitation can give; empty when the platform takes none. */
  readonly roles: readonly RoleChoice[];
  /** Groups an invitation can add to; undefined when the platform's invitations cannot. */
  readonly groups?: readonly Group[];
  /** The word for groups on this platform ("group", "team"). */
  readonly groupWord: string;
  /** What a row is called: a file's "line", a pasted list's "entry". */
  readonly unit?: 'line' | 'entry';
}

const EMAIL_COLUMNS = ['email', 'e-mail', 'mail', 'email address'];
const ROLE_COLUMNS = ['role', 'seat', 'seat type', 'seat_type'];
const GROUP_COLUMNS = ['group', 'groups', 'team', 'teams'];

/** zod's own email pattern, used directly: the same rule as z.email(), without a result object per row. The access file checks emails by it too. */
export const EMAIL_PATTERN = z.regexes.email;
const EMAIL = EMAIL_PATTERN;

/** Splits a cell of group names: `;` or `|` between names (a comma would end the CSV cell). */
const splitList = (cell: string | undefined) =>
  (cell ?? '')
    .split(/[;|]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The largest CSV an import reads (about 300,000 rows of email, role and groups). */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;
/** How much text is parsed between turns of the event loop, so a large file never blocks the host. */
const PARSE_SLICE = 64 * 1024;
/** How many rows are checked between turns of the event loop. */
const CHECK_SLICE = 5_000;

export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface ParsedRecord {
  readonly record: string[];
  /** `bytes`: where the record ends in the file, its line break included. */
  readonly info: { readonly bytes: number };
}

const CR = 0x0d;
const LF = 0x0a;
/** What csv-parse skips between records: blank lines, and spaces and tabs that `trim` drops. */
const BLANK = new Set([0x20, 0x09, 0x0b, 0x0c, CR, LF]);

/**
 * Line numbers by byte offset, counted once from the start of the file: CRLF, LF and a lone CR each
 * end one line, inside a quoted cell or not. (csv-parse's own count takes a quoted CRLF for two.)
 */
class LineCounter {
  private at = 0;
  private line = 1;
  constructor(private readonly bytes: Buffer) {}

  /** The line of the first byte at or after `from` that is not blank: where the record after `from` starts. */
  startOf(from: number): number {
    const b = this.bytes;
    for (; this.at < b.length && (this.at < from || BLANK.has(b[this.at])); this.at++) {
      const c = b[this.at];
      if (c === CR || (c === LF && b[this.at - 1] !== CR)) this.line++;
    }
    return this.line;
  }
}

/** A size in megabytes with one decimal, for the messages of a size cap. */
export function formatMb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Reads CSV text, a slice at a time with the event loop turning between slices. A header row naming
 * an `email` column (and optionally `role`/`seat` and `groups`/`teams`) is used when present;
 * otherwise the first column is the email. Each row carries the line it starts on. Throws with the
 * line when the text is not CSV at all (an unclosed quote, say), and when it is over the size cap.
 */
export async function parseInviteCsv(text: string): Promise<InviteRow[]> {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CSV_BYTES)
    throw new Error(
      `The file is ${formatMb(bytes)}; an import reads files up to ${formatMb(MAX_CSV_BYTES)}. Split it into smaller files.`,
    );
  const records = await parseCsvRecords(text);
  if (records.length === 0) return [];
  const head = records[0].record.map((c) => c.toLowerCase());
  const hasHeader = head.some((c) => EMAIL_COLUMNS.includes(c));
  const col = (names: string[]) => (hasHeader ? head.findIndex((c) => names.includes(c)) : -1);
  const emailAt = hasHeader ? col(EMAIL_COLUMNS) : 0;
  const roleAt = col(ROLE_COLUMNS);
  const groupAt = col(GROUP_COLUMNS);
  return records.slice(hasHeader ? 1 : 0).map((r) => ({
    line: r.line,
    email: (r.record[emailAt] ?? '').replace(/^<|>$/g, ''),
    role: roleAt >= 0 && r.record[roleAt] ? r.record[roleAt] : undefined,
    groups: groupAt >= 0 ? splitList(r.record[groupAt]) : [],
  }));
}

/** A UTF-8 byte order mark, which csv-parse skips (its offsets count it). */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** One CSV record: its cells, trimmed, and the line of the file it starts on. */
export interface CsvRecord {
  readonly record: string[];
  readonly line: number;
}

/**
 * The file's records, each with the line it starts on. Every CSV import reads through this one
 * reader (the invitation list, the roster). With `maxRecords`, reading stops once one record more
 * than that has been read, so a caller's row cap never holds the whole of a long file in memory:
 * the result then has `maxRecords + 1` records, and the caller names the line of the one too many.
 */
export async function parseCsvRecords(
  text: string,
  opts: {
    maxRecords?: number;
    /** Tests only: each record's end from csv-parse's `info` option. */ withInfo?: boolean;
  } = {},
): Promise<CsvRecord[]> {
  const bytes = Buffer.from(text, 'utf8');
  const max = opts.maxRecords ?? Infinity;
  if (!opts.withInfo) {
    const read = await readRecords(bytes, max, false);
    if (read !== 'out of step') return read;
  }
  return (await readRecords(bytes, max, true)) as CsvRecord[];
}

/**
 * The records, and where each starts. Where a record ends, its line break included, is the parser's
 * position when it hands the record over. Without `withInfo` that is read from the parser itself
 * (`parser.info`), which holds only while each record reaches us as it is read: the parser's record
 * count says so, and 'out of step' when it does not (the caller reads again with `withInfo`).
 * `info: true` gives each record its own copy of the position, at two object copies a record (40 %
 * of the parse of a 6,000-row roster, the findings benchmark).
 */
async function readRecords(bytes: Buffer, max: number, withInfo: boolean): Promise<CsvRecord[] | 'out of step'> {
  const lines = new LineCounter(bytes);
  // Where the next record starts: after the last one (and its line break), or after the BOM.
  let end = bytes.subarray(0, 3).equals(BOM) ? 3 : 0;
  const records: CsvRecord[] = [];
  let failure: unknown;
  let full = false;
  let outOfStep = false;
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    info: withInfo,
    // Every line ending ends a record, in a file that mixes them too (csv-parse otherwise keeps the first it meets).
    record_delimiter: ['\r\n', '\n', '\r'],
  });
  parser.on('data', (r: ParsedRecord | string[]) => {
    if (full || outOfStep) return;
    let record: string[];
    let ends: number;
    if (withInfo)
      ({
        record,
        info: { bytes: ends },
      } = r as ParsedRecord);
    else if (parser.info.records === records.length + 1) {
      record = r as string[];
      ends = parser.info.bytes;
    } else {
      outOfStep = true;
      return;
    }
    records.push({ record, line: lines.startOf(end) });
    end = ends;
    full = records.length > max;
  });
  parser.on('error', (err) => (failure ??= err));
  const ended = new Promise<void>((resolve) => parser.once('end', resolve).once('error', () => resolve()));
  // Bytes, not text: a slice never splits a character.
  for (let i = 0; i < bytes.length && failure === undefined && !full && !outOfStep; i += PARSE_SLICE) {
    parser.write(bytes.subarray(i, i + PARSE_SLICE));
    await yieldToLoop();
  }
  if (full || outOfStep) {
    // Enough read, or read again: the rest of the file (even a broken end) no longer matters here.
    parser.destroy();
    return outOfStep ? 'out of step' : records;
  }
  if (failure === undefined) parser.end();
  await ended;
  if (outOfStep) return 'out of step';
  if (failure !== undefined) {
    // Named by the line its record starts on; csv-parse's own line count is off after a quoted CRLF.
    const message = ((failure as { message?: string }).message ?? 'unreadable').replace(/ (?:at|on) line \d+/g, '');
    throw new Error(`The file is not valid CSV (line ${lines.startOf(end)}): ${message}`);
  }
  return records;
}

/** Reads a pasted list: emails separated by commas, semicolons, spaces or new lines, numbered by entry. */
export function parsePastedEmails(text: string): InviteRow[] {
  return text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry, i) => ({ line: i + 1, email: entry.replace(/^<|>$/g, ''), groups: [] }));
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * The one email rule of every invitation flow: zod's email pattern, at most 254 characters in all
 * and 64 before the @ (RFC 5321). Returns why an address is refused, or undefined when it is fine.
 */
export function emailProblem(email: string): string | undefined {
  if (!email) return 'no email in this row';
  if (email.length > 254)
    return `"${email.slice(0, 40)}…" is ${email.length} characters long; an email address has at most 254`;
  const local = email.slice(0, email.lastIndexOf('@'));
  if (local.length > 64)
    return `"${email.slice(0, 40)}…" has ${local.length} characters before the @; at most 64 are allowed`;
  if (!EMAIL.test(email)) return `"${email}" is not a valid email address`;
  return undefined;
}

/** Checks one row at a time, remembering what earlier rows used (duplicates). */
function rowChecker(ctx: InviteContext): (row: InviteRow) => InviteItem | RejectedRow {
  const firstLine = new Map<string, number>();
  const roleNames = ctx.roles.map((r) => r.label).join(', ');
  const groupOf = (g: string) => ctx.groups?.find((x) => x.id === g || norm(x.name) === norm(g));
  return (row) => {
    const reject = (reason: string, kind?: RejectedRow['kind']): RejectedRow => ({
      line: row.line,
      text: [row.email, row.role, row.groups.join(';')].filter(Boolean).join(', '),
      reason,
      ...(kind ? { kind } : {}),
    });
    const problem = emailProblem(row.email);
    if (problem) return reject(problem);
    const email = norm(row.email);
    const seen = firstLine.get(email);
    if (seen !== undefined) return reject(`duplicate of ${ctx.unit ?? 'line'} ${seen}`, 'duplicate');
    firstLine.set(email, row.line);
    if (ctx.members.has(email)) return reject('already a member', 'member');
    let seat: string | undefined;
    if (row.role) {
      const wanted = norm(row.role);
      const role = ctx.roles.find((r) => norm(r.id) === wanted || norm(r.label) === wanted);
      if (!role)
        return reject(
          ctx.roles.length
            ? `unknown role "${row.role}"; use one of: ${roleNames}`
            : 'this platform takes no role on an invitation; leave the column empty',
        );
      if (role.invitable === false) return reject(`the role "${role.label}" cannot be given by an invitation`);
      seat = role.id;
    }
    let groupIds: string[] | undefined;
    if (row.groups.length) {
      if (!ctx.groups)
        return reject(`invitations here cannot add people to a ${ctx.groupWord}; add them once they have joined`);
      const unknown = row.groups.filter((g) => !groupOf(g));
      if (unknown.length)
        return reject(
          `unknown ${ctx.groupWord}${unknown.length > 1 ? 's' : ''}: ${unknown.map((g) => `"${g}"`).join(', ')}`,
        );
      groupIds = row.groups.flatMap((g) => groupOf(g)?.id ?? []);
    }
    return {
      email: row.email,
      line: row.line,
      ...(ctx.unit === 'entry' ? { unit: 'entry' as const } : {}),
      ...(seat !== undefined ? { seat } : {}),
      ...(groupIds ? { groupIds } : {}),
    };
  };
}

const isRejected = (r: InviteItem | RejectedRow): r is RejectedRow => 'reason' in r;

/** Checks every row: email syntax and length, duplicates, already a member, unknown role, unknown group. */
export function checkInviteRows(rows: readonly InviteRow[], ctx: InviteContext): InviteCheck {
  const check = rowChecker(ctx);
  const valid: InviteItem[] = [];
  const rejected: RejectedRow[] = [];
  for (const row of rows) {
    const r = check(row);
    if (isRejected(r)) rejected.push(r);
    else valid.push(r);
  }
  return { valid, rejected };
}

/** The same checks, with the event loop turning every few thousand rows (a large file never blocks the host). */
export async function checkInviteRowsYielding(rows: readonly InviteRow[], ctx: InviteContext): Promise<InviteCheck> {
  const check = rowChecker(ctx);
  const valid: InviteItem[] = [];
  const rejected: RejectedRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % CHECK_SLICE === 0) await yieldToLoop();
    const r = check(rows[i]);
    if (isRejected(r)) rejected.push(r);
    else valid.push(r);
  }
  return { valid, rejected };
}
