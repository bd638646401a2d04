/**
 * The command line's connections: each entry of the access file gets its key from the environment
 * (never from the file or a flag), its base URL from the environment or the platform's default,
 * and is checked against what the key can see: GitBook's organization by id or name, Confident
 * AI's organization by the key's own, ElevenLabs by nothing (its API names no workspace).
 */
import { HttpClient } from '../core/http/client';
import { ApiError } from '../core/http/errors';
import { DEFAULT_DEADLINE_MS } from '../core/http/retry';
import type { Logger } from '../core/logger';
import { checkBaseUrl } from '../core/http/url';
import type { Transport } from '../core/http/transport';
import type { ConnectionSpec } from '../core/access/parse';
import type { AccessFileFacts } from '../core/access/facts';
import type { Provider, Tenant } from '../core/provider';
import { ACCESS_FILE_FACTS, createProvider, PLATFORM_IDS, PLATFORMS, type PlatformId } from '../providers';

export type Env = Readonly<Record<string, string | undefined>>;

/** `WORKSPACE_ACCESS_GITBOOK_KEY`: the key of every connection of a platform. */
export const keyVariable = (platform: PlatformId) => `WORKSPACE_ACCESS_${platform.toUpperCase()}_KEY`;
/** `WORKSPACE_ACCESS_GITBOOK_URL`: another base URL (https, or http to loopback). */
export const urlVariable = (platform: PlatformId) => `WORKSPACE_ACCESS_${platform.toUpperCase()}_URL`;
/** `WORKSPACE_ACCESS_ELEVENLABS_KEY_PRODUCTION`: the key of the connection named "Production" alone. */
export const namedKeyVariable = (platform: PlatformId, name: string) =>
  `${keyVariable(platform)}_${name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')}`;

/** What a journal keeps to build a connection again on resume: names, never a key. */
export interface ConnectionRef {
  readonly platform: PlatformId;
  readonly name: string;
  readonly tenantId?: string;
}

export interface CliConnection extends ConnectionRef {
  readonly id: string;
  /** The variable its key came from. */
  readonly variable: string;
  readonly provider: Provider;
}

/** A connection's names, as a journal and a saved plan keep them to build it again. */
export const refOf = (c: ConnectionRef): ConnectionRef => ({
  platform: c.platform,
  name: c.name,
  ...(c.tenantId ? { tenantId: c.tenantId } : {}),
});

/** The key for a file entry: its own variable first, then the platform's. */
export function keyFor(
  platform: PlatformId,
  name: string | undefined,
  env: Env,
): { key: string; variable: string } | undefined {
  for (const variable of [...(name ? [namedKeyVariable(platform, name)] : []), keyVariable(platform)]) {
    const key = env[variable]?.trim();
    if (key) return { key, variable };
  }
  return undefined;
}

export function missingKey(platform: PlatformId, name: string): string {
  return `No key for this ${PLATFORMS[platform].label} ${PLATFORMS[platform].container}: set ${keyVariable(platform)} (or ${namedKeyVariable(platform, name)} for "${name}" alone) in the environment.`;
}

/**
 * Why a call did not get through, where the host could not be reached: which host, and the
 * variable that names it (set, or not set and so the platform's default). Undefined for any other error.
 */
export function unreachable(err: unknown, env: Env): string | undefined {
  if (!(err instanceof ApiError) || !isPlatform(err.platform)) return undefined;
  if (!(err.kind === 'network' || (err.kind === 'timeout' && err.code === 'UND_ERR_CONNECT_TIMEOUT'))) return undefined;
  const platform = err.platform;
  const variable = urlVariable(platform);
  const set = env[variable]?.trim();
  const url = set || PLATFORMS[platform].defaultBaseUrl;
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // the URL check names a malformed one before any call
  }
  return `${PLATFORMS[platform].label} cannot be reached at ${host} (${err.code ?? err.kind}). Check the network, or ${variable} (${set ? `now ${set}` : `not set, so the default ${url}`}).`;
}

const factsOf = (platform: string): AccessFileFacts | undefined =>
  ACCESS_FILE_FACTS.find((f) => f.platform === platform);

export const isPlatform = (p: string): p is PlatformId => (PLATFORM_IDS as readonly string[]).includes(p);

/** Builds clients and providers from keys in the environment; every key read is kept for redaction. */
export class CliSessions {
  private readonly tenants = new Map<string, Promise<Tenant[]>>();
  private readonly accounts = new Map<string, Promise<string>>();

  constructor(
    private readonly env: Env,
    private readonly transport: Transport,
    private readonly log: Logger,
    private readonly secrets: Set<string>,
    readonly concurrency: number,
    /** One API call's budget, its retries and waits included (`--timeout`). */
    private readonly timeoutMs = DEFAULT_DEADLINE_MS,
  ) {}

  /** The base URL of a platform, checked by the extension's rule; an error names the variable to fix. */
  baseUrl(platform: PlatformId): string {
    const variable = urlVariable(platform);
    const raw = this.env[variable]?.trim();
    try {
      return checkBaseUrl(raw || PLATFORMS[platform].defaultBaseUrl);
    } catch (err) {
      throw new Error(`${variable}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  provider(platform: PlatformId, key: string, tenantId?: string): Provider {
    this.secrets.add(key);
    const http = new HttpClient({
      platform: PLATFORMS[platform],
      baseUrl: this.baseUrl(platform),
      apiKey: () => key,
      transport: this.transport,
      log: this.log,
      timeoutMs: this.timeoutMs,
      maxInFlight: this.concurrency,
    });
    return createProvider(platform, http, tenantId);
  }

  /** The connection a file entry names, with its provider; or why there is none (a line's problem). */
  async resolve(spec: ConnectionSpec, signal?: AbortSignal): Promise<CliConnection | { problem: string }> {
    const platform = spec.facts.platform;
    if (!isPlatform(platform)) return { problem: `The command line does not know the platform "${platform}".` };
    const found = keyFor(platform, spec.name, this.env);
    if (!found) return { problem: missingKey(platform, spec.name) };
    const { key, variable } = found;
    const label = PLATFORMS[platform].label;
    try {
      switch (spec.facts.match.by) {
        case 'tenant': {
          const tenants = await this.tenantsOf(platform, key, signal);
          const lower = spec.name.toLowerCase();
          const tenant =
            tenants.find((t) => t.id.toLowerCase() === lower) ?? tenants.find((t) => t.name.toLowerCase() === lower);
          if (!tenant)
            return {
              problem: `The key in ${variable} reaches no ${label} organization "${spec.name}"${tenants.length ? `; it reaches: ${tenants.map((t) => `${t.id} (${t.name})`).join(', ')}` : ''}.`,
            };
          return {
            id: `${platform}:${tenant.id}`,
            platform,
            name: spec.name,
            tenantId: tenant.id,
            variable,
            provider: this.provider(platform, key, tenant.id),
          };
        }
        case 'account': {
          const account = await this.accountOf(platform, key, signal);
          if (account.toLowerCase() !== spec.name.toLowerCase())
            return {
              problem: `The key in ${variable} belongs to ${label} ${PLATFORMS[platform].container} "${account}", not "${spec.name}": set the key of "${spec.name}" (${namedKeyVariable(platform, spec.name)}), or fix the name.`,
            };
          return {
            id: `${platform}:${spec.name.toLowerCase()}`,
            platform,
            name: spec.name,
            variable,
            provider: this.provider(platform, key),
          };
        }
        case 'label':
          return {
            id: `${platform}:${spec.name.toLowerCase()}`,
            platform,
            name: spec.name,
            variable,
            provider: this.provider(platform, key),
          };
      }
    } catch (err) {
      signal?.throwIfAborted();
      return {
        problem:
          unreachable(err, this.env) ??
          `Could not check the key in ${variable} with ${label}: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }

  /** A connection of a journal, built again from its names and the environment's key. */
  rebuild(ref: ConnectionRef): Provider {
    const found = keyFor(ref.platform, ref.name, this.env);
    if (!found) throw new Error(missingKey(ref.platform, ref.name));
    return this.provider(ref.platform, found.key, ref.tenantId);
  }

  /** Every connection the platform keys reach, for an export to a new file, named as the file names them. */
  async everything(signal?: AbortSignal): Promise<(CliConnection & { facts: AccessFileFacts })[]> {
    // Each platform is asked at once (who the key is, which organizations it reaches), listed in the platforms' order.
    return (await Promise.all(PLATFORM_IDS.map((platform) => this.reachedBy(platform, signal)))).flat();
  }

  /**
   * Every connection the platform keys reach, each platform asked on its own: a key that is refused
   * (or a platform that is down) is a failure of its platform alone, and the others are still listed.
   */
  async everyReachable(signal?: AbortSignal): Promise<{
    connections: (CliConnection & { facts: AccessFileFacts })[];
    failures: { platform: PlatformId; variable: string; error: string }[];
  }> {
    const settled = await Promise.all(
      PLATFORM_IDS.map((platform) =>
        this.reachedBy(platform, signal).then(
          (found) => ({ platform, found }),
          (err: unknown) => {
            signal?.throwIfAborted();
            const variable = keyFor(platform, undefined, this.env)?.variable ?? keyVariable(platform);
            return { platform, variable, error: err instanceof Error ? err.message : String(err) };
          },
        ),
      ),
    );
    return {
      connections: settled.flatMap((s) => ('found' in s ? s.found : [])),
      failures: settled.flatMap((s) => ('error' in s ? [s] : [])),
    };
  }

  /** The connections one platform's key reaches: none without a key. */
  private async reachedBy(
    platform: PlatformId,
    signal?: AbortSignal,
  ): Promise<(CliConnection & { facts: AccessFileFacts })[]> {
    const found = keyFor(platform, undefined, this.env);
    const facts = factsOf(platform);
    if (!found || !facts) return [];
    const { key, variable } = found;
    const base = { platform, variable, facts };
    if (facts.match.by === 'tenant')
      return (await this.tenantsOf(platform, key, signal)).map((t) => ({
        ...base,
        id: `${platform}:${t.id}`,
        name: t.id,
        tenantId: t.id,
        provider: this.provider(platform, key, t.id),
      }));
    const name = facts.match.by === 'account' ? await this.accountOf(platform, key, signal) : PLATFORMS[platform].label;
    return [{ ...base, id: `${platform}:${name.toLowerCase()}`, name, provider: this.provider(platform, key) }];
  }

  /** The organizations a key reaches, asked once per key. */
  private tenantsOf(platform: PlatformId, key: string, signal?: AbortSignal): Promise<Tenant[]> {
    return once(this.tenants, `${platform}\n${key}`, () => {
      const provider = this.provider(platform, key);
      return provider.listTenants ? provider.listTenants(signal) : Promise.resolve([]);
    });
  }

  /** The name of the account a key acts as (a Confident AI key: its organization), asked once per key. */
  private accountOf(platform: PlatformId, key: string, signal?: AbortSignal): Promise<string> {
    return once(this.accounts, `${platform}\n${key}`, () =>
      this.provider(platform, key)
        .whoAmI(signal)
        .then((i) => i.name),
    );
  }
}

function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) cache.set(key, (value = make()));
  return value;
}
