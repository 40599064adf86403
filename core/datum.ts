/**
 * Datum conversion at the edges: everything inside the atlas is WGS84 `[lng, lat]`;
 * Chinese web-map coordinates (GCJ-02 "Mars" coordinates used by AMap/Tencent and by
 * legacy ECharts maps, BD-09 used by Baidu) are converted here on the way in and out
 * (DESIGN.md "WGS84 inside; GCJ-02, BD-09, CGCS2000 … only at the edges").
 *
 * The GCJ-02 obfuscation is not a published datum but a deterministic offset of a few
 * hundred metres; the conversion is delegated to `gcoord` (MIT, hujiulong/gcoord), whose
 * GCJ-02 → WGS84 direction is iterative, so a round trip comes back within centimetres.
 *
 * Like every GCJ-02 implementation, `gcoord` decides "inside China" with a bounding box
 * (72.004–137.8347 E, 0.8293–55.8271 N): points outside it are returned unchanged (for
 * BD-09 too, see {@link inChinaBox}), but
 * points inside the box and outside China (Seoul, Hanoi) are shifted too. That is harmless
 * for a Chongqing atlas and is stated so no one relies on it elsewhere.
 *
 * @example
 * toWgs84([106.55, 29.56], 'gcj02'); // ≈ [106.54627, 29.56284], about 480 m south-west
 */
import gcoord from 'gcoord';

/**
 * Coordinate reference systems the atlas accepts at its edges.
 * - `wgs84`: GPS, OpenStreetMap, GeoJSON (RFC 7946).
 * - `gcj02`: the mandated offset datum of Chinese web maps (AMap, Tencent, legacy ECharts).
 * - `bd09`: Baidu's further offset of GCJ-02.
 * - `cgcs2000`: China Geodetic Coordinate System 2000, the national datum of official maps.
 *   It is an ITRF97-based geocentric frame whose realisation differs from WGS84 (G1762) by
 *   a few centimetres, far below our data's accuracy, so it is treated as identical.
 */
export type Crs = 'wgs84' | 'gcj02' | 'bd09' | 'cgcs2000';

export const CRS_IDS: readonly Crs[] = ['wgs84', 'gcj02', 'bd09', 'cgcs2000'];

export type LngLat = [number, number];

function gcoordCrs(crs: Exclude<Crs, 'wgs84' | 'cgcs2000'>) {
  return crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
}

/**
 * The box `gcoord` uses for GCJ-02. `gcoord` gates only GCJ-02 with it and applies Baidu's
 * BD-09 ↔ GCJ-02 step everywhere; we gate BD-09 too, because Baidu serves coordinates
 * outside China in WGS84, and so that every datum leaves foreign points unchanged.
 */
function inChinaBox([lng, lat]: readonly [number, number]): boolean {
  return lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/**
 * Convert a `[lng, lat]` from `crs` to WGS84. Returns a new array; the input is not touched.
 * CGCS2000 and WGS84 are returned as-is (centimetre-level difference, see {@link Crs}).
 *
 * @example
 * toWgs84([116.404, 39.915], 'bd09');
 */
export function toWgs84(lngLat: readonly [number, number], crs: Crs): LngLat {
  const p: LngLat = [lngLat[0], lngLat[1]];
  if (crs === 'wgs84' || crs === 'cgcs2000' || !inChinaBox(p)) return p;
  const out = gcoord.transform(p, gcoordCrs(crs), gcoord.WGS84);
  return [out[0], out[1]];
}

/**
 * Convert a WGS84 `[lng, lat]` to `crs` (for exports and links to Chinese web maps).
 * Returns a new array; the input is not touched.
 *
 * @example
 * fromWgs84([116.404, 39.915], 'gcj02'); // ≈ [116.410244, 39.916404]
 */
export function fromWgs84(lngLat: readonly [number, number], crs: Crs): LngLat {
  const p: LngLat = [lngLat[0], lngLat[1]];
  if (crs === 'wgs84' || crs === 'cgcs2000' || !inChinaBox(p)) return p;
  const out = gcoord.transform(p, gcoord.WGS84, gcoordCrs(crs));
  return [out[0], out[1]];
}
