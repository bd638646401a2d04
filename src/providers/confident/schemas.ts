import * as z from 'zod';

/** Every Confident AI success body is `{success: true, data, deprecated, link?}`. Unknown fields are ignored. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data, deprecated: z.boolean().optional(), link: z.string().optional() });
}

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
  organizationRoleId: z.string().nullish(),
});
export type Invitation = z.infer<typeof Invitation>;
export const ProjectInvitation = z.object({
  id: z.number(),
  email: z.string(),
  status: z.enum(['PENDING', 'ACCEPTED', 'DECLINED']),
  projectRoleId: z.string().nullish(),
});
export type ProjectInvitation = z.infer<typeof ProjectInvitation>;

export const Project = z.object({ id: z.string(), name: z.string(), description: z.string().nullish() });
export type Project = z.infer<typeof Project>;
