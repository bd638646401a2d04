/**
 * A closed review's evidence, written beside it: JSON for tools, Markdown for people, CSV for
 * spreadsheets (no cell is a live formula). The JSON holds the scope, when live was read and the
 * snapshot's SHA-256, every decision with its reviewer and reason, every change's outcome from the
 * job's report, the SHA-256 of the Markdown and CSV, and the SHA-256 of the previous review's
 * evidence in the same folder: the reviews of a repository form a chain, and `verifyChain` names the
 * first file that was changed. Evidence names people (their emails), never a secret.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { mdCell, neutralizeCell } from '../jobs/cells';
import { describeItem } from './parse';
import { KEEP, type Review, type ReviewItem } from './review';
import type { HeldItem } from './close';

export const EVIDENCE_FORMAT = 'workspace-access review evidence';
export const EVIDENCE_VERSION = 1;
export const EVIDENCE_SUFFIX = '.evidence.json';

/** What became of one decision when the review closed. */
export type OutcomeStatus = 'kept' | 'done' | 'failed' | 'skipped' | 'unknown' | 'gone';

export interface EvidenceRow {
  readonly email: string;
  readonly at: string;
  readonly kind: string;
  readonly type?: string;
  readonly id: string;
  readonly name: string;
  readonly role?: string;
  readonly via?: string;
  readonly decision: string;
  readonly reason?: string;
  readonly outcome: OutcomeStatus;
  readonly detail?: string;
}

export interface Evidence {
  readonly format: typeof EVIDENCE_FORMAT;
  readonly version: number;
  readonly review: {
    readonly name: string;
    /** The review file's name (beside the evidence). */
    readonly file: string;
    readonly started: string;
    readonly due: string;
    readonly reviewers: readonly string[];
    readonly scope: Review['scope'];
    readonly connections: readonly { key: string; platform: string; name: string }[];
  };
  /** When live was read, and the SHA-256 of what was read (the review's snapshot). */
  readonly live: { readonly read: string; readonly sha256: string };
  readonly signoff: { readonly name: string; readonly email: string; readonly at: string };
  readonly closed: string;
  readonly counts: Readonly<Record<OutcomeStatus, number>>;
  readonly decisions: readonly EvidenceRow[];
  /** Held when the review closed, never reviewed (granted after it started): named, not revoked. */
  readonly unreviewed: readonly Omit<EvidenceRow, 'decision' | 'outcome'>[];
  /** The Markdown's and CSV's names and SHA-256. */
  readonly files: { readonly markdown: FileHash; readonly csv: FileHash };
  /** The previous review's evidence in this folder, or null for the first. */
  readonly previous: FileHash | null;
}

export interface FileHash {
  readonly file: string;
  readonly sha256: string;
}

const hash = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** `reviews/2026-q4.access-review.yaml` → `2026-q4`: the name every evidence file of it starts with. */
export const evidenceBase = (reviewFile: string): string =>
  reviewFile.replace(/\.access-review\.ya?ml$/i, '').replace(/\.ya?ml$/i, '');

export interface EvidenceInput {
  readonly review: Review;
  /** The review file's base name. */
  readonly file: string;
  readonly closed: string;
  /** Each decided item's outcome: by `itemKey`; items not in it are kept. */
  readonly outcomes: ReadonlyMap<string, { readonly status: OutcomeStatus; readonly detail?: string }>;
  readonly key: (email: string, item: ReviewItem) => string;
  readonly unreviewed: readonly HeldItem[];
  readonly previous: FileHash | null;
}

export interface EvidenceFiles {
  readonly json: string;
  readonly markdown: string;
  readonly csv: string;
  readonly names: { readonly json: string; readonly markdown: string; readonly csv: string };
  readonly evidence: Evidence;
}

const facts = ({ email, item }: HeldItem) => ({
  email,
  at: item.at,
  kind: item.kind,
  ...(item.type ? { type: item.type } : {}),
  id: item.id,
  name: item.name,
  ...(item.role ? { role: item.role } : {}),
  ...(item.via ? { via: item.via } : {}),
});

/** The three files' text; the JSON names and hashes the other two and the previous evidence. */
export function evidenceFiles(input: EvidenceInput): EvidenceFiles {
  const { review } = input;
  const signoff = review.signoff;
  if (!signoff) throw new Error('A review is closed only when signed off.');
  const base = evidenceBase(input.file);
  const names = { json: `${base}${EVIDENCE_SUFFIX}`, markdown: `${base}.evidence.md`, csv: `${base}.evidence.csv` };
  const decisions: EvidenceRow[] = review.people.flatMap((p) =>
    p.access.map((item): EvidenceRow => {
      // A kept item has no outcome of its own, but may have a detail (what an earlier job of the close did).
      const o = input.outcomes.get(input.key(p.email, item));
      const kept = !item.decision || item.decision === KEEP;
      return {
        ...facts({ email: p.email, item }),
        decision: item.decision ?? KEEP,
        ...(item.reason ? { reason: item.reason } : {}),
        outcome: kept ? 'kept' : (o?.status ?? 'kept'),
        ...(o?.detail ? { detail: o.detail } : {}),
      };
    }),
  );
  const counts = { kept: 0, done: 0, failed: 0, skipped: 0, unknown: 0, gone: 0 };
  for (const d of decisions) counts[d.outcome]++;
  const head = {
    name: review.name,
    file: input.file,
    started: review.started,
    due: review.due,
    reviewers: review.reviewers,
    scope: review.scope,
    connections: review.connections.map((c) => ({ key: c.key, platform: c.platform, name: c.name })),
  };
  const markdown = markdownOf(head, signoff, input.closed, counts, decisions, input.unreviewed, review.snapshot);
  const csv = csvOf(decisions, signoff, input.closed);
  const evidence: Evidence = {
    format: EVIDENCE_FORMAT,
    version: EVIDENCE_VERSION,
    review: head,
    live: { read: review.started, sha256: review.snapshot },
    signoff,
    closed: input.closed,
    counts,
    decisions,
    unreviewed: input.unreviewed.map(facts),
    files: {
      markdown: { file: names.markdown, sha256: hash(markdown) },
      csv: { file: names.csv, sha256: hash(csv) },
    },
    previous: input.previous,
  };
  return { json: `${JSON.stringify(evidence, null, 2)}\n`, markdown, csv, names, evidence };
}

function markdownOf(
  head: Evidence['review'],
  signoff: Evidence['signoff'],
  closed: string,
  counts: Evidence['counts'],
  rows: readonly EvidenceRow[],
  unreviewed: readonly HeldItem[],
  snapshot: string,
): string {
  const lines = [
    `# Access review evidence: ${head.name}`,
    '',
    `- **Review file:** ${head.file}`,
    `- **Scope:** ${head.scope.people}${head.scope.type ? ` (${head.scope.type} only)` : ''}, in ${head.connections.map((c) => `${c.name} (${c.platform})`).join(', ')}`,
    `- **Live read:** ${head.started}, snapshot SHA-256 \`${snapshot}\``,
    `- **Due:** ${head.due}; **closed:** ${closed}`,
    `- **Reviewers:** ${head.reviewers.join(', ') || '—'}; **signed off by** ${signoff.name} <${signoff.email}> at ${signoff.at}`,
    `- **Outcome:** ${counts.kept} kept, ${counts.done} changed, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.unknown} unknown, ${counts.gone} no longer held`,
    '',
    '## Decisions',
    '',
    '| Person | Access | Decision | Reason | Outcome |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${mdCell(r.email)} | ${mdCell(describeItem(r as unknown as ReviewItem))} | ${mdCell(r.decision)} | ${mdCell(r.reason ?? '')} | ${mdCell(r.outcome + (r.detail ? `: ${r.detail}` : ''))} |`,
    ),
  ];
  if (unreviewed.length)
    lines.push(
      '',
      '## Granted after the review started (not reviewed, not revoked)',
      '',
      ...unreviewed.map((u) => `- ${mdCell(u.email)}: ${mdCell(describeItem(u.item))}`),
    );
  return `${lines.join('\n')}\n`;
}

function csvOf(rows: readonly EvidenceRow[], signoff: Evidence['signoff'], closed: string): string {
  return stringify([
    [
      'email',
      'connection',
      'kind',
      'type',
      'id',
      'name',
      'role',
      'via',
      'decision',
      'reason',
      'outcome',
      'detail',
      'signed off by',
      'closed',
    ],
    ...rows.map((r) =>
      [
        r.email,
        r.at,
        r.kind,
        r.type ?? '',
        r.id,
        r.name,
        r.role ?? '',
        r.via ?? '',
        r.decision,
        r.reason ?? '',
        r.outcome,
        r.detail ?? '',
        `${signoff.name} <${signoff.email}>`,
        closed,
      ].map(neutralizeCell),
    ),
  ]);
}

/** One evidence JSON as found in a folder: its name, bytes' hash and what it says. */
export interface FoundEvidence {
  readonly file: string;
  readonly bytes: Uint8Array;
}

export type VerifyResult =
  | { readonly ok: true; readonly files: readonly string[] }
  | { readonly ok: false; readonly files: readonly string[]; readonly file: string; readonly why: string };

/**
 * The chain of a folder's evidence, checked in the order the reviews closed: each file parses, its
 * Markdown and CSV have the hashes it names, and it names the one before it by its exact hash. The
 * first file that fails is named. `read` gives a sibling's bytes (undefined when it is missing);
 * `anchors` maps an evidence file to the SHA-256 its closed review recorded, which covers the last
 * file of the chain (no later evidence names it).
 */
export function verifyChain(
  found: readonly FoundEvidence[],
  read: (file: string) => Uint8Array | undefined,
  anchors: ReadonlyMap<string, string> = new Map(),
): VerifyResult {
  const parsed: { file: string; hash: string; evidence?: Evidence; error?: string }[] = found.map((f) => {
    try {
      const e = JSON.parse(Buffer.from(f.bytes).toString('utf8')) as Evidence;
      if (e?.format !== EVIDENCE_FORMAT || typeof e.closed !== 'string') throw new Error('not review evidence');
      return { file: f.file, hash: hash(f.bytes), evidence: e };
    } catch (err) {
      return { file: f.file, hash: hash(f.bytes), error: err instanceof Error ? err.message : String(err) };
    }
  });
  const files = parsed.map((p) => p.file);
  const broken = parsed.find((p) => p.error);
  if (broken) return { ok: false, files, file: broken.file, why: `it cannot be read as evidence (${broken.error})` };
  const ordered = [...parsed].sort(
    (a, b) => (a.evidence?.closed ?? '').localeCompare(b.evidence?.closed ?? '') || a.file.localeCompare(b.file),
  );
  for (let i = 0; i < ordered.length; i++) {
    const { file, evidence } = ordered[i];
    if (!evidence) continue;
    const anchored = anchors.get(file);
    if (anchored && anchored !== ordered[i].hash)
      return { ok: false, files, file, why: 'it was changed after its review recorded its SHA-256 (`closed.sha256`)' };
    for (const part of [evidence.files?.markdown, evidence.files?.csv]) {
      if (!part) return { ok: false, files, file, why: 'it names no Markdown or CSV file' };
      const bytes = read(part.file);
      if (!bytes) return { ok: false, files, file: part.file, why: `it is missing (${file} names it)` };
      if (hash(bytes) !== part.sha256)
        return { ok: false, files, file: part.file, why: `it was changed after ${file} recorded its SHA-256` };
    }
    const before = ordered[i - 1];
    const prev = evidence.previous;
    if (!before && prev) return { ok: false, files, file, why: `it follows ${prev.file}, which is not in the folder` };
    if (before && !prev)
      return { ok: false, files, file, why: `it names no previous evidence, but ${before.file} closed before it` };
    if (before && prev && (prev.file !== before.file || prev.sha256 !== before.hash))
      return {
        ok: false,
        files,
        file: prev.file === before.file ? before.file : file,
        why:
          prev.file === before.file
            ? `it was changed after ${file} recorded its SHA-256`
            : `it names ${prev.file} as the previous evidence, but ${before.file} closed before it`,
      };
  }
  return { ok: true, files: ordered.map((o) => o.file) };
}

/** The hash of evidence bytes, as `previous` records it. */
export const evidenceHash = hash;
