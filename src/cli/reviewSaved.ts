/**
 * A review's saved close plan (`review close FILE --out PLAN`): what CI applies on merge. It holds
 * the review file's path and SHA-256, and each change with the SHA-256 of the live facts it was
 * decided from (core/access/fingerprint.ts); its own SHA-256 refuses one edited by hand. `review close
 * PLAN` sends it only when the review's bytes and the live facts under every change are unchanged.
 * It names people: written readable by its owner only, for a short-lived private CI artifact.
 */
import * as z from 'zod';
import { canonicalJson, fingerprints, sha256 } from '../core/access/fingerprint';
import type { Change } from '../core/changes/change';
import type { ClosePlan, ReviewChange } from '../core/review/close';
import { itemKey } from '../core/review/review';
import type { ConnectionRead } from '../core/review/start';
import { describeChange } from '../core/changes/words';

export const SAVED_CLOSE_FORMAT = 'workspace-access saved review close';
export const SAVED_CLOSE_VERSION = 1;

export interface SavedCloseChange {
  /** The review item's identity (itemKey) and its connection key. */
  readonly item: string;
  readonly at: string;
  readonly description: string;
  readonly change: Change;
  readonly caution?: string;
  /** SHA-256 of the live facts the change was decided from. */
  readonly live: string;
}

export interface SavedClose {
  readonly format: typeof SAVED_CLOSE_FORMAT;
  readonly schemaVersion: number;
  readonly toolVersion: string;
  readonly createdAt: string;
  readonly review: { readonly path: string; readonly sha256: string };
  readonly changes: readonly SavedCloseChange[];
  readonly sha256: string;
}

/** Each change's fingerprint against the live state it was planned from, in the plan's order. */
function printsOf(plan: ClosePlan, reads: readonly ConnectionRead[]): Map<ReviewChange, string> {
  const out = new Map<ReviewChange, string>();
  for (const r of reads) {
    const mine = plan.changes.filter((c) => c.at === r.key);
    const prints = fingerprints(
      mine.map((c) => c.change),
      r.live,
    );
    mine.forEach((c, i) => out.set(c, prints[i]));
  }
  return out;
}

const selfHash = (body: Omit<SavedClose, 'sha256'>) => sha256(canonicalJson(body));

export function savedCloseOf(
  input: { toolVersion: string; path: string; sha256: string; plan: ClosePlan; reads: readonly ConnectionRead[] },
  now = new Date(),
): SavedClose {
  const prints = printsOf(input.plan, input.reads);
  const body: Omit<SavedClose, 'sha256'> = {
    format: SAVED_CLOSE_FORMAT,
    schemaVersion: SAVED_CLOSE_VERSION,
    toolVersion: input.toolVersion,
    createdAt: now.toISOString(),
    review: { path: input.path, sha256: input.sha256 },
    changes: input.plan.changes.map((c) => ({
      item: itemKey(c.email, c.item),
      at: c.at,
      description: describeChange(c.change),
      change: c.change,
      ...(c.caution ? { caution: c.caution } : {}),
      live: prints.get(c) ?? '',
    })),
  };
  return { ...body, sha256: selfHash(body) };
}

const Saved = z.object({
  format: z.literal(SAVED_CLOSE_FORMAT),
  schemaVersion: z.number(),
  toolVersion: z.string(),
  createdAt: z.string(),
  review: z.object({ path: z.string().min(1), sha256: z.string() }),
  changes: z.array(
    z.object({
      item: z.string(),
      at: z.string(),
      description: z.string(),
      change: z.record(z.string(), z.unknown()),
      caution: z.string().optional(),
      live: z.string(),
    }),
  ),
  sha256: z.string(),
});

/** The saved close plan a file is (by its content), a problem when it is one but damaged, undefined otherwise. */
export function parseSavedClose(text: string, name: string): { plan: SavedClose } | { problem: string } | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if ((raw as { format?: unknown } | null)?.format !== SAVED_CLOSE_FORMAT) return undefined;
  const parsed = Saved.safeParse(raw);
  if (!parsed.success || parsed.data.schemaVersion !== SAVED_CLOSE_VERSION)
    return {
      problem: `${name} is a saved review close this version cannot read: make it again with review close --out.`,
    };
  const plan = parsed.data as unknown as SavedClose;
  const { sha256: own, ...body } = plan;
  if (selfHash(body) !== own)
    return {
      problem: `${name} was edited since review close --out wrote it (its SHA-256 does not match): nothing was sent. Make it again.`,
    };
  return { plan };
}

/** Why the saved plan no longer matches the plan made from live now, or undefined when it does. */
export function movedSinceSaved(saved: SavedClose, plan: ClosePlan, reads: readonly ConnectionRead[]): string[] {
  const prints = printsOf(plan, reads);
  const fresh = new Map(plan.changes.map((c) => [itemKey(c.email, c.item), c]));
  const why: string[] = [];
  for (const s of saved.changes) {
    const now = fresh.get(s.item);
    if (!now) why.push(`${s.description}: no longer needed (live changed)`);
    else if (canonicalJson(now.change) !== canonicalJson(s.change) || prints.get(now) !== s.live)
      why.push(`${s.description}: live moved under it`);
    fresh.delete(s.item);
  }
  for (const c of fresh.values()) why.push(`${describeChange(c.change)}: needed now, not in the saved plan`);
  return why;
}
