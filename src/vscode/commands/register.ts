import * as vscode from 'vscode';
import { ApiError, isCancelled } from '../../core/http/errors';
import type { Log } from '../outputLog';
import { UserCancelled } from '../prompts';
import { MissingKeyError } from '../sessions';

export type Handler = (...args: unknown[]) => unknown;

/**
 * Registers every command through one wrapper: errors are logged and shown once, with "Show Log"
 * (or "Update API Key" when the key was refused); a cancelled prompt or request stays quiet.
 */
export function registerCommands(context: vscode.ExtensionContext, log: Log, handlers: Readonly<Record<string, Handler>>): void {
  for (const [id, handler] of Object.entries(handlers)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          report(log, id, err);
          return undefined;
        }
      }),
    );
  }
}

export function report(log: Log, commandId: string, err: unknown): void {
  if (err instanceof UserCancelled || isCancelled(err)) {
    log.debug(`${commandId}: cancelled`);
    return;
  }
  const message = log.redact(err instanceof Error ? err.message : String(err));
  log.error(`${commandId}: ${message}${err instanceof Error && !(err instanceof ApiError) && err.stack ? `\n${err.stack}` : ''}`);
  const needsKey = (err instanceof ApiError && err.isAuthError) || err instanceof MissingKeyError;
  const action = needsKey ? vscode.l10n.t('Update API Key') : vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(message, action).then((picked) => {
    if (picked === undefined) return;
    void vscode.commands.executeCommand(needsKey ? 'workspaceAccess.connection.updateKey' : 'workspaceAccess.log.show');
  });
}
