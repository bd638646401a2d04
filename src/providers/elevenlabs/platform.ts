import type { Platform } from '../../core/provider';
import { ElevenLabsProvider } from './provider';

/** ElevenLabs: the facts every layer shares, and how its provider is made. src/providers/index.ts registers it. */
export const elevenlabs = {
  info: {
    id: 'elevenlabs' as const,
    label: 'ElevenLabs',
    container: 'workspace',
    defaultBaseUrl: 'https://api.elevenlabs.io',
    authHeader: 'xi-api-key',
    authValue: (key) => key,
    keyHelpUrl: 'https://elevenlabs.io/app/settings/api-keys',
    /** The codicon on its connections. */
    icon: 'mic',
  },
  create: (http) => new ElevenLabsProvider(http),
} satisfies Platform;
