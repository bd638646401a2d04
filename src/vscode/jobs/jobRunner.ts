import * as path from 'node:path';
import * as vscode from 'vscode';
import { touchedResource, type ChangeItem, type ResourceRef } from '../../core/changes/change';
import { changeTask } from '../../core/changes/task';
import { describeChange, granteeLabel } from '../../core/changes/words';
import type { BulkTask, Outcome } from '../../core/jobs/bulkTask';
import { JobJournal, type JobHeader, type JobItem, type LoadedJob } from '../../core/jobs/journal';
import { doneInJournal, recordDone, type LedgerSpec } from '../../core/jobs/ledger';
import { runJournaled } from '../../core/jobs/runJournaled';
import type { Provider } from '../../core/provider';
import type { ConnectionInfo, ConnectionStore } from '../connectionStore';
import type { Log } from '../outputLog';
import type { Sessions } from '../sessions';
import { maxConcurrency } from '../settings';
import { withJobProgress } from './progress';
import type { RecordInfo, Reports } from './reports';

/** A job whose report is a record to keep (an offboarding): who it was about, from its outcomes. */
export type RecordOf = (outcomes: readonly Outcome<JobItem>[]) => RecordInfo;

/**
 * What started a job, which says how its items are named in the report: grants and removals of
 * access from the tree, an invitation list (sent many at once), a person's changes (offboarding, a
 * copy, follow-ups), or an access file's plan. Every kind runs the same changes through one task.
 */
export type JobKind = 'share' | 'unshare' | 'invite' | 'person' | 'access';

export interface JobSpec {
  readonly kind: JobKind;
  readonly items: readonly ChangeItem[];
}

/** What a job started with `counted`: what was not sent, the record it keeps, the ledger its done items go to. */
export interface Counted {
  readonly notSent?: string;
  readonly record?: RecordOf;
  /** Kept in the job's journal, so a resume after a reload adds to it too (core/jobs/ledger.ts). */
  readonly ledger?: LedgerSpec;
}

/** The ledger a journal's params name, when they name one as this version writes it, in `dir`. */
function ledgerOf(params: unknown, dir: string): LedgerSpec | undefined {
  const ledger = (params as { ledger?: Partial<LedgerSpec> } | null | undefined)?.ledger;
  return typeof ledger?.file === 'string' &&
    path.dirname(path.resolve(ledger.file)) === dir &&
    typeof ledger.entries === 'object' &&
    ledger.entries !== null
    ? { file: ledger.file, entries: ledger.entries }
    : undefined;
}

/** The connection id of a job whose items each name their own connection. */
export const ACROSS = '*';

/** The provider of a connection id, for a job's items. */
type ProviderFor = (connectionId: string) => Provider;

/** What a finished job changed, for what keeps a copy of access (the access index). */
export interface FinishedJob {
  readonly kind: JobKind;
  readonly connectionId: string;
  readonly items: readonly ChangeItem[];
}

/** The resources whose grants a finished job may have changed, per connection. */
export function touchedResources(job: FinishedJob): Map<string, ResourceRef[]> {
  const out = new Map<string, ResourceRef[]>();
  for (const { connectionId, change } of job.items) {
    const r = touchedResource(change);
    if (!r) continue;
    const list = out.get(connectionId) ?? [];
    if (!list.some((x) => x.type === r.type && x.id === r.id)) list.push(r);
    out.set(connectionId, list);
  }
  return out;
}

/** How each kind names an item in its report. */
function labeller(personLabel: (item: ChangeItem) => string): Readonly<Record<JobKind, (item: ChangeItem) => string>> {
  const onResource = ({ change: c }: ChangeItem) =>
    c.op === 'grant' || c.op === 'revoke'
      ? vscode.l10n.t('{0} on "{1}"', granteeLabel(c.principal), c.resource.name)
      : describeChange(c);
  return {
    share: onResource,
    unshare: onResource,
    invite: (i) => {
      const email = i.change.op === 'invite' ? i.change.email : describeChange(i.change);
      if (!i.line) return email;
      return i.unit === 'entry'
        ? vscode.l10n.t('{0} (entry {1})', email, i.line)
        : vscode.l10n.t('{0} (line {1})', email, i.line);
    },
    person: personLabel,
    access: (i) => describeChange(i.change),
  };
}

const isKind = (kind: string): kind is JobKind => ['share', 'unshare', 'invite', 'person', 'access'].includes(kind);

/**
 * Runs journaled bulk jobs: each is written to the extension's global storage as it goes, so a job
 * cut short by a reload or a crashed extension host can be resumed without sending anything twice.
 * A job has one runner at a time: resuming claims its journal exclusively (see JobJournal.claim).
 */
export class JobRunner {
  private readonly running = new Set<string>();
  /** Jobs whose resume prompt is open in this window: one prompt per job. */
  private readonly prompting = new Set<string>();
  private readonly finished = new vscode.EventEmitter<FinishedJob>();
  /** Fires after a job ends (finished or paused), with the items it ran. */
  readonly onDidFinish = this.finished.event;
  private readonly labels: Readonly<Record<JobKind, (item: ChangeItem) => string>>;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly store: ConnectionStore,
    private readonly sessions: Sessions,
    private readonly log: Log,
    private readonly reports: Reports,
    personLabel: (item: ChangeItem) => string = (i) => i.change.op,
  ) {
    this.labels = labeller(personLabel);
  }

  /** Says that access changed outside a job (a quick role change), as a finished job would. */
  changed(job: FinishedJob): void {
    this.finished.fire(job);
  }

  /** The one task, for a kind this version knows: an invitation list goes many at once. */
  private taskFor(kind: string): BulkTask<ChangeItem> {
    if (!isKind(kind)) throw new Error(vscode.l10n.t('This version cannot run a "{0}" job.', kind));
    return changeTask(this.providerFor, { batchInvites: kind === 'invite' });
  }

  /** A connection's provider by id; an item whose connection was removed fails with this. */
  private readonly providerFor: ProviderFor = (id) => {
    const connection = this.store.get(id);
    if (!connection) throw new Error(vscode.l10n.t('Its connection was removed.'));
    return this.sessions.provider(connection);
  };

  get dir(): string {
    return path.join(this.storage.fsPath, 'jobs');
  }

  /** Where a job's ledger may be (core/jobs/ledger.ts): a journal naming another place gets none. */
  get ledgerDir(): string {
    return path.join(this.storage.fsPath, 'ledgers');
  }

  /** `notSent`: what the command did not send after checking (an invitation list's members, duplicates, bad rows), in words. */
  /** `connection`: the job's connection, or ACROSS when each item names its own (a person job). */
  async run(
    connection: ConnectionInfo | typeof ACROSS,
    title: string,
    spec: JobSpec,
    counted: Counted = {},
  ): Promise<Outcome<JobItem>[]> {
    const connectionId = connection === ACROSS ? ACROSS : connection.id;
    const inner = this.taskFor(spec.kind);
    const label = this.labels[spec.kind];
    const items: JobItem[] = spec.items.map((payload) => ({ key: inner.key(payload), label: label(payload), payload }));
    const { journal, header } = JobJournal.create(this.dir, {
      kind: spec.kind,
      title,
      connectionId,
      params: counted.ledger ? { ledger: counted.ledger } : {},
      items,
    });
    this.log.info(`${title}: job ${header.id} started with ${items.length} item(s)`);
    return this.execute(journal, header, items, inner as BulkTask<unknown>, undefined, counted);
  }

  /** Every job not finished (running here or elsewhere, paused, or interrupted) whose journal names this ledger. */
  unfinishedWith(ledgerFile: string): JobHeader[] {
    const wanted = path.resolve(ledgerFile);
    return JobJournal.list(this.dir).jobs.flatMap((j) => {
      const ledger = ledgerOf(j.header.params, this.ledgerDir);
      return ledger && path.resolve(ledger.file) === wanted ? [j.header] : [];
    });
  }

  /** Jobs another window or an earlier extension host left unfinished, that nobody runs now. */
  interrupted(): LoadedJob[] {
    const { jobs, unreadable } = JobJournal.list(this.dir);
    for (const u of unreadable)
      this.log.warn(`an interrupted job's journal cannot be read (${u.reason}); it is left at ${u.file}`);
    return jobs.filter(
      (j) => !this.running.has(j.header.id) && !JobJournal.claimed(j.file) && !JobJournal.writerAlive(j),
    );
  }

  /** Offers to resume (or discard) each interrupted job, once per job while its prompt is open. */
  async offerResume(): Promise<void> {
    for (const job of this.interrupted()) {
      if (this.prompting.has(job.header.id)) continue;
      this.prompting.add(job.header.id);
      try {
        await this.offer(job);
      } finally {
        this.prompting.delete(job.header.id);
      }
    }
  }

  private async offer(job: LoadedJob): Promise<void> {
    const finished = [...job.prior.values()].filter((s) => s !== 'sending').length;
    const across = job.header.connectionId === ACROSS;
    const connection = across ? undefined : this.store.get(job.header.connectionId);
    const resume = vscode.l10n.t('Resume');
    const discard = vscode.l10n.t('Discard');
    const message = across
      ? vscode.l10n.t(
          '"{0}" was interrupted with {1} of {2} items finished. Resume it? Finished items are not sent again.',
          job.header.title,
          finished,
          job.header.items.length,
        )
      : connection
        ? vscode.l10n.t(
            '"{0}" on {1} was interrupted with {2} of {3} items finished. Resume it? Finished items are not sent again.',
            job.header.title,
            connection.label,
            finished,
            job.header.items.length,
          )
        : vscode.l10n.t('"{0}" was interrupted, and its connection is gone. Discard it?', job.header.title);
    const picked = await vscode.window.showWarningMessage(
      message,
      ...(connection || across ? [resume, discard] : [discard]),
    );
    if (picked === discard) {
      const claim = JobJournal.claim(job.file);
      if (claim.status === 'claimed') {
        // What it did is kept where its starter asked, as if it had ended (a review's close reads it).
        const ledger = ledgerOf(claim.job.header.params, this.ledgerDir);
        if (ledger) recordDone(ledger, doneInJournal(claim.job.header.items, claim.job.prior));
        claim.journal.delete();
        this.log.info(`${job.header.title}: interrupted job ${job.header.id} discarded`);
      } else this.explainUnclaimed(job.header, claim.status);
    } else if (picked === resume && (connection || across)) {
      await this.resume(job);
    }
  }

  /** Resumes a job if nobody else runs it and it has not finished; says so otherwise and sends nothing. */
  async resume(job: LoadedJob): Promise<Outcome<JobItem>[]> {
    const claim = JobJournal.claim(job.file);
    if (claim.status !== 'claimed') {
      this.explainUnclaimed(job.header, claim.status, claim.status === 'busy' ? claim.pid : undefined);
      return [];
    }
    const current = claim.job;
    let inner: BulkTask<unknown>;
    try {
      inner = this.taskFor(current.header.kind) as BulkTask<unknown>;
    } catch (err) {
      claim.journal.close();
      throw err;
    }
    this.log.info(
      `${current.header.title}: resuming job ${current.header.id} (${current.prior.size} item(s) with a journal entry)`,
    );
    return this.execute(claim.journal, current.header, current.header.items, inner, current.prior);
  }

  private explainUnclaimed(job: Pick<JobHeader, 'id' | 'title'>, status: 'busy' | 'gone', pid?: number): void {
    if (status === 'gone') {
      this.log.info(`${job.title}: job ${job.id} had already finished; nothing was sent`);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('"{0}" has already finished; nothing was sent again.', job.title),
      );
    } else {
      this.log.info(`${job.title}: job ${job.id} is being run by process ${pid ?? 'unknown'}; left alone`);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('"{0}" is already running in another window; nothing was sent from this one.', job.title),
      );
    }
  }

  private async execute(
    journal: JobJournal,
    header: JobHeader,
    items: readonly JobItem[],
    inner: BulkTask<unknown>,
    prior?: LoadedJob['prior'],
    counted: Counted = {},
  ): Promise<Outcome<JobItem>[]> {
    const { id, title } = header;
    this.running.add(id);
    try {
      const ledger = ledgerOf(header.params, this.ledgerDir);
      const { outcomes, paused } = await withJobProgress(title, (signal, onSettled) =>
        runJournaled(journal, items, inner, { maxConcurrency: maxConcurrency(), signal, onSettled, prior, ledger }),
      );
      this.finished.fire({
        kind: header.kind as JobKind,
        connectionId: header.connectionId,
        items: items.map((i) => i.payload as ChangeItem),
      });
      if (paused) {
        this.offerAfterPause(id, title, outcomes, paused);
        return outcomes;
      }
      this.reports.show(title, outcomes, (i) => i.label, {
        notSent: counted.notSent,
        record: counted.record?.(outcomes),
        connections: this.connectionLabels(header.connectionId, items),
      });
      return outcomes;
    } finally {
      this.running.delete(id);
    }
  }

  /** The job's connection, or each connection its items name (a person job), by label. */
  private connectionLabels(connectionId: string, items: readonly JobItem[]): string[] {
    const ids =
      connectionId === ACROSS ? [...new Set(items.map((i) => (i.payload as ChangeItem).connectionId))] : [connectionId];
    return ids.map((id) => this.store.get(id)?.label ?? id);
  }

  /** An outage paused the job: what is unsent stays in the journal, and Resume picks it up. */
  private offerAfterPause(id: string, title: string, outcomes: readonly Outcome<JobItem>[], reason: string): void {
    const left = outcomes.filter((o) => o.status === 'skipped' || o.status === 'unknown').length;
    this.log.warn(`${title}: job ${id} paused with ${left} item(s) left (${reason})`);
    const resume = vscode.l10n.t('Resume');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          '"{0}" is paused: {1}. {2} of {3} items are not finished; nothing more is sent until you resume.',
          title,
          reason,
          left,
          outcomes.length,
        ),
        resume,
      )
      .then(async (picked) => {
        if (picked !== resume) return;
        // The claim in resume() tells a job another window took over from one that finished.
        const job = JobJournal.list(this.dir).jobs.find((j) => j.header.id === id);
        if (job && (job.header.connectionId === ACROSS || this.store.get(job.header.connectionId)))
          await this.resume(job);
        else this.explainUnclaimed({ id, title }, 'gone');
      });
  }
}
