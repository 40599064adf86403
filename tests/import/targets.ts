/**
 * Databases the import tests run on, as tests/api/harness.ts does for the API: embedded
 * PGlite always, real PostgreSQL/PostGIS when TEST_DATABASE_URL is set — each opened
 * database in its own schema, dropped on close. No app server: importers take a Db.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { createScratchSchema, dropScratchSchema } from '../../server/db/scratch';
import { openDatabase } from '../../server/db/open';
import type { Db } from '../../server/db/adapter';
import { PROJECT_ROOT } from '../../server/config';
import { FIXTURE_DISTRICT_BOXES } from '../fixtures/import/truth';

export type TargetName = 'pglite' | 'postgres';

export function dbTargets(): TargetName[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDb {
  db: Db;
  close(): Promise<void>;
}

/** A fresh, migrated database on `target`. */
export async function openTestDb(target: TargetName): Promise<TestDb> {
  if (target === 'pglite') {
    const { db } = await openDatabase({});
    return { db, close: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = await createScratchSchema(url, 't_imp');
  const { db } = await openDatabase({ databaseUrl: url, postgres: { schema, max: 4 } });
  return {
    db,
    async close() {
      await db.close();
      await dropScratchSchema(url, schema);
    },
  };
}

export const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'import');
export const fixture = (name: string) => path.join(FIXTURES, name);

/** The shared real-data folder next to the project (absent in a fresh clone). */
export const SHARED_OSM = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'osm');
export const sharedOsm = (name: string) => path.join(SHARED_OSM, name);
export const hasShared = (name: string) => existsSync(sharedOsm(name));

/** The two fixture districts (boxes), inserted directly. */
export async function loadFixtureDistricts(db: Db): Promise<void> {
  for (const d of FIXTURE_DISTRICT_BOXES) {
    const [w, s, e, n] = d.box;
    await db.query(
      `INSERT INTO districts (code, name_zh, name_en, area_km2, label_point, geom, source)
       VALUES ($1, $2, $2, ST_Area(ST_MakeEnvelope($3, $4, $5, $6, 4326)::geography) / 1e6,
               ST_SetSRID(ST_MakePoint(($3 + $5) / 2, ($4 + $6) / 2), 4326), ST_Multi(ST_MakeEnvelope($3, $4, $5, $6, 4326)), 'test')`,
      [d.code, d.name, w, s, e, n],
    );
  }
}

/** Haversine metres, for "lands within 1 m" checks. */
export function distanceM(a: readonly number[], b: readonly number[]): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
