import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../../src/core/http/url';
import { PLATFORMS, type PlatformId } from '../../src/providers';
import { drawFault, mergeFaults, NO_FAULTS, type FaultDecision, type Faults } from './faults';
import { seededRandom } from './prng';
import { confident } from './platforms/confident';
import { elevenlabs } from './platforms/elevenlabs';
import { gitbook } from './platforms/gitbook';
import type { PlatformEmulator } from './platforms/types';
import type { EmulatorResponse } from './router';
import { createSeed, type SeedSize } from './seed';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Loopback only; 127.0.0.1 by default. */
  readonly host?: string;
  readonly size?: SeedSize;
  readonly seed?: number;
  readonly faults?: Partial<Faults>;
}

/** One platform request as the emulator saw it: for contract checks and "nothing sent twice" counts. */
export interface RecordedRequest {
  readonly platform: PlatformId;
  readonly method: string;
  /** Path below the platform prefix, without the query. */
  readonly path: string;
  readonly query: string;
  readonly body: unknown;
  readonly status: number;
  /** The body the handler answered (before any injected fault cut it). */
  readonly response: unknown;
  readonly fault: FaultDecision;
}

export interface SandboxConnection {
  readonly platform: PlatformId;
  readonly label: string;
  readonly baseUrl: string;
  readonly key: string;
  /** The organization a GitBook connection works on. */
  readonly tenantId?: string;
}

export interface EmulatorStats {
  requests: number;
  maxInFlight: number;
  faults: Record<FaultDecision, number>;
}

function createPlatforms(size: SeedSize, seed: number, origin: () => string) {
  const s = createSeed(size, seed);
  return { elevenlabs: elevenlabs(s), gitbook: gitbook(s, origin), confident: confident(s) };
}
type Platforms = ReturnType<typeof createPlatforms>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The local emulator of all three platforms: one HTTP server on loopback, in-memory state. */
export class Emulator {
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private platforms!: Platforms;
  private faultRandom = seededRandom(7);
  /** Requests being processed, per platform: each platform is its own server, with its own limit. */
  private readonly inFlight = new Map<string, number>();
  /** Faults for the next requests, in order, before the share-based draw: exact tests use these. */
  private readonly queued: FaultDecision[] = [];
  /** Whole answers for the next requests, in order, given instead of (or after) the handler's. */
  private readonly scripted: ScriptedAnswer[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();
  faults: Faults;
  /** Whether /__emulator/sandbox lists the keys; tests turn it off to prove keys were kept. */
  sandboxListing = true;
  readonly requests: RecordedRequest[] = [];
  stats: EmulatorStats = Emulator.emptyStats();

  private constructor(private readonly options: EmulatorOptions) {
    this.faults = mergeFaults(NO_FAULTS, options.faults ?? {});
    this.reset();
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const host = options.host ?? '127.0.0.1';
    if (!isLoopbackHost(host)) throw new Error(`the emulator listens on loopback only (got ${host})`);
    const emulator = new Emulator(options);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(options.port ?? 0, host, () => resolve());
    });
    return emulator;
  }

  private static emptyStats(): EmulatorStats {
    return {
      requests: 0,
      maxInFlight: 0,
      faults: { none: 0, '429': 0, '422': 0, '500': 0, '503': 0, reset: 0, malformed: 0, stall: 0 },
    };
  }

  get origin(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The platform's state, for tests that check what a call changed. */
  state<K extends PlatformId>(id: K): Platforms[K]['state'] {
    return this.platforms[id].state;
  }

  platform(id: PlatformId): PlatformEmulator {
    return this.platforms[id] as PlatformEmulator;
  }

  baseUrl(id: PlatformId): string {
    return `${this.origin}${this.platforms[id].prefix}`;
  }

  /** Ready-made connections to every platform, with the admin keys. */
  sandbox(): SandboxConnection[] {
    return (Object.keys(this.platforms) as PlatformId[]).map((id) => ({
      platform: id,
      label: `Sandbox ${PLATFORMS[id].label}`,
      baseUrl: this.baseUrl(id),
      key: this.platforms[id].keys.admin,
      ...(id === 'gitbook' ? { tenantId: this.platforms.gitbook.state.org.id } : {}),
    }));
  }

  setFaults(patch: Partial<Record<keyof Faults, unknown>>): Faults {
    this.faults = mergeFaults(this.faults, patch);
    return this.faults;
  }

  /** The next platform requests get these faults, one each, in order. */
  queueFaults(...faults: FaultDecision[]): void {
    this.queued.push(...faults);
  }

  /** The next platform requests get these answers, one each, in order (see ScriptedAnswer). */
  queueAnswers(...answers: ScriptedAnswer[]): void {
    this.scripted.push(...answers);
  }

  /** Back to the seeded data, no faults, empty counters. */
  reset(): void {
    this.platforms = createPlatforms(this.options.size ?? 'demo', this.options.seed ?? 42, () => this.origin);
    this.faults = mergeFaults(NO_FAULTS, this.options.faults ?? {});
    this.faultRandom = seededRandom(7);
    this.queued.length = 0;
    this.scripted.length = 0;
    this.requests.length = 0;
    this.stats = Emulator.emptyStats();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    try {
      if (url.pathname.startsWith('/__emulator/')) return this.control(req, res, url, await readBody(req));
      const platform = (Object.values(this.platforms) as PlatformEmulator[]).find(
        (p) => url.pathname === p.prefix || url.pathname.startsWith(`${p.prefix}/`),
      );
      if (!platform)
        return send(res, {
          status: 404,
          body: { error: `no platform at ${url.pathname}; use /elevenlabs, /gitbook/v1 or /confident` },
        });
      await this.platformRequest(platform, req, res, url);
    } catch (err) {
      if (!res.headersSent) send(res, { status: 500, body: { error: String(err) } });
      else res.destroy();
    }
  }

  private async platformRequest(
    platform: PlatformEmulator,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void> {
    const id = platform.id;
    const inFlight = (this.inFlight.get(id) ?? 0) + 1;
    this.inFlight.set(id, inFlight);
    const release = () => this.inFlight.set(id, (this.inFlight.get(id) ?? 1) - 1);
    this.stats.requests++;
    const raw = await readBody(req);
    const path = url.pathname.slice(platform.prefix.length) || '/';
    const overLimit = this.faults.maxConcurrent > 0 && inFlight > this.faults.maxConcurrent;
    const fault = this.queued.shift() ?? drawFault(this.faults, this.faultRandom, inFlight);
    this.stats.faults[fault]++;
    // A refused request is not being processed, so it does not hold one of the server's slots.
    if (fault === '429') release();
    else {
      this.stats.maxInFlight = Math.max(this.stats.maxInFlight, inFlight);
      res.on('close', release);
    }
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);

    let body: unknown;
    let response: EmulatorResponse;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const principal = platform.authenticate(req.headers);
    const at = fault === 'none' ? this.scripted.findIndex((a) => a.path === undefined || path.includes(a.path)) : -1;
    const script = at >= 0 ? this.scripted.splice(at, 1)[0] : undefined;
    if (fault === '429') {
      const concurrency = overLimit;
      const r = platform.error(
        429,
        concurrency ? 'Too many concurrent requests.' : 'The system is busy; try again later.',
        concurrency ? 'too_many_concurrent_requests' : 'system_busy',
      );
      response =
        this.faults.retryAfterSec !== undefined
          ? { ...r, headers: { 'retry-after': String(this.faults.retryAfterSec) } }
          : r;
    } else if (fault === '422') {
      response = platform.error(422, 'Input should be a valid value (injected)', 'value_error');
    } else if (fault === '500') {
      response = platform.error(500, 'Internal server error (injected).');
    } else if (fault === '503') {
      response = platform.error(503, 'Service unavailable (injected outage).');
    } else if (script?.acted === false) {
      response = { status: script.status };
    } else if (!principal) {
      response = platform.error(401, 'Invalid API key.', 'invalid_api_key');
    } else if (platform.preflight?.()) {
      response = platform.preflight()!;
    } else if (typeof body === 'string') {
      response = platform.error(400, 'The request body is not valid JSON.');
    } else {
      const match = platform.router.match(req.method ?? 'GET', path);
      if (match === 'no-path') response = platform.error(404, `Not found: ${path}`);
      else if (match === 'no-method') response = platform.error(405, `Method ${req.method} not allowed on ${path}`);
      else
        response = match.handler(
          {
            method: req.method ?? 'GET',
            path,
            params: match.params,
            query: url.searchParams,
            headers: req.headers,
            body,
          },
          principal,
        );
    }
    if (platform.headers) response = { ...response, headers: { ...platform.headers(), ...response.headers } };
    if (script) {
      // The handler ran unless the script says the server did not act; its answer is replaced either way.
      this.record({
        platform: platform.id,
        method: req.method ?? 'GET',
        path,
        query: url.search,
        body,
        status: script.status,
        response: script.body,
        fault,
      });
      return scriptedAnswer(res, script, req.headers);
    }
    this.record({
      platform: platform.id,
      method: req.method ?? 'GET',
      path,
      query: url.search,
      body,
      status: response.status,
      response: response.body,
      fault,
    });

    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'malformed' || fault === 'stall') {
      const text = JSON.stringify(response.body ?? {});
      res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
      res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      if (fault === 'malformed') return void res.end();
      await Promise.race([sleep(this.faults.stallMs), new Promise((r) => res.once('close', r))]);
      return void res.end();
    }
    send(res, response);
  }

  private readonly watchers: { test: (r: RecordedRequest) => boolean; resolve: () => void }[] = [];

  /**
   * Resolves when the platform has handled the first request `test` accepts, before its answer goes
   * out: a test that changes faults when it resolves changes them for every request not yet drawn.
   */
  handled(test: (r: RecordedRequest) => boolean): Promise<void> {
    return new Promise((resolve) => this.watchers.push({ test, resolve }));
  }

  private record(r: RecordedRequest): void {
    this.requests.push(r);
    for (const w of [...this.watchers])
      if (w.test(r)) {
        this.watchers.splice(this.watchers.indexOf(w), 1);
        w.resolve();
      }
  }

  private control(req: IncomingMessage, res: ServerResponse, url: URL, raw: string): void {
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /__emulator/sandbox':
        return this.sandboxListing
          ? send(res, { status: 200, body: this.sandbox() })
          : send(res, { status: 404, body: { error: 'sandbox listing is off' } });
      case 'GET /__emulator/faults':
        return send(res, { status: 200, body: this.faults });
      case 'POST /__emulator/faults':
        try {
          return send(res, {
            status: 200,
            body: this.setFaults((raw ? JSON.parse(raw) : {}) as Record<string, unknown>),
          });
        } catch (err) {
          return send(res, { status: 400, body: { error: err instanceof Error ? err.message : String(err) } });
        }
      case 'POST /__emulator/queue': {
        const list: unknown = raw ? JSON.parse(raw) : [];
        const known: FaultDecision[] = ['none', '429', '422', '500', '503', 'reset', 'malformed', 'stall'];
        if (!Array.isArray(list) || !list.every((f): f is FaultDecision => known.includes(f as FaultDecision))) {
          return send(res, { status: 400, body: { error: `send a JSON array of: ${known.join(', ')}` } });
        }
        this.queueFaults(...list);
        return send(res, { status: 200, body: { queued: this.queued.length } });
      }
      case 'POST /__emulator/answers': {
        const list: unknown = raw ? JSON.parse(raw) : [];
        if (
          !Array.isArray(list) ||
          !list.every((a) => typeof a === 'object' && a !== null && Number.isInteger((a as ScriptedAnswer).status))
        ) {
          return send(res, {
            status: 400,
            body: { error: 'send a JSON array of answers, each with an integer "status"' },
          });
        }
        this.queueAnswers(...(list as ScriptedAnswer[]));
        return send(res, { status: 200, body: { queued: this.scripted.length } });
      }
      case 'GET /__emulator/requests':
        // What was asked and answered, for "nothing lost, nothing sent twice" audits from another process.
        return send(res, {
          status: 200,
          body: this.requests
            .filter(
              (r) =>
                (!url.searchParams.get('platform') || r.platform === url.searchParams.get('platform')) &&
                (!url.searchParams.get('method') || r.method === url.searchParams.get('method')),
            )
            .map(({ platform, method, path, query, body, status, fault }) => ({
              platform,
              method,
              path,
              query,
              body,
              status,
              fault,
            })),
        });
      case 'POST /__emulator/limits': {
        // The sharing docs' 100 principals per resource; a benchmark may lift it.
        const cap = Number((raw ? (JSON.parse(raw) as { principalCap?: unknown }) : {}).principalCap);
        if (!Number.isInteger(cap) || cap < 1)
          return send(res, { status: 400, body: { error: 'send {"principalCap": <integer ≥ 1>}' } });
        this.platforms.elevenlabs.state.principalCap = cap;
        return send(res, { status: 200, body: { principalCap: cap } });
      }
      case 'GET /__emulator/stats':
        return send(res, { status: 200, body: this.stats });
      case 'POST /__emulator/reset':
        this.reset();
        return send(res, { status: 200, body: { status: 'ok' } });
      default:
        return send(res, { status: 404, body: { error: `unknown control route ${route}` } });
    }
  }
}

/**
 * A whole answer for one request, for tests of what the client does with answers the platforms
 * should never give: a redirect, a huge body, a key echoed back.
 */
export interface ScriptedAnswer {
  readonly status: number;
  /** Only for a request whose path contains this (the first such request takes it). */
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** A body of this many bytes (JSON text), streamed without a content-length unless `declare` is set. */
  readonly bytes?: number;
  readonly declare?: boolean;
  /** Puts the request's own auth header value in the body, the headers and the message (a hostile echo). */
  readonly echoKey?: boolean;
  /** Whether the handler's change stands (true by default: the handler ran). */
  readonly acted?: boolean;
}

function scriptedAnswer(res: ServerResponse, s: ScriptedAnswer, headers: IncomingMessage['headers']): void {
  const key = String(headers['xi-api-key'] ?? headers.authorization ?? headers.confident_api_key ?? '');
  if (s.bytes !== undefined) {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    res.writeHead(s.status, {
      'content-type': 'application/json',
      ...(s.declare ? { 'content-length': String(s.bytes) } : {}),
      ...s.headers,
    });
    let left = s.bytes;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (left = 0));
    return pump();
  }
  const body = s.echoKey
    ? {
        detail: { status: 'invalid_api_key', message: `The key ${key} is not valid here.` },
        error: { code: 401, message: `key=${key}` },
      }
    : s.body;
  const extra: Record<string, string> = s.echoKey ? { 'x-echo-key': key } : {};
  send(res, { status: s.status, headers: { ...extra, ...s.headers }, body });
}

function send(res: ServerResponse, r: EmulatorResponse): void {
  if (r.body === undefined) {
    res.writeHead(r.status, { ...r.headers });
    res.end();
    return;
  }
  const text = JSON.stringify(r.body);
  res.writeHead(r.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...r.headers,
  });
  res.end(text);
}
