import { Router } from '../router';
import { serialId, type Seed } from '../seed';
import { header, type PlatformEmulator } from './types';

export interface GitBookUser {
  id: string;
  displayName: string;
  email: string;
}

export interface GitBookState {
  users: GitBookUser[];
  org: { id: string; title: string };
}

/** GitBook: `Authorization: Bearer`, `{error:{code,message}}`. The endpoints arrive with the GitBook issue. */
export function gitbook(seed: Seed, origin: () => string): PlatformEmulator<GitBookUser> & { state: GitBookState } {
  const state: GitBookState = {
    users: seed.people.map((p, i) => ({ id: serialId('gbu', i), displayName: `${p.firstName} ${p.lastName}`, email: p.email })),
    org: { id: 'org_sandbox', title: 'Sandbox Docs' },
  };
  const adminToken = 'gb-sandbox-admin';
  const router = new Router<GitBookUser>();
  router.on('GET', '/v1/user', (_req, me) => ({
    status: 200,
    body: { object: 'user', id: me.id, displayName: me.displayName, email: me.email, urls: { location: `${origin()}/gitbook/v1/users/${me.id}` } },
  }));
  return {
    id: 'gitbook',
    prefix: '/gitbook',
    keys: { admin: adminToken },
    state,
    authenticate: (headers) => {
      const m = /^Bearer\s+(.+)$/i.exec(header(headers, 'authorization') ?? '');
      return m?.[1] === adminToken ? state.users[0] : undefined;
    },
    error: (status, message) => ({ status, body: { error: { code: status, message } } }),
    router,
  };
}
