/**
 * The access review's side of the composition root, kept light: the commands' ids and the editor
 * features for review files are registered here, and everything they do lives in ./features, a
 * bundle of its own (dist/review.js) loaded the first time a review file is opened or a review
 * command runs. Activation never loads it, and the main bundle stays within its budget.
 */
import * as vscode from 'vscode';
import { readLive } from '../../core/access/live';
import { PLATFORMS, isPlatformId } from '../../providers';
import { refuseUntrusted, workspaceTrust } from '../access/accessFile';
import { ACROSS } from '../jobs/jobRunner';
import { confirm, confirmByTyping, UserCancelled } from '../prompts';
import { findingsSettings, maxConcurrency } from '../settings';
import type { Handler } from '../commands/register';
import type { AccessDeps } from '../access/accessFile';
import { isReviewFile, REVIEW_FILE_GLOB, type ReviewDeps } from './reviewFile';
import type { ReviewFeatures } from './features';
import { lazyLenses } from './lazyLenses';

const SELECTOR: vscode.DocumentSelector = [{ pattern: REVIEW_FILE_GLOB }];

/** The review commands, each run by the features module: palette, view title, CodeLens. */
export const REVIEW_COMMANDS = {
  'workspaceAccess.review.start': 'start',
  'workspaceAccess.review.close': 'close',
  'workspaceAccess.review.verify': 'verify',
  'workspaceAccess.review.signOff': 'signOff',
  'workspaceAccess.review.decide': 'decide',
} as const satisfies Record<string, keyof ReviewFeatures['commands']>;

export interface ReviewSetup {
  readonly commands: Readonly<Record<string, Handler>>;
  /** The loaded features, for tests. */
  features(): Promise<ReviewFeatures>;
  /** Whether the features bundle is loaded yet. */
  loaded(): boolean;
}

/**
 * What the features take from the main bundle. Loaded with them, not at activation: the close and
 * evidence core reads YAML (js-yaml, a file of its own) and the findings read the roster.
 */
async function reviewDeps(deps: AccessDeps): Promise<ReviewDeps> {
  const [findingsRead, progress] = await Promise.all([import('../findings/read'), import('../jobs/progress')]);
  return {
    ...deps,
    kit: {
      readLive,
      cancelled: () => new UserCancelled(),
      refuseUntrusted,
      trusted: () => workspaceTrust.isTrusted(),
      withProgress: progress.withJobProgress,
      confirm,
      confirmByTyping,
      platformLabel: (p) => (isPlatformId(p) ? PLATFORMS[p].label : p),
      concurrency: maxConcurrency,
      across: ACROSS,
      findings: async (signal) => {
        if (!findingsSettings().roster.trim()) return undefined;
        const read = await findingsRead.readFindings(deps, undefined, signal);
        return { findings: read.findings, roster: { people: read.roster.people, error: read.roster.error } };
      },
      rosterSet: () => !!findingsSettings().roster.trim(),
    },
  };
}

export function setUpReview(deps: AccessDeps): ReviewSetup {
  const { context } = deps;
  let loaded: Promise<ReviewFeatures> | undefined;
  const load = () =>
    (loaded ??= reviewDeps(deps).then((full) => {
      // A require, not import(): esbuild keeps it a plain require of dist/review.js beside this bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require('./features') as typeof import('./features');
      const features = m.createReviewFeatures(full);
      context.subscriptions.push(features);
      return features;
    }));
  const isLoaded = () => loaded !== undefined;
  const withFeatures = (run: (f: ReviewFeatures) => unknown) =>
    void load()
      .then(run)
      .catch((err: unknown) => deps.log.warn(`access review: ${err instanceof Error ? err.message : String(err)}`));

  function listen(): void {
    const lenses = lazyLenses(load);
    context.subscriptions.push(
      lenses,
      vscode.workspace.onDidOpenTextDocument((doc) => isReviewFile(doc) && withFeatures((f) => f.check(doc))),
      vscode.workspace.onDidChangeTextDocument(
        (e) => isReviewFile(e.document) && e.contentChanges.length > 0 && withFeatures((f) => f.edited(e.document)),
      ),
      vscode.workspace.onDidCloseTextDocument(
        (doc) => isReviewFile(doc) && isLoaded() && withFeatures((f) => f.forget(doc)),
      ),
      vscode.window.onDidChangeActiveTextEditor(() => isLoaded() && withFeatures((f) => f.showStatus())),
      vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
      vscode.languages.registerCompletionItemProvider(
        SELECTOR,
        { provideCompletionItems: async (doc, pos) => (await load()).complete(doc, pos) },
        ':',
        ' ',
      ),
      vscode.languages.registerHoverProvider(SELECTOR, {
        provideHover: async (doc, pos) => (await load()).hover(doc, pos),
      }),
    );
    for (const doc of vscode.workspace.textDocuments) if (isReviewFile(doc)) withFeatures((f) => f.check(doc));
  }
  setTimeout(listen, 0);

  const commands: Record<string, Handler> = {};
  for (const [id, name] of Object.entries(REVIEW_COMMANDS))
    commands[id] = async (...args: unknown[]) => {
      const { commands: all } = await load();
      return (all[name] as (...rest: unknown[]) => Promise<unknown>).apply(all, args);
    };
  return { commands, features: load, loaded: isLoaded };
}
