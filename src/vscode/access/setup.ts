/**
 * The access file's side of the composition root, kept light: the diagnostics collection, the
 * status bar item, the commands and the editor features are registered here, and each loads the
 * access file module (the YAML library, the schema, the plan) only when a file or a command needs it.
 */
import * as vscode from 'vscode';
import type { Handler } from '../commands/register';
import type { AccessFiles } from './openFiles';
import type { FromAccessFiles } from '../findings/read';
import { ACCESS_FILE_GLOB, isAccessFile, workspaceTrust, type AccessDeps } from './accessFile';

const SELECTOR: vscode.DocumentSelector = [{ pattern: ACCESS_FILE_GLOB }];

export interface AccessSetup {
  readonly commands: Readonly<Record<string, Handler>>;
  /** Reads live again for every open access file (Refresh). */
  refresh(): void;
  /** The loaded module, for tests. */
  files(): Promise<AccessFiles>;
  /** Whether the access file module (and its YAML libraries) is loaded yet. */
  loaded(): boolean;
  /** The open access files' roster and end dates for the Needs Attention view (nothing until one was opened). */
  forFindings(): Promise<FromAccessFiles>;
  /** Whether the folder is trusted (tests, whose editor runs with trust off, switch it). */
  readonly trust: { isTrusted: () => boolean };
}

export function setUpAccess(deps: AccessDeps): AccessSetup {
  const { context } = deps;
  let diagnostics: vscode.DiagnosticCollection | undefined;
  let status: vscode.StatusBarItem | undefined;
  let loaded: Promise<{ files: AccessFiles; module: typeof import('./accessCommands') }> | undefined;
  const load = () =>
    (loaded ??= Promise.all([import('./openFiles'), import('./accessCommands')]).then(([m, commands]) => {
      listen();
      const files = new m.AccessFiles(
        deps,
        diagnostics ?? vscode.languages.createDiagnosticCollection('workspaceAccess'),
        status ?? vscode.window.createStatusBarItem('workspaceAccess.access', vscode.StatusBarAlignment.Left, 50),
      );
      context.subscriptions.push(files);
      return { files, module: commands };
    }));
  const withFiles = (run: (files: AccessFiles) => unknown) =>
    void load()
      .then(({ files }) => run(files))
      .catch((err: unknown) => deps.log.warn(`access file: ${err instanceof Error ? err.message : String(err)}`));
  const isLoaded = () => loaded !== undefined;

  /** The diagnostics, the status bar item, the editor features and the file events: set up once, after activation. */
  let listening = false;
  function listen(): void {
    if (listening) return;
    listening = true;
    diagnostics = vscode.languages.createDiagnosticCollection('workspaceAccess');
    status = vscode.window.createStatusBarItem('workspaceAccess.access', vscode.StatusBarAlignment.Left, 50);
    status.name = vscode.l10n.t('Workspace Access: access file');
    context.subscriptions.push(
      diagnostics,
      status,
      vscode.workspace.onDidOpenTextDocument((doc) => isAccessFile(doc) && withFiles((f) => f.check(doc, true))),
      vscode.workspace.onDidChangeTextDocument(
        (e) => isAccessFile(e.document) && e.contentChanges.length > 0 && withFiles((f) => f.edited(e.document)),
      ),
      vscode.workspace.onDidSaveTextDocument((doc) => isAccessFile(doc) && withFiles((f) => f.check(doc, true))),
      vscode.workspace.onDidCloseTextDocument(
        (doc) => isAccessFile(doc) && isLoaded() && withFiles((f) => f.forget(doc)),
      ),
      deps.store.onDidChange(() => isLoaded() && withFiles((f) => f.recheckAll())),
      deps.jobs.onDidFinish(() => isLoaded() && withFiles((f) => f.recheckAll())),
      // Trusting the folder lets its access files be compared with live.
      vscode.workspace.onDidGrantWorkspaceTrust(() => isLoaded() && withFiles((f) => f.recheckAll())),
      vscode.languages.registerCompletionItemProvider(
        SELECTOR,
        { provideCompletionItems: async (doc, pos) => (await load()).module.complete((await load()).files, doc, pos) },
        ':',
        ' ',
        '-',
      ),
      vscode.languages.registerHoverProvider(SELECTOR, {
        provideHover: async (doc, pos) => (await load()).module.hover((await load()).files, doc, pos),
      }),
      vscode.languages.registerCodeActionsProvider(
        SELECTOR,
        {
          provideCodeActions: async (doc, _range, ctx) =>
            (await load()).module.codeActions((await load()).files, doc, ctx),
        },
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
    );
    // The access files already open are checked once.
    for (const doc of vscode.workspace.textDocuments) if (isAccessFile(doc)) withFiles((f) => f.check(doc, true));
  }
  // Nothing of this is needed before the window has settled: activation stays short.
  setTimeout(listen, 0);

  const command =
    (name: 'exportAccess' | 'planCommand' | 'applyCommand' | 'acceptLive') =>
    async (...args: unknown[]) => {
      const { files, module } = await load();
      const run = module[name] as (files: AccessFiles, ...rest: unknown[]) => Promise<unknown>;
      return run(files, ...args);
    };
  return {
    trust: workspaceTrust,
    commands: {
      'workspaceAccess.access.export': command('exportAccess'),
      'workspaceAccess.access.plan': command('planCommand'),
      'workspaceAccess.access.apply': command('applyCommand'),
      'workspaceAccess.access.acceptLive': command('acceptLive'),
    },
    refresh: () => isLoaded() && withFiles((f) => f.recheckAll()),
    files: async () => (await load()).files,
    forFindings: async () => (isLoaded() ? (await load()).files.forFindings() : { endDates: [] }),
    loaded: isLoaded,
  };
}
