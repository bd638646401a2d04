/**
 * A removal's outcome in words, the one set of these texts for every front end (the extension's
 * reports, the command line's): done now (a note only where "done" says too little), there was
 * nothing to remove, or a request sent to the admins (GitBook 202).
 */
import type { BulkTask } from '../jobs/engine';

/** What was removed: a member, something deleted (a team, a link), a project member, an invitation. */
export type RemovalKind = 'member' | 'deletion' | 'projectMember' | 'invitation' | 'grant';

export function removalNote(outcome: unknown, kind: RemovalKind): string | undefined {
  if (outcome === 'requested') return 'request sent to the admins';
  if (outcome === 'not-there') {
    if (kind === 'member') return 'was not a member';
    if (kind === 'projectMember') return 'was not a member of the project';
    if (kind === 'invitation') return 'was no longer pending';
    if (kind === 'grant') return 'had no access';
    return 'was already gone';
  }
  if (outcome === 'removed' && kind === 'member') return 'removed';
  if (outcome === 'removed' && kind === 'deletion') return 'deleted';
  return undefined;
}

/** A task whose notes are removal outcomes, with them in words; `kind` may depend on the item. */
export function worded<T>(task: BulkTask<T>, kind: RemovalKind | ((item: T) => RemovalKind)): BulkTask<unknown> {
  const t = task as BulkTask<unknown>;
  return { ...t, run: async (item, signal) => removalNote(await t.run(item, signal), typeof kind === 'function' ? kind(item as T) : kind) };
}
