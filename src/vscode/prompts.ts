import * as vscode from 'vscode';
import { PLATFORMS, PLATFORM_IDS, type PlatformId } from '../providers';
import type { Resource } from '../core/model';
import type { Sharing } from '../core/provider';
import type { ConnectionInfo } from './connectionStore';

/** The person closed a prompt: the command ends quietly. */
export class UserCancelled extends Error {
  override readonly name = 'UserCancelled';
  constructor() {
    super('cancelled');
  }
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new UserCancelled();
  return value;
}

/** The steps of a flow, numbered as they come: "Add Connection (2/4): where?". A step that turns out not to be asked is taken off the count. */
export class Steps {
  private done = 0;
  constructor(
    private readonly flow: string,
    private total: number,
  ) {}

  /** The next step's title. */
  next(what: string): string {
    this.done++;
    this.total = Math.max(this.total, this.done);
    return vscode.l10n.t('{0} ({1}/{2}): {3}', this.flow, this.done, this.total, what);
  }

  /** One step fewer than counted (a question that needs no asking). */
  skip(): void {
    this.total = Math.max(this.done, this.total - 1);
  }

  /** One step more than counted (a question only some answers lead to). */
  add(): void {
    this.total++;
  }
}

export async function pickPlatform(steps: Steps): Promise<PlatformId> {
  const items = PLATFORM_IDS.map((id) => ({
    label: PLATFORMS[id].label,
    description: vscode.l10n.t('{0} access', PLATFORMS[id].container),
    id,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: steps.next(vscode.l10n.t('platform')),
    placeHolder: vscode.l10n.t('Which platform?'),
    ignoreFocusOut: true,
  });
  return required(picked).id;
}

export async function askLabel(platform: PlatformId, taken: readonly string[], steps: Steps): Promise<string> {
  const base = PLATFORMS[platform].label;
  let value = base;
  for (let n = 2; taken.includes(value); n++) value = `${base} ${n}`;
  const label = await vscode.window.showInputBox({
    title: steps.next(vscode.l10n.t('name')),
    prompt: vscode.l10n.t('A name for this {0} {1}, shown in the tree.', base, PLATFORMS[platform].container),
    value,
    ignoreFocusOut: true,
    validateInput: (text) =>
      !text.trim()
        ? vscode.l10n.t('Enter a name.')
        : taken.includes(text.trim())
          ? vscode.l10n.t('"{0}" is already a connection name.', text.trim())
          : undefined,
  });
  return required(label).trim();
}

/** The key box; `problem` (a refused key, say) is said first, and the box stays open for another try. */
export async function askKey(platform: PlatformId, title: string, problem?: string): Promise<string> {
  const info = PLATFORMS[platform];
  const about = vscode.l10n.t(
    "{0} API key. It is stored in VS Code's secret storage only. Create one at {1}",
    info.label,
    info.keyHelpUrl,
  );
  const key = await vscode.window.showInputBox({
    title,
    prompt: problem ? `${problem} ${about}` : about,
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) =>
      !text.trim()
        ? vscode.l10n.t('Enter the API key.')
        : /\s/.test(text.trim())
          ? vscode.l10n.t('An API key has no spaces.')
          : undefined,
  });
  return required(key).trim();
}

export async function pickConnections(
  connections: readonly ConnectionInfo[],
  title: string,
  canPickMany: boolean,
): Promise<ConnectionInfo[]> {
  if (connections.length === 0)
    throw new Error(vscode.l10n.t('There is no connection yet. Run "Add Connection" first.'));
  const items = connections.map((c) => ({
    label: c.label,
    description: PLATFORMS[c.platform].label,
    detail: c.baseUrl,
    connection: c,
  }));
  if (canPickMany) {
    const picked = required(
      await vscode.window.showQuickPick(items, { title, canPickMany: true, ignoreFocusOut: true }),
    );
    if (picked.length === 0) throw new UserCancelled();
    return picked.map((p) => p.connection);
  }
  return [required(await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true })).connection];
}

/** A modal confirmation naming the target and what will be lost; resolves only on the confirm button. */
export async function confirm(message: string, detail: string, action: string): Promise<void> {
  const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  if (answer !== action) throw new UserCancelled();
}

/** A role, seat or level to choose. */
export interface Choice {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
}

/**
 * The one picker for a role, seat or level. The current one is marked and focused, so Enter keeps
 * it; with none (a new grant, members with different roles), the least powerful is focused, never
 * the most powerful: `choices` come highest first, so that is the last. Escape cancels.
 */
export function pickChoice<T extends Choice>(
  choices: readonly T[],
  options: { readonly title: string; readonly placeHolder?: string; readonly current?: Iterable<string> },
): Promise<T> {
  const current = new Set(options.current ?? []);
  const items = choices.map((choice) => ({
    label: choice.label,
    description: current.has(choice.id)
      ? [vscode.l10n.t('current'), choice.description].filter(Boolean).join(' · ')
      : choice.description,
    choice,
  }));
  if (items.length === 0)
    return Promise.reject(new Error(vscode.l10n.t('There is nothing to choose from for {0}.', options.title)));
  const quickPick = vscode.window.createQuickPick<(typeof items)[number]>();
  quickPick.title = options.title;
  quickPick.placeholder = options.placeHolder;
  quickPick.ignoreFocusOut = true;
  quickPick.items = items;
  const focused = current.size === 1 ? items.find((i) => current.has(i.choice.id)) : undefined;
  quickPick.activeItems = [focused ?? items[items.length - 1]];
  return new Promise<T>((resolve, reject) => {
    let chosen: T | undefined;
    quickPick.onDidAccept(() => {
      chosen = (quickPick.selectedItems[0] ?? quickPick.activeItems[0])?.choice;
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      if (chosen) resolve(chosen);
      else reject(new UserCancelled());
    });
    quickPick.show();
  });
}

/**
 * For what cannot be undone (ownership): the person types the target's email. Enter twice never
 * confirms; Escape cancels.
 */
export async function confirmByTyping(title: string, warning: string, expected: string): Promise<void> {
  // The box shows its validation text until the email matches: that text carries the consequence too.
  const ask = vscode.l10n.t('{0} This cannot be undone from here. Type {1} to confirm.', warning, expected);
  const typed = await vscode.window.showInputBox({
    title,
    prompt: ask,
    placeHolder: expected,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim().toLowerCase() === expected.toLowerCase() ? undefined : ask),
  });
  if (typed === undefined || typed.trim().toLowerCase() !== expected.toLowerCase()) throw new UserCancelled();
}

/**
 * The one resource picker: a type (unless given), then resources from its first page (type to
 * filter), one or many. The tree's Load more… reaches the rest; the palette walk does too.
 */
export async function pickResources(
  sharing: Sharing,
  title: string,
  options: { readonly typeId?: string; readonly many: boolean },
): Promise<Resource[]> {
  let typeId = options.typeId;
  if (!typeId) {
    const type = await vscode.window.showQuickPick(
      sharing.types.map((t) => ({ label: t.label, type: t })),
      { title, placeHolder: vscode.l10n.t('Which kind of resource?'), ignoreFocusOut: true },
    );
    if (!type) throw new UserCancelled();
    typeId = type.type.id;
  }
  const page = await sharing.list(typeId);
  const items = page.items.map((r) => ({ label: r.name, description: r.id, resource: r }));
  const placeHolder = page.next ? vscode.l10n.t('The first {0}; type to filter', page.items.length) : undefined;
  if (options.many) {
    const picked = await vscode.window.showQuickPick(items, {
      title,
      canPickMany: true,
      placeHolder,
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!picked?.length) throw new UserCancelled();
    return picked.map((p) => p.resource);
  }
  const pick = await vscode.window.showQuickPick(items, {
    title,
    placeHolder,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!pick) throw new UserCancelled();
  return [pick.resource];
}
