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
  picks: vscode.QuickPickOptions[];
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
export function answer(opts: { picks?: ((items: readonly vscode.QuickPickItem[]) => unknown)[]; inputs?: (string | undefined)[]; confirm?: string | undefined }): Prompts {
  const seen: Prompts = { inputs: [], picks: [], errors: [], infos: [], warnings: [] };
  const picks = [...(opts.picks ?? [])];
  const inputs = [...(opts.inputs ?? [])];
  stub('showQuickPick', (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
    seen.picks.push(options ?? {});
    const next = picks.shift();
    if (!next) throw new Error(`unexpected quick pick: ${options?.title ?? ''}`);
    return next(await items);
  }) as unknown as Win['showQuickPick']);
  stub('showInputBox', (async (options?: vscode.InputBoxOptions) => {
    seen.inputs.push(options ?? {});
    if (inputs.length === 0) throw new Error(`unexpected input box: ${options?.title ?? ''}`);
    const value = inputs.shift();
    if (value !== undefined && options?.validateInput) {
      const problem = await options.validateInput(value);
      if (problem) throw new Error(`input "${value}" would be refused: ${typeof problem === 'string' ? problem : problem.message}`);
    }
    return value;
  }));
  stub('showErrorMessage', ((message: string) => {
    seen.errors.push(message);
    return Promise.resolve(undefined);
  }));
  stub('showInformationMessage', ((message: string) => {
    seen.infos.push(message);
    return Promise.resolve(undefined);
  }));
  stub('showWarningMessage', ((message: string, options?: vscode.MessageOptions) => {
    seen.warnings.push({ message, detail: options?.detail });
    return Promise.resolve(opts.confirm);
  }));
  return seen;
}
