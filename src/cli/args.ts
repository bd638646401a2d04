/**
 * The command line's arguments (node:util parseArgs) and its help. Keys are never arguments: a
 * flag that looks like one is refused without its value being echoed.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DEADLINE_MS } from '../core/http/retry';
import { PLATFORM_IDS, PLATFORMS } from '../providers';
import { keyVariable, urlVariable } from './connections';
import { KEEP_DAYS } from '../core/access/invited';
import { LOCKS_DIR } from './repo';
import type { Format } from './output';
import { DEFAULT_INACTIVE_DAYS, DEFAULT_INVITATION_DAYS } from '../core/roster/findings';
import { parseDomains, RosterError, type OrgDomains } from '../core/roster/roster';
import { UsageError } from './errors';
import { REVIEW_OPTIONS, reviewArgsOf, type ReviewArgs } from './reviewArgs';

export const COMMANDS = ['plan', 'drift', 'apply', 'export', 'findings', 'review'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Args {
  readonly command: Command | 'help' | 'version';
  readonly file: string;
  readonly format: Format;
  readonly yes: boolean;
  readonly resume: boolean;
  readonly report?: string;
  /** plan, drift: also write the findings as a SARIF 2.1.0 log here (`--sarif FILE`). */
  readonly sarif?: string;
  readonly force: boolean;
  readonly concurrency: number;
  /** One API call's budget, its retries and waits included (`--timeout`, seconds; 60 by default). */
  readonly timeoutSeconds: number;
  readonly stateDir?: string;
  readonly verbose: boolean;
  /** The most changes plan, drift and apply act on; a larger plan is refused (`--max-changes`). */
  readonly maxChanges: number;
  /** Only this connection of the file (`--connection NAME`, or `PLATFORM:NAME` where names repeat). */
  readonly connection?: string;
  /** plan: also write the plan, with what it was computed from, to this file for `apply PLAN` (`--out`). */
  readonly out?: string;
  /** findings: the organization's roster, a CSV (`--roster FILE`). */
  readonly roster?: string;
  /** findings: the organization's own email domains (`--domains a.com,b.com`); everyone else is external. */
  readonly domains?: OrgDomains;
  /** findings: no activity for this many days makes a seat inactive (`--inactive-days`). */
  readonly inactiveDays: number;
  /** findings: an invitation pending longer than this many days is stale (`--invitation-days`). */
  readonly invitationDays: number;
  /** review: what `workspace-access review ACTION` was given (reviewArgs.ts). */
  readonly review?: ReviewArgs;
}

/** `--max-changes`: a plan larger than this is refused, so a wrong file cannot send thousands of changes. */
export const DEFAULT_MAX_CHANGES = 1_000;
export const MAX_MAX_CHANGES = 100_000;

/** Which command each option belongs to, so a misplaced one is named instead of ignored. */
const ONLY: Record<string, readonly Command[]> = {
  markdown: ['plan', 'drift', 'findings'],
  json: ['plan', 'drift', 'apply', 'findings'],
  yes: ['apply'],
  resume: ['apply'],
  report: ['apply'],
  sarif: ['plan', 'drift', 'findings'],
  roster: ['findings'],
  domains: ['findings'],
  'inactive-days': ['findings'],
  'invitation-days': ['findings'],
  force: ['export'],
  'max-changes': ['plan', 'drift', 'apply'],
  connection: ['plan', 'drift', 'apply'],
  out: ['plan'],
};

/** The options parseArgs knows; anything else is a usage error. */
const OPTIONS = {
  markdown: { type: 'boolean' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  resume: { type: 'boolean' },
  report: { type: 'string' },
  sarif: { type: 'string' },
  force: { type: 'boolean' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'state-dir': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  'max-changes': { type: 'string' },
  connection: { type: 'string', multiple: true },
  out: { type: 'string' },
  ...REVIEW_OPTIONS,
  roster: { type: 'string' },
  domains: { type: 'string' },
  'inactive-days': { type: 'string' },
  'invitation-days': { type: 'string' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--timeout`: one API call's budget in seconds, by default and at most (as the extension's setting). */
export const DEFAULT_TIMEOUT_SECONDS = DEFAULT_DEADLINE_MS / 1000;
export const MAX_TIMEOUT_SECONDS = 600;

export { UsageError };

export function parseCli(argv: readonly string[]): Args {
  if (argv.some((a) => /^--?(key|token|api[-_]?key|secret|password)\b/i.test(a))) {
    throw new UsageError(
      `Keys are read from the environment only, never from a flag: set ${PLATFORM_IDS.map(keyVariable).join(', ')}.`,
    );
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values: v, positionals } = parsed;
  const [command, file, ...extra] = positionals;
  if (v.version || command === 'version') return { ...HELP_ARGS, command: 'version' };
  if (v.help || command === 'help' || command === undefined) return HELP_ARGS;
  if (command === 'review') {
    const [reviewFile, ...more] = extra;
    const review = reviewArgsOf(file, reviewFile, more, v);
    const connection = v.connection;
    const base = argsOf('review', review.file || 'review', [], { ...v, connection: undefined });
    return { ...base, file: review.file, review: { ...review, connections: connection ?? [] } };
  }
  return argsOf(command, file, extra, v);
}

/** What --help and --version run with: nothing but the command. */
const HELP_ARGS: Args = {
  command: 'help',
  file: '',
  format: 'text',
  yes: false,
  resume: false,
  force: false,
  concurrency: 16,
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  verbose: false,
  maxChanges: DEFAULT_MAX_CHANGES,
  inactiveDays: DEFAULT_INACTIVE_DAYS,
  invitationDays: DEFAULT_INVITATION_DAYS,
};

export type Values = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof OPTIONS }>
>['values'];

function argsOf(command: string, file: string | undefined, extra: readonly string[], v: Values): Args {
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`Unknown command "${command}": use one of ${COMMANDS.join(', ')}.`);
  const cmd = command as Command;
  if (cmd === 'findings' && file !== undefined)
    throw new UsageError(
      `findings reads every connection the keys reach and takes no file ("${file}"): give the roster with --roster FILE.`,
    );
  if (!file && cmd !== 'findings' && cmd !== 'review')
    throw new UsageError(`${cmd} needs the access file's path, such as: workspace-access ${cmd} workspace-access.yaml`);
  if (extra.length) throw new UsageError(`One access file at a time: "${extra[0]}" is one too many.`);
  // review's options are checked per action (reviewArgs.ts); the others' here.
  for (const [option, commands] of Object.entries(ONLY)) {
    if (cmd === 'review') break;
    if (v[option as keyof typeof v] !== undefined && !commands.includes(cmd))
      throw new UsageError(`--${option} is for ${wordList(commands)}, not ${cmd}.`);
  }
  if (cmd !== 'review')
    for (const option of Object.keys(REVIEW_OPTIONS) as (keyof typeof REVIEW_OPTIONS)[])
      if (v[option] !== undefined) throw new UsageError(`--${option} is for review start, not ${cmd}.`);
  if (v.markdown && v.json) throw new UsageError('Choose one of --markdown and --json.');
  const concurrency = v.concurrency === undefined ? 16 : Number(v.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`--concurrency takes a whole number from 1 to 64 (got "${v.concurrency}").`);
  const timeoutSeconds = v.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(v.timeout);
  if (!/^\d+$/.test(v.timeout ?? '60') || timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)
    throw new UsageError(
      `--timeout takes the seconds one API call may take, a whole number from 1 to ${MAX_TIMEOUT_SECONDS} (got "${v.timeout}").`,
    );
  const maxChanges = v['max-changes'] === undefined ? DEFAULT_MAX_CHANGES : Number(v['max-changes']);
  if (!/^\d+$/.test(v['max-changes'] ?? '1') || maxChanges < 1 || maxChanges > MAX_MAX_CHANGES)
    throw new UsageError(
      `--max-changes takes the most changes a plan may hold, a whole number from 1 to ${MAX_MAX_CHANGES} (got "${v['max-changes']}").`,
    );
  const days = (option: 'inactive-days' | 'invitation-days', fallback: number) => {
    const text = v[option];
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > MAX_DAYS)
      throw new UsageError(`--${option} takes a number of days, a whole number from 1 to ${MAX_DAYS} (got "${text}").`);
    return n;
  };
  if (v.sarif !== undefined && cmd === 'findings' && v.roster === undefined)
    throw new UsageError('findings --sarif places each finding at its roster row: give the roster with --roster FILE.');
  return {
    command: cmd,
    file: file ?? '',
    format: v.json ? 'json' : v.markdown ? 'markdown' : 'text',
    yes: !!v.yes,
    resume: !!v.resume,
    ...(v.report !== undefined ? { report: v.report } : {}),
    ...(v.sarif !== undefined ? { sarif: v.sarif } : {}),
    force: !!v.force,
    concurrency,
    timeoutSeconds,
    ...(v['state-dir'] !== undefined ? { stateDir: v['state-dir'] } : {}),
    verbose: !!v.verbose,
    maxChanges,
    // One --connection for plan, drift and apply (the last given, as before); review start takes several.
    ...(v.connection?.length ? { connection: v.connection[v.connection.length - 1] } : {}),
    ...(v.out !== undefined ? { out: v.out } : {}),
    ...(v.roster !== undefined ? { roster: v.roster } : {}),
    ...(v.domains !== undefined ? { domains: domainsOf(v.domains) } : {}),
    inactiveDays: days('inactive-days', DEFAULT_INACTIVE_DAYS),
    invitationDays: days('invitation-days', DEFAULT_INVITATION_DAYS),
  };
}

/** `--inactive-days`, `--invitation-days`: at most ten years. */
export const MAX_DAYS = 3_650;

/** `--domains example.com,example.co.uk`: the organization's email domains (a leading @ is dropped), any case. */
function domainsOf(text: string): OrgDomains {
  try {
    return parseDomains(text.split(','));
  } catch (err) {
    if (err instanceof RosterError) throw new UsageError(`--domains: ${err.message}`);
    throw err;
  }
}

/** "plan", "plan and drift", "plan, drift and findings". */
const wordList = (words: readonly string[]) =>
  words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

export function helpText(): string {
  const keys = PLATFORM_IDS.map(
    (p) => `  ${keyVariable(p).padEnd(34)}${PLATFORMS[p].label} (${PLATFORMS[p].keyHelpUrl})`,
  );
  return `workspace-access: the access file (workspace-access.yaml) on the command line

Usage:
  workspace-access plan   <file> [--markdown | --json] [--sarif FILE] [--connection NAME] [--out PLAN]
  workspace-access drift  <file> [--markdown | --json] [--sarif FILE] [--connection NAME]
  workspace-access apply  <file> [--yes] [--report FILE] [--connection NAME] [--json]
  workspace-access apply  <plan> [--yes] [--report FILE] [--json]
  workspace-access apply  <file or plan> --resume [--report FILE]
  workspace-access export <file> [--force]
  workspace-access findings [--roster CSV] [--domains LIST] [--inactive-days N]
                            [--invitation-days N] [--markdown | --json] [--sarif FILE]
  workspace-access review start  <review> --name NAME --due YYYY-MM-DD --reviewer EMAIL [--reviewer …]
                            [--scope everyone|admins|findings] [--type TYPE] [--connection NAME …]
                            [--roster CSV] [--domains LIST] [--force]
  workspace-access review status <review> [--markdown | --json]
  workspace-access review close  <review or plan> [--yes] [--out PLAN] [--resume] [--sign-off]
                            [--markdown | --json]
  workspace-access review verify [folder or review] [--markdown | --json]

Commands:
  plan     The changes apply would make, each with its line. Sends nothing.
  drift    Each line of the file where live access differs, for scheduled checks. Sends nothing.
  apply    Plans again and makes live match the file, as one journaled job. Removals,
           demotions and ownership changes need --yes. --resume finishes an interrupted apply;
           what was sent is checked, never sent twice. Each change is checked against live
           just before it is sent. One apply of a connection at a time from a checkout.
           Given a saved plan (plan --out), it sends exactly the plan's changes after checking
           that the access file, the tool and live are as they were when it was made; if
           anything moved it sends nothing (exit 4).
  export   Writes live access to a new file: every connection the keys reach. With --force
           over an existing file: live access of its connections, in its own shape.
  findings Who should not be here, across every connection the keys reach: people the
           roster says have left, accounts it does not know, external accounts, inactive
           seats, stale invitations, and (for the record) owners and admins. Sends nothing.
  review   An access review as a file (reviews/NAME.access-review.yaml). start writes it from
           live: each person, everything they hold and why (with --roster/--domains: roster
           status, external, last activity, findings). People decide each item (decision:
           keep, revoke or a lower role, reason: why) and sign off (signoff: {name, email}).
           status prints progress and every problem at its line. close turns the decisions
           into changes, sends them as one journaled job (--yes; --resume finishes an
           interrupted one; --out PLAN saves it for CI), writes the evidence beside the review
           (JSON, Markdown, CSV, readable by you only) and marks it closed; closing a closed
           review sends nothing. verify checks the folder's chain of evidence and names the
           first file changed.

Options:
  --markdown         plan, drift, findings, review status|close|verify: Markdown (a pull-request
                     comment, an issue)
  --json             plan, drift, apply, findings, review status|close|verify: one JSON document
                     (schemaVersion 1), errors included (apply and review close print their plan
                     and report on stderr then)
  --sarif FILE       plan, drift: also write each line where live differs (or the file's
                     errors) as SARIF 2.1.0, for code scanning (readable by you only);
                     findings: each finding at its roster row (needs --roster)
  --max-changes N    plan, drift, apply: refuse a plan of more than N changes (default ${DEFAULT_MAX_CHANGES})
  --connection NAME  plan, drift, apply: only the connection of this name (its workspace or
                     organization in the file; PLATFORM:NAME where two platforms share a name)
  --out PLAN         plan: also save the plan, with the access file's SHA-256 and a fingerprint
                     of the live state of each change, for apply PLAN (review close: the close
                     plan, with the review's SHA-256, for review close PLAN). It names people: it
                     is written readable by you only; keep it as a short-lived private CI artifact
  -y, --yes          apply, review close: allow removals, demotions and ownership changes
  --resume           apply, review close: finish the interrupted apply (close) of this file
  --report FILE      apply: also write every change's outcome as CSV (readable by you only)
  --force            export, review start: replace an existing file
  --roster CSV       findings, review start: the organization's people (columns email, name, status, end
                     date, aliases…; see the README)
  --domains LIST     findings, review start: the organization's email domains, comma-separated; anyone
                     else is external (subdomains count as their domain)
  --inactive-days N  findings: no activity for N days makes a seat inactive (default ${DEFAULT_INACTIVE_DAYS})
  --invitation-days N  findings: an invitation pending over N days is stale (default ${DEFAULT_INVITATION_DAYS})
  --name, --due, --reviewer EMAIL, --scope, --type TYPE
                     review start: the review's name, due date, reviewers (repeat), which people
                     (everyone, admins: owners and admins only, findings: only people findings
                     name, needs --roster) and only grants on one resource type (voice, space…)
  --connection NAME  review start: only this connection (repeat for several); every one the
                     keys reach by default
  --sign-off         review close: sign the review off as git's user.name and user.email
                     (once every item is decided)
  --concurrency N    requests in flight per connection, 1 to 64 (default 16)
  --timeout SECONDS  how long one API call may take in all, its retries and the waits the
                     platform asks for included, 1 to ${MAX_TIMEOUT_SECONDS} (default ${DEFAULT_TIMEOUT_SECONDS}); a wait past
                     it is not taken, the call fails naming the time the platform gave
  --state-dir DIR    apply's journal and this machine's remembered invitations (default
                     $WORKSPACE_ACCESS_STATE_DIR, else $XDG_STATE_HOME/workspace-access,
                     else ~/.local/state/workspace-access)
  -v, --verbose      more of what happens, on stderr
  --version          the tool's version
  -h, --help         this text

Files beside the access file (for workspace-access.yaml):
  workspace-access.state.json       written by apply: commit it. Invitations ElevenLabs and
                                    GitBook cannot list, each a SHA-256 of platform:name:email
                                    (no email), "sent" or "unconfirmed" (its answer was lost: never
                                    sent again), until the person joins or ${KEEP_DAYS} days pass
  ${LOCKS_DIR}/          a lock per connection while an apply runs: do not commit it.
                                    Separate checkouts do not see it: serialise applies with
                                    your CI's concurrency group

Keys come from the environment only, never from the file or a flag:
${keys.join('\n')}
  <variable>_<NAME>                 the key of one connection, by its name in the file in
                                    capitals (${keyVariable('elevenlabs')}_PRODUCTION for "Production")
  ${urlVariable('gitbook').padEnd(34)}another API base URL, per platform (https, or http to loopback only)

Exit codes:
  0    plan, drift: live matches the file; apply: every change done; export: written
  2    plan, drift: changes are pending; review close --out: the saved close has changes
  3    live differs in ways the file cannot fix (the plan's "Cannot be done")
       (an invitation "sent, unconfirmed" changes no code: there is nothing to apply for it)
  4    apply PLAN: the saved plan is stale (the access file, live or the tool changed since
       it was made); nothing sent: plan again
  5    apply: changes remove or lower access or change ownership, and no --yes; nothing sent
  6    findings: something asks for action (owners and admins alone do not)
  7    review status: items are undecided or the due date has passed; review close: it is
       not ready (undecided items, or not signed off), nothing sent
  8    review verify: the evidence chain is broken; the message names the first file changed
  1    an error: the file's problems (each with its line), a missing key, a refused or failed change,
       a saved plan edited since plan wrote it
  64   usage: an unknown command or option, a bad value, a --report, --out or --sarif folder
       that is missing
  130  interrupted (Ctrl+C): changes in flight finished, the rest not sent; apply again plans afresh
`;
}
