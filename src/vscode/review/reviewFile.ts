/**
 * What the review's side of the editor shares with no import of its own parts: which documents are
 * review files, and what the lazily loaded features are given. A leaf module, so setup (in the
 * main bundle) and the features (their own bundle, dist/review.js) never import each other.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { LiveState, ReadOptions } from '../../core/access/live';
import type { ConnectionSpec } from '../../core/access/spec';
import type { Provider } from '../../core/provider';
import type { AccessDeps } from '../access/accessFile';
import { READ_ONLY_SCHEME } from '../documents';

/** `reviews/2026-q4.access-review.yaml`: any name ending in `.access-review.yaml`. */
export const REVIEW_FILE_GLOB = '**/*.access-review.yaml';

export function isReviewFile(doc: Pick<vscode.TextDocument, 'uri'>): boolean {
  if (doc.uri.scheme === READ_ONLY_SCHEME) return false;
  return path.posix.basename(doc.uri.path).toLowerCase().endsWith('.access-review.yaml');
}

/**
 * What the features bundle takes from the main bundle instead of bundling its own copy: code whose
 * errors are told apart by class (the HTTP client's ApiError, read by readLive) must be the main
 * bundle's, or `instanceof` fails across the two. esbuild.js refuses a review bundle that imports
 * the HTTP client, a provider, or another part of the editor.
 */
export interface ReviewKit {
  readonly readLive: (provider: Provider, spec: ConnectionSpec | undefined, options: ReadOptions) => Promise<LiveState>;
}

export type ReviewDeps = AccessDeps & { readonly kit: ReviewKit };
