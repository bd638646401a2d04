import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { HttpClient } from '../../src/core/http/client';
import { Transport } from '../../src/core/http/transport';
import type { Logger } from '../../src/core/logger';
import type { Provider } from '../../src/core/provider';
import { createProvider, PLATFORMS, type PlatformId } from '../../src/providers';
import type { Faults } from '../emulator/faults';
import type { SandboxConnection } from '../emulator/server';

/** Benchmarks log nothing: a log line per request would be measured too. */
export const quiet: Logger = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export const LATENCY_MS = 50;

export interface RecordedCall {
  readonly platform: PlatformId;
  readonly method: string;
  readonly path: string;
  /** The query string, `?` first (empty when none). */
  readonly query: string;
  readonly body: unknown;
  readonly status: number;
  readonly fault: string;
}

/**
 * The emulator in its own process, as a server is: the client under test does not share its
 * event loop (on one thread, the server's work would be counted in the client's time).
 */
export class RemoteEmulator {
  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
    private readonly sandbox: SandboxConnection[],
  ) {}

  static async start(size: 'demo' | 'large', faults: Partial<Faults> = {}): Promise<RemoteEmulator> {
    const cli = path.join(__dirname, '..', 'emulator', 'cli.js');
    const child = spawn(process.execPath, [cli, '--size', size], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
    });
    const info = JSON.parse(line) as { url: string; sandbox: SandboxConnection[] };
    const emulator = new RemoteEmulator(child, info.url, info.sandbox);
    await emulator.setFaults({ latencyMs: LATENCY_MS, ...faults });
    return emulator;
  }

  private async control<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.origin}/__emulator/${route}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator ${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  setFaults(patch: Partial<Faults>): Promise<Faults> {
    return this.control('POST', 'faults', patch);
  }

  /** Seeded data again, faults off: set latency again after this. */
  async reset(): Promise<void> {
    await this.control('POST', 'reset');
    await this.setFaults({ latencyMs: LATENCY_MS });
  }

  requests(platform: PlatformId, method?: string): Promise<RecordedCall[]> {
    return this.control('GET', `requests?platform=${platform}${method ? `&method=${method}` : ''}`);
  }

  stats(): Promise<{ requests: number; maxInFlight: number; faults: Record<string, number> }> {
    return this.control('GET', 'stats');
  }

  setPrincipalCap(cap: number): Promise<unknown> {
    return this.control('POST', 'limits', { principalCap: cap });
  }

  connection(platform: PlatformId): SandboxConnection {
    return this.sandbox.find((s) => s.platform === platform)!;
  }

  async close(): Promise<void> {
    this.child.kill('SIGTERM');
    await new Promise((r) => this.child.once('exit', r));
  }
}

/** Our client, as the extension builds it (real undici transport, default retry policy). */
export function clientAt(platform: PlatformId, baseUrl: string, key: string): HttpClient {
  return new HttpClient({
    platform: PLATFORMS[platform],
    baseUrl,
    apiKey: () => key,
    transport: new Transport({ connectTimeoutMs: 10_000, env: {} }),
    log: quiet,
  });
}

/**
 * Each connection's provider as the command line builds it: one undici transport for all, each
 * client with `maxInFlight` requests in flight (the command line's `--concurrency`).
 */
export function commandLineProviders(
  connections: readonly SandboxConnection[],
  maxInFlight: number,
): { connection: SandboxConnection; provider: Provider }[] {
  const transport = new Transport({ connectTimeoutMs: 10_000, env: {} });
  return connections.map((connection) => {
    const http = new HttpClient({
      platform: PLATFORMS[connection.platform],
      baseUrl: connection.baseUrl,
      apiKey: () => connection.key,
      transport,
      log: quiet,
      maxInFlight,
    });
    return { connection, provider: createProvider(connection.platform, http, connection.tenantId) };
  });
}

export function ourClient(emulator: RemoteEmulator, platform: PlatformId): HttpClient {
  const c = emulator.connection(platform);
  return clientAt(platform, c.baseUrl, c.key);
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - started), value };
}

/** How many items a job's journal shows finished (for killing a job halfway). */
export function settledLines(file: string): number {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /"s":"(done|failed|skipped|unknown)"/.test(l)).length;
  } catch {
    return 0;
  }
}

export const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

/** One JSON line per benchmark, as `npm run bench` promises. */
export function report(name: string, figures: Record<string, unknown>): Record<string, unknown> {
  const line = { bench: name, ...figures };
  console.log(JSON.stringify(line));
  return line;
}
