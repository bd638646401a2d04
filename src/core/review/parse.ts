/**
 * A review file read and checked: the review as data, and each problem at its place in the text
 * (an undecided item, a revoke without a reason, a role the platform does not have or that is not
 * lower, an unknown connection or kind, facts edited since the review started, an edit after it
 * closed). The editor shows these as diagnostics and the command line prints them; both read the
 * file the same way, so a review decided in a pull request's browser editor is checked the same.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../access/fingerprint';
import type { Problem } from '../access/spec';
import type { Span } from '../access/yamlTree';
import { parseYaml, YamlError, type YamlNode } from '../access/yamlTree';
import {
  daysUntil,
  KEEP,
  lowerRoles,
  REVIEW_FORMAT,
  REVOKE,
  roleNamed,
  type ItemKind,
  type KindRoles,
  type Review,
  type ReviewConnection,
  type ReviewItem,
  type ReviewPerson,
} from './review';
import { snapshotHash, snapshotOfText } from './snapshot';
import { keyOnLine, readPeopleLines, type Located } from './lines';

export const ITEM_KINDS: readonly ItemKind[] = ['member', 'group', 'grant', 'project', 'invitation'];

/** Where each person and item is in the text, in the review's order. */
export interface PersonSpans {
  readonly person: Span;
  readonly items: readonly Span[];
}

export interface ParsedReview {
  /** Undefined when the file is not a review at all (a syntax error, no `people`). */
  readonly review?: Review;
  readonly problems: Problem[];
  readonly spans: readonly PersonSpans[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A scalar as text (an id or a role may read as a number); undefined for a map or a list. */
const text = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The span of a map's key (or the node when there is none). */
const keyOf = (n: YamlNode | undefined, key: string): Span | undefined =>
  n?.entries.find((e) => e.key === key)?.keySpan;
const valueOf = (n: YamlNode | undefined, key: string): YamlNode | undefined =>
  n?.entries.find((e) => e.key === key)?.node;

/** SHA-256 of what the reviewers decided (and who signed off): what a closed review records. */
export function decisionsHash(review: Pick<Review, 'snapshot' | 'people' | 'signoff'>): string {
  const decided = review.people.map((p) => p.access.map((i) => [i.decision ?? null, i.reason ?? null]));
  return createHash('sha256')
    .update(canonicalJson({ snapshot: review.snapshot, decided, signoff: review.signoff ?? null }))
    .digest('hex');
}

interface Checker {
  readonly problems: Problem[];
  add(at: Span, severity: Problem['severity'], code: string, message: string): void;
}

/**
 * An undecided item's problem, its words made only when read: a large review has tens of thousands
 * of undecided items, and the editor shows the first 500 (the words of all were a tenth of the check).
 */
class Undecided implements Problem {
  readonly severity = 'info';
  readonly code = 'undecided';
  constructor(
    readonly at: Span,
    private readonly item: ReviewItem,
  ) {}

  get message(): string {
    return `Undecided: ${describeItem(this.item)}. Decide keep, revoke or a lower role.`;
  }
}

function checker(): Checker {
  const problems: Problem[] = [];
  return { problems, add: (at, severity, code, message) => problems.push({ at, severity, code, message }) };
}

function readConnections(value: unknown, node: YamlNode | undefined, c: Checker): ReviewConnection[] {
  const map = obj(value);
  if (!map) {
    c.add(
      node?.span ?? [0, 0],
      'error',
      'schema',
      '`connections` must map each connection key to its platform and roles.',
    );
    return [];
  }
  const out: ReviewConnection[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const v = obj(raw);
    const roles: Partial<Record<ItemKind, KindRoles>> = {};
    for (const [kind, r] of Object.entries(obj(v?.roles) ?? {})) {
      const list = Array.isArray(obj(r)?.roles) ? (obj(r)?.roles as unknown[]) : [];
      roles[kind as ItemKind] = {
        ranked: obj(r)?.ranked !== false,
        roles: list.map((x) =>
          typeof x === 'string' ? { id: x, label: x } : { id: String(obj(x)?.id), label: String(obj(x)?.label) },
        ),
      };
    }
    if (!v || !str(v.platform) || !str(v.name))
      c.add(keyOf(node, key) ?? [0, 0], 'error', 'schema', `Connection "${key}" needs its platform and name.`);
    out.push({
      key,
      platform: str(v?.platform) ?? '',
      name: str(v?.name) ?? key,
      roles,
      ...(v?.revokeLocks === true ? { revokeLocks: true } : {}),
    });
  }
  return out;
}

const ITEM_KEYS = new Set(['at', 'kind', 'type', 'id', 'name', 'role', 'via', 'decision', 'reason']);

/** Whether an item as read needs nothing dropped, trimmed or turned into text. */
const asIs = (v: Record<string, unknown>): boolean =>
  v.decision === undefined &&
  v.reason === undefined &&
  typeof v.id === 'string' &&
  typeof v.name === 'string' &&
  (v.type === undefined || (typeof v.type === 'string' && v.type !== '')) &&
  (v.role === undefined || typeof v.role === 'string') &&
  (v.via === undefined || (typeof v.via === 'string' && v.via !== ''));

/** The item from what was read: its keys, text where the YAML read a number, trimmed decision and reason. */
function itemOf(v: Record<string, unknown>, at: string, kind: ItemKind, id: string): ReviewItem {
  const item: { -readonly [K in keyof ReviewItem]: ReviewItem[K] } = { at, kind, id, name: str(v.name) ?? id };
  const type = str(v.type);
  if (type) item.type = type;
  const role = text(v.role);
  if (role !== undefined) item.role = role;
  const via = str(v.via);
  if (via) item.via = via;
  const decision = text(v.decision);
  if (decision !== undefined) item.decision = decision.trim();
  const reason = str(v.reason)?.trim();
  if (reason) item.reason = reason;
  return item;
}

/** One item, checked: its connection and kind, and its decision against what the platform can do. */
function readItem(
  raw: unknown,
  node: Located | undefined,
  connections: ReadonlyMap<string, ReviewConnection>,
  c: Checker,
  closed: boolean,
): ReviewItem | undefined {
  const at: Span = node?.span ?? [0, 0];
  const v = obj(raw);
  if (!v) {
    c.add(at, 'error', 'schema', 'An item must be a map: {at, kind, id, name, …, decision, reason}.');
    return undefined;
  }
  let known = true;
  for (const k in v)
    if (!ITEM_KEYS.has(k)) {
      known = false;
      c.add(node?.key(k) ?? at, 'error', 'schema', `Unknown key "${k}": an item has ${[...ITEM_KEYS].join(', ')}.`);
    }
  const conn = connections.get(str(v.at) ?? '');
  const kind = str(v.kind) as ItemKind | undefined;
  if (!conn) {
    c.add(
      node?.key('at') ?? at,
      'error',
      'unknown',
      `Unknown connection "${String(v.at)}": the review has ${[...connections.keys()].join(', ') || 'none'}.`,
    );
    return undefined;
  }
  if (!kind || !ITEM_KINDS.includes(kind)) {
    c.add(
      node?.key('kind') ?? at,
      'error',
      'unknown',
      `Unknown kind "${String(v.kind)}": one of ${ITEM_KINDS.join(', ')}.`,
    );
    return undefined;
  }
  const id = text(v.id);
  if (!id || (kind === 'grant' && !str(v.type))) {
    c.add(
      at,
      'error',
      'unknown',
      kind === 'grant' ? 'A grant needs its resource `type` and `id`.' : 'The item needs its `id`.',
    );
    return undefined;
  }
  // An undecided item as read is already what the review holds (the usual case: no copy of it);
  // any other is built key by key (a large review has tens of thousands of items).
  const item = known && asIs(v) ? (v as unknown as ReviewItem) : itemOf(v, conn.key, kind, id);
  const decisionAt = (): Span => node?.key('decision') ?? at;
  const d = item.decision;
  if (d === undefined || d === '') {
    if (!closed) c.problems.push(new Undecided(at, item));
    return d === undefined ? item : undecided(item);
  }
  const lower = d.toLowerCase();
  if (item.via === 'creator' && lower !== KEEP) {
    c.add(decisionAt(), 'error', 'role', `${item.name}'s creator always keeps admin on it: decide keep.`);
    return undecided(item);
  }
  if (lower === KEEP || lower === REVOKE) return { ...item, decision: lower, ...reasonCheck(item, lower, node, c) };
  const roles = conn.roles[kind];
  const allowed = lowerRoles(conn, item);
  const named = roleNamed(roles?.roles ?? [], d);
  if (!named) {
    c.add(
      decisionAt(),
      'error',
      'role',
      allowed.length
        ? `"${d}" is not a role of ${conn.name} for this ${kind}: decide keep, revoke, or one of ${allowed.map((r) => r.label).join(', ')}.`
        : `"${d}" is not a decision here: this ${kind} can only be kept or revoked.`,
    );
    return undecided(item);
  }
  if (!allowed.some((r) => r.id === named.id)) {
    c.add(
      decisionAt(),
      'error',
      'role',
      allowed.length
        ? `${named.label} is not lower than ${item.role ?? 'the role held'}: decide keep, revoke, or one of ${allowed.map((r) => r.label).join(', ')}.`
        : `This ${kind} (${item.role ?? 'no role'}) has no lower role: decide keep or revoke.`,
    );
    return undecided(item);
  }
  return { ...item, decision: named.label, ...reasonCheck(item, named.label, node, c) };
}

/** The item without a decision (one that is not valid counts as none). */
const undecided = ({ decision: _d, ...item }: ReviewItem): ReviewItem => item;

function reasonCheck(item: ReviewItem, decision: string, node: Located | undefined, c: Checker): object {
  if (decision !== KEEP && !item.reason)
    c.add(
      node?.key('decision') ?? node?.span ?? [0, 0],
      'error',
      'reason',
      `A ${decision === REVOKE ? 'revoke' : 'change of role'} needs a reason: add \`reason: …\` to this item.`,
    );
  return {};
}

/** How an item reads in a message: "group Ops in acme", "editor on voice Narrator in acme". */
export function describeItem(item: ReviewItem): string {
  switch (item.kind) {
    case 'member':
      return `${item.role ? `${item.role} ` : ''}membership of ${item.name} (${item.at})`;
    case 'grant':
      return `${item.role ?? 'access'} on ${item.type ?? 'resource'} "${item.name}" (${item.at})`;
    case 'invitation':
      return `pending invitation to ${item.name} (${item.at})`;
    default:
      return `${item.kind} "${item.name}"${item.role ? ` as ${item.role}` : ''} (${item.at})`;
  }
}

/** A YAML node as the checks locate in it. */
const located = (n: YamlNode | undefined): Located | undefined => n && { span: n.span, key: (k) => keyOf(n, k) };

/** Each person's place and each of their items' in the text. */
interface PeopleNodes {
  person(pi: number): Located | undefined;
  /** An item's place: it may be the same object for every item, so it is good until the next call. */
  item(pi: number, ii: number): Located | undefined;
}

interface ReadTree {
  readonly value: unknown;
  readonly root: YamlNode | undefined;
  readonly nodes: PeopleNodes;
  /** The people section when it was read line by line, with its decisions to cut for the snapshot. */
  readonly section?: { readonly from: number; readonly to: number; readonly cuts?: readonly number[] };
}

/** Every span of a subtree moved by `delta`. */
function shift(n: YamlNode, delta: number): void {
  n.span[0] += delta;
  n.span[1] += delta;
  for (const e of n.entries) {
    e.keySpan[0] += delta;
    e.keySpan[1] += delta;
    shift(e.node, delta);
  }
  for (const i of n.items) shift(i, delta);
}

/**
 * The file as YAML. The `people` section, nearly all of a large file, is read line by line where
 * it has the shape render.ts writes (lines.ts), and the rest by the YAML parser; a file of any other
 * shape is read by the YAML parser alone. Both give the same values and spans. Throws a YamlError.
 */
function readTree(text: string): ReadTree {
  const header = /^people:\n/m.exec(text);
  if (header) {
    const from = header.index + header[0].length;
    const top = /^[^ \n]/gm;
    top.lastIndex = from;
    const next = top.exec(text);
    const to = next ? next.index : text.length;
    const lines = readPeopleLines(text, from, to);
    if (lines && lines.people.length) {
      let rest: ReturnType<typeof parseYaml> | undefined;
      try {
        rest = parseYaml(text.slice(0, from) + text.slice(to));
      } catch {
        rest = undefined; // the whole file is parsed below, which places the error
      }
      const doc = obj(rest?.value);
      const entry = rest?.root?.entries.find((e) => e.key === 'people');
      if (rest?.root && doc && entry && doc.people === null && entry.node.kind === 'scalar') {
        for (const e of rest.root.entries)
          if (e.keySpan[0] >= from) {
            e.keySpan[0] += to - from;
            e.keySpan[1] += to - from;
            shift(e.node, to - from);
          }
        if (rest.root.span[1] >= from) rest.root.span[1] += to - from;
        doc.people = lines.people;
        // One place for every item, its span set per item: a large review has tens of thousands.
        const place: { span: Span; key(name: string): Span | undefined } = {
          span: [0, 0],
          key: (name) => keyOnLine(text, place.span, name),
        };
        return {
          value: doc,
          root: rest.root,
          section: { from, to, cuts: lines.cuts },
          nodes: {
            person: (pi) => lines.nodes[pi]?.person,
            item: (pi, ii) => {
              const span = lines.nodes[pi]?.items[ii];
              if (!span) return undefined;
              place.span = span;
              return place;
            },
          },
        };
      }
    }
  }
  const tree = parseYaml(text);
  const peopleNode = valueOf(tree.root, 'people');
  return {
    ...tree,
    nodes: {
      person: (pi) => located(peopleNode?.items[pi]),
      item: (pi, ii) => located(valueOf(peopleNode?.items[pi], 'access')?.items[ii]),
    },
  };
}

/**
 * The items read so far, to find one listed twice (the same as `itemKey`: email in any case,
 * connection, kind, type, id). Kept per person and by id, so that tens of thousands of items need no
 * key text made and hashed each.
 */
class ItemsSeen {
  private readonly byPerson = new Map<string, Map<string, ReviewItem | ReviewItem[]>>();
  private ids = new Map<string, ReviewItem | ReviewItem[]>();

  /** The items that follow are this person's. */
  person(email: string): void {
    const key = email.toLowerCase();
    const known = this.byPerson.get(key);
    if (known) this.ids = known;
    else {
      this.ids = new Map<string, ReviewItem | ReviewItem[]>();
      this.byPerson.set(key, this.ids);
    }
  }

  /** False when the person already has this item. */
  add(item: ReviewItem): boolean {
    const known = this.ids.get(item.id);
    if (known === undefined) {
      this.ids.set(item.id, item);
      return true;
    }
    const list = Array.isArray(known) ? known : [known];
    if (list.some((x) => x.at === item.at && x.kind === item.kind && (x.type ?? '') === (item.type ?? '')))
      return false;
    list.push(item);
    if (list !== known) this.ids.set(item.id, list);
    return true;
  }
}

/** Reads and checks a review file; `today` (yyyy-mm-dd) dates the due-date warning. */
export function parseReview(text: string, today: string): ParsedReview {
  const c = checker();
  let tree;
  try {
    tree = readTree(text);
  } catch (err) {
    const at = err instanceof YamlError ? err.position : 0;
    c.add([at, at + 1], 'error', 'syntax', err instanceof Error ? err.message : String(err));
    return { problems: c.problems, spans: [] };
  }
  const root = tree.root;
  const doc = obj(tree.value);
  const start: Span = root?.span ?? [0, 0];
  if (!doc || !Array.isArray(doc.people)) {
    c.add(start, 'error', 'schema', 'Not an access review: it needs `accessReview: 1` and a `people` list.');
    return { problems: c.problems, spans: [] };
  }
  if (doc.accessReview !== REVIEW_FORMAT)
    c.add(keyOf(root, 'accessReview') ?? start, 'error', 'schema', `\`accessReview\` must be ${REVIEW_FORMAT}.`);
  const need = (key: string, ok: boolean, what: string) => {
    if (!ok) c.add(keyOf(root, key) ?? start, 'error', 'schema', `\`${key}\` ${what}.`);
  };
  need('name', !!str(doc.name), 'must name the review');
  need('started', !!str(doc.started), 'must be when live was read (ISO date-time)');
  need('due', /^\d{4}-\d{2}-\d{2}$/.test(str(doc.due) ?? ''), 'must be a date: yyyy-mm-dd');
  need('snapshot', /^[0-9a-f]{64}$/.test(str(doc.snapshot) ?? ''), 'must be the SHA-256 the review started with');
  const reviewers = Array.isArray(doc.reviewers) ? doc.reviewers.map(String) : [];
  const scopeRaw = obj(doc.scope);
  const scope = {
    people: (str(scopeRaw?.people) ?? 'everyone') as Review['scope']['people'],
    connections: Array.isArray(scopeRaw?.connections) ? scopeRaw.connections.map(String) : [],
    ...(str(scopeRaw?.type) ? { type: str(scopeRaw?.type) } : {}),
  };
  const connections = readConnections(doc.connections, valueOf(root, 'connections'), c);
  const byKey = new Map(connections.map((x) => [x.key, x]));
  const closedRaw = obj(doc.closed);
  const signRaw = obj(doc.signoff);
  const seen = new ItemsSeen();
  const spans: PersonSpans[] = [];
  const people: ReviewPerson[] = [];
  (doc.people as unknown[]).forEach((rawPerson, pi) => {
    const pNode = tree.nodes.person(pi);
    const p = obj(rawPerson);
    const email = str(p?.email);
    const pSpan: Span = pNode?.key('email') ?? pNode?.span ?? start;
    if (!p || !email) {
      c.add(pSpan, 'error', 'schema', 'A person needs an `email` and an `access` list.');
      return;
    }
    const access: ReviewItem[] = [];
    const itemSpans: Span[] = [];
    seen.person(email);
    (Array.isArray(p.access) ? p.access : []).forEach((rawItem, ii) => {
      const iNode = tree.nodes.item(pi, ii);
      const item = readItem(rawItem, iNode, byKey, c, !!closedRaw);
      if (!item) return;
      if (!seen.add(item)) {
        c.add(iNode?.span ?? pSpan, 'error', 'duplicate', `This item is listed twice for ${email}: decide it once.`);
        return;
      }
      access.push(item);
      itemSpans.push(iNode?.span ?? pSpan);
    });
    const ctx = obj(p.context);
    people.push({
      email,
      ...(str(p.name) ? { name: str(p.name) } : {}),
      ...(ctx
        ? {
            context: {
              ...(str(ctx.roster) ? { roster: str(ctx.roster) } : {}),
              ...(typeof ctx.external === 'boolean' ? { external: ctx.external } : {}),
              ...(str(ctx.lastActive) ? { lastActive: str(ctx.lastActive) } : {}),
              ...(Array.isArray(ctx.findings) ? { findings: ctx.findings.map(String) } : {}),
            },
          }
        : {}),
      access,
    });
    spans.push({ person: pSpan, items: itemSpans });
  });
  const signoff =
    signRaw && str(signRaw.name) && str(signRaw.email)
      ? { name: String(signRaw.name), email: String(signRaw.email), at: str(signRaw.at) ?? '' }
      : undefined;
  if (signRaw && !signoff)
    c.add(keyOf(root, 'signoff') ?? start, 'error', 'schema', "`signoff` needs the reviewer's `name` and `email`.");
  const closed =
    closedRaw && str(closedRaw.evidence) && str(closedRaw.sha256)
      ? {
          at: str(closedRaw.at) ?? '',
          evidence: String(closedRaw.evidence),
          sha256: String(closedRaw.sha256),
          ...(str(closedRaw.decisions) ? { decisions: str(closedRaw.decisions) } : {}),
        }
      : undefined;
  const review: Review = {
    format: REVIEW_FORMAT,
    name: str(doc.name) ?? '',
    started: str(doc.started) ?? '',
    due: str(doc.due) ?? '',
    reviewers,
    scope,
    snapshot: str(doc.snapshot) ?? '',
    connections,
    people,
    ...(signoff ? { signoff } : {}),
    ...(closed ? { closed } : {}),
  };
  // Facts are compared only when every item was read: a broken item is its own problem first. The
  // file's own text is hashed first; when it is not as render.ts writes it, what was read.
  const section = tree.section;
  const sameText = (): boolean =>
    !!section?.cuts && snapshotOfText(review, text, section.from, section.to, section.cuts) === review.snapshot;
  if (!c.problems.some((p) => p.severity === 'error') && !sameText() && snapshotHash(review) !== review.snapshot)
    c.add(
      keyOf(root, 'snapshot') ?? start,
      'error',
      'snapshot',
      'The review differs from what was read when it started: only `decision`, `reason` and `signoff` may be edited. Undo the other edits (git diff shows them), or start a new review.',
    );
  if (closed) {
    if (closed.decisions && closed.decisions !== decisionsHash(review))
      c.add(
        keyOf(root, 'closed') ?? start,
        'error',
        'closed',
        `This review closed on ${closed.at.slice(0, 10)} and is read-only: it was edited since. Undo the edit (git diff shows it); its evidence is ${closed.evidence}.`,
      );
  } else if (review.due && daysUntil(review.due, today) < 0)
    c.add(keyOf(root, 'due') ?? start, 'warning', 'overdue', `The review was due on ${review.due}.`);
  return { review, problems: c.problems, spans };
}
