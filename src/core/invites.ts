/**
 * Invitation lists: a CSV file or a pasted list, read into rows and checked before anything is
 * sent. Every row either becomes an invitation or gets the reason it will not be sent, with its
 * line number.
 */
import { parse } from 'csv-parse/sync';
import * as z from 'zod';
import type { InviteItem } from './jobs';
import type { Group } from './model';
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
}

const EMAIL_COLUMNS = ['email', 'e-mail', 'mail', 'email address'];
const ROLE_COLUMNS = ['role', 'seat', 'seat type', 'seat_type'];
const GROUP_COLUMNS = ['group', 'groups', 'team', 'teams'];

/** zod's own email pattern, used directly: the same rule as z.email(), without a result object per row. */
const EMAIL = z.regexes.email;

/** Splits a cell of group names: `;` or `|` between names (a comma would end the CSV cell). */
const splitList = (cell: string | undefined) => (cell ?? '').split(/[;|]/).map((s) => s.trim()).filter(Boolean);

/**
 * Reads CSV text. A header row naming an `email` column (and optionally `role`/`seat` and
 * `groups`/`teams`) is used when present; otherwise the first column is the email. Throws with the
 * line when the file is not CSV at all (an unclosed quote, say).
 */
export function parseInviteCsv(text: string): InviteRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new Error(`The file is not valid CSV${e.lines ? ` (line ${e.lines})` : ''}: ${e.message ?? String(err)}`);
  }
  if (records.length === 0) return [];
  const head = records[0].record.map((c) => c.toLowerCase());
  const hasHeader = head.some((c) => EMAIL_COLUMNS.includes(c));
  const col = (names: string[]) => (hasHeader ? head.findIndex((c) => names.includes(c)) : -1);
  const emailAt = hasHeader ? col(EMAIL_COLUMNS) : 0;
  const roleAt = col(ROLE_COLUMNS);
  const groupAt = col(GROUP_COLUMNS);
  return records.slice(hasHeader ? 1 : 0).map(({ record, info }) => ({
    line: info.lines,
    email: (record[emailAt] ?? '').replace(/^<|>$/g, ''),
    role: roleAt >= 0 && record[roleAt] ? record[roleAt] : undefined,
    groups: groupAt >= 0 ? splitList(record[groupAt]) : [],
  }));
}

/** Reads a pasted list: emails separated by commas, semicolons, spaces or new lines. */
export function parsePastedEmails(text: string): InviteRow[] {
  const rows: InviteRow[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const entry of lineText.split(/[\s,;]+/).map((e) => e.trim()).filter(Boolean)) rows.push({ line: i + 1, email: entry.replace(/^<|>$/g, ''), groups: [] });
  });
  return rows;
}

const norm = (s: string) => s.trim().toLowerCase();

/** Checks every row: email syntax, duplicates, already a member, unknown role, unknown group. */
export function checkInviteRows(rows: readonly InviteRow[], ctx: InviteContext): InviteCheck {
  const valid: InviteItem[] = [];
  const rejected: RejectedRow[] = [];
  const firstLine = new Map<string, number>();
  const roleNames = ctx.roles.map((r) => r.label).join(', ');
  for (const row of rows) {
    const reject = (reason: string) => rejected.push({ line: row.line, text: [row.email, row.role, row.groups.join(';')].filter(Boolean).join(', '), reason });
    if (!row.email) {
      reject('no email in this row');
      continue;
    }
    if (!EMAIL.test(row.email)) {
      reject(`"${row.email}" is not a valid email address`);
      continue;
    }
    const email = norm(row.email);
    const seen = firstLine.get(email);
    if (seen !== undefined) {
      reject(`duplicate of line ${seen}`);
      continue;
    }
    firstLine.set(email, row.line);
    if (ctx.members.has(email)) {
      reject('already a member');
      continue;
    }
    let seat: string | undefined;
    if (row.role) {
      const role = ctx.roles.find((r) => norm(r.id) === norm(row.role!) || norm(r.label) === norm(row.role!));
      if (!role) {
        reject(ctx.roles.length ? `unknown role "${row.role}"; use one of: ${roleNames}` : 'this platform takes no role on an invitation; leave the column empty');
        continue;
      }
      if (role.invitable === false) {
        reject(`the role "${role.label}" cannot be given by an invitation`);
        continue;
      }
      seat = role.id;
    }
    let groupIds: string[] | undefined;
    if (row.groups.length) {
      if (!ctx.groups) {
        reject(`invitations here cannot add people to a ${ctx.groupWord}; add them once they have joined`);
        continue;
      }
      const unknown = row.groups.filter((g) => !ctx.groups!.some((x) => x.id === g || norm(x.name) === norm(g)));
      if (unknown.length) {
        reject(`unknown ${ctx.groupWord}${unknown.length > 1 ? 's' : ''}: ${unknown.map((g) => `"${g}"`).join(', ')}`);
        continue;
      }
      groupIds = row.groups.map((g) => ctx.groups!.find((x) => x.id === g || norm(x.name) === norm(g))!.id);
    }
    valid.push({ email: row.email, line: row.line, ...(seat !== undefined ? { seat } : {}), ...(groupIds ? { groupIds } : {}) });
  }
  return { valid, rejected };
}
