/** The platforms the extension manages, and the transport facts every layer shares. */
export type PlatformId = 'elevenlabs' | 'gitbook' | 'confident';

export interface PlatformInfo {
  readonly id: PlatformId;
  /** The name people know the platform by. */
  readonly label: string;
  /** What a connection of this platform manages. */
  readonly container: string;
  readonly defaultBaseUrl: string;
  /** Header that carries the key, and how the value is written. */
  readonly authHeader: string;
  readonly authValue: (key: string) => string;
  /** Where a person creates a key. */
  readonly keyHelpUrl: string;
}

export const PLATFORMS: Readonly<Record<PlatformId, PlatformInfo>> = {
  elevenlabs: {
    id: 'elevenlabs',
    label: 'ElevenLabs',
    container: 'workspace',
    defaultBaseUrl: 'https://api.elevenlabs.io',
    authHeader: 'xi-api-key',
    authValue: (key) => key,
    keyHelpUrl: 'https://elevenlabs.io/app/settings/api-keys',
  },
  gitbook: {
    id: 'gitbook',
    label: 'GitBook',
    container: 'organization',
    defaultBaseUrl: 'https://api.gitbook.com/v1',
    authHeader: 'authorization',
    authValue: (key) => `Bearer ${key}`,
    keyHelpUrl: 'https://app.gitbook.com/account/developer',
  },
  confident: {
    id: 'confident',
    label: 'Confident AI',
    container: 'organization',
    defaultBaseUrl: 'https://api.confident-ai.com',
    authHeader: 'CONFIDENT_API_KEY',
    authValue: (key) => key,
    keyHelpUrl: 'https://app.confident-ai.com',
  },
};

export const PLATFORM_IDS = Object.keys(PLATFORMS) as PlatformId[];

export function isPlatformId(value: unknown): value is PlatformId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PLATFORMS, value);
}
