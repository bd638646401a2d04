/**
 * `--sarif FILE`: where live differs from the access file, as a SARIF 2.1.0 log, so code scanning
 * (GitHub's, or any SARIF viewer) shows each finding at its line of the file. One rule per kind of
 * finding, each with help that says what to do. The log names people (the findings do): it is
 * written readable by its owner only, like every file the command line writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Problem } from '../core/access/parse';
import type { ToolInfo } from './version';

/** The SARIF version written, and the schema a reader checks it against (OASIS, 2.1.0 errata 01). */
export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export type RuleId =
  | 'change-pending'
  | 'cannot-be-done'
  | 'unlisted'
  | 'expired'
  | 'stale-line'
  | 'waiting'
  | 'connection-error'
  | 'file-error';

type Level = 'error' | 'warning' | 'note';

interface Rule {
  readonly id: RuleId;
  readonly name: string;
  readonly short: string;
  readonly full: string;
  readonly help: string;
  readonly level: Level;
}

/** Every kind of finding, in the order a reader meets them; each result points at its rule by index. */
export const SARIF_RULES: readonly Rule[] = [
  {
    id: 'change-pending',
    name: 'ChangePending',
    short: 'Live access differs from this line; apply would change it.',
    full: 'The platform holds something other than this line says: a member, role, seat, lock, group, grant or link. `workspace-access apply` would make live match the line.',
    help: 'If the line is right, apply the file (the CI recipe does, on merge). If live is right (someone changed it on purpose), write the live value into the line: the message says what live holds.',
    level: 'warning',
  },
  {
    id: 'cannot-be-done',
    name: 'CannotBeDone',
    short: 'Live differs from this line in a way no key here can change.',
    full: 'The line asks for something the platform refuses or the key cannot do: the creator keeps admin, a managed group, a role that cannot be given by invitation, a resource the key cannot see, someone who is not a member and is not invited by the file.',
    help: 'Someone must look: change the line to what can be (the message says what live holds and why), or make the change by hand on the platform. `plan` and `drift` exit 3 while this stays.',
    level: 'warning',
  },
  {
    id: 'unlisted',
    name: 'Unlisted',
    short: 'Live access the file does not list.',
    full: 'A section of this connection is exclusive: it lists everyone who has access. Live has a member, a group member, a project member, a grant or an invite link that the section leaves out; apply removes it (or locks the member where the platform cannot remove).',
    help: 'If they should keep their access, add them to the section. Otherwise apply the file: removals need `--yes`.',
    level: 'warning',
  },
  {
    id: 'expired',
    name: 'Expired',
    short: 'Access whose `until:` date has passed is still live.',
    full: 'The line gives access until a date that has passed, and the platform still has it. Apply removes it.',
    help: 'Apply the file to remove the access, or move the `until:` date if it should last longer.',
    level: 'warning',
  },
  {
    id: 'stale-line',
    name: 'StaleLine',
    short: 'This line ended and live no longer has it: the line can go.',
    full: 'The line gives access until a date that has passed, and live no longer has that access. Nothing is left to do but tidy the file.',
    help: 'Delete the line (the extension offers it as a quick fix).',
    level: 'note',
  },
  {
    id: 'waiting',
    name: 'Waiting',
    short: 'Waiting for someone to join, or for an ownership transfer.',
    full: 'The line is for someone who is invited and has not joined yet, or for a member whose change waits until an ownership transfer in the same plan is done.',
    help: 'Nothing to do now: plan again once they have joined, or after the apply that transfers ownership.',
    level: 'note',
  },
  {
    id: 'connection-error',
    name: 'ConnectionError',
    short: 'This connection could not be matched or read.',
    full: 'No key in the environment matches this entry, two entries name the same workspace, or the platform could not be read. Its lines were not checked.',
    help: "Set the key variable the message names (from your CI secret store), check the entry's name, or run again when the platform answers.",
    level: 'error',
  },
  {
    id: 'file-error',
    name: 'FileError',
    short: 'The access file has an error at this line.',
    full: "The file is not valid YAML, does not follow the access file's schema, or repeats an entry. Nothing is planned or checked until it is fixed.",
    help: 'Fix the line as the message says; the extension shows the same problems in the editor as you type.',
    level: 'error',
  },
];

/** The rule a finding of the plan or of the file belongs to. */
export function ruleOf(f: Pick<Problem, 'code' | 'unlisted'>): RuleId {
  switch (f.code) {
    case 'drift':
      return f.unlisted ? 'unlisted' : 'change-pending';
    case 'expired':
      return 'expired';
    case 'stale':
      return 'stale-line';
    case 'unknown':
      return 'cannot-be-done';
    case 'pending':
      return 'waiting';
    case 'connection':
    case 'unreadable':
      return 'connection-error';
    default:
      return 'file-error';
  }
}

/** A finding placed in the file: 1-based line and column (UTF-16 code units, as the file's text is read). */
export interface SarifFinding {
  readonly rule: RuleId;
  readonly severity: Problem['severity'];
  readonly message: string;
  readonly line: number;
  readonly column: number;
  /** Where it ends, when on the same line (a finding of a whole section is shown at its first line). */
  readonly endColumn?: number;
}

const LEVEL: Record<Problem['severity'], Level> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * Where the access file is, as SARIF says it: relative to the repository's root (the nearest folder
 * above it that holds `.git`, as code scanning resolves paths), else to the working folder; absolute
 * only when it is outside both.
 */
export function artifactOf(
  file: string,
  cwd: string = process.cwd(),
): { uri: string; uriBaseId?: string; base?: string } {
  const absolute = path.resolve(cwd, file);
  const root = repositoryRoot(path.dirname(absolute)) ?? cwd;
  const relative = path.relative(root, absolute);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  return {
    uri: relative.split(path.sep).map(encodeURIComponent).join('/'),
    uriBaseId: '%SRCROOT%',
    base: pathToFileURL(root + path.sep).href,
  };
}

function repositoryRoot(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export interface SarifInput {
  readonly kind: 'plan' | 'drift';
  /** The access file as the command line was given it. */
  readonly file: string;
  readonly findings: readonly SarifFinding[];
  readonly tool: ToolInfo;
  /** The command's exit code, and whether it checked live (false: it stopped on the file's errors). */
  readonly exitCode: number;
  readonly checked: boolean;
  /** `--connection NAME`: the log covers that connection only. */
  readonly connection?: string;
  readonly cwd?: string;
}

/** A file's location as a SARIF result names it: its URI, and its base where relative. */
export const locationOf = (where: { uri: string; uriBaseId?: string }) => ({
  uri: where.uri,
  ...(where.uriBaseId ? { uriBaseId: where.uriBaseId } : {}),
});

/** The tool's name and version as SARIF's driver says them (the rules are each log's own). */
export const driverOf = (tool: ToolInfo) => ({
  name: tool.name,
  version: tool.version,
  ...(/^\d+\.\d+\.\d+/.test(tool.version) ? { semanticVersion: tool.version } : {}),
  ...(tool.homepage ? { informationUri: tool.homepage } : {}),
});

/** The SARIF log: one run of workspace-access, every finding at its place in the access file. */
export function sarifLog(input: SarifInput): object {
  const where = artifactOf(input.file, input.cwd);
  const location = locationOf(where);
  const help = (r: Rule) => ({ text: r.help, markdown: r.help });
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            ...driverOf(input.tool),
            rules: SARIF_RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.short },
              fullDescription: { text: r.full },
              help: help(r),
              ...(input.tool.homepage ? { helpUri: input.tool.homepage } : {}),
              defaultConfiguration: { level: r.level },
            })),
          },
        },
        // One category per access file, command (and connection): a file in sync closes its own alerts only.
        automationDetails: {
          id: `workspace-access/${input.kind}/${where.uri}${input.connection ? `:${input.connection}` : ''}/`,
        },
        ...(where.base ? { originalUriBaseIds: { '%SRCROOT%': { uri: where.base } } } : {}),
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: input.checked, exitCode: input.exitCode }],
        artifacts: [{ location, mimeType: 'application/yaml' }],
        results: input.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: SARIF_RULES.findIndex((r) => r.id === f.rule),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { ...location, index: 0 },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  ...(f.endColumn !== undefined && f.endColumn > f.column ? { endColumn: f.endColumn } : {}),
                },
              },
            },
          ],
        })),
      },
    ],
  };
}
