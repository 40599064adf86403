/**
 * Basemap vector tiles (Protomaps basemap schema v4; docs/basemap.md). Both encoders run
 * the same bounded selection — `geom && envelope` on the GiST index, the zoom rules
 * below, de-duplicated across sources, at most `cap` features per layer ordered by
 * importance so the cap is deterministic — and differ only in the last step:
 *
 * - PostgreSQL with protobuf support: `ST_AsMVTGeom` + `ST_AsMVT` per layer
 *   ({@link basemapTileMvt});
 * - PGlite (no protobuf-c, so neither function exists): the geometry is clipped to the
 *   tile plus buffer (`ST_ClipByBox2D`), moved to tile coordinates by an affine transform
 *   and snapped to the integer grid (`ST_SnapToGrid`) in SQL, and encoded by core/mvt
 *   ({@link basemapTileEncoded}). tests/basemap/api.test.ts decodes both and compares.
 *
 * Generalisation per zoom z (tile extent 4096 units; a "pixel" is 1/256 of a tile, 16 units):
 * - features whose `min_zoom` > z are left out, except in the deepest tile (z16), which
 *   holds everything because MapLibre over-zooms it for z17+ (the style's own min_zoom
 *   filters still apply there);
 * - polygons smaller than 1 pixel (square root of the Mercator area) are left out below z16;
 * - lines and polygons are simplified (Douglas–Peucker, `ST_Simplify` keeping collapsed
 *   features) with a tolerance of 4 units (¼ pixel) below z16 and 1 unit at z16; a closed
 *   line simplified to A-B-A has collapsed and is left out.
 */
import type { Queryable } from '../../db/adapter';
import { toBuffer } from '../../db/adapter';
import { BASEMAP_LAYERS } from '../../../core/osm/basemap';
import { encodeTile, type TileFeature, type TileGeometry } from '../../../core/mvt/encode';

export const BASEMAP_EXTENT = 4096;
/** Units kept beyond each tile edge so lines and labels do not end at the seam (ST_AsMVTGeom's default). */
export const BASEMAP_BUFFER = 64;
/** Deepest zoom served; MapLibre over-zooms its tiles beyond (TileJSON `maxzoom`). */
export const BASEMAP_MAX_ZOOM = 16;
export const BASEMAP_MIN_ZOOM = 0;
/** Web Mercator: the equator's length in metres (EPSG:3857). */
const WORLD_M = 2 * Math.PI * 6378137;

/** Size of one tile unit in Mercator metres at zoom z. */
export function unitM(z: number): number {
  return WORLD_M / 2 ** z / BASEMAP_EXTENT;
}

/** The zoom rules of the module comment, as query parameters. */
export function zoomRules(z: number): { toleranceM: number; minPolygonM: number; everything: boolean } {
  const deepest = z >= BASEMAP_MAX_ZOOM;
  return {
    toleranceM: (deepest ? 1 : 4) * unitM(z),
    minPolygonM: deepest ? 0 : 16 * unitM(z),
    everything: deepest,
  };
}

export interface BasemapTileRequest {
  z: number;
  x: number;
  y: number;
  /** Features per layer. */
  cap: number;
}

/** The selection both encoders share; $1..$3 z/x/y, $4 tolerance, $5 min polygon size, $6 everything, $7 per-layer cap. */
function selection(geomExpr: string): string {
  return `
WITH env AS (
  SELECT e, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => ${BASEMAP_BUFFER / BASEMAP_EXTENT}), 4326) AS b,
         ST_XMin(e) AS minx, ST_YMax(e) AS maxy,
         ${BASEMAP_EXTENT} / (ST_XMax(e) - ST_XMin(e)) AS sx
    FROM ST_TileEnvelope($1, $2, $3) AS e
), cand AS (
  SELECT DISTINCT ON (f.layer, f.osm_type, CASE WHEN f.osm_type = 'extract' THEN f.id ELSE f.osm_id END)
         f.id, f.layer, f.kind, f.kind_detail, f.name, f.name_en, f.min_zoom, f.sort_rank, f.height_m, f.attrs, f.geom
    FROM basemap_features f, env
   WHERE f.geom && env.b
     AND (f.min_zoom <= $1 OR $6::boolean)
     AND (f.size_m IS NULL OR f.size_m >= $5::float8)
   ORDER BY f.layer, f.osm_type, CASE WHEN f.osm_type = 'extract' THEN f.id ELSE f.osm_id END, f.id DESC
   LIMIT $7::int * ${BASEMAP_LAYERS.length}
), land AS (
  -- the districts held are land too (earth), so the city is not drawn as background
  SELECT 1000000000000 + d.code::bigint AS id, 'earth'::text AS layer, 'earth'::text AS kind, NULL::text AS kind_detail,
         NULL::text AS name, NULL::text AS name_en, 0::smallint AS min_zoom, 0 AS sort_rank, NULL::float8 AS height_m,
         '{}'::jsonb AS attrs, d.geom
    FROM districts d, env
   WHERE d.geom && env.b
   ORDER BY d.code
   LIMIT $7
), ranked AS (
  SELECT c.*, row_number() OVER (PARTITION BY c.layer ORDER BY c.min_zoom, c.sort_rank DESC, c.id) AS rn
    FROM (SELECT * FROM cand UNION ALL SELECT * FROM land) c
), rows AS (
  SELECT r.id, r.layer, r.kind, r.kind_detail, r.name, r.name_en, r.min_zoom, r.sort_rank, r.height_m, r.attrs,
         ${geomExpr} AS geom
    FROM ranked r CROSS JOIN env CROSS JOIN LATERAL (SELECT ST_Simplify(ST_Transform(r.geom, 3857), $4::float8, true) AS s) g
   WHERE r.rn <= $7
     -- a closed line (a roundabout, a loop path) simplified to A-B-A has collapsed: left out
     AND NOT (GeometryType(g.s) = 'LINESTRING' AND ST_IsClosed(g.s) AND ST_NPoints(g.s) < 4)
)`;
}

/**
 * ST_AsMVTGeom's steps, in functions PGlite has: lines and polygons whose bounding box is
 * under half a tile unit both ways are dropped (as ST_AsMVTGeom does), the rest clipped to
 * the tile plus buffer, moved to tile coordinates and snapped to the integer grid.
 */
const OUR_GEOM = `CASE WHEN ST_Dimension(g.s) > 0 AND ST_XMax(g.s) - ST_XMin(g.s) < 0.5 / env.sx AND ST_YMax(g.s) - ST_YMin(g.s) < 0.5 / env.sx THEN NULL
  ELSE ST_SnapToGrid(ST_Affine(ST_ClipByBox2D(g.s, ST_Expand(env.e, ${BASEMAP_BUFFER} / env.sx)::box2d),
                     env.sx, 0, 0, -env.sx, -env.minx * env.sx, env.maxy * env.sx), 1) END`;
const MVT_GEOM = `ST_AsMVTGeom(g.s, env.e, ${BASEMAP_EXTENT}, ${BASEMAP_BUFFER}, true)`;

/** Tile properties, named as the Protomaps schema names them; NULLs are left out by both encoders. */
const PROPS = `id, kind, kind_detail, name, name_en AS "name:en", min_zoom, sort_rank, height_m AS height, attrs`;

function params(t: BasemapTileRequest): unknown[] {
  const r = zoomRules(t.z);
  return [t.z, t.x, t.y, r.toleranceM, r.minPolygonM, r.everything, t.cap];
}

/** The tile by ST_AsMVT (real PostGIS), one layer after another in schema order. */
export async function basemapTileMvt(db: Queryable, t: BasemapTileRequest): Promise<Buffer> {
  const layers = BASEMAP_LAYERS.map(
    (l) => `COALESCE((SELECT ST_AsMVT(q, '${l}', ${BASEMAP_EXTENT}, 'geom', 'id') FROM (
        SELECT ${PROPS}, geom FROM rows WHERE layer = '${l}' AND geom IS NOT NULL ORDER BY sort_rank, id) q), ''::bytea)`,
  );
  const r = await db.query<{ mvt: unknown }>(`${selection(MVT_GEOM)} SELECT ${layers.join(' || ')} AS mvt`, params(t));
  return toBuffer(r.rows[0]?.mvt);
}

interface Row {
  id: string | number;
  layer: string;
  kind: string;
  kind_detail: string | null;
  name: string | null;
  name_en: string | null;
  min_zoom: number;
  sort_rank: number;
  height_m: number | null;
  attrs: Record<string, string | number | boolean> | string;
  geojson: string;
}

/** The tile by our encoder (PGlite, or anywhere), from the same selection. */
export async function basemapTileEncoded(db: Queryable, t: BasemapTileRequest): Promise<Buffer> {
  const r = await db.query<Row>(
    `${selection(OUR_GEOM)}
     SELECT id, layer, kind, kind_detail, name, name_en, min_zoom, sort_rank, height_m, attrs, ST_AsGeoJSON(geom, 0) AS geojson
       FROM rows WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
      ORDER BY sort_rank, id`,
    params(t),
  );
  const byLayer = new Map<string, TileFeature[]>(BASEMAP_LAYERS.map((l) => [l, []]));
  for (const row of r.rows) {
    const attrs = typeof row.attrs === 'string' ? JSON.parse(row.attrs) : row.attrs;
    byLayer.get(row.layer)!.push({
      id: Number(row.id),
      geometry: JSON.parse(row.geojson) as TileGeometry,
      properties: {
        kind: row.kind,
        kind_detail: row.kind_detail,
        name: row.name,
        'name:en': row.name_en,
        min_zoom: row.min_zoom,
        sort_rank: row.sort_rank,
        height: row.height_m,
        ...attrs,
      },
    });
  }
  return Buffer.from(encodeTile(BASEMAP_LAYERS.map((name) => ({ name, extent: BASEMAP_EXTENT, features: byLayer.get(name)! }))));
}

/** The data version (bumped by every change of the basemap's inputs) and the extent held. */
export async function basemapState(db: Queryable): Promise<{ version: number; bounds: [number, number, number, number] | null }> {
  const r = await db.query<{ version: string | number; w: number | null; s: number | null; e: number | null; n: number | null }>(
    `SELECT version, ST_XMin(bounds) AS w, ST_YMin(bounds) AS s, ST_XMax(bounds) AS e, ST_YMax(bounds) AS n FROM basemap_state WHERE id = 1`,
  );
  const row = r.rows[0];
  if (!row) return { version: 0, bounds: null };
  const bounds =
    row.w === null || row.s === null || row.e === null || row.n === null
      ? null
      : ([row.w, row.s, row.e, row.n] as [number, number, number, number]);
  return { version: Number(row.version), bounds };
}

/** Extent of the districts held (the TileJSON bounds when no OSM data is), or null. */
export async function districtBounds(db: Queryable): Promise<[number, number, number, number] | null> {
  const r = await db.query<{ w: number | null; s: number | null; e: number | null; n: number | null }>(
    `SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom)::geometry AS x FROM districts) t`,
  );
  const row = r.rows[0];
  return row && row.w !== null && row.s !== null && row.e !== null && row.n !== null ? [row.w, row.s, row.e, row.n] : null;
}
