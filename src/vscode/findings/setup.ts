import * as vscode from 'vscode';
import type { PeopleCommandDeps } from '../people/personTargets';
import type { FindingsCommandDeps } from './findingsCommands';
import { FINDINGS_VIEW_ID, FindingsTree } from './findingsView';
import type { FromAccessFiles } from './read';

/**
 * The Needs Attention side of the composition root: the view (collapsed until opened: it reads every
 * connection), read again after every job so that a finding acted on disappears.
 */
export function setUpFindings(
  context: vscode.ExtensionContext,
  deps: PeopleCommandDeps,
  fromFiles?: () => Promise<FromAccessFiles>,
): FindingsCommandDeps {
  const findings = new FindingsTree(deps, fromFiles);
  // Registered just after activation, as the People view is: activation makes no view.
  setTimeout(() => {
    context.subscriptions.push(
      vscode.window.createTreeView(FINDINGS_VIEW_ID, {
        treeDataProvider: findings,
        showCollapseAll: true,
        canSelectMany: true,
      }),
    );
  }, 0);
  context.subscriptions.push(
    findings,
    deps.jobs.onDidFinish(() => findings.refresh()),
  );
  return { ...deps, findings };
}
