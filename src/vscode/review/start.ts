/**
 * Start Access Review…: the connections, the scope, a name, a due date and the reviewers; then live
 * read side by side and written as `reviews/<name>.access-review.yaml` in the first folder, opened
 * to decide. Nothing is sent.
 */
import * as vscode from 'vscode';
import { renderReview } from '../../core/review/render';
import { REVIEW_SUFFIX, type PeopleScope, type PersonContext, type Review } from '../../core/review/review';
import { startReview } from '../../core/review/start';
import type { ConnectionInfo } from '../connectionStore';
import { connectionKeys, gitConfig, isEmail, readConnections, writePrivate } from './common';
import type { ReviewDeps, ReviewFindings } from './reviewFile';

const today = () => new Date().toISOString().slice(0, 10);

/** "2026 Q4" → `2026-q4`. */
export const reviewSlug = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function validDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

type ScopeChoice = { people: PeopleScope; type?: true };

async function pick<T extends vscode.QuickPickItem>(
  deps: ReviewDeps,
  items: T[],
  options: vscode.QuickPickOptions,
): Promise<T> {
  const picked = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options });
  if (!picked) throw deps.kit.cancelled();
  return picked;
}

async function ask(deps: ReviewDeps, options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw deps.kit.cancelled();
  return value.trim();
}

/** What a reviewer knows of each person from the roster and the findings (connections outside the review left out). */
function contextFrom(found: ReviewFindings, chosen: ReadonlySet<string>) {
  const byEmail = new Map<string, ReviewFindings['findings'][number][]>();
  for (const f of found.findings) {
    if (!chosen.has(f.connectionId)) continue;
    const k = f.email.toLowerCase();
    byEmail.set(k, [...(byEmail.get(k) ?? []), f]);
  }
  const roster = found.roster.people !== undefined;
  const context = (email: string): PersonContext | undefined => {
    const list = byEmail.get(email.toLowerCase()) ?? [];
    const kinds = [...new Set(list.map((f) => f.kind))].sort();
    const lastActive = list
      .map((f) => f.lastActive)
      .filter((d): d is string => !!d)
      .sort()
      .pop();
    const c: PersonContext = {
      ...(roster
        ? { roster: kinds.includes('left') ? 'left' : kinds.includes('unknown') ? 'not on the roster' : 'active' }
        : {}),
      ...(kinds.includes('external') ? { external: true } : {}),
      ...(lastActive ? { lastActive: lastActive.slice(0, 10) } : {}),
      ...(kinds.length ? { findings: kinds } : {}),
    };
    return Object.keys(c).length ? c : undefined;
  };
  const flagged = new Set(
    [...byEmail.entries()].filter(([, list]) => list.some((f) => f.severity === 'warning')).map(([e]) => e),
  );
  return { context, flagged };
}

export async function startCommand(deps: ReviewDeps): Promise<vscode.Uri> {
  const title = vscode.l10n.t('Start Access Review…');
  deps.kit.refuseUntrusted(vscode.l10n.t('Start Access Review'));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error(vscode.l10n.t('Open a folder first: a review is a file in the repository (reviews/…).'));
  const all = deps.store.list();
  if (!all.length) throw new Error(vscode.l10n.t('There is no connection yet. Run "Add Connection" first.'));
  const picked = await vscode.window.showQuickPick(
    all.map((c) => ({ label: c.label, description: deps.kit.platformLabel(c.platform), picked: true, connection: c })),
    { title, canPickMany: true, ignoreFocusOut: true, placeHolder: vscode.l10n.t('The connections to review') },
  );
  if (!picked?.length) throw deps.kit.cancelled();
  const chosen: ConnectionInfo[] = picked.map((p) => p.connection);

  const scopes: (vscode.QuickPickItem & { scope: ScopeChoice })[] = [
    {
      label: vscode.l10n.t('Everyone'),
      detail: vscode.l10n.t('Every person and everything they hold'),
      scope: { people: 'everyone' },
    },
    {
      label: vscode.l10n.t('Admins and owners only'),
      detail: vscode.l10n.t('People whose role reaches everything'),
      scope: { people: 'admins' },
    },
    {
      label: vscode.l10n.t('One resource type…'),
      detail: vscode.l10n.t('Direct grants on one type of resource, of everyone'),
      scope: { people: 'everyone', type: true },
    },
    {
      label: vscode.l10n.t('Only the people findings name'),
      detail: vscode.l10n.t('Left, unknown, external or inactive (needs a roster)'),
      scope: { people: 'findings' },
    },
  ];
  const scope = (await pick(deps, scopes, { title, placeHolder: vscode.l10n.t('Whom the review covers') })).scope;
  if (scope.people === 'findings' && !deps.kit.rosterSet())
    throw new Error(
      vscode.l10n.t(
        'A review of the people findings name needs a roster: set "workspaceAccess.roster" in Settings, or run "Choose Roster…" in the Needs Attention view, then start again.',
      ),
    );
  let type: string | undefined;
  if (scope.type) {
    const types = new Map<string, vscode.QuickPickItem & { id: string }>();
    for (const c of chosen)
      for (const t of deps.sessions.provider(c).sharing?.types ?? [])
        if (!types.has(t.id))
          types.set(t.id, { label: t.label, description: deps.kit.platformLabel(c.platform), id: t.id });
    if (!types.size) throw new Error(vscode.l10n.t('None of the chosen connections shares resources.'));
    type = (await pick(deps, [...types.values()], { title, placeHolder: vscode.l10n.t('Which resource type?') })).id;
  }

  const now = today();
  const quarter = Math.floor(new Date().getUTCMonth() / 3) + 1;
  const reviewUri = (name: string) => vscode.Uri.joinPath(folder, 'reviews', `${reviewSlug(name)}${REVIEW_SUFFIX}`);
  const name = await ask(deps, {
    title,
    prompt: vscode.l10n.t("The review's name: its file is reviews/<name>.access-review.yaml"),
    value: `${now.slice(0, 4)} Q${quarter}`,
    validateInput: async (text) => {
      if (!reviewSlug(text)) return vscode.l10n.t('A name with letters or digits, e.g. "2026 Q4".');
      const uri = reviewUri(text);
      return (await exists(uri))
        ? vscode.l10n.t('{0} exists already: choose another name.', vscode.workspace.asRelativePath(uri))
        : undefined;
    },
  });
  const due = await ask(deps, {
    title,
    prompt: vscode.l10n.t('Due date (yyyy-mm-dd)'),
    value: addDays(now, 14),
    validateInput: (text) =>
      !validDate(text.trim())
        ? vscode.l10n.t('A date as yyyy-mm-dd, e.g. {0}.', addDays(now, 14))
        : text.trim() < now
          ? vscode.l10n.t('The due date has passed: give today or a later date.')
          : undefined,
  });
  const me = await gitConfig(folder, 'user.email', deps.kit.trusted());
  const reviewers = (
    await ask(deps, {
      title,
      prompt: vscode.l10n.t('Reviewers: emails, separated by commas'),
      value: me ?? '',
      validateInput: (text) => {
        const list = text
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean);
        if (!list.length) return vscode.l10n.t("At least one reviewer's email.");
        const bad = list.find((e) => !isEmail(e));
        return bad ? vscode.l10n.t('"{0}" is not an email.', bad) : undefined;
      },
    })
  )
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);

  const keys = connectionKeys(chosen);
  const wanted = chosen.map((c) => ({ key: keys.get(c.id) ?? c.id, name: c.label, connection: c }));
  let found: ReviewFindings | undefined;
  const started = new Date().toISOString();
  const reads = await readConnections(
    deps,
    vscode.l10n.t('Reading live access of {0}…', chosen.map((c) => c.label).join(', ')),
    wanted,
    async (signal) => {
      if (!deps.kit.rosterSet()) return;
      try {
        found = await deps.kit.findings(signal);
      } catch (err) {
        if (scope.people === 'findings') throw err;
        signal.throwIfAborted();
        deps.log.warn(
          `access review: no context from the roster (${err instanceof Error ? err.message : String(err)})`,
        );
      }
    },
  );
  if (scope.people === 'findings' && found?.roster.error)
    throw new Error(vscode.l10n.t('The roster could not be read: {0}', found.roster.error));
  const people = found ? contextFrom(found, new Set(chosen.map((c) => c.id))) : undefined;
  const review: Review = startReview(reads, {
    name,
    due: due.trim(),
    reviewers,
    scope: { people: scope.people, connections: wanted.map((w) => w.key), ...(type ? { type } : {}) },
    started,
    context: people?.context,
    flagged: people?.flagged,
  });
  const uri = reviewUri(name);
  if (await exists(uri))
    throw new Error(
      vscode.l10n.t('{0} exists already: start again with another name.', vscode.workspace.asRelativePath(uri)),
    );
  // It names people: private to its owner until they share it (by a commit).
  await writePrivate(uri, renderReview(review));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  deps.log.info(
    `access review started: ${review.people.length} people, ${review.people.reduce((n, p) => n + p.access.length, 0)} items`,
  );
  return uri;
}
