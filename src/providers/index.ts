import type { HttpClient } from '../core/http/client';
import type { PlatformId } from '../core/platforms';
import type { Provider, ProviderFactory } from '../core/provider';
import { ConfidentProvider } from './confident/provider';
import { ElevenLabsProvider } from './elevenlabs/provider';
import { GitBookProvider } from './gitbook/provider';

const FACTORIES: Readonly<Record<PlatformId, ProviderFactory>> = {
  elevenlabs: (http) => new ElevenLabsProvider(http),
  gitbook: (http, tenantId) => new GitBookProvider(http, tenantId),
  confident: (http) => new ConfidentProvider(http),
};

export function createProvider(platform: PlatformId, http: HttpClient, tenantId?: string): Provider {
  return FACTORIES[platform](http, tenantId);
}
