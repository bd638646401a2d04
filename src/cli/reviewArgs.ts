/**
 * `workspace-access review start|status|close|verify`: the review's own options, and which action
 * takes which. A misplaced option or a missing one is a usage error (exit 64) that says what to fix.
 */
import type { PeopleScope } from '../core/review/review';
import { REVIEW_SUFFIX } from '../core/review/review';
import { UsageError } from './errors';

export const REVIEW_ACTIONS = ['start', 'status', 'close', 'verify'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];
export const PEOPLE_SCOPES: readonly PeopleScope[] = ['everyone', 'admins', 'findings'];

/** The options only review takes (parseArgs shapes). */
export const REVIEW_OPTIONS = {
  name: { type: 'string' },
  due: { type: 'string' },
  reviewer: { type: 'string', multiple: true },
  scope: { type: 'string' },
  type: { type: 'string' },
  'sign-off': { type: 'boolean' },
} as const;

export interface ReviewArgs {
  readonly action: ReviewAction;
  /** The review file (start: the one to write; verify: a file or folder, `reviews` by default). */
  readonly file: string;
  /** start: the review's name, due date (yyyy-mm-dd), reviewers, people and resource type. */
  readonly name?: string;
  readonly due?: string;
  readonly reviewers: readonly string[];
  readonly scope: PeopleScope;
  readonly type?: string;
  /** close: sign the review off as git's user.name and user.email first (`--sign-off`). */
  readonly signOff?: boolean;
  /** start: only these connections (by name, or PLATFORM:NAME); every one the keys reach otherwise. */
  readonly connections: readonly string[];
}

/** Which options each action takes (the shared ones, --concurrency and such, are for all). */
const TAKES: Record<ReviewAction, readonly string[]> = {
  start: [
    'name',
    'due',
    'reviewer',
    'scope',
    'type',
    'connection',
    'roster',
    'domains',
    'inactive-days',
    'invitation-days',
    'force',
  ],
  status: ['markdown', 'json'],
  close: ['yes', 'resume', 'out', 'markdown', 'json', 'sign-off'],
  verify: ['markdown', 'json'],
};

interface ReviewValues {
  readonly [option: string]: unknown;
  readonly name?: string;
  readonly due?: string;
  readonly reviewer?: string[];
  readonly scope?: string;
  readonly type?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A real calendar day, yyyy-mm-dd. */
const isDay = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

export function reviewArgsOf(
  action: string | undefined,
  file: string | undefined,
  extra: readonly string[],
  v: ReviewValues,
): Omit<ReviewArgs, 'connections'> {
  if (!action || !(REVIEW_ACTIONS as readonly string[]).includes(action))
    throw new UsageError(
      `review takes one of ${REVIEW_ACTIONS.join(', ')}${action ? ` (not "${action}")` : ''}, such as: workspace-access review status reviews/2026-q4${REVIEW_SUFFIX}`,
    );
  const act = action as ReviewAction;
  if (extra.length) throw new UsageError(`One review file at a time: "${extra[0]}" is one too many.`);
  for (const [option, value] of Object.entries(v)) {
    if (value === undefined || ANYWHERE.has(option) || TAKES[act].includes(option)) continue;
    const takers = REVIEW_ACTIONS.filter((a) => TAKES[a].includes(option));
    throw new UsageError(
      takers.length
        ? `--${option} is for review ${takers.join(', ')}, not review ${act}.`
        : `--${option} is not for review: see workspace-access --help.`,
    );
  }
  if (!file && act !== 'verify')
    throw new UsageError(
      `review ${act} needs the review file's path, such as: workspace-access review ${act} reviews/2026-q4${REVIEW_SUFFIX}`,
    );
  if (act !== 'start')
    return {
      action: act,
      file: file ?? 'reviews',
      reviewers: [],
      scope: 'everyone',
      ...(v['sign-off'] ? { signOff: true } : {}),
    };
  const missing = [
    ...(v.name?.trim() ? [] : ['--name NAME']),
    ...(v.due ? [] : ['--due YYYY-MM-DD']),
    ...(v.reviewer?.length ? [] : ['--reviewer EMAIL']),
  ];
  if (missing.length)
    throw new UsageError(
      `review start needs ${missing.join(', ')}, such as: workspace-access review start ${file} --name "2026 Q4" --due 2026-12-31 --reviewer ada@example.com`,
    );
  const due = v.due ?? '';
  if (!isDay(due)) throw new UsageError(`--due takes a date as YYYY-MM-DD, such as 2026-12-31 (got "${due}").`);
  for (const r of v.reviewer ?? [])
    if (!EMAIL.test(r.trim())) throw new UsageError(`--reviewer takes an email, such as ada@example.com (got "${r}").`);
  const scope = v.scope ?? 'everyone';
  if (!(PEOPLE_SCOPES as readonly string[]).includes(scope))
    throw new UsageError(`--scope takes one of ${PEOPLE_SCOPES.join(', ')} (got "${scope}").`);
  if (scope === 'findings' && v.roster === undefined)
    throw new UsageError(
      '--scope findings reviews the people findings name, and they are found against the roster: give it with --roster FILE (a CSV of the organization’s people).',
    );
  if (v.type !== undefined && !/^[a-z][a-z0-9_-]*$/i.test(v.type))
    throw new UsageError(`--type takes a resource type, such as voice, agent, space or collection (got "${v.type}").`);
  return {
    action: act,
    file: file ?? '',
    name: v.name?.trim(),
    due,
    reviewers: (v.reviewer ?? []).map((r) => r.trim()),
    scope: scope as PeopleScope,
    ...(v.type ? { type: v.type } : {}),
  };
}

/** The options every action takes. */
const ANYWHERE = new Set(['concurrency', 'timeout', 'state-dir', 'verbose', 'version', 'help']);
