import type { Platform } from '../../core/provider';
import { GitBookProvider } from './provider';

/** GitBook: the facts every layer shares, and how its provider is made. src/providers/index.ts registers it. */
export const gitbook = {
  info: {
    id: 'gitbook' as const,
    label: 'GitBook',
    container: 'organization',
    defaultBaseUrl: 'https://api.gitbook.com/v1',
    authHeader: 'authorization',
    authValue: (key) => `Bearer ${key}`,
    keyHelpUrl: 'https://app.gitbook.com/account/developer',
    /** The codicon on its connections. */
    icon: 'book',
  },
  create: (http, tenantId, account) => new GitBookProvider(http, tenantId, account),
} satisfies Platform;
