import type { Db } from './adapter';
import { openPglite, type PgliteDb } from './pglite';
import { openPostgres, type PostgresOptions } from './postgres';
import { ensurePostgis, listMigrations, migrate } from './migrate';
import { backupDatabase, type BackupResult, type BackupSettings } from './backup';
import type { DataLock } from './lock';
import { StartupError } from '../errors';
import { redactUrl } from '../config';

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite folder; undefined = in memory. */
  pgliteDir?: string;
  postgres?: PostgresOptions;
  /** Who opens an embedded folder (its lock names it): `app`, `import`, `seed` … Default `app`. */
  role?: string;
  /** Automatic backups of an embedded folder (before migrations); absent = none. */
  backup?: BackupSettings;
  /**
   * The embedded folder's open, already begun by the caller (`openPglite(pgliteDir, …)`, which
   * takes the lock first): used instead of opening it again. `npm start` begins it before it loads
   * the app's modules, which then load while PGlite starts in its thread (issue 13).
   */
  pgliteOpening?: Promise<PgliteDb>;
}

export interface OpenedDb {
  db: Db;
  postgis: string;
  migrationsApplied: string[];
  /** The embedded folder's lock (absent for PostgreSQL and in memory). */
  lock?: DataLock;
  /** The backup taken before migrating, if any. */
  preMigrationBackup?: BackupResult | null;
}

/** Versions not yet applied (all of them on a fresh database). */
async function pendingMigrations(db: Db): Promise<{ pending: string[]; fresh: boolean }> {
  const all = listMigrations().map((m) => m.version);
  const t = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!t.rows[0]?.t) return { pending: all, fresh: true };
  const done = new Set((await db.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
  return { pending: all.filter((v) => !done.has(v)), fresh: done.size === 0 };
}

/** Open the configured database, check PostGIS, and bring the schema up to date. */
export async function openDatabase(opts: OpenOptions): Promise<OpenedDb> {
  let db: Db;
  let lock: DataLock | undefined;
  if (opts.databaseUrl) {
    db = await openPostgres(opts.databaseUrl, opts.postgres);
    try {
      await db.query('SELECT 1');
    } catch (e) {
      await db.close().catch(() => {});
      throw new StartupError(`cannot connect to ${redactUrl(opts.databaseUrl)}: ${(e as Error).message}`);
    }
  } else {
    const p = await (opts.pgliteOpening ?? openPglite(opts.pgliteDir, { role: opts.role, backupDir: opts.backup?.dir }));
    lock = p.lock;
    db = p;
  }
  try {
    let preMigrationBackup: BackupResult | null = null;
    if (opts.backup && opts.pgliteDir && !opts.databaseUrl) {
      const { pending, fresh } = await pendingMigrations(db);
      // a folder with data gets a backup before its schema changes
      if (pending.length && !fresh)
        preMigrationBackup = await backupDatabase(db as Parameters<typeof backupDatabase>[0], opts.backup, 'pre-migration');
    }
    const postgis = await ensurePostgis(db);
    const migrationsApplied = await migrate(db);
    return { db, postgis, migrationsApplied, lock, preMigrationBackup };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
