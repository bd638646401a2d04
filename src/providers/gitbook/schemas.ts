import * as z from 'zod';

/** `GET /user` (User). */
export const User = z.object({
  object: z.literal('user'),
  id: z.string(),
  displayName: z.string(),
  email: z.string().optional(),
});
export type User = z.infer<typeof User>;
