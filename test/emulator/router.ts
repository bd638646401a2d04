import type { IncomingHttpHeaders } from 'node:http';

export interface EmulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface EmulatorResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler<P> = (req: EmulatorRequest, principal: P) => EmulatorResponse;

interface Route<P> {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler<P>;
}

/** Paths like `/v1/workspace/groups/{group_id}/members`, matched exactly. */
export class Router<P> {
  private readonly routes: Route<P>[] = [];

  on(method: string, template: string, handler: Handler<P>): this {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** The handler and path params, or 'no-path' / 'no-method' for a 404 / 405. */
  match(
    method: string,
    path: string,
  ): { handler: Handler<P>; params: Record<string, string> } | 'no-path' | 'no-method' {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
      return { handler: route.handler, params };
    }
    return pathMatched ? 'no-method' : 'no-path';
  }
}
