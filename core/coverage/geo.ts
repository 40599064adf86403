/**
 * Small geodesy kit for the coverage engine: one earth radius for distances, and a local
 * equal-area projection for grids, indexes and snapping.
 *
 * - Distances between points are **haversine** on a sphere of the IUGG mean radius
 *   (6,371,008.8 m, the constant Turf uses), so our numbers agree with Turf's; against the
 *   WGS84 ellipsoid this is within 0.5 % anywhere and ~0.1 % at Chongqing's latitude.
 * - Grids and planar work use a **Lambert cylindrical equal-area** projection whose standard
 *   parallel is the data's centre latitude, on a sphere of the local Gaussian radius
 *   √(M·N) of WGS84 at that latitude. Areas are exact on that sphere (error vs the
 *   ellipsoid < 0.01 % within ±1° of the centre); lengths are stretched by
 *   cos φ₀ / cos φ east–west and shrunk by the inverse north–south, i.e. ≤ 0.6 % within
 *   ±0.5° (≈ 55 km) of the centre latitude at 30° N. Grid squares in this projection are
 *   exact lng/lat rectangles (a cylindrical projection maps meridians and parallels to
 *   straight lines), so they round-trip to GeoJSON without approximation.
 *
 * @example
 * const p = createLocalProjection(106.55, 29.56);
 * const [x, y] = project(p, 106.56, 29.57);      // metres east / north of the centre
 * haversineM(106.55, 29.56, 106.56, 29.57);      // ≈ 1,473 m
 */

/** Mean earth radius (IUGG), metres: the radius used for every distance. */
export const EARTH_RADIUS_M = 6_371_008.8;

const DEG = Math.PI / 180;
/** WGS84 semi-major axis and first eccentricity squared. */
const WGS84_A_M = 6_378_137;
const WGS84_E2 = 0.00669437999014;

/**
 * Great-circle distance in metres between two lng/lat points (haversine).
 * @example haversineM(106.55, 29.56, 106.55, 29.561); // ≈ 111.2
 */
export function haversineM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLng = (lng2 - lng1) * DEG;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLng / 2);
  const h = s1 * s1 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * s2 * s2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Parameters of a local Lambert cylindrical equal-area projection (plain numbers, serialisable). */
export interface LocalProjection {
  /** Central meridian, degrees. */
  lng0: number;
  /** Standard parallel, degrees. */
  lat0: number;
  /** Sphere radius used (local Gaussian radius of WGS84 at lat0), metres. */
  radiusM: number;
  /** cos(lat0), cached. */
  cosLat0: number;
  /** sin(lat0), cached. */
  sinLat0: number;
}

/**
 * A local equal-area projection centred on (lng0, lat0).
 * @example const p = createLocalProjection(106.55, 29.56);
 */
export function createLocalProjection(lng0: number, lat0: number): LocalProjection {
  const s = Math.sin(lat0 * DEG);
  const w = 1 - WGS84_E2 * s * s;
  const nM = WGS84_A_M / Math.sqrt(w);
  const mM = (WGS84_A_M * (1 - WGS84_E2)) / (w * Math.sqrt(w));
  return { lng0, lat0, radiusM: Math.sqrt(mM * nM), cosLat0: Math.cos(lat0 * DEG), sinLat0: s };
}

/** Projected x (metres east of lng0). */
export function projectX(p: LocalProjection, lng: number): number {
  return p.radiusM * p.cosLat0 * (lng - p.lng0) * DEG;
}

/** Projected y (metres, equal-area northing relative to lat0). */
export function projectY(p: LocalProjection, lat: number): number {
  return (p.radiusM * (Math.sin(lat * DEG) - p.sinLat0)) / p.cosLat0;
}

/** Inverse of {@link projectX}. */
export function unprojectLng(p: LocalProjection, x: number): number {
  return p.lng0 + x / (p.radiusM * p.cosLat0 * DEG);
}

/** Inverse of {@link projectY}. */
export function unprojectLat(p: LocalProjection, y: number): number {
  const s = (y * p.cosLat0) / p.radiusM + p.sinLat0;
  return Math.asin(Math.max(-1, Math.min(1, s))) / DEG;
}

/** [x, y] of a lng/lat point. */
export function project(p: LocalProjection, lng: number, lat: number): [number, number] {
  return [projectX(p, lng), projectY(p, lat)];
}

/** [lng, lat] of a projected point. */
export function unproject(p: LocalProjection, x: number, y: number): [number, number] {
  return [unprojectLng(p, x), unprojectLat(p, y)];
}

/**
 * Bound on the relative error of planar distances in `p` for points between latitudes
 * `latMin` and `latMax` (degrees), including the small radius difference between the
 * projection sphere and {@link EARTH_RADIUS_M}. Used to make planar nearest-neighbour
 * searches exact under haversine by widening the final candidate radius.
 */
export function planarDistortion(p: LocalProjection, latMin: number, latMax: number): number {
  let worst = 0;
  for (const lat of [latMin, latMax, p.lat0]) {
    const k = p.cosLat0 / Math.cos(lat * DEG);
    worst = Math.max(worst, Math.abs(k - 1), Math.abs(1 / k - 1));
  }
  return worst + Math.abs(p.radiusM / EARTH_RADIUS_M - 1) + 1e-9;
}

/** Centre of the bbox of flat lng/lat pairs, as [lng, lat]; [0, 0] when empty. */
export function bboxCentre(lng: ArrayLike<number>, lat: ArrayLike<number>): [number, number] {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (let i = 0; i < lng.length; i++) {
    if (lng[i] < minX) minX = lng[i];
    if (lng[i] > maxX) maxX = lng[i];
    if (lat[i] < minY) minY = lat[i];
    if (lat[i] > maxY) maxY = lat[i];
  }
  if (minX > maxX) return [0, 0];
  return [(minX + maxX) / 2, (minY + maxY) / 2];
}

/**
 * The closed ring of the rectangle west–east × south–north, counter-clockwise from the
 * south-west corner.
 * @example rectangleRing(106, 29, 107, 30); // [[106, 29], [107, 29], [107, 30], [106, 30], [106, 29]]
 */
export function rectangleRing(w: number, s: number, e: number, n: number): [number, number][] {
  return [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
}
