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
import type { Finding } from '../../core/roster/findings';
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
  /** The error a closed prompt throws: the command wrapper stays quiet for it (prompts.ts UserCancelled). */
  readonly cancelled: () => Error;
  /** Throws the Restricted Mode refusal for `what` when the folder is not trusted (accessFile.ts). */
  readonly refuseUntrusted: (what: string) => void;
  /** Whether the folder is trusted: git runs in it only then (a repository's own config can run commands). */
  readonly trusted: () => boolean;
  /** A cancellable notification counting settled reads (jobs/progress.ts). */
  readonly withProgress: <R>(
    title: string,
    run: (signal: AbortSignal, onSettled: (n: number, total: number) => void) => Promise<R>,
  ) => Thenable<R>;
  /** A modal that resolves only on `action`; a typed confirmation (prompts.ts). */
  readonly confirm: (message: string, detail: string, action: string) => Promise<void>;
  readonly confirmByTyping: (title: string, warning: string, expected: string) => Promise<void>;
  /** A platform's name in words ("ElevenLabs"). */
  readonly platformLabel: (platform: string) => string;
  /** Requests in flight per connection (the setting). */
  readonly concurrency: () => number;
  /** The job connection for items that each name their own (jobRunner.ts ACROSS). */
  readonly across: typeof ACROSS_ID;
  /**
   * The findings of every connection with the roster the settings name, or undefined when no roster
   * is set (the people view's roster and findings, read afresh).
   */
  readonly findings: (signal: AbortSignal) => Promise<ReviewFindings | undefined>;
  /** Whether the settings name a roster (findings read one only then). */
  readonly rosterSet: () => boolean;
}

export const ACROSS_ID = '*';

export interface ReviewFindings {
  readonly findings: readonly Finding[];
  /** The roster's people, or why it could not be read. */
  readonly roster: { readonly people?: number; readonly error?: string };
}

export type ReviewDeps = AccessDeps & { readonly kit: ReviewKit };
