/**
 * Capacity-aware accessibility: the two-step floating catchment area method (2SFCA,
 * Luo & Wang 2003, "Measures of spatial accessibility to health care in a GIS environment",
 * *Environment and Planning B* 30(6): 865–884, doi:10.1068/b29120).
 *
 * Step 1, per facility j with capacity S_j: R_j = S_j / Σ_{k: d_kj ≤ d₀} D_k, the places per
 * child of the demand inside its catchment. Step 2, per cell i: A_i = Σ_{j: d_ij ≤ d₀} R_j,
 * the places per child the cell can reach. Reported per 1,000 children (the plan's unit:
 * 实施方案 §五 counts 托位 per 1,000 people). A district's figure is the demand-weighted
 * mean, 1000 · Σ A_i D_i / Σ D_i, which equals the places its children can reach, shared
 * fairly with neighbours.
 *
 * Distances come as facility–cell pairs within the catchment, from straight lines
 * ({@link euclideanPairs}) or the walking network ({@link networkPairs}), so the method is
 * the same in both modes. An optional weight w(d) gives the enhanced 2SFCA (Luo & Qi 2009);
 * the default is the original binary catchment.
 *
 * @example
 * const pairs = euclideanPairs(cells, kindergartens, 300);
 * const fca = twoStepFca(cells, kindergartens, pairs, { ageGroup: 'children_3_5' });
 * fca.districts[0].placesPer1000Children;
 */
import { boundedSearch, createSearchScratch, facilitySeeds } from './dijkstra';
import { cellNetworkDistance, edgeFacilities } from './coverage';
import { snapPoints, type CellJoin, type WalkingGraph } from './graph';
import { buildPointIndex, pointsWithin, type NearestHit } from './nearest';
import { haversineM } from './geo';
import type { AgeGroup, Cells, FacilityPoints } from './types';

/** Facility–cell pairs within a catchment. */
export interface CatchmentPairs {
  count: number;
  facility: Int32Array;
  cell: Int32Array;
  distanceM: Float64Array;
}

function toPairs(f: number[], c: number[], d: number[]): CatchmentPairs {
  return { count: f.length, facility: Int32Array.from(f), cell: Int32Array.from(c), distanceM: Float64Array.from(d) };
}

/**
 * Pairs within `radiusM` by haversine distance (KDBush range query per facility).
 * @example euclideanPairs(cells, facilities, 300)
 */
export function euclideanPairs(cells: Pick<Cells, 'count' | 'lng' | 'lat'>, facilities: FacilityPoints, radiusM: number): CatchmentPairs {
  const f: number[] = [],
    c: number[] = [],
    d: number[] = [];
  if (cells.count === 0) return toPairs(f, c, d);
  const idx = buildPointIndex(cells.lng, cells.lat);
  for (let j = 0; j < facilities.count; j++) {
    for (const i of pointsWithin(idx, facilities.lng[j], facilities.lat[j], radiusM)) {
      f.push(j);
      c.push(i);
      d.push(haversineM(facilities.lng[j], facilities.lat[j], cells.lng[i], cells.lat[i]));
    }
  }
  return toPairs(f, c, d);
}

/**
 * Pairs within `radiusM` of walking effort: one Dijkstra per facility, bounded by the radius
 * (each explores only its own catchment, so the total is ~ facilities × catchment size).
 * @example networkPairs(graph, join, facilities, 300)
 */
export function networkPairs(graph: WalkingGraph, join: CellJoin, facilities: FacilityPoints, radiusM: number): CatchmentPairs {
  const f: number[] = [],
    c: number[] = [],
    d: number[] = [];
  const snaps = snapPoints(graph, facilities.lng, facilities.lat, join.maxAccessM);
  const edgeSeen = new Int32Array(graph.edgeCount).fill(-1);
  const scratch = createSearchScratch(graph.nodeCount);
  const hit: NearestHit = { index: -1, distanceM: Infinity };
  for (let j = 0; j < facilities.count; j++) {
    if (snaps.edge[j] < 0) continue;
    const one = { count: 1, edge: snaps.edge.subarray(j, j + 1), t: snaps.t.subarray(j, j + 1), legM: snaps.legM.subarray(j, j + 1) };
    boundedSearch(graph, facilitySeeds(graph, one, [j]), radiusM, scratch);
    const onEdge = edgeFacilities(one, [j]);
    const visitEdge = (e: number) => {
      if (edgeSeen[e] === j) return;
      edgeSeen[e] = j;
      for (let q = join.edgeCellOffsets[e]; q < join.edgeCellOffsets[e + 1]; q++) {
        const i = join.cellsByEdge[q];
        cellNetworkDistance(graph, join, i, scratch.dist, scratch.label, onEdge, radiusM, hit);
        if (hit.index === j) {
          f.push(j);
          c.push(i);
          d.push(hit.distanceM);
        }
      }
    };
    visitEdge(snaps.edge[j]);
    for (let k = 0; k < scratch.settledCount; k++) {
      const u = scratch.settled[k];
      for (let q = graph.incOffsets[u]; q < graph.incOffsets[u + 1]; q++) visitEdge(graph.incEdges[q]);
    }
  }
  return toPairs(f, c, d);
}

export interface FcaDistrict {
  district: number;
  /** Children of the age group in the district. */
  children: number;
  /** Demand-weighted mean accessibility × 1000; null when the district has no such children. */
  placesPer1000Children: number | null;
  /** Σ A_i D_i: places reachable by the district's children, fairly shared. */
  reachablePlaces: number;
}

export interface FcaResult {
  ageGroup: AgeGroup;
  /** Step 1: places per child of catchment demand, per facility; NaN without capacity or without demand. */
  ratio: Float64Array;
  /** Step 2: places per child reachable from each cell. */
  accessibility: Float64Array;
  /** accessibility × 1000. */
  placesPer1000: Float64Array;
  districts: FcaDistrict[];
  total: FcaDistrict;
  /** Facilities whose capacity is unknown (left out of supply). */
  facilitiesWithoutCapacity: Int32Array;
  /** Facilities with capacity but no children in reach (their places serve nobody in the model). */
  facilitiesWithoutDemand: Int32Array;
}

/**
 * The 2SFCA index for facilities with capacity.
 * @param weight optional distance decay w(dM) in [0, 1] (E2SFCA); default 1 inside the catchment
 * @example twoStepFca(cells, facilities, euclideanPairs(cells, facilities, 300), { ageGroup: 'children_3_5' })
 */
export function twoStepFca(
  cells: Cells,
  facilities: FacilityPoints,
  pairs: CatchmentPairs,
  options: { ageGroup: AgeGroup; weight?: (distanceM: number) => number; districtCount?: number },
): FcaResult {
  const demand = cells.children[options.ageGroup];
  const w = options.weight ?? (() => 1);
  const nf = facilities.count;
  const capacity = facilities.capacity ?? new Float64Array(nf).fill(NaN);
  const catchmentDemand = new Float64Array(nf);
  for (let p = 0; p < pairs.count; p++) catchmentDemand[pairs.facility[p]] += demand[pairs.cell[p]] * w(pairs.distanceM[p]);
  const ratio = new Float64Array(nf);
  const noCap: number[] = [],
    noDemand: number[] = [];
  for (let j = 0; j < nf; j++) {
    if (!Number.isFinite(capacity[j])) {
      ratio[j] = NaN;
      noCap.push(j);
    } else if (!(catchmentDemand[j] > 0)) {
      ratio[j] = NaN;
      noDemand.push(j);
    } else ratio[j] = capacity[j] / catchmentDemand[j];
  }
  const accessibility = new Float64Array(cells.count);
  for (let p = 0; p < pairs.count; p++) {
    const r = ratio[pairs.facility[p]];
    if (Number.isFinite(r)) accessibility[pairs.cell[p]] += r * w(pairs.distanceM[p]);
  }
  return finish(cells, demand, ratio, accessibility, noCap, noDemand, options);
}

/** Step 2's per-district rows and the result, from the ratios and the cells' accessibility. */
function finish(
  cells: Cells,
  demand: Float64Array,
  ratio: Float64Array,
  accessibility: Float64Array,
  noCap: number[],
  noDemand: number[],
  options: { ageGroup: AgeGroup; districtCount?: number },
): FcaResult {
  // plain loops, no callback or array per cell: this runs over every cell after each edit (issue 13)
  const placesPer1000 = new Float64Array(accessibility.length);
  for (let i = 0; i < accessibility.length; i++) placesPer1000[i] = accessibility[i] * 1000;

  let nd = options.districtCount ?? 0;
  if (options.districtCount === undefined) for (let i = 0; i < cells.count; i++) nd = Math.max(nd, cells.district[i] + 1);
  const rows = Array.from(
    { length: nd },
    (_, d): FcaDistrict => ({ district: d, children: 0, placesPer1000Children: null, reachablePlaces: 0 }),
  );
  const total: FcaDistrict = { district: -1, children: 0, placesPer1000Children: null, reachablePlaces: 0 };
  for (let i = 0; i < cells.count; i++) {
    const d = cells.district[i];
    const reach = accessibility[i] * demand[i];
    if (d >= 0 && d < nd) {
      rows[d].children += demand[i];
      rows[d].reachablePlaces += reach;
    }
    total.children += demand[i];
    total.reachablePlaces += reach;
  }
  for (const row of [...rows, total]) row.placesPer1000Children = row.children > 0 ? (1000 * row.reachablePlaces) / row.children : null;
  return {
    ageGroup: options.ageGroup,
    ratio,
    accessibility,
    placesPer1000,
    districts: rows,
    total,
    facilitiesWithoutCapacity: Int32Array.from(noCap),
    facilitiesWithoutDemand: Int32Array.from(noDemand),
  };
}

/** One facility's catchment: the cells within its radius and their distances. */
export interface Catchment {
  cell: Int32Array;
  distanceM: Float64Array;
}

/**
 * What an incremental 2SFCA keeps between two facility sets: per facility id its position and
 * capacity, its catchment, its catchment demand and ratio, and every cell's accessibility.
 */
export interface FcaState {
  ageGroup: AgeGroup;
  byId: Map<number, { lng: number; lat: number; capacity: number; catchment: Catchment; ratio: number }>;
  accessibility: Float64Array;
}

/** Pairs grouped by facility (index = facility number). */
export function catchmentsOf(pairs: CatchmentPairs, facilityCount: number): Catchment[] {
  const n = new Int32Array(facilityCount);
  for (let p = 0; p < pairs.count; p++) n[pairs.facility[p]]++;
  const out = Array.from({ length: facilityCount }, (_, j) => ({ cell: new Int32Array(n[j]), distanceM: new Float64Array(n[j]) }));
  n.fill(0);
  for (let p = 0; p < pairs.count; p++) {
    const j = pairs.facility[p];
    out[j].cell[n[j]] = pairs.cell[p];
    out[j].distanceM[n[j]++] = pairs.distanceM[p];
  }
  return out;
}

function ratioOf(capacity: number, catchment: Catchment, demand: Float64Array, w: (d: number) => number): number {
  if (!Number.isFinite(capacity)) return NaN;
  let sum = 0;
  for (let k = 0; k < catchment.cell.length; k++) sum += demand[catchment.cell[k]] * w(catchment.distanceM[k]);
  return sum > 0 ? capacity / sum : NaN;
}

function addCatchment(acc: Float64Array, c: Catchment, ratio: number, sign: 1 | -1, w: (d: number) => number): void {
  if (!Number.isFinite(ratio)) return;
  for (let k = 0; k < c.cell.length; k++) acc[c.cell[k]] += sign * ratio * w(c.distanceM[k]);
}

function resultFromState(
  cells: Cells,
  facilities: FacilityPoints,
  ids: ArrayLike<number>,
  state: FcaState,
  options: { ageGroup: AgeGroup; weight?: (distanceM: number) => number; districtCount?: number },
): FcaResult {
  const demand = cells.children[options.ageGroup];
  const ratio = new Float64Array(facilities.count);
  const noCap: number[] = [],
    noDemand: number[] = [];
  for (let j = 0; j < facilities.count; j++) {
    const f = state.byId.get(ids[j])!;
    ratio[j] = f.ratio;
    if (!Number.isFinite(f.capacity)) noCap.push(j);
    else if (!Number.isFinite(f.ratio)) noDemand.push(j);
  }
  // float noise of subtracting a catchment is clamped: accessibility is never negative
  const acc = new Float64Array(state.accessibility.length);
  for (let i = 0; i < acc.length; i++) acc[i] = Math.max(0, state.accessibility[i]);
  return finish(cells, demand, ratio, acc, noCap, noDemand, options);
}

/**
 * 2SFCA with the state an incremental update starts from ({@link updateTwoStepFca}). Facilities
 * are identified by `ids` (unique), e.g. database ids.
 * @example const { result, state } = twoStepFcaWithState(cells, kgs, ids, pairs, { ageGroup: 'children_3_5' });
 */
export function twoStepFcaWithState(
  cells: Cells,
  facilities: FacilityPoints,
  ids: ArrayLike<number>,
  pairs: CatchmentPairs,
  options: { ageGroup: AgeGroup; weight?: (distanceM: number) => number; districtCount?: number },
): { result: FcaResult; state: FcaState } {
  const demand = cells.children[options.ageGroup];
  const w = options.weight ?? (() => 1);
  const capacity = facilities.capacity ?? new Float64Array(facilities.count).fill(NaN);
  const catchments = catchmentsOf(pairs, facilities.count);
  const state: FcaState = { ageGroup: options.ageGroup, byId: new Map(), accessibility: new Float64Array(cells.count) };
  for (let j = 0; j < facilities.count; j++) {
    const ratio = ratioOf(capacity[j], catchments[j], demand, w);
    state.byId.set(ids[j], { lng: facilities.lng[j], lat: facilities.lat[j], capacity: capacity[j], catchment: catchments[j], ratio });
    addCatchment(state.accessibility, catchments[j], ratio, 1, w);
  }
  return { result: resultFromState(cells, facilities, ids, state, options), state };
}

/**
 * 2SFCA after an edit, from the state of the previous facility set on the same cells: in
 * Luo & Wang's method a facility's ratio R_j depends only on its own capacity and catchment,
 * so a facility that was added, moved, re-sized or removed changes R_j and the accessibility
 * of the cells in its old and new catchments, and nothing else. Only those catchments are
 * computed (`catchmentOf`, for the facility numbers of `facilities` that changed); the rest is
 * reused. The answer equals {@link twoStepFca} on the new set (to float rounding).
 * `prev` is not modified.
 * @returns the result, the new state, and how many catchments were computed
 * @example const next = updateTwoStepFca(cells, prev, kgs, ids, (j) => catchmentOf(j), { ageGroup: 'children_3_5' });
 */
export function updateTwoStepFca(
  cells: Cells,
  prev: FcaState,
  facilities: FacilityPoints,
  ids: ArrayLike<number>,
  catchmentOf: (j: number) => Catchment,
  options: { ageGroup: AgeGroup; weight?: (distanceM: number) => number; districtCount?: number },
): { result: FcaResult; state: FcaState; recomputed: number } {
  if (prev.ageGroup !== options.ageGroup) throw new Error('updateTwoStepFca: the previous state is of another age group');
  if (prev.accessibility.length !== cells.count) throw new Error('updateTwoStepFca: the previous state is of other cells');
  const demand = cells.children[options.ageGroup];
  const w = options.weight ?? (() => 1);
  const capacity = facilities.capacity ?? new Float64Array(facilities.count).fill(NaN);
  const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
  const state: FcaState = { ageGroup: prev.ageGroup, byId: new Map(), accessibility: prev.accessibility.slice() };
  let recomputed = 0;
  for (let j = 0; j < facilities.count; j++) {
    const old = prev.byId.get(ids[j]);
    if (old && old.lng === facilities.lng[j] && old.lat === facilities.lat[j] && same(old.capacity, capacity[j])) {
      state.byId.set(ids[j], old);
      continue;
    }
    const catchment = catchmentOf(j);
    recomputed++;
    const ratio = ratioOf(capacity[j], catchment, demand, w);
    state.byId.set(ids[j], { lng: facilities.lng[j], lat: facilities.lat[j], capacity: capacity[j], catchment, ratio });
    addCatchment(state.accessibility, catchment, ratio, 1, w);
  }
  // the old contributions of facilities that moved, changed or went away
  for (const [id, old] of prev.byId) if (state.byId.get(id) !== old) addCatchment(state.accessibility, old.catchment, old.ratio, -1, w);
  return { result: resultFromState(cells, facilities, ids, state, options), state, recomputed };
}
