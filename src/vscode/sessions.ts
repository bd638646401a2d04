import * as vscode from 'vscode';
import { HttpClient } from '../core/http/client';
import { DEFAULT_RETRY, type RetryOptions } from '../core/http/retry';
import type { Transport } from '../core/http/transport';
import { PLATFORMS, type PlatformId } from '../providers';
import type { Identity, Provider } from '../core/provider';
import { createProvider } from '../providers';
import type { ConnectionInfo, ConnectionStore } from './connectionStore';
import type { Log } from './outputLog';
import { maxConcurrency, requestTimeoutMs } from './settings';

export class MissingKeyError extends Error {
  override readonly name = 'MissingKeyError';
  constructor(readonly connection: ConnectionInfo) {
    super(vscode.l10n.t('No API key is stored for "{0}". Run "Update API Key".', connection.label));
  }
}

interface Session {
  readonly provider: Provider;
  identity?: Promise<Identity>;
}

/**
 * A provider per connection, built on first use. The key is read from SecretStorage on demand and
 * cached in memory; a key change (in this window or another) drops the cache.
 */
const NO_RETRY: RetryOptions = { ...DEFAULT_RETRY, maxRetries: 0 };

export class Sessions implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly keys = new Map<string, Promise<string>>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: ConnectionStore,
    private readonly transport: Transport,
    private readonly log: Log,
  ) {
    this.subscription = store.onDidChange((change) =>
      change.kind === 'key' ? this.invalidate(change.id) : this.prune(),
    );
  }

  provider(connection: ConnectionInfo): Provider {
    return this.session(connection).provider;
  }

  /** The connection's session, made on first use. */
  private session(connection: ConnectionInfo): Session {
    let session = this.sessions.get(connection.id);
    if (!session) {
      const http = this.client(connection.platform, connection.baseUrl, () => this.key(connection));
      session = { provider: createProvider(connection.platform, http, connection.tenantId, connection.account) };
      this.sessions.set(connection.id, session);
    }
    return session;
  }

  /** Who the connection's key acts as; asked once and kept until a refresh or a key change. */
  identity(connection: ConnectionInfo): Promise<Identity> {
    const session = this.session(connection);
    session.identity ??= session.provider.whoAmI().catch((err: unknown) => {
      session.identity = undefined;
      throw err;
    });
    return session.identity;
  }

  /** Checks a key that is not stored yet: the validating call of Add Connection and Update API Key. */
  probe(
    platform: PlatformId,
    baseUrl: string,
    key: string,
    signal?: AbortSignal,
    tenantId?: string,
  ): Promise<Identity> {
    return this.unstored(platform, baseUrl, key, tenantId).whoAmI(signal);
  }

  /** A provider for a key that is not stored yet (to list its organizations, say). */
  unstored(platform: PlatformId, baseUrl: string, key: string, tenantId?: string): Provider {
    this.log.addSecret(key);
    // A key being checked is answered at once, retries and all: the person is waiting on it.
    return createProvider(
      platform,
      this.client(platform, baseUrl, () => key, NO_RETRY),
      tenantId,
    );
  }

  /** Drops cached keys, clients and identities: one connection, or all. */
  invalidate(id?: string): void {
    for (const key of id ? [id] : [...this.sessions.keys(), ...this.keys.keys()]) {
      this.sessions.delete(key);
      this.keys.delete(key);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.invalidate();
  }

  private prune(): void {
    const live = new Set(this.store.list().map((c) => c.id));
    for (const id of [...this.sessions.keys(), ...this.keys.keys()]) if (!live.has(id)) this.invalidate(id);
  }

  private key(connection: ConnectionInfo): Promise<string> {
    let key = this.keys.get(connection.id);
    if (!key) {
      key = Promise.resolve(this.store.getKey(connection.id)).then((value) => {
        if (!value) throw new MissingKeyError(connection);
        this.log.addSecret(value);
        return value;
      });
      key.catch(() => this.keys.delete(connection.id));
      this.keys.set(connection.id, key);
    }
    return key;
  }

  private client(
    platform: PlatformId,
    baseUrl: string,
    apiKey: () => Promise<string> | string,
    retry?: RetryOptions,
  ): HttpClient {
    return new HttpClient({
      platform: PLATFORMS[platform],
      baseUrl,
      apiKey,
      transport: this.transport,
      log: this.log.child(platform),
      timeoutMs: requestTimeoutMs(),
      maxInFlight: maxConcurrency(),
      ...(retry ? { retry } : {}),
    });
  }
}
