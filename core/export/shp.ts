/**
 * ESRI shapefile main file (`.shp`) and index (`.shx`) records, after the ESRI Shapefile
 * Technical Description (July 1998): big-endian file and record headers, little-endian
 * contents, lengths in 16-bit words. Polygon rings follow ESRI's rule — outer rings
 * clockwise, holes counter-clockwise — whatever the input's orientation (GeoJSON RFC 7946
 * is the opposite), so ArcGIS does not read holes as islands.
 *
 * @example
 * const { content, bounds } = shpRecordContent({ type: 'Point', coordinates: [1, 2] }, 'Point');
 */
import type { Geometry, Position } from 'geojson';
import { geometryBounds, orientRing, type Bounds } from './geometry';
import type { ExportGeometryType } from './types';

export const SHP_HEADER_BYTES = 100;
export const SHP_RECORD_HEADER_BYTES = 8;

export const SHAPE_TYPE = { Null: 0, Point: 1, PolyLine: 3, Polygon: 5, MultiPoint: 8 } as const;

/** The shapefile shape type for a layer geometry type (one type per file). */
export function shapeTypeOf(t: ExportGeometryType): number {
  switch (t) {
    case 'Point':
      return SHAPE_TYPE.Point;
    case 'MultiPoint':
      return SHAPE_TYPE.MultiPoint;
    case 'LineString':
    case 'MultiLineString':
      return SHAPE_TYPE.PolyLine;
    case 'Polygon':
    case 'MultiPolygon':
      return SHAPE_TYPE.Polygon;
  }
}

/** The parts (rings or lines) of a geometry as a shapefile stores them. */
function partsOf(g: Geometry): Position[][] {
  switch (g.type) {
    case 'LineString':
      return [g.coordinates];
    case 'MultiLineString':
      return g.coordinates;
    case 'Polygon':
      return g.coordinates.map((r, i) => orientRing(r, i === 0));
    case 'MultiPolygon':
      return g.coordinates.flatMap((p) => p.map((r, i) => orientRing(r, i === 0)));
    default:
      throw new Error(`not a line or polygon: ${g.type}`);
  }
}

/**
 * The content of one record (shape type and geometry, little-endian) and its bounds.
 * `null` geometry gives a Null shape.
 */
export function shpRecordContent(g: Geometry | null, layerType: ExportGeometryType): { content: Uint8Array; bounds: Bounds | null } {
  const type = shapeTypeOf(layerType);
  if (!g) {
    const content = new Uint8Array(4); // shape type 0
    return { content, bounds: null };
  }
  const bounds = geometryBounds(g);
  if (!bounds) return { content: new Uint8Array(4), bounds: null };
  if (type === SHAPE_TYPE.Point) {
    if (g.type !== 'Point') throw new Error(`not a point: ${g.type}`);
    const out = new Uint8Array(20);
    const v = new DataView(out.buffer);
    v.setInt32(0, type, true);
    v.setFloat64(4, g.coordinates[0], true);
    v.setFloat64(12, g.coordinates[1], true);
    return { content: out, bounds };
  }
  if (type === SHAPE_TYPE.MultiPoint) {
    const pts = g.type === 'Point' ? [g.coordinates] : g.type === 'MultiPoint' ? g.coordinates : null;
    if (!pts) throw new Error(`not a multipoint: ${g.type}`);
    const out = new Uint8Array(40 + 16 * pts.length);
    const v = new DataView(out.buffer);
    v.setInt32(0, type, true);
    box(v, 4, bounds);
    v.setInt32(36, pts.length, true);
    pts.forEach((p, i) => {
      v.setFloat64(40 + 16 * i, p[0], true);
      v.setFloat64(48 + 16 * i, p[1], true);
    });
    return { content: out, bounds };
  }
  const parts = partsOf(g);
  const nPoints = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(44 + 4 * parts.length + 16 * nPoints);
  const v = new DataView(out.buffer);
  v.setInt32(0, type, true);
  box(v, 4, bounds);
  v.setInt32(36, parts.length, true);
  v.setInt32(40, nPoints, true);
  let o = 44;
  let start = 0;
  for (const p of parts) {
    v.setInt32(o, start, true);
    o += 4;
    start += p.length;
  }
  for (const p of parts) {
    for (const q of p) {
      v.setFloat64(o, q[0], true);
      v.setFloat64(o + 8, q[1], true);
      o += 16;
    }
  }
  return { content: out, bounds };
}

function box(v: DataView, o: number, b: Bounds) {
  v.setFloat64(o, b[0], true);
  v.setFloat64(o + 8, b[1], true);
  v.setFloat64(o + 16, b[2], true);
  v.setFloat64(o + 24, b[3], true);
}

/** The 100-byte header shared by `.shp` and `.shx`; `fileBytes` is the whole file's length. */
export function shpHeader(shapeType: number, fileBytes: number, bounds: Bounds | null): Uint8Array {
  const out = new Uint8Array(SHP_HEADER_BYTES);
  const v = new DataView(out.buffer);
  v.setInt32(0, 9994, false);
  v.setInt32(24, fileBytes / 2, false);
  v.setInt32(28, 1000, true);
  v.setInt32(32, shapeType, true);
  box(v, 36, bounds ?? [0, 0, 0, 0]);
  return out;
}

/** The 8-byte record header of `.shp` (1-based number, content length in words). */
export function shpRecordHeader(recordNumber: number, contentBytes: number): Uint8Array {
  const out = new Uint8Array(SHP_RECORD_HEADER_BYTES);
  const v = new DataView(out.buffer);
  v.setInt32(0, recordNumber, false);
  v.setInt32(4, contentBytes / 2, false);
  return out;
}

/** One `.shx` entry: offset of the record in the `.shp` and its content length, both in words. */
export function shxRecord(offsetBytes: number, contentBytes: number): Uint8Array {
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setInt32(0, offsetBytes / 2, false);
  v.setInt32(4, contentBytes / 2, false);
  return out;
}
