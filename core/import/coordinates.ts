/**
 * Coordinate checks at the import edge: parse what agencies type into spreadsheets,
 * convert GCJ-02/BD-09 to WGS84 (core/datum.ts), and reject what cannot be right with a
 * reason a clerk can act on — "lng/lat look swapped", "looks like projected metres",
 * "just outside the city: check the datum". Pure functions.
 *
 * The city extent is the districts' bounding box plus {@link EXTENT_MARGIN_DEG}; with no
 * districts loaded it is {@link DEFAULT_EXTENT}, the bounding box of Chongqing
 * municipality (shared/data/boundaries/chongqing_outline_echarts.geojson:
 * 105.29–110.20 E, 28.16–32.20 N), plus the same margin.
 *
 * @example
 * checkLngLat(29.56, 106.55, 'wgs84', extentWithMargin(DEFAULT_EXTENT));
 * // { ok: false, code: 'swapped_coordinates', reason: 'lng/lat look swapped: …' }
 */
import { toWgs84, type Crs } from '../datum';
import { roundCoord } from '../osm/geometry';
import type { RejectionCode } from './types';

/** `[west, south, east, north]` in WGS84 degrees. */
export type Bbox = [number, number, number, number];

/** Chongqing municipality's bounding box (see module comment). */
export const DEFAULT_EXTENT: Bbox = [105.29, 28.16, 110.2, 32.2];

/**
 * Margin added around the extent: 0.1° ≈ 10 km, more than the source boundaries'
 * quantisation (1/1024°) and the GCJ-02 offset (≤ 700 m), less than any plausible typo.
 */
export const EXTENT_MARGIN_DEG = 0.1;

/** Points this close outside the extent are more likely a datum mix-up than a wrong place. */
export const DATUM_HINT_KM = 3;

export function extentWithMargin(b: Bbox, marginDeg = EXTENT_MARGIN_DEG): Bbox {
  return [b[0] - marginDeg, b[1] - marginDeg, b[2] + marginDeg, b[3] + marginDeg];
}

export function inBbox(lng: number, lat: number, b: Bbox): boolean {
  return lng >= b[0] && lng <= b[2] && lat >= b[1] && lat <= b[3];
}

/** The box `gcoord` and core/datum.ts treat as "China" for GCJ-02. */
export const CHINA_BBOX: Bbox = [72.004, 0.8293, 137.8347, 55.8271];

/** Approximate distance in km from a point to a box (0 inside); equirectangular, for messages. */
export function kmOutside(lng: number, lat: number, b: Bbox): number {
  const dx = Math.max(b[0] - lng, 0, lng - b[2]) * 111.32 * Math.cos((lat * Math.PI) / 180);
  const dy = Math.max(b[1] - lat, 0, lat - b[3]) * 110.57;
  return Math.hypot(dx, dy);
}

/**
 * A number from a spreadsheet cell: decimals (also with a full-width comma or 。), or
 * degrees–minutes–seconds such as `106°33'18.5"` / `106度33分18.5秒`, with an optional
 * E/N/W/S or 东经/北纬 marker. Returns null for empty, NaN for unreadable.
 */
export function parseDegrees(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  let s = String(v).trim();
  if (!s) return null;
  s = s.replace(/[，。]/g, (c) => (c === '，' ? ',' : '.')).replace(/^(东经|北纬|E|N)\s*/i, '');
  let sign = 1;
  if (/^(西经|南纬|W|S)\s*/i.test(s) || /\s*[WS]$/i.test(s)) {
    sign = -1;
    s = s.replace(/^(西经|南纬|W|S)\s*/i, '').replace(/\s*[WS]$/i, '');
  }
  s = s.replace(/\s*[EN]$/i, '');
  if (/^[-+]?\d+(\.\d+)?$/.test(s)) return sign * Number(s);
  const dms = s.match(/^([-+]?\d+(?:\.\d+)?)\s*[°度]\s*(?:(\d+(?:\.\d+)?)\s*['′’分])?\s*(?:(\d+(?:\.\d+)?)\s*(?:["″”秒]|''))?$/);
  if (dms) {
    const d = Number(dms[1]);
    const m = Number(dms[2] ?? 0);
    const sec = Number(dms[3] ?? 0);
    if (m >= 60 || sec >= 60) return NaN;
    return sign * (Math.sign(d || 1) * (Math.abs(d) + m / 60 + sec / 3600));
  }
  return NaN;
}

export type CoordinateCheck = { ok: true; lng: number; lat: number } | { ok: false; code: RejectionCode; reason: string };

/**
 * Validate one position given in `crs` and return it in WGS84 (rounded to 1e-7°).
 *
 * @param extent WGS84 box the point must fall in, or null to skip the city check
 *   (OSM extracts of other cities, `--no-extent-check`)
 */
export function checkLngLat(lngIn: number | null, latIn: number | null, crs: Crs, extent: Bbox | null): CoordinateCheck {
  if (lngIn === null || latIn === null) {
    const which = lngIn === null && latIn === null ? 'lng and lat' : lngIn === null ? 'lng' : 'lat';
    return { ok: false, code: 'missing_coordinate', reason: `missing coordinate (${which})` };
  }
  if (Number.isNaN(lngIn) || Number.isNaN(latIn)) {
    return {
      ok: false,
      code: 'bad_coordinate',
      reason: 'coordinate is not a number (expected decimal degrees such as 106.5516 or 106°33′06″)',
    };
  }
  if (Math.abs(lngIn) > 1000 || Math.abs(latIn) > 1000) {
    return {
      ok: false,
      code: 'projected_coordinates',
      reason: `coordinates (${lngIn}, ${latIn}) look like projected metres (e.g. CGCS2000 Gauss–Krüger), not degrees: export longitude/latitude instead`,
    };
  }
  if (lngIn === 0 && latIn === 0) return { ok: false, code: 'bad_coordinate', reason: 'coordinates are 0, 0 (a placeholder, not a place)' };
  if (Math.abs(latIn) > 90 || Math.abs(lngIn) > 180) {
    if (Math.abs(latIn) <= 180 && Math.abs(lngIn) <= 90) {
      return {
        ok: false,
        code: 'swapped_coordinates',
        reason: `lng/lat look swapped: latitude ${latIn} is beyond ±90 but would be a valid longitude; swap the columns or use --map lng=…,lat=…`,
      };
    }
    return {
      ok: false,
      code: 'out_of_range',
      reason: `coordinates out of range (${lngIn}, ${latIn}): longitude must be within ±180, latitude within ±90`,
    };
  }
  const [lng, lat] = toWgs84([lngIn, latIn], crs);
  if (extent && !inBbox(lng, lat, extent)) {
    const [sLng, sLat] = toWgs84([latIn, lngIn], crs);
    if (inBbox(sLng, sLat, extent)) {
      return {
        ok: false,
        code: 'swapped_coordinates',
        reason: `lng/lat look swapped: (${lngIn}, ${latIn}) is outside the city but (${latIn}, ${lngIn}) is inside; swap the columns or use --map lng=…,lat=…`,
      };
    }
    const km = kmOutside(lng, lat, extent);
    const box = extent.map((v) => v.toFixed(2)).join(', ');
    if (km < DATUM_HINT_KM) {
      return {
        ok: false,
        code: 'outside_extent',
        reason: `just outside the city extent [${box}] (${km.toFixed(1)} km): check the datum (--crs wgs84|gcj02|bd09; Amap/Tencent = gcj02, Baidu = bd09)`,
      };
    }
    return {
      ok: false,
      code: 'outside_extent',
      reason: `outside the city extent [${box}] by ${km.toFixed(0)} km (use --no-extent-check for data of another city)`,
    };
  }
  return { ok: true, lng: roundCoord(lng), lat: roundCoord(lat) };
}
