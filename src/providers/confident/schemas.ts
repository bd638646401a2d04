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
