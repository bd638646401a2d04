import type { HttpClient } from '../core/http/client';
import type { PlatformId } from '../core/platforms';
import type { KnownAccount, Provider, ProviderFactory } from '../core/provider';
import { ConfidentProvider } from './confident/provider';
import { ElevenLabsProvider } from './elevenlabs/provider';
import { GitBookProvider } from './gitbook/provider';

const FACTORIES: Readonly<Record<PlatformId, ProviderFactory>> = {
  elevenlabs: (http) => new ElevenLabsProvider(http),
  gitbook: (http, tenantId, account) => new GitBookProvider(http, tenantId, account),
  confident: (http) => new ConfidentProvider(http),
};

export function createProvider(platform: PlatformId, http: HttpClient, tenantId?: string, account?: KnownAccount): Provider {
  return FACTORIES[platform](http, tenantId, account);
}
