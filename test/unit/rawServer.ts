// A loopback HTTP server that answers as a test says (any status, headers or body, however wrong),
// and a client for it: for what the emulator does not answer, and to count the requests a call sent.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, type HttpClientOptions } from '../../src/core/http/client';
import { Transport } from '../../src/core/http/transport';
import { PLATFORMS } from '../../src/providers';
import { MemoryLogger } from './helpers';

export interface RawServer {
  readonly baseUrl: string;
  /** Requests received so far. */
  readonly hits: () => number;
  close(): Promise<void>;
}

/** `answer` is called with each request and its number (1 for the first). */
export async function rawServer(
  answer: (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void,
): Promise<RawServer> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    answer(req, res, ++hits);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawClient {
  readonly client: HttpClient;
  readonly log: MemoryLogger;
  /** The waits the client asked for; none is slept. */
  readonly waits: number[];
  close(): Promise<void>;
}

/**
 * A GitBook client of a raw server with the production defaults (budget, body cap, retries), unless
 * `overrides` sets them. Retries wait for nothing: each wait is recorded, and moves `clock` when given.
 */
export function rawClient(
  server: RawServer,
  overrides: Partial<HttpClientOptions> = {},
  clock?: { now: number },
): RawClient {
  const log = new MemoryLogger();
  const waits: number[] = [];
  const transport = new Transport({ connectTimeoutMs: 2_000, env: {} });
  const client = new HttpClient({
    platform: PLATFORMS.gitbook,
    baseUrl: server.baseUrl,
    apiKey: () => 'gb_api_test_key_0123456789abcdef',
    transport,
    log,
    random: () => 0.5,
    sleep: (ms) => {
      waits.push(ms);
      if (clock) clock.now += ms;
      return Promise.resolve();
    },
    ...(clock ? { now: () => clock.now } : {}),
    ...overrides,
  });
  return { client, log, waits, close: () => transport.close() };
}
