/**
 * Start the atlas server: open the database (PGlite by default, PostgreSQL with
 * DATABASE_URL) — taking the embedded folder's lock and backing it up before a
 * migration —, migrate, mark interrupted imports failed, seed the demo dataset on first
 * start, schedule backups, and listen.
 *
 * One close path ({@link RunningServer.close}, idempotent: every caller gets the same
 * promise): stop accepting connections → drain the requests under way (bounded) → stop
 * background work (scheduled backups, import jobs: the running import finishes its
 * transaction) → close the database (it waits for the statements under way) → remove the
 * folder's lock. A feature that adds background work registers its stop with
 * {@link RunningServer.onClose} (run in reverse order of registration, before the database closes).
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createApp } from './app';
import { createHttpServer } from './http/server';
import { loadConfig, PROJECT_ROOT, type Config } from './config';
import { openDatabase } from './db/open';
import type { PgliteDb } from './db/pglite';
import type { Db } from './db/adapter';
import { backupDatabase, backupSettings, type BackupResult, type Dumpable } from './db/backup';
import type { DataLock } from './db/lock';
import { seedDemoIfEmpty } from './seed/demo';
import { seedOsmIfAbsent } from './seed/osm';
import { createLogger } from './http/logging';
import { securityFromConfig } from './http/security';
import { ensureInitialAdmin } from './features/auth/bootstrap';
import { ImportJobs } from './features/imports/jobs';
import { markInterruptedRuns } from './features/imports/runs';
import { analysisPoolFor, closeAnalysisPool } from './analysis/pool';
import { openReadRouter, type ReadRouter } from './db/replicas';
import { exactAnswerKeys, precomputeAnswers, precomputedAnswerParams } from './features/coverage/answers';
import { allDistrictCodes, centralDistrictCodes } from './features/coverage/sql';

export const APP_VERSION: string = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version;

/** The background precompute of surfaces and answers begins this long after the listen. */
export const PRECOMPUTE_AFTER_MS = 1000;

/** The `event` of the log line that says the background precompute is done (its worker thread ended). */
export const PRECOMPUTE_DONE = 'PRECOMPUTE_DONE';

/** Longest wait for requests under way at shutdown before their connections are cut. */
export const DRAIN_MS = 10_000;

export interface StartOptions {
  config?: Partial<Config>;
  /** In-memory PGlite (tests): ignores PGLITE_DIR. */
  inMemory?: boolean;
  /** Postgres schema to use (tests isolate themselves). */
  schema?: string;
  clientDir?: string;
  /** The embedded folder's open, begun by the caller (scripts/start.ts): see `pgliteOpening` in ./db/open.ts. */
  pgliteOpening?: Promise<PgliteDb>;
}

export interface RunningServer {
  server: Server;
  db: Db;
  url: string;
  /** The embedded folder's lock (absent for PostgreSQL and in memory). */
  lock?: DataLock;
  jobs: ImportJobs;
  timings: { openMs: number; seedMs: number; totalMs: number; seeded: boolean };
  /** Runs `fn` during close, after requests are drained and before the database closes. */
  onClose(fn: () => Promise<void> | void): void;
  /** True once close has begun. */
  readonly closing: boolean;
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const t0 = performance.now();
  const config = { ...loadConfig(), ...opts.config };
  const log = createLogger(config.LOG_LEVEL);
  const embeddedDir = config.DATABASE_URL || opts.inMemory ? undefined : config.PGLITE_DIR;
  const backup = embeddedDir ? backupSettings(config) : undefined;
  const { db, postgis, migrationsApplied, lock, preMigrationBackup } = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: embeddedDir,
    postgres: { schema: opts.schema, preparedStatements: config.DATABASE_PREPARED_STATEMENTS === 'on' },
    role: 'app',
    backup,
    pgliteOpening: embeddedDir ? opts.pgliteOpening : undefined,
  });
  const stops: (() => Promise<void> | void)[] = [];
  let closing: Promise<void> | null = null;
  let server: Server | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (server) {
        const s = server;
        const drained = new Promise<void>((r) => s.close(() => r()));
        s.closeIdleConnections?.();
        const timer = setTimeout(() => s.closeAllConnections?.(), DRAIN_MS);
        await drained;
        clearTimeout(timer);
      }
      for (const stop of [...stops].reverse()) {
        try {
          await stop();
        } catch (e) {
          log.warn({ err: e }, 'a background task did not stop cleanly');
        }
      }
      await db.close(); // waits for the statements under way; removes the folder's lock
    })();
    return closing;
  };
  try {
    const t1 = performance.now();
    if (preMigrationBackup) log.info({ backup: preMigrationBackup.file, bytes: preMigrationBackup.bytes }, 'backup before migrating');
    if (migrationsApplied.length) log.info({ migrationsApplied }, 'migrations applied');
    const interrupted = await markInterruptedRuns(db, { everyRunning: db.kind === 'pglite' });
    if (interrupted.length)
      log.warn({ importRuns: interrupted }, 'imports interrupted by a stop were marked failed (nothing of them was written)');
    const seeded = config.SEED_DEMO === 'auto' ? await seedDemoIfEmpty(db, log) : false;
    if (config.SEED_DEMO === 'auto' && config.SEED_OSM === 'auto') await seedOsmIfAbsent(db, log);
    await ensureInitialAdmin(db, config.ADMIN_USERNAME, config.ADMIN_PASSWORD, log);
    const t2 = performance.now();

    let reads: ReadRouter | undefined;
    if (config.DATABASE_READ_URL.length) {
      const router = await openReadRouter(db, config.DATABASE_READ_URL, {
        schema: opts.schema,
        maxLagMs: config.REPLICA_MAX_LAG_MS,
        log,
        preparedStatements: config.DATABASE_PREPARED_STATEMENTS === 'on',
      });
      reads = router;
      stops.push(() => router.close());
      log.info({ replicas: router.status() }, 'read replicas');
    }
    const jobs = new ImportJobs(db, { backup, log });
    stops.push(() => jobs.close());
    stops.push(() => closeAnalysisPool(db));
    if (backup && backup.intervalHours > 0) {
      let running: Promise<BackupResult | null> | null = null;
      const timer = setInterval(() => {
        if (running || closing) return;
        running = backupDatabase(db as Dumpable, backup, 'scheduled')
          .then((b) => {
            if (b) log.info({ backup: b.file, bytes: b.bytes, ms: Math.round(b.ms) }, 'scheduled backup');
            return b;
          })
          .catch((e: unknown) => {
            log.error({ err: e }, 'scheduled backup failed');
            return null;
          })
          .finally(() => (running = null));
      }, backup.intervalHours * 3_600_000);
      timer.unref();
      stops.push(async () => {
        clearInterval(timer);
        await running;
      });
    }

    const analysisOptions = {
      ...(config.ANALYSIS_POOL_SIZE ? { poolSize: config.ANALYSIS_POOL_SIZE } : {}),
      queueMax: config.ANALYSIS_QUEUE_MAX,
      perClient: config.ANALYSIS_PER_CLIENT,
      costThreshold: config.ANALYSIS_COST_THRESHOLD,
      jobBudgetMs: config.ANALYSIS_JOB_BUDGET_S * 1000,
    };
    const app = createApp(
      {
        db,
        postgisVersion: postgis,
        appVersion: APP_VERSION,
        tileFeatureCap: config.TILE_FEATURE_CAP,
        basemapStyleUrl: config.BASEMAP_STYLE_URL,
        basemapPmtiles: config.BASEMAP_PMTILES,
        basemapOrigins: config.BASEMAP_ORIGINS,
        log,
        security: securityFromConfig(config),
        adminImport: { jobs, token: lock?.info.token, uploadMaxBytes: config.IMPORT_UPLOAD_MAX_MB * 1e6 },
        reads,
        readPrimaryAfterWriteMs: config.READ_PRIMARY_AFTER_WRITE_S * 1000,
        analysis: analysisOptions,
      },
      { clientDir: opts.clientDir ?? path.join(PROJECT_ROOT, 'dist', 'client') },
    );
    if (config.PRECOMPUTE_SURFACES === 'auto') {
      // which stored answers of the central districts are exact (one query): said in the log, and
      // the connection has planned the lookup before the first request needs it. Before the listen:
      // run beside the first request, it slowed that request 28 → ~80 ms (bench-surface, PostgreSQL)
      const codes = await centralDistrictCodes(db);
      const exact = codes.length ? (await exactAnswerKeys(db, precomputedAnswerParams(codes))).size : 0;
      log.info({ exact, of: codes.length ? precomputedAnswerParams(codes).length : 0 }, 'stored coverage answers');
    }
    server = createHttpServer(app);
    const srv = server;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(config.PORT, config.HOST, () => resolve());
    });
    const addr = srv.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    // the import command reaches the app on loopback when it listens there
    const localHost =
      config.HOST === '0.0.0.0' || config.HOST === 'localhost' || config.HOST.startsWith('127.')
        ? '127.0.0.1'
        : config.HOST === '::' || config.HOST === '::1'
          ? '[::1]'
          : null;
    lock?.update({ url: localHost ? `http://${localHost}:${port}` : undefined });
    if (config.PRECOMPUTE_SURFACES === 'auto') {
      // in the analysis pool, after listening: never blocks the start or a request's thread.
      // First the central districts' population surfaces, then their default coverage answers
      // (every category, straight line and both modes), then every district's mixed-resolution
      // part (all 38 at 100 m), one job at a time so requests interleave.
      // It begins a second after the listen, so that the worker thread's start does not slow the
      // first requests (which stored answers serve on this thread).
      // When it is done, the worker thread is ended (its caches — the graphs and surfaces it built —
      // are only an idle process's memory, issue 13) and the log says PRECOMPUTE_DONE; the next
      // analysis starts a new thread, which reads the stored surfaces. A thread that a request has
      // used meanwhile (an edit right after the start) is kept, to the pool's minute idle.
      const pool = analysisPoolFor(db, analysisOptions, log);
      const who = { client: 'startup:surfaces', background: true };
      const t = performance.now();
      new Promise((r) => setTimeout(r, PRECOMPUTE_AFTER_MS).unref())
        .then(async () => {
          if (closing) return;
          const out = await pool.run('surfaces', { cellSizeM: 100 }, who);
          const r = JSON.parse(Buffer.from(out.bytes).toString('utf8')) as { built: number; stored: number };
          if (r.built) log.info(r, 'population surfaces built and stored');
          const codes = await centralDistrictCodes(db);
          if (!codes.length || closing) return;
          const answers = await precomputeAnswers(
            db,
            codes,
            (params) => pool.run('coverage', { kind: 'coverage', params }, who),
            () => closing !== null,
          );
          if (answers) log.info({ answers }, 'coverage answers of the central districts computed and stored');
          // then every district's mixed-resolution part, one job each: the whole municipality at 100 m
          let blocks = 0;
          for (const code of await allDistrictCodes(db)) {
            if (closing) return;
            const b = await pool.run('surfaceBlocks', { code, cellSizeM: 100 }, who);
            if ((JSON.parse(Buffer.from(b.bytes).toString('utf8')) as { built: boolean }).built) blocks++;
          }
          if (blocks) log.info({ blocks }, 'mixed-resolution population surfaces built and stored');
        })
        .then(
          async () => {
            if (closing) return;
            const released = await pool.releaseIdle({ unlessRequested: true });
            log.info(
              { event: PRECOMPUTE_DONE, ms: Math.round(performance.now() - t), workerReleased: released },
              'background precompute done: population surfaces and stored answers are up to date',
            );
          },
          (e: unknown) => {
            if (closing) return;
            log.warn({ err: e }, 'population surfaces were not precomputed (the first coverage request builds them)');
            void pool.releaseIdle({ unlessRequested: true });
          },
        );
    }
    const t3 = performance.now();
    return {
      server: srv,
      db,
      url: `http://${host}:${port}`,
      lock,
      jobs,
      timings: { openMs: t1 - t0, seedMs: t2 - t1, totalMs: t3 - t0, seeded },
      onClose: (fn) => void stops.push(fn),
      get closing() {
        return closing !== null;
      },
      close,
    };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}
