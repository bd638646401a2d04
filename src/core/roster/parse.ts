/**
 * Reads a roster: a CSV file exported by an HR system or identity provider, one person a row, with
 * a header row naming the columns (matched loosely, see columns.ts). It is read by the same CSV
 * reader as the invitation import (a slice at a time, lines counted as the file counts them).
 *
 * What refuses the whole file (a RosterError, naming the line where there is one):
 * - over MAX_ROSTER_BYTES, or more than MAX_ROSTER_ROWS rows of people;
 * - not CSV (an unclosed quote, say, or binary data such as a spreadsheet saved as .xlsx);
 * - empty, or a header and no rows;
 * - no email column (the message lists the headers seen and the names accepted), or a first line
 *   that holds an email rather than column names;
 * - rows that are all unusable: a roster of no one would make every account look like a stranger,
 *   so a wrong column (user names, not emails) is refused rather than turned into findings.
 *
 * What skips one row, reported with its line (`skipped: true`): an email that is missing or not an
 * email; a status word the roster does not know (a guess either way could hide a leaver or flag a
 * current employee); an end date that is not a YYYY-MM-DD date; an email that an earlier row also
 * has (as its email or an alias), except that a row saying active is kept over an earlier one that
 * says left (a rehired person is often listed twice, once terminated), and then the earlier is the
 * one skipped. A skipped person then matches no roster row, which is itself shown as a finding, so
 * nothing a problem row holds goes unseen.
 *
 * What drops only one alias, the row kept (`skipped: false`): an alias that is not an email, or one
 * that is another row's email, or that an earlier row lists too (the earlier row keeps it).
 *
 * Rows whose cells are all empty (spreadsheets export them at the end) are passed over in silence.
 */
import { emailProblem, formatMb, parseCsvRecords, yieldToLoop, type CsvRecord } from '../inviteRows';
import { COLUMN_NAMES, mapColumns, statusOf, type RosterField } from './columns';
import { Roster, RosterError, type RosterPerson } from './roster';

/**
 * The largest roster file read. The row cap is the real limit: 100,000 people at about 320 bytes a
 * row, which an identity provider's full export reaches with twenty-odd columns, most of them
 * ignored. Larger than the invitation import's cap (10 MB) because those extra columns are common.
 */
export const MAX_ROSTER_BYTES = 32 * 1024 * 1024;
/** The most people a roster holds: ten times the benchmark's 6,000, more than any one organization these platforms serve. */
export const MAX_ROSTER_ROWS = 100_000;
/** How many rows are checked between turns of the event loop. */
const CHECK_SLICE = 5_000;

export interface RosterProblem {
  readonly line: number;
  readonly message: string;
  /** True when the row was left out of the roster; false when only one alias of it was. */
  readonly skipped: boolean;
}

export interface RosterParse {
  readonly roster: Roster;
  /** Per-row problems in line order; empty when every row was read whole. */
  readonly problems: readonly RosterProblem[];
  /** Header names the roster does not read, as written, for "ignored columns: X, Y". */
  readonly ignoredColumns: readonly string[];
}

/** A cell as shown in a message: quoted, and cut short when long. */
const shown = (cell: string) => `"${cell.length > 40 ? `${cell.slice(0, 40)}…` : cell}"`;
const key = (email: string) => email.toLowerCase();
/** An address as people paste it: `<a@example.com>`, or Entra's proxy address `smtp:a@example.com`. */
const cleanEmail = (cell: string) => cell.replace(/^<|>$/g, '').replace(/^smtp:/i, '');

/** YYYY-MM-DD from a cell that starts with a real calendar date (a time after it is dropped); undefined otherwise. */
function isoDate(cell: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(cell);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
    ? cell.slice(0, 10)
    : undefined;
}

/** A person while the file is read: its aliases are settled once every row's email is known. */
type Draft = Omit<RosterPerson, 'aliases'> & { aliases: string[] };
/** A row read into a person, or why it cannot be. */
type Read = { person: Draft } | { problem: string };

/** Reads one row by the column map; aliases are cleaned and checked here, their uniqueness later. */
function readRow(r: CsvRecord, at: Partial<Record<RosterField, number>>, problems: RosterProblem[]): Read | undefined {
  const cell = (f: RosterField) => (at[f] === undefined ? '' : (r.record[at[f]] ?? ''));
  if (r.record.every((c) => c === '')) return undefined;
  const email = cleanEmail(cell('email'));
  const bad = emailProblem(email);
  if (bad) return { problem: bad };
  const statusText = cell('status');
  const status = statusText ? statusOf(statusText) : 'active';
  if (!status)
    return {
      problem: `unknown status ${shown(statusText)}; use a word like active, on leave, left, terminated, inactive or suspended, or leave it empty for active`,
    };
  const endText = cell('endDate');
  const endDate = endText ? isoDate(endText) : undefined;
  if (endText && !endDate) return { problem: `end date ${shown(endText)} is not a date; write it as YYYY-MM-DD` };
  const aliases: string[] = [];
  const seen = new Set([key(email)]);
  for (const a of cell('aliases')
    .split(/[;|,\s]+/)
    .map(cleanEmail)
    .filter(Boolean)) {
    const aliasBad = emailProblem(a);
    if (aliasBad) problems.push({ line: r.line, message: `alias ignored: ${aliasBad}`, skipped: false });
    else if (!seen.has(key(a))) {
      seen.add(key(a));
      aliases.push(a);
    }
  }
  const name = cell('name') || [cell('firstName'), cell('lastName')].filter(Boolean).join(' ');
  const manager = cell('manager');
  const department = cell('department');
  return {
    person: {
      email,
      ...(name ? { name } : {}),
      status,
      ...(statusText ? { statusText } : {}),
      ...(endDate ? { endDate } : {}),
      aliases,
      ...(manager ? { manager } : {}),
      ...(department ? { department } : {}),
      line: r.line,
    },
  };
}

/** The header row's checks: an email column, else the clearest reason there is none. */
function emailColumnProblem(header: CsvRecord): RosterError {
  if (header.record.some((c) => c && !emailProblem(cleanEmail(c))))
    return new RosterError(
      `Line ${header.line} of the roster holds an email address, not column names. Add a first line naming the columns, like: email,name,status,end date`,
      header.line,
    );
  const seen = header.record.filter(Boolean).map(shown).join(', ') || 'none';
  return new RosterError(
    `The roster has no email column (line ${header.line}): its columns are ${seen}. Name the email column one of: ${COLUMN_NAMES.email.join(', ')}.`,
    header.line,
  );
}

/** Reads the file's records under the caps; every whole-file problem of reading is a RosterError. */
async function readRecords(text: string): Promise<CsvRecord[]> {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ROSTER_BYTES) {
    // In bytes when megabytes would round the size down to the cap ("32 MB; up to 32 MB").
    const size = (n: number) =>
      formatMb(bytes) === formatMb(MAX_ROSTER_BYTES) ? `${n.toLocaleString('en-US')} bytes` : formatMb(n);
    throw new RosterError(`The roster is ${size(bytes)}; a roster may be up to ${size(MAX_ROSTER_BYTES)}.`);
  }
  // A spreadsheet saved as .xlsx (a zip) or another binary file would otherwise fail as "no email
  // column" with its bytes for column names: say what it is instead.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new RosterError(
      `The roster is not a CSV text file: line ${line} holds binary data${text.startsWith('PK') ? ' (it looks like a spreadsheet saved as .xlsx)' : ''}. Export it as CSV (comma-separated, UTF-8).`,
      line,
    );
  }
  let records: CsvRecord[];
  try {
    // The header, the cap's rows, and one more to name the line where the cap is passed.
    records = await parseCsvRecords(text, { maxRecords: MAX_ROSTER_ROWS + 1 });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const line = /\(line (\d+)\)/.exec(message)?.[1];
    throw new RosterError(message.replace(/^The file/, 'The roster'), line ? Number(line) : undefined);
  }
  if (records.length === 0) throw new RosterError('The roster is empty: it has no header and no rows.');
  if (records.length > MAX_ROSTER_ROWS + 1) {
    const line = records[MAX_ROSTER_ROWS + 1].line;
    throw new RosterError(
      `The roster has more than ${MAX_ROSTER_ROWS.toLocaleString('en-US')} people (line ${line} is one too many); a roster holds up to ${MAX_ROSTER_ROWS.toLocaleString('en-US')}.`,
      line,
    );
  }
  return records;
}

/**
 * Reads a roster file into its people, the rows it could not use (each with its line) and the
 * columns it ignored. Throws a RosterError when the file as a whole cannot be used (see above).
 */
export async function parseRoster(text: string): Promise<RosterParse> {
  const records = await readRecords(text);
  const header = records[0];
  const { at, ignored } = mapColumns(header.record);
  if (at.email === undefined) throw emailColumnProblem(header);
  if (records.length === 1)
    throw new RosterError(
      `The roster lists no one: line ${header.line} names the columns and no row follows.`,
      header.line,
    );

  const problems: RosterProblem[] = [];
  const skip = (line: number, message: string) =>
    problems.push({ line, message: `row skipped: ${message}`, skipped: true });
  // Each email's row, the first one read, or a later one that says active over one that says left.
  const byEmail = new Map<string, Draft>();
  let rows = 0;
  for (let i = 1; i < records.length; i++) {
    if (i % CHECK_SLICE === 0) await yieldToLoop();
    const read = readRow(records[i], at, problems);
    if (!read) continue;
    rows++;
    if ('problem' in read) {
      skip(records[i].line, read.problem);
      continue;
    }
    const p = read.person;
    const held = byEmail.get(key(p.email));
    if (!held) byEmail.set(key(p.email), p);
    else if (held.status === 'left' && p.status === 'active') {
      byEmail.set(key(p.email), p);
      skip(held.line, `${shown(p.email)} is also on line ${p.line}, which says active and is kept`);
    } else skip(p.line, `${shown(p.email)} is also on line ${held.line}`);
  }

  // Aliases once every email has its row: a row's own email outranks another row's alias.
  const people = [...byEmail.values()].sort((a, b) => a.line - b.line);
  const aliasLine = new Map<string, number>();
  for (const p of people) {
    const kept = p.aliases.filter((a) => {
      const owner = byEmail.get(key(a));
      const earlier = aliasLine.get(key(a));
      const why =
        owner && owner !== p
          ? `it is the email of line ${owner.line}`
          : earlier !== undefined
            ? `line ${earlier} lists it too`
            : undefined;
      if (why) problems.push({ line: p.line, message: `alias ${shown(a)} ignored: ${why}`, skipped: false });
      else aliasLine.set(key(a), p.line);
      return !why;
    });
    p.aliases = kept;
  }

  if (rows === 0)
    throw new RosterError(
      `The roster lists no one: line ${header.line} names the columns and every row after it is empty.`,
      header.line,
    );
  problems.sort((a, b) => a.line - b.line);
  if (people.length === 0) {
    const first = problems.find((p) => p.skipped) ?? problems[0];
    throw new RosterError(
      `No row of the roster can be used: each of its ${rows.toLocaleString('en-US')} rows has a problem (line ${first.line}: ${first.message.replace(/^row skipped: /, '')}).`,
      first.line,
    );
  }
  return { roster: new Roster(people), problems, ignoredColumns: ignored };
}
