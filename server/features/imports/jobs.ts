/**
 * Imports run by the app itself: files uploaded by an admin (the editor's tools menu) or
 * handed over by `npm run import` while the app owns the embedded folder. Same importer
 * (`importFile`: one transaction, dry-run report, rejections with reasons), one import at
 * a time, a backup of the embedded folder before each one that writes, progress readable
 * while it runs, and the "data changed" signal when it wrote something.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../../db/adapter';
import { backupDatabase, type BackupResult, type BackupSettings, type Dumpable } from '../../db/backup';
import { dataChanged, onDataChanged } from '../../db/dataChanged';
import { invalidateCoverageCache } from '../coverage/cache';
import { invalidateRoutingGraph } from '../routes';
import { coverageSourceFor } from '../indicators/coverageSource';
import { snapshotIndicators } from '../indicators/service';
import { importFile } from './index';
import type { ImportOptions, ImportSummary } from './types';

// The in-process caches of derived data follow the one "data changed" signal.
onDataChanged((db) => {
  invalidateCoverageCache(db);
  invalidateRoutingGraph(db as Db);
});

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export type JobOptions = Omit<ImportOptions, 'onProgress'> & { snapshot?: boolean };

export interface ImportJob {
  id: string;
  status: JobStatus;
  fileName: string;
  bytes: number;
  options: JobOptions;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Who asked: an admin's user name, or `cli` (the import command's hand-off). */
  by: string;
  progress: { phase: string; done: number; total: number } | null;
  /** The importer's summary (rejections capped at 200). */
  summary: ImportSummary | null;
  message: string | null;
  backup: { file: string; bytes: number; ms: number } | null;
  /** The indicator snapshot after an import that changed data: `computing`, `saved …`, `failed: …`. */
  snapshot: string | null;
  /** A dry run whose file is kept for {@link ImportJobs.confirm}, until this time. */
  confirmableUntil: string | null;
}

/** How long the file of a dry run stays available for confirmation. */
export const CONFIRM_WINDOW_MS = 30 * 60_000;
const MAX_JOBS_KEPT = 50;

interface Internal {
  job: ImportJob;
  dir: string;
  file: string;
}

export class ImportJobs {
  private readonly jobs = new Map<string, Internal>();
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private current: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly opts: { backup?: BackupSettings; log?: Logger } = {},
  ) {}

  /** A fresh temp folder to upload a file into; the job owns it afterwards. */
  static uploadDir(): string {
    return mkdtempSync(path.join(os.tmpdir(), 'atlas-import-'));
  }

  get(id: string): ImportJob | null {
    return this.jobs.get(id)?.job ?? null;
  }

  list(): ImportJob[] {
    return [...this.jobs.values()].map((j) => j.job).reverse();
  }

  /** Queues the import of `file` (inside a folder from {@link uploadDir}, removed when done). */
  submit(file: string, fileName: string, bytes: number, options: JobOptions, by: string): ImportJob {
    if (this.closed) throw new Error('the app is shutting down');
    const job: ImportJob = {
      id: randomUUID(),
      status: 'queued',
      fileName,
      bytes,
      options,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      by,
      progress: null,
      summary: null,
      message: null,
      backup: null,
      snapshot: null,
      confirmableUntil: null,
    };
    const it: Internal = { job, dir: path.dirname(file), file };
    this.jobs.set(job.id, it);
    this.prune();
    this.chain = this.chain.then(() => {
      this.current = this.run(it);
      return this.current;
    });
    return job;
  }

  /** Runs a finished dry run's file for real (same options, without dryRun). */
  confirm(id: string, by: string): ImportJob | null {
    const it = this.jobs.get(id);
    if (it?.job.status !== 'done' || !it.job.options.dryRun || !it.job.confirmableUntil) return null;
    if (Date.parse(it.job.confirmableUntil) < Date.now()) return null;
    it.job.confirmableUntil = null; // a dry run is confirmed once; its file moves to the new job
    return this.submit(it.file, it.job.fileName, it.job.bytes, { ...it.job.options, dryRun: false }, by);
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, it] of this.jobs) {
      if (it.job.confirmableUntil && Date.parse(it.job.confirmableUntil) < now) {
        it.job.confirmableUntil = null;
        rmSync(it.dir, { recursive: true, force: true });
      }
      if (this.jobs.size > MAX_JOBS_KEPT && (it.job.status === 'done' || it.job.status === 'failed') && !it.job.confirmableUntil)
        this.jobs.delete(id);
    }
  }

  private async run(it: Internal): Promise<void> {
    const { job } = it;
    if (this.closed) {
      job.status = 'failed';
      job.message = 'not started: the app was shutting down';
      rmSync(it.dir, { recursive: true, force: true });
      return;
    }
    job.status = 'running';
    job.startedAt = new Date().toISOString();
    let keepFile = false;
    try {
      if (!job.options.dryRun && this.opts.backup) {
        job.progress = { phase: 'backup', done: 0, total: 1 };
        const b: BackupResult | null = await backupDatabase(this.db as Dumpable, this.opts.backup, 'pre-import');
        if (b) job.backup = b;
      }
      const { snapshot, ...importOpts } = job.options;
      const summary = await importFile(this.db, it.file, {
        ...importOpts,
        onProgress: (p) => {
          job.progress = p;
        },
      });
      summary.file = job.fileName;
      job.summary = { ...summary, rejections: summary.rejections.slice(0, 200) };
      job.status = summary.status === 'failed' ? 'failed' : 'done';
      job.message = summary.message ?? null;
      const changed =
        summary.inserted +
          summary.updated +
          summary.retired +
          (summary.network ? summary.network.edges.inserted + summary.network.edges.updated + summary.network.edges.retired : 0) >
        0;
      if (summary.status === 'done' && !job.options.dryRun) {
        dataChanged(this.db, { reason: 'import', runId: summary.runId, kinds: summary.kinds });
        // Plan §三十六 (监测评估): an import that changed facilities records the indicator set after it
        if (snapshot !== false && changed && summary.runId !== null) {
          job.snapshot = 'computing';
          const runId = summary.runId;
          void snapshotIndicators(this.db, `import:${summary.source}`, {
            importRunId: runId,
            coverage: coverageSourceFor(this.db).wait,
          }).then(
            (s) => (job.snapshot = `saved (${s.rows} values)`),
            (e: unknown) => (job.snapshot = `failed: ${e instanceof Error ? e.message : String(e)}`),
          );
        }
      }
      if (job.options.dryRun && job.status === 'done') {
        keepFile = true;
        job.confirmableUntil = new Date(Date.now() + CONFIRM_WINDOW_MS).toISOString();
      }
    } catch (e) {
      job.status = 'failed';
      job.message = e instanceof Error ? e.message : String(e);
      this.opts.log?.warn({ job: job.id, file: job.fileName }, `import failed: ${job.message}`);
    } finally {
      job.finishedAt = new Date().toISOString();
      if (!keepFile) rmSync(it.dir, { recursive: true, force: true });
    }
  }

  /** Stops taking jobs; waits for the one running (an import is not cut mid-transaction). */
  async close(): Promise<void> {
    this.closed = true;
    await this.current?.catch(() => undefined);
    for (const it of this.jobs.values()) {
      if (it.job.status === 'queued') {
        it.job.status = 'failed';
        it.job.message = 'not started: the app was shutting down';
      }
      if (it.job.status !== 'running') rmSync(it.dir, { recursive: true, force: true });
    }
  }
}
