/**
 * SQL of the coverage feature. Values are bound parameters only; every spatial query is
 * bounded by an indexed `&&` (or the district code index) and a LIMIT, and the callers
 * check the cap (a query returning `cap + 1` rows means "too many").
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { Queryable } from '../../db/adapter';
import type { CategoryId } from '../../../core/catalogue';
import type { DistrictPopulation } from '../imports/sql/districts';

export type Bbox = [number, number, number, number];

/** Most facilities of one category read for one area. */
export const FACILITY_CAP = 100_000;

/** The newest finished import (any kind), as text; null when none. */
export async function latestImportFinished(db: Queryable): Promise<string | null> {
  const r = await db.query<{ t: string | null }>(`SELECT max(finished_at)::text AS t FROM import_runs WHERE status = 'done'`);
  return r.rows[0]?.t ?? null;
}

/** A district's census columns (shared with the population import). */
export interface DistrictRow extends DistrictPopulation {
  name_zh: string;
  name_en: string;
  area_km2: number;
  geometry: Polygon | MultiPolygon;
  bbox: Bbox;
}

export type DistrictFacts = Omit<DistrictRow, 'geometry'>;

/** Districts by code with their bounds, and their full-resolution geometry when `withGeometry`, in code order. */
async function selectDistricts(db: Queryable, codes: readonly string[], withGeometry: boolean): Promise<DistrictFacts[]> {
  const r = await db.query<Omit<DistrictFacts, 'bbox'> & { w: number; s: number; e: number; n: number }>(
    `SELECT code, name_zh, name_en, population, children_0_2, children_3_5, children_6_11, children_12_14, children_0_14,
            urban_share, area_km2,${withGeometry ? ' ST_AsGeoJSON(geom, 7)::json AS geometry,' : ''}
            ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n
       FROM districts WHERE code = ANY($1::text[]) ORDER BY code LIMIT 100`,
    [codes],
  );
  return r.rows.map(({ w, s, e, n, ...d }) => ({
    ...d,
    urban_share: d.urban_share === null ? null : Number(d.urban_share),
    bbox: [w, s, e, n],
  }));
}

/** Districts by code (full-resolution geometry, for the grid), in code order. */
export async function loadDistricts(db: Queryable, codes: readonly string[]): Promise<DistrictRow[]> {
  return (await selectDistricts(db, codes, true)) as DistrictRow[];
}

/** Districts by code without their geometry (names, census, area, bounds), in code order. */
export function loadDistrictFacts(db: Queryable, codes: readonly string[]): Promise<DistrictFacts[]> {
  return selectDistricts(db, codes, false);
}

/**
 * The centre of every district's bounds: where the one grid projection shared by all persisted
 * surfaces is centred (null when there are no districts).
 */
export async function districtsCentre(db: Queryable): Promise<[number, number] | null> {
  const r = await db.query<{ w: number | null; s: number; e: number; n: number }>(
    `SELECT min(ST_XMin(geom)) AS w, min(ST_YMin(geom)) AS s, max(ST_XMax(geom)) AS e, max(ST_YMax(geom)) AS n FROM districts`,
  );
  const b = r.rows[0];
  if (!b || b.w === null) return null;
  // rounded, so that the stored value compares equal after a round trip through the database
  return [Math.round(((b.w + b.e) / 2) * 1e6) / 1e6, Math.round(((b.s + b.n) / 2) * 1e6) / 1e6];
}

/** Every district's code, in code order. */
export async function allDistrictCodes(db: Queryable): Promise<string[]> {
  const r = await db.query<{ code: string }>(`SELECT code FROM districts ORDER BY code LIMIT 1000`);
  return r.rows.map((x) => x.code);
}

/** Codes of the central urban districts (the surfaces built in the background after start). */
export async function centralDistrictCodes(db: Queryable): Promise<string[]> {
  const r = await db.query<{ code: string }>(`SELECT code FROM districts WHERE central_urban ORDER BY code LIMIT 100`);
  return r.rows.map((x) => x.code);
}

/** Codes of the districts a bbox touches (at most the 38 of the table). */
export async function districtsInBbox(db: Queryable, b: Bbox): Promise<string[]> {
  const r = await db.query<{ code: string }>(
    `SELECT code FROM districts
      WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))
      ORDER BY code LIMIT 100`,
    b,
  );
  return r.rows.map((x) => x.code);
}

export interface PopulationSourceRow {
  district_code: string | null;
  source: string;
  method: string;
  n: number;
  population: number;
  last_id: number;
}

/**
 * Imported population sources per district (`codes`) or inside a bbox (by centroid): one row
 * per (district, source, method) with cell count, total and the newest row id.
 */
export async function populationSources(
  db: Queryable,
  area: { codes: readonly string[] } | { bbox: Bbox },
): Promise<PopulationSourceRow[]> {
  if ('codes' in area) {
    const r = await db.query<PopulationSourceRow>(
      `SELECT district_code, source, method, count(*)::int AS n, sum(population)::float8 AS population, max(id) AS last_id
         FROM population_cells WHERE district_code = ANY($1::text[])
        GROUP BY district_code, source, method ORDER BY district_code, source LIMIT 10000`,
      [area.codes],
    );
    return r.rows;
  }
  const r = await db.query<PopulationSourceRow>(
    `SELECT NULL::text AS district_code, source, method, count(*)::int AS n, sum(population)::float8 AS population, max(id) AS last_id
       FROM population_cells WHERE centroid && ST_MakeEnvelope($1, $2, $3, $4, 4326)
      GROUP BY source, method ORDER BY source LIMIT 10000`,
    area.bbox,
  );
  return r.rows;
}

export interface PopulationCellRow {
  district_code: string | null;
  population: number;
  children_0_2: number | null;
  children_3_5: number | null;
  children_6_11: number | null;
  children_12_14: number | null;
  /** Bounds of the cell polygon and its centroid. */
  w: number;
  s: number;
  e: number;
  n: number;
}

const CELL_COLUMNS = `c.district_code, c.population, c.children_0_2, c.children_3_5, c.children_6_11, c.children_12_14,
  ST_XMin(c.geom) AS w, ST_YMin(c.geom) AS s, ST_XMax(c.geom) AS e, ST_YMax(c.geom) AS n`;

/** Cells of the chosen (district, source) pairs; at most `cap + 1` rows. */
export async function populationCellsOfDistricts(
  db: Queryable,
  pairs: { code: string; source: string }[],
  cap: number,
): Promise<PopulationCellRow[]> {
  const r = await db.query<PopulationCellRow>(
    `SELECT ${CELL_COLUMNS}
       FROM population_cells c JOIN unnest($1::text[], $2::text[]) AS p(code, source)
         ON c.district_code = p.code AND c.source = p.source
      LIMIT $3`,
    [pairs.map((p) => p.code), pairs.map((p) => p.source), cap + 1],
  );
  return r.rows;
}

/** Cells of one source whose centroid lies in the bbox; at most `cap + 1` rows. */
export async function populationCellsInBbox(db: Queryable, b: Bbox, source: string, cap: number): Promise<PopulationCellRow[]> {
  const r = await db.query<PopulationCellRow>(
    `SELECT ${CELL_COLUMNS} FROM population_cells c
      WHERE c.centroid && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND c.source = $5
      LIMIT $6`,
    [...b, source, cap + 1],
  );
  return r.rows;
}

export interface FacilityRow {
  id: number;
  name_zh: string;
  name_en: string | null;
  capacity: number | null;
  lng: number;
  lat: number;
}

/**
 * The {@link FacilityRow}s of one category in a bbox, in SQL (the placeholders are the caller's):
 * also read in one query with the answer stamp (./answers.ts).
 */
export const CATEGORY_FACILITIES_SQL = (category: string, w: string, s: string, e: string, n: string, limit: string) =>
  `SELECT f.id, f.name_zh, f.name_en, f.capacity, ST_X(f.geom) AS lng, ST_Y(f.geom) AS lat
     FROM facilities f
    WHERE f.status = 'active' AND f.category = ${category} AND f.geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)
    ORDER BY f.id LIMIT ${limit}`;

/** Active facilities of one category in a bbox (the area widened by the radius); at most `cap + 1`. */
export async function categoryFacilities(db: Queryable, category: CategoryId, b: Bbox, cap: number): Promise<FacilityRow[]> {
  const r = await db.query<FacilityRow>(CATEGORY_FACILITIES_SQL('$1', '$2', '$3', '$4', '$5', '$6'), [category, ...b, cap + 1]);
  return r.rows;
}

/** Positions of active facilities of every kind in a bbox (a settlement signal); at most `cap + 1`. */
export async function allFacilityPoints(db: Queryable, b: Bbox, cap: number): Promise<{ lng: number; lat: number }[]> {
  const r = await db.query<{ lng: number; lat: number }>(
    `SELECT ST_X(geom) AS lng, ST_Y(geom) AS lat FROM facilities
      WHERE status = 'active' AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) LIMIT $5`,
    [...b, cap + 1],
  );
  return r.rows;
}

export interface EdgeRow {
  from_node: number;
  to_node: number;
  length_m: number;
  is_steps: boolean;
  oneway_foot: boolean;
  highway: string;
  sidewalk: string | null;
  /** Elevations equally spaced from → to (migration 007); null = none (flat). */
  ele_profile?: number[] | null;
  wkb: Buffer;
}

/**
 * Walkable-network edges touching a bbox; at most `cap + 1`. One row per OSM way piece even
 * when two imports (say the PBF and the XML of one extract, under two source names) hold it.
 */
export async function networkEdges(db: Queryable, b: Bbox, cap: number): Promise<EdgeRow[]> {
  // One JSON value, not one row per edge: a district's network is thousands of edges, and
  // PGlite turns each result row into an object in JavaScript on the thread that serves
  // requests (measured on 渝中's 5,600 edges: 2–3× the time of the same answer as JSON).
  const r = await db.query<{ j: (Omit<EdgeRow, 'wkb'> & { wkb: string })[] | string | null }>(
    `SELECT json_agg(e) AS j FROM (
       SELECT DISTINCT ON (way_id, seq)
              from_node::float8 AS from_node, to_node::float8 AS to_node, length_m, is_steps, oneway_foot, highway, sidewalk,
              ele_profile, encode(ST_AsBinary(geom), 'hex') AS wkb
         FROM network_edges
        WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
        ORDER BY way_id, seq, source
        LIMIT $5) e`,
    [...b, cap + 1],
  );
  const j = r.rows[0]?.j ?? [];
  const rows = typeof j === 'string' ? (JSON.parse(j) as Exclude<typeof j, string | null>) : j;
  return rows.map((row) => ({ ...row, wkb: Buffer.from(row.wkb, 'hex') }));
}

/** Whether any network edge touches the bbox (cheap: index probe, LIMIT 1). */
export async function hasNetwork(db: Queryable, b: Bbox): Promise<boolean> {
  const r = await db.query(`SELECT 1 FROM network_edges WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) LIMIT 1`, b);
  return r.rows.length > 0;
}

/** Area (km²) and bounds of districts, for the cost estimate of an analysis before it runs. */
export async function districtsExtent(db: Queryable, codes: readonly string[]): Promise<{ areaKm2: number; bbox: Bbox | null }> {
  const r = await db.query<{ a: number | null; w: number | null; s: number | null; e: number | null; n: number | null }>(
    `SELECT sum(area_km2)::float8 AS a, min(ST_XMin(geom)) AS w, min(ST_YMin(geom)) AS s, max(ST_XMax(geom)) AS e, max(ST_YMax(geom)) AS n
       FROM districts WHERE code = ANY($1::text[])`,
    [codes],
  );
  const x = r.rows[0];
  return { areaKm2: x?.a ?? 0, bbox: x && x.w !== null ? [x.w, x.s!, x.e!, x.n!] : null };
}

/** Active facilities of a category in a bbox (index-bounded count, capped at `cap`). */
export async function countCategoryFacilities(db: Queryable, category: CategoryId, b: Bbox, cap: number): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM facilities
       WHERE category = $1 AND status = 'active' AND geom && ST_MakeEnvelope($2, $3, $4, $5, 4326) LIMIT $6) x`,
    [category, b[0], b[1], b[2], b[3], cap],
  );
  return r.rows[0]?.n ?? 0;
}
