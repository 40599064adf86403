/**
 * A regular population grid over a set of polygons (districts), in metres.
 *
 * Squares of `cellSizeM` are laid on a local equal-area projection (see ./geo.ts) and
 * every square is cut exactly by every polygon it touches: a square on a district border
 * gives one record per district with the area of its part, so areas add up to the
 * polygons' areas (to float precision) and nothing is counted twice. The cut is computed
 * with the exact signed-area accumulation scan converter used by font rasterisers
 * (Raph Levien's font-rs; FreeType's "cells" are the same idea): one pass over the
 * polygon's edges plus one prefix sum per row, O(edges × rows crossed + squares), with no
 * polygon clipping library involved. Holes are handled by orienting rings (outer CCW,
 * holes CW) so that their signed areas cancel.
 *
 * A record's point is the pixel centre for squares fully inside; for a cut square it is
 * the mean of the 4 × 4 sub-points that fall inside the polygon (within ⅛ of a cell of the
 * true centroid), 16 × 16 for slivers, and for a sliver thinner still a point on the
 * district boundary inside the square — so border cells do not sit in the river next door.
 *
 * @example
 * const grid = buildGrid([districtA.geometry, districtB.geometry], { cellSizeM: 100 });
 * grid.count;                  // number of records
 * grid.areaM2[0];              // ≤ 10,000 m²
 * cellRing(grid.grid.spec, grid.grid.col[0], grid.grid.row[0]); // the square as a lng/lat ring
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { createLocalProjection, projectX, projectY, rectangleRing, unprojectLat, unprojectLng, type LocalProjection } from './geo';
import { AGE_GROUPS, type AgeGroup, type Cells } from './types';

/** Where the squares are: origin (lower-left corner of square 0,0) and size, in projected metres. */
export interface GridSpec {
  cellSizeM: number;
  originX: number;
  originY: number;
  cols: number;
  rows: number;
  projection: LocalProjection;
}

/** Geometry of a grid's records (no population yet). */
export interface GridCells {
  count: number;
  lng: Float64Array;
  lat: Float64Array;
  /** Area of the record's part of its square, m². */
  areaM2: Float64Array;
  /** Index of the input polygon the record lies in. */
  district: Int32Array;
  grid: { spec: GridSpec; col: Int32Array; row: Int32Array };
}

export interface GridOptions {
  /** Side of a square, metres. Default 100. */
  cellSizeM?: number;
  /** Projection to use; default: centred on the polygons' bbox. */
  projection?: LocalProjection;
  /** Parts smaller than this fraction of a square are dropped (slivers of float noise). Default 1e-6. */
  minFraction?: number;
}

type PolygonLike = Polygon | MultiPolygon | Feature<Polygon | MultiPolygon>;

function polygonsOf(p: PolygonLike): Position[][][] {
  const g = p.type === 'Feature' ? p.geometry : p;
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  throw new Error(`buildGrid: expected Polygon or MultiPolygon, got ${(g as { type: string }).type}`);
}

/** Twice the signed area of a flat [x0,y0,x1,y1,...] ring (positive = counter-clockwise). */
function signedArea2(ring: Float64Array): number {
  let s = 0;
  const n = ring.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) s += (ring[2 * j] - ring[2 * i]) * (ring[2 * j + 1] + ring[2 * i + 1]);
  return s;
}

/**
 * Adds one line segment's signed coverage to `acc` (row stride `stride`, `h` rows), the
 * font-rs accumulation rule: after a prefix sum along each row, |sum| is the covered
 * fraction of each square. Coordinates are in square units, all ≥ 0.
 */
function drawLine(acc: Float64Array, stride: number, h: number, x0In: number, y0In: number, x1In: number, y1In: number): void {
  if (y0In === y1In) return;
  let dir: number, p0x: number, p0y: number, p1x: number, p1y: number;
  if (y0In < y1In) {
    dir = 1;
    p0x = x0In;
    p0y = y0In;
    p1x = x1In;
    p1y = y1In;
  } else {
    dir = -1;
    p0x = x1In;
    p0y = y1In;
    p1x = x0In;
    p1y = y0In;
  }
  const dxdy = (p1x - p0x) / (p1y - p0y);
  let x = p0x;
  const yStart = Math.max(0, Math.floor(p0y));
  const yEnd = Math.min(h, Math.ceil(p1y));
  for (let y = yStart; y < yEnd; y++) {
    const line = y * stride;
    const dy = Math.min(y + 1, p1y) - Math.max(y, p0y);
    const xnext = x + dxdy * dy;
    const d = dy * dir;
    const xa = Math.min(x, xnext);
    const xb = Math.max(x, xnext);
    const xaFloor = Math.floor(xa);
    const xai = xaFloor;
    const xbCeil = Math.ceil(xb);
    const xbi = xbCeil;
    if (xbi <= xai + 1) {
      const xmf = 0.5 * (x + xnext) - xaFloor;
      acc[line + xai] += d - d * xmf;
      acc[line + xai + 1] += d * xmf;
    } else {
      const s = 1 / (xb - xa);
      const xaf = xa - xaFloor;
      const a0 = 0.5 * s * (1 - xaf) * (1 - xaf);
      const xbf = xb - xbCeil + 1;
      const am = 0.5 * s * xbf * xbf;
      acc[line + xai] += d * a0;
      if (xbi === xai + 2) {
        acc[line + xai + 1] += d * (1 - a0 - am);
      } else {
        const a1 = s * (1.5 - xaf);
        acc[line + xai + 1] += d * (a1 - a0);
        for (let xi = xai + 2; xi < xbi - 1; xi++) acc[line + xi] += d * s;
        const a2 = a1 + (xbi - xai - 3) * s;
        acc[line + xbi - 1] += d * (1 - a2 - am);
      }
      acc[line + xbi] += d * am;
    }
    x = xnext;
  }
}

/** Sub-samples per axis for the point of a cut square: 4 × 4, then 16 × 16 for slivers. */
const SUBS = [4, 16];

/**
 * Length-weighted mean of the midpoints of the polygon's edge pieces inside square (c, r)
 * (Liang–Barsky clipping): a point on the boundary of a sliver too thin to sample.
 */
function boundaryMidpoint(edges: Float64Array, from: number, to: number, c: number, r: number, fx: number, fy: number): [number, number] {
  let sx = 0,
    sy = 0,
    sw = 0;
  for (let e = from; e < to; e++) {
    const ax = edges[4 * e],
      ay = edges[4 * e + 1],
      dx = edges[4 * e + 2] - ax,
      dy = edges[4 * e + 3] - ay;
    let t0 = 0,
      t1 = 1;
    const clip = (pp: number, q: number): boolean => {
      if (pp === 0) return q >= 0;
      const t = q / pp;
      if (pp < 0) {
        if (t > t1) return false;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return false;
        if (t < t1) t1 = t;
      }
      return true;
    };
    if (!clip(-dx, ax - c) || !clip(dx, c + 1 - ax) || !clip(-dy, ay - r) || !clip(dy, r + 1 - ay) || t1 <= t0) continue;
    const w = (t1 - t0) * Math.hypot(dx, dy);
    const tm = (t0 + t1) / 2;
    sx += w * (ax + tm * dx);
    sy += w * (ay + tm * dy);
    sw += w;
  }
  return sw > 0 ? [sx / sw, sy / sw] : [fx, fy];
}

/**
 * Cuts a regular grid by a set of polygons. One record per (square, polygon) with the exact
 * area of the part. Records are ordered by polygon, then row (south → north), then column.
 *
 * @param polygons districts as GeoJSON Polygon/MultiPolygon geometries or features (WGS84)
 * @example
 * const g = buildGrid([square1km], { cellSizeM: 100 }); // 100 records of 10,000 m² (if aligned)
 */
export function buildGrid(polygons: ReadonlyArray<PolygonLike>, options: GridOptions = {}): GridCells {
  const cellSizeM = options.cellSizeM ?? 100;
  if (!(cellSizeM > 0)) throw new Error('buildGrid: cellSizeM must be > 0');
  const minFraction = options.minFraction ?? 1e-6;
  const parts = polygons.map(polygonsOf);

  let minLng = Infinity,
    minLat = Infinity,
    maxLng = -Infinity,
    maxLat = -Infinity;
  for (const poly of parts)
    for (const rings of poly)
      for (const ring of rings)
        for (const [lng, lat] of ring) {
          if (lng < minLng) minLng = lng;
          if (lng > maxLng) maxLng = lng;
          if (lat < minLat) minLat = lat;
          if (lat > maxLat) maxLat = lat;
        }
  const projection =
    options.projection ??
    createLocalProjection(Number.isFinite(minLng) ? (minLng + maxLng) / 2 : 0, Number.isFinite(minLat) ? (minLat + maxLat) / 2 : 0);
  if (!Number.isFinite(minLng)) {
    const spec: GridSpec = { cellSizeM, originX: 0, originY: 0, cols: 0, rows: 0, projection };
    return emptyGrid(spec);
  }
  const originX = Math.floor(projectX(projection, minLng) / cellSizeM) * cellSizeM;
  const originY = Math.floor(projectY(projection, minLat) / cellSizeM) * cellSizeM;
  const cols = Math.max(1, Math.ceil((projectX(projection, maxLng) - originX) / cellSizeM));
  const rows = Math.max(1, Math.ceil((projectY(projection, maxLat) - originY) / cellSizeM));
  const spec: GridSpec = { cellSizeM, originX, originY, cols, rows, projection };

  const outLng: number[] = [],
    outLat: number[] = [],
    outArea: number[] = [],
    outDistrict: number[] = [],
    outCol: number[] = [],
    outRow: number[] = [];
  const fullArea = cellSizeM * cellSizeM;

  parts.forEach((poly, k) => {
    // project every ring to square units, oriented: outer CCW, holes CW
    const rings: Float64Array[] = [];
    let uMin = Infinity,
      vMin = Infinity,
      uMax = -Infinity,
      vMax = -Infinity;
    for (const polygon of poly) {
      polygon.forEach((ring, ri) => {
        const n =
          ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]
            ? ring.length - 1
            : ring.length;
        if (n < 3) return;
        const flat = new Float64Array(2 * n);
        for (let i = 0; i < n; i++) {
          const u = (projectX(projection, ring[i][0]) - originX) / cellSizeM;
          const v = (projectY(projection, ring[i][1]) - originY) / cellSizeM;
          flat[2 * i] = u;
          flat[2 * i + 1] = v;
          if (u < uMin) uMin = u;
          if (u > uMax) uMax = u;
          if (v < vMin) vMin = v;
          if (v > vMax) vMax = v;
        }
        const wantPositive = ri === 0;
        if (signedArea2(flat) > 0 !== wantPositive) reverseRing(flat);
        rings.push(flat);
      });
    }
    if (rings.length === 0) return;
    const c0 = Math.max(0, Math.floor(uMin));
    const r0 = Math.max(0, Math.floor(vMin));
    const c1 = Math.min(cols, Math.ceil(uMax));
    const r1 = Math.min(rows, Math.ceil(vMax));
    const w = c1 - c0;
    const h = r1 - r0;
    if (w <= 0 || h <= 0) return;
    const stride = w + 2;
    const acc = new Float64Array(stride * h + 2);
    // edge buckets per window row, for the inside tests of border squares
    const bucketCount = new Int32Array(h + 1);
    // every edge, in window units; `rowsOf` gives the window rows a non-horizontal edge crosses
    const eachEdge = (visit: (ax: number, ay: number, bx: number, by: number) => void) => {
      for (const ring of rings) {
        const n = ring.length / 2;
        for (let i = 0; i < n; i++) {
          const j = (i + 1) % n;
          visit(ring[2 * i] - c0, ring[2 * i + 1] - r0, ring[2 * j] - c0, ring[2 * j + 1] - r0);
        }
      }
    };
    const rowsOf = (ay: number, by: number): [number, number] => [
      Math.max(0, Math.floor(Math.min(ay, by))),
      Math.min(h - 1, Math.floor(Math.max(ay, by))),
    ];
    eachEdge((ax, ay, bx, by) => {
      drawLine(acc, stride, h, ax, ay, bx, by);
      if (ay === by) return;
      const [ra, rb] = rowsOf(ay, by);
      for (let r = ra; r <= rb; r++) bucketCount[r + 1]++;
    });
    for (let r = 0; r < h; r++) bucketCount[r + 1] += bucketCount[r];
    const bucketEdges = new Float64Array(4 * bucketCount[h]);
    const fill = bucketCount.slice(0, h);
    eachEdge((ax, ay, bx, by) => {
      if (ay === by) return;
      const [ra, rb] = rowsOf(ay, by);
      for (let r = ra; r <= rb; r++) {
        const o = 4 * fill[r]++;
        bucketEdges[o] = ax;
        bucketEdges[o + 1] = ay;
        bucketEdges[o + 2] = bx;
        bucketEdges[o + 3] = by;
      }
    });
    const insideAt = (r: number, x: number, y: number): boolean => {
      let inside = false;
      for (let e = bucketCount[r]; e < bucketCount[r + 1]; e++) {
        const ax = bucketEdges[4 * e],
          ay = bucketEdges[4 * e + 1],
          bx = bucketEdges[4 * e + 2],
          by = bucketEdges[4 * e + 3];
        if (ay > y !== by > y) {
          const xi = ax + ((y - ay) * (bx - ax)) / (by - ay);
          if (xi > x) inside = !inside;
        }
      }
      return inside;
    };

    for (let r = 0; r < h; r++) {
      let sum = 0;
      const line = r * stride;
      for (let c = 0; c < w; c++) {
        sum += acc[line + c];
        const cov = Math.min(1, Math.abs(sum));
        if (cov < minFraction) continue;
        let cx = c + 0.5,
          cy = r + 0.5;
        if (cov < 1 - 1e-9) {
          // mean of the sub-points inside; finer for slivers; else the boundary inside the square
          for (const sub of SUBS) {
            let sx = 0,
              sy = 0,
              m = 0;
            for (let a = 0; a < sub; a++) {
              const y = r + (a + 0.5) / sub;
              for (let b = 0; b < sub; b++) {
                const x = c + (b + 0.5) / sub;
                if (insideAt(r, x, y)) {
                  sx += x;
                  sy += y;
                  m++;
                }
              }
            }
            if (m > 0) {
              cx = sx / m;
              cy = sy / m;
              break;
            }
            if (sub === SUBS[SUBS.length - 1]) [cx, cy] = boundaryMidpoint(bucketEdges, bucketCount[r], bucketCount[r + 1], c, r, cx, cy);
          }
        }
        outLng.push(unprojectLng(projection, originX + (c0 + cx) * cellSizeM));
        outLat.push(unprojectLat(projection, originY + (r0 + cy) * cellSizeM));
        outArea.push(cov * fullArea);
        outDistrict.push(k);
        outCol.push(c0 + c);
        outRow.push(r0 + r);
      }
    }
  });

  return {
    count: outLng.length,
    lng: Float64Array.from(outLng),
    lat: Float64Array.from(outLat),
    areaM2: Float64Array.from(outArea),
    district: Int32Array.from(outDistrict),
    grid: { spec, col: Int32Array.from(outCol), row: Int32Array.from(outRow) },
  };
}

function reverseRing(flat: Float64Array): void {
  const n = flat.length / 2;
  for (let i = 0, j = n - 1; i < j; i++, j--) {
    const x = flat[2 * i],
      y = flat[2 * i + 1];
    flat[2 * i] = flat[2 * j];
    flat[2 * i + 1] = flat[2 * j + 1];
    flat[2 * j] = x;
    flat[2 * j + 1] = y;
  }
}

function emptyGrid(spec: GridSpec): GridCells {
  return {
    count: 0,
    lng: new Float64Array(0),
    lat: new Float64Array(0),
    areaM2: new Float64Array(0),
    district: new Int32Array(0),
    grid: { spec, col: new Int32Array(0), row: new Int32Array(0) },
  };
}

/**
 * The closed lng/lat ring of square (col, row), counter-clockwise from the south-west corner.
 * @example cellRing(spec, 0, 0); // [[sw], [se], [ne], [nw], [sw]]
 */
export function cellRing(spec: GridSpec, col: number, row: number): [number, number][] {
  const p = spec.projection;
  const w = unprojectLng(p, spec.originX + col * spec.cellSizeM);
  const e = unprojectLng(p, spec.originX + (col + 1) * spec.cellSizeM);
  const s = unprojectLat(p, spec.originY + row * spec.cellSizeM);
  const n = unprojectLat(p, spec.originY + (row + 1) * spec.cellSizeM);
  return rectangleRing(w, s, e, n);
}

/** The (col, row) square a lng/lat point falls in (may be outside 0..cols-1 / 0..rows-1). */
export function squareOf(spec: GridSpec, lng: number, lat: number): [number, number] {
  return [
    Math.floor((projectX(spec.projection, lng) - spec.originX) / spec.cellSizeM),
    Math.floor((projectY(spec.projection, lat) - spec.originY) / spec.cellSizeM),
  ];
}

/**
 * A population surface from grid geometry and per-record counts. Missing child groups are
 * zeros; `children_0_14` defaults to the sum of the four service groups. Arrays are copied.
 * @example const cells = cellsFromGrid(grid, population, { children_3_5 });
 */
export function cellsFromGrid(
  grid: GridCells,
  population: ArrayLike<number>,
  children: Partial<Record<AgeGroup, ArrayLike<number>>> = {},
): Cells {
  return makeCells(grid.lng, grid.lat, grid.areaM2, grid.district, population, children, grid.grid);
}

/**
 * A population surface from plain arrays (cells that are not on a grid, e.g. census points
 * or H3 cells). Arrays are copied.
 * @example const cells = cellsFromArrays({ lng, lat, population, district, areaM2 });
 */
export function cellsFromArrays(input: {
  lng: ArrayLike<number>;
  lat: ArrayLike<number>;
  population: ArrayLike<number>;
  district?: ArrayLike<number>;
  areaM2?: ArrayLike<number>;
  children?: Partial<Record<AgeGroup, ArrayLike<number>>>;
}): Cells {
  const n = input.lng.length;
  const district = input.district ?? new Int32Array(n);
  const area = input.areaM2 ?? new Float64Array(n);
  return makeCells(input.lng, input.lat, area, district, input.population, input.children ?? {}, undefined);
}

function makeCells(
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  areaM2: ArrayLike<number>,
  district: ArrayLike<number>,
  population: ArrayLike<number>,
  children: Partial<Record<AgeGroup, ArrayLike<number>>>,
  grid: Cells['grid'],
): Cells {
  const n = lng.length;
  if (lat.length !== n || population.length !== n || areaM2.length !== n || district.length !== n)
    throw new Error('cells: all arrays must have the same length');
  const ch = {} as Record<AgeGroup, Float64Array>;
  for (const g of AGE_GROUPS) {
    const src = children[g];
    if (src && src.length !== n) throw new Error(`cells: ${g} has the wrong length`);
    ch[g] = src ? Float64Array.from(src) : new Float64Array(n);
  }
  if (!children.children_0_14)
    for (let i = 0; i < n; i++) ch.children_0_14[i] = ch.children_0_2[i] + ch.children_3_5[i] + ch.children_6_11[i] + ch.children_12_14[i];
  return {
    count: n,
    lng: Float64Array.from(lng),
    lat: Float64Array.from(lat),
    areaM2: Float64Array.from(areaM2),
    district: Int32Array.from(district),
    population: Float64Array.from(population),
    children: ch,
    grid: grid ? { spec: grid.spec, col: Int32Array.from(grid.col), row: Int32Array.from(grid.row) } : undefined,
  };
}

/**
 * The cells at `indices`, as a new surface (e.g. the districts in view, for a what-if in a
 * Web Worker). Arrays are copied; grid positions are kept.
 * @example const inView = selectCells(cells, indicesOfDistrict);
 */
export function selectCells(cells: Cells, indices: ArrayLike<number>): Cells {
  const n = indices.length;
  const pick = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as { new (k: number): T })(n);
    for (let k = 0; k < n; k++) out[k] = a[indices[k]];
    return out;
  };
  const children = {} as Record<AgeGroup, Float64Array>;
  for (const g of AGE_GROUPS) children[g] = pick(cells.children[g]);
  return {
    count: n,
    lng: pick(cells.lng),
    lat: pick(cells.lat),
    areaM2: pick(cells.areaM2),
    district: pick(cells.district),
    population: pick(cells.population),
    children,
    grid: cells.grid ? { spec: cells.grid.spec, col: pick(cells.grid.col), row: pick(cells.grid.row) } : undefined,
  };
}
