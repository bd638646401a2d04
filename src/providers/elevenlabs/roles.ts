import { RoleLadder } from '../../core/model';
import { SEAT_TYPES, type SeatType } from './schemas';

export const SEAT_LABELS: Readonly<Record<SeatType, string>> = {
  workspace_admin: 'Workspace admin',
  workspace_member: 'Member',
  workspace_lite_member: 'Lite member',
};

/** The seat types a member can be given, with their labels. */
export const SEAT_CHOICES: readonly { readonly id: SeatType; readonly label: string }[] = SEAT_TYPES.map((id) => ({
  id,
  label: SEAT_LABELS[id],
}));

export const SHARE_ROLES = new RoleLadder(['admin', 'editor', 'commenter', 'viewer']);
