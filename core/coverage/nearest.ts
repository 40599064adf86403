/**
 * Exact nearest-point search under haversine, on a KDBush index in local planar metres.
 *
 * The kd-tree is searched in the planar projection (fast, pruned), then the answer is made
 * exact under haversine by re-checking every point within the planar best distance widened
 * by the projection's worst distortion over the data (see `planarDistortion` in ./geo.ts):
 * at city scale that widening is < 1 %, so the re-check sees one or two points.
 *
 * @example
 * const idx = buildPointIndex(facilities.lng, facilities.lat);
 * const hit = { index: -1, distanceM: Infinity };
 * nearestPoint(idx, 106.55, 29.56, Infinity, null, hit); // hit.index, hit.distanceM
 */
import KDBush from 'kdbush';
import { bboxCentre, createLocalProjection, haversineM, planarDistortion, projectX, projectY, type LocalProjection } from './geo';

export interface PointIndex {
  count: number;
  lng: Float64Array;
  lat: Float64Array;
  projection: LocalProjection;
  kd: KDBush;
  /** Relative planar-distance error bound over the index's latitude range (plus queries within ±1°). */
  distortion: number;
}

/**
 * A static spatial index of points (copied).
 * @example const idx = buildPointIndex([106.5, 106.6], [29.5, 29.6]);
 */
export function buildPointIndex(lng: ArrayLike<number>, lat: ArrayLike<number>, projection?: LocalProjection): PointIndex {
  const n = lng.length;
  const lngC = Float64Array.from(lng);
  const latC = Float64Array.from(lat);
  const [cx, cy] = bboxCentre(lngC, latC);
  const p = projection ?? createLocalProjection(cx, cy);
  const kd = new KDBush(Math.max(1, n));
  if (n === 0) kd.add(0, 0);
  for (let i = 0; i < n; i++) kd.add(projectX(p, lngC[i]), projectY(p, latC[i]));
  kd.finish();
  let latMin = p.lat0,
    latMax = p.lat0;
  for (let i = 0; i < n; i++) {
    if (latC[i] < latMin) latMin = latC[i];
    if (latC[i] > latMax) latMax = latC[i];
  }
  // queries may come from a little outside the points' range
  return { count: n, lng: lngC, lat: latC, projection: p, kd, distortion: planarDistortion(p, latMin - 1, latMax + 1) };
}

/** Mutable result slot, reused across queries to avoid allocation in hot loops. */
export interface NearestHit {
  index: number;
  distanceM: number;
}

const STACK = new Float64Array(4 * 512);
let candidates = new Uint32Array(64);

/**
 * The nearest indexed point to (lng, lat) within `maxDistanceM` (haversine metres), skipping
 * points whose `skip[i]` is 1. Writes into `out` (index -1 and Infinity when none).
 */
export function nearestPoint(
  idx: PointIndex,
  lng: number,
  lat: number,
  maxDistanceM: number,
  skip: Uint8Array | null,
  out: NearestHit,
): NearestHit {
  out.index = -1;
  out.distanceM = Infinity;
  if (idx.count === 0) return out;
  const qx = projectX(idx.projection, lng);
  const qy = projectY(idx.projection, lat);
  const widen = 1 + idx.distortion;
  const kd = idx.kd;
  const ids = kd.ids;
  const coords = kd.coords;
  const nodeSize = kd.nodeSize;
  const maxPlanar = maxDistanceM * widen;
  let bestD2 = maxPlanar === Infinity ? Infinity : maxPlanar * maxPlanar;
  let found = false;

  // planar nearest: depth-first, nearer half first, halves pruned by their lower bound
  let sp = 0;
  STACK[sp++] = 0;
  STACK[sp++] = ids.length - 1;
  STACK[sp++] = 0;
  STACK[sp++] = 0;
  while (sp > 0) {
    const bound = STACK[--sp];
    const axis = STACK[--sp];
    const right = STACK[--sp];
    const left = STACK[--sp];
    if (bound > bestD2) continue;
    if (right - left <= nodeSize) {
      for (let i = left; i <= right; i++) {
        const id = ids[i];
        if (skip !== null && skip[id] === 1) continue;
        const dx = coords[2 * i] - qx,
          dy = coords[2 * i + 1] - qy;
        const d2 = dx * dx + dy * dy;
        if (d2 <= bestD2) {
          bestD2 = d2;
          found = true;
        }
      }
      continue;
    }
    const m = (left + right) >> 1;
    const x = coords[2 * m],
      y = coords[2 * m + 1];
    const id = ids[m];
    if (skip === null || skip[id] !== 1) {
      const dx = x - qx,
        dy = y - qy;
      const d2 = dx * dx + dy * dy;
      if (d2 <= bestD2) {
        bestD2 = d2;
        found = true;
      }
    }
    const diff = axis === 0 ? qx - x : qy - y;
    const farBound = Math.max(bound, diff * diff);
    const nextAxis = 1 - axis;
    if (diff <= 0) {
      // near = left half
      if (m + 1 <= right) {
        STACK[sp++] = m + 1;
        STACK[sp++] = right;
        STACK[sp++] = nextAxis;
        STACK[sp++] = farBound;
      }
      if (left <= m - 1) {
        STACK[sp++] = left;
        STACK[sp++] = m - 1;
        STACK[sp++] = nextAxis;
        STACK[sp++] = bound;
      }
    } else {
      if (left <= m - 1) {
        STACK[sp++] = left;
        STACK[sp++] = m - 1;
        STACK[sp++] = nextAxis;
        STACK[sp++] = farBound;
      }
      if (m + 1 <= right) {
        STACK[sp++] = m + 1;
        STACK[sp++] = right;
        STACK[sp++] = nextAxis;
        STACK[sp++] = bound;
      }
    }
  }
  if (!found) return out;

  // exact under haversine: every point within the widened planar best distance
  const r = Math.sqrt(bestD2) * widen * widen + 1e-6;
  if (candidates.length < idx.count) candidates = new Uint32Array(Math.max(idx.count, 2 * candidates.length));
  const k = kd.withinInto(qx, qy, r, candidates);
  for (let c = 0; c < k; c++) {
    const j = candidates[c];
    if (skip !== null && skip[j] === 1) continue;
    const d = haversineM(lng, lat, idx.lng[j], idx.lat[j]);
    if (d < out.distanceM || (d === out.distanceM && j < out.index)) {
      out.distanceM = d;
      out.index = j;
    }
  }
  if (out.distanceM > maxDistanceM) {
    out.index = -1;
    out.distanceM = Infinity;
  }
  return out;
}

/**
 * Indices of the points within `radiusM` (haversine) of (lng, lat), unsorted.
 * @example pointsWithin(idx, 106.55, 29.56, 300);
 */
export function pointsWithin(idx: PointIndex, lng: number, lat: number, radiusM: number): number[] {
  if (idx.count === 0) return [];
  const widen = 1 + idx.distortion;
  const qx = projectX(idx.projection, lng);
  const qy = projectY(idx.projection, lat);
  if (candidates.length < idx.count) candidates = new Uint32Array(Math.max(idx.count, 2 * candidates.length));
  const k = idx.kd.withinInto(qx, qy, radiusM * widen + 1e-6, candidates);
  const out: number[] = [];
  for (let c = 0; c < k; c++) {
    const j = candidates[c];
    if (haversineM(lng, lat, idx.lng[j], idx.lat[j]) <= radiusM) out.push(j);
  }
  return out;
}
