import * as vscode from 'vscode';
import { ApiError } from '../../core/http/errors';
import { PLATFORMS, type PlatformId } from '../../providers';
import type { Identity, Provider, Tenant } from '../../core/provider';
import type { ConnectionInfo, ConnectionStore } from '../connectionStore';
import type { Log } from '../outputLog';
import { askKey, askLabel, confirm, pickConnections, pickPlatform, Steps, UserCancelled } from '../prompts';
import type { Sessions } from '../sessions';
import { inSandbox, sandboxBaseUrl } from '../sandbox';
import { baseUrlSettingKey, configuredBaseUrl } from '../settings';
import { ConnectionNode } from '../tree/connectionNode';
import type { Handler } from './register';
import { nodesOf } from './targets';

export interface ConnectionCommandDeps {
  readonly store: ConnectionStore;
  readonly sessions: Sessions;
  readonly log: Log;
  /** Shows a connection in the tree once it exists. */
  readonly reveal: (connectionId: string) => void;
}

/** The connections a command acts on: the tree selection, the clicked node, or a pick. */
async function targets(
  store: ConnectionStore,
  node: unknown,
  selected: unknown,
  title: string,
  canPickMany: boolean,
): Promise<ConnectionInfo[]> {
  const picked = nodesOf(ConnectionNode, node, selected).map((n) => n.connection);
  if (picked.length > 0) return picked;
  // A message node (e.g. "key not accepted") carries its connection as parent.
  const parent = (node as { getParent?: () => unknown } | undefined)?.getParent?.();
  if (parent instanceof ConnectionNode) return [parent.connection];
  return pickConnections(store.list(), title, canPickMany);
}

/** Where a connection must work on one organization (GitBook): the one the key sees, or a pick. */
async function pickTenant(
  provider: Provider,
  label: { readonly name: string; readonly platform: PlatformId },
  steps: Steps,
): Promise<Tenant | undefined> {
  if (!provider.listTenants) return undefined;
  const tenants = await provider.listTenants();
  if (tenants.length === 0)
    throw new Error(
      vscode.l10n.t(
        'This key belongs to no {0} organization. Join or create one first.',
        PLATFORMS[label.platform].label,
      ),
    );
  if (tenants.length === 1) return tenants[0];
  // A key of several organizations: one more step than counted.
  steps.add();
  const pick = await vscode.window.showQuickPick(
    tenants.map((t) => ({ label: t.name, description: t.id, tenant: t })),
    { title: steps.next(vscode.l10n.t('organization for {0}', label.name)), ignoreFocusOut: true },
  );
  if (!pick) throw new UserCancelled();
  return pick.tenant;
}

/** Runs the validating call with a cancellable notification. */
function validate(
  sessions: Sessions,
  connection: Pick<ConnectionInfo, 'platform' | 'baseUrl' | 'tenantId'>,
  key: string,
): Thenable<Identity> {
  const label = PLATFORMS[connection.platform].label;
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Checking the key with {0}…', label),
      cancellable: true,
    },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return sessions.probe(connection.platform, connection.baseUrl, key, controller.signal, connection.tenantId);
    },
  );
}

/**
 * Asks for the key until the platform accepts one (Escape cancels): a refused key says so in the
 * key box, with the platform and name kept. A host that cannot be reached says which host and
 * which setting, at once.
 */
async function askWorkingKey(
  sessions: Sessions,
  platform: PlatformId,
  baseUrl: string,
  label: string,
  steps: Steps,
): Promise<{ key: string; identity: Identity }> {
  const title = steps.next(vscode.l10n.t('API key for {0}', label));
  let problem: string | undefined;
  for (;;) {
    const key = await askKey(platform, title, problem);
    try {
      return { key, identity: await validate(sessions, { platform, baseUrl }, key) };
    } catch (err) {
      if (err instanceof ApiError && (err.isAuthError || err.status === 403)) {
        problem = vscode.l10n.t(
          '{0} did not accept that key ({1}). Check it and paste it again, or press Escape.',
          PLATFORMS[platform].label,
          err.status ?? '',
        );
        continue;
      }
      if (
        err instanceof ApiError &&
        (err.kind === 'network' || (err.kind === 'timeout' && err.code === 'UND_ERR_CONNECT_TIMEOUT'))
      ) {
        const host = new URL(baseUrl).host;
        throw new Error(
          vscode.l10n.t(
            '{0} cannot be reached at {1} ({2}). Check the network, or the setting {3} (now {4}).',
            PLATFORMS[platform].label,
            host,
            err.code ?? err.kind,
            baseUrlSettingKey(platform),
            baseUrl,
          ),
        );
      }
      throw err;
    }
  }
}

/**
 * The base URL for a new connection. Under `npm start` (the development sandbox), the choice is
 * offered: the sandbox's own emulator, or the real platform, said plainly.
 */
async function chooseBaseUrl(platform: PlatformId, steps: Steps): Promise<string> {
  const configured = configuredBaseUrl(platform);
  if (!inSandbox()) return configured;
  const sandbox = await sandboxBaseUrl(platform).catch(() => undefined);
  if (sandbox === configured) {
    steps.skip();
    return configured;
  }
  const real = {
    label: vscode.l10n.t('The real {0}', PLATFORMS[platform].label),
    description: configured,
    detail: vscode.l10n.t('A real key is sent to {0}.', new URL(configured).host),
    url: configured,
  };
  const pick = await vscode.window.showQuickPick(
    sandbox
      ? [{ label: vscode.l10n.t('The development sandbox'), description: sandbox, url: sandbox }, real]
      : [
          {
            ...real,
            detail: vscode.l10n.t(
              'The sandbox does not list its connections now. A real key is sent to {0}.',
              new URL(configured).host,
            ),
          },
        ],
    {
      title: steps.next(vscode.l10n.t('where?')),
      placeHolder: vscode.l10n.t('This window runs the development sandbox.'),
      ignoreFocusOut: true,
    },
  );
  if (!pick) throw new UserCancelled();
  return pick.url;
}

export function connectionCommands({ store, sessions, log, reveal }: ConnectionCommandDeps): Record<string, Handler> {
  return {
    /** Platform, name, key (password input), a validating call, then the key into SecretStorage. */
    'workspaceAccess.connection.add': async (): Promise<ConnectionInfo> => {
      // Platform, name and key; under `npm start`, where (the sandbox or the real platform) after the platform.
      const steps = new Steps(vscode.l10n.t('Add Connection'), inSandbox() ? 4 : 3);
      const platform = await pickPlatform(steps);
      const baseUrl = await chooseBaseUrl(platform, steps);
      const label = await askLabel(
        platform,
        store.list().map((c) => c.label),
        steps,
      );
      const { key, identity: first } = await askWorkingKey(sessions, platform, baseUrl, label, steps);
      let identity = first;
      const tenant = await pickTenant(sessions.unstored(platform, baseUrl, key), { name: label, platform }, steps);
      if (tenant) identity = await validate(sessions, { platform, baseUrl, tenantId: tenant.id }, key);
      const account = { name: identity.name, ...(identity.email ? { email: identity.email } : {}) };
      const connection = await store.add(
        { platform, label, baseUrl, account, ...(tenant ? { tenantId: tenant.id, tenantName: tenant.name } : {}) },
        key,
      );
      log.info(`added connection ${connection.id} (${platform}, ${baseUrl})`);
      log.debug(`connection ${connection.id} acts as ${identity.name}`);
      reveal(connection.id);
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Connected "{0}" as {1}.',
          label,
          identity.detail ? `${identity.name} (${identity.detail})` : identity.name,
        ),
      );
      return connection;
    },

    /** Deletes the connection and its stored key, after a confirmation naming them. */
    'workspaceAccess.connection.remove': async (node?: unknown, selected?: unknown): Promise<string[]> => {
      const connections = await targets(store, node, selected, vscode.l10n.t('Remove Connection'), true);
      const names = connections.map((c) => `"${c.label}"`).join(', ');
      await confirm(
        connections.length === 1
          ? vscode.l10n.t('Remove the connection {0}?', names)
          : vscode.l10n.t('Remove {0} connections: {1}?', connections.length, names),
        vscode.l10n.t("Its API key is deleted from VS Code's secret storage. Nothing changes on the platform."),
        vscode.l10n.t('Remove'),
      );
      for (const c of connections) {
        await store.remove(c.id);
        log.info(`removed connection ${c.id} (${c.platform})`);
      }
      return connections.map((c) => c.id);
    },

    /** A new key for an existing connection, validated before it replaces the old one. */
    'workspaceAccess.connection.updateKey': async (node?: unknown): Promise<string> => {
      const [connection] = await targets(store, node, undefined, vscode.l10n.t('Update API Key'), false);
      const key = await askKey(connection.platform, vscode.l10n.t('New API key for {0}', connection.label));
      const identity = await validate(sessions, connection, key);
      await store.setKey(connection.id, key);
      await store.setAccount(connection.id, {
        name: identity.name,
        ...(identity.email ? { email: identity.email } : {}),
      });
      sessions.invalidate(connection.id);
      log.info(`updated the key of connection ${connection.id}`);
      log.debug(`connection ${connection.id} acts as ${identity.name}`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Updated the API key of "{0}".', connection.label));
      return connection.id;
    },
  };
}
