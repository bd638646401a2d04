/** Changes as the tree's bulk commands make them, for tests and benchmarks that run the one change task directly. */
import type { ChangeItem, ResourceRef } from '../../src/core/changes/change';
import { changeTask, type ChangeTaskOptions } from '../../src/core/changes/task';
import type { BulkTask } from '../../src/core/jobs/bulkTask';
import type { Principal } from '../../src/core/model';
import type { Provider } from '../../src/core/provider';

/** One grant to make or take away. */
export interface AccessItem {
  readonly resource: ResourceRef;
  readonly principal: Principal;
}

/** The connection id of a test's single provider. */
export const ONE = 'test';

export const grantItems = (items: readonly AccessItem[], role: string, connectionId = ONE): ChangeItem[] =>
  items.map(({ resource, principal }) => ({ connectionId, change: { op: 'grant', resource, principal, role } }));

export const revokeItems = (items: readonly AccessItem[], connectionId = ONE): ChangeItem[] =>
  items.map(({ resource, principal }) => ({ connectionId, change: { op: 'revoke', resource, principal } }));

export const inviteItems = (emails: readonly string[], connectionId = ONE, role?: string): ChangeItem[] =>
  emails.map((email) => ({ connectionId, change: { op: 'invite', email, ...(role !== undefined ? { role } : {}) } }));

/** The one change task over a single provider. */
export const taskOf = (provider: Provider, options?: ChangeTaskOptions): BulkTask<ChangeItem> =>
  changeTask(() => provider, options);

/** The grant or revoke an item holds. */
export function accessOf(item: ChangeItem): AccessItem {
  const c = item.change;
  if ((c.op !== 'grant' && c.op !== 'revoke') || c.principal.kind === 'person') throw new Error(`not a grant: ${c.op}`);
  return { resource: c.resource, principal: c.principal };
}

export const emailOf = (item: ChangeItem): string => (item.change.op === 'invite' ? item.change.email : '');
