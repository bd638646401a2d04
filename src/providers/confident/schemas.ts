import * as z from 'zod';

/**
 * Wire models of the Confident AI API (the docs' OpenAPI source, 2026-07-27): only the fields the
 * extension reads, each optional where the spec leaves it optional. Unknown fields are ignored.
 */

/**
 * A 200 whose `success` is false (the spec allows any boolean): the platform refused, saying why in
 * `error` (the docs' envelope) or `message` (the spec's ErrorResponse). The client fails the call
 * with that text (`refused` below); nothing else of it is read.
 */
const Refusal = z.object({ success: z.literal(false) });

/** Every Confident AI answer is `{success: true, data, deprecated, link?}`, or a refusal. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('success', [
    z.object({ success: z.literal(true), data, deprecated: z.boolean().optional(), link: z.string().optional() }),
    Refusal,
  ]);
}

/** Whether a parsed answer is a refusal: the HTTP client then fails the call with the platform's message. */
export const refused = (body: { readonly success: boolean }): boolean => !body.success;

export const Organization = z.object({
  id: z.string(),
  name: z.string(),
  plan: z.string(),
  created_at: z.string(),
});
export type Organization = z.infer<typeof Organization>;

const NamedRef = z.object({ id: z.string(), name: z.string() });

/** Role ids are UUIDs; a null organizationId / projectId marks a global (preset) role. */
export const Role = z.object({ id: z.string(), name: z.string(), description: z.string().nullish() });
export type Role = z.infer<typeof Role>;

export const Member = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullish(),
  organizationRole: NamedRef.nullish(),
});
export type Member = z.infer<typeof Member>;
export const ProjectMember = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullish(),
  projectRole: NamedRef.nullish(),
});
export type ProjectMember = z.infer<typeof ProjectMember>;

/** Invitation ids are integers. */
export const Invitation = z.object({
  id: z.number(),
  email: z.string(),
  status: z.enum(['PENDING', 'ACCEPTED', 'DECLINED']),
  /** Required by the spec; optional here so an invitation without it is still listed (without its age). */
  created_at: z.string().optional(),
  organizationRoleId: z.string().nullish(),
});
export type Invitation = z.infer<typeof Invitation>;
export const ProjectInvitation = z.object({
  id: z.number(),
  email: z.string(),
  status: z.enum(['PENDING', 'ACCEPTED', 'DECLINED']),
  created_at: z.string().optional(),
  projectRoleId: z.string().nullish(),
});
export type ProjectInvitation = z.infer<typeof ProjectInvitation>;

/** The spec requires no field of a project: one without an id cannot be acted on (the provider skips it). */
export const Project = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().nullish(),
});
export type Project = z.infer<typeof Project>;

// The `data` of each answer. The spec leaves every field of these optional but `invitation`.

export const OrganizationData = z.object({ organization: Organization.optional() });
export const RolesData = z.object({ roles: z.array(Role).optional() });
/** `total` is how many the whole list holds; without it, pages are read until a short one. */
export const MembersData = z.object({ members: z.array(Member).optional(), total: z.number().optional() });
export const ProjectMembersData = z.object({
  members: z.array(ProjectMember).optional(),
  total: z.number().optional(),
});
export const MemberData = z.object({ member: Member.optional() });
export const ProjectMemberData = z.object({ member: ProjectMember.optional() });
/** `removed: false`: there was no one to remove. */
export const RemovedData = z.object({ id: z.string().optional(), removed: z.boolean().optional() });
export const InvitationsData = z.object({ invitations: z.array(Invitation).optional() });
export const ProjectInvitationsData = z.object({ invitations: z.array(ProjectInvitation).optional() });
export const InvitationData = z.object({ invitation: Invitation });
export const ProjectInvitationData = z.object({ invitation: ProjectInvitation });
/** `deleted: false`: there was no invitation to revoke. */
export const DeletedData = z.object({ id: z.number().optional(), deleted: z.boolean().optional() });
export const ProjectsData = z.object({ projects: z.array(Project).optional() });
