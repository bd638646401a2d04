import type { Platform } from '../../core/provider';
import { ConfidentProvider } from './provider';

/** Confident AI: the facts every layer shares, and how its provider is made. src/providers/index.ts registers it. */
export const confident = {
  info: {
    id: 'confident' as const,
    label: 'Confident AI',
    container: 'organization',
    defaultBaseUrl: 'https://api.confident-ai.com',
    authHeader: 'CONFIDENT_API_KEY',
    authValue: (key) => key,
    keyHelpUrl: 'https://app.confident-ai.com',
    /** The codicon on its connections. */
    icon: 'beaker',
  },
  create: (http) => new ConfidentProvider(http),
} satisfies Platform;
