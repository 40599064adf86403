/**
 * A hand-built town with known answers for the coverage API ("river-with-one-bridge").
 *
 * District A (500103), 0.02° × 0.02°, is cut east–west by a river between two streets:
 *
 * ```
 *   N0 ───────────────────────────── N1 ── N2     north street, lat 29.5506
 *    P2 (800 people, 40 aged 3–5)    │            P3 far east on the north bank
 *  ~~~~~~~~~~~~~~~~ river ~~~~~~~~~~~│~~~~~~~     one bridge, at lng 106.519
 *    K (kindergarten, 90 places)     │
 *   S0 ───────────────────────────── S1 ── S2     south street, lat 29.5490
 *    P1 (1,000 people, 50 aged 3–5)        P4     far east on the south bank
 * ```
 *
 * Population comes from imported `population_cells` (20 m squares) placed well clear of
 * every threshold, so the answers do not depend on where the 100 m grid lines fall:
 * - straight line (300 m): P1 (~60 m from K) and P2 (~135 m, across the water) are covered →
 *   1,800 people, 90 children aged 3–5;
 * - walking: P2 must go round by the bridge (~3 km) → only P1: 1,000 people, 50 children;
 * - so straight lines overstate coverage by 800 people, 40 children;
 * - 2SFCA: K's 90 places over 90 (straight) or 50 (walking) children in reach → 90 places
 *   reach the district's 140 children either way: 642.9 per 1,000.
 *
 * District B (500105), 8 km away, has census figures only (dasymetric population) and no
 * street network. A bbox far from both (on Monaco's coordinates) has a two-edge network and
 * one playground but no population at all.
 */
import type { Db, Queryable } from '../../server/db/adapter';

interface DistrictBox {
  code: string;
  name_zh: string;
  name_en: string;
  box: readonly [number, number, number, number];
}

export const A: DistrictBox = { code: '500103', name_zh: '渝中区', name_en: 'Yuzhong District', box: [106.5, 29.54, 106.52, 29.56] };
export const B: DistrictBox = { code: '500105', name_zh: '江北区', name_en: 'Jiangbei District', box: [106.6, 29.6, 106.62, 29.62] };
/** Outside every district: area-only coverage. */
export const FAR_BBOX = [7.41, 43.72, 7.43, 43.74] as const;

export const SOUTH_LAT = 29.549;
export const NORTH_LAT = 29.5506;
export const BRIDGE_LNG = 106.519;
export const K = { id: 1, lng: 106.505, lat: 29.5492, capacity: 90 };

export const PEOPLE = [
  { id: 'P1', lng: 106.5052, lat: 29.5487, population: 1000, kids: [30, 50, 80, 40] },
  { id: 'P2', lng: 106.505, lat: 29.5504, population: 800, kids: [24, 40, 64, 32] },
  { id: 'P3', lng: 106.512, lat: 29.5515, population: 600, kids: [18, 30, 48, 24] },
  { id: 'P4', lng: 106.514, lat: 29.548, population: 400, kids: [12, 20, 32, 16] },
] as const;

/** Half the side of an imported population cell, degrees (≈ 10 m). */
const HALF = 0.0001;

export async function insertEdge(
  tx: Queryable,
  source: string,
  wayId: number,
  from: number,
  to: number,
  coords: [number, number][],
  extra: { highway?: string; steps?: boolean } = {},
) {
  const wkt = `LINESTRING(${coords.map(([x, y]) => `${x} ${y}`).join(',')})`;
  await tx.query(
    `INSERT INTO network_edges (source, way_id, seq, from_node, to_node, length_m, highway, is_steps, geom)
     VALUES ($1, $2, 0, $3, $4, ST_Length(ST_GeomFromText($5, 4326)::geography), $6, $7, ST_GeomFromText($5, 4326))`,
    [source, wayId, from, to, wkt, extra.highway ?? 'footway', extra.steps ?? false],
  );
}

async function insertDistrict(
  tx: Queryable,
  d: DistrictBox,
  census: { population: number; kids: [number, number, number, number]; urban: number },
) {
  const [w, s, e, n] = d.box;
  await tx.query(
    `INSERT INTO districts (code, name_zh, name_en, population, children_0_2, children_3_5, children_6_11, children_12_14, children_0_14,
                            urban_share, area_km2, label_point, geom, source)
     VALUES ($1, $2, $3, $4::int, $5::int, $6::int, $7::int, $8::int, $5::int + $6::int + $7::int + $8::int, $9::real,
             ST_Area(ST_MakeEnvelope($10, $11, $12, $13, 4326)::geography) / 1e6,
             ST_SetSRID(ST_MakePoint(($10 + $12) / 2, ($11 + $13) / 2), 4326),
             ST_Multi(ST_MakeEnvelope($10, $11, $12, $13, 4326)), 'test')`,
    [d.code, d.name_zh, d.name_en, census.population, ...census.kids, census.urban, w, s, e, n],
  );
}

export async function loadCoverageFixture(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await insertDistrict(tx, A, { population: 588_717, kids: [11_000, 13_847, 30_000, 15_000], urban: 1 });
    await insertDistrict(tx, B, { population: 10_000, kids: [200, 300, 600, 300], urban: 0.9 });
    // the streets of A: ids 1–6 are nodes S0 S1 S2 N0 N1 N2
    const S = [
      [106.5, SOUTH_LAT],
      [BRIDGE_LNG, SOUTH_LAT],
      [106.52, SOUTH_LAT],
    ] as [number, number][];
    const N = [
      [106.5, NORTH_LAT],
      [BRIDGE_LNG, NORTH_LAT],
      [106.52, NORTH_LAT],
    ] as [number, number][];
    await insertEdge(tx, 'test-osm', 101, 1, 2, [S[0], S[1]]);
    await insertEdge(tx, 'test-osm', 102, 2, 3, [S[1], S[2]]);
    await insertEdge(tx, 'test-osm', 103, 4, 5, [N[0], N[1]]);
    await insertEdge(tx, 'test-osm', 104, 5, 6, [N[1], N[2]]);
    await insertEdge(tx, 'test-osm', 105, 2, 5, [S[1], N[1]]); // the bridge
    // the far bbox: two footway edges and a playground
    await insertEdge(tx, 'test-far', 201, 11, 12, [
      [7.415, 43.73],
      [7.42, 43.73],
    ]);
    await insertEdge(tx, 'test-far', 202, 12, 13, [
      [7.42, 43.73],
      [7.425, 43.73],
    ]);
    await tx.query(
      `INSERT INTO facilities (id, category, name_zh, name_en, capacity, source, source_id, geom, district_code)
       VALUES ($1, 'kindergarten', '河南岸幼儿园', 'South Bank Kindergarten', $4, 'test', '1', ST_SetSRID(ST_MakePoint($2, $3), 4326), $5),
              (2, 'playground', '远方游乐场', 'Far Playground', NULL, 'test', '2', ST_SetSRID(ST_MakePoint(7.42, 43.7301), 4326), NULL)`,
      [K.id, K.lng, K.lat, K.capacity, A.code],
    );
    for (const p of PEOPLE) {
      const ring = `POLYGON((${p.lng - HALF} ${p.lat - HALF},${p.lng + HALF} ${p.lat - HALF},${p.lng + HALF} ${p.lat + HALF},${p.lng - HALF} ${p.lat + HALF},${p.lng - HALF} ${p.lat - HALF}))`;
      await tx.query(
        `INSERT INTO population_cells (source, cell_id, district_code, population, children_0_2, children_3_5, children_6_11, children_12_14, method, geom, centroid)
         VALUES ('test-grid', $1, $2, $3, $4, $5, $6, $7, 'hand-built fixture', ST_GeomFromText($8, 4326), ST_SetSRID(ST_MakePoint($9, $10), 4326))`,
        [p.id, A.code, p.population, ...p.kids, ring, p.lng, p.lat],
      );
    }
  });
}

/** A finished import run: what the importer leaves behind, and what the coverage cache watches. */
export async function recordImport(db: Queryable, kind = 'network'): Promise<void> {
  await db.query(`INSERT INTO import_runs (kind, source, status, finished_at) VALUES ($1, 'test', 'done', clock_timestamp())`, [kind]);
}
