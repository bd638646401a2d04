import type { HttpClient } from '../../core/http/client';
import type { Identity, Provider } from '../../core/provider';
import { getUser } from './client';

export class GitBookProvider implements Provider {
  readonly platform = 'gitbook';

  constructor(private readonly http: HttpClient) {}

  async whoAmI(signal?: AbortSignal): Promise<Identity> {
    const user = await getUser(this.http, signal);
    // A token acts as its user; admin rights are per organization (`permissions.admin`), read with the org.
    return { name: user.displayName, email: user.email, detail: user.email, isAdmin: false };
  }
}
