import type { ServiceAccount } from '../../core/model';
import type { ServiceAccounts } from '../../core/provider';
import * as api from './client';
import type { ElevenLabsContext } from './context';

/** Service accounts and their API keys (a resource is shared with a service account through a key). */
export function serviceAccountsCapability(ctx: ElevenLabsContext): ServiceAccounts {
  return { list: (signal) => listServiceAccounts(ctx, signal) };
}

export async function listServiceAccounts(ctx: ElevenLabsContext, signal?: AbortSignal): Promise<ServiceAccount[]> {
  const body = await api.listServiceAccounts(ctx.http, signal);
  return body['service-accounts'].map((sa) => ({
    id: sa.service_account_user_id,
    name: sa.name,
    keys: sa['api-keys'].map((k) => ({ id: k.key_id, name: k.name, hint: k.hint, disabled: k.is_disabled ?? false })),
  }));
}
