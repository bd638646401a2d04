/**
 * The words of a roster file: which header names mean which column, and which status words mean
 * that a person is still here or has gone. HR systems and identity providers each export their own
 * names (Google Workspace's "Email Address [Required]", Okta's "Primary email", Entra's
 * "userPrincipalName", BambooHR's "Termination Date"), so both are matched loosely and kept here, in
 * one place, where the README's table of accepted names comes from.
 */

/** The columns a roster reads; every other header is reported as ignored. */
export type RosterField =
  'email' | 'name' | 'firstName' | 'lastName' | 'status' | 'endDate' | 'aliases' | 'manager' | 'department';

/**
 * Accepted header names per column, the preferred first. Names that often mean something else in
 * an HR export are left out on purpose: "State" (an address), "Username" (often not an email).
 * When a file has two columns that mean the same (Entra's "mail" and "userPrincipalName", say), the
 * one earlier in its list is read and the other is reported as ignored.
 */
export const COLUMN_NAMES: Readonly<Record<RosterField, readonly string[]>> = {
  email: [
    'email',
    'email address',
    'e-mail',
    'work email',
    'work email address',
    'primary email',
    'primary email address',
    'business email',
    'company email',
    'corporate email',
    'user email',
    'mail',
    'user principal name',
    'upn',
  ],
  name: ['full name', 'name', 'display name', 'employee name', 'preferred name', 'legal name'],
  firstName: ['first name', 'given name', 'forename', 'preferred first name'],
  lastName: ['last name', 'surname', 'family name'],
  status: [
    'status',
    'employment status',
    'employee status',
    'worker status',
    'user status',
    'account status',
    'lifecycle status',
    'employment state',
  ],
  endDate: [
    'end date',
    'termination date',
    'term date',
    'terminated on',
    'last day',
    'last working day',
    'last day of work',
    'leave date',
    'leaving date',
    'departure date',
    'separation date',
    'exit date',
    'offboarding date',
    'end',
  ],
  aliases: [
    'aliases',
    'alias',
    'email aliases',
    'alternate emails',
    'alternate email',
    'alternative emails',
    'alternative email',
    'other emails',
    'other email',
    'secondary emails',
    'secondary email',
    'additional emails',
    'proxy addresses',
  ],
  manager: [
    'manager',
    'manager email',
    'manager name',
    'line manager',
    'supervisor',
    'supervisor email',
    'reports to',
    'reporting to',
  ],
  department: ['department', 'dept', 'division', 'team', 'business unit', 'org unit', 'org unit path'],
};

/**
 * A header name reduced to what matters: a bracketed note dropped ("Email Address [Required]",
 * "Status (read only)"), camelCase split, then only letters and digits, lower-cased. So "Email
 * Address", "email_address", "E-mail address" and "emailAddress" are one name.
 */
export function headerKey(header: string): string {
  return header
    .replace(/\[[^\]]*\]|\([^)]*\)/g, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const FIELD_BY_KEY = new Map<string, { field: RosterField; rank: number }>();
for (const [field, names] of Object.entries(COLUMN_NAMES) as [RosterField, readonly string[]][])
  names.forEach((name, rank) => FIELD_BY_KEY.set(headerKey(name), { field, rank }));

/** Where each column is in a file, and the headers it does not read. */
export interface ColumnMap {
  readonly at: Partial<Record<RosterField, number>>;
  /** Header cells as written (empty ones left out), in file order. */
  readonly ignored: readonly string[];
}

/** Matches a header row to the roster's columns; of two columns that mean the same, the preferred one is read. */
export function mapColumns(header: readonly string[]): ColumnMap {
  const best = new Map<RosterField, { index: number; rank: number }>();
  header.forEach((cell, index) => {
    const hit = FIELD_BY_KEY.get(headerKey(cell));
    if (!hit) return;
    const held = best.get(hit.field);
    if (!held || hit.rank < held.rank) best.set(hit.field, { index, rank: hit.rank });
  });
  // A full name is read as it is; first and last names then go unread.
  if (best.has('name')) {
    best.delete('firstName');
    best.delete('lastName');
  }
  const at: Partial<Record<RosterField, number>> = {};
  for (const [field, { index }] of best) at[field] = index;
  const used = new Set([...best.values()].map((b) => b.index));
  const ignored = header.filter((cell, index) => cell !== '' && !used.has(index));
  return { at, ignored };
}

/**
 * Status words, compared lower-cased with `_` and `-` read as spaces. A person on leave is still
 * here (they come back; taking their access is not the roster's call). A suspended, disabled or
 * deprovisioned account counts as gone: the identity provider has already shut them out, so access
 * they still hold elsewhere is what an auditor asks about. Okta's states that are not suspended or
 * deprovisioned (staged, provisioned, recovery, password expired, locked out) are all still here.
 */
export const STATUS_WORDS: Readonly<Record<'active' | 'left', readonly string[]>> = {
  active: [
    'active',
    'employed',
    'current',
    'hired',
    'working',
    'enabled',
    'on leave',
    'leave',
    'leave of absence',
    'parental leave',
    'maternity leave',
    'paternity leave',
    'sick leave',
    'sabbatical',
    'new hire',
    'onboarding',
    'pending',
    'probation',
    'staged',
    'provisioned',
    'recovery',
    'password expired',
    'locked out',
  ],
  left: [
    'left',
    'leaver',
    'terminated',
    'termed',
    'inactive',
    'suspended',
    'disabled',
    'deactivated',
    'deprovisioned',
    'offboarded',
    'former',
    'former employee',
    'ex employee',
    'departed',
    'resigned',
    'retired',
    'dismissed',
    'separated',
    'archived',
    'deleted',
    'removed',
  ],
};

const STATUS_BY_WORD = new Map<string, 'active' | 'left'>([
  ...STATUS_WORDS.active.map((w) => [w, 'active'] as const),
  ...STATUS_WORDS.left.map((w) => [w, 'left'] as const),
]);

/** 'active' or 'left' for a status word, or undefined when the word is not one the roster knows. */
export function statusOf(word: string): 'active' | 'left' | undefined {
  return STATUS_BY_WORD.get(word.toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim());
}
