/**
 * Facility writes of an import: bulk upsert on `(source, source_id)` that counts what
 * changed, history rows for every new version, `--full` retirement, and district
 * assignment by point-in-polygon. Every value is a bound parameter; rows travel as one
 * JSON array per batch (`json_to_recordset`), a few thousand per round trip.
 */
import type { Queryable } from '../../../db/adapter';
import type { FacilityInput, WriteCounts } from '../../../../core/import/types';

/** Rows per statement: large enough to amortise the round trip, small enough for PGlite's memory. */
export const FACILITY_BATCH = 2000;

/** The facility row as history keeps it: every column but the geometries, plus lng/lat. */
const HISTORY_DATA = `to_jsonb(f) - 'geom' - 'footprint' || jsonb_build_object('lng', ST_X(f.geom), 'lat', ST_Y(f.geom))`;

const UPSERT = `
WITH r AS (
  SELECT * FROM json_to_recordset($1::json) AS r(
    source_id text, category text, name_zh text, name_en text, address text, opening_hours text,
    capacity integer, age_min_years real, age_max_years real, ownership text, inclusive boolean,
    amenities jsonb, attributes jsonb, phone text, lng double precision, lat double precision, footprint text)
), up AS (
  INSERT INTO facilities AS f (category, name_zh, name_en, address, opening_hours, capacity, age_min_years,
                               age_max_years, ownership, inclusive, amenities, attributes, phone, source, source_id,
                               source_updated_at, geom, footprint)
  SELECT r.category, r.name_zh, r.name_en, r.address, r.opening_hours, r.capacity, r.age_min_years,
         r.age_max_years, r.ownership, r.inclusive, COALESCE(r.amenities, '{}'::jsonb), COALESCE(r.attributes, '{}'::jsonb),
         r.phone, $2, r.source_id, COALESCE((r.attributes->>'source_date')::timestamptz, $3::timestamptz), ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326),
         CASE WHEN r.footprint IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(r.footprint), 4326) END
    FROM r
  ON CONFLICT (source, source_id) DO UPDATE SET
    category = EXCLUDED.category, name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, address = EXCLUDED.address,
    opening_hours = EXCLUDED.opening_hours, capacity = EXCLUDED.capacity, age_min_years = EXCLUDED.age_min_years,
    age_max_years = EXCLUDED.age_max_years, ownership = EXCLUDED.ownership, inclusive = EXCLUDED.inclusive,
    amenities = EXCLUDED.amenities, attributes = EXCLUDED.attributes, phone = EXCLUDED.phone,
    geom = EXCLUDED.geom, footprint = EXCLUDED.footprint,
    status = 'active', retired_at = NULL, version = f.version + 1, updated_at = now(),
    source_updated_at = EXCLUDED.source_updated_at
  -- only rows whose source data changed: the rest count as unchanged and keep their version
  WHERE (f.category, f.name_zh, f.name_en, f.address, f.opening_hours, f.capacity, f.age_min_years, f.age_max_years,
         f.ownership, f.inclusive, f.amenities, f.attributes, f.phone, f.status)
        IS DISTINCT FROM
        (EXCLUDED.category, EXCLUDED.name_zh, EXCLUDED.name_en, EXCLUDED.address, EXCLUDED.opening_hours, EXCLUDED.capacity,
         EXCLUDED.age_min_years, EXCLUDED.age_max_years, EXCLUDED.ownership, EXCLUDED.inclusive, EXCLUDED.amenities,
         EXCLUDED.attributes, EXCLUDED.phone, 'active')
     -- geometries compared byte for byte (the geometry "=" operator's meaning changed across PostGIS versions)
     OR ST_AsEWKB(f.geom) IS DISTINCT FROM ST_AsEWKB(EXCLUDED.geom)
     OR ST_AsEWKB(f.footprint) IS DISTINCT FROM ST_AsEWKB(EXCLUDED.footprint)
  RETURNING f.id, f.version, (f.xmax = 0) AS inserted, ${HISTORY_DATA} AS data
), hist AS (
  INSERT INTO facility_history (facility_id, version, changed_by, action, data)
  SELECT id, version, $4, 'import', data FROM up
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;

/** JSON for one row of {@link UPSERT}. */
function rowJson(f: FacilityInput) {
  return {
    source_id: f.source_id,
    category: f.category,
    name_zh: f.name_zh,
    name_en: f.name_en,
    address: f.address,
    opening_hours: f.opening_hours,
    capacity: f.capacity,
    age_min_years: f.age_min_years,
    age_max_years: f.age_max_years,
    ownership: f.ownership,
    inclusive: f.inclusive,
    amenities: f.amenities,
    attributes: f.attributes,
    phone: f.phone,
    lng: f.lng,
    lat: f.lat,
    footprint: f.footprint ? JSON.stringify(f.footprint) : null,
  };
}

/**
 * Insert new facilities and update changed ones; unchanged rows are left alone.
 * @param changedBy history author, `import:<source>`
 */
export async function upsertFacilities(
  tx: Queryable,
  source: string,
  rows: readonly FacilityInput[],
  sourceUpdatedAt: Date,
  changedBy: string,
  onBatch?: (done: number) => void,
): Promise<WriteCounts> {
  const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, retired: 0 };
  for (let i = 0; i < rows.length; i += FACILITY_BATCH) {
    const batch = rows.slice(i, i + FACILITY_BATCH);
    const r = await tx.query<{ inserted: number; updated: number }>(UPSERT, [
      JSON.stringify(batch.map(rowJson)),
      source,
      sourceUpdatedAt.toISOString(),
      changedBy,
    ]);
    counts.inserted += r.rows[0].inserted;
    counts.updated += r.rows[0].updated;
    counts.unchanged += batch.length - r.rows[0].inserted - r.rows[0].updated;
    onBatch?.(i + batch.length);
  }
  return counts;
}

/**
 * `--full`: facilities of `source` whose id is not in `seenIds` are retired (status,
 * `retired_at`, a new version and a history row) — never deleted, so their history and
 * any references stay valid.
 */
export async function retireMissing(tx: Queryable, source: string, seenIds: readonly string[], changedBy: string): Promise<number> {
  const r = await tx.query<{ n: number }>(
    `WITH gone AS (
       UPDATE facilities AS f SET status = 'retired', retired_at = now(), updated_at = now(), version = f.version + 1
        WHERE f.source = $1 AND f.status <> 'retired'
          AND f.source_id NOT IN (SELECT unnest($2::text[]))
       RETURNING f.id, f.version, ${HISTORY_DATA} AS data
     ), hist AS (
       INSERT INTO facility_history (facility_id, version, changed_by, action, data)
       SELECT id, version, $3, 'retire', data FROM gone
     )
     SELECT count(*)::int AS n FROM gone`,
    [source, seenIds, changedBy],
  );
  return r.rows[0].n;
}

/**
 * (Re)assign `district_code` by point-in-polygon for the facilities of `source` (or of
 * every source when null). A point in no district falls back to the district the file
 * declared (`attributes.district_declared`, a code or a Chinese name) when that names a
 * loaded district, else NULL — e.g. OSM extracts of other cities. Not a new version:
 * the district is derived data, not the source's.
 */
export async function assignDistricts(tx: Queryable, source: string | null): Promise<number> {
  const r = await tx.query<{ n: number }>(
    `WITH pip AS (
       SELECT f.id,
              COALESCE(
                (SELECT d.code FROM districts d WHERE d.geom && f.geom AND ST_Intersects(d.geom, f.geom) ORDER BY d.code LIMIT 1),
                (SELECT d.code FROM districts d
                  WHERE d.code = f.attributes->>'district_declared' OR d.name_zh = f.attributes->>'district_declared'
                  ORDER BY d.code LIMIT 1)) AS code
         FROM facilities f
        WHERE $1::text IS NULL OR f.source = $1
     ), upd AS (
       UPDATE facilities f SET district_code = pip.code FROM pip
        WHERE f.id = pip.id AND f.district_code IS DISTINCT FROM pip.code
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM upd`,
    [source],
  );
  return r.rows[0].n;
}
