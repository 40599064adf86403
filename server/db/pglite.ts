import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Db, Queryable, QueryResult } from './adapter';
import { DatabaseUnavailableError, StartupError } from '../errors';
import { acquireDataLock, type DataLock } from './lock';
import { listBackups } from './backup';

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

/**
 * bytea in and out as hex through Node's Buffer codec. PGlite 0.5.8's own (dist/chunk-*.js,
 * `bytea.serialize`/`parse`) maps every byte through `toString(16)`/`parseInt`: measured here,
 * 1 MB took 0.5 s to read and 1.5 s to write on the thread that serves requests (the stored
 * population surfaces, WKB of network edges). Same values: a Buffer is a Uint8Array.
 */
const BYTEA_OID = 17;
export const PGLITE_CODECS = {
  parsers: { [BYTEA_OID]: (s: string) => Buffer.from(s.slice(2), 'hex') },
  serializers: {
    [BYTEA_OID]: (v: unknown) => {
      if (!(v instanceof Uint8Array)) throw new TypeError('Invalid input for bytea type');
      return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
    },
  },
};

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
let template: { file: string; blob: Blob } | undefined;

function inMemoryTemplate(): Blob | undefined {
  const file = process.env[TEMPLATE_ENV];
  if (!file) return undefined;
  if (template?.file !== file) template = { file, blob: new Blob([readFileSync(file)]) };
  return template.blob;
}

export interface PgliteDb extends Db {
  /** The folder's lock (absent in memory). */
  readonly lock?: DataLock;
  /** A consistent tarball of the data folder (CHECKPOINT, then PGlite's dumpDataDir). */
  dumpDataDir(): Promise<Blob>;
}

/**
 * Open (or create) an embedded PGlite database with PostGIS.
 * @param dataDir folder to persist to; `undefined` = in memory (tests).
 */
export async function openPglite(dataDir?: string, opts: PgliteOptions = {}): Promise<PgliteDb> {
  let lock: DataLock | undefined;
  let pg: PGlite;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDataLock(dataDir, opts.role ?? 'app');
    const existed = existsSync(path.join(dataDir, 'PG_VERSION'));
    const pidFile = path.join(dataDir, 'postmaster.pid');
    const hadPidFile = existsSync(pidFile);
    try {
      pg = await PGlite.create({ dataDir, extensions: { postgis }, ...PGLITE_CODECS });
    } catch (e) {
      // a failed start leaves a postmaster.pid behind: remove it, so the folder is as it was
      if (!hadPidFile) rmSync(pidFile, { force: true });
      lock.release();
      if (existed || readdirSync(dataDir).length > 0) {
        const backups = opts.backupDir ? listBackups(opts.backupDir) : [];
        throw new DataFolderError(path.resolve(dataDir), e, backups[0]?.file ?? null);
      }
      throw e;
    }
  } else {
    const loadDataDir = opts.fresh ? undefined : inMemoryTemplate();
    pg = await PGlite.create(loadDataDir ? { loadDataDir, extensions: { postgis }, ...PGLITE_CODECS } : { extensions: { postgis }, ...PGLITE_CODECS });
  }
  let closed = false;
  let closing: Promise<void> | null = null;
  /** Queries and transactions under way: close waits for them (never closes mid-statement). */
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    const done = () => inflight.delete(p);
    p.then(done, done);
    return p;
  };
  const isClosed = () => closed || pg.closed;
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>, top: boolean): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      if (top && isClosed()) throw new DatabaseUnavailableError('the embedded database is closed');
      const r = await (top ? track(q.query<T>(sql, params as unknown[])) : q.query<T>(sql, params as unknown[]));
      return { rows: r.rows, affectedRows: r.affectedRows };
    },
    async exec(sql: string) {
      if (top && isClosed()) throw new DatabaseUnavailableError('the embedded database is closed');
      await (top ? track(q.exec(sql)) : q.exec(sql));
    },
  });
  const base = wrap(pg, true);
  return {
    kind: 'pglite',
    capabilities: { mvt: false },
    lock,
    ...base,
    transaction: (fn) => {
      if (isClosed()) throw new DatabaseUnavailableError('the embedded database is closed');
      // statements inside a transaction that started go on to COMMIT or ROLLBACK even while closing
      return track(pg.transaction((tx) => fn(wrap(tx, false))));
    },
    async dumpDataDir() {
      if (isClosed()) throw new DatabaseUnavailableError('the embedded database is closed');
      return track(
        (async () => {
          await pg.exec('CHECKPOINT');
          return (await pg.dumpDataDir('gzip')) as Blob;
        })(),
      );
    },
    close() {
      closing ??= (async () => {
        closed = true;
        // let what started finish (each is one statement or one transaction), then shut down
        while (inflight.size) await Promise.allSettled([...inflight]);
        try {
          await pg.close();
        } finally {
          lock?.release();
        }
      })();
      return closing;
    },
  };
}
