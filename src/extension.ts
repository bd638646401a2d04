import * as vscode from 'vscode';
import { Transport, undiciState } from './core/http/transport';
import { bulkCommands } from './vscode/jobs/bulkCommands';
import { commonCommands } from './vscode/commands/itemCommands';
import { inviteCommands } from './vscode/commands/memberInviteCommands';
import { READ_ONLY_SCHEME, ReadOnlyDocuments } from './vscode/documents';
import { connectionCommands } from './vscode/commands/connectionCommands';
import { grantCommands } from './vscode/commands/grantCommands';
import { groupCommands } from './vscode/commands/groupCommands';
import { invitationCommands } from './vscode/commands/invitationCommands';
import { projectCommands } from './vscode/commands/projectCommands';
import { inviteLinkCommands } from './vscode/commands/inviteLinkCommands';
import { memberCommands } from './vscode/commands/memberCommands';
import { principalCommands } from './vscode/commands/principalCommands';
import { contributedCommands, registerCommands, report, type Handler } from './vscode/commands/register';
import { resourceCommands, ShareDragAndDrop } from './vscode/commands/resourceCommands';
import { viewCommands } from './vscode/commands/viewCommands';
import { ConnectionStore } from './vscode/connectionStore';
import { JobRunner } from './vscode/jobs/jobRunner';
import { Log } from './vscode/outputLog';
import { Reports } from './vscode/jobs/reports';
import { connectSandbox } from './vscode/sandbox';
import { Sessions } from './vscode/sessions';
import { affectsClients, affectsTransport, transportOptions } from './vscode/settings';
import { ConnectionsTree, VIEW_ID } from './vscode/tree/connectionsTree';
import { ExpandedState } from './vscode/tree/expanded';
import type { FollowUps } from './vscode/people/followUps';
import type { AccessIndexes } from './vscode/people/indexStore';
import { applyFollowUps } from './vscode/people/followUpCommands';
import { peopleCommands } from './vscode/people/peopleCommands';
import type { PeopleTree } from './vscode/people/peopleView';
import { setUpPeople } from './vscode/people/setup';
import { findingsCommands } from './vscode/findings/findingsCommands';
import { setUpFindings } from './vscode/findings/setup';
import type { FindingsTree } from './vscode/findings/findingsView';
import { personLabeller } from './vscode/people/words';
import { setUpAccess, type AccessSetup } from './vscode/access/setup';
import { setUpReview, type ReviewSetup } from './vscode/review/setup';
import { Walkthrough } from './vscode/walkthrough';

/** Handed to the integration tests only (ExtensionMode.Test); other extensions get nothing. */
export interface TestApi {
  readonly store: ConnectionStore;
  readonly sessions: Sessions;
  readonly tree: ConnectionsTree;
  readonly view: vscode.TreeView<unknown>;
  readonly log: Log;
  readonly context: vscode.ExtensionContext;
  readonly dragAndDrop: ShareDragAndDrop;
  readonly jobs: JobRunner;
  readonly reports: Reports;
  readonly people: PeopleTree;
  readonly peopleView: () => vscode.TreeView<unknown>;
  readonly indexes: AccessIndexes;
  readonly followUps: FollowUps;
  readonly findings: FindingsTree;
  readonly access: AccessSetup;
  readonly review: ReviewSetup;
  readonly walkthrough: Walkthrough;
  /** Every command's handler, as the first command run makes them. */
  readonly handlers: () => Readonly<Record<string, Handler>>;
  /** How long activate() took, and whether undici, the access file's YAML libraries and the review bundle were loaded by then (they must not be). */
  readonly activation: {
    readonly ms: number;
    readonly undiciLoaded: boolean;
    readonly accessLoaded: boolean;
    readonly reviewLoaded: boolean;
  };
}

/** The composition root: builds each piece and hands it to the next. Nothing here waits on the network. */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  const log = Log.create('Workspace Access');
  const store = new ConnectionStore(context.globalState, context.secrets);
  const transport = new Transport(transportOptions);
  const sessions = new Sessions(store, transport, log);
  const tree = new ConnectionsTree(store, sessions, new ExpandedState(context.workspaceState));
  const previews = new ReadOnlyDocuments();
  const reports = new Reports(log, previews);
  const jobs = new JobRunner(context.globalStorageUri, store, sessions, log, reports, personLabeller(store, sessions));
  const deps = { store, sessions, log, tree, reports, jobs };
  const peopleDeps = setUpPeople(context, deps);
  const { people, peopleView, indexes, followUps } = peopleDeps;
  // The view reads the open access files' roster and end dates when it reads (after activation).
  const findingsDeps = setUpFindings(context, peopleDeps, () => access.forFindings());
  const access = setUpAccess({
    ...deps,
    context,
    previews,
    activity: (connectionId) => findingsDeps.findings.activity(connectionId),
  });
  const review = setUpReview({ ...deps, context, previews });
  const dragAndDrop = new ShareDragAndDrop(deps, (err) => report(log, 'dragAndDrop', err));
  // The Connections tree is registered just after activation (VS Code waits 2 s for a view's provider
  // before it says there is none), or at once when something needs it.
  let created: vscode.TreeView<unknown> | undefined;
  const mainView = (): vscode.TreeView<unknown> => {
    if (!created) {
      created = vscode.window.createTreeView(VIEW_ID, {
        treeDataProvider: tree,
        showCollapseAll: true,
        canSelectMany: true,
        dragAndDropController: dragAndDrop,
      });
      context.subscriptions.push(...tree.track(created), created);
    }
    return created;
  };
  setTimeout(mainView, 0);
  const walkthrough = new Walkthrough(context);
  walkthrough.watch(mainView, jobs);
  context.subscriptions.push(
    walkthrough,
    log,
    store,
    sessions,
    tree,
    { dispose: () => void transport.close() },
    vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, previews),
  );

  const updateContext = () =>
    void vscode.commands.executeCommand('setContext', 'workspaceAccess.hasConnections', store.list().length > 0);
  updateContext();
  context.subscriptions.push(
    store.onDidChange((change) => {
      updateContext();
      tree.refresh(change.kind === 'key' ? tree.root(change.id) : undefined);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsTransport(e)) transport.update(transportOptions());
      if (affectsClients(e)) {
        sessions.invalidate();
        tree.refresh();
      }
    }),
  );

  const reveal = (connectionId: string) => {
    void tree.getChildren().then(() => {
      const node = tree.root(connectionId);
      const view = mainView();
      if (node && view.visible) void view.reveal(node, { select: true, focus: false, expand: true });
    });
  };
  // The handlers are made the first time any command runs: activation only registers the ids.
  const handlers = registerCommands(context, log, contributedCommands(context), () => ({
    ...connectionCommands({ store, sessions, log, reveal }),
    ...viewCommands(tree, sessions, log, store, () => {
      void applyFollowUps(peopleDeps).catch((err: unknown) => report(log, 'followUps', err));
      access.refresh();
    }),
    ...memberCommands(deps),
    ...groupCommands(deps),
    ...inviteLinkCommands(deps),
    ...invitationCommands(deps),
    ...projectCommands(deps),
    ...resourceCommands(deps),
    ...principalCommands(deps),
    ...grantCommands(deps),
    ...commonCommands(deps),
    ...inviteCommands(deps, previews),
    ...bulkCommands(deps),
    ...peopleCommands(peopleDeps),
    ...findingsCommands(findingsDeps),
    ...access.commands,
    ...review.commands,
  }));

  if (context.extensionMode === vscode.ExtensionMode.Development) {
    connectSandbox(store, log).catch((err: unknown) =>
      log.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
  // The Get Started walkthrough, once (the integration suite opens it itself, through the test API).
  if (context.extensionMode !== vscode.ExtensionMode.Test)
    void walkthrough
      .openOnFirstRun()
      .then((opened) => opened && log.info('opened the Get Started walkthrough (first run)'))
      .catch((err: unknown) => report(log, 'walkthrough', err));
  setTimeout(() => void walkthrough.scan().catch((err: unknown) => report(log, 'walkthrough', err)), 1_000);
  // A job cut short by a reload or a crashed extension host: offer to finish it (never blocks activation).
  setTimeout(() => void jobs.offerResume().catch((err: unknown) => report(log, 'resume', err)), 500);
  // Follow-ups whose person has become a member since: applied at start (and on Refresh).
  setTimeout(() => void applyFollowUps(peopleDeps).catch((err: unknown) => report(log, 'followUps', err)), 1_500);
  const activation = {
    ms: Math.round((performance.now() - started) * 10) / 10,
    undiciLoaded: undiciState.loaded,
    accessLoaded: access.loaded(),
    reviewLoaded: review.loaded(),
  };
  setTimeout(() => log.info(`activated with ${store.list().length} connection(s) in ${activation.ms} ms`), 0);
  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
        store,
        sessions,
        tree,
        get view() {
          return mainView();
        },
        log,
        context,
        dragAndDrop,
        jobs,
        reports,
        people,
        peopleView,
        indexes,
        followUps,
        findings: findingsDeps.findings,
        access,
        review,
        walkthrough,
        handlers,
        activation,
      }
    : undefined;
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
