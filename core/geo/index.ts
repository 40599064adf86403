/**
 * The planar geometry kit: the one point-in-polygon, ring area and bbox of the code base
 * (great-circle distance and projections stay in core/coverage/geo.ts, re-exported here so
 * one import serves both). Pure functions on plain coordinate arrays; inputs are never mutated.
 *
 * @example
 * pointInRings(0.5, 0.5, [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]); // true
 * ringArea2([[0, 0], [1, 0], [1, 1], [0, 1]]);                       // 2 (counter-clockwise)
 */
export { EARTH_RADIUS_M, haversineM } from '../coverage/geo';

/** Even–odd point-in-polygon over every ring (holes and multi-part outlines work unchanged). */
export function pointInRings(lng: number, lat: number, rings: readonly (readonly (readonly number[])[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const xi = ring[i][0];
      const yi = ring[i][1];
      const xj = ring[j][0];
      const yj = ring[j][1];
      if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * Twice the signed planar area of a ring (shoelace), > 0 counter-clockwise with y up. Closed
 * (last = first) and open rings give the same value.
 */
export function ringArea2(ring: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return s;
}

/** An empty `[west, south, east, north]` (Infinity, Infinity, −Infinity, −Infinity): {@link extendBbox} grows it. */
export function emptyBbox(): [number, number, number, number] {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

/**
 * Grows bbox `b` in place to hold the point (x, y) — the one deliberate mutation of the kit,
 * for accumulating an extent over a stream. Still empty (`!Number.isFinite(b[0])`) until a point is added.
 */
export function extendBbox(b: [number, number, number, number], x: number, y: number): void {
  if (x < b[0]) b[0] = x;
  if (y < b[1]) b[1] = y;
  if (x > b[2]) b[2] = x;
  if (y > b[3]) b[3] = y;
}

/** `[west, south, east, north]` of any nested coordinate array. */
export function bboxOfCoords(coords: unknown): [number, number, number, number] {
  const b = emptyBbox();
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      extendBbox(b, c[0] as number, c[1] as number);
      return;
    }
    for (const e of c) walk(e);
  };
  walk(coords);
  return b;
}
