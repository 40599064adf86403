/**
 * Load the demo dataset (data/demo/districts.geojson and data/demo/facilities.json, built
 * by `npm run build:demo`) into an empty database, on first start or from `npm run seed`.
 *
 * Fast by design: one transaction, one INSERT … SELECT per table fed by a single JSON
 * parameter (`json_to_recordset`), so ~8,000 facilities cost two round trips, not 8,000.
 * The same SQL runs on PGlite and on PostgreSQL.
 *
 * Facilities get their `district_code` from PostGIS (point in polygon against the
 * districts just loaded) rather than from the file, so the database is the one authority
 * on which district a point is in; the build checks that both agree.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db, Queryable } from '../db/adapter';
import { PROJECT_ROOT } from '../config';
import { seedStreets } from './streets';
import { seedDemoVenues } from './venues';
import { deleteSurfaces } from '../features/coverage/persist';

export const DEMO_DISTRICTS_FILE = path.join(PROJECT_ROOT, 'data', 'demo', 'districts.geojson');
export const DEMO_FACILITIES_FILE = path.join(PROJECT_ROOT, 'data', 'demo', 'facilities.json');

/** The `dataset_meta` key under which the seed records itself. */
export const DEMO_META_KEY = 'demo_seed';

export interface SeedLog {
  info: (o: object, msg?: string) => void;
}

export interface SeedResult {
  /** Rows inserted now (0 for rows that were already there). */
  districts: number;
  facilities: number;
  /** Facilities inserted now, per category. */
  byCategory: Record<string, number>;
  /** Version of the demo dataset file. */
  version: number;
  ms: number;
}

interface DistrictsFile {
  features: { properties: Record<string, unknown>; geometry: unknown }[];
}

interface FacilitiesFile {
  version: number;
  content_hash?: string;
  facilities: Record<string, unknown>[];
}

// Districts: one JSON array in, one INSERT. Geometry goes through GeoJSON, forced to
// MultiPolygon/4326 to match the column type, and made valid: five source districts have
// parts that overlap each other by a few hundred m² (1/1024° quantisation), which GEOS
// calls self-intersections and which would make later unions/intersections throw.
// ST_MakeValid changes their areas by < 0.01 km².
const INSERT_DISTRICTS = `
INSERT INTO districts (
  code, name_zh, name_en, central_urban, population,
  children_0_2, children_3_5, children_6_11, children_12_14, children_0_14,
  urban_share, population_source, area_km2, label_point, geom, source
)
SELECT
  r.code, r.name_zh, r.name_en, r.central_urban, r.population,
  r.children_0_2, r.children_3_5, r.children_6_11, r.children_12_14, r.children_0_14,
  r.urban_share, r.population_source, r.area_km2,
  ST_SetSRID(ST_MakePoint((r.label_point->>0)::float8, (r.label_point->>1)::float8), 4326),
  ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(r.geom::text), 4326)), 3)),
  r.source
FROM json_to_recordset($1::json) AS r(
  code text, name_zh text, name_en text, central_urban boolean, population integer,
  children_0_2 integer, children_3_5 integer, children_6_11 integer, children_12_14 integer, children_0_14 integer,
  urban_share real, population_source text, area_km2 float8, label_point json, geom json, source text
)
ON CONFLICT (code) DO NOTHING`;

// Facilities: district by ST_Intersects against the indexed district polygons; where a
// point sits on a shared border the lowest code wins, so the result is deterministic.
const INSERT_FACILITIES = `
INSERT INTO facilities (
  category, name_zh, name_en, address, district_code, opening_hours, capacity,
  age_min_years, age_max_years, ownership, inclusive, amenities, attributes,
  source, source_id, geom
)
SELECT
  r.category, r.name_zh, r.name_en, r.address,
  (SELECT d.code FROM districts d WHERE ST_Intersects(d.geom, p.geom) ORDER BY d.code LIMIT 1),
  r.opening_hours, r.capacity, r.age_min_years, r.age_max_years, r.ownership, r.inclusive,
  COALESCE(r.amenities, '{}'::jsonb), COALESCE(r.attributes, '{}'::jsonb),
  r.source, r.source_id, p.geom
FROM json_to_recordset($1::json) AS r(
  category text, name_zh text, name_en text, address text, opening_hours text, capacity integer,
  age_min_years real, age_max_years real, ownership text, inclusive boolean, amenities jsonb, attributes jsonb,
  source text, source_id text, point json
)
CROSS JOIN LATERAL (
  SELECT ST_SetSRID(ST_MakePoint((r.point->>0)::float8, (r.point->>1)::float8), 4326) AS geom
) AS p
ON CONFLICT (source, source_id) DO NOTHING
RETURNING category`;

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

async function loadIn(tx: Queryable, districts: DistrictsFile, facilities: FacilitiesFile): Promise<Omit<SeedResult, 'ms'>> {
  const districtRows = districts.features.map((f) => ({ ...f.properties, geom: f.geometry }));
  const d = await tx.query(INSERT_DISTRICTS, [JSON.stringify(districtRows)]);
  const f = await tx.query<{ category: string }>(INSERT_FACILITIES, [JSON.stringify(facilities.facilities)]);
  const byCategory: Record<string, number> = {};
  for (const row of f.rows) byCategory[row.category] = (byCategory[row.category] ?? 0) + 1;
  await tx.query(
    `INSERT INTO dataset_meta (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [
      DEMO_META_KEY,
      JSON.stringify({
        version: facilities.version,
        content_hash: facilities.content_hash ?? null,
        districts: districtRows.length,
        facilities: facilities.facilities.length,
        seededAt: new Date().toISOString(),
      }),
    ],
  );
  return { districts: d.affectedRows ?? districtRows.length, facilities: f.rows.length, byCategory, version: facilities.version };
}

/**
 * Load the demo dataset, unconditionally, in one transaction. Idempotent: rows already
 * present (same district code, same `source`/`source_id`) are left as they are, and the
 * counts say what was inserted now.
 *
 * @example
 * const { facilities, ms } = await seedDemo(db);
 */
export async function seedDemo(db: Db): Promise<SeedResult> {
  const t0 = performance.now();
  const [districts, facilities] = await Promise.all([
    readJson<DistrictsFile>(DEMO_DISTRICTS_FILE),
    readJson<FacilitiesFile>(DEMO_FACILITIES_FILE),
  ]);
  const out = await db.transaction(async (tx) => {
    const r = await loadIn(tx, districts, facilities);
    // stored population surfaces are derived from districts and facilities (issue 13)
    if (r.districts || r.facilities) await deleteSurfaces(tx);
    return r;
  });
  // Fresh statistics, so the planner uses the GiST indexes from the first query on.
  await db.exec('ANALYZE districts; ANALYZE facilities;');
  // The 街道/乡镇 list (with protection stations linked) and synthetic large venues, for the indicators (issue #5).
  await seedStreets(db);
  await seedDemoVenues(db);
  return { ...out, ms: Math.round(performance.now() - t0) };
}

/**
 * Seed the demo dataset when the database has no districts yet (first start).
 * @returns true when it seeded.
 */
export async function seedDemoIfEmpty(db: Db, log: SeedLog): Promise<boolean> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM districts');
  if (r.rows[0].n > 0) return false;
  const out = await seedDemo(db);
  log.info({ districts: out.districts, facilities: out.facilities, version: out.version, ms: out.ms }, 'demo dataset seeded');
  return true;
}
