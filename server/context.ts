import type { Db } from './db/adapter';
import type { ReadRouter } from './db/replicas';
import type { Logger } from 'pino';
import type { SecurityOverrides } from './http/security';
import type { AdminImportOptions } from './features/imports/routes';
import type { AnalysisOptions } from './analysis/pool';

/** What every feature's routes get: the database and a few facts fixed at start-up. */
export interface AppContext {
  db: Db;
  postgisVersion: string;
  appVersion: string;
  tileFeatureCap: number;
  basemapStyleUrl?: string;
  /** A Protomaps PMTiles archive served as the basemap instead of our own tiles (BASEMAP_PMTILES). */
  basemapPmtiles?: string;
  /** Extra origins the online basemap style loads from (CSP connect-src; BASEMAP_ORIGINS). */
  basemapOrigins?: readonly string[];
  log: Logger;
  /** Sessions, cookies, CSRF origins, rate limits; defaults in server/http/security.ts. */
  security?: SecurityOverrides;
  /** Admin imports (jobs, hand-off token, upload limit); default: jobs on `db`, no token, 2 GB. */
  adminImport?: AdminImportOptions;
  /** The analysis worker pool's limits (server/analysis/pool.ts DEFAULT_ANALYSIS). */
  analysis?: Partial<AnalysisOptions>;
  /** Hot standbys for stale-tolerant public reads (DATABASE_READ_URL); none: every read on `db`. */
  reads?: ReadRouter;
  /** How long a visitor's reads stay on the primary after a write of theirs, ms (READ_PRIMARY_AFTER_WRITE_S). */
  readPrimaryAfterWriteMs?: number;
}
