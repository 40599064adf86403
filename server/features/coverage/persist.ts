/**
 * Persisted population surfaces (migration 008, issue 13): one row per (district, cell size)
 * with the district's grid records and people, deflated. Coverage reads them instead of
 * cutting the grid and running the dasymetric model per request; a missing or stale row is
 * built and written by the request that needs it, and the nine central districts are built in
 * the background after start ({@link precomputeSurfaces}).
 *
 * Staleness: every import that writes deletes all rows in its transaction
 * (../imports/context.ts), and each row carries `inputs` — the format version and the newest
 * finished import — compared on every read, so a row written by a build that raced an import
 * is never used.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { AGE_GROUPS, type AgeGroup, type GridRecords } from '../../../core/coverage/index';
import type { Db, Queryable } from '../../db/adapter';

/** Bumped when the encoding or the way a surface is built changes: old rows are then rebuilt. */
export const SURFACE_FORMAT = 1;

/** How the people of one district were placed, for the statement in every coverage answer. */
export interface PartMeta {
  method: 'population_cells' | 'census-dasymetric' | 'none';
  /** The district's line of `population.details`. */
  details: string[];
  /** census-dasymetric: walkable network edges near the district (null: no network). */
  edgeCount: number | null;
  /** population_cells: what the spreading left out. */
  imported: { dropped: number; droppedPopulation: number; childrenFromShares: number } | null;
  /** A mixed-resolution part (migration 010): the records kept as squares, the blocks and the people in them. */
  blocks?: { kept: number; blocks: number; population: number };
}

/** One district's grid records and people (the unit that is persisted). */
export interface DistrictPart extends GridRecords {
  code: string;
  cellSizeM: number;
  /** 1: every record a grid square (or its part in the district); > 1: records without people merged into blocks of this many squares a side. */
  blockSquares: number;
  /** The shared projection's centre (core createLocalProjection). */
  lng0: number;
  lat0: number;
  originX: number;
  originY: number;
  cols: number;
  rows: number;
  meta: PartMeta;
}

const F64_ARRAYS = 4 + AGE_GROUPS.length;

/** The part's arrays as one deflated buffer (little-endian; level 1: fast, ~3× smaller). */
export function encodePart(p: DistrictPart): Buffer {
  const n = p.count;
  const buf = Buffer.alloc(n * (8 * F64_ARRAYS + 8));
  let off = 0;
  for (const a of [p.lng, p.lat, p.areaM2, p.population, ...AGE_GROUPS.map((g) => p.children[g])]) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(buf, off);
    off += 8 * n;
  }
  for (const a of [p.col, p.row]) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(buf, off);
    off += 4 * n;
  }
  return deflateSync(buf, { level: 1 });
}

/** Typed arrays back from {@link encodePart}'s buffer (one inflate, then views on aligned copies). */
export function decodeArrays(
  bytes: Uint8Array,
  n: number,
): Pick<DistrictPart, 'lng' | 'lat' | 'areaM2' | 'population' | 'children' | 'col' | 'row'> {
  const raw = inflateSync(bytes);
  if (raw.byteLength !== n * (8 * F64_ARRAYS + 8))
    throw new Error(`population surface: ${raw.byteLength} bytes for ${n} cells, expected ${n * (8 * F64_ARRAYS + 8)}`);
  // an aligned copy: inflate's Buffer may start at any offset
  const own = new ArrayBuffer(raw.byteLength);
  new Uint8Array(own).set(raw);
  const f64 = (k: number) => new Float64Array(own, k * 8 * n, n);
  const children = {} as Record<AgeGroup, Float64Array>;
  AGE_GROUPS.forEach((g, k) => {
    children[g] = f64(4 + k);
  });
  const i32 = (k: number) => new Int32Array(own, F64_ARRAYS * 8 * n + k * 4 * n, n);
  return { lng: f64(0), lat: f64(1), areaM2: f64(2), population: f64(3), children, col: i32(0), row: i32(1) };
}

interface StoredRow {
  district_code: string;
  lng0: number;
  lat0: number;
  origin_x: number;
  origin_y: number;
  cols: number;
  rows: number;
  cell_count: number;
  cells: Uint8Array;
  meta: PartMeta;
}

/** Which stored parts a read wants: those made from `inputs` at `cellSizeM` on the projection centred at (lng0, lat0), uniform (1) or with those blocks. */
export interface SurfaceKey {
  cellSizeM: number;
  inputs: string;
  lng0: number;
  lat0: number;
  blockSquares?: number;
}

/** The rows of `population_surfaces` for `codes` under `key`, with `columns`. */
async function selectSurfaces<R>(db: Queryable, columns: string, codes: readonly string[], key: SurfaceKey): Promise<R[]> {
  const r = await db.query<R>(
    `SELECT ${columns} FROM population_surfaces
      WHERE district_code = ANY($1::text[]) AND cell_size_m = $2 AND inputs = $3 AND lng0 = $4 AND lat0 = $5 AND block_squares = $6`,
    [codes, key.cellSizeM, key.inputs, key.lng0, key.lat0, key.blockSquares ?? 1],
  );
  return r.rows;
}

/** The stored parts of `codes` under `key`; districts without such a row are absent from the map. */
export async function loadParts(db: Queryable, codes: readonly string[], key: SurfaceKey): Promise<Map<string, DistrictPart>> {
  const rows = await selectSurfaces<StoredRow>(
    db,
    'district_code, lng0, lat0, origin_x, origin_y, cols, rows, cell_count, cells, meta',
    codes,
    key,
  );
  const out = new Map<string, DistrictPart>();
  for (const s of rows) {
    out.set(s.district_code, {
      code: s.district_code,
      cellSizeM: key.cellSizeM,
      blockSquares: key.blockSquares ?? 1,
      lng0: s.lng0,
      lat0: s.lat0,
      originX: s.origin_x,
      originY: s.origin_y,
      cols: s.cols,
      rows: s.rows,
      count: s.cell_count,
      meta: typeof s.meta === 'string' ? (JSON.parse(s.meta) as PartMeta) : s.meta,
      ...decodeArrays(s.cells, s.cell_count),
    });
  }
  return out;
}

/** Codes of `codes` with a stored part under `key` (no decoding). */
export async function storedCodes(db: Queryable, codes: readonly string[], key: SurfaceKey): Promise<string[]> {
  const rows = await selectSurfaces<{ code: string }>(db, 'district_code AS code', codes, key);
  return rows.map((x) => x.code);
}

/** Writes (or replaces) a district's part. */
export async function saveParts(db: Queryable, parts: readonly DistrictPart[], inputs: string): Promise<void> {
  for (const p of parts) {
    await db.query(
      `INSERT INTO population_surfaces (district_code, cell_size_m, lng0, lat0, origin_x, origin_y, cols, rows, cell_count, cells, meta, inputs, block_squares)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)
       ON CONFLICT (district_code, cell_size_m, block_squares) DO UPDATE SET
         lng0 = EXCLUDED.lng0, lat0 = EXCLUDED.lat0, origin_x = EXCLUDED.origin_x, origin_y = EXCLUDED.origin_y,
         cols = EXCLUDED.cols, rows = EXCLUDED.rows, cell_count = EXCLUDED.cell_count, cells = EXCLUDED.cells,
         meta = EXCLUDED.meta, inputs = EXCLUDED.inputs, created_at = now()`,
      [
        p.code,
        p.cellSizeM,
        p.lng0,
        p.lat0,
        p.originX,
        p.originY,
        p.cols,
        p.rows,
        p.count,
        encodePart(p),
        JSON.stringify(p.meta),
        inputs,
        p.blockSquares,
      ],
    );
  }
}

/** Deletes every persisted surface and stored coverage answer (an import changed their inputs). */
export async function deleteSurfaces(db: Queryable): Promise<void> {
  await db.query(`DELETE FROM population_surfaces`);
  await db.query(`DELETE FROM coverage_answers`);
}

/** How many (uniform) surfaces are stored at `cellSizeM` (for status and the bench). */
export async function countSurfaces(db: Db, cellSizeM: number): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM population_surfaces WHERE cell_size_m = $1 AND block_squares = 1`,
    [cellSizeM],
  );
  return r.rows[0].n;
}
