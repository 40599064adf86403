/**
 * Encode point features as one Mapbox Vector Tile layer (MVT spec 2.1).
 *
 * Why our own encoder: PostGIS inside PGlite is compiled without protobuf-c, so
 * `ST_AsMVT` is not available there. The server runs the same bounded SQL query on both
 * databases and, on PGlite, hands the rows to this function. Points only — the facility
 * layer has nothing else. A thin front of the general encoder (./encode.ts).
 *
 * @example
 * const bytes = encodePointTile({ name: 'facilities', extent: 4096, features: [
 *   { id: 1, x: 100, y: 200, properties: { category: 'park' } } ] });
 */
import { encodeTile, type TileValue } from './encode';

export type { TileValue };

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

/** Bytes of a tile with one layer of points; an empty layer gives an empty tile. */
export function encodePointTile(layer: PointLayer): Uint8Array {
  return encodeTile([
    {
      name: layer.name,
      extent: layer.extent,
      features: layer.features.map((f) => ({ id: f.id, properties: f.properties, geometry: { type: 'Point', coordinates: [f.x, f.y] } })),
    },
  ]);
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
