/**
 * Elevation rasters (DEMs) for slope-aware walking: the projections a DEM may come in, a
 * bilinear sampler over its grid, and edge profiles sampled every few metres. Pure: the
 * importer (server/features/imports/elevation.ts) reads the GeoTIFF and writes the results.
 *
 * Projections by EPSG code (GeoTIFF `ProjectedCSTypeGeoKey` / `GeographicTypeGeoKey`), as
 * proj4 definitions: WGS 84 (4326), CGCS2000 geographic (4490, read as WGS84: the two differ
 * by centimetres), Web Mercator (3857), WGS 84 / UTM zones north (32601–32660) and south
 * (32701–32760), CGCS2000 / 3-degree Gauss-Krüger CM 75°E–135°E (4534–4554, e.g. 4544 for
 * Chongqing at 105°E).
 *
 * @example
 * projDefinition(32648); // '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs'
 * const ele = sampleLine(coords, 0, 3, 42.0, 15, sampler); // 4 elevations, every 14 m
 */

/** proj4 definition of an EPSG code this importer reads; null for others. */
export function projDefinition(epsg: number): string | null {
  if (epsg === 4326 || epsg === 4490) return '+proj=longlat +datum=WGS84 +no_defs';
  if (epsg === 3857 || epsg === 900913)
    return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
  if (epsg >= 32601 && epsg <= 32660) return `+proj=utm +zone=${epsg - 32600} +datum=WGS84 +units=m +no_defs`;
  if (epsg >= 32701 && epsg <= 32760) return `+proj=utm +zone=${epsg - 32700} +south +datum=WGS84 +units=m +no_defs`;
  if (epsg >= 4534 && epsg <= 4554)
    return `+proj=tmerc +lat_0=0 +lon_0=${75 + 3 * (epsg - 4534)} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs`;
  return null;
}

/** A single-band grid: pixel (col, row) covers x ∈ originX + [col, col+1)·resX, y likewise (resY < 0 for north-up). */
export interface ElevationGrid {
  width: number;
  height: number;
  data: ArrayLike<number>;
  originX: number;
  originY: number;
  resX: number;
  resY: number;
  noData: number | null;
}

/**
 * Bilinear elevation at a WGS84 point, through `forward` ([lng, lat] → grid CRS [x, y]);
 * NaN outside the grid's pixel centres or next to a nodata pixel.
 * @example const at = gridSampler(grid, (p) => proj4(def).forward(p)); at(106.57, 29.56)
 */
export function gridSampler(grid: ElevationGrid, forward: (p: [number, number]) => number[]): (lng: number, lat: number) => number {
  const { width, height, data, originX, originY, resX, resY, noData } = grid;
  const ok = (v: number) => Number.isFinite(v) && (noData === null || v !== noData) && v > -1000 && v < 9000;
  return (lng: number, lat: number) => {
    const [x, y] = forward([lng, lat]);
    const fx = (x - originX) / resX - 0.5;
    const fy = (y - originY) / resY - 0.5;
    if (!(fx >= 0 && fy >= 0 && fx <= width - 1 && fy <= height - 1)) return NaN;
    const c0 = Math.min(width - 2, Math.floor(fx)),
      r0 = Math.min(height - 2, Math.floor(fy));
    if (width === 1 || height === 1) {
      const v = data[Math.round(fy) * width + Math.round(fx)];
      return ok(v) ? v : NaN;
    }
    const tx = fx - c0,
      ty = fy - r0;
    const a = data[r0 * width + c0],
      b = data[r0 * width + c0 + 1],
      c = data[(r0 + 1) * width + c0],
      d = data[(r0 + 1) * width + c0 + 1];
    if (!ok(a) || !ok(b) || !ok(c) || !ok(d)) return NaN;
    return (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
  };
}

const R = 6_371_008.8;
const rad = Math.PI / 180;
function hav(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * rad,
    dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Elevations equally spaced along a polyline (vertices `first … last` of flat [lng, lat, …]),
 * at most `spacingM` apart (at least the two ends); `endsOnly` samples only the two ends
 * (bridges, tunnels). Null when any sample is outside the raster or nodata.
 * @example sampleLine([106.57, 29.56, 106.571, 29.56], 0, 1, 15, at);
 */
export function sampleLine(
  lngLat: ArrayLike<number>,
  first: number,
  last: number,
  spacingM: number,
  at: (lng: number, lat: number) => number,
  endsOnly = false,
): number[] | null {
  const cum: number[] = [0];
  for (let q = first + 1; q <= last; q++)
    cum.push(cum[cum.length - 1] + hav(lngLat[2 * q - 2], lngLat[2 * q - 1], lngLat[2 * q], lngLat[2 * q + 1]));
  const total = cum[cum.length - 1];
  const n = endsOnly || !(total > 0) ? 2 : Math.max(2, Math.ceil(total / spacingM) + 1);
  const out: number[] = [];
  let seg = 0;
  for (let i = 0; i < n; i++) {
    const d = (total * i) / (n - 1);
    while (seg < cum.length - 2 && cum[seg + 1] < d) seg++;
    const q = first + seg;
    const len = cum[seg + 1] - cum[seg];
    const t = len > 0 ? Math.min(1, Math.max(0, (d - cum[seg]) / len)) : 0;
    const lng = lngLat[2 * q] + t * (lngLat[2 * q + 2] - lngLat[2 * q]);
    const lat = lngLat[2 * q + 1] + t * (lngLat[2 * q + 3] - lngLat[2 * q + 1]);
    const v = at(lng, lat);
    if (!Number.isFinite(v)) return null;
    out.push(Math.round(v * 100) / 100);
  }
  return out;
}

/** Climb and descent (m) along a profile, from its first sample to its last. */
export function riseFall(ele: readonly number[]): { riseM: number; fallM: number } {
  let riseM = 0,
    fallM = 0;
  for (let i = 1; i < ele.length; i++) {
    const d = ele[i] - ele[i - 1];
    if (d > 0) riseM += d;
    else fallM -= d;
  }
  return { riseM, fallM };
}

/**
 * Whether a GeoTIFF looks like an elevation raster rather than a population one (used when
 * `--kind` is not given). Elevation when any of: the file name says so (dem, dtm, dsm, srtm,
 * elev, height, aster, alos, copernicus, glo30); GDAL metadata or the band description names
 * elevation/height/altitude or a metre unit; the raster is projected (population rasters are
 * read only in EPSG:4326, WorldPop's CRS); integer samples with nodata −32768 (the SRTM
 * convention). Otherwise population (persons per pixel).
 * @example looksLikeElevation({ fileName: 'n29_e106_1arc_v3.tif', projected: false, sampleFormat: 2, noData: -32768, metadata: '' }); // true
 */
export function looksLikeElevation(f: {
  fileName: string;
  projected: boolean;
  sampleFormat: number;
  noData: number | null;
  metadata: string;
}): boolean {
  if (/(^|[^a-z])(dem|dtm|dsm|srtm|elev|elevation|height|aster|alos|copernicus|glo-?30|nasadem)([^a-z]|$)/i.test(f.fileName)) return true;
  if (/elevation|height|altitude|高程|<UnitType>\s*(m|metre|meter)/i.test(f.metadata)) return true;
  if (f.projected) return true;
  return f.sampleFormat === 2 && f.noData === -32768;
}
