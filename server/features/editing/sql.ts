/**
 * SQL for facility writes by editors. Every change writes the new row and its history
 * row (who, when, what action, the row as it is after) in one statement inside one
 * transaction, and every update is `WHERE id = $1 AND version = $2`: of two editors
 * who saw the same version, exactly one wins and the other gets a 409.
 */
import type { Queryable } from '../../db/adapter';
import type { Amenities, FacilityStatus, Ownership } from '../../../core/api';
import type { FacilityFields } from '../../../core/import/types';

/** The facility row as history keeps it (same shape as imports write): every column but the geometries, plus lng/lat. */
const HISTORY_DATA = `to_jsonb(f) - 'geom' - 'footprint' || jsonb_build_object('lng', ST_X(f.geom), 'lat', ST_Y(f.geom))`;

/** District by point in polygon; on a shared border the lowest code wins (as the seed does). */
const DISTRICT_OF = (point: string) => `(SELECT d.code FROM districts d WHERE ST_Intersects(d.geom, ${point}) ORDER BY d.code LIMIT 1)`;

/** Everything an editor can set on a facility, plus what a revert restores. */
export interface FacilityState extends FacilityFields {
  category: string;
  status: FacilityStatus;
}

export interface CurrentFacility extends FacilityState {
  id: number;
  version: number;
  source: string;
}

const STATE_COLUMNS = `category, name_zh, name_en, address, opening_hours, capacity, age_min_years, age_max_years,
  ownership, inclusive, amenities, attributes, phone, status, ST_X(geom) AS lng, ST_Y(geom) AS lat`;

/** @param lock `FOR UPDATE`: a concurrent writer waits for this transaction, then sees the new version */
export async function currentFacility(db: Queryable, id: number, lock = false): Promise<CurrentFacility | undefined> {
  const r = await db.query<CurrentFacility>(
    `SELECT id, version, source, ${STATE_COLUMNS} FROM facilities WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

/**
 * Facilities that came from the seed carry version 1 but no history row. Before the
 * first edit, their current version goes into the history (as the import it came from),
 * so that a revert can always go back to it.
 */
export async function ensureBaseline(tx: Queryable, id: number): Promise<void> {
  await tx.query(
    `INSERT INTO facility_history (facility_id, version, changed_at, changed_by, action, data)
     SELECT f.id, f.version, f.updated_at, 'import:' || f.source, 'import', ${HISTORY_DATA}
       FROM facilities f WHERE f.id = $1
     ON CONFLICT (facility_id, version) DO NOTHING`,
    [id],
  );
}

function stateParams(s: FacilityState): unknown[] {
  return [
    s.category,
    s.name_zh,
    s.name_en,
    s.address,
    s.opening_hours,
    s.capacity,
    s.age_min_years,
    s.age_max_years,
    s.ownership,
    s.inclusive,
    JSON.stringify(s.amenities ?? {}),
    JSON.stringify(s.attributes ?? {}),
    s.phone,
    s.status,
    s.lng,
    s.lat,
  ];
}

/** Creates a facility (source `editor`, version 1) with its history row; returns its id. */
export async function insertFacility(tx: Queryable, s: FacilityState, sourceId: string, by: string): Promise<number> {
  const r = await tx.query<{ id: number }>(
    `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($15, $16), 4326) AS g),
     ins AS (
       INSERT INTO facilities AS f (category, name_zh, name_en, address, opening_hours, capacity, age_min_years, age_max_years,
                                    ownership, inclusive, amenities, attributes, phone, status, geom, district_code, source, source_id)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13, $14, p.g, ${DISTRICT_OF('p.g')}, 'editor', $17
         FROM p
       RETURNING f.id, f.version, ${HISTORY_DATA} AS data),
     hist AS (
       INSERT INTO facility_history (facility_id, version, changed_by, action, data)
       SELECT id, version, $18, 'create', data FROM ins)
     SELECT id FROM ins`,
    [...stateParams(s), sourceId, by],
  );
  return r.rows[0].id;
}

export type WriteAction = 'update' | 'retire' | 'revert';

/**
 * Writes the whole state of facility `id` if it is still at `expectedVersion`, as
 * version + 1, with its history row. Returns the new version, or undefined when the
 * facility changed meanwhile (or does not exist): the caller answers 409 (or 404).
 * The district is looked up again only when the point moved.
 */
export async function writeFacility(
  tx: Queryable,
  id: number,
  expectedVersion: number,
  s: FacilityState,
  by: string,
  action: WriteAction,
): Promise<number | undefined> {
  const r = await tx.query<{ version: number }>(
    `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($17, $18), 4326) AS g),
     up AS (
       UPDATE facilities AS f SET
         category = $3, name_zh = $4, name_en = $5, address = $6, opening_hours = $7, capacity = $8,
         age_min_years = $9, age_max_years = $10, ownership = $11, inclusive = $12, amenities = $13::jsonb,
         attributes = $14::jsonb, phone = $15, status = $16,
         retired_at = CASE WHEN $16 = 'retired' THEN COALESCE(f.retired_at, now()) ELSE NULL END,
         district_code = CASE WHEN ST_X(f.geom) = $17 AND ST_Y(f.geom) = $18 THEN f.district_code ELSE ${DISTRICT_OF('p.g')} END,
         geom = p.g,
         version = f.version + 1,
         updated_at = now()
         FROM p
        WHERE f.id = $1 AND f.version = $2
       RETURNING f.id, f.version, ${HISTORY_DATA} AS data),
     hist AS (
       INSERT INTO facility_history (facility_id, version, changed_by, action, data)
       SELECT id, version, $19, $20, data FROM up)
     SELECT version FROM up`,
    [id, expectedVersion, ...stateParams(s), by, action],
  );
  return r.rows[0]?.version;
}

export interface HistoryRow {
  version: number;
  changed_at: string;
  changed_by: string;
  action: 'create' | 'update' | 'retire' | 'revert' | 'import';
  data: Record<string, unknown>;
}

export async function facilityHistory(db: Queryable, id: number, limit: number): Promise<HistoryRow[]> {
  const r = await db.query<HistoryRow>(
    `SELECT version, to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS changed_at, changed_by, action, data
       FROM facility_history WHERE facility_id = $1
      ORDER BY version DESC
      LIMIT $2`,
    [id, limit],
  );
  return r.rows;
}

export async function historyVersion(db: Queryable, id: number, version: number): Promise<HistoryRow | undefined> {
  const r = await db.query<HistoryRow>(
    'SELECT version, changed_at::text AS changed_at, changed_by, action, data FROM facility_history WHERE facility_id = $1 AND version = $2',
    [id, version],
  );
  return r.rows[0];
}

/** The state a history row recorded (what a revert writes back). */
export function stateFromHistory(data: Record<string, unknown>): FacilityState {
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : null);
  const num = (k: string) => (typeof data[k] === 'number' ? (data[k] as number) : null);
  return {
    category: str('category') ?? '',
    name_zh: str('name_zh') ?? '',
    name_en: str('name_en'),
    address: str('address'),
    opening_hours: str('opening_hours'),
    capacity: num('capacity'),
    age_min_years: num('age_min_years'),
    age_max_years: num('age_max_years'),
    ownership: (str('ownership') as Ownership | null) ?? 'unknown',
    inclusive: typeof data.inclusive === 'boolean' ? data.inclusive : null,
    amenities: (data.amenities as Amenities | undefined) ?? {},
    attributes: (data.attributes as Record<string, unknown> | undefined) ?? {},
    phone: str('phone'),
    status: (str('status') as FacilityStatus | null) ?? 'active',
    lng: num('lng') ?? NaN,
    lat: num('lat') ?? NaN,
  };
}
