import * as vscode from 'vscode';

export const READ_ONLY_SCHEME = 'workspace-access-preview';

/**
 * Read-only documents (invitation previews, job reports): text the extension wrote for a person to
 * read. Closing one never asks to save it; a report keeps "Save as CSV" for a file.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private n = 0;

  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** A document at a stable name whose text is replaced on each call (the live side of a plan's diff). */
  put(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${name}` });
    this.texts.set(uri.path, text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  async show(name: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${++this.n}/${name}` });
    this.texts.set(uri.path, text);
    return vscode.window.showTextDocument(uri, { preview: true, preserveFocus: false });
  }
}
