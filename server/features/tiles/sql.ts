/**
 * Facility vector tiles. Both paths run the same bounded query — `geom && envelope`
 * on the GiST index, a feature cap, ordered by id so the cap is deterministic — and
 * produce the same tile: ST_AsMVT where PostGIS has protobuf support (a real server),
 * our own encoder (core/mvt) where it does not (PGlite).
 */
import type { Queryable } from '../../db/adapter';
import { toBuffer } from '../../db/adapter';
import type { CategoryId } from '../../../core/catalogue';
import { encodePointTile, mercatorToTilePixels } from '../../../core/mvt/encodePoints';

export const TILE_EXTENT = 4096;
/** Pixels kept beyond each tile edge so icons on the edge are not cut (ST_AsMVTGeom's default). */
export const TILE_BUFFER = 64;
export const LAYER_NAME = 'facilities';
/**
 * From this zoom every facility is its own feature; below it, facilities are thinned: one
 * feature per category per grid cell, carrying `count` (issue 13: tiles stay flat at 10× the
 * facilities, and the map shows how many a marker stands for).
 */
export const FULL_DETAIL_ZOOM = 15;
/** Cells per tile side when thinning: 4096 / 16 = 256 units, 16 px of a 256 px tile (an icon and its gap). */
export const CLUSTER_GRID = 16;

export interface TileRequest {
  z: number;
  x: number;
  y: number;
  categories?: CategoryId[];
  cap: number;
}

const ENVELOPE = `env AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS e,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => ${TILE_BUFFER / TILE_EXTENT}), 4326) AS b)`;

const FILTER = `f.geom && env.b AND f.status = 'active' AND ($4::text[] IS NULL OR f.category = ANY($4::text[]))`;

/**
 * One row per category and grid cell of the tile, read from `facility_clusters` (migration 009):
 * the count of active facilities, their mean position in Web Mercator, and — when alone — the
 * facility's id and names, and its own point. Each facility counts in exactly one cell of each
 * grid zoom, so counts add up across tiles. The cells are kept by triggers on facilities, so
 * the query reads at most CLUSTER_GRID² × categories rows by the (z, tx, ty) index, whatever
 * the number of facilities (issue 13: flat at 10×).
 */
const CLUSTERS = `
  SELECT c.category, c.count, CASE WHEN c.count = 1 THEN f.id END AS id,
         CASE WHEN c.count = 1 THEN f.name_zh END AS name_zh, CASE WHEN c.count = 1 THEN f.name_en END AS name_en,
         CASE WHEN c.count = 1 THEN ST_Transform(f.geom, 3857) ELSE ST_SetSRID(ST_MakePoint(c.sum_mx / c.count, c.sum_my / c.count), 3857) END AS m
    FROM facility_clusters c LEFT JOIN facilities f ON c.count = 1 AND f.id = c.sum_id
   WHERE c.z = $1::int + ${Math.log2(CLUSTER_GRID)} AND c.tx = $2 AND c.ty = $3 AND ($4::text[] IS NULL OR c.category = ANY($4::text[]))
   ORDER BY c.category, c.cy, c.cx`;

/** Clustered tile (z < FULL_DETAIL_ZOOM) by ST_AsMVT. */
async function clusterTileMvt(db: Queryable, t: TileRequest): Promise<Buffer> {
  const r = await db.query<{ mvt: unknown }>(
    `SELECT ST_AsMVT(q, '${LAYER_NAME}', ${TILE_EXTENT}, 'geom', 'id') AS mvt FROM (
       SELECT k.id, k.category, k.name_zh, k.name_en, k.count,
              ST_AsMVTGeom(k.m, ST_TileEnvelope($1, $2, $3), ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
         FROM (${CLUSTERS}) k) q`,
    [t.z, t.x, t.y, t.categories ?? null],
    { prepare: true },
  );
  return toBuffer(r.rows[0]?.mvt);
}

/** Clustered tile (z < FULL_DETAIL_ZOOM) by our encoder. */
async function clusterTileEncoded(db: Queryable, t: TileRequest): Promise<Buffer> {
  const r = await db.query<{
    id: number | null;
    category: string;
    name_zh: string | null;
    name_en: string | null;
    count: number;
    mx: number;
    my: number;
    x0: number;
    y0: number;
    x1: number;
    y1: number;
  }>(
    `SELECT k.id, k.category, k.name_zh, k.name_en, k.count, ST_X(k.m) AS mx, ST_Y(k.m) AS my,
            ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
       FROM (${CLUSTERS}) k, ST_TileEnvelope($1, $2, $3) AS e`,
    [t.z, t.x, t.y, t.categories ?? null],
    { prepare: true },
  );
  const features = r.rows.map((row) => {
    const [x, y] = mercatorToTilePixels(row.mx, row.my, [row.x0, row.y0, row.x1, row.y1], TILE_EXTENT);
    return {
      id: row.id ?? undefined,
      x,
      y,
      properties: { category: row.category, name_zh: row.name_zh, name_en: row.name_en, count: row.count },
    };
  });
  return Buffer.from(encodePointTile({ name: LAYER_NAME, extent: TILE_EXTENT, features }));
}

export async function facilityTileMvt(db: Queryable, t: TileRequest): Promise<Buffer> {
  if (t.z < FULL_DETAIL_ZOOM) return clusterTileMvt(db, t);
  const r = await db.query<{ mvt: unknown }>(
    `WITH ${ENVELOPE}
     SELECT ST_AsMVT(q, '${LAYER_NAME}', ${TILE_EXTENT}, 'geom', 'id') AS mvt FROM (
       SELECT f.id, f.category, f.name_zh, f.name_en,
              ST_AsMVTGeom(ST_Transform(f.geom, 3857), env.e, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
         FROM facilities f, env
        WHERE ${FILTER}
        ORDER BY f.id
        LIMIT $5) q`,
    [t.z, t.x, t.y, t.categories ?? null, t.cap],
  );
  return toBuffer(r.rows[0]?.mvt);
}

interface TileRow {
  id: number;
  category: string;
  name_zh: string;
  name_en: string | null;
  mx: number;
  my: number;
}

export async function facilityTileEncoded(db: Queryable, t: TileRequest): Promise<Buffer> {
  if (t.z < FULL_DETAIL_ZOOM) return clusterTileEncoded(db, t);
  const bounds = await db.query<{ minx: number; miny: number; maxx: number; maxy: number }>(
    `SELECT ST_XMin(e) AS minx, ST_YMin(e) AS miny, ST_XMax(e) AS maxx, ST_YMax(e) AS maxy FROM ST_TileEnvelope($1, $2, $3) AS e`,
    [t.z, t.x, t.y],
  );
  const { minx, miny, maxx, maxy } = bounds.rows[0];
  const r = await db.query<TileRow>(
    `WITH ${ENVELOPE}
     SELECT f.id, f.category, f.name_zh, f.name_en,
            ST_X(ST_Transform(f.geom, 3857)) AS mx, ST_Y(ST_Transform(f.geom, 3857)) AS my
       FROM facilities f, env
      WHERE ${FILTER}
      ORDER BY f.id
      LIMIT $5`,
    [t.z, t.x, t.y, t.categories ?? null, t.cap],
  );
  const features = [];
  for (const row of r.rows) {
    const [px, py] = mercatorToTilePixels(row.mx, row.my, [minx, miny, maxx, maxy], TILE_EXTENT);
    // The same clip as ST_AsMVTGeom(..., buffer, clip => true).
    if (px < -TILE_BUFFER || py < -TILE_BUFFER || px > TILE_EXTENT + TILE_BUFFER || py > TILE_EXTENT + TILE_BUFFER) continue;
    features.push({ id: row.id, x: px, y: py, properties: { category: row.category, name_zh: row.name_zh, name_en: row.name_en } });
  }
  return Buffer.from(encodePointTile({ name: LAYER_NAME, extent: TILE_EXTENT, features }));
}
