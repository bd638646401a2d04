/**
 * The Get Started walkthrough (`contributes.walkthroughs` in package.json): it opens once, on the
 * first run, and each step completes when the user has done it. Connecting and finding a person
 * complete on context keys the extension sets anyway (`workspaceAccess.hasConnections`,
 * `workspaceAccess.hasPeople`); the other steps on the keys set here.
 */
import * as vscode from 'vscode';
import { ACCESS_FILE_GLOB, isAccessFile } from './access/accessFile';
import type { JobRunner } from './jobs/jobRunner';

/** The walkthrough's id in package.json. */
export const WALKTHROUGH_ID = 'getStarted';
/** The global-state key that says the walkthrough was opened once (it never opens by itself again). */
export const WALKTHROUGH_SHOWN_KEY = 'workspaceAccess.walkthroughShown';

/** The steps the extension completes itself, each by the context key `workspaceAccess.walkthrough.<step>`. */
export type WalkthroughStep = 'explored' | 'invited' | 'exported';

/** Opens a walkthrough by its full id: VS Code's command (tests pass their own). */
export type OpenWalkthrough = (id: string) => Thenable<unknown>;
const openWalkthrough: OpenWalkthrough = (id) =>
  vscode.commands.executeCommand('workbench.action.openWalkthrough', id, false);

export class Walkthrough implements vscode.Disposable {
  private readonly done = new Set<WalkthroughStep>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly open: OpenWalkthrough = openWalkthrough,
  ) {}

  /** The walkthrough's full id, as `workbench.action.openWalkthrough` takes it. */
  get id(): string {
    return `${this.context.extension.id}#${WALKTHROUGH_ID}`;
  }

  /** The steps completed in this window so far. */
  completed(): ReadonlySet<WalkthroughStep> {
    return this.done;
  }

  /** Marks a step done: VS Code ticks it (and keeps it ticked) once its context key is true. */
  complete(step: WalkthroughStep): void {
    if (this.done.has(step)) return;
    this.done.add(step);
    void vscode.commands.executeCommand('setContext', `workspaceAccess.walkthrough.${step}`, true);
  }

  /**
   * Watches for what completes the steps: a connection expanded in the tree, an invitation job that
   * ran, an access file in the workspace (exported, which opens it, or written by hand).
   */
  watch(view: () => vscode.TreeView<unknown>, jobs: JobRunner): void {
    const files = vscode.workspace.createFileSystemWatcher(ACCESS_FILE_GLOB, false, true, true);
    this.disposables.push(
      files,
      files.onDidCreate(() => this.complete('exported')),
      vscode.workspace.onDidOpenTextDocument((doc) => isAccessFile(doc) && this.complete('exported')),
      jobs.onDidFinish((job) => {
        if (job.kind === 'invite') this.complete('invited');
      }),
    );
    // The tree view is made just after activation; its first expansion completes "explore".
    setTimeout(() => this.disposables.push(view().onDidExpandElement(() => this.complete('explored'))), 0);
  }

  /** Completes "export" when the workspace already holds an access file (one search, of one file at most). */
  async scan(): Promise<void> {
    const found = await vscode.workspace.findFiles(ACCESS_FILE_GLOB, '**/node_modules/**', 1);
    if (found.length > 0) this.complete('exported');
  }

  /**
   * Opens the walkthrough on the first run, unless the user turned off walkthroughs opening by
   * themselves (`workbench.welcomePage.walkthroughs.openOnInstall`). Returns whether it opened.
   */
  async openOnFirstRun(): Promise<boolean> {
    if (this.context.globalState.get<boolean>(WALKTHROUGH_SHOWN_KEY)) return false;
    await this.context.globalState.update(WALKTHROUGH_SHOWN_KEY, true);
    if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true))
      return false;
    await this.open(this.id);
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
