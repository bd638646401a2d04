import * as vscode from 'vscode';
import { PLATFORMS } from '../../providers';
import type { Handler } from '../commands/register';
import { UserCancelled } from '../prompts';
import { copyAccess } from './copyAccessCommand';
import { applyFollowUps, dismissFollowUps } from './followUpCommands';
import { needsIndex } from './indexStore';
import { PersonConnectionNode, PersonNode } from './nodes/personNodes';
import { offboard } from './offboardCommand';
import { askPerson, emailOf, openPerson, type PeopleCommandDeps } from './personTargets';

/** The People commands (`workspaceAccess.person.*`); each flow lives in its own module. */
export function peopleCommands(deps: PeopleCommandDeps): Record<string, Handler> {
  return {
    'workspaceAccess.person.find': async () => openPerson(deps, await askPerson(deps, vscode.l10n.t('Find Person…'))),
    'workspaceAccess.person.show': async (node?: unknown) => {
      const email = emailOf(node);
      if (!email) return openPerson(deps, await askPerson(deps, vscode.l10n.t('Show Person Across Connections')));
      return openPerson(deps, email);
    },
    'workspaceAccess.person.close': async (node?: unknown) => {
      const open = deps.people.list();
      if (node instanceof PersonNode) return deps.people.close(node);
      if (open.length === 0)
        return vscode.window.showInformationMessage(vscode.l10n.t('No person is open in the People view.'));
      const picked = await vscode.window.showQuickPick(
        open.map((p) => ({ label: p.person.name ?? p.person.email, description: p.person.email, p })),
        { title: vscode.l10n.t('Close Person'), canPickMany: true, ignoreFocusOut: true },
      );
      if (!picked?.length) throw new UserCancelled();
      for (const x of picked) deps.people.close(x.p);
      return undefined;
    },
    'workspaceAccess.person.refresh': async (node?: unknown) => {
      for (const c of deps.store.list()) deps.sessions.provider(c).invalidate();
      deps.people.refresh(node instanceof PersonNode ? node : undefined);
      await applyFollowUps(deps);
    },
    'workspaceAccess.person.offboard': (node?: unknown) => offboard(deps, node),
    'workspaceAccess.person.copyAccess': (node?: unknown) => copyAccess(deps, node),
    'workspaceAccess.person.buildIndex': async (node?: unknown) => {
      const capable = deps.store.list().filter((c) => needsIndex(deps.sessions.provider(c)));
      if (capable.length === 0)
        throw new Error(
          vscode.l10n.t('No connection needs an access index: every platform here says per member what they reach.'),
        );
      let connection =
        node instanceof PersonConnectionNode ? node.connection : capable.length === 1 ? capable[0] : undefined;
      if (!connection) {
        const picked = await vscode.window.showQuickPick(
          capable.map((c) => ({ label: c.label, description: PLATFORMS[c.platform].label, c })),
          { title: vscode.l10n.t('Build the access index of…'), ignoreFocusOut: true },
        );
        if (!picked) throw new UserCancelled();
        connection = picked.c;
      }
      await deps.indexes.build(connection);
      return deps.indexes.get(connection.id)?.size;
    },
    'workspaceAccess.person.dismissFollowUp': (node?: unknown, selected?: unknown) =>
      dismissFollowUps(deps, node, selected),
  };
}
