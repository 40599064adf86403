/**
 * Well-Known Text (OGC 06-103r4 Simple Features §7) for CSV and XLSX cells.
 * Coordinates are written as given (already projected and rounded), x before y.
 *
 * @example
 * toWkt({ type: 'Point', coordinates: [106.55, 29.56] }); // 'POINT (106.55 29.56)'
 */
import type { Geometry, Position } from 'geojson';

const num = (v: number): string => (Object.is(v, -0) ? '0' : String(v));
const pos = (p: Position): string => `${num(p[0])} ${num(p[1])}`;
const ring = (r: readonly Position[]): string => `(${r.map(pos).join(', ')})`;
const poly = (p: readonly Position[][]): string => `(${p.map(ring).join(', ')})`;

export function toWkt(g: Geometry | null): string {
  if (!g) return '';
  switch (g.type) {
    case 'Point':
      return `POINT (${pos(g.coordinates)})`;
    case 'MultiPoint':
      return g.coordinates.length ? `MULTIPOINT (${g.coordinates.map((p) => `(${pos(p)})`).join(', ')})` : 'MULTIPOINT EMPTY';
    case 'LineString':
      return g.coordinates.length ? `LINESTRING ${ring(g.coordinates)}` : 'LINESTRING EMPTY';
    case 'MultiLineString':
      return g.coordinates.length ? `MULTILINESTRING (${g.coordinates.map(ring).join(', ')})` : 'MULTILINESTRING EMPTY';
    case 'Polygon':
      return g.coordinates.length ? `POLYGON ${poly(g.coordinates)}` : 'POLYGON EMPTY';
    case 'MultiPolygon':
      return g.coordinates.length ? `MULTIPOLYGON (${g.coordinates.map(poly).join(', ')})` : 'MULTIPOLYGON EMPTY';
    case 'GeometryCollection':
      return g.geometries.length ? `GEOMETRYCOLLECTION (${g.geometries.map(toWkt).join(', ')})` : 'GEOMETRYCOLLECTION EMPTY';
  }
}
