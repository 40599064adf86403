/**
 * Small, dependency-free geometry for the importers: geodesic length, point-in-polygon
 * and a point guaranteed to lie on a polygon's surface. Coordinates are `[lng, lat]` in
 * WGS84 degrees (DESIGN.md "WGS84 inside"); polygons are GeoJSON-style arrays of rings.
 *
 * @example
 * haversineM(106.55, 29.56, 106.56, 29.56); // ≈ 967 m
 * pointOnSurface([[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]); // [2, 2]
 */

import { bboxOfCoords, haversineM, pointInRings, ringArea2 } from '../geo';

// The geometry kit lives in core/geo; these names stay importable from here for the importers.
export { bboxOfCoords, EARTH_RADIUS_M, haversineM, pointInRings } from '../geo';

/**
 * Length in metres of a line given as flat `[lng0, lat0, lng1, lat1, …]` coordinates
 * (the layout the network builder keeps in typed arrays).
 */
export function lineLengthM(flat: ArrayLike<number>): number {
  let total = 0;
  for (let i = 2; i + 1 < flat.length; i += 2) total += haversineM(flat[i - 2], flat[i - 1], flat[i], flat[i + 1]);
  return total;
}

/**
 * Round a coordinate to 1e-7° (≈ 1 cm), the precision OpenStreetMap stores. Importers
 * round before writing so that re-importing the same file yields byte-identical
 * geometries and counts as "unchanged".
 */
export function roundCoord(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

export type Position = [number, number];
export type Ring = Position[];
/** Rings of one polygon: the first is the outer ring, the rest are holes. */
export type PolygonCoords = Ring[];

/** Planar signed area of a ring in square degrees; only used to compare rings. */
export function ringAreaDeg2(ring: readonly (readonly number[])[]): number {
  return ringArea2(ring) / 2;
}

/** Whether a point is inside any polygon of a MultiPolygon's coordinates. */
export function pointInMultiPolygon(lng: number, lat: number, polygons: readonly PolygonCoords[]): boolean {
  for (const p of polygons) if (pointInRings(lng, lat, p)) return true;
  return false;
}

/**
 * A point inside a polygon (or the largest polygon of a MultiPolygon), for the facility
 * marker of an area. The centroid is not enough: an L-shaped school ground or a park
 * wrapped around a lake has its centroid outside. Like PostGIS `ST_PointOnSurface`, a
 * horizontal line through the middle of the bounding box is cut by every ring (holes
 * included) and the midpoint of the widest inside interval is taken — deterministic, so
 * re-imports place the marker identically.
 *
 * @param polygons one polygon's rings, or several polygons (MultiPolygon coordinates)
 * @returns `[lng, lat]`, or the first vertex for degenerate input (zero area)
 */
export function pointOnSurface(polygons: PolygonCoords | PolygonCoords[]): Position {
  const polys: PolygonCoords[] = isMulti(polygons) ? polygons : [polygons];
  let best: PolygonCoords | undefined;
  let bestArea = -1;
  for (const p of polys) {
    if (!p.length || p[0].length < 3) continue;
    const a = Math.abs(ringAreaDeg2(p[0]));
    if (a > bestArea) {
      bestArea = a;
      best = p;
    }
  }
  if (!best) {
    const first = polys[0]?.[0]?.[0];
    return first ? [first[0], first[1]] : [NaN, NaN];
  }
  const [, south, , north] = bboxOfCoords(best[0]);
  const y = (south + north) / 2;
  const xs: number[] = [];
  for (const ring of best) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[j];
      const [x2, y2] = ring[i];
      // half-open rule: a vertex exactly on the line is counted once
      if (y1 > y !== y2 > y) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  xs.sort((a, b) => a - b);
  let bestWidth = -1;
  let x = best[0][0][0];
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const w = xs[i + 1] - xs[i];
    if (w > bestWidth) {
      bestWidth = w;
      x = (xs[i] + xs[i + 1]) / 2;
    }
  }
  return bestWidth < 0 ? [best[0][0][0], best[0][0][1]] : [x, y];
}

function isMulti(p: PolygonCoords | PolygonCoords[]): p is PolygonCoords[] {
  // MultiPolygon coordinates nest one level deeper: p[0][0][0] is a position
  return Array.isArray(p[0]?.[0]?.[0]);
}

/** Arithmetic mean of points (fallback marker for outlines cut by the extract's edge). */
export function meanPoint(points: readonly (readonly number[])[]): Position {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}
