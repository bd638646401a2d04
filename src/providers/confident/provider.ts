import type { HttpClient } from '../../core/http/client';
import type { Identity, Provider } from '../../core/provider';
import { getOrganization } from './client';

export class ConfidentProvider implements Provider {
  readonly platform = 'confident';

  constructor(private readonly http: HttpClient) {}

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    // An organization API key acts as the organization; its rights show only as 403s.
    const org = await getOrganization(this.http, signal);
    return { name: org.name, detail: `Organization key · ${org.plan.toLowerCase()} plan`, isAdmin: true };
  }
}
