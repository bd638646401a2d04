import type { RoleInfo } from '../../core/model';
import * as api from './client';
import type { ConfidentContext } from './context';
import type { Role } from './schemas';

/** The preset role that transfers ownership when given (org and project alike). */
export const OWNER = 'Owner';
const PRESETS = new Set(['Owner', 'Admin', 'Member', 'Manager']);

export const toRole = (r: Role & { organizationId?: string | null; projectId?: string | null }): RoleInfo => ({
  id: r.id,
  name: r.name,
  preset: PRESETS.has(r.name),
});

/** The organization's roles, read once per session (Refresh reads them again); a failed read is not kept. */
export function listRoles(ctx: ConfidentContext, signal?: AbortSignal): Promise<RoleInfo[]> {
  ctx.roleCache ??= api.listRoles(ctx.http, signal).then((list) => list.map(toRole));
  return ctx.roleCache.catch((err: unknown) => {
    ctx.roleCache = undefined;
    throw err;
  });
}
