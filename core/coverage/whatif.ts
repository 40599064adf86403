/**
 * What-if scenarios: add proposed facilities or remove existing ones and get the new
 * coverage without a full recomputation, plus a greedy maximal-coverage site suggestion.
 *
 * A scenario is an immutable value: every update returns a new scenario (arrays copied,
 * a few MB at most) and leaves the old one intact, so a UI can keep an undo stack.
 *
 * Incremental rules, all exact (tests check them against a full recomputation):
 * - **euclidean add**: only cells within `maxDistanceM` of the new site can change (or, with
 *   no bound, within the largest current distance); each takes min(old, new).
 * - **euclidean remove**: only cells whose nearest facility was removed change; each gets a
 *   new nearest-neighbour query that skips removed facilities.
 * - **network add**: one Dijkstra from the new site that only follows strict improvements
 *   over the current node efforts — it stops at the edge of the area where the new site is
 *   nearest — then the cells on edges touching changed nodes are re-evaluated.
 * - **network remove**: the nodes labelled with the removed facility are reset and re-filled
 *   by a Dijkstra seeded from their intact neighbours (and any other facility inside);
 *   only cells whose nearest was the removed facility change.
 *
 * @example
 * let s = createScenario({ mode: 'network', cells, facilities, radiusM: 300, graph, join });
 * s = addFacilities(s, [[106.55, 29.56]]).scenario;
 * s = removeFacilities(s, [12]).scenario;
 * const { sites } = suggestSites(s, { k: 3, ageGroup: 'children_3_5' });
 */
import { boundedSearch, createSearchScratch, facilitySeeds, Heap, multiSourceDijkstra, type Seeds } from './dijkstra';
import {
  cellNetworkDistance,
  edgeFacilities,
  euclideanCoverage,
  networkCoverage,
  type CellCoverage,
  type CoverageMode,
  type EdgeFacilities,
} from './coverage';
import { haversineM } from './geo';
import { snapPoints, type CellJoin, type Snaps, type WalkingGraph } from './graph';
import { buildPointIndex, nearestPoint, pointsWithin, type NearestHit, type PointIndex } from './nearest';
import type { AgeGroup, Cells, FacilityPoints } from './types';

export interface Scenario {
  mode: CoverageMode;
  radiusM: number;
  maxDistanceM: number;
  cells: Cells;
  /** All facilities ever in the scenario (original first, then added); see `active`. */
  facilities: { count: number; lng: Float64Array; lat: Float64Array; active: Uint8Array; proposed: Uint8Array };
  coverage: CellCoverage;
  /** Facilities of the original input (indexed statically). */
  baseCount: number;
  baseIndex: PointIndex;
  cellIndex: PointIndex;
  network: {
    graph: WalkingGraph;
    join: CellJoin;
    nodeDist: Float64Array;
    nodeLabel: Int32Array;
    snaps: Snaps;
    onEdge: EdgeFacilities;
  } | null;
}

export interface ScenarioUpdate {
  scenario: Scenario;
  /** Facility numbers added (for addFacilities) or removed. */
  ids: number[];
  /** Cells whose distance or nearest facility changed. */
  changedCells: Int32Array;
}

/**
 * A scenario from the current facilities: one full coverage pass.
 * @example createScenario({ mode: 'euclidean', cells, facilities, radiusM: 300 })
 */
export function createScenario(input: {
  mode: CoverageMode;
  cells: Cells;
  facilities: FacilityPoints;
  radiusM: number;
  maxDistanceM?: number;
  graph?: WalkingGraph;
  join?: CellJoin;
}): Scenario {
  const { cells, facilities, radiusM } = input;
  const maxDistanceM = input.maxDistanceM ?? Infinity;
  const n = facilities.count;
  const fac = {
    count: n,
    lng: Float64Array.from(facilities.lng),
    lat: Float64Array.from(facilities.lat),
    active: new Uint8Array(n).fill(1),
    proposed: new Uint8Array(n),
  };
  const baseIndex = buildPointIndex(fac.lng, fac.lat);
  const cellIndex = buildPointIndex(cells.lng, cells.lat);
  const scenario = (mode: Scenario['mode'], coverage: CellCoverage, network: Scenario['network']): Scenario => ({
    mode,
    radiusM,
    maxDistanceM,
    cells,
    facilities: fac,
    coverage,
    baseCount: n,
    baseIndex,
    cellIndex,
    network,
  });
  if (input.mode === 'euclidean') return scenario('euclidean', euclideanCoverage(cells, facilities, { radiusM, maxDistanceM }), null);
  if (!input.graph || !input.join) throw new Error('createScenario: network mode needs graph and join');
  const cov = networkCoverage(input.graph, input.join, facilities, { radiusM, maxDistanceM });
  const coverage: CellCoverage = {
    mode: 'network',
    radiusM,
    maxDistanceM,
    distanceM: cov.distanceM,
    nearest: cov.nearest,
    covered: cov.covered,
    noAccess: cov.noAccess,
  };
  return scenario('network', coverage, {
    graph: input.graph,
    join: input.join,
    nodeDist: cov.nodeDist,
    nodeLabel: cov.nodeLabel,
    snaps: cov.facilitySnaps,
    onEdge: edgeFacilities(cov.facilitySnaps),
  });
}

function copyCoverage(c: CellCoverage): CellCoverage {
  return { ...c, distanceM: Float64Array.from(c.distanceM), nearest: Int32Array.from(c.nearest), covered: Uint8Array.from(c.covered) };
}

function concat<T extends Float64Array | Uint8Array | Int32Array>(a: T, extra: ArrayLike<number>): T {
  const out = new (a.constructor as { new (n: number): T })(a.length + extra.length);
  out.set(a);
  out.set(extra as ArrayLike<number>, a.length);
  return out;
}

/**
 * Adds proposed facilities; returns the new scenario and the cells that changed.
 * @example addFacilities(s, [[106.55, 29.56]]).changedCells.length
 */
export function addFacilities(s: Scenario, points: ReadonlyArray<readonly [number, number]>): ScenarioUpdate {
  const k = points.length;
  const ids = Array.from({ length: k }, (_, q) => s.facilities.count + q);
  const facilities = {
    count: s.facilities.count + k,
    lng: concat(
      s.facilities.lng,
      points.map((p) => p[0]),
    ),
    lat: concat(
      s.facilities.lat,
      points.map((p) => p[1]),
    ),
    active: concat(s.facilities.active, new Uint8Array(k).fill(1)),
    proposed: concat(s.facilities.proposed, new Uint8Array(k).fill(1)),
  };
  const coverage = copyCoverage(s.coverage);
  const changed = new Set<number>();
  const cells = s.cells;

  if (s.mode === 'euclidean') {
    let bound = s.maxDistanceM;
    if (bound === Infinity) {
      bound = 0;
      for (let i = 0; i < cells.count; i++) if (coverage.distanceM[i] > bound) bound = coverage.distanceM[i];
    }
    for (let q = 0; q < k; q++) {
      const id = ids[q];
      const [lng, lat] = points[q];
      const consider = (i: number) => {
        const d = haversineM(cells.lng[i], cells.lat[i], lng, lat);
        if (d <= s.maxDistanceM && d < coverage.distanceM[i]) {
          coverage.distanceM[i] = d;
          coverage.nearest[i] = id;
          coverage.covered[i] = d <= s.radiusM ? 1 : 0;
          changed.add(i);
        }
      };
      if (bound === Infinity) for (let i = 0; i < cells.count; i++) consider(i);
      else for (const i of pointsWithin(s.cellIndex, lng, lat, bound)) consider(i);
    }
    return { scenario: { ...s, facilities, coverage }, ids, changedCells: sortedInts(changed) };
  }

  const net = s.network!;
  const { graph, join } = net;
  const newSnaps = snapPoints(
    graph,
    points.map((p) => p[0]),
    points.map((p) => p[1]),
    join.maxAccessM,
  );
  const snaps: Snaps = {
    count: net.snaps.count + k,
    edge: concat(net.snaps.edge, newSnaps.edge),
    t: concat(net.snaps.t, newSnaps.t),
    legM: concat(net.snaps.legM, newSnaps.legM),
  };
  const onEdge: EdgeFacilities = new Map(net.onEdge);
  for (const [e, list] of edgeFacilities(newSnaps, ids)) onEdge.set(e, [...(onEdge.get(e) ?? []), ...list]);
  const r = multiSourceDijkstra(graph, facilitySeeds(graph, newSnaps, ids), {
    cutoffM: s.maxDistanceM,
    dist: net.nodeDist,
    label: net.nodeLabel,
  });
  const edges = new Set<number>();
  for (let q = 0; q < k; q++) if (newSnaps.edge[q] >= 0) edges.add(newSnaps.edge[q]);
  for (const u of r.changed) for (let a = graph.incOffsets[u]; a < graph.incOffsets[u + 1]; a++) edges.add(graph.incEdges[a]);
  const hit: NearestHit = { index: -1, distanceM: Infinity };
  for (const e of edges)
    for (let q = join.edgeCellOffsets[e]; q < join.edgeCellOffsets[e + 1]; q++) {
      const i = join.cellsByEdge[q];
      cellNetworkDistance(graph, join, i, r.dist, r.label, onEdge, s.maxDistanceM, hit);
      if (hit.distanceM !== coverage.distanceM[i] || hit.index !== coverage.nearest[i]) {
        coverage.distanceM[i] = hit.distanceM;
        coverage.nearest[i] = hit.index;
        coverage.covered[i] = hit.distanceM <= s.radiusM ? 1 : 0;
        changed.add(i);
      }
    }
  return {
    scenario: { ...s, facilities, coverage, network: { ...net, nodeDist: r.dist, nodeLabel: r.label, snaps, onEdge } },
    ids,
    changedCells: sortedInts(changed),
  };
}

/**
 * Removes facilities (original or proposed) by facility number.
 * @example removeFacilities(s, [3, 7]).scenario.coverage.covered
 */
export function removeFacilities(s: Scenario, ids: ReadonlyArray<number>): ScenarioUpdate {
  const active = Uint8Array.from(s.facilities.active);
  const gone = new Set<number>();
  for (const id of ids) {
    if (id < 0 || id >= s.facilities.count) throw new Error(`removeFacilities: no facility ${id}`);
    if (active[id]) gone.add(id);
    active[id] = 0;
  }
  const facilities = { ...s.facilities, active };
  const coverage = copyCoverage(s.coverage);
  const cells = s.cells;
  const affected: number[] = [];
  for (let i = 0; i < cells.count; i++) if (gone.has(coverage.nearest[i])) affected.push(i);
  const changed = new Set<number>();

  if (s.mode === 'euclidean') {
    const skip = new Uint8Array(s.baseCount);
    for (let j = 0; j < s.baseCount; j++) skip[j] = active[j] ? 0 : 1;
    const hit: NearestHit = { index: -1, distanceM: Infinity };
    for (const i of affected) {
      nearestPoint(s.baseIndex, cells.lng[i], cells.lat[i], s.maxDistanceM, skip, hit);
      let best = hit.distanceM,
        bestId = hit.index;
      for (let j = s.baseCount; j < s.facilities.count; j++) {
        if (!active[j]) continue;
        const d = haversineM(cells.lng[i], cells.lat[i], s.facilities.lng[j], s.facilities.lat[j]);
        if (d <= s.maxDistanceM && d < best) {
          best = d;
          bestId = j;
        }
      }
      coverage.distanceM[i] = best;
      coverage.nearest[i] = bestId;
      coverage.covered[i] = best <= s.radiusM ? 1 : 0;
      changed.add(i);
    }
    return { scenario: { ...s, facilities, coverage }, ids: [...gone], changedCells: sortedInts(changed) };
  }

  const net = s.network!;
  const { graph, join } = net;
  const dist = Float64Array.from(net.nodeDist);
  const label = Int32Array.from(net.nodeLabel);
  const invalid = new Uint8Array(graph.nodeCount);
  const invalidList: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++)
    if (gone.has(label[v])) {
      invalid[v] = 1;
      invalidList.push(v);
      dist[v] = Infinity;
      label[v] = -1;
    }
  // seeds: intact neighbours across the boundary of the reset region …
  const sn: number[] = [],
    sc: number[] = [],
    sl: number[] = [];
  for (const b of invalidList)
    for (let q = graph.incOffsets[b]; q < graph.incOffsets[b + 1]; q++) {
      const e = graph.incEdges[q];
      const u = graph.edgeFrom[e],
        v = graph.edgeTo[e];
      const a = u === b ? v : u;
      if (invalid[a] || dist[a] === Infinity) continue;
      // dist[b] ≤ dist[a] + cost needs "walk b → a": always when b is `from`, two-way edges otherwise
      if (b === u || !graph.edgeOneway[e]) {
        sn.push(b);
        sc.push(dist[a] + (b === u ? graph.edgeCostM[e] : graph.edgeCostBackM[e]));
        sl.push(label[a]);
      }
    }
  // … and the remaining facilities that seed nodes inside it
  const onEdge: EdgeFacilities = new Map();
  for (const [e, list] of net.onEdge) {
    const kept = list.filter((f) => !gone.has(f.id));
    if (kept.length) onEdge.set(e, kept);
  }
  const activeIds: number[] = [];
  for (let j = 0; j < s.facilities.count; j++) if (active[j]) activeIds.push(j);
  const activeSnaps: Snaps = {
    count: activeIds.length,
    edge: Int32Array.from(activeIds, (j) => net.snaps.edge[j]),
    t: Float64Array.from(activeIds, (j) => net.snaps.t[j]),
    legM: Float64Array.from(activeIds, (j) => net.snaps.legM[j]),
  };
  const fs = facilitySeeds(graph, activeSnaps, activeIds);
  for (let q = 0; q < fs.node.length; q++)
    if (invalid[fs.node[q]]) {
      sn.push(fs.node[q]);
      sc.push(fs.costM[q]);
      sl.push(fs.label[q]);
    }
  const seeds: Seeds = { node: Int32Array.from(sn), costM: Float64Array.from(sc), label: Int32Array.from(sl) };
  const r = multiSourceDijkstra(graph, seeds, { cutoffM: s.maxDistanceM, dist, label });
  const hit: NearestHit = { index: -1, distanceM: Infinity };
  for (const i of affected) {
    cellNetworkDistance(graph, join, i, r.dist, r.label, onEdge, s.maxDistanceM, hit);
    coverage.distanceM[i] = hit.distanceM;
    coverage.nearest[i] = hit.index;
    coverage.covered[i] = hit.distanceM <= s.radiusM ? 1 : 0;
    changed.add(i);
  }
  return {
    scenario: { ...s, facilities, coverage, network: { ...net, nodeDist: r.dist, nodeLabel: r.label, onEdge } },
    ids: [...gone],
    changedCells: sortedInts(changed),
  };
}

function sortedInts(set: Set<number>): Int32Array {
  return Int32Array.from(set).sort();
}

export interface SiteSuggestion {
  /** Candidate cell whose point is the proposed site. */
  cell: number;
  lng: number;
  lat: number;
  /** Children of the age group newly covered by this site (given the earlier picks). */
  addedChildren: number;
  addedPopulation: number;
}

/**
 * Greedy maximal coverage (Church & ReVelle 1974's MCLP, greedy heuristic with lazy
 * evaluation — CELF, Leskovec et al. 2007): k times, the candidate site that newly covers
 * the most uncovered children within the radius. Gains only shrink as sites are added
 * (submodularity), so stale gains are upper bounds and most candidates are never
 * re-evaluated. In network mode the straight-line gain within 1.01 × radius is an upper
 * bound of the walking gain (a walk is never shorter than the chord), so only the
 * candidates that could win are searched on the network.
 *
 * @param options.candidates cell indices allowed as sites (default: every cell with people)
 * @example suggestSites(s, { k: 3, ageGroup: 'children_3_5' }).sites[0].addedChildren
 */
export function suggestSites(
  s: Scenario,
  options: { k: number; ageGroup: AgeGroup; candidates?: ArrayLike<number> },
): { sites: SiteSuggestion[]; scenario: Scenario } {
  const cells = s.cells;
  const demand = cells.children[options.ageGroup];
  let candidates: ArrayLike<number>;
  if (options.candidates) candidates = options.candidates;
  else {
    const list: number[] = [];
    for (let i = 0; i < cells.count; i++) if (cells.population[i] > 0) list.push(i);
    candidates = list;
  }
  let scenario = s;
  const sites: SiteSuggestion[] = [];
  const m = candidates.length;
  if (m === 0 || options.k <= 0) return { sites, scenario };

  const euclideanGain = (c: number, radiusM: number): [number, number] => {
    let kids = 0,
      pop = 0;
    for (const i of pointsWithin(s.cellIndex, cells.lng[c], cells.lat[c], radiusM))
      if (!scenario.coverage.covered[i]) {
        kids += demand[i];
        pop += cells.population[i];
      }
    return [kids, pop];
  };
  const scratch = s.network ? createSearchScratch(s.network.graph.nodeCount) : null;
  const networkGain = (c: number): [number, number] => {
    const net = scenario.network!;
    const { graph, join } = net;
    const snap = snapPoints(graph, [cells.lng[c]], [cells.lat[c]], join.maxAccessM);
    if (snap.edge[0] < 0) return [0, 0];
    boundedSearch(graph, facilitySeeds(graph, snap, [0]), s.radiusM, scratch!);
    const onEdge = edgeFacilities(snap, [0]);
    const hit: NearestHit = { index: -1, distanceM: Infinity };
    const seen = new Set<number>();
    let kids = 0,
      pop = 0;
    const visit = (e: number) => {
      if (seen.has(e)) return;
      seen.add(e);
      for (let q = join.edgeCellOffsets[e]; q < join.edgeCellOffsets[e + 1]; q++) {
        const i = join.cellsByEdge[q];
        if (scenario.coverage.covered[i]) continue;
        cellNetworkDistance(graph, join, i, scratch!.dist, scratch!.label, onEdge, s.radiusM, hit);
        if (hit.index === 0) {
          kids += demand[i];
          pop += cells.population[i];
        }
      }
    };
    visit(snap.edge[0]);
    for (let q = 0; q < scratch!.settledCount; q++) {
      const u = scratch!.settled[q];
      for (let a = graph.incOffsets[u]; a < graph.incOffsets[u + 1]; a++) visit(graph.incEdges[a]);
    }
    return [kids, pop];
  };

  // max-heap on gain (a min-heap of −gain); ties go to the lower candidate position
  const heap = new Heap(m);
  const evaluatedAt = new Int32Array(m).fill(-1);
  const popGain = new Float64Array(m);
  const kidGain = new Float64Array(m);
  const isNetwork = s.mode === 'network';
  for (let q = 0; q < m; q++) {
    const [kids, pop] = euclideanGain(candidates[q], isNetwork ? s.radiusM * 1.01 : s.radiusM);
    popGain[q] = pop;
    kidGain[q] = kids;
    if (!isNetwork) evaluatedAt[q] = 0;
    if (kids > 0) heap.push(-kids + q * 1e-12, q);
  }
  for (let round = 0; round < options.k && heap.size > 0; ) {
    const q = heap.vals[0];
    heap.pop();
    if (evaluatedAt[q] === round) {
      const gain = kidGain[q];
      if (!(gain > 0)) break;
      const c = candidates[q];
      sites.push({ cell: c, lng: cells.lng[c], lat: cells.lat[c], addedChildren: gain, addedPopulation: popGain[q] });
      scenario = addFacilities(scenario, [[cells.lng[c], cells.lat[c]]]).scenario;
      round++;
      continue;
    }
    const [kids, pop] = isNetwork ? networkGain(candidates[q]) : euclideanGain(candidates[q], s.radiusM);
    evaluatedAt[q] = round;
    popGain[q] = pop;
    kidGain[q] = kids;
    if (kids > 0) heap.push(-kids + q * 1e-12, q);
  }
  return { sites, scenario };
}
