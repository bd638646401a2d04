/**
 * One file's plan across its connections: match each entry to a stored connection, read live
 * state for what it declares, and plan. The extension and the command line both run this.
 */
import type { Provider } from '../provider';
import type { InvitedLookup } from './invited';
import { locate, type ConnectionSpec, type ParsedFile, type Problem } from './parse';
import { readLive, type LiveState } from './live';
import { planConnection, type ConnectionPlan, type PlannedChange } from './planner';

/** A stored connection as matching needs it: never a key. */
export interface Candidate {
  readonly id: string;
  readonly platform: string;
  /** What it can be named by: the connection's name, its organization's id and name. */
  readonly names: readonly string[];
}

/** The stored connection a file entry names, or why none does. */
export function matchConnection(
  spec: ConnectionSpec,
  candidates: readonly Candidate[],
): { id: string } | { problem: string } {
  const name = spec.name.toLowerCase();
  const found = candidates.filter(
    (c) => c.platform === spec.facts.platform && c.names.some((n) => n.toLowerCase() === name),
  );
  if (found.length === 1) return { id: found[0].id };
  if (found.length > 1)
    return {
      problem: `${found.length} ${spec.facts.label} connections are named "${spec.name}": rename one, so the file names exactly one.`,
    };
  const same = candidates.filter((c) => c.platform === spec.facts.platform);
  const names = same.map((c) => `"${c.names[0]}"`).join(', ');
  return {
    problem: `No ${spec.facts.label} connection matches ${spec.facts.match.key} "${spec.name}"${same.length ? `; connections: ${names}` : ''}. Add the connection (Workspace Access: Add Connection), or fix the name.`,
  };
}

export interface Target {
  readonly connectionId: string;
  readonly provider: Provider;
  /** Invitations Apply sent earlier where the platform cannot list them, by lower-case email. */
  readonly invited?: InvitedLookup;
}

export interface FilePlan {
  readonly plans: readonly ConnectionPlan[];
  /** Live state per connection id, for the diff's left side and the editor's completion and hover. */
  readonly live: ReadonlyMap<string, LiveState>;
  /** The connection each entry of the file matched, by its index. */
  readonly targets: readonly (Target | undefined)[];
  /** Match problems, and each connection's drift, expiry and what cannot be done. */
  readonly findings: readonly Problem[];
  readonly changes: readonly PlannedChange[];
}

export interface PlanOptions {
  readonly today: string;
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  /** Reads a connection's live state; the editor passes one that reuses what it read for the last edit. */
  readonly read?: (spec: ConnectionSpec, target: Target) => Promise<LiveState>;
}

/** Today as YYYY-MM-DD (UTC). */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

/** Plans a parsed file. Connections are read side by side; one that fails to read fails the plan with its name. */
export async function planFile(
  parsed: ParsedFile,
  resolve: (spec: ConnectionSpec) => Target | { problem: string },
  options: PlanOptions,
): Promise<FilePlan> {
  if (parsed.problems.some((p) => p.severity === 'error'))
    throw new Error('The file has errors; fix them first (they are listed in Problems).');
  const findings: Problem[] = [];
  const targets = parsed.connections.map((spec) => {
    const t = resolve(spec);
    if ('problem' in t) {
      findings.push({ at: spec.at, severity: 'error', code: 'connection', message: t.problem });
      return undefined;
    }
    return t;
  });
  const live = new Map<string, LiveState>();
  const plans = await Promise.all(
    parsed.connections.map(async (spec, i) => {
      const t = targets[i];
      if (!t) return undefined;
      let state: LiveState;
      try {
        state = await (options.read
          ? options.read(spec, t)
          : readLive(t.provider, spec, {
              concurrency: options.concurrency,
              signal: options.signal,
              onProgress: options.onProgress,
            }));
      } catch (err) {
        options.signal?.throwIfAborted();
        // One connection that cannot be read fails alone, at its line; the others are planned.
        findings.push({
          at: spec.at,
          severity: 'error',
          code: 'unreadable',
          message: `Could not read live access: ${err instanceof Error ? err.message : String(err)}`,
        });
        return undefined;
      }
      live.set(t.connectionId, state);
      // The entry's own place in the file (a partial file's specs skip entries with errors).
      const sectionAt = (key: string) => locate(parsed.tree.root, [...spec.path.slice(0, 2), key]);
      return planConnection(
        spec,
        state,
        { connectionId: t.connectionId, provider: t.provider, today: options.today, invited: t.invited },
        sectionAt,
      );
    }),
  );
  const done = plans.filter((p): p is ConnectionPlan => !!p);
  return {
    plans: done,
    live,
    targets,
    findings: [...findings, ...done.flatMap((p) => p.findings)],
    changes: done.flatMap((p) => p.changes),
  };
}
