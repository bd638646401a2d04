import type { HttpClient } from '../../core/http/client';
import type { Group, Member, Page, Principal } from '../../core/model';

/**
 * What every ElevenLabs capability works with: the connection's client, and what the connection
 * remembers between calls until the provider's invalidate().
 */
export class ElevenLabsContext {
  /** Every principal by id, naming the ids in `role_to_group_ids`; read once per refresh. */
  directory?: Promise<Map<string, Principal>>;
  /** Each group's member pages, cut from the group's email list. */
  readonly groupPages = new Map<string, (token?: string, signal?: AbortSignal) => Promise<Page<Member>>>();
  /** The last read of the groups (their member emails name a group's members without another read). */
  groupsRead?: Promise<Group[] | undefined>;

  constructor(readonly http: HttpClient) {}

  /** Forgets the principal directory and the groups read (after membership changes). */
  forget(): void {
    this.directory = undefined;
    this.groupPages.clear();
    this.groupsRead = undefined;
  }
}
