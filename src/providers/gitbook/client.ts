import type { HttpClient } from '../../core/http/client';
import { User } from './schemas';

/** One function per GitBook endpoint. Paths are below the `/v1` base URL. */
export function getUser(http: HttpClient, signal?: AbortSignal): Promise<User> {
  return http.request({ method: 'GET', path: '/user', schema: User, signal });
}
