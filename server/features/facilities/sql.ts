/**
 * SQL for reading facilities. Every spatial query is bounded by an indexed `&&` or KNN
 * and a LIMIT; values are bound parameters only.
 */
import { bboxValues, type Queryable } from '../../db/adapter';
import { FACILITY_FIELDS, type FacilityFeature, type FacilityField, type FacilityProperties } from '../../../core/api';
import type { CategoryId } from '../../../core/catalogue';

/**
 * Each property of a facility as the API returns it, as a SQL expression over `f`
 * (facilities) and `d` (its district) — the server-side allow-list behind `fields=`.
 */
export const FACILITY_FIELD_SQL: Record<FacilityField, string> = {
  category: 'f.category',
  name_zh: 'f.name_zh',
  name_en: 'f.name_en',
  address: 'f.address',
  district_code: 'f.district_code',
  district_name_zh: 'd.name_zh',
  district_name_en: 'd.name_en',
  opening_hours: 'f.opening_hours',
  capacity: 'f.capacity',
  age_min_years: 'f.age_min_years',
  age_max_years: 'f.age_max_years',
  ownership: 'f.ownership',
  inclusive: 'f.inclusive',
  amenities: 'f.amenities',
  phone: 'f.phone',
  source: 'f.source',
  source_id: 'f.source_id',
  status: 'f.status',
  version: 'f.version',
  updated_at: `to_char(f.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
  source_updated_at: `to_char(f.source_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
};

/** `f.id`, the named properties and the point, as a SELECT list (names from {@link FACILITY_FIELD_SQL} only). */
export function facilityColumns(fields: readonly FacilityField[]): string {
  const props = fields.map((k) => (FACILITY_FIELD_SQL[k] === `f.${k}` ? `f.${k}` : `${FACILITY_FIELD_SQL[k]} AS ${k}`));
  return ['f.id', ...props, 'ST_X(f.geom) AS lng', 'ST_Y(f.geom) AS lat'].join(', ');
}

/** True when a property needs the district joined. */
export const needsDistrict = (fields: readonly FacilityField[]): boolean => fields.some((k) => FACILITY_FIELD_SQL[k].startsWith('d.'));

/** The columns of a facility as the API returns them, with its district's names. */
export const FACILITY_COLUMNS = facilityColumns(FACILITY_FIELDS);

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
  /** With `q`: where "nearer" is measured from for results of equal relevance (else the bbox centre). */
  near?: [number, number];
  limit: number;
}

/**
 * With a bbox, nearest to its centre first, so that a truncated list is the middle of the
 * view rather than an arbitrary slice. A plain `ORDER BY geom <-> point` (no CASE, no second
 * key) is what lets PostGIS walk the GiST index in distance order and stop at the LIMIT;
 * `ORDER BY CASE … END, id` read and sorted every row of the box (issue 13: ÷7 at 10×).
 */
const BY_DISTANCE_TO_CENTRE =
  'ORDER BY f.geom <-> ST_SetSRID(ST_MakePoint(($1::float8 + $3::float8) / 2, ($2::float8 + $4::float8) / 2), 4326)';

/**
 * With a name query, most relevant first: an exact name (Chinese or English, any case), then
 * a name that starts with the query, then a name that contains it, then a match in the
 * address only; within each, nearest to `near` (or the bbox centre) first, then by id. The
 * query already reads every row that passes the filters (`strpos` uses no index), so the
 * ranking adds a sort of the matches, bounded by the LIMIT.
 */
const BY_RELEVANCE = `ORDER BY
        CASE WHEN lower(f.name_zh) = lower($6) OR lower(coalesce(f.name_en, '')) = lower($6) THEN 0
             WHEN strpos(lower(f.name_zh), lower($6)) = 1 OR strpos(lower(coalesce(f.name_en, '')), lower($6)) = 1 THEN 1
             WHEN strpos(lower(f.name_zh), lower($6)) > 0 OR strpos(lower(coalesce(f.name_en, '')), lower($6)) > 0 THEN 2
             ELSE 3 END,
        CASE WHEN $9::float8 IS NULL THEN NULL ELSE f.geom <-> ST_SetSRID(ST_MakePoint($9::float8, $10::float8), 4326) END,
        f.id`;

/** `$9, $10` of BY_RELEVANCE: `near`, else the bbox centre, else none. */
function nearOf(s: FacilitySearch): [number | null, number | null] {
  if (s.near) return s.near;
  if (s.bbox) return [(s.bbox[0] + s.bbox[2]) / 2, (s.bbox[1] + s.bbox[3]) / 2];
  return [null, null];
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
      ${s.q ? BY_RELEVANCE : s.bbox ? BY_DISTANCE_TO_CENTRE : 'ORDER BY f.id'}
      LIMIT $8`,
    [...bboxValues(s.bbox), s.categories ?? null, s.q ?? null, s.district ?? null, s.limit + 1, ...(s.q ? nearOf(s) : [])],
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
