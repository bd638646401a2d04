/**
 * The roster and the access file: who the file grants access to (members, group or team members,
 * grants to an email, project members), checked against the roster at their lines, and the file's
 * end dates (`until:`) for the findings' "access ending soon". Pure: the editor reads the files.
 */
import type { ConnectionSpec, Problem } from '../access/spec';
import type { Span } from '../access/yamlTree';
import type { EndDate } from './findings';
import { hasLeft, type Roster, type RosterPerson } from './roster';

/** One line of the file that grants a person something. */
export interface GrantedPerson {
  readonly email: string;
  readonly at: Span;
}

/** Every line of one connection's spec that names a person (an email), in file order within each section. */
export function peopleIn(spec: ConnectionSpec): GrantedPerson[] {
  const out: GrantedPerson[] = [];
  for (const m of spec.members ?? []) out.push({ email: m.email, at: m.at });
  for (const g of spec.groups ?? []) for (const m of g.members) out.push({ email: m.email, at: m.at });
  for (const r of spec.resources ?? [])
    for (const g of r.grants) if (g.principal.includes('@')) out.push({ email: g.principal, at: g.at });
  for (const p of spec.projects ?? []) for (const m of p.members) out.push({ email: m.email, at: m.at });
  return out;
}

/** A roster row in words: "roster line 12: Terminated, end date 2026-01-31". */
export function rosterRow(p: RosterPerson): string {
  return `roster line ${p.line}: ${p.statusText ?? p.status}${p.endDate ? `, end date ${p.endDate}` : ''}`;
}

/**
 * A diagnostic for each line granting access to someone who has left (a warning, code `left`) or
 * who matches no roster person by email or alias (information, code `not-on-roster`). These codes
 * are the editor's own: the command line's plan never makes them, so drift counts and SARIF rules
 * are untouched.
 */
export function rosterProblems(specs: readonly ConnectionSpec[], roster: Roster, today: string): Problem[] {
  const out: Problem[] = [];
  for (const spec of specs)
    for (const { email, at } of peopleIn(spec)) {
      const person = roster.find(email);
      if (!person)
        out.push({
          at,
          severity: 'info',
          code: 'not-on-roster',
          message: `${email} is not on the roster (no row has this email or alias).`,
        });
      else if (hasLeft(person, today))
        out.push({
          at,
          severity: 'warning',
          code: 'left',
          message: `${email} has left (${rosterRow(person)}): remove this line, or offboard them.`,
        });
    }
  return out;
}

/**
 * The end dates the file declares (members', grants' and project members'), each with the
 * connection its entry matched (`connectionIds[i]` for `specs[i]`; an entry that matched none is
 * left out: its finding could name no connection).
 */
export function endDatesOf(
  specs: readonly ConnectionSpec[],
  connectionIds: readonly (string | undefined)[],
): EndDate[] {
  const out: EndDate[] = [];
  specs.forEach((spec, i) => {
    const connectionId = connectionIds[i];
    if (!connectionId) return;
    for (const m of spec.members ?? [])
      if (m.until) out.push({ connectionId, who: m.email, until: m.until, what: 'member', at: m.at });
    for (const r of spec.resources ?? [])
      for (const g of r.grants)
        if (g.until)
          out.push({
            connectionId,
            who: g.principal,
            until: g.until,
            what: `${g.role} of ${r.type} ${r.name ?? r.id}`,
            at: g.at,
          });
    for (const p of spec.projects ?? [])
      for (const m of p.members)
        if (m.until)
          out.push({
            connectionId,
            who: m.email,
            until: m.until,
            what: `${m.role ?? 'member'} in project ${p.name ?? p.id}`,
            at: m.at,
          });
  });
  return out;
}
