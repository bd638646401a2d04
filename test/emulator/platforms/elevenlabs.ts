import { Router } from '../router';
import { serialId, type Seed } from '../seed';
import { header, type PlatformEmulator } from './types';

export type SeatType = 'workspace_admin' | 'workspace_member' | 'workspace_lite_member';

export interface ElevenLabsMember {
  user_id: string;
  email: string;
  first_name: string | null;
  seat_type: SeatType | null;
  is_owner: boolean;
  is_locked: boolean;
}

export interface ElevenLabsGroup {
  id: string;
  name: string;
  /** Member emails. */
  members: string[];
}

export interface ElevenLabsState {
  members: ElevenLabsMember[];
  groups: ElevenLabsGroup[];
}

function buildState(seed: Seed): ElevenLabsState {
  const members = seed.people.map((p, i): ElevenLabsMember => ({
    user_id: serialId('usr', i),
    email: p.email,
    first_name: p.firstName,
    seat_type: i === 0 || i % 10 === 1 ? 'workspace_admin' : i % 5 === 4 ? 'workspace_lite_member' : 'workspace_member',
    is_owner: i === 0,
    is_locked: i % 11 === 7,
  }));
  const groups: ElevenLabsGroup[] = [
    { id: 'grp_everyone', name: 'Everyone', members: members.map((m) => m.email) },
    ...seed.groups.map((g) => ({ id: serialId('grp', g.n), name: g.name, members: g.memberIndexes.map((i) => members[i].email) })),
  ];
  return { members, groups };
}

function errorBody(status: number, message: string, code?: string) {
  return status === 422
    ? { status, body: { detail: [{ loc: ['body'], msg: message, type: code ?? 'value_error' }] } }
    : { status, body: { detail: { status: code ?? (status === 401 ? 'invalid_api_key' : 'error'), message } } };
}

/** ElevenLabs: `xi-api-key`, FastAPI errors. The endpoints arrive with the ElevenLabs issue. */
export function elevenlabs(seed: Seed): PlatformEmulator<ElevenLabsMember> & { state: ElevenLabsState } {
  const state = buildState(seed);
  const adminKey = 'el-sandbox-admin';
  const memberKey = 'el-sandbox-member';
  const keyOwner = (key: string | undefined) => {
    if (key === adminKey) return state.members[0];
    if (key === memberKey) return state.members.find((m) => m.seat_type === 'workspace_member' && !m.is_locked);
    return undefined;
  };
  const router = new Router<ElevenLabsMember>();
  router.on('GET', '/v1/user', (_req, me) => ({
    status: 200,
    body: {
      user_id: me.user_id,
      first_name: me.first_name,
      is_new_user: false,
      can_use_delayed_payment_methods: false,
      is_onboarding_completed: true,
      is_onboarding_checklist_completed: true,
      created_at: 1_700_000_000,
      seat_type: me.seat_type ?? 'workspace_member',
      subscription: {
        tier: 'enterprise', character_count: 0, character_limit: 1_000_000, max_character_limit_extension: null,
        max_credit_limit_extension: 0, can_extend_character_limit: false, allowed_to_extend_character_limit: false,
        voice_slots_used: 0, professional_voice_slots_used: 0, professional_voice_slots_used_in_workspace: 0,
        voice_limit: 660, voice_add_edit_counter: 0, professional_voice_limit: 2, can_extend_voice_limit: false,
        can_use_instant_voice_cloning: true, can_use_professional_voice_cloning: true,
        current_overage: { amount: '0', currency: 'usd' }, status: 'active',
      },
    },
  }));
  const SEATS: readonly SeatType[] = ['workspace_admin', 'workspace_member', 'workspace_lite_member'];
  const fail = (status: number, message: string, code?: string) => errorBody(status, message, code);
  router.on('POST', '/v1/workspace/members', (req, me) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.email !== 'string') return { status: 422, body: { detail: [{ loc: ['body', 'email'], msg: 'Field required', type: 'missing' }] } };
    const seat = body.workspace_seat_type ?? body.workspace_role;
    if (seat !== undefined && seat !== null && !SEATS.includes(seat as SeatType)) {
      return { status: 422, body: { detail: [{ loc: ['body', 'workspace_seat_type'], msg: `Input should be ${SEATS.map((s) => `'${s}'`).join(', ')}`, type: 'enum' }] } };
    }
    if (body.is_locked !== undefined && body.is_locked !== null && typeof body.is_locked !== 'boolean') {
      return { status: 422, body: { detail: [{ loc: ['body', 'is_locked'], msg: 'Input should be a valid boolean', type: 'bool_type' }] } };
    }
    if (me.seat_type !== 'workspace_admin') return fail(403, 'Only workspace admins can update members.', 'permission_denied');
    const email = body.email.toLowerCase();
    const member = state.members.find((m) => m.email.toLowerCase() === email);
    if (!member) return fail(404, `No workspace member with email ${body.email}.`, 'member_not_found');
    if (seat) member.seat_type = seat as SeatType;
    if (typeof body.is_locked === 'boolean') member.is_locked = body.is_locked;
    return { status: 200, body: { status: 'ok' } };
  });
  return {
    id: 'elevenlabs',
    prefix: '/elevenlabs',
    keys: { admin: adminKey, member: memberKey },
    state,
    authenticate: (headers) => keyOwner(header(headers, 'xi-api-key')),
    error: errorBody,
    router,
  };
}
