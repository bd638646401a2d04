/**
 * The access index: who holds which role on every resource of a connection, for platforms with no
 * "what can this person reach" endpoint (the only way there is each resource's sharing). It is built
 * through the bulk engine (the adaptive window, cancellable, with progress), kept as plain JSON, and
 * usable while it fills: a partial index answers for the resources read so far.
 */
import { runJob } from '../jobs/engine';
import { readAllPages } from '../paging';
import type { Grant, PrincipalKind, Resource } from '../model';
import type { ResourceKey, Sharing } from '../provider';

/** One grant, small: principal kind and id, role, and the name only for groups (no personal data). */
export interface IndexGrant {
  readonly k: PrincipalKind;
  readonly id: string;
  readonly r: string;
  /** A group's name, to say "through group X". */
  readonly n?: string;
  /** The resource's creator (always admin, cannot be removed). */
  readonly c?: 1;
}

export interface IndexEntry {
  readonly type: string;
  readonly id: string;
  readonly name: string;
  readonly grants: readonly IndexGrant[];
}

export interface IndexData {
  readonly v: 1;
  /** When the last full build finished (ms since the epoch); undefined while none has. */
  readonly builtAt?: number;
  /** When the index last changed (a build step or a refreshed resource). */
  readonly updatedAt: number;
  /** How many resources the last build found; `entries` may hold fewer while a build runs. */
  readonly total?: number;
  readonly complete: boolean;
  readonly entries: readonly IndexEntry[];
}

/** Who a person is in grants: their own id, their groups (id → name), and whether the default counts. */
export interface PrincipalSet {
  readonly userId: string;
  readonly groups: ReadonlyMap<string, string>;
}

/** A resource the person reaches through the index, with every grant that gives it. */
export interface IndexedReach {
  readonly resource: Pick<Resource, 'type' | 'id' | 'name'>;
  readonly grants: readonly IndexGrant[];
}

const keyOf = (r: ResourceKey) => `${r.type}\u0000${r.id}`;

function compact(grant: Grant): IndexGrant | undefined {
  const p = grant.principal;
  if (p.kind === 'anonymous') return undefined;
  return {
    k: p.kind,
    id: p.id,
    r: grant.role,
    ...(p.kind === 'group' ? { n: p.name } : {}),
    ...(grant.creator ? { c: 1 as const } : {}),
  };
}

export class ReachIndex {
  private readonly entries = new Map<string, IndexEntry>();
  builtAt?: number;
  updatedAt = 0;
  total?: number;
  complete = false;

  static from(data: IndexData): ReachIndex {
    const index = new ReachIndex();
    for (const e of data.entries) index.entries.set(keyOf(e), e);
    index.builtAt = data.builtAt;
    index.updatedAt = data.updatedAt;
    index.total = data.total;
    index.complete = data.complete;
    return index;
  }

  get size(): number {
    return this.entries.size;
  }

  toJSON(): IndexData {
    return {
      v: 1,
      builtAt: this.builtAt,
      updatedAt: this.updatedAt,
      total: this.total,
      complete: this.complete,
      entries: [...this.entries.values()],
    };
  }

  has(resource: ResourceKey): boolean {
    return this.entries.has(keyOf(resource));
  }

  /** The resources it holds, by type and id. */
  resources(): ResourceKey[] {
    return [...this.entries.values()].map((e) => ({ type: e.type, id: e.id }));
  }

  /** Records a resource's grants (after a build step, or after a share change the extension made). */
  set(resource: Pick<Resource, 'type' | 'id' | 'name'>, grants: readonly Grant[]): void {
    const compacted = grants.flatMap((g) => compact(g) ?? []);
    this.entries.set(keyOf(resource), { type: resource.type, id: resource.id, name: resource.name, grants: compacted });
    this.updatedAt = Date.now();
  }

  /** Forgets a resource that no longer exists. */
  delete(resource: ResourceKey): void {
    if (this.entries.delete(keyOf(resource))) this.updatedAt = Date.now();
  }

  /** The resources whose grants name the person, one of their groups, or the default, with those grants. */
  reach(who: PrincipalSet): IndexedReach[] {
    const out: IndexedReach[] = [];
    const names = (g: IndexGrant) =>
      g.k === 'user' ? g.id === who.userId : g.k === 'group' ? who.groups.has(g.id) : g.k === 'default';
    for (const e of this.entries.values()) {
      // Most resources name none of them: checked without building anything.
      let first = -1;
      for (let i = 0; i < e.grants.length; i++)
        if (names(e.grants[i])) {
          first = i;
          break;
        }
      if (first === -1) continue;
      const grants: IndexGrant[] = [];
      for (let i = first; i < e.grants.length; i++) if (names(e.grants[i])) grants.push(e.grants[i]);
      out.push({ resource: { type: e.type, id: e.id, name: e.name }, grants });
    }
    return out;
  }
}

export interface BuildOptions {
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  /** Called as resources are read: `done` of `total` (total grows while lists are read). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BuildResult {
  /** Resources whose sharing could not be read, with why (the first few). */
  readonly failed: number;
  readonly reasons: readonly string[];
  readonly cancelled: boolean;
}

/**
 * Reads every resource of every type, then each resource's grants through the bulk engine, into the
 * index as it goes. A cancelled build leaves a partial index (complete stays false).
 */
export async function buildIndex(sharing: Sharing, index: ReachIndex, options: BuildOptions): Promise<BuildResult> {
  const lists = await Promise.all(
    sharing.types.map((t) =>
      readAllPages(`${t.label}`, (token) => sharing.list(t.id, token, options.signal), { signal: options.signal }),
    ),
  );
  const resources = lists.flat();
  const seen = new Set(resources.map(keyOf));
  index.total = resources.length;
  options.onProgress?.(0, resources.length);
  await sharing.prepare?.(options.signal);
  const { outcomes } = await runJob(
    resources,
    {
      key: keyOf,
      run: async (r, signal) => index.set(r, (await sharing.access(r, signal)).grants),
    },
    { maxConcurrency: options.concurrency, signal: options.signal, onSettled: options.onProgress },
  );
  const failed = outcomes.filter((o) => o.status !== 'done');
  const cancelled = options.signal?.aborted ?? false;
  // What the lists no longer hold is gone from the platform.
  if (!cancelled) for (const r of index.resources()) if (!seen.has(keyOf(r))) index.delete(r);
  if (!cancelled && failed.length === 0) {
    index.complete = true;
    index.builtAt = Date.now();
  }
  return { failed: failed.length, reasons: failed.slice(0, 3).map((o) => ('reason' in o ? o.reason : '')), cancelled };
}
