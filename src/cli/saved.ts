/**
 * Saved plans: `plan FILE --out PLAN` writes the plan a reviewer reads together with what it was
 * computed from, and `apply PLAN` sends exactly those changes, or nothing when any of it has moved.
 * A saved plan holds the tool's version, the access file's path and SHA-256, the `--connection`
 * it was made for, and each change (the one change vocabulary, its connection, its words) with a
 * fingerprint of the live facts it was decided from (core/access/fingerprint.ts). Its own SHA-256,
 * over all of that, refuses a plan edited by hand. It names people: it is written readable by its
 * owner only, for a short-lived private CI artifact, never for the repository.
 */
import * as z from 'zod';
import type { Change } from '../core/changes/change';
import { changeKey } from '../core/changes/change';
import { describeChange } from '../core/changes/words';
import { canonicalJson, fingerprints, sha256 } from '../core/access/fingerprint';
import type { FilePlan } from '../core/access/plan';
import type { PlannedChange } from '../core/access/planner';
import { isPlatform, type ConnectionRef } from './connections';

/** The marker by which `apply` knows a saved plan from an access file, whatever the file is called. */
export const SAVED_PLAN_FORMAT = 'workspace-access saved plan';
/** The version of the saved plan's shape; a tool reads only the versions it knows. */
export const SAVED_PLAN_SCHEMA_VERSION = 1;

export interface SavedChange {
  readonly connectionId: string;
  /** How to build the connection again: names, never a key. */
  readonly connection: ConnectionRef;
  readonly kind: PlannedChange['kind'];
  /** Its line in the access file, for people; `at` is its span, for printing it as plan does. */
  readonly line: number;
  readonly at: readonly [number, number];
  readonly caution?: PlannedChange['caution'];
  readonly warning?: string;
  readonly lowers?: boolean;
  readonly description: string;
  readonly change: Change;
  /** SHA-256 of the live facts the change was decided from. */
  readonly live: string;
}

export interface SavedPlan {
  readonly format: typeof SAVED_PLAN_FORMAT;
  readonly schemaVersion: number;
  readonly toolVersion: string;
  /** When the plan was made (ISO time). */
  readonly createdAt: string;
  /** The access file: its path as it was given, and the SHA-256 of its bytes. */
  readonly file: { readonly path: string; readonly sha256: string };
  /** The `--connection` the plan was made for; absent for every connection of the file. */
  readonly connection?: string;
  readonly changes: readonly SavedChange[];
  /** SHA-256 of the canonical JSON of everything above. */
  readonly sha256: string;
}

/** The emails an earlier apply invited where the platform cannot list them, as the plan read them for a connection. */
const rememberedOf = (plan: FilePlan, connectionId: string): ReadonlySet<string> | undefined =>
  plan.targets.find((t) => t?.connectionId === connectionId)?.invited;

/** The changes of a plan by connection, each list in the plan's order. */
function byConnection<T extends { readonly connectionId: string }>(changes: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const c of changes) {
    const list = out.get(c.connectionId);
    if (list) list.push(c);
    else out.set(c.connectionId, [c]);
  }
  return out;
}

/** Each change's fingerprint against the live state the plan holds for its connection (undefined where it holds none). */
function fingerprintsOf<T extends { readonly connectionId: string; readonly change: Change }>(
  plan: FilePlan,
  changes: readonly T[],
): Map<T, string | undefined> {
  const out = new Map<T, string | undefined>();
  for (const [id, list] of byConnection(changes)) {
    const live = plan.live.get(id);
    const prints = live
      ? fingerprints(
          list.map((c) => c.change),
          live,
          rememberedOf(plan, id),
        )
      : [];
    list.forEach((c, i) => out.set(c, prints[i]));
  }
  return out;
}

const selfHash = (plan: Omit<SavedPlan, 'sha256'>) => sha256(canonicalJson(plan));

export interface SaveInput {
  readonly toolVersion: string;
  /** The access file as it was given, and its bytes' SHA-256. */
  readonly file: string;
  readonly fileSha256: string;
  readonly connection?: string;
  readonly plan: FilePlan;
  readonly refOf: (connectionId: string) => ConnectionRef | undefined;
  readonly lineOf: (c: PlannedChange) => number;
  readonly now?: Date;
}

/** The saved plan of a plan just made from live. */
export function savedPlanOf(input: SaveInput): SavedPlan {
  const prints = fingerprintsOf(input.plan, input.plan.changes);
  const changes = input.plan.changes.map((c): SavedChange => {
    const connection = input.refOf(c.connectionId);
    const live = prints.get(c);
    if (!connection || !live)
      throw new Error(`The plan has a change of a connection it did not read (${c.connectionId}).`);
    return {
      connectionId: c.connectionId,
      connection,
      kind: c.kind,
      line: input.lineOf(c),
      at: c.at,
      ...(c.caution ? { caution: c.caution } : {}),
      ...(c.warning ? { warning: c.warning } : {}),
      ...(c.lowers ? { lowers: c.lowers } : {}),
      description: describeChange(c.change),
      change: c.change,
      live,
    };
  });
  const body: Omit<SavedPlan, 'sha256'> = {
    format: SAVED_PLAN_FORMAT,
    schemaVersion: SAVED_PLAN_SCHEMA_VERSION,
    toolVersion: input.toolVersion,
    createdAt: (input.now ?? new Date()).toISOString(),
    file: { path: input.file, sha256: input.fileSha256 },
    ...(input.connection !== undefined ? { connection: input.connection } : {}),
    changes,
  };
  return { ...body, sha256: selfHash(body) };
}

export const savedPlanText = (plan: SavedPlan): string => `${JSON.stringify(plan, null, 2)}\n`;

const Ref = z.object({
  platform: z.string().refine(isPlatform, 'not a platform this tool knows'),
  name: z.string(),
  tenantId: z.string().optional(),
});
const Saved = z.object({
  format: z.literal(SAVED_PLAN_FORMAT),
  schemaVersion: z.literal(SAVED_PLAN_SCHEMA_VERSION),
  toolVersion: z.string(),
  createdAt: z.string(),
  file: z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  connection: z.string().optional(),
  changes: z.array(
    z.object({
      connectionId: z.string().min(1),
      connection: Ref,
      kind: z.enum(['add', 'change', 'remove']),
      line: z.number().int(),
      at: z.tuple([z.number().int(), z.number().int()]),
      caution: z.enum(['self', 'owner', 'ownership']).optional(),
      warning: z.string().optional(),
      lowers: z.boolean().optional(),
      description: z.string(),
      // The change itself is the vocabulary's plain JSON, kept whole (its shape is checked by the self-hash).
      change: z.looseObject({ op: z.string() }),
      live: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
  sha256: z.string(),
});

/**
 * The saved plan in a file's text; undefined when the text is not one (an access file, whatever
 * its name); a problem when it is one that cannot be applied as it is: another schema version,
 * edited by hand or damaged.
 */
export function parseSavedPlan(text: string, name: string): { plan: SavedPlan } | { problem: string } | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || (raw as { format?: unknown }).format !== SAVED_PLAN_FORMAT) return undefined;
  const again = 'Make it again: workspace-access plan <file> --out <plan>. Nothing was sent.';
  const { sha256: own, ...body } = raw as Record<string, unknown>;
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (version !== SAVED_PLAN_SCHEMA_VERSION)
    return {
      problem: `${name} is a saved plan of schema version ${String(version)}; this workspace-access reads version ${SAVED_PLAN_SCHEMA_VERSION}. ${again}`,
    };
  if (own !== sha256(canonicalJson(body)))
    return {
      problem: `${name} was edited or damaged since it was saved (its own SHA-256 does not match its content): a saved plan is applied only as plan wrote it. ${again}`,
    };
  const parsed = Saved.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `${name} is not a whole saved plan (${issue.path.join('.')}: ${issue.message}). ${again}` };
  }
  return { plan: raw as SavedPlan };
}

/** The saved changes as the plan made them, for printing, --yes and the journal. */
export const plannedOf = (saved: SavedPlan): PlannedChange[] =>
  saved.changes.map((c) => ({
    connectionId: c.connectionId,
    change: c.change,
    kind: c.kind,
    at: [c.at[0], c.at[1]],
    ...(c.caution ? { caution: c.caution } : {}),
    ...(c.warning ? { warning: c.warning } : {}),
    ...(c.lowers ? { lowers: c.lowers } : {}),
  }));

/** A saved change that cannot be sent as it is, and why. */
export interface Moved {
  readonly change: SavedChange;
  readonly why: string;
}

/** The saved changes whose live facts differ in a plan made again from live now (the same file, the same reads). */
export function movedSince(saved: SavedPlan, fresh: FilePlan): Moved[] {
  const prints = fingerprintsOf(fresh, saved.changes);
  return saved.changes.flatMap((c): Moved[] => {
    const now = prints.get(c);
    if (now === undefined)
      return [{ change: c, why: `its connection (${c.connection.platform} "${c.connection.name}") was not read now` }];
    return now === c.live ? [] : [{ change: c, why: 'live moved since the plan' }];
  });
}

/** The plan to print and run: the saved changes, with what the plan made again now says cannot be done. */
export function savedFilePlan(saved: SavedPlan, fresh: FilePlan): FilePlan {
  const changes = plannedOf(saved);
  const grouped = byConnection(changes);
  return {
    ...fresh,
    plans: fresh.plans.map((p) => ({ ...p, changes: grouped.get(p.connectionId) ?? [] })),
    changes,
  };
}

/** Changes live would need now that the saved plan does not hold (live moved elsewhere): not sent, named for the next plan. */
export function notInSaved(saved: SavedPlan, fresh: FilePlan): readonly PlannedChange[] {
  const keys = new Set(saved.changes.map(changeKey));
  return fresh.changes.filter((c) => !keys.has(changeKey(c)));
}
