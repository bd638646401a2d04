/**
 * Deciding from CodeLens: keep all, revoke all, or one item's keep, revoke or lower role, written
 * into the file as the person would type it (a reason asked for anything but keep).
 */
import type { ReviewDocuments } from './documents';

export function decideCommand(_documents: ReviewDocuments, ..._args: unknown[]): Promise<unknown> {
  return Promise.reject(new Error('Not available yet.'));
}
