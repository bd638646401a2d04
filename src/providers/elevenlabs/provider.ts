import type { HttpClient } from '../../core/http/client';
import type { Identity, Provider } from '../../core/provider';
import { getUser } from './client';
import type { SeatType } from './schemas';

export const SEAT_LABELS: Readonly<Record<SeatType, string>> = {
  workspace_admin: 'Workspace admin',
  workspace_member: 'Member',
  workspace_lite_member: 'Lite member',
};

export class ElevenLabsProvider implements Provider {
  readonly platform = 'elevenlabs';

  constructor(private readonly http: HttpClient) {}

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    const user = await getUser(this.http, signal);
    return {
      name: user.first_name || user.user_id,
      detail: `${SEAT_LABELS[user.seat_type]} · ${user.subscription.tier}`,
      isAdmin: user.seat_type === 'workspace_admin',
    };
  }
}
