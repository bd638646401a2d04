import * as z from 'zod';
import type { HttpClient } from '../../core/http/client';
import { envelope, Organization } from './schemas';

/** One function per Confident AI endpoint; each unwraps the `{success, data}` envelope. */
export async function getOrganization(http: HttpClient, signal?: AbortSignal): Promise<Organization> {
  const body = await http.request({ method: 'GET', path: '/v1/organization', schema: envelope(z.object({ organization: Organization })), signal });
  return body.data.organization;
}
