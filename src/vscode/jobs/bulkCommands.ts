import * as vscode from 'vscode';
import type { Handler } from '../commands/register';
import type { CommandDeps } from '../commands/targets';

export function bulkCommands(deps: CommandDeps): Record<string, Handler> {
  return {
    /** Jobs left unfinished by a reload or a crashed extension host (also offered at startup). */
    'workspaceAccess.bulk.resume': async () => {
      if (deps.jobs.interrupted().length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No interrupted bulk job to resume.'));
        return [];
      }
      await deps.jobs.offerResume();
      return deps.jobs.interrupted();
    },
    'workspaceAccess.bulk.showReport': () => deps.reports.open(),
    'workspaceAccess.bulk.saveReport': (target?: unknown) =>
      deps.reports.saveCsv(undefined, target instanceof vscode.Uri ? target : undefined),
    /** One of the last few reports and records of this window, saved as Markdown or CSV. */
    'workspaceAccess.bulk.saveEarlierReport': (target?: unknown) =>
      deps.reports.saveEarlier(target instanceof vscode.Uri ? target : undefined),
  };
}
