/**
 * Start the atlas server: open the database (PGlite by default, PostgreSQL with
 * DATABASE_URL), migrate, seed the demo dataset on first start, and listen.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createApp } from './app';
import { createHttpServer } from './http/server';
import { loadConfig, PROJECT_ROOT, type Config } from './config';
import { openDatabase } from './db/open';
import type { Db } from './db/adapter';
import { seedDemoIfEmpty } from './seed/demo';
import { seedOsmIfAbsent } from './seed/osm';
import { createLogger } from './http/logging';
import { securityFromConfig } from './http/security';
import { ensureInitialAdmin } from './features/auth/bootstrap';

export const APP_VERSION: string = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version;

export interface StartOptions {
  config?: Partial<Config>;
  /** In-memory PGlite (tests): ignores PGLITE_DIR. */
  inMemory?: boolean;
  /** Postgres schema to use (tests isolate themselves). */
  schema?: string;
  clientDir?: string;
}

export interface RunningServer {
  server: Server;
  db: Db;
  url: string;
  timings: { openMs: number; seedMs: number; totalMs: number; seeded: boolean };
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const t0 = performance.now();
  const config = { ...loadConfig(), ...opts.config };
  const log = createLogger(config.LOG_LEVEL);
  const { db, postgis, migrationsApplied } = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: opts.inMemory ? undefined : config.PGLITE_DIR,
    postgres: { schema: opts.schema },
  });
  const t1 = performance.now();
  if (migrationsApplied.length) log.info({ migrationsApplied }, 'migrations applied');
  const seeded = config.SEED_DEMO === 'auto' ? await seedDemoIfEmpty(db, log) : false;
  if (config.SEED_DEMO === 'auto' && config.SEED_OSM === 'auto') await seedOsmIfAbsent(db, log);
  await ensureInitialAdmin(db, config.ADMIN_USERNAME, config.ADMIN_PASSWORD, log);
  const t2 = performance.now();

  const app = createApp(
    { db, postgisVersion: postgis, appVersion: APP_VERSION, tileFeatureCap: config.TILE_FEATURE_CAP, basemapStyleUrl: config.BASEMAP_STYLE_URL, basemapPmtiles: config.BASEMAP_PMTILES, basemapOrigins: config.BASEMAP_ORIGINS, log, security: securityFromConfig(config) },
    { clientDir: opts.clientDir ?? path.join(PROJECT_ROOT, 'dist', 'client') },
  );
  const server = createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const t3 = performance.now();
  return {
    server,
    db,
    url: `http://${host}:${port}`,
    timings: { openMs: t1 - t0, seedMs: t2 - t1, totalMs: t3 - t0, seeded },
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await db.close();
    },
  };
}
