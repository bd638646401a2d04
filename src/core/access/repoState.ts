/**
 * The access file's state that travels with the repository: `<name>.state.json` beside the access
 * file (`workspace-access.state.json` beside `workspace-access.yaml`), written by the Apply of the
 * command line and of the extension (repoRecord.ts) and meant to be committed. It holds the
 * invitations Apply sent where the platform cannot list them (ElevenLabs, GitBook), so a fresh
 * runner (or a colleague's editor) with only the repository plans as the one that applied did. No email is in it: each is a SHA-256 of its connection and the email, which
 * recognises a person the file already names and names nobody.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { kept, type InvitedLookup, type InvitedStatus } from './invited';

/** The version of the state file's shape; a reader refuses any other. */
export const REPO_STATE_VERSION = 1;

/** What the file says of itself, for whoever opens it in a pull request. */
const ABOUT =
  'Written by Apply (`workspace-access apply` or the VS Code extension); commit it. Invitations sent where the platform cannot list them, each a SHA-256 of "platform:name:email" (no email in clear), forgotten when the person joins or after 30 days.';

const Entry = z.strictObject({ sent: z.iso.datetime(), status: z.enum(['sent', 'unconfirmed']) });
const StateFile = z.strictObject({
  schemaVersion: z.literal(REPO_STATE_VERSION),
  about: z.string().optional(),
  connections: z.record(
    z.string(),
    z.strictObject({ invitations: z.record(z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex'), Entry) }),
  ),
});
type StateFile = z.infer<typeof StateFile>;
type Entry = z.infer<typeof Entry>;

/** `workspace-access.yaml` → `workspace-access.state.json`, in the same folder. */
export function repoStatePath(accessFile: string): string {
  const dir = path.dirname(accessFile);
  const base = path.basename(accessFile).replace(/\.ya?ml$/i, '');
  return path.join(dir, `${base}.state.json`);
}

/** A connection as the state file names it: its platform and its name in the access file (any case). */
export interface RepoConnection {
  readonly platform: string;
  readonly name: string;
}

/** The state file's key of a connection: `elevenlabs:production`. */
export const connectionKey = (c: RepoConnection) => `${c.platform}:${c.name.trim().toLowerCase()}`;

/** An email as the state file holds it: SHA-256 of `platform:name:email` (name and email in lower case), hex. */
export const emailHash = (c: RepoConnection, email: string) =>
  createHash('sha256')
    .update(`${connectionKey(c)}:${email.trim().toLowerCase()}`)
    .digest('hex');

/** A state file that is there but cannot be used: its path and what is wrong, to be fixed before anything is planned. */
export class RepoStateError extends Error {
  override readonly name = 'RepoStateError';
}

/** What an apply records for one connection: its invitations, and who is now seen (to forget). */
export interface RepoUpdate {
  readonly connection: RepoConnection;
  readonly invitations: readonly { readonly email: string; readonly status: InvitedStatus }[];
  /** Emails seen live as members or pending invitations (lower case), when live was read. */
  readonly seen?: ReadonlySet<string>;
}

export class RepoState {
  private constructor(
    readonly file: string,
    private state: StateFile,
    /** The file's text as read ('' when there is none): an update that changes nothing writes nothing. */
    private text: string,
  ) {}

  /** Reads the state file beside the access file; none there is an empty state. */
  static read(accessFile: string): RepoState {
    const file = repoStatePath(accessFile);
    try {
      return RepoState.of(file, fs.readFileSync(file, 'utf8'));
    } catch (err) {
      return RepoState.unread(file, err);
    }
  }

  /** As read, without blocking: the extension reads it when a Plan reads live, not on each edit. */
  static async load(accessFile: string): Promise<RepoState> {
    const file = repoStatePath(accessFile);
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (err) {
      return RepoState.unread(file, err);
    }
    return RepoState.of(file, text);
  }

  private static of(file: string, text: string): RepoState {
    return new RepoState(file, parseState(file, text), text);
  }

  /** No file is an empty state; any other failure to read is a RepoStateError naming the file. */
  private static unread(file: string, err: unknown): RepoState {
    if (err instanceof RepoStateError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return new RepoState(file, { schemaVersion: REPO_STATE_VERSION, connections: {} }, '');
    throw new RepoStateError(`${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }

  /** The connection's remembered invitations, within the last 30 days, as a lookup by email. */
  lookup(c: RepoConnection, now = Date.now()): InvitedLookup {
    const entries = this.state.connections[connectionKey(c)]?.invitations ?? {};
    return {
      get: (email) => {
        const e = entries[emailHash(c, email)];
        return e && kept(e.sent, now) ? e.status : undefined;
      },
    };
  }

  /**
   * The state after an apply: its invitations added (a newer status replaces an older one), the
   * people seen live and what is older than 30 days forgotten. Written only when it changed, whole or
   * not at all, keys sorted so a commit's diff shows only what changed. True when it was written.
   */
  update(updates: readonly RepoUpdate[], now = new Date()): boolean {
    const connections = { ...this.state.connections };
    for (const u of updates) {
      const key = connectionKey(u.connection);
      const invitations: Record<string, Entry> = { ...(connections[key]?.invitations ?? {}) };
      const seen = new Set([...(u.seen ?? [])].map((e) => emailHash(u.connection, e)));
      for (const hash of Object.keys(invitations)) if (seen.has(hash)) delete invitations[hash];
      for (const i of u.invitations)
        invitations[emailHash(u.connection, i.email)] = { sent: now.toISOString(), status: i.status };
      connections[key] = { invitations };
    }
    for (const [key, c] of Object.entries(connections)) {
      const current = Object.entries(c.invitations).filter(([, e]) => kept(e.sent, now.getTime()));
      if (current.length) connections[key] = { invitations: Object.fromEntries(current) };
      else delete connections[key];
    }
    const next: StateFile = { schemaVersion: REPO_STATE_VERSION, about: ABOUT, connections };
    const text = serialise(next);
    if (text === this.text || (!this.text && !Object.keys(connections).length)) return false;
    writeWhole(this.file, text);
    this.state = next;
    this.text = text;
    return true;
  }
}

/** The file's text from its JSON, or a RepoStateError naming the file, the place and what to do. */
function parseState(file: string, text: string): StateFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const conflict = /^(<{7}|={7}|>{7})/m.test(text)
      ? ' It holds merge-conflict markers: keep the entries of both sides.'
      : '';
    throw new RepoStateError(
      `${file} is not JSON (${err instanceof Error ? err.message : String(err)}).${conflict} Fix it, or delete it to forget the invitations it remembers (they may then be sent again).`,
    );
  }
  const parsed = StateFile.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue.path.length ? ` at ${issue.path.join('.')}` : '';
  // A bad key says why in the issue it holds ("a SHA-256 in hex"), not in its own ("Invalid key in record").
  const why = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  throw new RepoStateError(
    `${file} is not a workspace-access state file (version ${REPO_STATE_VERSION})${at}: ${why}. Fix it, or delete it to forget the invitations it remembers (they may then be sent again).`,
  );
}

/** Deterministic text: every object's keys sorted, two-space indent, a final newline. */
function serialise(state: StateFile): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
        )
      : v;
  return `${JSON.stringify(sorted(state), null, 2)}\n`;
}

/** Written beside itself and renamed over: a reader sees the old file or the new one, never half. */
function writeWhole(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o644 });
  fs.renameSync(tmp, file);
}
