/**
 * Coverage of a population surface by one category of facility: for every cell, the
 * distance to the nearest facility and whether it is within the norm's radius; then, per
 * district, how many people and children of the relevant age are covered.
 *
 * Two measures, always reported side by side:
 * - **euclidean**: great-circle distance from the cell's point to the nearest facility
 *   (KDBush + haversine, exact nearest; O(cells · log facilities));
 * - **network**: walking effort along the street network (one multi-source Dijkstra per
 *   category, steps penalised), plus the straight legs from the cell to its nearest walkable
 *   edge and from that edge to the facility. Cells farther than `maxAccessM` from any
 *   walkable edge have **no network access**: not covered, and counted separately.
 *
 * The network effort is never less than the straight-line distance (a path is at least as
 * long as the chord, and steps only add), so network coverage ⊆ euclidean coverage up to
 * the projection's < 1 % planar error on the legs; the difference is what the river and
 * the cliff cost. That is the number planners need: "straight lines overstate coverage by
 * X people".
 *
 * @example
 * const norm = normFor('kindergarten');
 * const e = euclideanCoverage(cells, kindergartens, { radiusM: norm.radiusM });
 * const n = networkCoverage(graph, join, kindergartens, { radiusM: norm.radiusM });
 * const cmp = compareCoverage(summariseCoverage(cells, e, { ageGroup: norm.ageGroup }), summariseCoverage(cells, n, { ageGroup: norm.ageGroup }));
 * cmp.total.overstatedChildren; // children counted as covered by straight lines but not on foot
 */
import type { CategoryId } from '../catalogue';
import { facilitySeeds, multiSourceDijkstra } from './dijkstra';
import { snapPoints, type CellJoin, type Snaps, type WalkingGraph } from './graph';
import { buildPointIndex, nearestPoint, type NearestHit } from './nearest';
import { normFor, type CoverageNorm } from './norms';
import type { AgeGroup, Cells, FacilityPoints } from './types';

export type CoverageMode = 'euclidean' | 'network';

/** Per-cell result of one coverage pass. */
export interface CellCoverage {
  mode: CoverageMode;
  radiusM: number;
  /** Distances above this are reported as Infinity. */
  maxDistanceM: number;
  /** Metres (euclidean) or level-walking metres of effort (network); Infinity = none within maxDistanceM. */
  distanceM: Float64Array;
  /** Facility number of the nearest facility, -1 when none. */
  nearest: Int32Array;
  /** 1 when distanceM ≤ radiusM. */
  covered: Uint8Array;
  /** Network mode: 1 when the cell is farther than maxAccessM from any walkable edge. Null in euclidean mode. */
  noAccess: Uint8Array | null;
}

/** Network-mode result, with the node-level state that what-if updates build on. */
export interface NetworkCoverage extends CellCoverage {
  mode: 'network';
  nodeDist: Float64Array;
  nodeLabel: Int32Array;
  facilitySnaps: Snaps;
  /** Facilities farther than maxAccessM from the network: they cover nobody in network mode. */
  unsnappedFacilities: Int32Array;
}

export interface CoverageOptions {
  radiusM: number;
  /** Report distances only up to this; larger ones become Infinity. Default Infinity. */
  maxDistanceM?: number;
}

/**
 * Straight-line (haversine) coverage.
 * @example euclideanCoverage(cells, facilities, { radiusM: 300 }).covered
 */
export function euclideanCoverage(
  cells: Pick<Cells, 'count' | 'lng' | 'lat'>,
  facilities: FacilityPoints,
  options: CoverageOptions,
): CellCoverage {
  const n = cells.count;
  const maxDistanceM = options.maxDistanceM ?? Infinity;
  const distanceM = new Float64Array(n).fill(Infinity);
  const nearest = new Int32Array(n).fill(-1);
  const covered = new Uint8Array(n);
  if (facilities.count > 0) {
    const idx = buildPointIndex(facilities.lng, facilities.lat);
    const hit: NearestHit = { index: -1, distanceM: Infinity };
    for (let i = 0; i < n; i++) {
      nearestPoint(idx, cells.lng[i], cells.lat[i], maxDistanceM, null, hit);
      distanceM[i] = hit.distanceM;
      nearest[i] = hit.index;
      covered[i] = hit.distanceM <= options.radiusM ? 1 : 0;
    }
  }
  return { mode: 'euclidean', radiusM: options.radiusM, maxDistanceM, distanceM, nearest, covered, noAccess: null };
}

/** Facilities sitting on each edge (for cells on the same edge, which reach them directly). */
export type EdgeFacilities = Map<number, { id: number; t: number; legM: number }[]>;

/** Edge → facilities snapped to it. `ids` maps snap i to a facility number (default i). */
export function edgeFacilities(snaps: Snaps, ids?: ArrayLike<number>): EdgeFacilities {
  const m: EdgeFacilities = new Map();
  for (let i = 0; i < snaps.count; i++) {
    const e = snaps.edge[i];
    if (e < 0) continue;
    let list = m.get(e);
    if (!list) {
      list = [];
      m.set(e, list);
    }
    list.push({ id: ids ? ids[i] : i, t: snaps.t[i], legM: snaps.legM[i] });
  }
  return m;
}

/**
 * Network effort from cell i to its nearest facility, given node efforts. Writes into `out`.
 * Paths: leg to the edge, then backwards to `from` (two-way edges only) or forwards to `to`,
 * then the node's effort; or straight along the edge to a facility on the same edge.
 */
export function cellNetworkDistance(
  graph: WalkingGraph,
  join: CellJoin,
  i: number,
  nodeDist: Float64Array,
  nodeLabel: Int32Array,
  onEdge: EdgeFacilities,
  maxDistanceM: number,
  out: NearestHit,
): NearestHit {
  out.index = -1;
  out.distanceM = Infinity;
  const e = join.edge[i];
  if (e < 0) return out;
  const leg = join.legM[i],
    t = join.t[i],
    c = graph.edgeCostM[e],
    cb = graph.edgeCostBackM[e];
  const oneway = graph.edgeOneway[e] === 1;
  const consider = (d: number, lab: number) => {
    if (lab < 0) return;
    if (d < out.distanceM || (d === out.distanceM && lab < out.index)) {
      out.distanceM = d;
      out.index = lab;
    }
  };
  const u = graph.edgeFrom[e],
    v = graph.edgeTo[e];
  if (!oneway) consider(leg + t * cb + nodeDist[u], nodeLabel[u]);
  consider(leg + (1 - t) * c + nodeDist[v], nodeLabel[v]);
  const list = onEdge.get(e);
  if (list)
    for (const f of list) {
      if (f.t >= t) consider(leg + (f.t - t) * c + f.legM, f.id);
      else if (!oneway) consider(leg + (t - f.t) * cb + f.legM, f.id);
    }
  if (out.distanceM > maxDistanceM) {
    out.distanceM = Infinity;
    out.index = -1;
  }
  return out;
}

/**
 * Walking-network coverage: one multi-source Dijkstra from all facilities of the category.
 * Facilities are snapped to the nearest point of the nearest walkable edge (within the
 * join's `maxAccessM`).
 * @example networkCoverage(graph, joinCells(graph, cells), facilities, { radiusM: 300 })
 */
export function networkCoverage(
  graph: WalkingGraph,
  join: CellJoin,
  facilities: FacilityPoints,
  options: CoverageOptions & { maxAccessM?: number },
): NetworkCoverage {
  const n = join.count;
  const maxDistanceM = options.maxDistanceM ?? Infinity;
  const snaps = snapPoints(graph, facilities.lng, facilities.lat, options.maxAccessM ?? join.maxAccessM);
  const seeds = facilitySeeds(graph, snaps);
  const r = multiSourceDijkstra(graph, seeds, { cutoffM: maxDistanceM });
  const onEdge = edgeFacilities(snaps);
  const distanceM = new Float64Array(n);
  const nearest = new Int32Array(n);
  const covered = new Uint8Array(n);
  const noAccess = new Uint8Array(n);
  const hit: NearestHit = { index: -1, distanceM: Infinity };
  for (let i = 0; i < n; i++) {
    if (join.edge[i] < 0) noAccess[i] = 1;
    cellNetworkDistance(graph, join, i, r.dist, r.label, onEdge, maxDistanceM, hit);
    distanceM[i] = hit.distanceM;
    nearest[i] = hit.index;
    covered[i] = hit.distanceM <= options.radiusM ? 1 : 0;
  }
  const unsnapped: number[] = [];
  for (let j = 0; j < snaps.count; j++) if (snaps.edge[j] < 0) unsnapped.push(j);
  return {
    mode: 'network',
    radiusM: options.radiusM,
    maxDistanceM,
    distanceM,
    nearest,
    covered,
    noAccess,
    nodeDist: r.dist,
    nodeLabel: r.label,
    facilitySnaps: snaps,
    unsnappedFacilities: Int32Array.from(unsnapped),
  };
}

/** Coverage figures of one district (or of all cells, `district` = -1). */
export interface DistrictCoverage {
  district: number;
  cellCount: number;
  areaKm2: number;
  population: number;
  /** Children of the norm's age group. */
  children: number;
  coveredPopulation: number;
  coveredChildren: number;
  uncoveredPopulation: number;
  uncoveredChildren: number;
  /** Covered / total; null when the total is 0 ("no data", never NaN). */
  shareCoveredPopulation: number | null;
  shareCoveredChildren: number | null;
  coveredAreaKm2: number;
  /** Network mode: people in cells with no walkable edge within maxAccessM (part of "uncovered"). */
  noAccessPopulation: number;
  noAccessChildren: number;
}

export interface CoverageSummary {
  mode: CoverageMode;
  radiusM: number;
  ageGroup: AgeGroup;
  districts: DistrictCoverage[];
  total: DistrictCoverage;
}

/**
 * Aggregates per-cell coverage by district. `districtCount` makes districts without cells
 * appear (with zeros and null shares); default max district index + 1.
 * @example summariseCoverage(cells, coverage, { ageGroup: 'children_3_5' }).total.shareCoveredChildren
 */
export function summariseCoverage(
  cells: Cells,
  coverage: CellCoverage,
  options: { ageGroup: AgeGroup; districtCount?: number },
): CoverageSummary {
  let nd = options.districtCount ?? 0;
  if (options.districtCount === undefined) for (let i = 0; i < cells.count; i++) nd = Math.max(nd, cells.district[i] + 1);
  const acc = Array.from({ length: nd }, (_, d) => emptyRow(d));
  const total = emptyRow(-1);
  const ch = cells.children[options.ageGroup];
  const add = (row: DistrictCoverage, i: number) => {
    row.cellCount++;
    row.areaKm2 += cells.areaM2[i] / 1e6;
    row.population += cells.population[i];
    row.children += ch[i];
    if (coverage.covered[i]) {
      row.coveredPopulation += cells.population[i];
      row.coveredChildren += ch[i];
      row.coveredAreaKm2 += cells.areaM2[i] / 1e6;
    }
    if (coverage.noAccess?.[i]) {
      row.noAccessPopulation += cells.population[i];
      row.noAccessChildren += ch[i];
    }
  };
  for (let i = 0; i < cells.count; i++) {
    const d = cells.district[i];
    if (d >= 0 && d < nd) add(acc[d], i);
    add(total, i);
  }
  for (const row of [...acc, total]) finishRow(row);
  return { mode: coverage.mode, radiusM: coverage.radiusM, ageGroup: options.ageGroup, districts: acc, total };
}

function emptyRow(district: number): DistrictCoverage {
  return {
    district,
    cellCount: 0,
    areaKm2: 0,
    population: 0,
    children: 0,
    coveredPopulation: 0,
    coveredChildren: 0,
    uncoveredPopulation: 0,
    uncoveredChildren: 0,
    shareCoveredPopulation: null,
    shareCoveredChildren: null,
    coveredAreaKm2: 0,
    noAccessPopulation: 0,
    noAccessChildren: 0,
  };
}

/** A row's uncovered counts and shares, from its sums. */
export function finishRow(row: DistrictCoverage): void {
  row.uncoveredPopulation = row.population - row.coveredPopulation;
  row.uncoveredChildren = row.children - row.coveredChildren;
  row.shareCoveredPopulation = row.population > 0 ? row.coveredPopulation / row.population : null;
  row.shareCoveredChildren = row.children > 0 ? row.coveredChildren / row.children : null;
}

export interface CoverageDifference {
  district: number;
  euclidean: DistrictCoverage;
  network: DistrictCoverage;
  /** Covered by straight lines minus covered on foot (people); ≥ 0 up to sub-% projection noise. */
  overstatedPopulation: number;
  overstatedChildren: number;
  /** Difference of shares in percentage points; null when either share is null. */
  overstatedSharePoints: number | null;
}

export interface CoverageComparison {
  radiusM: number;
  ageGroup: AgeGroup;
  districts: CoverageDifference[];
  total: CoverageDifference;
  /** One sentence for the UI. */
  text: string;
}

/**
 * Euclidean and network summaries side by side.
 * @example compareCoverage(eSummary, nSummary).text // 'Straight-line distance overstates coverage by 1,234 people (210 children_3_5) …'
 */
export function compareCoverage(euclidean: CoverageSummary, network: CoverageSummary): CoverageComparison {
  const diff = (e: DistrictCoverage, n: DistrictCoverage): CoverageDifference => ({
    district: e.district,
    euclidean: e,
    network: n,
    overstatedPopulation: e.coveredPopulation - n.coveredPopulation,
    overstatedChildren: e.coveredChildren - n.coveredChildren,
    overstatedSharePoints:
      e.shareCoveredChildren === null || n.shareCoveredChildren === null ? null : 100 * (e.shareCoveredChildren - n.shareCoveredChildren),
  });
  const districts = euclidean.districts.map((e, d) => diff(e, network.districts[d] ?? emptyRow(d)));
  const total = diff(euclidean.total, network.total);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const text =
    `Straight-line distance overstates coverage within ${euclidean.radiusM} m by ${fmt(total.overstatedPopulation)} people ` +
    `(${fmt(total.overstatedChildren)} ${euclidean.ageGroup})` +
    (total.overstatedSharePoints === null ? '' : `, ${total.overstatedSharePoints.toFixed(1)} percentage points of children`) +
    '.';
  return { radiusM: euclidean.radiusM, ageGroup: euclidean.ageGroup, districts, total, text };
}

/** Everything about one category: the norm, both measures and their difference. */
export interface CategoryCoverage {
  norm: CoverageNorm;
  euclidean: { cells: CellCoverage; summary: CoverageSummary };
  network: { cells: NetworkCoverage; summary: CoverageSummary } | null;
  comparison: CoverageComparison | null;
}

/**
 * The whole analysis for one category: euclidean always, network when a graph and a cell
 * join are given. The norm's radius and age group can be overridden.
 * @example analyseCategory({ category: 'kindergarten', cells, facilities, graph, join })
 */
export function analyseCategory(input: {
  category: CategoryId;
  cells: Cells;
  facilities: FacilityPoints;
  graph?: WalkingGraph;
  join?: CellJoin;
  norm?: Partial<Pick<CoverageNorm, 'radiusM' | 'ageGroup'>>;
  districtCount?: number;
  maxDistanceM?: number;
}): CategoryCoverage {
  const norm = normFor(input.category, input.norm);
  const opts = { radiusM: norm.radiusM, maxDistanceM: input.maxDistanceM };
  const sumOpts = { ageGroup: norm.ageGroup, districtCount: input.districtCount };
  const eCells = euclideanCoverage(input.cells, input.facilities, opts);
  const euclidean = { cells: eCells, summary: summariseCoverage(input.cells, eCells, sumOpts) };
  if (!input.graph || !input.join) return { norm, euclidean, network: null, comparison: null };
  const nCells = networkCoverage(input.graph, input.join, input.facilities, opts);
  const network = { cells: nCells, summary: summariseCoverage(input.cells, nCells, sumOpts) };
  return { norm, euclidean, network, comparison: compareCoverage(euclidean.summary, network.summary) };
}
