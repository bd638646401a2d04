import * as vscode from 'vscode';
import { isPlatformId, type PlatformId } from '../providers';

/** What is kept about a connection outside SecretStorage: nothing secret. */
export interface ConnectionInfo {
  readonly id: string;
  readonly platform: PlatformId;
  readonly label: string;
  readonly baseUrl: string;
  /** The organization this connection works on, where the platform needs one picked (GitBook). */
  readonly tenantId?: string;
  readonly tenantName?: string;
  /**
   * Who the key acted as when it was last checked (a name, not a secret). GitBook reads the user and
   * the organization from two endpoints; with this, a later start reads the organization alone.
   */
  readonly account?: { readonly name: string; readonly email?: string };
  /** Made by the development sandbox (`npm start`): the only connections whose key the sandbox may replace. */
  readonly sandbox?: boolean;
}

export type ConnectionChange = { readonly kind: 'list' } | { readonly kind: 'key'; readonly id: string };

const STATE_KEY = 'workspaceAccess.connections';
const SECRET_PREFIX = 'workspaceAccess.apiKey.';

function isConnectionInfo(value: unknown): value is ConnectionInfo {
  const v = value as Partial<ConnectionInfo> | null;
  return (
    !!v &&
    typeof v.id === 'string' &&
    isPlatformId(v.platform) &&
    typeof v.label === 'string' &&
    typeof v.baseUrl === 'string'
  );
}

/**
 * Connections: metadata in globalState, API keys in SecretStorage only. Fires when either changes,
 * in this window or (keys, and the list on focus) in another.
 */
export class ConnectionStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ConnectionChange>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private snapshot: string;

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
  ) {
    this.snapshot = JSON.stringify(this.list());
    this.disposables.push(
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX)) this.emitter.fire({ kind: 'key', id: e.key.slice(SECRET_PREFIX.length) });
      }),
      // globalState has no change event across windows; look again when this window gains focus.
      vscode.window.onDidChangeWindowState((e) => {
        if (e.focused) this.checkForOutsideChanges();
      }),
    );
  }

  list(): ConnectionInfo[] {
    const raw = this.state.get<unknown[]>(STATE_KEY, []);
    return Array.isArray(raw) ? raw.filter(isConnectionInfo) : [];
  }

  get(id: string): ConnectionInfo | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** Stores the key first, then the metadata: a connection never exists without its key. */
  async add(info: Omit<ConnectionInfo, 'id'>, key: string): Promise<ConnectionInfo> {
    const connection: ConnectionInfo = { id: newId(), ...info };
    await this.secrets.store(SECRET_PREFIX + connection.id, key);
    await this.write([...this.list(), connection]);
    return connection;
  }

  async remove(id: string): Promise<void> {
    await this.write(this.list().filter((c) => c.id !== id));
    await this.secrets.delete(SECRET_PREFIX + id);
  }

  async setAccount(id: string, account: ConnectionInfo['account']): Promise<void> {
    await this.write(this.list().map((c) => (c.id === id ? { ...c, account } : c)));
  }

  getKey(id: string): Thenable<string | undefined> {
    return this.secrets.get(SECRET_PREFIX + id);
  }

  async setKey(id: string, key: string): Promise<void> {
    await this.secrets.store(SECRET_PREFIX + id, key);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private async write(list: ConnectionInfo[]): Promise<void> {
    await this.state.update(STATE_KEY, list);
    this.snapshot = JSON.stringify(list);
    this.emitter.fire({ kind: 'list' });
  }

  private checkForOutsideChanges(): void {
    const now = JSON.stringify(this.list());
    if (now !== this.snapshot) {
      this.snapshot = now;
      this.emitter.fire({ kind: 'list' });
    }
  }
}

function newId(): string {
  return globalThis.crypto.randomUUID();
}
