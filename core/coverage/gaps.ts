/**
 * Gap polygons: the uncovered cells of a grid, dissolved into polygons.
 *
 * Grid squares are unioned exactly by tracing the boundary of each 4-connected component
 * of the selection on the raster (no polygon clipping): every side between a selected and
 * an unselected square is a directed edge with the selection on its left, and the edges are
 * chained into rings, turning left at a vertex shared by two diagonal squares (so that
 * squares touching only at a corner stay separate polygons, and every ring is simple).
 * Outer rings come out counter-clockwise and holes clockwise (RFC 7946 §3.1.6); collinear
 * vertices are dropped. O(squares) time and memory in the selection's bounding box.
 *
 * Because the grid's projection is cylindrical, squares are exact lng/lat rectangles and
 * the polygons describe precisely the union of the squares.
 *
 * @example
 * const fc = coverageGaps(cells, coverage, { ageGroup: 'children_3_5' });
 * fc.features[0].properties.uncoveredChildren;
 */
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import type { CellCoverage } from './coverage';
import { unprojectLat, unprojectLng } from './geo';
import type { GridSpec } from './grid';
import type { AgeGroup, Cells } from './types';

/** One dissolved component: rings in lng/lat (outer first, then holes) and the input indices it holds. */
export interface DissolvedComponent {
  rings: [number, number][][];
  members: number[];
  squareCount: number;
}

/**
 * Dissolves a set of grid squares into polygons, one per 4-connected component, ordered
 * by their lowest input index.
 * @param squares the squares (col, row); duplicates allowed (e.g. two records of one square)
 * @example dissolveSquares(spec, { col: [0, 1, 1], row: [0, 0, 1] }); // one L-shaped polygon
 */
export function dissolveSquares(spec: GridSpec, squares: { col: ArrayLike<number>; row: ArrayLike<number> }): DissolvedComponent[] {
  const n = squares.col.length;
  if (n === 0) return [];
  let c0 = Infinity,
    r0 = Infinity,
    c1 = -Infinity,
    r1 = -Infinity;
  for (let i = 0; i < n; i++) {
    c0 = Math.min(c0, squares.col[i]);
    c1 = Math.max(c1, squares.col[i]);
    r0 = Math.min(r0, squares.row[i]);
    r1 = Math.max(r1, squares.row[i]);
  }
  // raster with a one-square empty border; pixel (x, y) ↔ square (c0 + x - 1, r0 + y - 1)
  const W = c1 - c0 + 3;
  const H = r1 - r0 + 3;
  const pix = new Int32Array(W * H).fill(-1); // first member index, -1 empty
  const nextMember = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const p = (squares.row[i] - r0 + 1) * W + (squares.col[i] - c0 + 1);
    nextMember[i] = pix[p];
    pix[p] = i;
  }

  // 4-connected components
  const comp = new Int32Array(W * H).fill(-1);
  const queue = new Int32Array(W * H);
  let compCount = 0;
  for (let p = 0; p < W * H; p++) {
    if (pix[p] < 0 || comp[p] >= 0) continue;
    let head = 0,
      tail = 0;
    queue[tail++] = p;
    comp[p] = compCount;
    while (head < tail) {
      const q = queue[head++];
      for (const nb of [q - 1, q + 1, q - W, q + W]) {
        if (pix[nb] >= 0 && comp[nb] < 0) {
          comp[nb] = compCount;
          queue[tail++] = nb;
        }
      }
    }
    compCount++;
  }

  // directed boundary edges on the corner lattice (W+1) × (H+1), selection on the left
  const VW = W + 1;
  const nV = VW * (H + 1);
  const out0 = new Int32Array(nV).fill(-1);
  const out1 = new Int32Array(nV).fill(-1);
  const eStart: number[] = [],
    eEnd: number[] = [],
    eDir: number[] = [],
    eComp: number[] = [];
  const addEdge = (sx: number, sy: number, ex: number, ey: number, dir: number, c: number) => {
    const s = sy * VW + sx;
    const k = eStart.length;
    eStart.push(s);
    eEnd.push(ey * VW + ex);
    eDir.push(dir);
    eComp.push(c);
    if (out0[s] < 0) out0[s] = k;
    else out1[s] = k;
  };
  // directions: 0 east, 1 north, 2 west, 3 south (y grows north)
  for (let y = 1; y < H - 1; y++)
    for (let x = 1; x < W - 1; x++) {
      const p = y * W + x;
      if (pix[p] < 0) continue;
      const c = comp[p];
      if (pix[p - W] < 0) addEdge(x, y, x + 1, y, 0, c);
      if (pix[p + 1] < 0) addEdge(x + 1, y, x + 1, y + 1, 1, c);
      if (pix[p + W] < 0) addEdge(x + 1, y + 1, x, y + 1, 2, c);
      if (pix[p - 1] < 0) addEdge(x, y + 1, x, y, 3, c);
    }

  const used = new Uint8Array(eStart.length);
  const ringsByComp: { outer: number[] | null; holes: number[][] }[] = Array.from({ length: compCount }, () => ({
    outer: null,
    holes: [],
  }));
  for (let k0 = 0; k0 < eStart.length; k0++) {
    if (used[k0]) continue;
    const verts: number[] = []; // vertex ids at direction changes
    let k = k0;
    let prevDir = -1;
    let area2 = 0;
    for (;;) {
      used[k] = 1;
      if (eDir[k] !== prevDir) verts.push(eStart[k]);
      prevDir = eDir[k];
      const sx = eStart[k] % VW,
        sy = (eStart[k] / VW) | 0,
        ex = eEnd[k] % VW,
        ey = (eEnd[k] / VW) | 0;
      area2 += sx * ey - ex * sy;
      const v = eEnd[k];
      const a = out0[v],
        b = out1[v];
      // one way on, or a saddle (two diagonal squares meet): turn left, staying with the same square
      const next = b < 0 ? a : eDir[a] === (eDir[k] + 1) % 4 ? a : b;
      if (next === k0) break;
      if (used[next]) throw new Error('dissolveSquares: inconsistent boundary (invariant)');
      k = next;
    }
    // drop the start vertex if the ring's last edge continues straight into the first
    if (prevDir === eDir[k0] && verts.length > 1) verts.shift();
    const entry = ringsByComp[eComp[k0]];
    if (area2 > 0) entry.outer = verts;
    else entry.holes.push(verts);
  }

  const cs = spec.cellSizeM;
  const p = spec.projection;
  const toLngLat = (v: number): [number, number] => {
    const x = (v % VW) - 1 + c0;
    const y = ((v / VW) | 0) - 1 + r0;
    return [unprojectLng(p, spec.originX + x * cs), unprojectLat(p, spec.originY + y * cs)];
  };
  const close = (ring: number[]) => {
    const pts = ring.map(toLngLat);
    pts.push(pts[0]);
    return pts;
  };
  const members: number[][] = Array.from({ length: compCount }, () => []);
  const squareCount = new Int32Array(compCount);
  for (let q = 0; q < W * H; q++) {
    if (pix[q] < 0) continue;
    squareCount[comp[q]]++;
    for (let i = pix[q]; i >= 0; i = nextMember[i]) members[comp[q]].push(i);
  }
  return ringsByComp
    .map((r, c) => ({
      rings: [close(r.outer!), ...r.holes.map(close)],
      members: members[c].sort((a, b) => a - b),
      squareCount: squareCount[c],
    }))
    .sort((a, b) => a.members[0] - b.members[0]);
}

export interface GapProperties {
  district: number;
  squareCount: number;
  /** Land area of the uncovered cells (their parts inside the district), km². */
  areaKm2: number;
  uncoveredPopulation: number;
  uncoveredChildren: number;
  ageGroup: AgeGroup;
  /** Of which in cells without network access (network mode). */
  noAccessPopulation: number;
}

/**
 * Uncovered cells dissolved per district into polygons carrying what they hold.
 * `include: 'populated'` (default) keeps cells with population > 0, `'all'` every uncovered
 * cell (land gaps). Features are sorted by uncovered children, largest first.
 * @example coverageGaps(cells, coverage, { ageGroup: 'children_3_5' })
 */
export function coverageGaps(
  cells: Cells,
  coverage: Pick<CellCoverage, 'covered' | 'noAccess'>,
  options: { ageGroup: AgeGroup; include?: 'populated' | 'all' },
): FeatureCollection<Polygon, GapProperties> {
  if (!cells.grid) throw new Error('coverageGaps: cells must come from a grid (cells.grid)');
  const { spec, col, row } = cells.grid;
  const all = options.include === 'all';
  const byDistrict = new Map<number, number[]>();
  for (let i = 0; i < cells.count; i++) {
    if (coverage.covered[i]) continue;
    if (!all && !(cells.population[i] > 0)) continue;
    const d = cells.district[i];
    let list = byDistrict.get(d);
    if (!list) {
      list = [];
      byDistrict.set(d, list);
    }
    list.push(i);
  }
  const ch = cells.children[options.ageGroup];
  const features: Feature<Polygon, GapProperties>[] = [];
  for (const [district, idx] of [...byDistrict.entries()].sort((a, b) => a[0] - b[0])) {
    const comps = dissolveSquares(spec, { col: idx.map((i) => col[i]), row: idx.map((i) => row[i]) });
    for (const comp of comps) {
      let area = 0,
        pop = 0,
        kids = 0,
        noAccess = 0;
      for (const m of comp.members) {
        const i = idx[m];
        area += cells.areaM2[i];
        pop += cells.population[i];
        kids += ch[i];
        if (coverage.noAccess?.[i]) noAccess += cells.population[i];
      }
      features.push({
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: comp.rings },
        properties: {
          district,
          squareCount: comp.squareCount,
          areaKm2: area / 1e6,
          uncoveredPopulation: pop,
          uncoveredChildren: kids,
          ageGroup: options.ageGroup,
          noAccessPopulation: noAccess,
        },
      });
    }
  }
  features.sort((a, b) => b.properties.uncoveredChildren - a.properties.uncoveredChildren || a.properties.district - b.properties.district);
  return { type: 'FeatureCollection', features };
}
