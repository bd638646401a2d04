/**
 * The roster: the people the organization says exist, as read from an HR or identity-provider
 * export (see parse.ts), and the organization's own email domains. Lookups are by lower-cased email
 * in one map that holds every address and alias, so matching every account of every connection
 * against a roster costs one map read per account, never a scan.
 */

/** One person of the roster, as its row said. */
export interface RosterPerson {
  /** The email as written in the file (find() compares it lower-cased). */
  readonly email: string;
  readonly name?: string;
  /** What the status word means; 'active' when the row has no status. */
  readonly status: 'active' | 'left';
  /** The status word as written ("Terminated", "on leave"), for the UI to show. */
  readonly statusText?: string;
  /** The end date as YYYY-MM-DD. */
  readonly endDate?: string;
  /** Other addresses of the same person, as written, without the primary email or repeats. */
  readonly aliases: readonly string[];
  readonly manager?: string;
  readonly department?: string;
  /** The line of the file the row starts on (1-based), for evidence and error messages. */
  readonly line: number;
}

/** A roster file or a domain list that cannot be used at all; `line` is set when one line is the cause. */
export class RosterError extends Error {
  override readonly name = 'RosterError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

const key = (email: string) => email.trim().toLowerCase();

/** The people of a roster, found by any of their addresses. */
export class Roster {
  private readonly byEmail = new Map<string, RosterPerson>();

  /**
   * `people` in file order. An address (primary or alias) that two people share belongs to the
   * first of them; parseRoster never passes such a pair (it reports the later one as a problem).
   */
  constructor(readonly people: readonly RosterPerson[]) {
    for (const p of people) if (!this.byEmail.has(key(p.email))) this.byEmail.set(key(p.email), p);
    for (const p of people) for (const a of p.aliases) if (!this.byEmail.has(key(a))) this.byEmail.set(key(a), p);
  }

  get size(): number {
    return this.people.length;
  }

  /** The person with this email or alias, in any case; undefined when the roster has no such address. */
  find(email: string): RosterPerson | undefined {
    return this.byEmail.get(key(email));
  }
}

/**
 * Whether a person has left by `today` (YYYY-MM-DD, the caller's calendar day): their status says
 * so, or their end date is today or earlier. Either signal is enough: a row still marked active
 * whose end date has passed has left (HR often changes the status days later), and a row marked
 * left has left whatever its end date says.
 */
export function hasLeft(person: RosterPerson, today: string): boolean {
  return person.status === 'left' || (person.endDate !== undefined && person.endDate <= today);
}

/** The organization's own email domains, lower-cased, from parseDomains. */
export type OrgDomains = ReadonlySet<string>;

/**
 * Whether an email is outside the organization: its domain is none of `domains` and no subdomain
 * of one. Subdomains count as the organization's own (eng.example.com for example.com): only the
 * owner of a domain can create mail addresses under it. The comparison is by whole labels, so
 * notexample.com is external. With no domains configured nobody is external: the finding is off
 * until the setting names the domains, rather than marking everyone.
 */
export function isExternal(email: string, domains: OrgDomains): boolean {
  if (domains.size === 0) return false;
  const address = email.trim().toLowerCase();
  // The domain, then each parent domain: a.eng.example.com, eng.example.com, example.com, com.
  for (let d = address.slice(address.lastIndexOf('@') + 1).replace(/\.$/, ''); d;) {
    if (domains.has(d)) return false;
    const dot = d.indexOf('.');
    d = dot === -1 ? '' : d.slice(dot + 1);
  }
  return true;
}

/** One DNS label: letters, digits and hyphens, not starting or ending with a hyphen, at most 63. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why one entry of a domain list is refused, or undefined when `domain` (already cleaned) is fine. */
function domainProblem(entry: string, domain: string): string | undefined {
  const shown = `"${entry.length > 60 ? `${entry.slice(0, 60)}…` : entry}"`;
  if (!domain) return `${shown} is empty`;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(domain) || domain.includes('/'))
    return `${shown} is a web address; write the domain alone, like example.com`;
  if (domain.includes('@')) return `${shown} is an email address; write only the part after the @`;
  if (!domain.includes('.')) return `${shown} has no dot; write the whole domain, like ${domain}.com`;
  if (domain.length > 253) return `${shown} is longer than a domain can be (253 characters)`;
  const labels = domain.split('.');
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined)
    return bad === ''
      ? `${shown} has an empty part between dots`
      : `${shown} is not a domain: "${bad}" may hold only letters, digits and inner hyphens (an international domain in its xn-- form)`;
  if (/^\d+$/.test(labels[labels.length - 1]))
    return `${shown} is an IP address; write the organization's email domain`;
  return undefined;
}

/**
 * Reads the organization's domain list (a setting): each entry trimmed and lower-cased, a leading
 * "@" or "*." and a trailing dot dropped (people paste "@example.com" and "*.example.com"; both
 * mean the domain, and subdomains count anyway). Throws a RosterError naming every bad entry and
 * what to write instead; an empty list is fine (nobody is then external).
 */
export function parseDomains(list: readonly string[]): OrgDomains {
  const domains = new Set<string>();
  const problems: string[] = [];
  for (const entry of list) {
    const domain = entry
      .trim()
      .toLowerCase()
      .replace(/^@|^\*\./, '')
      .replace(/\.$/, '');
    const problem = domainProblem(entry, domain);
    if (problem) problems.push(problem);
    else domains.add(domain);
  }
  if (problems.length)
    throw new RosterError(
      `The organization's email domains ${problems.length > 1 ? 'have bad entries' : 'have a bad entry'}: ${problems.join('; ')}.`,
    );
  return domains;
}
