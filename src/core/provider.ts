import type { HttpClient } from './http/client';
import type { PlatformId } from './platforms';

/** Who the connection's key acts as: shown on the connection, and what gates admin actions. */
export interface Identity {
  /** A person's name, or the organization's when the key belongs to an organization. */
  readonly name: string;
  /** Seat, role or plan, in the platform's own words. */
  readonly detail?: string;
  readonly email?: string;
  /** Whether the key may do admin writes (invite, share, change roles). */
  readonly isAdmin: boolean;
}

/** What each platform provider implements. The platform issues extend it (members, groups, resources, grants). */
export interface Provider {
  readonly platform: PlatformId;
  /** The validating call: checks the key and says who it acts as. */
  whoAmI(signal?: AbortSignal): Promise<Identity>;
}

export type ProviderFactory = (http: HttpClient) => Provider;
