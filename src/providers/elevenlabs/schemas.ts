import * as z from 'zod';

export const SeatType = z.enum(['workspace_admin', 'workspace_member', 'workspace_lite_member']);
export type SeatType = z.infer<typeof SeatType>;

/** `GET /v1/user` (UserResponseModel): only the fields the extension reads. */
export const User = z.object({
  user_id: z.string(),
  first_name: z.string().nullish(),
  seat_type: SeatType,
  subscription: z.object({ tier: z.string() }),
});
export type User = z.infer<typeof User>;
