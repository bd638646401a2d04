import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/targets';
import { touchedResources } from '../jobs/jobRunner';
import { FollowUps } from './followUps';
import { AccessIndexes, needsIndex } from './indexStore';
import type { PeopleCommandDeps } from './personTargets';
import { PEOPLE_VIEW_ID, PeopleTree } from './peopleView';

/**
 * The People side of the composition root: the access indexes, the follow-ups, the People view
 * (its rows' commands refresh it, not the Connections tree), and what a finished job changes there.
 */
export function setUpPeople(context: vscode.ExtensionContext, deps: CommandDeps): PeopleCommandDeps {
  const { store, sessions, log, tree, jobs } = deps;
  const indexes = new AccessIndexes(context.globalStorageUri, store, sessions, log);
  const followUps = new FollowUps(context.globalStorageUri, store, sessions, log);
  const people = new PeopleTree({ store, sessions, indexes, followUps });
  tree.share(people);
  // The People view is registered just after activation, or at once when a command needs it.
  let view: vscode.TreeView<unknown> | undefined;
  const peopleView = (): vscode.TreeView<unknown> => {
    if (!view) {
      view = vscode.window.createTreeView(PEOPLE_VIEW_ID, {
        treeDataProvider: people,
        showCollapseAll: true,
        canSelectMany: true,
      });
      context.subscriptions.push(view);
    }
    return view;
  };
  setTimeout(peopleView, 0);
  context.subscriptions.push(
    indexes,
    followUps,
    people,
    jobs.onDidFinish((job) => {
      // The index stays true for what the extension itself changed; the people are read again.
      for (const [connectionId, resources] of touchedResources(job)) {
        const connection = store.get(connectionId);
        if (connection && needsIndex(sessions.provider(connection)))
          void indexes.refreshResources(connectionId, resources);
      }
      people.refresh();
    }),
  );
  return { ...deps, people, indexes, followUps, peopleView };
}
