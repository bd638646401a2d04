import type { Dispatcher } from 'undici';
import { loadUndici } from './undici';

/** Proxy settings as VS Code gives them (`http.proxy`, `http.noProxy`, `http.proxyStrictSSL`). */
export interface ProxySettings {
  /** An explicit proxy URL; empty means "use the environment". */
  readonly proxy?: string;
  readonly noProxy?: readonly string[];
  readonly strictSSL?: boolean;
}

export interface TransportOptions {
  readonly connectTimeoutMs: number;
  readonly proxy?: ProxySettings;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read from; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedProxy {
  readonly httpProxy: string;
  readonly httpsProxy: string;
  readonly noProxy: string;
}

/** The VS Code setting wins over the environment; NO_PROXY entries from both apply. */
export function resolveProxy(options: TransportOptions): ResolvedProxy {
  const env = options.env ?? process.env;
  const explicit = options.proxy?.proxy?.trim();
  const httpProxy = explicit || env.http_proxy || env.HTTP_PROXY || '';
  const httpsProxy = explicit || env.https_proxy || env.HTTPS_PROXY || httpProxy;
  const noProxy = [...(options.proxy?.noProxy ?? []), env.no_proxy ?? env.NO_PROXY ?? '']
    .flatMap((entry) => entry.split(/[\s,]+/))
    .filter(Boolean)
    .join(',');
  return { httpProxy, httpsProxy, noProxy };
}

/**
 * The extension's private undici dispatcher: never installed globally, so no other extension's
 * traffic changes and ours does not depend on theirs. undici itself is loaded on the first request,
 * which keeps it off the activation path.
 */
/** Whether undici has been loaded yet (it is, on the first request): the activation benchmark reads this. */
export const undiciState = { loaded: false };

export class Transport {
  private current?: Promise<Dispatcher>;

  /** The options, or how to read them when the first request needs them (activation reads no setting). */
  constructor(private options: TransportOptions | (() => TransportOptions)) {}

  dispatcher(): Promise<Dispatcher> {
    this.current ??= this.create(typeof this.options === 'function' ? this.options() : this.options);
    return this.current;
  }

  /** New settings take effect from the next request; open connections are closed gracefully. */
  update(options: TransportOptions | (() => TransportOptions)): void {
    const old = this.current;
    this.options = options;
    this.current = undefined;
    void old?.then((d) => d.close()).catch(() => undefined);
  }

  async close(): Promise<void> {
    const d = this.current;
    this.current = undefined;
    if (d) await (await d).close();
  }

  private async create(options: TransportOptions): Promise<Dispatcher> {
    const undici = await loadUndici();
    undiciState.loaded = true;
    const connect = { timeout: options.connectTimeoutMs, rejectUnauthorized: options.proxy?.strictSSL ?? true };
    const proxy = resolveProxy(options);
    if (!proxy.httpProxy && !proxy.httpsProxy) return new undici.Agent({ connect });
    return new undici.EnvHttpProxyAgent({ connect, ...proxy });
  }
}
