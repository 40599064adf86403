/**
 * Dasymetric population: spread each district's census total over its grid cells where
 * people actually live, not evenly over mountains, rivers and farmland.
 *
 * Chongqing districts are mostly hills and fields with a dense core (渝北 is 1,452 km², but
 * most of its 2.2 million people live in a few dozen km²). An even spread would tell a
 * planner that a kindergarten on a ridge serves as many children as one downtown. The
 * model, per district:
 *
 * 1. **Settlement signal** per cell: street density (km of walkable street per km², the
 *    edges' lengths cut exactly by square, smoothed over a window of `smoothRadiusM`) plus
 *    `facilityWeight` per facility of any kind within `facilityRadiusM`. A cell "has signal"
 *    when the smoothed street density reaches `minStreetDensityKmPerKm2` (default 8 km/km²,
 *    the built-up-area road density target of the 2016 中共中央 国务院《关于进一步加强城市
 *    规划建设管理工作的若干意见》) or at least one facility is near.
 * 2. **Urban population** = census total × the district's urban share (2020 census
 *    `POPU_URB`) goes to cells with signal, in proportion to score × area.
 * 3. **Rural remainder** is spread thinly by area over the cells without signal (villages
 *    are everywhere and the open data has no building footprints). When a district has no
 *    cells without signal, the remainder joins the urban share; with no signal at all,
 *    everything is spread by area — and the `method` text says which case applied.
 * 4. Child groups follow the population with the district's own age structure (census
 *    totals or shares); within a district the age mix is assumed uniform.
 *
 * Totals are preserved exactly (up to float rounding). Pure: arrays in, new arrays out.
 *
 * @example
 * const streets = streetLengthPerCell(grid, segments);
 * const near = facilitiesNearCells(grid, facilities, 500);
 * const pop = dasymetricPopulation(grid, districts, { streetLengthM: streets, facilityCount: near });
 * pop.method; // 'dasymetric: …'
 */
import KDBush from 'kdbush';
import type { GridCells, GridSpec } from './grid';
import { projectX, projectY } from './geo';
import { AGE_GROUPS, type AgeGroup, type FacilityPoints } from './types';

/** Census facts of one district (index = the grid's district index). */
export interface DistrictCensus {
  code?: string;
  population: number;
  /** Urban share 0–1 (census POPU_URB); null = unknown (then signal cells take all, weighted by score, floor by area). */
  urbanShare: number | null;
  /** Child counts per group (any subset); groups not given are 0. */
  children?: Partial<Record<AgeGroup, number>>;
}

export interface DasymetricOptions {
  /** Street length per record, metres ({@link streetLengthPerCell}). */
  streetLengthM?: ArrayLike<number>;
  /** Facilities of any kind near each record ({@link facilitiesNearCells}). */
  facilityCount?: ArrayLike<number>;
  /** Smoothed-density threshold for "settled", km/km². Default 8. */
  minStreetDensityKmPerKm2?: number;
  /** Smoothing window half-width, metres (box filter on the grid). Default 200 (5 × 5 squares at 100 m). */
  smoothRadiusM?: number;
  /** Score added per nearby facility, in km/km² of street-density equivalent. Default 2 (an assumption). */
  facilityWeight?: number;
}

export interface DasymetricResult {
  population: Float64Array;
  children: Record<AgeGroup, Float64Array>;
  /** 1 where the cell had settlement signal. */
  signal: Uint8Array;
  /** Smoothed street density, km/km². */
  streetDensityKmPerKm2: Float64Array;
  /** One line per district. */
  districtMethods: string[];
  /** What was done, for the `population_cells.method` column. */
  method: string;
}

/**
 * Street length falling in each record's square, metres, apportioned to the record by its
 * share of the square (a border square split between two districts gives each its area
 * share). Segments are cut exactly at square edges (Amanatides–Woo traversal).
 *
 * @param segments flat [lng0, lat0, lng1, lat1, …] (see `graphSegments` in ./graph.ts)
 * @example const lengths = streetLengthPerCell(grid, new Float64Array([106.5, 29.5, 106.51, 29.5]));
 */
export function streetLengthPerCell(grid: GridCells, segments: ArrayLike<number>): Float64Array {
  const spec = grid.grid.spec;
  const raster = new SquareRaster(spec);
  const p = spec.projection;
  const cs = spec.cellSizeM;
  for (let s = 0; s + 3 < segments.length; s += 4) {
    const x0 = (projectX(p, segments[s]) - spec.originX) / cs;
    const y0 = (projectY(p, segments[s + 1]) - spec.originY) / cs;
    const x1 = (projectX(p, segments[s + 2]) - spec.originX) / cs;
    const y1 = (projectY(p, segments[s + 3]) - spec.originY) / cs;
    traverse(x0, y0, x1, y1, (c, r, frac) => raster.add(c, r, frac * Math.hypot(x1 - x0, y1 - y0) * cs));
  }
  const out = new Float64Array(grid.count);
  const full = cs * cs;
  for (let i = 0; i < grid.count; i++) out[i] = (raster.get(grid.grid.col[i], grid.grid.row[i]) * grid.areaM2[i]) / full;
  return out;
}

/**
 * How many facilities lie within `radiusM` of each record's point (planar, in the grid's
 * projection: good to < 1 % at city scale).
 * @example const near = facilitiesNearCells(grid, facilities, 500);
 */
export function facilitiesNearCells(
  grid: Pick<GridCells, 'count' | 'lng' | 'lat' | 'grid'>,
  facilities: FacilityPoints,
  radiusM: number,
): Float64Array {
  const out = new Float64Array(grid.count);
  if (facilities.count === 0) return out;
  const p = grid.grid.spec.projection;
  const index = new KDBush(facilities.count);
  for (let j = 0; j < facilities.count; j++) index.add(projectX(p, facilities.lng[j]), projectY(p, facilities.lat[j]));
  index.finish();
  const buf = new Uint32Array(facilities.count);
  for (let i = 0; i < grid.count; i++) out[i] = index.withinInto(projectX(p, grid.lng[i]), projectY(p, grid.lat[i]), radiusM, buf);
  return out;
}

/**
 * Distributes each district's census population (and child groups) over its records.
 * @param grid records with their district index (from {@link buildGrid})
 * @param districts census facts by district index
 * @example
 * dasymetricPopulation(grid, [{ population: 588717, urbanShare: 1 }], { streetLengthM });
 */
export function dasymetricPopulation(
  grid: GridCells,
  districts: ReadonlyArray<DistrictCensus>,
  options: DasymetricOptions = {},
): DasymetricResult {
  const n = grid.count;
  const spec = grid.grid.spec;
  const minDensity = options.minStreetDensityKmPerKm2 ?? 8;
  const smoothRadiusM = options.smoothRadiusM ?? 200;
  const facilityWeight = options.facilityWeight ?? 2;
  const k = Math.max(0, Math.round(smoothRadiusM / spec.cellSizeM));

  // smoothed street density: box filter of street length per square over (2k+1)² squares
  const density = new Float64Array(n);
  if (options.streetLengthM) {
    const lengths = new SquareRaster(spec);
    const areas = new SquareRaster(spec);
    for (let i = 0; i < n; i++) {
      lengths.add(grid.grid.col[i], grid.grid.row[i], options.streetLengthM[i]);
      areas.add(grid.grid.col[i], grid.grid.row[i], grid.areaM2[i]);
    }
    const sumL = lengths.boxSum(k);
    const sumA = areas.boxSum(k);
    for (let i = 0; i < n; i++) {
      const a = sumA(grid.grid.col[i], grid.grid.row[i]);
      // km per km² = (m / 1000) / (m² / 1e6)
      density[i] = a > 0 ? sumL(grid.grid.col[i], grid.grid.row[i]) / 1000 / (a / 1e6) : 0;
    }
  }

  const score = new Float64Array(n);
  const signal = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = options.facilityCount ? options.facilityCount[i] : 0;
    score[i] = density[i] + facilityWeight * f;
    signal[i] = density[i] >= minDensity || f >= 1 ? 1 : 0;
  }

  // per district sums
  const nd = districts.length;
  const urbanWeight = new Float64Array(nd);
  const ruralArea = new Float64Array(nd);
  const allArea = new Float64Array(nd);
  const signalCells = new Int32Array(nd);
  const otherCells = new Int32Array(nd);
  for (let i = 0; i < n; i++) {
    const d = grid.district[i];
    if (d < 0 || d >= nd) continue;
    allArea[d] += grid.areaM2[i];
    if (signal[i]) {
      urbanWeight[d] += score[i] * grid.areaM2[i];
      signalCells[d]++;
    } else {
      ruralArea[d] += grid.areaM2[i];
      otherCells[d]++;
    }
  }

  // per district: how much goes to each weight pool
  const perUrbanWeight = new Float64Array(nd);
  const perRuralArea = new Float64Array(nd);
  const perAnyArea = new Float64Array(nd);
  const districtMethods: string[] = [];
  for (let d = 0; d < nd; d++) {
    const P = Math.max(0, districts[d].population || 0);
    const name = districts[d].code ?? `#${d}`;
    if (P === 0) {
      districtMethods.push(`${name}: population 0, nothing to distribute`);
      continue;
    }
    if (allArea[d] === 0) {
      districtMethods.push(`${name}: no cells, population ${Math.round(P)} not placed`);
      continue;
    }
    const u = districts[d].urbanShare;
    if (signalCells[d] === 0 || urbanWeight[d] === 0) {
      perAnyArea[d] = P / allArea[d];
      districtMethods.push(
        `${name}: no cell with settlement signal; ${Math.round(P)} spread evenly by area over ${signalCells[d] + otherCells[d]} cells`,
      );
      continue;
    }
    const urbanShare = u === null ? 1 : Math.min(1, Math.max(0, u));
    let urbanP = P * urbanShare;
    let ruralP = P - urbanP;
    if (otherCells[d] === 0 || ruralArea[d] === 0) {
      urbanP = P;
      ruralP = 0;
    }
    perUrbanWeight[d] = urbanP / urbanWeight[d];
    perRuralArea[d] = ruralP > 0 ? ruralP / ruralArea[d] : 0;
    districtMethods.push(
      `${name}: urban ${Math.round(urbanP)} (${u === null ? 'share unknown, all' : `${(urbanShare * 100).toFixed(1)} %`}) over ${signalCells[d]} cells with signal, ` +
        `weighted by score × area; rural ${Math.round(ruralP)} evenly by area over ${otherCells[d]} cells` +
        (otherCells[d] === 0 && P * (1 - urbanShare) > 0 ? ' (no cell without signal: the rural share joined the urban)' : ''),
    );
  }

  const population = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = grid.district[i];
    if (d < 0 || d >= nd) continue;
    population[i] =
      perAnyArea[d] > 0
        ? perAnyArea[d] * grid.areaM2[i]
        : signal[i]
          ? perUrbanWeight[d] * score[i] * grid.areaM2[i]
          : perRuralArea[d] * grid.areaM2[i];
  }

  const children = {} as Record<AgeGroup, Float64Array>;
  for (const g of AGE_GROUPS) {
    const arr = new Float64Array(n);
    const share = districts.map((c) => {
      const total = c.children?.[g] ?? (g === 'children_0_14' && c.children ? sumGroups(c.children) : 0);
      return c.population > 0 ? total / c.population : 0;
    });
    for (let i = 0; i < n; i++) {
      const d = grid.district[i];
      if (d >= 0 && d < nd) arr[i] = population[i] * share[d];
    }
    children[g] = arr;
  }

  const method =
    `dasymetric: census total per district; urban share to cells whose street density (smoothed over ${2 * k + 1}×${2 * k + 1} squares of ${spec.cellSizeM} m) ` +
    `≥ ${minDensity} km/km² or with a facility nearby, weighted by (density + ${facilityWeight} per facility) × area; rural remainder evenly by area; ` +
    `child groups in the district's census proportions`;
  return { population, children, signal, streetDensityKmPerKm2: density, districtMethods, method };
}

function sumGroups(c: Partial<Record<AgeGroup, number>>): number {
  return (c.children_0_2 ?? 0) + (c.children_3_5 ?? 0) + (c.children_6_11 ?? 0) + (c.children_12_14 ?? 0);
}

/** Values per grid square: a typed array when the raster is small, a map when it is not. */
class SquareRaster {
  private readonly dense: Float64Array | null;
  private readonly sparse: Map<number, number> | null;
  constructor(private readonly spec: GridSpec) {
    const size = spec.cols * spec.rows;
    this.dense = size <= 16_000_000 ? new Float64Array(size) : null;
    this.sparse = this.dense ? null : new Map();
  }
  add(c: number, r: number, v: number): void {
    if (c < 0 || r < 0 || c >= this.spec.cols || r >= this.spec.rows) return;
    const key = r * this.spec.cols + c;
    if (this.dense) this.dense[key] += v;
    else this.sparse!.set(key, (this.sparse!.get(key) ?? 0) + v);
  }
  get(c: number, r: number): number {
    if (c < 0 || r < 0 || c >= this.spec.cols || r >= this.spec.rows) return 0;
    const key = r * this.spec.cols + c;
    return this.dense ? this.dense[key] : (this.sparse!.get(key) ?? 0);
  }
  /** A function giving the sum over the (2k+1)² squares centred on (c, r). */
  boxSum(k: number): (c: number, r: number) => number {
    if (k === 0) return (c, r) => this.get(c, r);
    if (this.dense) {
      // summed-area table
      const { cols, rows } = this.spec;
      const w = cols + 1;
      const sat = new Float64Array(w * (rows + 1));
      for (let r = 0; r < rows; r++) {
        let rowSum = 0;
        for (let c = 0; c < cols; c++) {
          rowSum += this.dense[r * cols + c];
          sat[(r + 1) * w + c + 1] = sat[r * w + c + 1] + rowSum;
        }
      }
      return (c, r) => {
        const c0 = Math.max(0, c - k),
          r0 = Math.max(0, r - k),
          c1 = Math.min(cols, c + k + 1),
          r1 = Math.min(rows, r + k + 1);
        return sat[r1 * w + c1] - sat[r0 * w + c1] - sat[r1 * w + c0] + sat[r0 * w + c0];
      };
    }
    return (c, r) => {
      let s = 0;
      for (let dr = -k; dr <= k; dr++) for (let dc = -k; dc <= k; dc++) s += this.get(c + dc, r + dr);
      return s;
    };
  }
}

/**
 * Visits the squares a segment crosses (in square units), with the fraction of the segment
 * inside each. Amanatides & Woo (1987) voxel traversal.
 */
function traverse(x0: number, y0: number, x1: number, y1: number, visit: (c: number, r: number, frac: number) => void): void {
  const dx = x1 - x0,
    dy = y1 - y0;
  let c = Math.floor(x0),
    r = Math.floor(y0);
  const cEnd = Math.floor(x1),
    rEnd = Math.floor(y1);
  if (dx === 0 && dy === 0) return;
  const stepC = dx > 0 ? 1 : -1,
    stepR = dy > 0 ? 1 : -1;
  const tDeltaC = dx !== 0 ? Math.abs(1 / dx) : Infinity;
  const tDeltaR = dy !== 0 ? Math.abs(1 / dy) : Infinity;
  let tMaxC = dx !== 0 ? (dx > 0 ? c + 1 - x0 : x0 - c) * tDeltaC : Infinity;
  let tMaxR = dy !== 0 ? (dy > 0 ? r + 1 - y0 : y0 - r) * tDeltaR : Infinity;
  let t = 0;
  for (let guard = 0; guard < 1e7; guard++) {
    const tNext = Math.min(tMaxC, tMaxR, 1);
    if (tNext > t) visit(c, r, tNext - t);
    t = tNext;
    if (t >= 1 || (c === cEnd && r === rEnd)) {
      if (t < 1) visit(c, r, 1 - t);
      return;
    }
    if (tMaxC < tMaxR) {
      c += stepC;
      tMaxC += tDeltaC;
    } else {
      r += stepR;
      tMaxR += tDeltaR;
    }
  }
}
