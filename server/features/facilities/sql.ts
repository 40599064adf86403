/**
 * SQL for reading facilities. Every spatial query is bounded by an indexed `&&` or KNN
 * and a LIMIT; values are bound parameters only.
 */
import type { Queryable } from '../../db/adapter';
import type { FacilityFeature, FacilityProperties } from '../../../core/api';
import type { CategoryId } from '../../../core/catalogue';

/** The columns of a facility as the API returns them, with its district's names. */
export const FACILITY_COLUMNS = `
  f.id, f.category, f.name_zh, f.name_en, f.address, f.district_code,
  d.name_zh AS district_name_zh, d.name_en AS district_name_en,
  f.opening_hours, f.capacity, f.age_min_years, f.age_max_years, f.ownership, f.inclusive,
  f.amenities, f.phone, f.source, f.source_id, f.status, f.version,
  to_char(f.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at,
  to_char(f.source_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS source_updated_at,
  ST_X(f.geom) AS lng, ST_Y(f.geom) AS lat`;

export type FacilityRow = Omit<FacilityProperties, 'distance_m'> & { lng: number; lat: number; distance_m?: number };

export function rowToFeature(r: FacilityRow): FacilityFeature {
  const { lng, lat, ...props } = r;
  if (props.distance_m !== undefined) props.distance_m = Math.round(props.distance_m * 10) / 10;
  return { type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [lng, lat] }, properties: props as FacilityProperties };
}

export interface FacilitySearch {
  bbox?: [number, number, number, number];
  categories?: CategoryId[];
  q?: string;
  district?: string;
  limit: number;
}

/** Active facilities matching the filters, at most `limit + 1` rows (to detect truncation). */
export async function searchFacilities(db: Queryable, s: FacilitySearch): Promise<FacilityRow[]> {
  const r = await db.query<FacilityRow>(
    `SELECT ${FACILITY_COLUMNS}
       FROM facilities f LEFT JOIN districts d ON d.code = f.district_code
      WHERE f.status = 'active'
        AND ($1::float8 IS NULL OR f.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))
        AND ($5::text[] IS NULL OR f.category = ANY($5::text[]))
        AND ($6::text IS NULL
             OR strpos(lower(f.name_zh), lower($6)) > 0
             OR strpos(lower(coalesce(f.name_en, '')), lower($6)) > 0
             OR strpos(lower(coalesce(f.address, '')), lower($6)) > 0)
        AND ($7::text IS NULL OR f.district_code = $7)
      -- With a bbox, nearest to its centre first (KNN on the index), so a truncated list is
      -- the middle of the view rather than an arbitrary slice; otherwise by id.
      ORDER BY CASE WHEN $1::float8 IS NULL THEN NULL
                    ELSE f.geom <-> ST_SetSRID(ST_MakePoint(($1 + $3) / 2, ($2 + $4) / 2), 4326) END,
               f.id
      LIMIT $8`,
    [
      s.bbox?.[0] ?? null,
      s.bbox?.[1] ?? null,
      s.bbox?.[2] ?? null,
      s.bbox?.[3] ?? null,
      s.categories ?? null,
      s.q ?? null,
      s.district ?? null,
      s.limit + 1,
    ],
  );
  return r.rows;
}

export async function getFacility(db: Queryable, id: number): Promise<FacilityRow | undefined> {
  const r = await db.query<FacilityRow>(
    `SELECT ${FACILITY_COLUMNS} FROM facilities f LEFT JOIN districts d ON d.code = f.district_code WHERE f.id = $1`,
    [id],
  );
  return r.rows[0];
}

/**
 * The `limit` active facilities nearest to a point, by KNN on the geography index,
 * with the geodesic (spheroid) distance in metres.
 */
export async function nearestFacilities(
  db: Queryable,
  lng: number,
  lat: number,
  categories: CategoryId[] | undefined,
  limit: number,
): Promise<FacilityRow[]> {
  const r = await db.query<FacilityRow>(
    `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS pt)
     SELECT ${FACILITY_COLUMNS}, ST_Distance(f.geom::geography, p.pt) AS distance_m
       FROM p, facilities f LEFT JOIN districts d ON d.code = f.district_code
      WHERE f.status = 'active' AND ($3::text[] IS NULL OR f.category = ANY($3::text[]))
      ORDER BY f.geom::geography <-> p.pt
      LIMIT $4`,
    [lng, lat, categories ?? null, limit],
  );
  // KNN orders by sphere distance; the reported distance is on the spheroid. Sort by what we report.
  return r.rows.sort((a, b) => (a.distance_m ?? 0) - (b.distance_m ?? 0));
}
