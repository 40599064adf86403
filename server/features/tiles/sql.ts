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

export async function facilityTileMvt(db: Queryable, t: TileRequest): Promise<Buffer> {
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
