import type { Db } from './adapter';
import { openPglite } from './pglite';
import { openPostgres, type PostgresOptions } from './postgres';
import { ensurePostgis, migrate } from './migrate';
import { StartupError } from '../errors';
import { redactUrl } from '../config';

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite folder; undefined = in memory. */
  pgliteDir?: string;
  postgres?: PostgresOptions;
}

export interface OpenedDb {
  db: Db;
  postgis: string;
  migrationsApplied: string[];
}

/** Open the configured database, check PostGIS, and bring the schema up to date. */
export async function openDatabase(opts: OpenOptions): Promise<OpenedDb> {
  let db: Db;
  if (opts.databaseUrl) {
    db = await openPostgres(opts.databaseUrl, opts.postgres);
    try {
      await db.query('SELECT 1');
    } catch (e) {
      await db.close().catch(() => {});
      throw new StartupError(`cannot connect to ${redactUrl(opts.databaseUrl)}: ${(e as Error).message}`);
    }
  } else {
    db = await openPglite(opts.pgliteDir);
  }
  try {
    const postgis = await ensurePostgis(db);
    const migrationsApplied = await migrate(db);
    return { db, postgis, migrationsApplied };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
