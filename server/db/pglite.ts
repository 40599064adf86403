import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { Db, Queryable, QueryResult } from './adapter';
import { DatabaseUnavailableError, StartupError } from '../errors';
import { acquireDataLock, type DataLock } from './lock';
import { listBackups } from './backup';
import { plainError, type ThreadData, type ThreadReady, type ThreadReply, type ThreadRequest } from './pgliteProtocol';

const THREAD_FILE = fileURLToPath(new URL('./pgliteThread.mjs', import.meta.url));

/**
 * How PGlite 0.5.8 persists (read from node_modules/@electric-sql/pglite, dist/fs/nodefs.js
 * and the base filesystem): in Node the data folder is mounted with Emscripten's NODEFS,
 * so every write PostgreSQL makes is a `write()` on the real file at once — there is no
 * in-memory copy that is synced "on close" (`syncToFs` is a no-op for NodeFS, and so
 * `relaxedDurability` changes nothing here). PostgreSQL runs single-user with `-F`
 * (fsync off): a committed transaction's WAL is in the operating system's cache when the
 * query resolves, so it survives the process being killed (kill -9: crash recovery
 * replays it at the next open), but not a power cut or kernel crash before the OS writes
 * it out. There is no `postmaster.pid`: nothing stops a second process — hence lock.ts.
 */

/** A folder PGlite could not open (WASM `Aborted()` while starting PostgreSQL on it). */
export class DataFolderError extends StartupError {
  constructor(
    readonly dataDir: string,
    readonly reason: unknown,
    readonly latestBackup: string | null,
  ) {
    super(
      `The embedded database folder ${dataDir} could not be opened (${reason instanceof Error ? reason.message.split('\n')[0] : String(reason)}). ` +
        'It has been left untouched. ' +
        (latestBackup
          ? `To go back to the latest automatic backup (${path.basename(latestBackup)}), run:\n\n  npm run restore -- ${latestBackup}\n\n` +
            'The restore moves the unreadable folder aside (it is not deleted), so nothing more is lost.'
          : 'No backup of it was found. Keep the folder for recovery, and start on an empty one with PGLITE_DIR=<another folder>.'),
    );
    this.name = 'DataFolderError';
  }
}

export interface PgliteOptions {
  /** What takes the folder's lock (`app`, `import`, `seed` …); see lock.ts. */
  role?: string;
  /** Where the automatic backups of this folder are (for the recovery message). */
  backupDir?: string;
  /** In memory: start empty even when the tests' template is set (ATLAS_TEST_PGLITE_TEMPLATE). */
  fresh?: boolean;
}

/**
 * Tests: in-memory databases start from the dump named by ATLAS_TEST_PGLITE_TEMPLATE
 * (PGlite's `dumpDataDir`, made once per run by tests/support/pgliteTemplate.ts: PostGIS
 * and every migration applied) instead of creating PostgreSQL and migrating each time.
 * Folders are never affected; migrations still run after the open (and find nothing to do).
 */
const TEMPLATE_ENV = 'ATLAS_TEST_PGLITE_TEMPLATE';

export interface PgliteDb extends Db {
  /** The folder's lock (absent in memory). */
  readonly lock?: DataLock;
  /** A consistent tarball of the data folder (CHECKPOINT, then PGlite's dumpDataDir). */
  dumpDataDir(): Promise<Blob>;
  /**
   * Serve an analysis worker's statements from the database thread itself (the worker's end of
   * `port` speaks ./pgliteThread.ts's analysis protocol), after the request thread's own.
   */
  servePort(port: MessagePort): void;
}

/**
 * Open (or create) an embedded PGlite database with PostGIS, in its own thread
 * (./pgliteThread.ts: the request thread only sends statements and receives rows).
 * @param dataDir folder to persist to; `undefined` = in memory (tests).
 */
export async function openPglite(dataDir?: string, opts: PgliteOptions = {}): Promise<PgliteDb> {
  let lock: DataLock | undefined;
  let pidFile: string | undefined;
  let hadPidFile = false;
  let existed = false;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDataLock(dataDir, opts.role ?? 'app');
    existed = existsSync(path.join(dataDir, 'PG_VERSION'));
    pidFile = path.join(dataDir, 'postmaster.pid');
    hadPidFile = existsSync(pidFile);
  }
  const data: ThreadData = dataDir ? { dataDir } : { templateFile: opts.fresh ? undefined : process.env[TEMPLATE_ENV] || undefined };
  const thread = new Worker(THREAD_FILE, { workerData: data, execArgv: [] });
  const ready = await new Promise<ThreadReady>((resolve) => {
    thread.once('message', resolve);
    thread.once('error', (e) => resolve({ ready: false, error: plainError(e) }));
    thread.once('exit', (code) => resolve({ ready: false, error: { message: `the database thread exited (${code})` } }));
  });
  if (!ready.ready) {
    await thread.terminate();
    const e = Object.assign(new Error(ready.error.message), ready.error);
    if (dataDir) {
      // a failed start leaves a postmaster.pid behind: remove it, so the folder is as it was
      if (!hadPidFile && pidFile) rmSync(pidFile, { force: true });
      lock?.release();
      if (existed || readdirSync(dataDir).length > 0) {
        const backups = opts.backupDir ? listBackups(opts.backupDir) : [];
        throw new DataFolderError(path.resolve(dataDir), e, backups[0]?.file ?? null);
      }
    }
    throw e;
  }

  let closed = false;
  let gone: Error | null = null;
  let closing: Promise<void> | null = null;
  let next = 1;
  const waiting = new Map<number, { resolve: (r: ThreadReply) => void }>();
  thread.on('message', (r: ThreadReply) => {
    const w = waiting.get(r.id);
    if (!w) return;
    waiting.delete(r.id);
    w.resolve(r);
  });
  const lost = (why: string) => {
    gone ??= new DatabaseUnavailableError(`the embedded database stopped: ${why}`);
    for (const w of waiting.values()) w.resolve({ id: -1, error: { message: gone.message } });
    waiting.clear();
  };
  thread.on('error', (e) => lost(e.message));
  thread.on('exit', (code) => lost(`its thread exited (${code})`));
  /** Queries and transactions under way: close waits for them (never closes mid-statement). */
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    const done = () => inflight.delete(p);
    p.then(done, done);
    return p;
  };
  const send = async (req: DistributiveOmit<ThreadRequest, 'id'>): Promise<ThreadReply & { error?: undefined }> => {
    if (gone) throw gone;
    const id = next++;
    const r = await new Promise<ThreadReply>((resolve) => {
      waiting.set(id, { resolve });
      thread.postMessage({ ...req, id });
    });
    if ('error' in r && r.error) {
      if (gone && r.id === -1) throw gone;
      throw Object.assign(new Error(r.error.message), r.error);
    }
    return r as ThreadReply & { error?: undefined };
  };
  const isClosed = () => closed || gone !== null;
  const unavailable = () => gone ?? new DatabaseUnavailableError('the embedded database is closed');
  const wrap = (tx: number | undefined): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      if (tx === undefined && isClosed()) throw unavailable();
      const p = send({ op: 'query', sql, params: params as unknown[], tx });
      const r = await (tx === undefined ? track(p) : p);
      return { rows: (r.rows ?? []) as T[], affectedRows: r.affectedRows };
    },
    async exec(sql: string) {
      if (tx === undefined && isClosed()) throw unavailable();
      const p = send({ op: 'exec', sql, tx });
      await (tx === undefined ? track(p) : p);
    },
  });
  const base = wrap(undefined);
  return {
    kind: 'pglite',
    capabilities: { mvt: false },
    lock,
    ...base,
    transaction: (fn) => {
      if (isClosed()) throw unavailable();
      // statements inside a transaction that started go on to COMMIT or ROLLBACK even while closing
      return track(
        (async () => {
          const { tx } = await send({ op: 'begin' });
          let out: Awaited<ReturnType<typeof fn>>;
          try {
            out = await fn(wrap(tx));
          } catch (e) {
            await send({ op: 'end', tx: tx!, commit: false }).catch(() => undefined);
            throw e;
          }
          await send({ op: 'end', tx: tx!, commit: true });
          return out;
        })(),
      );
    },
    async dumpDataDir() {
      if (isClosed()) throw unavailable();
      const r = await track(send({ op: 'dump' }));
      return new Blob([r.bytes!]);
    },
    servePort(port: MessagePort) {
      if (isClosed()) throw unavailable();
      thread.postMessage({ id: 0, op: 'attach', port }, [port]);
    },
    close() {
      closing ??= (async () => {
        closed = true;
        // let what started finish (each is one statement or one transaction), then shut down
        while (inflight.size) await Promise.allSettled([...inflight]);
        try {
          if (!gone) await send({ op: 'close' }).catch(() => undefined);
          await thread.terminate();
        } finally {
          lock?.release();
        }
      })();
      return closing;
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
