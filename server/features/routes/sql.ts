/**
 * The SQL of the routes feature, in one place: reading the walking network for the routing
 * graph (keyset pages, geometry as WKB), the change fingerprint, schools and their
 * competitors, population cells around a school, and the stored curated routes. Every value
 * is a bound parameter; the one identifier (the child-group column) comes from an allow-list.
 */
import type { LineString } from 'geojson';
import type { Db, Queryable } from '../../db/adapter';
import { toBuffer } from '../../db/adapter';
import { routingEdgeColumns, type NetworkEdgeAttrs, type RoutingNetworkInput } from '../../../core/routing/graph';
import type { Outline } from '../../../core/routing/route';

/** The rings of a footprint (GeoJSON text of a Polygon or MultiPolygon), or null. */
export function outlineOf(footprint: string | null): Outline | null {
  if (!footprint) return null;
  const g = JSON.parse(footprint) as { type: string; coordinates: number[][][] | number[][][][] };
  if (g.type === 'Polygon') return g.coordinates as number[][][];
  if (g.type === 'MultiPolygon') return (g.coordinates as number[][][][]).flat();
  return null;
}

/** Rows per page when reading `network_edges` (bounded memory per round trip). */
export const EDGE_PAGE = 20_000;

interface EdgeRow extends NetworkEdgeAttrs {
  id: number;
  source: string;
  from_node: number;
  to_node: number;
  length_m: number;
  ele_profile: number[] | null;
  wkb: unknown;
}

const EDGE_PAGE_SQL = `
SELECT id, source, from_node::float8 AS from_node, to_node::float8 AS to_node, length_m, highway, name, step_count,
       footway, crossing, sidewalk, lit, oneway_foot,
       NULLIF(jsonb_strip_nulls(jsonb_build_object(
         'crossing:island', tags->>'crossing:island', 'crossing:markings', tags->>'crossing:markings',
         'crossing:signals', tags->>'crossing:signals')), '{}'::jsonb) AS tags,
       ele_profile, ST_AsBinary(geom) AS wkb
  FROM network_edges
 WHERE id > $1
 ORDER BY id
 LIMIT $2`;

/** Reads a 2D WKB LineString (either byte order) into `out` as lng, lat pairs; returns the vertex count. */
export function readWkbLineString(bytes: Buffer, out: number[]): number {
  const le = bytes[0] === 1;
  const u32 = (o: number) => (le ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
  const f64 = (o: number) => (le ? bytes.readDoubleLE(o) : bytes.readDoubleBE(o));
  const type = u32(1) & 0xffff;
  if (type !== 2) throw new Error(`expected a WKB LineString, got type ${type}`);
  const n = u32(5);
  for (let i = 0; i < n; i++) out.push(f64(9 + 16 * i), f64(9 + 16 * i + 8));
  return n;
}

/**
 * The whole walking network as routing input. Node ids are per source in the database;
 * here every (source, id) becomes one number. Node positions are the edges' end vertices.
 */
export async function loadRoutingNetwork(db: Queryable): Promise<RoutingNetworkInput & { sources: number }> {
  const nodeIndex = new Map<string, Map<number, number>>();
  const ids: number[] = [],
    refs: number[] = [],
    lngs: number[] = [],
    lats: number[] = [];
  const nodeOf = (source: string, osmId: number, lng: number, lat: number): number => {
    let m = nodeIndex.get(source);
    if (!m) {
      m = new Map();
      nodeIndex.set(source, m);
    }
    let id = m.get(osmId);
    if (id === undefined) {
      id = ids.length + 1;
      m.set(osmId, id);
      ids.push(id);
      refs.push(osmId);
      lngs.push(lng);
      lats.push(lat);
    }
    return id;
  };
  const { edges: e, push } = routingEdgeColumns();
  const offsets: number[] = [0];
  const coords: number[] = [];
  const eleOffsets: number[] = [0];
  const eleValues: number[] = [];
  let after = 0;
  for (;;) {
    const page = await db.query<EdgeRow>(EDGE_PAGE_SQL, [after, EDGE_PAGE]);
    for (const r of page.rows) {
      const start = coords.length;
      const n = readWkbLineString(toBuffer(r.wkb), coords);
      if (n < 2) {
        coords.length = start;
        continue;
      }
      const from = nodeOf(r.source, r.from_node, coords[start], coords[start + 1]);
      push(r.id, from, nodeOf(r.source, r.to_node, coords[coords.length - 2], coords[coords.length - 1]), r.length_m, r);
      offsets.push(coords.length / 2);
      if (r.ele_profile && r.ele_profile.length >= 2) for (const v of r.ele_profile) eleValues.push(Number(v));
      eleOffsets.push(eleValues.length);
    }
    if (page.rows.length < EDGE_PAGE) break;
    after = page.rows[page.rows.length - 1].id;
  }
  // tags of crossing nodes (the importer keeps tags only on those)
  const nodeTags = new Map<number, Record<string, string>>();
  const tagged = await db.query<{ source: string; id: number; tags: Record<string, string> }>(
    `SELECT source, id::float8 AS id, tags FROM network_nodes WHERE tags <> '{}'::jsonb`,
  );
  for (const r of tagged.rows) {
    const id = nodeIndex.get(r.source)?.get(r.id);
    if (id !== undefined) nodeTags.set(id, r.tags);
  }
  return {
    nodes: { id: ids, lng: lngs, lat: lats, ref: refs },
    nodeTags,
    edges: {
      ...e,
      geometry: { offsets, lngLat: coords },
      ...(eleValues.length ? { elevation: { offsets: eleOffsets, values: eleValues } } : {}),
    },
    sources: nodeIndex.size,
  };
}

/**
 * What changes when the network does: imports (every network write goes through one, and
 * is recorded in `import_runs`) and edges added directly. Cheap: index-only max and a small table.
 */
export async function networkFingerprint(db: Queryable): Promise<string> {
  const r = await db.query<{ e: number; runs: number }>(
    `SELECT COALESCE((SELECT max(id) FROM network_edges), 0)::float8 AS e,
            (SELECT count(*) FROM import_runs WHERE status = 'done')::float8 AS runs`,
  );
  return `${r.rows[0].e}:${r.rows[0].runs}`;
}

export interface SchoolRow {
  id: number;
  category: string;
  name_zh: string;
  name_en: string | null;
  status: string;
  lng: number;
  lat: number;
  /** The grounds' outline as GeoJSON (Polygon/MultiPolygon), when known. */
  footprint: string | null;
}

export async function getSchool(db: Queryable, id: number): Promise<SchoolRow | null> {
  const r = await db.query<SchoolRow>(
    `SELECT id, category, name_zh, name_en, status, ST_X(geom) AS lng, ST_Y(geom) AS lat,
            CASE WHEN GeometryType(footprint) IN ('POLYGON', 'MULTIPOLYGON') THEN ST_AsGeoJSON(footprint, 7) END AS footprint
       FROM facilities WHERE id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}

/** Active facilities of `category` within `radiusM` of a point, except `exceptId` (bounded). */
export async function schoolsNear(
  db: Queryable,
  category: string,
  lng: number,
  lat: number,
  radiusM: number,
  exceptId: number,
): Promise<{ lng: number; lat: number }[]> {
  const r = await db.query<{ lng: number; lat: number }>(
    `SELECT ST_X(geom) AS lng, ST_Y(geom) AS lat FROM facilities
      WHERE category = $1 AND status = 'active' AND id <> $5
        AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326)::geography, $4::float8)
      LIMIT 1000`,
    [category, lng, lat, radiusM, exceptId],
  );
  return r.rows;
}

/** The child-group columns a school's demand can come from (an allow-list: never a request value). */
export const CHILD_COLUMNS = { children_6_11: 'children_6_11', children_12_14: 'children_12_14' } as const;
export type ChildColumn = keyof typeof CHILD_COLUMNS;

export interface CellRow {
  source: string;
  lng: number;
  lat: number;
  children: number;
}

/** Population cells whose centroid is within `radiusM` of a point, with the given child group (bounded). */
export async function cellsNear(
  db: Queryable,
  column: ChildColumn,
  lng: number,
  lat: number,
  radiusM: number,
  limit = 50_000,
): Promise<CellRow[]> {
  const col = CHILD_COLUMNS[column];
  const dLat = radiusM / 110_000;
  const dLng = radiusM / (110_000 * Math.max(0.1, Math.cos((lat * Math.PI) / 180)));
  const r = await db.query<CellRow>(
    `SELECT source, ST_X(centroid) AS lng, ST_Y(centroid) AS lat, ${col} AS children
       FROM population_cells
      WHERE centroid && ST_MakeEnvelope($1::float8 - $5::float8, $2::float8 - $6::float8, $1::float8 + $5::float8, $2::float8 + $6::float8, 4326)
        AND ST_DWithin(centroid::geography, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)::geography, $3::float8)
        AND ${col} IS NOT NULL
      LIMIT $4::int`,
    [lng, lat, radiusM, limit, dLng, dLat],
  );
  return r.rows;
}

// ---------- stored routes ----------

export interface StoredRouteRow {
  id: number;
  school_id: number | null;
  school_name_zh: string | null;
  school_name_en: string | null;
  name_zh: string;
  name_en: string | null;
  kind: 'computed' | 'drawn';
  profile: string | null;
  status: 'draft' | 'published' | 'retired';
  length_m: number;
  walk_minutes: number | null;
  safety_score: number | null;
  facts: Record<string, unknown>;
  notes: string | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
  geometry: string;
}

const ROUTE_COLUMNS = `r.id, r.school_id, f.name_zh AS school_name_zh, f.name_en AS school_name_en, r.name_zh, r.name_en, r.kind,
  r.profile, r.status, r.length_m, r.walk_minutes, r.safety_score, r.facts, r.notes, r.created_by, r.updated_by,
  r.created_at::text AS created_at, r.updated_at::text AS updated_at, ST_AsGeoJSON(r.geom, 7) AS geometry`;

export interface NewRoute {
  school_id: number | null;
  name_zh: string;
  name_en: string | null;
  kind: 'computed' | 'drawn';
  profile: string | null;
  status: 'draft' | 'published';
  length_m: number;
  walk_minutes: number | null;
  safety_score: number | null;
  facts: Record<string, unknown>;
  notes: string | null;
  geometry: LineString;
}

export async function insertRoute(db: Queryable, r: NewRoute, by: string): Promise<StoredRouteRow> {
  const ins = await db.query<{ id: number }>(
    `INSERT INTO routes (school_id, name_zh, name_en, kind, profile, status, length_m, walk_minutes, safety_score, facts, notes, created_by, updated_by, geom)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $12, ST_SetSRID(ST_GeomFromGeoJSON($13), 4326))
     RETURNING id`,
    [
      r.school_id,
      r.name_zh,
      r.name_en,
      r.kind,
      r.profile,
      r.status,
      r.length_m,
      r.walk_minutes,
      r.safety_score,
      JSON.stringify(r.facts),
      r.notes,
      by,
      JSON.stringify(r.geometry),
    ],
  );
  return (await getRoute(db, ins.rows[0].id))!;
}

export async function getRoute(db: Queryable, id: number): Promise<StoredRouteRow | null> {
  const r = await db.query<StoredRouteRow>(
    `SELECT ${ROUTE_COLUMNS} FROM routes r LEFT JOIN facilities f ON f.id = r.school_id WHERE r.id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}

export interface RouteSearch {
  bbox?: [number, number, number, number];
  schoolId?: number;
  statuses: readonly string[];
  limit: number;
}

/** Stored routes by bbox (indexed `&&`) and/or school, newest first; one more than `limit` to tell truncation. */
export async function searchRoutes(db: Queryable, q: RouteSearch): Promise<StoredRouteRow[]> {
  const where: string[] = ['r.status = ANY($1::text[])'];
  const params: unknown[] = [q.statuses];
  if (q.bbox) {
    params.push(q.bbox[0], q.bbox[1], q.bbox[2], q.bbox[3]);
    where.push(
      `r.geom && ST_MakeEnvelope($${params.length - 3}::float8, $${params.length - 2}::float8, $${params.length - 1}::float8, $${params.length}::float8, 4326)`,
    );
  }
  if (q.schoolId !== undefined) {
    params.push(q.schoolId);
    where.push(`r.school_id = $${params.length}`);
  }
  params.push(q.limit + 1);
  const r = await db.query<StoredRouteRow>(
    `SELECT ${ROUTE_COLUMNS} FROM routes r LEFT JOIN facilities f ON f.id = r.school_id
      WHERE ${where.join(' AND ')} ORDER BY r.id DESC LIMIT $${params.length}`,
    params,
  );
  return r.rows;
}

export interface RouteChanges {
  name_zh?: string;
  name_en?: string | null;
  status?: 'draft' | 'published' | 'retired';
  notes?: string | null;
}

export async function updateRoute(db: Queryable, id: number, c: RouteChanges, by: string): Promise<StoredRouteRow | null> {
  const r = await db.query<{ id: number }>(
    `UPDATE routes SET
       name_zh = COALESCE($2, name_zh),
       name_en = CASE WHEN $3::boolean THEN $4 ELSE name_en END,
       status = COALESCE($5, status),
       notes = CASE WHEN $6::boolean THEN $7 ELSE notes END,
       updated_by = $8, updated_at = now()
     WHERE id = $1 RETURNING id`,
    [id, c.name_zh ?? null, c.name_en !== undefined, c.name_en ?? null, c.status ?? null, c.notes !== undefined, c.notes ?? null, by],
  );
  return r.rows.length ? getRoute(db, id) : null;
}

export async function deleteRoute(db: Db, id: number): Promise<boolean> {
  const r = await db.query<{ id: number }>(`DELETE FROM routes WHERE id = $1 RETURNING id`, [id]);
  return r.rows.length > 0;
}

/** A stored route as a GeoJSON Feature. */
export function routeFeature(r: StoredRouteRow) {
  const { geometry, ...props } = r;
  return { type: 'Feature' as const, id: r.id, properties: props, geometry: JSON.parse(geometry) as LineString };
}
