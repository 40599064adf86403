/**
 * GDAL as the independent reader of exported files: `ogr2ogr -f GeoJSON /vsistdout/`
 * turns any format it reads into features to compare, `ogrinfo -so` shows the CRS it
 * understood. GDAL comes from Debian's gdal-bin; without it the GDAL checks are skipped
 * locally (reported as skipped) and fail in CI (`CI` set), so a CI machine without GDAL cannot pass silently.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { it } from 'vitest';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';

export const HAS_GDAL = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' }).status === 0;

/**
 * A test that needs GDAL: skipped (reported as skipped, never passed) on a machine without
 * gdal-bin. CI must not skip them: tests/support/required-tools.test.ts fails in CI when GDAL is missing.
 */
export const itWithGdal = it.skipIf(!HAS_GDAL);

/** Every feature GDAL reads from `source` (optionally one layer), as GeoJSON, with extra ogr2ogr options. */
export function ogrFeatures(source: string, opts: { layer?: string; args?: string[] } = {}): FeatureCollection {
  const args = ['-f', 'GeoJSON', '/vsistdout/', source, ...(opts.layer ? [opts.layer] : []), ...(opts.args ?? [])];
  const out = execFileSync('ogr2ogr', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out) as FeatureCollection;
}

/** `ogrinfo -ro -so` text of a source (layer summary, fields, CRS as WKT2). */
export function ogrSummary(source: string, layer?: string, args: string[] = []): string {
  return execFileSync('ogrinfo', ['-ro', '-so', ...args, source, ...(layer ? [layer] : ['-al'])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The EPSG code of the layer's CRS as GDAL identified it (the last ID of the WKT2), or null. */
export function epsgOf(summary: string): number | null {
  const wkt = summary.slice(summary.indexOf('Layer SRS WKT:'));
  const end = wkt.indexOf('Data axis');
  const ids = [...wkt.slice(0, end > 0 ? end : undefined).matchAll(/ID\["EPSG",(\d+)\]\]\s*$/gm)];
  return ids.length ? Number(ids[ids.length - 1][1]) : null;
}

/** The first name in the layer's CRS WKT (e.g. "China Geodetic Coordinate System 2000"). */
export function crsNameOf(summary: string): string | null {
  // a CRS with TOWGS84 is shown as BOUNDCRS[SOURCECRS[GEOGCRS["name"…
  const m = /(?:GEOG|PROJ)CRS\["([^"]+)"/.exec(summary.slice(summary.indexOf('Layer SRS WKT:')));
  return m ? m[1] : null;
}

/** Geodesic distance in metres between two lng/lat points (haversine on the WGS84 mean radius; fine at centimetres). */
export function distanceM(a: Position, b: Position): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

/** Every vertex of a geometry, in order. */
export function vertices(g: Geometry | null): Position[] {
  if (!g) return [];
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    case 'GeometryCollection':
      return g.geometries.flatMap(vertices);
  }
}

/** Vertices sorted by x then y (ring start and orientation differ between formats). */
export function sortedVertices(g: Geometry | null): Position[] {
  return vertices(g)
    .map((p) => [p[0], p[1]])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/**
 * Whether a value GDAL read back stands for `expected` of the given field type: numbers by
 * value, booleans as true/false or 1/0, datetimes as the same instant, null as null or empty.
 */
export function sameValue(expected: unknown, actual: unknown, type: string): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined || actual === '';
  if (type === 'boolean') return [expected, expected ? 1 : 0, expected ? '1' : '0', String(expected)].includes(actual as never);
  if (type === 'integer' || type === 'real')
    return Math.abs(Number(actual) - Number(expected)) <= 1e-9 * Math.max(1, Math.abs(Number(expected)));
  if (type === 'datetime') return Date.parse(String(actual).replace(/\//g, '-').replace(/\+00$/, 'Z')) === Date.parse(String(expected));
  return String(actual) === String(expected);
}

/**
 * Features by the value of a property (`id` by default). GDAL's GeoJSON driver moves a
 * property that repeats the Feature `id` into the Feature id, so `id` falls back to it.
 */
export function byProperty(fc: FeatureCollection, key = 'id'): Map<string, Feature> {
  return new Map(fc.features.map((f) => [String(f.properties?.[key] ?? (key === 'id' ? f.id : undefined)), f]));
}

/** A property of a feature GDAL read, with the same `id` fallback as {@link byProperty}. */
export function prop(f: Feature, key: string): unknown {
  return f.properties?.[key] ?? (key === 'id' ? f.id : undefined);
}
