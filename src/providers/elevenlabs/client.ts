import type { HttpClient } from '../../core/http/client';
import { User } from './schemas';

/** One function per ElevenLabs endpoint. */
export function getUser(http: HttpClient, signal?: AbortSignal): Promise<User> {
  return http.request({ method: 'GET', path: '/v1/user', schema: User, signal });
}
