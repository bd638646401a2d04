import * as path from 'node:path';
import * as vscode from 'vscode';
import { runJob, type BulkTask, type Outcome } from '../core/bulk';
import { inviteTask, shareTask, unshareTask, type AccessItem, type InviteItem, type InviteParams, type ShareParams } from '../core/jobs';
import { JobJournal, discardJournal, type JobItem, type LoadedJob } from '../core/journal';
import { principalLabel } from '../core/model';
import type { Provider } from '../core/provider';
import type { ConnectionInfo, ConnectionStore } from './connections';
import type { Log } from './log';
import { withJobProgress } from './progress';
import type { Reports } from './report';
import type { Sessions } from './sessions';
import { maxConcurrency } from './settings';

/** The job kinds a journal can name, and what their items and params are. */
export type JobSpec =
  | { readonly kind: 'share'; readonly params: ShareParams; readonly items: readonly AccessItem[] }
  | { readonly kind: 'unshare'; readonly params: Record<string, never>; readonly items: readonly AccessItem[] }
  | { readonly kind: 'invite'; readonly params: InviteParams; readonly items: readonly InviteItem[] };

function taskFor(kind: string, provider: Provider, params: unknown): BulkTask<unknown> {
  switch (kind) {
    case 'share':
      return shareTask(provider, params as ShareParams) as BulkTask<unknown>;
    case 'unshare':
      return unshareTask(provider) as BulkTask<unknown>;
    case 'invite':
      return inviteTask(provider, params as InviteParams) as BulkTask<unknown>;
    default:
      throw new Error(vscode.l10n.t('This version cannot run a "{0}" job.', kind));
  }
}

function labelOf(kind: string, payload: unknown): string {
  if (kind === 'invite') {
    const i = payload as InviteItem;
    return i.line ? vscode.l10n.t('{0} (line {1})', i.email, i.line) : i.email;
  }
  const a = payload as AccessItem;
  return vscode.l10n.t('{0} on "{1}"', principalLabel(a.principal), a.resource.name);
}

/** The task over journal items: keys are fixed when the job starts, payloads go to the kind's task. */
function overItems(inner: BulkTask<unknown>): BulkTask<JobItem> {
  return {
    key: (i) => i.key,
    run: (i, signal) => inner.run(i.payload, signal),
    verify: inner.verify && ((i, signal) => inner.verify!(i.payload, signal)),
    idempotent: inner.idempotent,
    batch: inner.batch && {
      size: inner.batch.size,
      group: inner.batch.group && ((i) => inner.batch!.group!(i.payload)),
      run: (items, signal) => inner.batch!.run(items.map((i) => i.payload), signal),
    },
  };
}

/**
 * Runs journaled bulk jobs: each is written to the extension's global storage as it goes, so a job
 * cut short by a reload or a crashed extension host can be resumed without sending anything twice.
 */
export class JobRunner {
  private readonly running = new Set<string>();

  constructor(
    private readonly storage: vscode.Uri,
    private readonly store: ConnectionStore,
    private readonly sessions: Sessions,
    private readonly log: Log,
    private readonly reports: Reports,
  ) {}

  get dir(): string {
    return path.join(this.storage.fsPath, 'jobs');
  }

  async run(connection: ConnectionInfo, title: string, spec: JobSpec): Promise<Outcome<JobItem>[]> {
    const inner = taskFor(spec.kind, this.sessions.provider(connection), spec.params);
    const items: JobItem[] = (spec.items as readonly unknown[]).map((payload) => ({ key: inner.key(payload), label: labelOf(spec.kind, payload), payload }));
    const { journal, header } = JobJournal.create(this.dir, { kind: spec.kind, title, connectionId: connection.id, params: spec.params, items });
    this.log.info(`${title}: job ${header.id} started with ${items.length} item(s)`);
    return this.execute(journal, header.id, title, items, inner);
  }

  /** Jobs another window or an earlier extension host left unfinished. */
  interrupted(): LoadedJob[] {
    const { jobs, unreadable } = JobJournal.list(this.dir);
    for (const u of unreadable) this.log.warn(`an interrupted job's journal cannot be read (${u.reason}); it is left at ${u.file}`);
    return jobs.filter((j) => !this.running.has(j.header.id) && !JobJournal.writerAlive(j));
  }

  /** Offers to resume (or discard) each interrupted job. */
  async offerResume(): Promise<void> {
    for (const job of this.interrupted()) {
      const finished = [...job.prior.values()].filter((s) => s !== 'sending').length;
      const connection = this.store.get(job.header.connectionId);
      const resume = vscode.l10n.t('Resume');
      const discard = vscode.l10n.t('Discard');
      const message = connection
        ? vscode.l10n.t('"{0}" on {1} was interrupted with {2} of {3} items finished. Resume it? Finished items are not sent again.', job.header.title, connection.label, finished, job.header.items.length)
        : vscode.l10n.t('"{0}" was interrupted, and its connection is gone. Discard it?', job.header.title);
      const picked = await vscode.window.showWarningMessage(message, ...(connection ? [resume, discard] : [discard]));
      if (picked === discard) {
        discardJournal(job.file);
        this.log.info(`${job.header.title}: interrupted job ${job.header.id} discarded`);
      } else if (picked === resume && connection) {
        await this.resume(job, connection);
      }
    }
  }

  async resume(job: LoadedJob, connection: ConnectionInfo): Promise<Outcome<JobItem>[]> {
    const inner = taskFor(job.header.kind, this.sessions.provider(connection), job.header.params);
    const journal = JobJournal.reopen(job);
    this.log.info(`${job.header.title}: resuming job ${job.header.id} (${job.prior.size} item(s) with a journal entry)`);
    return this.execute(journal, job.header.id, job.header.title, job.header.items, inner, job.prior);
  }

  private async execute(journal: JobJournal, id: string, title: string, items: readonly JobItem[], inner: BulkTask<unknown>, prior?: LoadedJob['prior']): Promise<Outcome<JobItem>[]> {
    this.running.add(id);
    try {
      const { outcomes } = await withJobProgress(title, (signal, onSettled) => runJob(items, overItems(inner), { maxConcurrency: maxConcurrency(), signal, onSettled, journal, prior }));
      journal.delete();
      this.reports.show(title, outcomes, (i) => i.label);
      return outcomes;
    } catch (err) {
      // Not an item's failure (those are outcomes) but the engine's: keep the journal for a resume.
      journal.close();
      throw err;
    } finally {
      this.running.delete(id);
    }
  }
}
