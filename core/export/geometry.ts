/**
 * Small, pure geometry helpers for writers: project every coordinate, promote single to
 * multi types, bounds, and ring orientation. Inputs are never mutated.
 */
import type { Geometry, Position } from 'geojson';
import type { ExportGeometryType } from './types';
import { ringArea2 } from '../geo';

export type Bounds = [minX: number, minY: number, maxX: number, maxY: number];

/**
 * A copy of `g` with every position passed through `fn`.
 * @example mapPositions({ type: 'Point', coordinates: [1, 2] }, ([x, y]) => [x * 2, y]);
 */
export function mapPositions(g: Geometry, fn: (p: [number, number]) => [number, number]): Geometry {
  const pos = (p: Position): Position => fn([p[0], p[1]]);
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: pos(g.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: g.coordinates.map(pos) } as Geometry;
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: g.coordinates.map((r) => r.map(pos)) } as Geometry;
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.map(pos))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((x) => mapPositions(x, fn)) };
  }
}

/** Every position of `g`, in order. */
export function* positions(g: Geometry): Generator<Position> {
  switch (g.type) {
    case 'Point':
      yield g.coordinates;
      return;
    case 'MultiPoint':
    case 'LineString':
      yield* g.coordinates;
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const r of g.coordinates) yield* r;
      return;
    case 'MultiPolygon':
      for (const p of g.coordinates) for (const r of p) yield* r;
      return;
    case 'GeometryCollection':
      for (const x of g.geometries) yield* positions(x);
  }
}

/** Bounds of `g`, or null when it has no positions. */
export function geometryBounds(g: Geometry): Bounds | null {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const [x, y] of positions(g)) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return minX === Infinity ? null : [minX, minY, maxX, maxY];
}

/** Union of two bounds (either may be null). */
export function unionBounds(a: Bounds | null, b: Bounds | null): Bounds | null {
  if (!a) return b;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/**
 * `g` as the layer's declared type: a Polygon becomes a one-part MultiPolygon when the
 * layer is MultiPolygon (and so on for points and lines). Writers that need one type per
 * layer (GPKG, SHP, FGB) call this; the result shares no arrays it would mutate.
 * @throws Error when `g` cannot be expressed as `target` (an invariant: layers declare their type).
 */
export function promote(g: Geometry, target: ExportGeometryType): Geometry {
  if (g.type === target) return g;
  if (target === 'MultiPolygon' && g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates] };
  if (target === 'MultiLineString' && g.type === 'LineString') return { type: 'MultiLineString', coordinates: [g.coordinates] };
  if (target === 'MultiPoint' && g.type === 'Point') return { type: 'MultiPoint', coordinates: [g.coordinates] };
  throw new Error(`a ${g.type} cannot be written to a ${target} layer`);
}

export { ringArea2 } from '../geo';

/** The ring turning the requested way (a reversed copy when it turns the other way). */
export function orientRing(ring: readonly Position[], clockwise: boolean): Position[] {
  const cw = ringArea2(ring) < 0;
  return cw === clockwise ? ring.slice() : ring.slice().reverse();
}

/** Whether the geometry type is areal, linear or punctual (how styles and KML choose symbols). */
export function geometryFamily(t: ExportGeometryType): 'point' | 'line' | 'polygon' {
  if (t === 'Point' || t === 'MultiPoint') return 'point';
  if (t === 'LineString' || t === 'MultiLineString') return 'line';
  return 'polygon';
}

/**
 * `g` with the ring orientation RFC 7946 §3.1.6 asks of GeoJSON: exterior rings
 * counter-clockwise, holes clockwise. Other geometries are returned as they are.
 */
export function rightHandRule(g: Geometry): Geometry {
  const poly = (rings: Position[][]) => rings.map((r, i) => orientRing(r, i !== 0));
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: poly(g.coordinates) };
  if (g.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: g.coordinates.map(poly) };
  return g;
}
