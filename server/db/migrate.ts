/**
 * Plain, versioned SQL migrations: `server/db/migrations/NNN_name.sql`, applied in
 * order, each in its own transaction, recorded in `schema_migrations`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './adapter';
import { StartupError } from '../errors';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, f), 'utf8') }));
}

/** Minimum PostGIS major version: ST_TileEnvelope and geography KNN need 3.x. */
const MIN_POSTGIS_MAJOR = 3;

/**
 * Make sure PostGIS is there (creating the extension when the server has it) and recent
 * enough. Fails fast with a message that says what to install.
 *
 * An installed extension is read from `pg_extension` (a catalog lookup) and nothing else is
 * asked: `pg_available_extensions` reads every extension's control file from disk — on
 * PGlite, part of every warm start (issue 13). It is asked only when PostGIS is not installed.
 */
export async function ensurePostgis(db: Db): Promise<string> {
  const installed = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'postgis'");
  if (installed.rows.length) {
    const v = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
    return checkPostgisVersion(v.rows[0].v);
  }
  const avail = await db.query<{ default_version: string | null; installed_version: string | null }>(
    "SELECT default_version, installed_version FROM pg_available_extensions WHERE name = 'postgis'",
  );
  const row = avail.rows[0];
  if (!row) {
    throw new StartupError(
      'PostGIS is not available on this PostgreSQL server. Install it (Debian/Ubuntu: ' +
        '`apt-get install postgresql-15-postgis-3`, matching your server version) and restart.',
    );
  }
  if (!row.installed_version) {
    try {
      await db.exec('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public');
    } catch (e) {
      throw new StartupError(
        `PostGIS ${row.default_version} is available but could not be enabled (${(e as Error).message}). ` +
          'Run `CREATE EXTENSION postgis;` in this database as a superuser.',
      );
    }
  }
  const v = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
  return checkPostgisVersion(v.rows[0].v);
}

function checkPostgisVersion(version: string): string {
  const major = Number(version.split('.')[0]);
  if (!(major >= MIN_POSTGIS_MAJOR)) {
    throw new StartupError(`PostGIS ${version} is too old: version ${MIN_POSTGIS_MAJOR}.0 or newer is needed.`);
  }
  return version;
}

/** Any fixed number: the advisory lock that lets one app instance migrate at a time. */
const MIGRATION_LOCK_KEY = 4_520_251;

/**
 * Apply every migration not yet applied, in one transaction holding an advisory lock, so
 * that several app instances starting together against one database never race: the
 * second waits, then finds nothing left to do. Returns the versions applied now.
 */
export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
      applied.push(m.version);
    }
    return applied;
  });
}
