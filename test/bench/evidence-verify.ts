/**
 * evidence-verify: a repository's chain of 100 closed reviews. Each review (300 people, 1,000 items
 * across three connections, 100 of them revoked with a reason and done) is closed as the command
 * line closes one: finishReview makes its evidence (JSON, Markdown, CSV) naming the previous
 * review's evidence by its SHA-256, and the three files are written to one folder. Then the folder
 * is verified as `review verify` does (the evidence JSON files read from disk, verifyChain reading
 * each one's Markdown and CSV): the median of five runs. Then one byte of the 37th review's
 * evidence JSON is changed (a letter of a reason: the file still parses) and verify must name it.
 * Target: ≤ 1 s; the tampered file named.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ClosePlan } from '../../src/core/review/close';
import { EVIDENCE_SUFFIX, verifyChain, type OutcomeStatus } from '../../src/core/review/evidence';
import { finishReview } from '../../src/core/review/finish';
import { renderReview } from '../../src/core/review/render';
import { itemKey, REVIEW_FORMAT, type Review, type ReviewItem, type ReviewPerson } from '../../src/core/review/review';
import { snapshotHash } from '../../src/core/review/snapshot';
import { report } from './common';

/** Reviews in the chain, and the one whose evidence is tampered with (1-based). */
const REVIEWS = 100;
const TAMPERED = 37;
const PEOPLE = 300;
/** Runs of verify; the median counts. */
const TURNS = 5;
const CONNECTIONS = [
  { key: 'elevenlabs', platform: 'elevenlabs', name: 'ElevenLabs' },
  { key: 'gitbook', platform: 'gitbook', name: 'GitBook' },
  { key: 'confident', platform: 'confident', name: 'Confident AI' },
];

/** Review `n` of the chain (a quarter a year), decided and signed off. */
function decidedReview(n: number): Review {
  const people: ReviewPerson[] = [];
  let items = 0;
  for (let p = 0; p < PEOPLE; p++) {
    const access: ReviewItem[] = [];
    const count = p % 3 === 0 ? 4 : 3;
    for (let k = 0; k < count && items < 1_000; k++, items++) {
      const at = CONNECTIONS[(p + k) % 3].key;
      const revoke = items % 10 === 3;
      const base =
        k === 0
          ? { at, kind: 'member' as const, id: `usr_${p}`, name: 'Workspace', role: 'member' }
          : { at, kind: 'grant' as const, type: 'voice', id: `res_${p}_${k}`, name: `Voice ${p}.${k}`, role: 'editor' };
      access.push({
        ...base,
        via: 'direct',
        decision: revoke ? 'revoke' : 'keep',
        ...(revoke ? { reason: `no longer needed after the Q${(n % 4) + 1} reorganisation` } : {}),
      });
    }
    people.push({ email: `person${String(p).padStart(3, '0')}@example.com`, name: `Person ${p}`, access });
  }
  const started = new Date(Date.UTC(2001, n * 3, 1)).toISOString();
  const facts = {
    scope: { people: 'everyone' as const, connections: CONNECTIONS.map((c) => c.key) },
    started,
    connections: CONNECTIONS.map((c) => ({ ...c, roles: {} })),
    people,
  };
  return {
    format: REVIEW_FORMAT,
    name: `Review ${n}`,
    due: started.slice(0, 10),
    reviewers: ['ada@example.com'],
    ...facts,
    snapshot: snapshotHash(facts),
    signoff: { name: 'Ada Lovelace', email: 'ada@example.com', at: started },
  };
}

/** The chain written to `dir` as closing each review in turn writes it; the evidence JSON files' names. */
function writeChain(dir: string): string[] {
  const names: string[] = [];
  let previous: { file: string; bytes: Uint8Array } | undefined;
  for (let n = 1; n <= REVIEWS; n++) {
    const review = decidedReview(n);
    const file = `r${String(n).padStart(3, '0')}.access-review.yaml`;
    const outcomes = new Map<string, { status: OutcomeStatus }>();
    for (const p of review.people)
      for (const i of p.access) if (i.decision === 'revoke') outcomes.set(itemKey(p.email, i), { status: 'done' });
    const plan: ClosePlan = { changes: [], gone: [], unreviewed: [], unread: [], kept: 0 };
    const closed = new Date(Date.parse(review.started) + 20 * 86_400_000).toISOString();
    const { evidence } = finishReview({ review, text: renderReview(review), file, plan, outcomes, closed, previous });
    for (const [name, text] of [
      [evidence.names.json, evidence.json],
      [evidence.names.markdown, evidence.markdown],
      [evidence.names.csv, evidence.csv],
    ])
      fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 });
    names.push(evidence.names.json);
    previous = { file: evidence.names.json, bytes: Buffer.from(evidence.json) };
  }
  return names;
}

/** `review verify` of a folder: its evidence JSON files read from disk, the chain checked. */
function verifyFolder(dir: string): ReturnType<typeof verifyChain> {
  const found = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(EVIDENCE_SUFFIX))
    .map((file) => ({ file, bytes: fs.readFileSync(path.join(dir, file)) }));
  return verifyChain(found, (file) => {
    try {
      return fs.readFileSync(path.join(dir, file));
    } catch {
      return undefined;
    }
  });
}

export function evidenceVerify(): Promise<Record<string, unknown>> {
  return Promise.resolve(evidenceVerifySync());
}

function evidenceVerifySync(): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-bench-evidence-'));
  try {
    const written = performance.now();
    const names = writeChain(dir);
    const writeMs = performance.now() - written;
    const bytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    const turns: number[] = [];
    let result = verifyFolder(dir);
    for (let t = 0; t < TURNS; t++) {
      const started = performance.now();
      result = verifyFolder(dir);
      turns.push(performance.now() - started);
    }
    const ms = [...turns].sort((a, b) => a - b)[Math.floor(TURNS / 2)];
    // One byte of the 37th evidence changed: a letter of a reason, so the file still reads as evidence.
    const target = path.join(dir, names[TAMPERED - 1]);
    const original = fs.readFileSync(target);
    const at = original.indexOf('reorganisation');
    const changed = Buffer.from(original);
    changed[at] = 'R'.charCodeAt(0);
    fs.writeFileSync(target, changed);
    const tampered = verifyFolder(dir);
    const round = (x: number) => Math.round(x * 10) / 10;
    return report('evidence-verify', {
      reviews: REVIEWS,
      decisions_per_review: 1_000,
      folder_files: fs.readdirSync(dir).length,
      folder_bytes: bytes,
      evidence_json_bytes: original.length,
      write_chain_ms: Math.round(writeMs),
      verify_ms: round(ms),
      verify_ms_runs: turns.map(round),
      verified: result.ok && result.files.length === REVIEWS,
      tampered_file: names[TAMPERED - 1],
      tamper_named: tampered.ok ? null : tampered.file,
      tamper_why: tampered.ok ? null : tampered.why,
      tamper_detected: !tampered.ok && tampered.file === names[TAMPERED - 1],
      targets: { verify_ms: '<= 1000', verified: true, tamper_detected: true },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
