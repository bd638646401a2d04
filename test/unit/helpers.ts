import assert from 'node:assert/strict';
import type { Logger } from '../../src/core/logger';
import { HttpClient, type HttpClientOptions } from '../../src/core/http/client';
import { ApiError } from '../../src/core/http/errors';
import { Transport } from '../../src/core/http/transport';
import { PLATFORMS, type PlatformId } from '../../src/providers';
import type { Emulator } from '../emulator/server';

/** A logger that keeps every line, to check what reaches the log. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  trace = (m: string) => void this.lines.push(`trace ${m}`);
  debug = (m: string) => void this.lines.push(`debug ${m}`);
  info = (m: string) => void this.lines.push(`info ${m}`);
  warn = (m: string) => void this.lines.push(`warn ${m}`);
  error = (m: string) => void this.lines.push(`error ${m}`);
}

export interface TestClient {
  client: HttpClient;
  log: MemoryLogger;
  transport: Transport;
  /** The delays the client asked to wait before each retry. */
  waits: number[];
}

/** A client for one emulated platform; retries wait for nothing, but their delays are recorded. */
export function clientFor(
  emulator: Emulator,
  platform: PlatformId,
  overrides: Partial<HttpClientOptions> = {},
): TestClient {
  const log = new MemoryLogger();
  const transport = new Transport({ connectTimeoutMs: 2_000, env: {} });
  const waits: number[] = [];
  const client = new HttpClient({
    platform: PLATFORMS[platform],
    baseUrl: emulator.baseUrl(platform),
    apiKey: () => emulator.platform(platform).keys.admin,
    transport,
    log,
    timeoutMs: 5_000,
    random: () => 0.5,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    ...overrides,
  });
  return { client, log, transport, waits };
}

/** The ApiError a call fails with; the test fails when the call succeeds or fails otherwise. */
export const failure = (p: Promise<unknown>): Promise<ApiError> =>
  p.then(
    () => assert.fail('expected an error'),
    (e: unknown) => (e instanceof ApiError ? e : assert.fail(String(e))),
  );
