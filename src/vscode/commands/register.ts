import * as vscode from 'vscode';
import { ApiError, isCancelled } from '../../core/http/errors';
import type { Log } from '../outputLog';
import { UserCancelled } from '../prompts';
import { MissingKeyError } from '../sessions';

export type Handler = (...args: unknown[]) => unknown;

/** The command ids the manifest contributes: what VS Code may run. */
export function contributedCommands(context: vscode.ExtensionContext): string[] {
  const manifest = context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
  return (manifest.contributes?.commands ?? []).map((c) => c.command);
}

/**
 * Registers every command through one wrapper: errors are logged and shown once, with "Show Log"
 * (or "Update API Key" when the key was refused); a cancelled prompt or request stays quiet. The
 * handlers are made by `build` the first time any command runs, so activation only registers ids.
 */
export function registerCommands(
  context: vscode.ExtensionContext,
  log: Log,
  ids: readonly string[],
  build: () => Readonly<Record<string, Handler>>,
): () => Readonly<Record<string, Handler>> {
  let handlers: Readonly<Record<string, Handler>> | undefined;
  const get = () => (handlers ??= build());
  for (const id of ids) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          const handler = get()[id];
          if (!handler) throw new Error(vscode.l10n.t('This version of Workspace Access has no "{0}" command.', id));
          return await handler(...args);
        } catch (err) {
          report(log, id, err);
          return undefined;
        }
      }),
    );
  }
  return get;
}

export function report(log: Log, commandId: string, err: unknown): void {
  if (err instanceof UserCancelled || isCancelled(err)) {
    log.debug(`${commandId}: cancelled`);
    return;
  }
  const message = log.redact(err instanceof Error ? err.message : String(err));
  log.error(
    `${commandId}: ${message}${err instanceof Error && !(err instanceof ApiError) && err.stack ? `\n${err.stack}` : ''}`,
  );
  const needsKey = (err instanceof ApiError && err.isAuthError) || err instanceof MissingKeyError;
  const action = needsKey ? vscode.l10n.t('Update API Key') : vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(message, action).then((picked) => {
    if (picked === undefined) return;
    void vscode.commands.executeCommand(needsKey ? 'workspaceAccess.connection.updateKey' : 'workspaceAccess.log.show');
  });
}
