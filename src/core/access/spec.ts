/**
 * What an access file says, entry by entry: one spec per connection whose every entry knows its
 * place in the text (its span and path), and the problems found, each at its line.
 */
import type { AccessFileFacts, Section } from './facts';
import type { Span, YamlTree } from './yamlTree';

export type Path = readonly (string | number)[];

/**
 * A path some keys further down. `concat` sizes the array exactly; a spread leaves room to grow,
 * which doubled the memory of a large file's specs (one path per entry, 131,071 in the large export).
 */
export const under = (path: Path, ...keys: (string | number)[]): Path => path.concat(keys);

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  readonly at: Span;
  readonly severity: Severity;
  readonly message: string;
  /** What kind it is, for quick fixes and counts: `syntax`, `schema`, `duplicate`, `connection`, `drift`, `expired`, `unknown`, `pending`. */
  readonly code: string;
  /** The edit that writes the live value into the file (drift). */
  readonly fix?: Fix;
  /** Drift of live access that an exclusive section leaves out (a member, a grant, a link): Plan removes it. */
  readonly unlisted?: boolean;
}

export interface Located {
  readonly at: Span;
  /** Where it is in the YAML document: what a quick fix edits. */
  readonly path: Path;
}

/** A quick fix's edit: set the value at a path (its `key` inside a map value), or delete the entry there. */
export type Fix =
  | { readonly kind: 'set'; readonly path: Path; readonly key?: string; readonly value: string | boolean }
  | { readonly kind: 'delete'; readonly path: Path };

export interface MemberSpec extends Located {
  readonly email: string;
  readonly role?: string;
  readonly locked?: boolean;
  readonly until?: string;
}

export interface GroupMemberSpec extends Located {
  readonly email: string;
  readonly role?: string;
}

export interface GroupSpec extends Located {
  readonly name: string;
  readonly members: readonly GroupMemberSpec[];
}

export interface GrantSpec extends Located {
  /** An email, `group:<name>` (`team:<name>`), `service-account:<name>` or `default`. */
  readonly principal: string;
  readonly role: string;
  readonly until?: string;
}

export interface ResourceSpec extends Located {
  readonly type: string;
  readonly id: string;
  readonly name?: string;
  readonly grants: readonly GrantSpec[];
}

export interface LinkSpec extends Located {
  /** `organization`, `space:<id>` or `collection:<id>`. */
  readonly target: string;
  readonly role: string;
}

export interface ProjectSpec extends Located {
  readonly id: string;
  readonly name?: string;
  readonly members: readonly MemberSpec[];
}

/** One connection as the file declares it. A section left out is not managed. */
export interface ConnectionSpec extends Located {
  readonly facts: AccessFileFacts;
  /** The workspace or organization it names. */
  readonly name: string;
  readonly exclusive: ReadonlySet<Section>;
  readonly members?: readonly MemberSpec[];
  readonly groups?: readonly GroupSpec[];
  readonly resources?: readonly ResourceSpec[];
  readonly inviteLinks?: readonly LinkSpec[];
  readonly projects?: readonly ProjectSpec[];
}

export interface ParsedFile {
  readonly text: string;
  /** Whether only the edited entry was parsed again. */
  readonly incremental?: boolean;
  readonly tree: YamlTree;
  readonly connections: readonly ConnectionSpec[];
  /** The file's `roster:` (a path relative to the file) and where it is written. */
  readonly roster?: { readonly path: string; readonly at: Span };
  /** Syntax, schema and duplicate errors: Plan and Apply refuse a file with any. */
  readonly problems: readonly Problem[];
  /**
   * Where the file has errors in some entries only: the specs of the rest, which the editor still
   * compares with live so that other diagnostics stay. For diagnostics only, never planned to write.
   */
  readonly partial?: readonly ConnectionSpec[];
}
