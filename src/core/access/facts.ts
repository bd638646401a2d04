/**
 * What the access file can say about one platform: the keys of its sections, its fixed roles, and
 * what it cannot express. Each provider folder states its own (platform.ts); the schema, the parser
 * and the plan read them, never a platform name.
 */
export interface AccessFileFacts {
  readonly platform: string;
  readonly label: string;
  /** How the file names the connection it is about: never by a key. */
  readonly match: {
    readonly key: 'workspace' | 'organization';
    /**
     * What names it, which an export writes and the command line checks the key against: the
     * organization the connection picked (`tenant`: id or name), the account the key acts as
     * (`account`: an organization key), or only the connection's own name (`label`: the API names
     * nothing, so any name is taken).
     */
    readonly by: 'tenant' | 'account' | 'label';
    readonly description: string;
  };
  readonly members: {
    /** `seat` (ElevenLabs) or `role`. */
    readonly roleKey: 'seat' | 'role';
    /** The roles a member can hold, where the platform fixes them; else the organization's own role names. */
    readonly roles?: readonly string[];
    /** Whether a member can be locked (ElevenLabs); removal then locks, since the platform cannot remove. */
    readonly locks?: boolean;
    readonly description: string;
  };
  readonly groups?: {
    readonly key: 'groups' | 'teams';
    /** How a grant names a group: `group:Name`, `team:Name`. */
    readonly prefix: string;
    /** A member's role inside a group, where groups have roles (GitBook teams). */
    readonly roles?: readonly string[];
    readonly description: string;
  };
  readonly resources?: {
    readonly types: readonly string[];
    readonly roles: readonly string[];
    readonly serviceAccounts?: boolean;
    /** Whether a grant can go to the workspace default (`default`). */
    readonly workspaceDefault?: boolean;
    readonly description: string;
  };
  readonly inviteLinks?: {
    readonly roles: readonly string[];
    readonly targets: readonly string[];
    readonly description: string;
  };
  readonly projects?: { readonly description: string };
  /** Whether the platform lists pending invitations; where it does not, an Apply's own invitations are remembered. */
  readonly invitationsListed: boolean;
}

/** A section of a connection in the file. */
export type Section = 'members' | 'groups' | 'resources' | 'inviteLinks' | 'projects';

/** The section's key in the file (GitBook calls groups `teams`). */
export function sectionKey(facts: AccessFileFacts, section: Section): string {
  return section === 'groups' ? (facts.groups?.key ?? 'groups') : section;
}

export function sectionsOf(facts: AccessFileFacts): Section[] {
  return (['members', 'groups', 'resources', 'inviteLinks', 'projects'] as const).filter(
    (s) => s === 'members' || !!facts[s],
  );
}
