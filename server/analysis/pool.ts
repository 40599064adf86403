/**
 * The analysis worker pool (issue 12 §2): heavy analysis never runs on the request thread.
 *
 * - **Workers:** piscina, `poolSize` threads (default: cores − 1, at least 1), started on the
 *   first job, stopped after a minute idle, or at once by {@link AnalysisPool.releaseIdle} (the
 *   app calls it when its background precompute after start is done: issue 13). A job is a kind (./jobs.ts) and its parsed
 *   arguments; the worker (./worker.ts) runs the feature's own code and reads the database
 *   through the job's MessagePort, answered here on the app's connection (PostgreSQL) or by
 *   the embedded database's own thread, after the request thread's statements (PGlite:
 *   server/db/pgliteThread.ts) — so an analysis's reads never run on this thread.
 * - **Sharing:** identical in-flight jobs (same database, kind and arguments) are one job;
 *   every request waiting for it gets the same bytes (counted in `shared`).
 * - **Kinds:** coverage, gaps, cells, inputs, suggest; exports of computed layers (whole files,
 *   moved as bytes); the indicators' walking-coverage recompute (a `background` job with its
 *   own budget, see server/features/indicators/coverageSource.ts).
 * - **Limits:** at most `perClient` jobs per client (user, else address) running or queued →
 *   429 `too_many_analyses`; at most `poolSize + queueMax` jobs in all → 503
 *   `analysis_queue_full`; both with `Retry-After` from the recent job durations.
 * - **Cancellation:** a request that goes away stops waiting; a job nobody waits for any more
 *   is aborted (dropped from the queue, or its thread terminated and replaced).
 * - **Time budget:** a job still unfinished `jobBudgetMs` after it was submitted is aborted →
 *   503 `analysis_timeout`.
 */
import { MessageChannel } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Piscina from 'piscina';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../db/adapter';
import type { PgliteDb } from '../db/pglite';
import { AnalysisBusyError, AnalysisConcurrencyError, AppError } from '../errors';
import { onCoverageInvalidated } from '../features/coverage/cache';
import { onDataChanged } from '../db/dataChanged';
import { clientKey } from '../http/rateLimits';
import { requestUser } from '../http/requestUser';
import type { JobOutput } from './jobFile';
import type { JobKind } from './jobs';
import type { WorkerResult, WorkerTask } from './worker';

export interface AnalysisOptions {
  /** Worker threads (ANALYSIS_POOL_SIZE). */
  poolSize: number;
  /** Jobs waiting beyond the running ones (ANALYSIS_QUEUE_MAX). */
  queueMax: number;
  /** Jobs one client may have running or queued (ANALYSIS_PER_CLIENT). */
  perClient: number;
  /** Cost above which an anonymous non-default analysis needs an editor (ANALYSIS_COST_THRESHOLD). */
  costThreshold: number;
  /** A job's time budget from submission, ms (ANALYSIS_JOB_BUDGET_S). */
  jobBudgetMs: number;
}

/** Defaults for a 2-core machine: one worker beside the request thread. */
export const DEFAULT_ANALYSIS: AnalysisOptions = {
  poolSize: Math.max(1, availableParallelism() - 1),
  queueMax: 8,
  // the planner asks for one view's coverage, gaps, cells and inputs at once
  perClient: 4,
  costThreshold: 50_000_000,
  jobBudgetMs: 30_000,
};

const WORKER_FILE = fileURLToPath(new URL('./worker.mjs', import.meta.url));

interface Job {
  controller: AbortController;
  promise: Promise<JobOutput>;
  waiters: number;
  timedOut: boolean;
}

const dbIds = new WeakMap<Db, number>();
let nextDbId = 1;
function dbIdOf(db: Db): number {
  let id = dbIds.get(db);
  if (id === undefined) {
    id = nextDbId++;
    dbIds.set(db, id);
  }
  return id;
}

export class AnalysisPool {
  readonly options: AnalysisOptions;
  private piscina: Piscina | null = null;
  private readonly jobs = new Map<string, Job>();
  private readonly perClient = new Map<string, number>();
  private active = 0;
  /** Recent job duration (exponential average), for Retry-After. */
  private avgMs = 2000;
  private generation = 0;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    options: Partial<AnalysisOptions> = {},
    private readonly log?: Logger,
  ) {
    this.options = { ...DEFAULT_ANALYSIS, ...options };
    const bump = (d: unknown) => {
      if (d === undefined || d === db) this.generation++;
    };
    this.offs.push(onCoverageInvalidated(bump), onDataChanged(bump));
  }

  /** Jobs running or queued now. */
  get size(): number {
    return this.active;
  }

  /** Requests that joined an identical job already in flight instead of starting one (since start). */
  shared = 0;

  /** Worker threads started (since start). */
  workersStarted = 0;

  /** Whether a request (not the app's own background work) has used the current threads. */
  private requested = false;

  /** Worker threads alive now. */
  get threads(): number {
    return this.piscina?.threads.length ?? 0;
  }

  /**
   * Ends the worker threads, and with them their caches (walking graphs, population surfaces),
   * when no job is running or queued; the next job starts a new thread, which reads what it
   * needs again (the stored surfaces). An idle thread otherwise lives for `idleTimeout` (a
   * minute) holding its memory. With `unlessRequested`, threads that a request has used since
   * they started are kept (to the minute idle). Returns whether threads were ended.
   */
  async releaseIdle(o: { unlessRequested?: boolean } = {}): Promise<boolean> {
    const p = this.piscina;
    if (!p || this.active > 0) return false;
    // a thread a request has used (an edit, a gap layer…) holds what the next one will need: it
    // is left to the minute idle, not ended by the app's own background work finishing
    if (o.unlessRequested && this.requested) return false;
    // a job submitted from now on gets a new pool; nothing runs in this one
    this.piscina = null;
    this.requested = false;
    await p.destroy().catch((e: unknown) => this.log?.warn({ err: e }, 'analysis worker did not stop cleanly'));
    return true;
  }

  private pool(): Piscina {
    this.piscina ??= this.createPiscina();
    return this.piscina;
  }

  private createPiscina(): Piscina {
    const p = new Piscina({
      filename: WORKER_FILE,
      minThreads: 0,
      maxThreads: this.options.poolSize,
      idleTimeout: 60_000,
      // queueing and its limits are ours (below); piscina's queue never refuses
      maxQueue: Infinity as unknown as number,
      concurrentTasksPerWorker: 1,
      atomics: 'disabled',
      // the worker loads TypeScript itself (worker.mjs); nothing of the parent's flags
      execArgv: [],
      // an object, not undefined: the `web-worker` package (via geotiff) reads workerData.mod when loaded in a thread
      workerData: {},
    });
    p.on('workerCreate', () => this.workersStarted++);
    return p;
  }

  /** Seconds until a slot is likely free: the recent job time × the jobs ahead per thread. */
  retryAfterS(): number {
    const rounds = Math.ceil((this.active + 1) / this.options.poolSize);
    return Math.min(120, Math.max(1, Math.ceil((this.avgMs * rounds) / 1000)));
  }

  /**
   * Runs (or joins) a job; resolves with the response body's bytes and content type.
   * @param who.background the app's own job (the indicators' recompute, one per database at a
   *   time): it takes no client's share and is never refused for a full queue
   * @param who.budgetMs this job's time budget instead of `jobBudgetMs`
   * @throws AnalysisConcurrencyError, AnalysisBusyError, or the job's own AppError
   */
  run(
    kind: JobKind,
    args: unknown,
    who: { client: string; signal?: AbortSignal; background?: boolean; budgetMs?: number },
  ): Promise<JobOutput> {
    const key = `${kind}|${JSON.stringify(args)}`;
    if (!who.background) this.requested = true;
    const same = this.jobs.get(key);
    if (same) {
      this.shared++;
      return this.wait(same, who.signal);
    }

    const mine = this.perClient.get(who.client) ?? 0;
    if (!who.background && mine >= this.options.perClient) throw new AnalysisConcurrencyError(this.retryAfterS(), this.options.perClient);
    if (!who.background && this.active >= this.options.poolSize + this.options.queueMax) {
      throw new AnalysisBusyError(
        this.retryAfterS(),
        'analysis_queue_full',
        'the analysis queue is full; retry after the time in Retry-After',
        {
          running: Math.min(this.active, this.options.poolSize),
          queued: Math.max(0, this.active - this.options.poolSize),
          queueMax: this.options.queueMax,
        },
      );
    }
    this.perClient.set(who.client, mine + 1);
    this.active++;
    const controller = new AbortController();
    const job: Job = { controller, promise: undefined as unknown as Promise<JobOutput>, waiters: 0, timedOut: false };
    const budgetMs = who.budgetMs ?? this.options.jobBudgetMs;
    const budget = setTimeout(() => {
      job.timedOut = true;
      controller.abort();
    }, budgetMs);
    budget.unref();
    const t0 = performance.now();
    job.promise = this.execute(kind, args, controller.signal)
      .catch((e: unknown) => {
        if (job.timedOut) {
          throw new AnalysisBusyError(
            this.retryAfterS(),
            'analysis_timeout',
            `the analysis took longer than its ${Math.round(budgetMs / 1000)} s budget and was stopped; choose fewer districts or a coarser cellSizeM`,
          );
        }
        throw e;
      })
      .finally(() => {
        clearTimeout(budget);
        this.jobs.delete(key);
        this.active--;
        const n = (this.perClient.get(who.client) ?? 1) - 1;
        if (n > 0) this.perClient.set(who.client, n);
        else this.perClient.delete(who.client);
        if (!controller.signal.aborted) this.avgMs = 0.7 * this.avgMs + 0.3 * (performance.now() - t0);
      });
    job.promise.catch(() => undefined); // a job nobody waits for any more must not be an unhandled rejection
    this.jobs.set(key, job);
    return this.wait(job, who.signal);
  }

  /** One request's wait for a job: leaving (signal) stops the job when nobody else waits. */
  private wait(job: Job, signal: AbortSignal | undefined): Promise<JobOutput> {
    job.waiters++;
    if (!signal) return job.promise;
    return new Promise<JobOutput>((resolve, reject) => {
      let done = false;
      const leave = () => {
        if (done) return;
        done = true;
        if (--job.waiters === 0) job.controller.abort();
        reject(new AppError(499, 'client_closed', 'the client went away'));
      };
      if (signal.aborted) return leave();
      signal.addEventListener('abort', leave, { once: true });
      job.promise.then(
        (v) => {
          done = true;
          signal.removeEventListener('abort', leave);
          resolve(v);
        },
        (e: unknown) => {
          done = true;
          signal.removeEventListener('abort', leave);
          reject(e);
        },
      );
    });
  }

  private async execute(kind: JobKind, args: unknown, signal: AbortSignal): Promise<JobOutput> {
    const { port1, port2 } = new MessageChannel();
    const db = this.db;
    const threaded = isThreadedDb(db);
    if (threaded) {
      // the embedded database answers the worker from its own thread: nothing passes through this one
      db.servePort(port1);
    } else {
      port1.on('message', (m: { id: number; op: 'query' | 'exec'; sql: string; params?: unknown[] }) => {
        const reply = (r: object) => {
          try {
            port1.postMessage({ id: m.id, ...r });
          } catch {
            /* the job ended: nobody to answer */
          }
        };
        const q =
          m.op === 'exec' ? db.exec(m.sql).then(() => ({ rows: [] as unknown[], affectedRows: undefined })) : db.query(m.sql, m.params);
        q.then(
          (r) => reply({ rows: r.rows, affectedRows: r.affectedRows }),
          (e: { message?: string; code?: unknown }) =>
            reply({ error: { message: String(e?.message ?? e), code: typeof e?.code === 'string' ? e.code : undefined } }),
        );
      });
    }
    const task: WorkerTask = {
      kind,
      args,
      dbId: dbIdOf(db),
      dbKind: db.kind,
      capabilities: db.capabilities,
      generation: this.generation,
      port: port2,
    };
    try {
      const r = (await this.pool().run(task, { transferList: [port2], signal })) as WorkerResult;
      if (!('error' in r)) return r;
      throw new AppError(r.error.status, r.error.code, r.error.message, r.error.field, r.error.details);
    } finally {
      if (!threaded) port1.close();
    }
  }

  async close(): Promise<void> {
    for (const off of this.offs) off();
    for (const j of this.jobs.values()) j.controller.abort();
    const p = this.piscina;
    this.piscina = null;
    if (p) await p.destroy().catch((e: unknown) => this.log?.warn({ err: e }, 'analysis pool did not stop cleanly'));
  }
}

/** Whose share a request's job takes: the signed-in user, else the client address. */
/** A database with its own thread, which serves an analysis worker's port itself (PGlite). */
function isThreadedDb(db: Db): db is Db & Pick<PgliteDb, 'servePort'> {
  return typeof (db as Partial<PgliteDb>).servePort === 'function';
}

export function analysisClient(req: Request): string {
  const user = requestUser(req);
  return user ? `user:${user.id}` : `ip:${clientKey(req)}`;
}

const pools = new WeakMap<Db, AnalysisPool>();

/** The pool of a database (one per app database; options from the first caller). */
export function analysisPoolFor(db: Db, options?: Partial<AnalysisOptions>, log?: Logger): AnalysisPool {
  let p = pools.get(db);
  if (!p) {
    p = new AnalysisPool(db, options, log);
    pools.set(db, p);
  }
  return p;
}

/** Stops a database's pool (at app shutdown). */
export async function closeAnalysisPool(db: Db): Promise<void> {
  const p = pools.get(db);
  pools.delete(db);
  await p?.close();
}
