/**
 * An access review as data: who holds what, across the connections in its scope, read from live
 * when the review starts, and what a reviewer decided for each item (keep, revoke, or a lower role,
 * with a reason). The file (render.ts, parse.ts) is this, written as YAML in the repository; nothing
 * here knows the editor. Items are identified by connection, kind and the platform's id, so a
 * decision survives a reordering of the file.
 */

export const REVIEW_FORMAT = 1;

/** The suffix that makes a YAML file a review: `reviews/2026-q4.access-review.yaml`. */
export const REVIEW_SUFFIX = '.access-review.yaml';

/** What an item is: a membership, a group or team, a direct grant on a resource, a project, a pending invitation. */
export type ItemKind = 'member' | 'group' | 'grant' | 'project' | 'invitation';

/** Which people a review covers. */
export type PeopleScope = 'everyone' | 'admins' | 'findings';

export interface ReviewScope {
  readonly people: PeopleScope;
  /** Connection keys (as `connections` names them). */
  readonly connections: readonly string[];
  /** Only grants on this resource type (and nobody's memberships), when set. */
  readonly type?: string;
}

/** A role as the file names it (the platform's label) and as the platform takes it (its id). */
export interface RoleName {
  readonly id: string;
  readonly label: string;
}

/** What can be decided for one kind of item in one connection. */
export interface KindRoles {
  /** The roles, highest first when `ranked`. */
  readonly roles: readonly RoleName[];
  /** False where the roles have no order (an organization's own roles): any other role is a change. */
  readonly ranked: boolean;
}

export interface ReviewConnection {
  /** The key items use (`acme`): unique in the file. */
  readonly key: string;
  readonly platform: string;
  /** The workspace or organization, as the access file names it. */
  readonly name: string;
  /** Per kind, the roles a decision may name. */
  readonly roles: Partial<Record<ItemKind, KindRoles>>;
  /** Where revoking a membership locks the account instead of removing it (ElevenLabs). */
  readonly revokeLocks?: boolean;
}

/** One thing a person holds, and what the reviewer decided. */
export interface ReviewItem {
  /** The connection's key. */
  readonly at: string;
  readonly kind: ItemKind;
  /** The platform's id of the group, resource, project or invitation; the member's id for `member`. */
  readonly id: string;
  /** The group's, resource's or project's name; the workspace's for `member`. */
  readonly name: string;
  /** The resource type (`voice`, `space`…), for `grant`. */
  readonly type?: string;
  /** The role, seat or level held, by its label. */
  readonly role?: string;
  /** Why they hold it: `direct`, `creator`, `owner`… */
  readonly via?: string;
  /** keep, revoke, or a role's label; absent while undecided. */
  readonly decision?: string;
  /** Why: required for anything but keep. */
  readonly reason?: string;
}

/** What a reviewer knows of the person besides their access. */
export interface PersonContext {
  /** "active", "left 2026-10-01", "not on the roster", or undefined without a roster. */
  readonly roster?: string;
  readonly external?: boolean;
  /** The last activity the platforms gave (ISO date), or "none since …". */
  readonly lastActive?: string;
  /** The findings' kinds for this person (left, unknown, external, admin, inactive…). */
  readonly findings?: readonly string[];
}

export interface ReviewPerson {
  readonly email: string;
  readonly name?: string;
  readonly context?: PersonContext;
  readonly access: readonly ReviewItem[];
}

export interface SignOff {
  readonly name: string;
  readonly email: string;
  /** ISO date-time. */
  readonly at: string;
}

/** Set when the review closed: what it produced. */
export interface Closed {
  readonly at: string;
  /** The evidence's JSON file (beside the review) and its SHA-256. */
  readonly evidence: string;
  readonly sha256: string;
  /** SHA-256 of the decisions and sign-off it closed with (parse.ts `decisionsHash`): an edit since is a problem. */
  readonly decisions?: string;
}

export interface Review {
  readonly format: number;
  readonly name: string;
  /** ISO date-time the live state was read. */
  readonly started: string;
  /** ISO date (yyyy-mm-dd). */
  readonly due: string;
  readonly reviewers: readonly string[];
  readonly scope: ReviewScope;
  /** SHA-256 of the snapshot: every connection and item as read, without the decisions. */
  readonly snapshot: string;
  readonly connections: readonly ReviewConnection[];
  readonly people: readonly ReviewPerson[];
  readonly signoff?: SignOff;
  readonly closed?: Closed;
}

/** The decisions anything but keep needs a reason for. */
export const KEEP = 'keep';
export const REVOKE = 'revoke';

/**
 * An item's identity in its review: stable across reorderings and across a reload. Its parts as a
 * JSON list, so no two items share one whatever their ids hold (`a:b` + `c` is not `a` + `b:c`).
 */
export const itemKey = (email: string, item: Pick<ReviewItem, 'at' | 'kind' | 'id' | 'type'>): string =>
  JSON.stringify([email.toLowerCase(), item.at, item.kind, item.type || '', item.id]);

/** How far a review is: items decided of all, and what is missing. */
export interface Progress {
  readonly items: number;
  readonly decided: number;
  /** Decided but for keep with no reason. */
  readonly unreasoned: number;
}

export function progressOf(review: Pick<Review, 'people'>): Progress {
  let items = 0;
  let decided = 0;
  let unreasoned = 0;
  for (const p of review.people)
    for (const i of p.access) {
      items++;
      if (i.decision) decided++;
      if (i.decision && i.decision !== KEEP && !i.reason?.trim()) unreasoned++;
    }
  return { items, decided, unreasoned };
}

/** Days from `today` to the due date (negative when it has passed). */
export const daysUntil = (due: string, today: string): number =>
  Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);

/** The roles an item may be changed to: lower than its own on a ranked ladder, any other otherwise. */
export function lowerRoles(conn: ReviewConnection | undefined, item: Pick<ReviewItem, 'kind' | 'role'>): RoleName[] {
  const roles = conn?.roles[item.kind];
  if (!roles || !item.role) return [];
  const same = (r: RoleName) => r.label.toLowerCase() === item.role?.toLowerCase() || r.id === item.role;
  if (!roles.ranked) return roles.roles.filter((r) => !same(r));
  const at = roles.roles.findIndex(same);
  return at < 0 ? [] : roles.roles.slice(at + 1);
}

/** The role a decision names, by label (any case) or id. */
export const roleNamed = (roles: readonly RoleName[], text: string): RoleName | undefined =>
  roles.find((r) => r.label.toLowerCase() === text.trim().toLowerCase() || r.id === text.trim());
