/**
 * The review's CodeLens provider as the main bundle registers it: the features load on first use,
 * and their "lenses changed" (a large review's lenses follow what is on screen) reaches VS Code
 * through an event that exists before they do. Imports nothing of the features but their type.
 */
import * as vscode from 'vscode';
import type { ReviewFeatures } from './features';

export function lazyLenses(load: () => Promise<ReviewFeatures>): vscode.CodeLensProvider & vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let hooked: vscode.Disposable | undefined;
  const features = async () => {
    const f = await load();
    hooked ??= f.documents.onDidChangeCodeLenses(() => changed.fire());
    return f;
  };
  return {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses: async (doc) => (await features()).codeLenses(doc),
    resolveCodeLens: async (lens) => (await features()).documents.resolveCodeLens(lens),
    dispose: () => {
      hooked?.dispose();
      changed.dispose();
    },
  };
}
