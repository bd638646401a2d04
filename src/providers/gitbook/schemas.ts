import * as z from 'zod';

/** Wire models of the GitBook API (@gitbook/api 0.202.0 spec): only the fields the extension reads. */

export const MemberRole = z.enum(['admin', 'create', 'review', 'edit', 'comment', 'read']);
export type MemberRole = z.infer<typeof MemberRole>;
/** `null` is a guest. */
export const MemberRoleOrGuest = MemberRole.nullable();

export const User = z.object({
  object: z.literal('user'),
  id: z.string(),
  displayName: z.string(),
  email: z.string().optional(),
});
export type User = z.infer<typeof User>;

/** Every list is `{items, next?: {page}, count?}`; `next` is absent on the last page. */
export function list<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next: z.object({ page: z.string() }).optional(),
    count: z.number().optional(),
  });
}

export const Organization = z.object({
  id: z.string(),
  title: z.string(),
  permissions: z.object({ admin: z.boolean(), listMembers: z.boolean().optional(), listTeams: z.boolean().optional() }),
  urls: z.object({ app: z.string().optional() }).optional(),
});
export type Organization = z.infer<typeof Organization>;

export const OrganizationMember = z.object({
  id: z.string(),
  role: MemberRoleOrGuest,
  user: User,
  disabled: z.boolean(),
  /** Required by the spec: the list carries it, so activity needs no read of its own. */
  joinedAt: z.string(),
  /** Absent for a member never seen active. */
  lastSeenAt: z.string().optional(),
});
export type OrganizationMember = z.infer<typeof OrganizationMember>;

export const Team = z.object({
  id: z.string(),
  title: z.string(),
  members: z.number(),
  permissions: z.object({ admin: z.boolean() }),
});
export type Team = z.infer<typeof Team>;
export const TeamMember = z.object({
  organization: OrganizationMember,
  team: z.object({ role: z.enum(['owner', 'member']) }),
});

export const InviteResult = z.object({
  users: z.array(z.string()),
  invited: z.number(),
  failedSSOEmails: z.array(z.string()).optional(),
});

const ContentPermissions = z.object({ admin: z.boolean() });
const DefaultLevel = z.union([MemberRoleOrGuest, z.literal('inherit')]);
export const Space = z.object({
  id: z.string(),
  title: z.string(),
  defaultLevel: DefaultLevel,
  permissions: ContentPermissions,
  urls: z.object({ app: z.string() }),
});
export const Collection = z.object({
  id: z.string(),
  title: z.string(),
  defaultLevel: DefaultLevel,
  permissions: ContentPermissions,
  urls: z.object({ app: z.string() }),
});
export const Site = z.object({
  id: z.string(),
  title: z.string(),
  defaultLevel: DefaultLevel,
  permissions: ContentPermissions,
  urls: z.object({ app: z.string().optional() }),
});

export const UserPermission = z.object({ permission: MemberRoleOrGuest, user: User });
/** A member's level on one space, from any source (`GET …/members/{userId}/spaces`). */
export const MemberContentPermission = z.object({ permission: MemberRole, space: Space });
/** A team one member belongs to, with their team role (`GET …/members/{userId}/teams`). */
export const MemberTeam = z.object({ team: Team, member: z.object({ role: z.enum(['owner', 'member']) }) });
export const TeamPermission = z.object({ permission: MemberRoleOrGuest, team: Team });

/** 202, 204 and 205 answers carry no body. */
export const NoBody = z.undefined();

/** An invite link: to the organization (role), or to one space or collection (level). */
export const InviteLink = z.object({
  id: z.string(),
  redundant: z.boolean(),
  role: MemberRoleOrGuest.optional(),
  level: MemberRoleOrGuest.optional(),
  space: z.object({ id: z.string(), title: z.string() }).optional(),
  collection: z.object({ id: z.string(), title: z.string() }).optional(),
});
export type InviteLink = z.infer<typeof InviteLink>;

/** Everyone who can access a piece of content, from any source; only sites say where the level comes from (`origin`). */
export const EffectivePermission = z.object({
  permission: MemberRoleOrGuest,
  user: User,
  origin: z
    .object({
      type: z.enum(['space', 'organization', 'site']),
      reason: z.enum(['member', 'team', 'default']).optional(),
      team: z.string().optional(),
      space: z.string().optional(),
    })
    .optional(),
});
export type EffectivePermission = z.infer<typeof EffectivePermission>;
