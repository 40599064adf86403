/**
 * SQL of `/api/nearby`: the nearest active facilities by KNN on the geography GiST index
 * (`ORDER BY geom::geography <-> point LIMIT n`), bounded by the LIMIT; values are bound
 * parameters, column names come from the allow-list {@link FACILITY_FIELD_SQL} only.
 *
 * Plain rows, turned into GeoJSON here: the database is the shared resource (every app server
 * and every request plans and runs its statements on it), so it gets the smallest statement —
 * the KNN and the sort — and the app server, which scales out, writes the JSON. Writing the
 * GeoJSON in SQL (`row_to_json`, `string_agg`) cost PostgreSQL 0.7 ms more per request to plan
 * and run than the bare KNN (pgbench on the demo data: 1.9 ms against 1.2 ms), which on a
 * shared machine came out of the requests' throughput (issue 13).
 */
import type { Queryable } from '../../db/adapter';
import type { FacilityField } from '../../../core/api';
import type { CategoryId } from '../../../core/catalogue';
import { FACILITY_FIELD_SQL, needsDistrict } from '../facilities/sql';

/** One statement per field set, built once: a request picks a text, never assembles one. */
const statements = new Map<string, string>();

function nearestSql(fields: readonly FacilityField[]): string {
  const key = fields.join(',');
  let sql = statements.get(key);
  if (!sql) {
    const district = needsDistrict(fields) ? 'LEFT JOIN districts d ON d.code = f.district_code' : '';
    const cols = fields.map((k) => `, ${FACILITY_FIELD_SQL[k]} AS ${k}`).join('');
    const outer = fields.map((k) => `, ${k}`).join('');
    // KNN orders by the distance on the sphere; the distance reported is on the spheroid. The
    // n found are sorted by what is reported (ties: the sphere, then id), in SQL so that the
    // order is the database's and the same on both databases.
    sql = `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS pt)
           SELECT id${outer}, lng, lat, distance_m FROM (
             SELECT f.id${cols}, ST_X(f.geom) AS lng, ST_Y(f.geom) AS lat,
                    ST_Distance(f.geom::geography, p.pt) AS distance_m, f.geom::geography <-> p.pt AS knn
               FROM p, facilities f ${district}
              WHERE f.status = 'active' AND ($3::text[] IS NULL OR f.category = ANY($3::text[]))
              ORDER BY f.geom::geography <-> p.pt
              LIMIT $4) k
            ORDER BY distance_m, knn, id`;
    statements.set(key, sql);
  }
  return sql;
}

/** A row of {@link nearestFacilities}: the id, the fields asked for, the point and the distance. */
export type NearbyRow = { id: number; lng: number; lat: number; distance_m: number } & Partial<Record<FacilityField, unknown>>;

/**
 * The `limit` active facilities nearest to a point, closest first, with the geodesic
 * (spheroid) distance in metres and the properties named by `fields` (in that order).
 */
export async function nearestFacilities(
  db: Queryable,
  lng: number,
  lat: number,
  categories: CategoryId[] | undefined,
  limit: number,
  fields: readonly FacilityField[],
): Promise<NearbyRow[]> {
  // prepared: the plan (a KNN index scan, the category as a filter) is the same for every point
  const r = await db.query<NearbyRow>(nearestSql(fields), [lng, lat, categories ?? null, limit], { prepare: true });
  return r.rows;
}
