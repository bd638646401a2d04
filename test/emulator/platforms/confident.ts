import { Router } from '../router';
import type { Seed } from '../seed';
import { header, type PlatformEmulator } from './types';

export interface ConfidentState {
  organization: { id: string; name: string; plan: string; created_at: string };
}

/** Confident AI: raw `CONFIDENT_API_KEY` header, `{success, data}` envelope. Endpoints arrive with the Confident AI issue. */
export function confident(_seed: Seed): PlatformEmulator<{ orgId: string }> & { state: ConfidentState } {
  const state: ConfidentState = {
    organization: { id: 'org_sandbox', name: 'Sandbox Evals', plan: 'ENTERPRISE', created_at: '2026-01-05T09:00:00.000Z' },
  };
  const orgKey = 'confident_us_org_sandbox';
  const ok = (data: unknown) => ({ status: 200, body: { success: true, data, deprecated: false } });
  const router = new Router<{ orgId: string }>();
  router.on('GET', '/v1/organization', () => ok({ organization: state.organization }));
  return {
    id: 'confident',
    prefix: '/confident',
    keys: { admin: orgKey },
    state,
    // Node lower-cases header names; the header is sent as CONFIDENT_API_KEY.
    authenticate: (headers) => (header(headers, 'confident_api_key') === orgKey ? { orgId: state.organization.id } : undefined),
    error: (status, message) => ({ status, body: { success: false, error: message, deprecated: false } }),
    router,
  };
}
