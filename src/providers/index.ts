import type { HttpClient } from '../core/http/client';
import type { PlatformId } from '../core/platforms';
import type { Provider, ProviderFactory } from '../core/provider';
import { ConfidentProvider } from './confident/provider';
import { ElevenLabsProvider } from './elevenlabs/provider';
import { GitBookProvider } from './gitbook/provider';

const FACTORIES: Readonly<Record<PlatformId, ProviderFactory>> = {
  elevenlabs: (http) => new ElevenLabsProvider(http),
  gitbook: (http) => new GitBookProvider(http),
  confident: (http) => new ConfidentProvider(http),
};

export function createProvider(platform: PlatformId, http: HttpClient): Provider {
  return FACTORIES[platform](http);
}
