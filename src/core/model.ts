/** The provider-neutral model the tree and commands work with. */

/** Who can hold a role: a person, a group or team, a service account, or a platform-wide default. */
export type PrincipalKind = 'user' | 'group' | 'serviceAccount' | 'default' | 'anonymous';

export interface Principal {
  readonly kind: PrincipalKind;
  /** The platform's id: user id, group id, service-account user id; `default` / `anonymous` for those. */
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  /** For a service account: the API key id a share is addressed to. */
  readonly keyId?: string;
}

export interface Member {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** The platform's seat or role value, and how to show it. */
  readonly role?: string;
  readonly roleLabel?: string;
  readonly locked?: boolean;
  readonly owner?: boolean;
  /** In a group's member list, the role inside that group, where groups have roles (GitBook: owner, member). */
  readonly groupRole?: string;
  /** When they joined (ISO date-time), where the member list says (GitBook `joinedAt`). */
  readonly joined?: string;
  /** When they were last seen active (ISO date-time), where the member list says (GitBook `lastSeenAt`; absent: never). */
  readonly lastSeen?: string;
}

export interface Group {
  readonly id: string;
  readonly name: string;
  /** Member emails, where the group list carries them (ElevenLabs); else see memberCount. */
  readonly memberEmails: readonly string[];
  readonly memberCount?: number;
  /** A group the platform manages itself (ElevenLabs "Everyone"): membership is not editable. */
  readonly system?: boolean;
}

export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string;
  readonly hint: string;
  readonly disabled: boolean;
}

export interface ServiceAccount {
  readonly id: string;
  readonly name: string;
  readonly keys: readonly ApiKeyInfo[];
}

export interface ResourceType {
  /** The platform's type value (ElevenLabs `resource_type`). */
  readonly id: string;
  readonly label: string;
  /** One of them in words, where a row names its type: "Voice", "Secret (Agents)". */
  readonly one?: string;
  /** A codicon name. */
  readonly icon: string;
  /** Whether the platform's list takes a search text (then Filter… asks the platform). */
  readonly searchable?: boolean;
  /** Whether each resource has a page on the platform (`Resource.webUrl`) for Open in Browser. */
  readonly webPages?: boolean;
}

export interface Resource {
  readonly type: string;
  readonly id: string;
  readonly name: string;
  /** The caller's own role on it, when the list says. */
  readonly myRole?: string;
  /** Whether the caller may change its sharing, when the platform says so directly. */
  readonly canShare?: boolean;
  /** The baseline role every organization member has (GitBook `defaultLevel`). */
  readonly baseline?: string;
  /** The platform's own page for it. */
  readonly webUrl?: string;
}

export interface Grant {
  readonly principal: Principal;
  readonly role: string;
  /** Why it cannot be removed or changed (the creator's admin, anonymous access), if so. */
  readonly fixed?: string;
  /** The resource's creator, who always keeps admin. */
  readonly creator?: boolean;
}

/** One reason a person reaches a resource. */
export interface AccessSource {
  /**
   * `direct`: granted to the person; `group`: through a group or team (named); `default`: the
   * organization's or workspace's default level; `organization`: their organization role (an admin
   * reaches everything); `parent`: inherited from what holds the resource (a collection, or for a
   * site one of its spaces); `creator`: they made it.
   */
  readonly kind: 'direct' | 'group' | 'default' | 'organization' | 'parent' | 'creator';
  /** The group's name; for `parent`, what it is inherited from ("a parent collection"). */
  readonly name?: string;
  /** The role this source gives, where the platform says. */
  readonly role?: string;
}

/** Someone who can reach a resource, at their effective role, and every reason why. */
export interface EffectiveAccess {
  readonly principal: Principal;
  readonly role: string;
  readonly sources: readonly AccessSource[];
}

/** A resource's grants. */
export interface Access {
  readonly grants: readonly Grant[];
  /** How many principals the platform allows per resource, if it caps them. */
  readonly cap?: number;
}

/** A pending (or declined) email invitation, where the platform lists them (Confident AI). */
export interface Invitation {
  readonly id: string;
  readonly email: string;
  readonly status: 'pending' | 'accepted' | 'declined';
  /** Role id, or undefined for the platform's default role. */
  readonly roleId?: string;
  /** When it was sent (ISO date-time), where the platform says (Confident AI `created_at`): how long it has been pending. */
  readonly createdAt?: string;
}

/** A role a member can hold, where roles are records with ids (Confident AI). */
export interface RoleInfo {
  readonly id: string;
  readonly name: string;
  /** A preset role of the platform (Owner, Admin, Member…), not a custom one. */
  readonly preset: boolean;
}

/** A link that lets anyone who has it join, with a role in the organization or a level on one piece of content. */
export interface InviteLink {
  readonly id: string;
  readonly target:
    | { readonly kind: 'organization' }
    | { readonly kind: 'space' | 'collection'; readonly id: string; readonly name: string };
  readonly role: string;
  /** The role as the platform's console names it ("Read", "Guest"). */
  readonly roleLabel: string;
  /** The account of the connection's key already has everything the link grants (GitBook `redundant`). */
  readonly redundant: boolean;
}

/** One page of a list; `next` is the opaque token for the following page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next?: string;
  /** How many the whole list holds, where the platform says (GitBook `count`, Confident AI `total`). */
  readonly total?: number;
}

/** Roles ordered highest first: the UI compares roles through this, never through strings. */
export class RoleLadder {
  constructor(readonly roles: readonly string[]) {}

  /** 0 for the highest; roles not on the ladder (custom roles) rank after all of them. */
  rank(role: string): number {
    const i = this.roles.indexOf(role);
    return i === -1 ? this.roles.length : i;
  }

  isHigher(a: string, than: string): boolean {
    return this.rank(a) < this.rank(than);
  }
}

export function principalLabel(p: Principal): string {
  switch (p.kind) {
    case 'default':
    case 'anonymous':
      return p.name;
    default:
      return p.email && p.email !== p.name ? `${p.name} <${p.email}>` : p.name;
  }
}
