/**
 * Well-Known Binary (OGC 06-103r4 §8, little-endian, 2D) and the GeoPackage geometry
 * blob around it (OGC GeoPackage 1.3, §2.1.3 "GeoPackageBinary": magic `GP`, version 0,
 * flags, srs_id, envelope, then the WKB).
 *
 * @example
 * const blob = gpkgGeometry({ type: 'Point', coordinates: [106.55, 29.56] }, 4326);
 */
import type { Geometry, Position } from 'geojson';
import { geometryBounds } from './geometry';

const WKB_TYPE: Record<Geometry['type'], number> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
};

function byteLength(g: Geometry): number {
  switch (g.type) {
    case 'Point':
      return 5 + 16;
    case 'LineString':
      return 9 + 16 * g.coordinates.length;
    case 'Polygon':
      return 9 + g.coordinates.reduce((s, r) => s + 4 + 16 * r.length, 0);
    case 'MultiPoint':
      return 9 + 21 * g.coordinates.length;
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((s, l) => s + 9 + 16 * l.length, 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((s, p) => s + 9 + p.reduce((t, r) => t + 4 + 16 * r.length, 0), 0);
    case 'GeometryCollection':
      return 9 + g.geometries.reduce((s, x) => s + byteLength(x), 0);
  }
}

class Writer {
  readonly view: DataView;
  o = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(v: number) {
    this.view.setUint8(this.o, v);
    this.o += 1;
  }
  u32(v: number) {
    this.view.setUint32(this.o, v, true);
    this.o += 4;
  }
  i32(v: number) {
    this.view.setInt32(this.o, v, true);
    this.o += 4;
  }
  f64(v: number) {
    this.view.setFloat64(this.o, v, true);
    this.o += 8;
  }
  pos(p: Position) {
    this.f64(p[0]);
    this.f64(p[1]);
  }
  points(ps: readonly Position[]) {
    this.u32(ps.length);
    for (const p of ps) this.pos(p);
  }
  head(t: Geometry['type']) {
    this.u8(1); // little-endian
    this.u32(WKB_TYPE[t]);
  }
  geometry(g: Geometry): void {
    this.head(g.type);
    switch (g.type) {
      case 'Point':
        this.pos(g.coordinates);
        return;
      case 'LineString':
        this.points(g.coordinates);
        return;
      case 'Polygon':
        this.u32(g.coordinates.length);
        for (const r of g.coordinates) this.points(r);
        return;
      case 'MultiPoint':
        this.u32(g.coordinates.length);
        for (const p of g.coordinates) this.geometry({ type: 'Point', coordinates: p });
        return;
      case 'MultiLineString':
        this.u32(g.coordinates.length);
        for (const l of g.coordinates) this.geometry({ type: 'LineString', coordinates: l });
        return;
      case 'MultiPolygon':
        this.u32(g.coordinates.length);
        for (const p of g.coordinates) this.geometry({ type: 'Polygon', coordinates: p });
        return;
      case 'GeometryCollection':
        this.u32(g.geometries.length);
        for (const x of g.geometries) this.geometry(x);
    }
  }
}

/** `g` as little-endian 2D WKB. */
export function toWkb(g: Geometry): Uint8Array {
  const out = new Uint8Array(byteLength(g));
  new Writer(out).geometry(g);
  return out;
}

/**
 * `g` as a GeoPackage geometry blob in `srsId`. Points carry no envelope (their envelope is
 * the point); other geometries carry `[minx, maxx, miny, maxy]` (envelope code 1), which
 * readers use to skip features without parsing them. An empty geometry sets the empty flag.
 */
export function gpkgGeometry(g: Geometry, srsId: number): Uint8Array {
  const wkb = toWkb(g);
  const bounds = g.type === 'Point' ? null : geometryBounds(g);
  const empty = g.type !== 'Point' && !bounds;
  const envelope = bounds ? 1 : 0;
  const header = 8 + (envelope ? 32 : 0);
  const out = new Uint8Array(header + wkb.length);
  const w = new Writer(out);
  w.u8(0x47); // 'G'
  w.u8(0x50); // 'P'
  w.u8(0); // version 1 (0 = version 1 of the blob format)
  // flags: bit 0 = little-endian header, bits 1–3 = envelope code, bit 4 = empty geometry, bit 5 = standard (0)
  w.u8(1 | (envelope << 1) | (empty ? 1 << 4 : 0));
  w.i32(srsId);
  if (bounds) {
    w.f64(bounds[0]);
    w.f64(bounds[2]);
    w.f64(bounds[1]);
    w.f64(bounds[3]);
  }
  out.set(wkb, header);
  return out;
}
