/**
 * What the client takes from undici, loaded from its parts when the first request is made. The
 * package's root module also loads fetch, WebSocket, EventSource, caches, cookies and mocks, which
 * the extension never uses: about 220 KB of the bundle. The parts are wired the way the root module
 * wires them: its request API (request, connect, …) goes onto every dispatcher, which is how a proxy
 * agent opens its tunnel.
 */
import type { Dispatcher } from 'undici';

/** The undici parts the transport and the client use. */
export interface UndiciParts {
  readonly Agent: typeof import('undici').Agent;
  readonly EnvHttpProxyAgent: typeof import('undici').EnvHttpProxyAgent;
  /** undici's `request`, sent through the given dispatcher. */
  readonly request: (
    dispatcher: Dispatcher,
    url: string,
    options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
  ) => Promise<Dispatcher.ResponseData>;
}

let parts: Promise<UndiciParts> | undefined;

export function loadUndici(): Promise<UndiciParts> {
  parts ??= (async () => {
    const [{ default: DispatcherBase }, { default: api }, { default: Agent }, { default: EnvHttpProxyAgent }] =
      await Promise.all([
        import('undici/lib/dispatcher/dispatcher.js'),
        import('undici/lib/api/index.js'),
        import('undici/lib/dispatcher/agent.js'),
        import('undici/lib/dispatcher/env-http-proxy-agent.js'),
      ]);
    Object.assign(DispatcherBase.prototype, api);
    return {
      Agent,
      EnvHttpProxyAgent,
      request: (dispatcher, url, options) => {
        const u = new URL(url);
        return dispatcher.request({ ...options, origin: u.origin, path: `${u.pathname}${u.search}` });
      },
    };
  })();
  return parts;
}
