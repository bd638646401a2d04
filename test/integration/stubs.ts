import * as vscode from 'vscode';

type Win = typeof vscode.window;
const restores: (() => void)[] = [];

/** Replaces one vscode.window function for the current test; `restoreAll` puts them back. */
export function stub<K extends keyof Win>(name: K, impl: Win[K]): void {
  const win = vscode.window as unknown as Record<string, unknown>;
  const original = win[name];
  win[name] = impl as unknown;
  restores.push(() => (win[name] = original));
}

export function restoreAll(): void {
  while (restores.length) restores.pop()!();
}

export interface Prompts {
  /** Every input box's options, in order. */
  inputs: vscode.InputBoxOptions[];
  /** Every quick pick's options, in order; `active` is what a createQuickPick picker focused when shown. */
  picks: (vscode.QuickPickOptions & { active?: string[]; items?: readonly vscode.QuickPickItem[] })[];
  errors: string[];
  infos: string[];
  warnings: { message: string; detail?: string }[];
}

/** Answers a single-select quick pick with the item of this label (failing the test when it is not offered). */
export function pickOne(label: string): (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem {
  return (items) => {
    const found = items.find((i) => i.label === label);
    if (!found) throw new Error(`quick pick item "${label}" is not among: ${items.map((i) => i.label).join(', ')}`);
    return found;
  };
}

/** Answers a multi-select quick pick: always a list, even of one (a single item would read as Escape). */
export function pickMany(...labels: string[]): (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem[] {
  return (items) => labels.map((l) => pickOne(l)(items));
}

/**
 * Answers the extension's prompts in order. A quick pick answer is a function choosing among the
 * items; an input answer is a string (undefined: the person pressed Escape).
 */
export function answer(opts: {
  picks?: ((items: readonly vscode.QuickPickItem[]) => unknown)[];
  inputs?: (string | undefined)[];
  confirm?: string | undefined;
}): Prompts {
  const seen: Prompts = { inputs: [], picks: [], errors: [], infos: [], warnings: [] };
  const picks = [...(opts.picks ?? [])];
  const inputs = [...(opts.inputs ?? [])];
  stub('showQuickPick', (async (
    items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>,
    options?: vscode.QuickPickOptions,
  ) => {
    const offered = await items;
    seen.picks.push({ ...(options ?? {}), items: offered });
    const next = picks.shift();
    if (!next) throw new Error(`unexpected quick pick: ${options?.title ?? ''}`);
    return next(offered);
  }) as unknown as Win['showQuickPick']);
  stub('createQuickPick', (() => fakeQuickPick(seen, picks)) as Win['createQuickPick']);
  stub('showInputBox', async (options?: vscode.InputBoxOptions) => {
    seen.inputs.push(options ?? {});
    if (inputs.length === 0) throw new Error(`unexpected input box: ${options?.title ?? ''}`);
    const value = inputs.shift();
    if (value !== undefined && options?.validateInput) {
      const problem = await options.validateInput(value);
      if (problem)
        throw new Error(
          `input "${value}" would be refused: ${typeof problem === 'string' ? problem : problem.message}`,
        );
    }
    return value;
  });
  stub('showErrorMessage', (message: string) => {
    seen.errors.push(message);
    return Promise.resolve(undefined);
  });
  stub('showInformationMessage', (message: string) => {
    seen.infos.push(message);
    return Promise.resolve(undefined);
  });
  stub('showWarningMessage', (message: string, options?: vscode.MessageOptions) => {
    seen.warnings.push({ message, detail: options?.detail });
    return Promise.resolve(opts.confirm);
  });
  return seen;
}

/** A quick pick answer that presses the picker's Back button (the arrow in its title bar). */
export const BACK = Symbol('back');
export const pickBack = () => BACK;

/**
 * A QuickPick (createQuickPick) answered like showQuickPick: when shown, the next pick answer
 * chooses among its items, and the picker accepts it (or hides, for undefined: Escape). What it
 * focused is recorded, so tests can check that the current role, not the most powerful, is focused.
 */
function fakeQuickPick(
  seen: Prompts,
  picks: ((items: readonly vscode.QuickPickItem[]) => unknown)[],
): vscode.QuickPick<vscode.QuickPickItem> {
  const accepted = new vscode.EventEmitter<void>();
  const hidden = new vscode.EventEmitter<void>();
  const button = new vscode.EventEmitter<vscode.QuickInputButton>();
  const none = new vscode.EventEmitter<never>().event;
  let shown = false;
  let busy = false;
  /** The next answer, given when the picker is shown and not busy (a picker that loads is answered once its rows are in). */
  const answerNext = () => {
    seen.picks.push({
      title: qp.title,
      placeHolder: qp.placeholder,
      active: qp.activeItems.map((i) => i.label),
      items: qp.items,
    });
    const next = picks.shift();
    if (!next) throw new Error(`unexpected quick pick: ${qp.title ?? ''}`);
    const chosen = next(qp.items) as vscode.QuickPickItem | vscode.QuickPickItem[] | typeof BACK | undefined;
    if (chosen === undefined) {
      shown = false;
      return hidden.fire();
    }
    if (chosen === BACK) {
      if (!qp.buttons.includes(vscode.QuickInputButtons.Back))
        throw new Error(`quick pick "${qp.title ?? ''}" has no Back button`);
      return button.fire(vscode.QuickInputButtons.Back);
    }
    if (Array.isArray(chosen) && !qp.canSelectMany)
      throw new Error(`quick pick "${qp.title ?? ''}" takes one item, not ${chosen.length}`);
    qp.selectedItems = Array.isArray(chosen) ? chosen : [chosen];
    accepted.fire();
  };
  const qp = {
    items: [] as readonly vscode.QuickPickItem[],
    activeItems: [] as readonly vscode.QuickPickItem[],
    selectedItems: [] as readonly vscode.QuickPickItem[],
    title: undefined as string | undefined,
    placeholder: undefined as string | undefined,
    ignoreFocusOut: false,
    canSelectMany: false,
    matchOnDescription: false,
    value: '',
    get busy() {
      return busy;
    },
    set busy(value: boolean) {
      const settled = busy && !value;
      busy = value;
      if (settled && shown) answerNext();
    },
    onDidAccept: accepted.event,
    onDidHide: hidden.event,
    onDidChangeValue: none,
    onDidChangeActive: none,
    onDidChangeSelection: none,
    buttons: [] as readonly vscode.QuickInputButton[],
    onDidTriggerButton: button.event,
    onDidTriggerItemButton: none,
    show() {
      if (shown) return;
      shown = true;
      if (!busy) answerNext();
    },
    hide: () => {
      shown = false;
      hidden.fire();
    },
    dispose: () => undefined,
  };
  return qp as unknown as vscode.QuickPick<vscode.QuickPickItem>;
}
