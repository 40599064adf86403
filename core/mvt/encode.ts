/**
 * Encode a Mapbox Vector Tile (MVT spec 2.1) of several layers of points, lines and
 * polygons whose geometry is already in tile coordinates (0..extent, y down, may exceed
 * the extent by a buffer).
 *
 * Why our own encoder: PostGIS inside PGlite is compiled without protobuf-c, so neither
 * `ST_AsMVT` nor `ST_AsMVTGeom` exist there. The server runs one bounded query on both
 * databases and, on PGlite, hands the rows (geometry clipped, transformed and snapped
 * to the tile grid in SQL) to this function.
 *
 * Polygons follow the spec's winding rule (§4.3.4.4): an exterior ring has a positive
 * area by the surveyor's formula in tile coordinates (clockwise on screen), interior
 * rings negative; rings are reversed as needed, and rings that collapse to no area
 * after rounding to integers are dropped (with their polygon, for an exterior ring).
 *
 * @example
 * encodeTile([{ name: 'roads', features: [
 *   { id: 1, geometry: { type: 'LineString', coordinates: [[0, 0], [100, 100]] }, properties: { kind: 'path' } } ] }]);
 */
import Pbf from 'pbf';

export type TileValue = string | number | boolean;
type Pos = readonly number[];

export type TileGeometry =
  | { type: 'Point'; coordinates: Pos }
  | { type: 'MultiPoint'; coordinates: readonly Pos[] }
  | { type: 'LineString'; coordinates: readonly Pos[] }
  | { type: 'MultiLineString'; coordinates: readonly (readonly Pos[])[] }
  | { type: 'Polygon'; coordinates: readonly (readonly Pos[])[] }
  | { type: 'MultiPolygon'; coordinates: readonly (readonly (readonly Pos[])[])[] };

export interface TileFeature {
  /** Feature id: non-negative integer. */
  id?: number;
  geometry: TileGeometry;
  /** null/undefined values are left out (as ST_AsMVT does). */
  properties: Record<string, TileValue | null | undefined>;
}

export interface TileLayer {
  name: string;
  /** Tile extent; 4096 as ST_AsMVT's default. */
  extent?: number;
  features: readonly TileFeature[];
}

/** MVT GeomType: 1 point, 2 line string, 3 polygon. */
type GeomType = 1 | 2 | 3;
const GeomType = { Point: 1, LineString: 2, Polygon: 3 } as const;
const command = (id: number, count: number) => (id & 0x7) | (count << 3);
const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

/** Geometry commands of one feature, or null when nothing drawable is left. */
export function geometryCommands(g: TileGeometry): { type: GeomType; commands: number[] } | null {
  const out: number[] = [];
  let cx = 0;
  let cy = 0;
  const moveTo = (p: Pos) => {
    const x = Math.round(p[0]);
    const y = Math.round(p[1]);
    out.push(zigzag(x - cx), zigzag(y - cy));
    cx = x;
    cy = y;
  };
  const dedupe = (pts: readonly Pos[]) => {
    const r: [number, number][] = [];
    for (const p of pts) {
      const x = Math.round(p[0]);
      const y = Math.round(p[1]);
      const last = r[r.length - 1];
      if (!last || last[0] !== x || last[1] !== y) r.push([x, y]);
    }
    return r;
  };
  const line = (pts: readonly Pos[]) => {
    const r = dedupe(pts);
    if (r.length < 2) return false;
    out.push(command(MOVE_TO, 1));
    moveTo(r[0]);
    out.push(command(LINE_TO, r.length - 1));
    for (let i = 1; i < r.length; i++) moveTo(r[i]);
    return true;
  };
  const ring = (pts: readonly Pos[], exterior: boolean) => {
    const r = dedupe(pts);
    if (r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]) r.pop();
    removeSpikes(r);
    if (r.length < 3) return false;
    const a = signedArea(r);
    if (a === 0) return false;
    if (exterior ? a < 0 : a > 0) r.reverse();
    out.push(command(MOVE_TO, 1));
    moveTo(r[0]);
    out.push(command(LINE_TO, r.length - 1));
    for (let i = 1; i < r.length; i++) moveTo(r[i]);
    out.push(command(CLOSE_PATH, 1));
    return true;
  };
  const polygon = (rings: readonly (readonly Pos[])[]) => {
    if (!rings.length || !ring(rings[0], true)) return false;
    for (let i = 1; i < rings.length; i++) ring(rings[i], false);
    return true;
  };

  switch (g.type) {
    case 'Point':
    case 'MultiPoint': {
      const pts = g.type === 'Point' ? [g.coordinates] : g.coordinates;
      if (!pts.length) return null;
      out.push(command(MOVE_TO, pts.length));
      for (const p of pts) moveTo(p);
      return { type: GeomType.Point, commands: out };
    }
    case 'LineString':
      return line(g.coordinates) ? { type: GeomType.LineString, commands: out } : null;
    case 'MultiLineString': {
      let any = false;
      for (const l of g.coordinates) any = line(l) || any;
      return any ? { type: GeomType.LineString, commands: out } : null;
    }
    case 'Polygon':
      return polygon(g.coordinates) ? { type: GeomType.Polygon, commands: out } : null;
    case 'MultiPolygon': {
      let any = false;
      for (const p of g.coordinates) any = polygon(p) || any;
      return any ? { type: GeomType.Polygon, commands: out } : null;
    }
  }
}

/**
 * Remove spikes from an open ring (no closing vertex): a vertex whose neighbours are the
 * same point (A-B-A, left by snapping to the grid) goes, with one of the twin neighbours.
 */
function removeSpikes(r: [number, number][]): void {
  let changed = true;
  while (changed && r.length >= 3) {
    changed = false;
    for (let i = 0; i < r.length && r.length >= 3; i++) {
      const prev = r[(i - 1 + r.length) % r.length];
      const next = r[(i + 1) % r.length];
      if (prev[0] === next[0] && prev[1] === next[1]) {
        // drop the spike tip and the repeated neighbour after it
        const tip = i;
        const twin = (i + 1) % r.length;
        r.splice(Math.max(tip, twin), 1);
        r.splice(Math.min(tip, twin), 1);
        changed = true;
        break;
      }
    }
  }
}

/** Surveyor's formula in tile coordinates (y down): positive = clockwise on screen. */
export function signedArea(ring: readonly Pos[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a / 2;
}

/**
 * Bytes of a tile with the given layers. Layers left with no drawable feature are
 * omitted; a tile with none is empty (zero bytes), as ST_AsMVT gives for no rows.
 */
export function encodeTile(layers: readonly TileLayer[]): Uint8Array {
  const pbf = new Pbf();
  for (const layer of layers) {
    const keys: string[] = [];
    const keyIndex = new Map<string, number>();
    const values: TileValue[] = [];
    const valueIndex = new Map<string, number>();
    const feats: { id?: number; tags: number[]; type: GeomType; commands: number[] }[] = [];
    for (const f of layer.features) {
      const geom = geometryCommands(f.geometry);
      if (!geom) continue;
      const tags: number[] = [];
      for (const [k, v] of Object.entries(f.properties)) {
        if (v === null || v === undefined) continue;
        let ki = keyIndex.get(k);
        if (ki === undefined) {
          ki = keys.push(k) - 1;
          keyIndex.set(k, ki);
        }
        const vk = `${typeof v}:${v}`;
        let vi = valueIndex.get(vk);
        if (vi === undefined) {
          vi = values.push(v) - 1;
          valueIndex.set(vk, vi);
        }
        tags.push(ki, vi);
      }
      feats.push({ id: f.id, tags, ...geom });
    }
    if (!feats.length) continue;
    pbf.writeMessage(
      3,
      (_: unknown, p: Pbf) => {
        p.writeVarintField(15, 2); // version
        p.writeStringField(1, layer.name);
        for (const f of feats) {
          p.writeMessage(
            2,
            (__: unknown, fp: Pbf) => {
              if (f.id !== undefined) fp.writeVarintField(1, f.id);
              if (f.tags.length) fp.writePackedVarint(2, f.tags);
              fp.writeVarintField(3, f.type);
              fp.writePackedVarint(4, f.commands);
            },
            null,
          );
        }
        for (const k of keys) p.writeStringField(3, k);
        for (const v of values) p.writeMessage(4, writeValue, v);
        p.writeVarintField(5, layer.extent ?? 4096);
      },
      null,
    );
  }
  return pbf.finish();
}

function writeValue(v: TileValue, p: Pbf) {
  if (typeof v === 'string') p.writeStringField(1, v);
  else if (typeof v === 'boolean') p.writeBooleanField(7, v);
  else if (Number.isInteger(v)) {
    if (v >= 0)
      p.writeVarintField(5, v); // uint_value
    else p.writeSVarintField(6, v); // sint_value
  } else p.writeDoubleField(3, v);
}
