import { explainReach, readPerson, type PersonHere } from '../../core/people/person';
import type { Identity } from '../../core/provider';
import type { ConnectionInfo, ConnectionStore } from '../connectionStore';
import type { Sessions } from '../sessions';
import { maxConcurrency } from '../settings';
import type { NodeContext } from '../tree/context';
import type { FollowUps } from './followUps';
import { needsIndex, type AccessIndexes } from './indexStore';

/** What one connection said of the person: their access, or why it could not be read. */
export type Read =
  { readonly ctx: NodeContext; readonly here: PersonHere } | { readonly ctx: NodeContext; readonly error: unknown };
export type Ok = Extract<Read, { here: PersonHere }>;

/** A person opened in the view: one email, read in every connection at once. */
export class Person {
  private readonly reads = new Map<string, Promise<Read>>();
  private readonly explained = new Map<string, Promise<PersonHere>>();
  name?: string;

  constructor(readonly email: string) {}

  /** Every connection's read, side by side; a failed connection fails alone. Each is kept until a refresh. */
  read(deps: PeopleDeps): Promise<Read[]> {
    return Promise.all(
      deps.store.list().map((connection) => {
        let read = this.reads.get(connection.id);
        if (!read) {
          read = this.readOne(deps, connection);
          this.reads.set(connection.id, read);
        }
        return read;
      }),
    );
  }

  private async readOne(deps: PeopleDeps, connection: ConnectionInfo): Promise<Read> {
    const provider = deps.sessions.provider(connection);
    let identity: Identity | undefined;
    try {
      identity = await deps.sessions.identity(connection);
      const ctx: NodeContext = { connection, provider, identity };
      // Why, where it costs a read per resource (GitBook), is read when "Can reach" is opened.
      const here = await readPerson(provider, this.email, {
        identity,
        index: needsIndex(provider) ? deps.indexes.get(connection.id) : undefined,
        concurrency: maxConcurrency(),
        explain: false,
      });
      // The fullest name any connection gives (ElevenLabs has first names only).
      if (here.member && here.member.name.length > (this.name?.length ?? 0)) this.name = here.member.name;
      return { ctx, here };
    } catch (error) {
      return { ctx: { connection, provider, identity }, error };
    }
  }

  /** The read with why for everything reached (read once per connection, then kept with the read). */
  explain(read: Ok): Promise<PersonHere> {
    const id = read.ctx.connection.id;
    let explained = this.explained.get(id);
    if (!explained) {
      explained = explainReach(read.ctx.provider, read.here, { concurrency: maxConcurrency() });
      explained.catch(() => this.explained.delete(id));
      this.explained.set(id, explained);
    }
    return explained;
  }

  /** Forgets what was read: in one connection, or in all. */
  forget(connectionId?: string): void {
    if (connectionId) {
      this.reads.delete(connectionId);
      this.explained.delete(connectionId);
    } else {
      this.reads.clear();
      this.explained.clear();
    }
  }
}

export interface PeopleDeps {
  readonly store: ConnectionStore;
  readonly sessions: Sessions;
  readonly indexes: AccessIndexes;
  readonly followUps: FollowUps;
}
