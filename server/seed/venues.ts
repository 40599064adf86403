/**
 * Synthetic large public venues for the demo (implementation plan §十八: a mother-and-baby
 * room in every public venue of ≥ 10,000 m² floor area or ≥ 10,000 visitors a day).
 *
 * **Every venue here is made up** (`source = 'demo'`, names end in （示例）): there is no
 * open list of Chongqing's large venues. They are placed on the demo's own synthetic
 * facilities so that they lie inside their district, deterministically (seeded PRNG per
 * district, facilities taken in `source_id` order), a few per district:
 *
 * - up to 2 venues that host a demo mother-and-baby room (a mall, metro station or
 *   hospital), 15–60 m from the room: these have a room;
 * - the district's general hospital (人民医院), 0–40 m from its paediatric department:
 *   it has a room only if a demo room happens to be within 100 m;
 * - the first demo park, with 2,000–20,000 visitors a day: under the §十八 threshold on
 *   some days' counts, so some parks are not "large" at all.
 *
 * Whether a venue has a room is never stored: the indicator computes it (a room within
 * 100 m, or `mother_baby_room_id`).
 *
 * @example
 * await seedDemoVenues(db); // { venues: 152 } on the demo dataset
 */
import type { Db } from '../db/adapter';
import { createRng, seedFromString, type Rng } from '../../core/random';

/** A demo facility a venue can be placed on. */
export interface VenueAnchor {
  source_id: string;
  category: string;
  name_zh: string;
  name_en: string | null;
  district_code: string;
  lng: number;
  lat: number;
  /** attributes.venue of a mother-and-baby room: mall, station, hospital or park. */
  venue: string | null;
}

export interface DemoVenue {
  source: 'demo';
  source_id: string;
  name_zh: string;
  name_en: string;
  kind: 'mall' | 'station' | 'hospital' | 'park';
  floor_area_m2: number | null;
  daily_visitors: number | null;
  point: [number, number];
  attributes: { synthetic: true; placed_on: string };
}

const M_PER_DEG_LAT = 111_320;

/** A point `distM` metres from `[lng, lat]` on a random bearing (local flat-earth offset; metres-scale). */
function offset(rng: Rng, lng: number, lat: number, minM: number, maxM: number): [number, number] {
  const d = rng.uniform(minM, maxM);
  const b = rng.uniform(0, 2 * Math.PI);
  const dLat = (d * Math.cos(b)) / M_PER_DEG_LAT;
  const dLng = (d * Math.sin(b)) / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
  return [Math.round((lng + dLng) * 1e6) / 1e6, Math.round((lat + dLat) * 1e6) / 1e6];
}

const serial = (sourceId: string) => Number(sourceId.slice(sourceId.lastIndexOf('-') + 1));
const bySerial = (a: VenueAnchor, b: VenueAnchor) => serial(a.source_id) - serial(b.source_id) || a.source_id.localeCompare(b.source_id);

const KIND_EN = { mall: 'shopping mall', station: 'metro station', hospital: 'hospital', park: 'park' } as const;

/**
 * The demo venues for these anchors (pure and deterministic: same anchors, same venues,
 * whatever their order). Anchors are not mutated.
 */
export function planDemoVenues(anchors: readonly VenueAnchor[]): DemoVenue[] {
  const byDistrict = new Map<string, VenueAnchor[]>();
  for (const a of anchors) {
    const list = byDistrict.get(a.district_code) ?? [];
    list.push(a);
    byDistrict.set(a.district_code, list);
  }
  const out: DemoVenue[] = [];
  for (const code of [...byDistrict.keys()].sort()) {
    const list = [...byDistrict.get(code)!].sort(bySerial);
    const rng = createRng(seedFromString(`demo-venues:${code}`));
    let n = 0;
    const push = (v: Omit<DemoVenue, 'source' | 'source_id' | 'attributes'>, on: VenueAnchor) => {
      n++;
      out.push({ source: 'demo', source_id: `demo-venue-${code}-${n}`, ...v, attributes: { synthetic: true, placed_on: on.source_id } });
    };

    // 1. venues hosting a room
    const rooms = list
      .filter((a) => a.category === 'mother_baby_room' && (a.venue === 'mall' || a.venue === 'station' || a.venue === 'hospital'))
      .slice(0, 2);
    for (const r of rooms) {
      const kind = r.venue as 'mall' | 'station' | 'hospital';
      const base = r.name_zh.replace(/(\d+号)?母婴室$/, '');
      push(
        {
          name_zh: `${base}（示例）`,
          name_en: `Sample ${KIND_EN[kind]} (${r.name_en?.split(' ')[0] ?? code})`,
          kind,
          floor_area_m2: kind === 'station' ? null : Math.round(rng.uniform(20_000, 120_000) / 100) * 100,
          daily_visitors: Math.round(rng.uniform(kind === 'station' ? 15_000 : 8_000, 80_000) / 100) * 100,
          point: offset(rng, r.lng, r.lat, 15, 60),
        },
        r,
      );
    }

    // 2. the general hospital
    const hospital = list.find((a) => a.category === 'child_health' && a.name_zh.endsWith('人民医院儿科'));
    if (hospital) {
      push(
        {
          name_zh: `${hospital.name_zh.replace(/儿科$/, '')}（示例）`,
          name_en: `Sample general hospital (${hospital.name_en?.split(' ')[0] ?? code})`,
          kind: 'hospital',
          floor_area_m2: Math.round(rng.uniform(20_000, 90_000) / 100) * 100,
          daily_visitors: Math.round(rng.uniform(3_000, 15_000) / 100) * 100,
          point: offset(rng, hospital.lng, hospital.lat, 0, 40),
        },
        hospital,
      );
    }

    // 3. a park, sometimes under the threshold
    const park = list.find((a) => a.category === 'park');
    if (park) {
      push(
        {
          name_zh: `${park.name_zh}（示例）`,
          name_en: `Sample park (${park.name_en?.split(' ')[0] ?? code})`,
          kind: 'park',
          floor_area_m2: null,
          daily_visitors: Math.round(rng.uniform(2_000, 20_000) / 100) * 100,
          point: [park.lng, park.lat],
        },
        park,
      );
    }
  }
  return out;
}

const DEMO_ANCHORS = `
SELECT source_id, category, name_zh, name_en, district_code, ST_X(geom) AS lng, ST_Y(geom) AS lat, attributes->>'venue' AS venue
  FROM facilities
 WHERE source = 'demo' AND status = 'active' AND district_code IS NOT NULL
   AND category IN ('mother_baby_room', 'child_health', 'park')`;

// District by point in polygon, as for facilities (the lowest code wins on a shared border).
const INSERT_VENUES = `
INSERT INTO venues (name_zh, name_en, kind, district_code, floor_area_m2, daily_visitors, attributes, source, source_id, geom)
SELECT r.name_zh, r.name_en, r.kind,
       (SELECT d.code FROM districts d WHERE ST_Intersects(d.geom, p.geom) ORDER BY d.code LIMIT 1),
       r.floor_area_m2, r.daily_visitors, r.attributes, r.source, r.source_id, p.geom
  FROM json_to_recordset($1::json) AS r(
         name_zh text, name_en text, kind text, floor_area_m2 float8, daily_visitors integer,
         attributes jsonb, source text, source_id text, point json)
 CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint((r.point->>0)::float8, (r.point->>1)::float8), 4326) AS geom) AS p
ON CONFLICT (source, source_id) DO NOTHING`;

/**
 * Place the demo venues on the demo facilities already loaded. Idempotent (existing
 * `source_id`s are kept); inserts nothing when there are no demo facilities.
 */
export async function seedDemoVenues(db: Db): Promise<{ venues: number }> {
  const anchors = (await db.query<VenueAnchor>(DEMO_ANCHORS)).rows;
  const venues = planDemoVenues(anchors);
  if (!venues.length) return { venues: 0 };
  const r = await db.transaction((tx) => tx.query(INSERT_VENUES, [JSON.stringify(venues)]));
  await db.exec('ANALYZE venues;');
  return { venues: r.affectedRows ?? venues.length };
}
