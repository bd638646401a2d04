import { get } from 'node:http';
import { isLoopbackHost } from '../core/http/url';
import { isPlatformId, type PlatformId } from '../providers';
import type { ConnectionStore } from './connectionStore';
import type { Log } from './outputLog';

export const SANDBOX_ENV = 'WORKSPACE_ACCESS_SANDBOX';

interface SandboxConnection {
  platform: PlatformId;
  label: string;
  baseUrl: string;
  key: string;
  tenantId?: string;
}

function fetchJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url, { timeout: 5_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    }).on('error', reject);
  });
}

/** Whether this window runs the development sandbox (`npm start`). */
export const inSandbox = (): boolean => !!process.env[SANDBOX_ENV];

/** The sandbox's base URL for a platform, when this window runs the development sandbox. */
export async function sandboxBaseUrl(
  platform: PlatformId,
  origin = process.env[SANDBOX_ENV],
): Promise<string | undefined> {
  if (!origin) return undefined;
  const url = new URL(origin);
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) return undefined;
  const list = await fetchJson(`${url.origin}/__emulator/sandbox`);
  return Array.isArray(list) ? (list as SandboxConnection[]).find((e) => e.platform === platform)?.baseUrl : undefined;
}

/**
 * Development only (`npm start`): connects to the local emulator named by WORKSPACE_ACCESS_SANDBOX,
 * taking its sandbox keys from the emulator itself, so nobody types a key. Loopback addresses only.
 */
export async function connectSandbox(
  store: ConnectionStore,
  log: Log,
  origin = process.env[SANDBOX_ENV],
): Promise<number> {
  if (!origin) return 0;
  const url = new URL(origin);
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) {
    log.warn(`${SANDBOX_ENV} must be an http loopback address; ignoring it`);
    return 0;
  }
  const list = await fetchJson(`${url.origin}/__emulator/sandbox`);
  if (!Array.isArray(list)) throw new Error('the emulator did not list sandbox connections');
  let added = 0;
  for (const entry of list as SandboxConnection[]) {
    if (!isPlatformId(entry.platform) || typeof entry.key !== 'string') continue;
    log.addSecret(entry.key);
    const existing = store.list().filter((c) => c.platform === entry.platform && c.baseUrl === entry.baseUrl);
    // A connection someone added by hand keeps its key: only the sandbox's own get the emulator's new keys.
    const own = existing.find((c) => c.sandbox);
    if (own) {
      if ((await store.getKey(own.id)) !== entry.key) await store.setKey(own.id, entry.key);
      continue;
    }
    if (existing.length) {
      log.info(`sandbox: a connection to ${entry.baseUrl} was added by hand; it is left as it is`);
      continue;
    }
    await store.add(
      {
        platform: entry.platform,
        label: entry.label,
        baseUrl: entry.baseUrl,
        sandbox: true,
        ...(entry.tenantId ? { tenantId: entry.tenantId } : {}),
      },
      entry.key,
    );
    added++;
  }
  log.info(`sandbox at ${url.origin}: ${added} connection(s) added`);
  return added;
}
