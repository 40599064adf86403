/**
 * The SQL of the indicators feature: the facts the formulas read (core/indicators) and
 * the snapshot table. Every value is a bound parameter. The reads are city-wide by
 * nature (an indicator for every district and the city), so they are bounded by the
 * size of the registers (38 districts, 1,031 streets, facilities of 4 categories, large
 * venues), not by a bbox; the venue-to-room test is an indexed ST_DWithin on geography.
 */
import type { Queryable } from '../../db/adapter';
import {
  LARGE_VENUE_DAILY_VISITORS,
  LARGE_VENUE_FLOOR_AREA_M2,
  type CommunityFact,
  type DistrictFact,
  type FacilityFact,
  type IndicatorInputs,
  type LargeVenueFact,
  type StreetFact,
} from '../../../core/indicators';
import { STATION_STREET_MATCH } from '../../seed/streets';

/** A mother-and-baby room this close to a venue's point counts as the venue's room (§十八). */
export const ROOM_RADIUS_M = 100;

/** Categories whose rows the formulas read one by one (the others only as counts). */
const FACT_CATEGORIES = ['nursery', 'kindergarten', 'special_school', 'child_health'];

const DISTRICTS = `
SELECT code, name_zh, name_en, population, children_0_2, children_3_5, children_0_14
  FROM districts ORDER BY code`;

const FACILITY_FACTS = `
SELECT category, district_code, name_zh, capacity, ownership, inclusive,
       attributes->'guidance_centre' AS guidance_centre,
       attributes->'kind' AS kind,
       attributes->'paediatricians' AS paediatricians
  FROM facilities
 WHERE status = 'active' AND category = ANY($1::text[])`;

const CATEGORY_COUNTS = `
SELECT category, count(*)::int AS n FROM facilities WHERE status = 'active' GROUP BY category`;

/** A jsonb attribute as a number, or NULL when it is absent or not a number. */
const num = (key: string) => `CASE WHEN jsonb_typeof(f.attributes->'${key}') = 'number' THEN (f.attributes->>'${key}')::float8 END`;

/**
 * Large venues (§十八): rows of `venues`, plus facilities of other categories that record
 * their floor area or visitors; each with whether an active room is linked or within
 * ROOM_RADIUS_M. `$4` optionally restricts to one district.
 */
export const LARGE_VENUES = `
WITH large AS (
  SELECT 'venue'::text AS kind, v.id, v.name_zh, v.name_en, v.kind AS venue_kind, v.district_code,
         v.floor_area_m2, v.daily_visitors::float8 AS daily_visitors, v.geom, v.mother_baby_room_id
    FROM venues v
   WHERE v.status = 'active' AND (v.floor_area_m2 >= $1 OR v.daily_visitors >= $2)
  UNION ALL
  SELECT 'facility'::text, f.id, f.name_zh, f.name_en, f.category, f.district_code,
         ${num('floor_area_m2')}, ${num('daily_visitors')}, f.geom, NULL::integer
    FROM facilities f
   WHERE f.status = 'active' AND f.category <> 'mother_baby_room'
     AND (${num('floor_area_m2')} >= $1 OR ${num('daily_visitors')} >= $2)
)
SELECT l.kind, l.id, l.name_zh, l.name_en, l.venue_kind, l.district_code, l.floor_area_m2, l.daily_visitors,
       ST_X(l.geom) AS lng, ST_Y(l.geom) AS lat,
       (EXISTS (SELECT 1 FROM facilities m
                 WHERE m.id = l.mother_baby_room_id AND m.category = 'mother_baby_room' AND m.status = 'active')
        OR EXISTS (SELECT 1 FROM facilities m
                    WHERE m.category = 'mother_baby_room' AND m.status = 'active'
                      AND ST_DWithin(m.geom::geography, l.geom::geography, $3))) AS has_room
  FROM large l
 WHERE $4::text IS NULL OR l.district_code = $4
 ORDER BY l.district_code, l.kind, l.id`;

const VENUE_RECORDS = `
SELECT (SELECT count(*) FROM venues WHERE status = 'active')::int
     + (SELECT count(*) FROM facilities
         WHERE status = 'active' AND (attributes ? 'floor_area_m2' OR attributes ? 'daily_visitors'))::int AS n`;

// A station counts for the street in its street_code, else the street its name points to
// (server/seed/streets.ts). COALESCE evaluates the name match only when street_code is null.
const STREETS = `
WITH served AS (
  SELECT DISTINCT COALESCE(f.street_code, (${STATION_STREET_MATCH})) AS street_code
    FROM facilities f
   WHERE f.category = 'protection_station' AND f.status = 'active'
)
SELECT s.code, s.name_zh, s.district_code,
       EXISTS (SELECT 1 FROM served WHERE served.street_code = s.code) AS has_station
  FROM streets s
 ORDER BY s.district_code, s.code`;

const COMMUNITIES = `
SELECT district_code, count(*)::int AS total, count(*) FILTER (WHERE child_friendly)::int AS child_friendly
  FROM communities GROUP BY district_code`;

interface LargeVenueRow {
  kind: 'venue' | 'facility';
  id: number;
  name_zh: string;
  name_en: string | null;
  venue_kind: string;
  district_code: string | null;
  floor_area_m2: number | null;
  daily_visitors: number | null;
  lng: number;
  lat: number;
  has_room: boolean;
}

export async function largeVenueRows(db: Queryable, district: string | null = null): Promise<LargeVenueRow[]> {
  return (await db.query<LargeVenueRow>(LARGE_VENUES, [LARGE_VENUE_FLOOR_AREA_M2, LARGE_VENUE_DAILY_VISITORS, ROOM_RADIUS_M, district]))
    .rows;
}

/** Everything `aggregateIndicatorInputs` needs, read in one consistent pass. */
export async function loadIndicatorInputs(db: Queryable): Promise<IndicatorInputs> {
  const districts = (await db.query<DistrictFact>(DISTRICTS)).rows;
  const facilities = (await db.query<FacilityFact>(FACILITY_FACTS, [FACT_CATEGORIES])).rows;
  const counts = (await db.query<{ category: string; n: number }>(CATEGORY_COUNTS)).rows;
  const venues = await largeVenueRows(db);
  const venueRecords = (await db.query<{ n: number }>(VENUE_RECORDS)).rows[0].n;
  const streets = (await db.query<StreetFact>(STREETS)).rows;
  const communities = (await db.query<CommunityFact>(COMMUNITIES)).rows;
  const largeVenues: LargeVenueFact[] = venues.map((v) => ({
    kind: v.kind,
    id: v.id,
    name: { zh: v.name_zh, en: v.name_en ?? v.name_zh },
    venueKind: v.venue_kind,
    point: [v.lng, v.lat],
    hasMotherBabyRoom: v.has_room,
    district_code: v.district_code,
  }));
  return {
    districts,
    facilities,
    largeVenues,
    streets,
    communities,
    categoryCounts: Object.fromEntries(counts.map((c) => [c.category, c.n])),
    venueRecords,
  };
}

// ---------------------------------------------------------------------------------------
// Snapshots

/**
 * The next free moment: now (to the millisecond, what JavaScript dates keep), or 1 ms
 * after the latest snapshot when that is later, so that snapshots taken in quick
 * succession never collide and never go back in time. Served by the unique index, whose
 * first column is taken_at.
 */
export const NEXT_SNAPSHOT_TIME = `
SELECT GREATEST(date_trunc('milliseconds', now()),
                COALESCE((SELECT max(taken_at) FROM indicator_snapshots) + interval '1 millisecond', '-infinity'::timestamptz)) AS t`;

export const INSERT_SNAPSHOT = `
INSERT INTO indicator_snapshots (taken_at, district_code, indicator, value, target, status, numerator, denominator,
                                 shortfall, note, reason, import_run_id, created_by)
SELECT $1::timestamptz, r.district_code, r.indicator, r.value, r.target, r.status, r.numerator, r.denominator,
       r.shortfall, r.note, $2, $3, $4
  FROM json_to_recordset($5::json) AS r(district_code text, indicator text, value float8, target float8, status text,
                                        numerator float8, denominator float8, shortfall jsonb, note jsonb)`;

/** The latest `$2` snapshot moments of one district (or the city), oldest first; `$3` optionally one indicator. */
export const SNAPSHOT_TREND = `
WITH moments AS (
  SELECT DISTINCT taken_at FROM indicator_snapshots WHERE district_code = $1 ORDER BY taken_at DESC LIMIT $2
)
SELECT s.taken_at, s.reason, s.indicator, s.value, s.target, s.status, s.numerator, s.denominator
  FROM indicator_snapshots s JOIN moments m ON m.taken_at = s.taken_at
 WHERE s.district_code = $1 AND ($3::text IS NULL OR s.indicator = $3)
 ORDER BY s.taken_at, s.id`;

export interface SnapshotRow {
  taken_at: Date | string;
  reason: string;
  indicator: string;
  value: number | null;
  target: number | null;
  status: string;
  numerator: number | null;
  denominator: number | null;
}
