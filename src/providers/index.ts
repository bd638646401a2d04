import type { HttpClient } from '../core/http/client';
import type { AccessFileFacts } from '../core/access/facts';
import type { PlatformInfo } from '../core/platforms';
import type { KnownAccount, Provider } from '../core/provider';
import { confident } from './confident/platform';
import { elevenlabs } from './elevenlabs/platform';
import { gitbook } from './gitbook/platform';

/**
 * Every platform the extension manages: one line each. A platform is its own folder (client,
 * schemas, provider, and platform.ts with its facts, icon and factory) and its entry here; the
 * VS Code layer reads labels, icons and base URLs from this list.
 */
const REGISTERED = [elevenlabs, gitbook, confident] as const;

export type PlatformId = (typeof REGISTERED)[number]['info']['id'];

export const PLATFORMS = Object.fromEntries(REGISTERED.map((p) => [p.info.id, p.info])) as Readonly<
  Record<PlatformId, PlatformInfo>
>;

/** What the access file can say about each platform. */
export const ACCESS_FILE_FACTS: readonly AccessFileFacts[] = REGISTERED.map((p) => p.accessFile);

export const PLATFORM_IDS: readonly PlatformId[] = REGISTERED.map((p) => p.info.id);

export function isPlatformId(value: unknown): value is PlatformId {
  return typeof value === 'string' && (PLATFORM_IDS as readonly string[]).includes(value);
}

export function createProvider(
  platform: PlatformId,
  http: HttpClient,
  tenantId?: string,
  account?: KnownAccount,
): Provider {
  const found = REGISTERED.find((p) => p.info.id === platform);
  if (!found) throw new Error(`No platform "${platform}" is registered.`);
  return found.create(http, tenantId, account);
}
