/**
 * Encode point features as one Mapbox Vector Tile layer (MVT spec 2.1).
 *
 * Why our own encoder: PostGIS inside PGlite is compiled without protobuf-c, so
 * `ST_AsMVT` is not available there. The server runs the same bounded SQL query on both
 * databases and, on PGlite, hands the rows to this function. Points only — the facility
 * layer has nothing else.
 *
 * @example
 * const bytes = encodePointTile({ name: 'facilities', extent: 4096, features: [
 *   { id: 1, x: 100, y: 200, properties: { category: 'park' } } ] });
 */
import Pbf from 'pbf';

export type TileValue = string | number | boolean;

export interface TilePoint {
  /** Feature id: non-negative integer. */
  id?: number;
  /** Position in tile pixels, 0..extent (may exceed it by the buffer). */
  x: number;
  y: number;
  properties: Record<string, TileValue | null | undefined>;
}

export interface PointLayer {
  name: string;
  /** Tile extent in pixels; 4096 as ST_AsMVT's default. */
  extent?: number;
  features: readonly TilePoint[];
}

// MVT geometry command: MoveTo with a count of 1, i.e. (1 & 0x7) | (1 << 3).
const MOVE_TO_ONE = 9;
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

/** Bytes of a tile with one layer of points; an empty layer gives an empty tile. */
export function encodePointTile(layer: PointLayer): Uint8Array {
  if (layer.features.length === 0) return new Uint8Array(0);
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const values: TileValue[] = [];
  const valueIndex = new Map<string, number>();
  const feats = layer.features.map((f) => {
    const tags: number[] = [];
    for (const [k, v] of Object.entries(f.properties)) {
      if (v === null || v === undefined) continue;
      let ki = keyIndex.get(k);
      if (ki === undefined) {
        ki = keys.push(k) - 1;
        keyIndex.set(k, ki);
      }
      const vk = `${typeof v}:${v}`;
      let vi = valueIndex.get(vk);
      if (vi === undefined) {
        vi = values.push(v) - 1;
        valueIndex.set(vk, vi);
      }
      tags.push(ki, vi);
    }
    return { id: f.id, tags, geometry: [MOVE_TO_ONE, zigzag(Math.round(f.x)), zigzag(Math.round(f.y))] };
  });

  const pbf = new Pbf();
  pbf.writeMessage(3, (_: unknown, p: Pbf) => {
    p.writeVarintField(15, 2); // version
    p.writeStringField(1, layer.name);
    for (const f of feats) {
      p.writeMessage(2, (__: unknown, fp: Pbf) => {
        if (f.id !== undefined) fp.writeVarintField(1, f.id);
        if (f.tags.length) fp.writePackedVarint(2, f.tags);
        fp.writeVarintField(3, 1); // GeomType.POINT
        fp.writePackedVarint(4, f.geometry);
      }, null);
    }
    for (const k of keys) p.writeStringField(3, k);
    for (const v of values) p.writeMessage(4, writeValue, v);
    p.writeVarintField(5, layer.extent ?? 4096);
  }, null);
  return pbf.finish();
}

function writeValue(v: TileValue, p: Pbf) {
  if (typeof v === 'string') p.writeStringField(1, v);
  else if (typeof v === 'boolean') p.writeBooleanField(7, v);
  else if (Number.isInteger(v)) {
    if (v >= 0) p.writeVarintField(5, v); // uint_value
    else p.writeSVarintField(6, v); // sint_value
  } else p.writeDoubleField(3, v);
}

/**
 * Web Mercator metres → tile pixels for tile bounds `[minX, minY, maxX, maxY]` (EPSG:3857).
 * y grows downwards in tile space.
 */
export function mercatorToTilePixels(
  x: number,
  y: number,
  bounds: readonly [number, number, number, number],
  extent = 4096,
): [number, number] {
  const [minX, minY, maxX, maxY] = bounds;
  return [((x - minX) / (maxX - minX)) * extent, ((maxY - y) / (maxY - minY)) * extent];
}
