/**
 * Who should not be here: findings across every connection, from what each platform says (its
 * members, invitations and, where it gives any, activity), the organization's roster and its email
 * domains, and the access file's end dates. Pure: the reads are made by `gather.ts`, the words and
 * the exit code by whoever shows them (the command line's `findings`, the extension's view).
 *
 * Each finding names its connection, the person, its evidence (the roster row, the date last seen)
 * and the actions that follow from it. Owners and admins are listed as information, the short list
 * an auditor asks for first; every other kind asks someone to act.
 */
import type { Invitation, Member } from '../model';
import type { ActivityReading } from '../provider';
import { hasLeft, isExternal, type OrgDomains, type Roster, type RosterPerson } from './roster';

export type FindingKind = 'left' | 'unknown' | 'external' | 'admin' | 'inactive' | 'stale-invitation' | 'expiring';

/** What can be done about a finding, through the existing flows and their previews. */
export type FindingAction = 'offboard' | 'show-person' | 'reclaim-seat' | 'revoke-invitation' | 'open-file';

export interface Finding {
  readonly kind: FindingKind;
  /** `info` is for the record (owners and admins); `warning` asks someone to act. */
  readonly severity: 'warning' | 'info';
  readonly connectionId: string;
  readonly email: string;
  /** The member or invitation it is about, where it is one. */
  readonly memberId?: string;
  readonly invitation?: Invitation;
  /** Why, in words: "roster line 12: left (end date 2026-10-31)", "last active 2026-06-01, 184 days ago". */
  readonly evidence: string;
  /** The roster row it was matched to. */
  readonly rosterLine?: number;
  /** The last activity the platform gave (ISO date), where it gave one. */
  readonly lastActive?: string;
  /** The access file's line (its span) for an end date. */
  readonly at?: readonly [number, number];
  readonly actions: readonly FindingAction[];
}

/** A connection-wide note: it could not be read, or its platform gives no activity. */
export interface ConnectionNote {
  readonly connectionId: string;
  readonly kind: 'error' | 'no-activity';
  readonly message: string;
}

/** What one connection said, as `gather.ts` read it. */
export interface ConnectionFacts {
  readonly connectionId: string;
  /** The platform's label, for the note when it gives no activity. */
  readonly platformLabel: string;
  /** Undefined with `error` when the connection could not be read. */
  readonly members?: readonly Member[];
  readonly error?: string;
  /** Pending invitations, where the platform lists them. */
  readonly invitations?: readonly Invitation[];
  /** Why the invitations could not be read, where the platform lists them. */
  readonly invitationsError?: string;
  /** Activity, where the platform gives it; `error` when it gives it but the read failed. */
  readonly activity?: ActivityReading | { readonly error: string };
  /** The role's name when a member's role reaches everything (an admin), from the provider. */
  readonly adminRole?: (member: Member) => string | undefined;
}

/** An end date in the access file (`until:`): a member's or a grant's. */
export interface EndDate {
  readonly connectionId: string;
  /** The person (an email) or the principal (`group:Support`). */
  readonly who: string;
  readonly until: string;
  /** What it ends: "member", "viewer of voice Narrator". */
  readonly what: string;
  readonly at: readonly [number, number];
}

export interface FindingsInput {
  readonly connections: readonly ConnectionFacts[];
  readonly roster?: Roster;
  /** The organization's own email domains (parseDomains); undefined or empty: nobody is called external. */
  readonly domains?: OrgDomains;
  /** YYYY-MM-DD (UTC). */
  readonly today: string;
  readonly inactiveDays: number;
  readonly invitationDays: number;
  readonly endDates?: readonly EndDate[];
}

/** No activity for this many days makes a seat inactive (the `workspaceAccess.findings.inactiveDays` setting). */
export const DEFAULT_INACTIVE_DAYS = 90;
/** An invitation pending longer than this many days is stale. */
export const DEFAULT_INVITATION_DAYS = 30;
/** Access whose `until:` ends within this many days is about to end. */
export const EXPIRING_DAYS = 14;

export const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
/** Whole days from `iso` to `today` (positive: in the past). */
export const daysSince = (iso: string, today: string) => Math.round((dayOf(today) - dayOf(iso)) / DAY_MS);

const rosterWords = (p: RosterPerson) =>
  `roster line ${p.line}: ${p.statusText ?? p.status}${p.endDate ? ` (end date ${p.endDate.slice(0, 10)})` : ''}`;

/** Every finding, in connection order, each connection's people in the order the platform listed them. */
export function findingsOf(input: FindingsInput): { findings: Finding[]; notes: ConnectionNote[] } {
  const findings: Finding[] = [];
  const notes: ConnectionNote[] = [];
  for (const c of input.connections) {
    if (!c.members) {
      notes.push({ connectionId: c.connectionId, kind: 'error', message: c.error ?? 'Could not be read.' });
      continue;
    }
    const activity = c.activity && 'error' in c.activity ? undefined : c.activity;
    if (!c.activity)
      notes.push({
        connectionId: c.connectionId,
        kind: 'no-activity',
        message: `${c.platformLabel} gives no activity: nobody here is marked inactive.`,
      });
    else if ('error' in c.activity)
      notes.push({ connectionId: c.connectionId, kind: 'error', message: `Activity: ${c.activity.error}` });
    if (c.invitationsError)
      notes.push({ connectionId: c.connectionId, kind: 'error', message: `Invitations: ${c.invitationsError}` });
    for (const m of c.members) findings.push(...memberFindings(input, c, m, activity));
    for (const inv of c.invitations ?? []) findings.push(...invitationFindings(input, c, inv));
  }
  for (const e of input.endDates ?? []) {
    const left = -daysSince(e.until, input.today);
    if (left < 0 || left > EXPIRING_DAYS) continue;
    findings.push({
      kind: 'expiring',
      severity: 'warning',
      connectionId: e.connectionId,
      email: e.who,
      evidence: `${e.what} until ${e.until} (${left === 0 ? 'today' : `in ${left} day${left === 1 ? '' : 's'}`})`,
      at: e.at,
      actions: ['open-file'],
    });
  }
  return { findings, notes };
}

function memberFindings(
  input: FindingsInput,
  c: ConnectionFacts,
  m: Member,
  activity: ActivityReading | undefined,
): Finding[] {
  const out: Finding[] = [];
  const base = { connectionId: c.connectionId, email: m.email, memberId: m.id };
  // A platform that gives no email (GitBook shows a name then) cannot be matched to a roster or a domain.
  const hasEmail = m.email.includes('@');
  const person = hasEmail ? input.roster?.find(m.email) : undefined;
  // A locked member was acted on already (offboarding locks where it cannot remove): not listed again.
  if (input.roster && hasEmail && !person && !m.locked)
    out.push({
      ...base,
      kind: 'unknown',
      severity: 'warning',
      evidence: 'matches no roster row (email or alias)',
      actions: ['show-person', 'offboard'],
    });
  // A locked member cannot sign in: someone who left, locked, holds nothing to act on (offboarding locks where it cannot remove).
  else if (person && hasLeft(person, input.today) && !m.locked)
    out.push({
      ...base,
      kind: 'left',
      severity: 'warning',
      evidence: rosterWords(person),
      rosterLine: person.line,
      actions: ['offboard', 'show-person'],
    });
  if (input.domains && hasEmail && !m.locked && isExternal(m.email, input.domains))
    out.push({
      ...base,
      kind: 'external',
      severity: 'warning',
      evidence: `${m.email.slice(m.email.lastIndexOf('@') + 1)} is not one of the organization's domains`,
      rosterLine: person?.line,
      actions: ['show-person'],
    });
  const admin = m.owner ? 'owner' : c.adminRole?.(m);
  if (admin)
    out.push({
      ...base,
      kind: 'admin',
      severity: 'info',
      evidence: admin,
      rosterLine: person?.line,
      actions: ['show-person'],
    });
  // A locked seat is reclaimed already (Reclaim Seat's first choice).
  if (activity && !m.locked) {
    const inactive = inactivity(activity, m, input);
    if (inactive) out.push({ ...base, ...inactive, rosterLine: person?.line });
  }
  return out;
}

/** An inactive seat: no activity for `inactiveDays`, by the last activity, or since joining, or in the whole window read. */
function inactivity(
  activity: ActivityReading,
  m: Member,
  input: FindingsInput,
): Pick<Finding, 'kind' | 'severity' | 'evidence' | 'lastActive' | 'actions'> | undefined {
  const last = activity.lastActive.get(m.id);
  const actions: FindingAction[] = ['reclaim-seat', 'show-person'];
  if (last) {
    const days = daysSince(last, input.today);
    if (days < input.inactiveDays) return undefined;
    return {
      kind: 'inactive',
      severity: 'warning',
      evidence: `last active ${last.slice(0, 10)}, ${days} days ago`,
      lastActive: last.slice(0, 10),
      actions,
    };
  }
  const joined = activity.joined?.get(m.id);
  // Someone who joined within the window has not had the time to be inactive.
  if (joined && daysSince(joined, input.today) < input.inactiveDays) return undefined;
  if (activity.since !== undefined) {
    // The platform looked back only so far: nothing since then is all it can say.
    if (daysSince(activity.since, input.today) < input.inactiveDays) return undefined;
    return {
      kind: 'inactive',
      severity: 'warning',
      evidence: `no activity since ${activity.since.slice(0, 10)}`,
      actions,
    };
  }
  return {
    kind: 'inactive',
    severity: 'warning',
    evidence: joined ? `never active since joining on ${joined.slice(0, 10)}` : 'never active',
    actions,
  };
}

function invitationFindings(input: FindingsInput, c: ConnectionFacts, inv: Invitation): Finding[] {
  if (inv.status !== 'pending') return [];
  const out: Finding[] = [];
  const base = { connectionId: c.connectionId, email: inv.email, invitation: inv };
  const person = input.roster?.find(inv.email);
  if (person && hasLeft(person, input.today))
    out.push({
      ...base,
      kind: 'left',
      severity: 'warning',
      evidence: `invited; ${rosterWords(person)}`,
      rosterLine: person.line,
      actions: ['revoke-invitation'],
    });
  const created = inv.createdAt;
  if (created) {
    const days = daysSince(created, input.today);
    if (days > input.invitationDays)
      out.push({
        ...base,
        kind: 'stale-invitation',
        severity: 'warning',
        evidence: `pending since ${created.slice(0, 10)}, ${days} days`,
        rosterLine: person?.line,
        actions: ['revoke-invitation'],
      });
  }
  return out;
}
