/**
 * SQL of `/api/nearby`: the nearest active facilities by KNN on the geography GiST index
 * (`ORDER BY geom::geography <-> point LIMIT n`), bounded by the LIMIT; values are bound
 * parameters, column names come from the allow-list {@link FACILITY_FIELD_SQL} only.
 *
 * The database writes the GeoJSON itself (`row_to_json`, compact): the hot path of a "near me"
 * request then moves one text value through the server instead of parsing rows, building
 * objects and serialising them again (issue 13: the per-request cost, not the query, kept the
 * route at half a bare server's throughput). Numbers print the same either way — PostgreSQL
 * ≥ 12 and JavaScript both write the shortest text that reads back as the same double.
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
    const cols = fields.map((k) => `${FACILITY_FIELD_SQL[k]} AS ${k}`).join(', ');
    const props = ['id', ...fields].map((k) => `k.${k}`).join(', ');
    // KNN orders by the distance on the sphere; the distance reported is on the spheroid. The
    // n found are sorted by what is reported (ties: the sphere, then id), in SQL so that the
    // order is the database's and the same on both databases. Distances to 0.1 m.
    sql = `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS pt),
           k AS (
             SELECT f.id${cols ? `, ${cols}` : ''}, ST_X(f.geom) AS lng, ST_Y(f.geom) AS lat,
                    ST_Distance(f.geom::geography, p.pt) AS distance_m, f.geom::geography <-> p.pt AS knn
               FROM p, facilities f ${district}
              WHERE f.status = 'active' AND ($3::text[] IS NULL OR f.category = ANY($3::text[]))
              ORDER BY f.geom::geography <-> p.pt
              LIMIT $4)
           SELECT '[' || coalesce(string_agg(
                    '{"type":"Feature","id":' || k.id || ',"geometry":{"type":"Point","coordinates":[' || k.lng || ',' || k.lat ||
                    ']},"properties":' || row_to_json((SELECT r FROM (SELECT ${props}, round(k.distance_m::numeric, 1) AS distance_m) r)) || '}',
                    ',' ORDER BY k.distance_m, k.knn, k.id), '') || ']' AS features
             FROM k`;
    statements.set(key, sql);
  }
  return sql;
}

/**
 * The `limit` active facilities nearest to a point, closest first, with the geodesic
 * (spheroid) distance in metres and the properties named by `fields`: the GeoJSON text of
 * the features array (`FacilityFeatureOf<F>[]`, core/api.ts).
 */
export async function nearestFacilitiesJson(
  db: Queryable,
  lng: number,
  lat: number,
  categories: CategoryId[] | undefined,
  limit: number,
  fields: readonly FacilityField[],
): Promise<string> {
  const r = await db.query<{ features: string }>(nearestSql(fields), [lng, lat, categories ?? null, limit]);
  return r.rows[0].features;
}
