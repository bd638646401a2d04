/**
 * The access file in the editor: it is checked when opened, on every edit (against the live state
 * read last, so an edit costs no request), on save, after Refresh and at start. Problems, drift and
 * expiry become diagnostics at their lines; the status bar counts them across open files.
 * This module and what it imports (the YAML library, the schema) load only when a file or a
 * command needs them.
 */
import * as vscode from 'vscode';
import { parseAccessFile, type ConnectionSpec, type Fix, type ParsedFile, type Problem } from '../../core/access/parse';
import { covers, readLive, type LiveState } from '../../core/access/live';
import { matchConnection, planFile, todayUtc, type FilePlan, type Target } from '../../core/access/plan';
import { ACCESS_FILE_FACTS } from '../../providers';
import { askBeforeReads, maxConcurrency } from '../settings';
import { candidateOf, readsOf, workspaceTrust, type AccessDeps } from './accessFile';
import { InvitedStore } from '../../core/access/invited';
import { invitedFor, type Recorded } from '../../core/access/repoRecord';
import { RepoState, RepoStateError, type RepoConnection } from '../../core/access/repoState';
import type { FromAccessFiles } from '../findings/read';
import { FileRosters, forFindings } from './rosters';

interface FileState {
  parsed: ParsedFile;
  plan?: FilePlan;
  /** Live state per connection id, as last read. */
  live: Map<string, LiveState>;
  /** The fixes of this file's diagnostics, by line, column and message. */
  fixes: Map<string, Fix>;
  /** What the last Plan showed, to say when Apply finds that live changed since. */
  shown?: readonly string[];
  timer?: ReturnType<typeof setTimeout>;
  /** Bumped by each check: a slower earlier one does not overwrite a later one. */
  generation: number;
  /** The state file beside the file (invitations sent from the repository), as a fresh check read it. */
  repo?: RepoState;
  /** Each planned connection as the file names it, by connection id: what Apply records under. */
  named: Map<string, RepoConnection>;
}

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const fixKey = (range: vscode.Range, message: string) =>
  `${range.start.line}:${range.start.character}|${message}`;

/** What the file can name a stored connection by: its name, and its organization's id and name. */
export class AccessFiles implements vscode.Disposable {
  readonly facts = ACCESS_FILE_FACTS;
  readonly invited: InvitedStore;
  readonly rosters = new FileRosters();
  private readonly states = new Map<string, FileState>();
  /** Files whose large read of live the user allowed, or put off, in this window (by URI). */
  private readonly allowed = new Set<string>();
  private readonly putOff = new Set<string>();

  constructor(
    readonly deps: AccessDeps,
    private readonly diagnostics: vscode.DiagnosticCollection,
    private readonly status: vscode.StatusBarItem,
  ) {
    this.invited = new InvitedStore(deps.context.globalStorageUri.fsPath);
  }

  dispose(): void {
    for (const s of this.states.values()) clearTimeout(s.timer);
  }

  state(uri: vscode.Uri): FileState | undefined {
    return this.states.get(uri.toString());
  }

  parse(doc: vscode.TextDocument): ParsedFile {
    return parseAccessFile(doc.getText(), this.facts);
  }

  /**
   * The stored connection a file entry names, with its provider and the invitations this machine and
   * the repository's state file remember (keyed, as the command line does, by the entry's platform
   * and name). `named` collects each entry's connection as the file names it.
   */
  private resolver(repo: RepoState | undefined, named: Map<string, RepoConnection>) {
    return (spec: ConnectionSpec): Target | { problem: string } => {
      const connections = this.deps.store.list();
      const found = matchConnection(spec, connections.map(candidateOf));
      if ('problem' in found) return found;
      const connection = connections.find((c) => c.id === found.id);
      if (!connection) return { problem: 'The connection was removed.' };
      const ref = { platform: spec.facts.platform, name: spec.name };
      named.set(connection.id, ref);
      return {
        connectionId: connection.id,
        provider: this.deps.sessions.provider(connection),
        invited: repo ? invitedFor(this.invited, repo, connection.id, ref) : this.invited.get(connection.id),
      };
    };
  }

  /**
   * The state file beside a file on disk, read by a fresh check and reused by edits (no read per
   * keystroke). One that cannot be used is an error at the top of the file: planning without it
   * could invite again people the repository's Apply already invited.
   */
  private async repoState(
    doc: vscode.TextDocument,
    state: FileState,
    fresh: boolean,
  ): Promise<RepoState | Problem | undefined> {
    if (doc.uri.scheme !== 'file') return undefined;
    if (state.repo && !fresh) return state.repo;
    try {
      state.repo = await RepoState.load(doc.uri.fsPath);
      return state.repo;
    } catch (err) {
      if (!(err instanceof RepoStateError)) throw err;
      state.repo = undefined;
      return { at: [0, 0], severity: 'error', code: 'state-file', message: err.message };
    }
  }

  /** What an Apply of the file records its invitations under (repoRecord.ts), as its last plan named them. */
  recorded(uri: vscode.Uri): Recorded | undefined {
    const state = this.states.get(uri.toString());
    if (uri.scheme !== 'file' || !state?.plan) return undefined;
    return { file: uri.fsPath, refs: Object.fromEntries(state.named), live: state.plan.live };
  }

  /** Plans the file. `fresh` reads live again; otherwise what was read last is reused where it covers the file. */
  /** `current` is false when a later check of the same file started meanwhile (its answer wins). */
  async plan(
    doc: vscode.TextDocument,
    fresh: boolean,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
    readsLive = true,
  ): Promise<{ parsed: ParsedFile; plan?: FilePlan; findings?: readonly Problem[]; current: boolean }> {
    const key = doc.uri.toString();
    const state: FileState = this.states.get(key) ?? {
      parsed: this.parse(doc),
      live: new Map(),
      fixes: new Map(),
      generation: 0,
      named: new Map(),
    };
    this.states.set(key, state);
    const generation = ++state.generation;
    if (fresh) this.invited.reload();
    // An edit check starts from the last parse: only the edited entry is parsed again.
    const parsed = fresh ? this.parse(doc) : parseAccessFile(doc.getText(), this.facts, state.parsed);
    // The newest parse is what the next edit starts from, even while this plan waits for live.
    state.parsed = parsed;
    const errors = parsed.problems.some((p) => p.severity === 'error');
    if (!readsLive || (errors && !parsed.partial?.length)) {
      state.plan = undefined;
      return { parsed, current: true };
    }
    const repo = await this.repoState(doc, state, fresh);
    if (repo && !(repo instanceof RepoState)) {
      if (generation === state.generation) state.plan = undefined;
      return { parsed, findings: [repo], current: generation === state.generation };
    }
    const concurrency = maxConcurrency();
    // A file with errors: its other entries are still compared with live, for their diagnostics only.
    const planned = errors ? { ...parsed, connections: parsed.partial ?? [], problems: [] } : parsed;
    const named = new Map<string, RepoConnection>();
    const plan = await planFile(planned, this.resolver(repo, named), {
      today: todayUtc(),
      concurrency,
      signal,
      read: async (spec, target) => {
        const cached = state.live.get(target.connectionId);
        if (!fresh && cached && covers(cached, spec)) return cached;
        const live = await readLive(target.provider, spec, { concurrency, signal, onProgress });
        state.live.set(target.connectionId, live);
        return live;
      },
    });
    const current = generation === state.generation;
    if (errors) {
      if (current) state.plan = undefined;
      return { parsed, findings: plan.findings, current };
    }
    if (current) {
      state.plan = plan;
      state.named = named;
      // Who has joined changes only with a fresh read of live.
      if (fresh)
        this.invited.prune(
          (id) => !!this.deps.store.get(id),
          (id) => {
            const live = state.live.get(id);
            return live && new Set(live.members.map((m) => m.email.toLowerCase()));
          },
        );
    }
    return { parsed, plan, current };
  }

  /** Checks still running (each reads live with the keys): see idle(). */
  private readonly running = new Set<Promise<void>>();

  /** Resolves once no check is running, including those started meanwhile. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Checks an open file and shows what it finds. `fresh`: read live again (open, save, Refresh, start). */
  check(doc: vscode.TextDocument, fresh: boolean): Promise<void> {
    const run = this.checkNow(doc, fresh).finally(() => this.running.delete(run));
    this.running.add(run);
    return run;
  }

  private async checkNow(doc: vscode.TextDocument, fresh: boolean): Promise<void> {
    try {
      const held = await this.heldBack(doc, fresh);
      const { parsed, plan, findings, current } = await this.plan(doc, fresh, undefined, undefined, !held);
      const roster = await this.rosters.check(doc.uri, parsed, fresh);
      // An older check that ends late would show spans of a text that is gone (a later check parsed again).
      if (current && this.state(doc.uri)?.parsed === parsed)
        this.show(doc, [...parsed.problems, ...(plan?.findings ?? findings ?? []), ...roster, ...(held ? [held] : [])]);
    } catch (err) {
      this.deps.log.warn(`access file: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Why a check may not read live, said at the top of the file: the folder is not trusted (a file
   * someone else wrote would spend the user's keys), or the file needs more reads than
   * `accessFile.askBeforeReads` and the user put it off. Asked once per file in a window.
   */
  private async heldBack(doc: vscode.TextDocument, fresh: boolean): Promise<Problem | undefined> {
    const at: Problem['at'] = [0, 0];
    if (!workspaceTrust.isTrusted()) {
      return {
        at,
        severity: 'info',
        code: 'restricted',
        message: vscode.l10n.t(
          'Restricted Mode: this file is checked for syntax only. Trust the folder to compare it with live access (nothing is read with your keys until then).',
        ),
      };
    }
    const key = doc.uri.toString();
    const reads = readsOf(this.state(doc.uri)?.parsed ?? this.parse(doc));
    if (reads <= askBeforeReads() || this.allowed.has(key)) return undefined;
    const later: Problem = {
      at,
      severity: 'info',
      code: 'held',
      message: vscode.l10n.t(
        'Not compared with live: that takes about {0} requests with your keys. Run "Plan Access File" to read it.',
        reads,
      ),
    };
    // An edit does not ask again; opening, saving and Refresh do, until the user answers.
    if (!fresh || this.putOff.has(key)) return later;
    const read = vscode.l10n.t('Read Live');
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Comparing {0} with live access takes about {1} requests with your keys. Read now?',
        vscode.workspace.asRelativePath(doc.uri),
        reads,
      ),
      read,
      vscode.l10n.t('Not Now'),
    );
    if (picked === read) {
      this.allowed.add(key);
      return undefined;
    }
    this.putOff.add(key);
    return later;
  }

  /** The user asked for this file's live access (Plan, Apply, Refresh): a large read is no longer held back. */
  allow(uri: vscode.Uri): void {
    this.allowed.add(uri.toString());
    this.putOff.delete(uri.toString());
  }

  /** After an edit: check again once typing pauses, against the live state already read. */
  edited(doc: vscode.TextDocument): void {
    const state = this.states.get(doc.uri.toString());
    if (!state) return void this.check(doc, false);
    clearTimeout(state.timer);
    state.timer = setTimeout(() => void this.check(doc, false), 150);
  }

  forget(doc: vscode.TextDocument): void {
    const state = this.states.get(doc.uri.toString());
    if (state) clearTimeout(state.timer);
    this.states.delete(doc.uri.toString());
    this.rosters.forget(doc.uri);
    this.diagnostics.delete(doc.uri);
    this.updateStatus();
  }

  /** Every access file open in an editor tab, read again (Refresh, a changed connection, a finished job). */
  recheckAll(): void {
    const open = new Set(
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .flatMap((t) =>
          t.input instanceof vscode.TabInputText
            ? [t.input.uri.toString()]
            : t.input instanceof vscode.TabInputTextDiff
              ? [t.input.modified.toString()]
              : [],
        ),
    );
    for (const doc of vscode.workspace.textDocuments) {
      const key = doc.uri.toString();
      if (!this.states.has(key)) continue;
      if (open.has(key)) void this.check(doc, true);
      else this.forget(doc);
    }
  }

  show(doc: vscode.TextDocument, problems: readonly Problem[]): void {
    const state = this.states.get(doc.uri.toString());
    const fixes = new Map<string, Fix>();
    const list = problems.map((p) => {
      const range = new vscode.Range(doc.positionAt(p.at[0]), doc.positionAt(p.at[1]));
      const d = new vscode.Diagnostic(range, p.message, SEVERITY[p.severity]);
      d.source = 'Workspace Access';
      d.code = p.code;
      if (p.fix) fixes.set(fixKey(range, p.message), p.fix);
      return d;
    });
    if (state) state.fixes = fixes;
    this.diagnostics.set(doc.uri, list);
    this.updateStatus();
  }

  updateStatus(): void {
    let drift = 0;
    let expired = 0;
    let errors = 0;
    for (const [uri] of this.states) {
      for (const d of this.diagnostics.get(vscode.Uri.parse(uri)) ?? []) {
        if (d.code === 'drift') drift++;
        else if (d.code === 'expired') expired++;
        else if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
      }
    }
    if (this.states.size === 0) {
      this.status.hide();
      return;
    }
    const parts = [
      errors ? (errors === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', errors)) : undefined,
      drift ? (drift === 1 ? vscode.l10n.t('1 drift') : vscode.l10n.t('{0} drifts', drift)) : undefined,
      expired ? vscode.l10n.t('{0} expired', expired) : undefined,
    ].filter(Boolean);
    this.status.text = `$(shield) ${vscode.l10n.t('Access: {0}', parts.length ? parts.join(', ') : vscode.l10n.t('in sync'))}`;
    this.status.tooltip = vscode.l10n.t(
      'Where live access differs from the access file. Click to open the Problems view.',
    );
    this.status.command = 'workbench.actions.view.problems';
    if (!workspaceTrust.isTrusted()) {
      this.status.text = `$(shield) ${vscode.l10n.t('Access: Restricted Mode')}`;
      this.status.tooltip = vscode.l10n.t('Access files are checked for syntax only until you trust this folder.');
      this.status.command = 'workbench.trust.manage';
    }
    this.status.show();
  }

  fixAt(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Fix | undefined {
    return this.states.get(uri.toString())?.fixes.get(fixKey(diagnostic.range, diagnostic.message));
  }

  /** The open files' roster and end dates, for the Needs Attention view. */
  forFindings(): FromAccessFiles {
    const files = [...this.states].map(([k, s]) => ({ uri: vscode.Uri.parse(k), parsed: s.parsed, plan: s.plan }));
    return forFindings(this.rosters, files);
  }

  /** Remembers what a Plan showed, for Apply to compare with. */
  shown(uri: vscode.Uri, keys: readonly string[]): void {
    const state = this.states.get(uri.toString());
    if (state) state.shown = keys;
  }
}
