import type { Member } from '../../core/model';
import { slicePages } from '../../core/paging';
import type { Members } from '../../core/provider';
import { activityCapability } from './activity';
import * as api from './client';
import type { ElevenLabsContext } from './context';
import { SEAT_CHOICES, SEAT_LABELS } from './roles';
import type { SeatType, WorkspaceMember } from './schemas';

function toMember(m: WorkspaceMember): Member {
  return {
    id: m.user_id,
    email: m.email,
    name: m.first_name || m.email,
    role: m.seat_type ?? undefined,
    roleLabel: m.seat_type ? SEAT_LABELS[m.seat_type] : undefined,
    locked: m.is_locked,
    owner: m.is_owner,
  };
}

/** The workspace's members, read whole (pages are cut from it): their seat type, and locking. */
export function membersCapability(ctx: ElevenLabsContext): Members {
  return {
    list: (signal) => listMembers(ctx, signal),
    page: slicePages((signal) => listMembers(ctx, signal)),
    roles: {
      kind: 'seat',
      choices: () => Promise.resolve([...SEAT_CHOICES]),
      ranked: true,
      set: (member, seat, signal) => setSeatType(ctx, member.email, seat, signal),
    },
    setLocked: (member, locked, signal) => setLocked(ctx, member.email, locked, signal),
    reachesEverything: (member) => (member.role === 'workspace_admin' ? SEAT_LABELS.workspace_admin : undefined),
    activity: activityCapability(ctx),
  };
}

export async function listMembers(ctx: ElevenLabsContext, signal?: AbortSignal): Promise<Member[]> {
  return (await api.listMembers(ctx.http, signal)).map(toMember);
}

export function setSeatType(
  ctx: ElevenLabsContext,
  email: string,
  seat: string,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.updateMember(ctx.http, { email, workspace_seat_type: seat as SeatType }, signal);
}

export function setLocked(
  ctx: ElevenLabsContext,
  email: string,
  locked: boolean,
  signal?: AbortSignal,
): Promise<unknown> {
  return api.updateMember(ctx.http, { email, is_locked: locked }, signal);
}
