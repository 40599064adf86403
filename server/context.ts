import type { Db } from './db/adapter';
import type { Logger } from 'pino';

/** What every feature's routes get: the database and a few facts fixed at start-up. */
export interface AppContext {
  db: Db;
  postgisVersion: string;
  appVersion: string;
  tileFeatureCap: number;
  basemapStyleUrl?: string;
  log: Logger;
}
