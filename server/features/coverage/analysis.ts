/**
 * One coverage analysis: the area's population surface, the category's facilities, the
 * walking graph when asked for, and core's euclidean and network passes — cached, so that
 * the summary, the gaps and the cells of one view (three requests) cost one computation.
 *
 * Facilities are read on every request (one bounded query) and fingerprinted; the cached
 * result is reused only for the same facilities, so an edit is visible at once.
 */
import {
  buildPointIndex,
  compareCoverage,
  DEFAULT_WALK_PARAMS,
  euclideanCoverage,
  pointsWithin,
  facilityPoints,
  networkCoverage,
  networkPairs,
  normFor,
  summariseCoverage,
  catchmentsOf,
  coverCounts,
  haversineM,
  updateCoverCounts,
  updateCoverageSummary,
  twoStepFcaWithState,
  updateTwoStepFca,
  type Catchment,
  type CellCoverage,
  type CellJoin,
  type CoverageComparison,
  type CoverageNorm,
  type CoverageSummary,
  type CoverCounts,
  type FacilityPoints,
  type FcaResult,
  type FcaState,
  type NetworkCoverage,
  type PointIndex,
} from '../../../core/coverage/index';
import type { CategoryId } from '../../../core/catalogue';
import type { Db } from '../../db/adapter';
import { AppError, ValidationError } from '../../errors';
import { ensureFresh, lruOf, type CoverageCaches, type Lru } from './cache';
import { areaGraph, marginFor, metresToDeg, surfaceJoin, windowOf, type AreaGraph } from './graph';
import { slopeNote, type SlopeInfo } from '../../../core/coverage/slope';
import { demSource } from '../imports/elevation';
import { populationSurface, type Area, type Surface } from './population';
import { categoryFacilities, FACILITY_CAP, type Bbox, type FacilityRow } from './sql';

export type CoverageModeParam = 'euclidean' | 'network' | 'both';

export interface CoverageParams {
  category: CategoryId;
  mode: CoverageModeParam;
  /** Overrides the norm's radius when given. */
  radiusM?: number;
  area: Area;
  cellSizeM: number;
  walkSpeedMps: number;
  stepPenalty: number;
  /** Slope where a DEM is imported: on (default), off (flat), compare (both; the flat pass in `networkFlat`). */
  slope?: 'on' | 'off' | 'compare';
}

export { FACILITY_CAP };
/** Longest straight walk from a cell or facility to the network (core default, 500 m). */
export const MAX_ACCESS_M = DEFAULT_WALK_PARAMS.maxAccessM;
/** The answer when the area has no walkable edge. */
export const NO_NETWORK = 'no street network imported for this area';

/** 409: network coverage asked for where no walkable street network is imported. */
export class NoNetworkError extends AppError {
  constructor(message: string = NO_NETWORK) {
    super(409, 'no_network', `${message}: import an OpenStreetMap extract (npm run import -- file.osm.pbf), or use mode=euclidean`);
  }
}

export interface Analysis {
  params: CoverageParams;
  surface: Surface;
  norm: CoverageNorm;
  facilities: FacilityRow[];
  points: FacilityPoints;
  graph: AreaGraph | null;
  join: CellJoin | null;
  /**
   * Null when not asked for (mode=network). `cells` carries the covered flags; the per-cell
   * distances (only /cells sends them) are computed on first use by {@link euclideanDistances}.
   */
  euclidean: { cells: Pick<CellCoverage, 'mode' | 'radiusM' | 'covered' | 'noAccess'>; summary: CoverageSummary } | null;
  /** Null when not asked for, or when there is no network (then `networkReason` says so). */
  network: { cells: NetworkCoverage; summary: CoverageSummary } | null;
  /** slope=compare: the same walking pass on the flat graph. */
  networkFlat: { summary: CoverageSummary } | null;
  /** Whether the walking pass priced slope, from which DEM (core/coverage/slope.ts). */
  slope: SlopeInfo;
  networkReason: string | null;
  comparison: CoverageComparison | null;
  timings: { surfaceMs: number; graphMs: number; coverageMs: number };
  computedMs: number;
  cached: boolean;
  /** Results derived on demand and kept with the cached analysis (2SFCA, straight-line distances). */
  memo: { capacity?: ReturnType<typeof capacityOf>; distances?: CellCoverage };
  /**
   * Where the 2SFCA state of the last facility set on the same surface, graph, category and
   * radius is kept (the key leaves out the facilities), so that after an edit only the edited
   * facility's catchments are computed (core `updateTwoStepFca`).
   */
  fcaSlot: { lru: Lru<string, FcaState>; key: string; cellIndex: () => PointIndex };
}

/** FNV-1a over the facilities' ids, positions and capacities: equal inputs, equal keys. */
function fingerprint(rows: readonly FacilityRow[]): string {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    const s = String(v);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  };
  for (const r of rows) {
    mix(r.id);
    mix(r.lng);
    mix(r.lat);
    mix(r.capacity ?? -1);
  }
  return `${rows.length}:${(h >>> 0).toString(16)}`;
}

export function areaField(area: Area): 'district' | 'bbox' {
  return area.kind === 'districts' ? 'district' : 'bbox';
}

function widen(b: Bbox, m: number): Bbox {
  const [dx, dy] = metresToDeg(m, Math.max(Math.abs(b[1]), Math.abs(b[3])));
  return [Math.max(-180, b[0] - dx), Math.max(-90, b[1] - dy), Math.min(180, b[2] + dx), Math.min(90, b[3] + dy)];
}

/** Gaps, cells, inputs and suggestions need every record to be a grid square: not so on a mixed-resolution surface. */
export function requireUniform(surface: Surface, what: string): void {
  if (!surface.blocks) return;
  throw new ValidationError(
    'cellSizeM',
    `cellSizeM: this area at ${surface.cellSizeM} m is over the cell limit and is answered at mixed resolution ` +
      `(blocks of ${surface.blocks.blockSizeM} m where nobody lives), which ${what} cannot use; use a coarser cellSizeM or fewer districts`,
  );
}

/** The area's population surface, after the freshness check. */
export async function surfaceFor(
  db: Db,
  params: Pick<CoverageParams, 'area' | 'cellSizeM'>,
  importStamp?: string | null,
): Promise<{ caches: CoverageCaches; surface: Surface }> {
  const caches = await ensureFresh(db, importStamp);
  const surface = await populationSurface(db, caches, params.area, params.cellSizeM);
  return { caches, surface };
}

/** Where the facilities that can serve the area are read: its bbox widened by the radius. */
export function facilitiesBbox(surface: Surface, radiusM: number): Bbox {
  return widen(surface.bbox, radiusM);
}

/** The category's active facilities that can serve the area (in {@link facilitiesBbox}). */
export async function facilitiesFor(db: Db, surface: Surface, category: CategoryId, radiusM: number): Promise<FacilityRow[]> {
  return capFacilities(await categoryFacilities(db, category, facilitiesBbox(surface, radiusM), FACILITY_CAP));
}

/** The facilities read (at most {@link FACILITY_CAP} + 1), or the 400 when there are more than the cap. */
export function capFacilities(rows: FacilityRow[]): FacilityRow[] {
  if (rows.length > FACILITY_CAP) throw new ValidationError('category', `category: more than ${FACILITY_CAP} facilities in the area`);
  return rows;
}

/** Inputs already read with the answer stamp (./answers.ts `AnswerRead`): the analysis then asks the database nothing. */
export interface ReadInputs {
  importStamp: string | null;
  facilities: FacilityRow[];
}

export function pointsOf(rows: readonly FacilityRow[]): FacilityPoints {
  return facilityPoints(
    rows.map((r) => [r.lng, r.lat] as const),
    rows.map((r) => r.capacity),
  );
}

/** A KD index of the surface's cell points (cached with the surface: ~0.1 s for 556 k cells). */
function cellIndexOf(caches: CoverageCaches, surface: Surface): PointIndex {
  const lru = lruOf<PointIndex>(caches, 'cellIndex', 8, 1_600_000, (v) => v.count);
  let idx = lru.get(surface.key);
  if (!idx) {
    idx = buildPointIndex(surface.cells.lng, surface.cells.lat);
    lru.set(surface.key, idx);
  }
  return idx;
}

/** The straight-line cover counts and summary of the last facility set of one surface, category and radius. */
interface EuclideanState {
  counts: CoverCounts;
  summary: CoverageSummary;
}

/**
 * Straight-line coverage flags and summary. After an edit (the state of the previous facility set
 * on the same surface, category and radius is kept), only the discs of the facilities added, moved
 * or removed are visited and only the cells that changed are re-summed (core `updateCoverCounts`,
 * `updateCoverageSummary`); else every facility's disc (core `coverCounts`: O(facilities × cells per disc), not a nearest-neighbour search per cell).
 */
function euclideanOf(
  caches: CoverageCaches,
  surface: Surface,
  stateKey: string,
  facilities: readonly FacilityRow[],
  points: FacilityPoints,
  radiusM: number,
  sumOpts: { ageGroup: CoverageNorm['ageGroup']; districtCount: number },
): { covered: Uint8Array; summary: CoverageSummary } {
  const lru = lruOf<EuclideanState>(caches, 'euclideanState', 6, 2_000_000, (v) => v.counts.count.length);
  const index = cellIndexOf(caches, surface);
  const ids = facilities.map((f) => f.id);
  const prev = lru.get(stateKey);
  let next: EuclideanState;
  if (
    prev &&
    prev.counts.radiusM === radiusM &&
    prev.counts.count.length === surface.cells.count &&
    prev.summary.ageGroup === sumOpts.ageGroup
  ) {
    const u = updateCoverCounts(index, prev.counts, points, ids);
    next = { counts: u.next, summary: updateCoverageSummary(surface.cells, prev.summary, u.next.covered, u.flipped) };
  } else {
    const counts = coverCounts(index, surface.cells.count, points, ids, radiusM);
    const c = { mode: 'euclidean' as const, radiusM, covered: counts.covered, noAccess: null };
    next = { counts, summary: summariseCoverage(surface.cells, c as CellCoverage, sumOpts) };
  }
  lru.set(stateKey, next);
  return { covered: next.counts.covered, summary: next.summary };
}

/** Every cell's straight-line distance to its nearest facility (computed once per analysis). */
export function euclideanDistances(a: Analysis): CellCoverage {
  a.memo.distances ??= euclideanCoverage(a.surface.cells, a.points, { radiusM: a.norm.radiusM });
  return a.memo.distances;
}

/** The walking graph for an area and radius (null = no network); `required` throws the 409. */
export async function graphFor(
  db: Db,
  caches: CoverageCaches,
  surface: Surface,
  radiusM: number,
  stepPenalty: number,
  required: boolean,
  slope = true,
): Promise<AreaGraph | null> {
  const window = windowOf(surface.bbox, marginFor(radiusM, MAX_ACCESS_M));
  const g = await areaGraph(db, caches, window, stepPenalty, areaField(surface.area), slope);
  if (!g && required) throw new NoNetworkError();
  return g;
}

/**
 * Runs (or reuses) the analysis for the parameters.
 * @param read the facilities (in {@link facilitiesBbox}) and the import stamp, when the caller has read them
 * @throws ValidationError for an unknown district or too many cells; NoNetworkError for mode=network without a network
 */
export async function analyse(db: Db, params: CoverageParams, read?: ReadInputs): Promise<Analysis> {
  const t0 = performance.now();
  const { caches, surface } = await surfaceFor(db, params, read?.importStamp);
  const t1 = performance.now();
  const norm = normFor(params.category, params.radiusM !== undefined ? { radiusM: params.radiusM } : undefined);
  const facilities = read ? capFacilities(read.facilities) : await facilitiesFor(db, surface, params.category, norm.radiusM);
  const wantE = params.mode !== 'network';
  const wantN = params.mode !== 'euclidean';
  const slopeMode = params.slope ?? 'on';
  const graph = wantN
    ? await graphFor(db, caches, surface, norm.radiusM, params.stepPenalty, params.mode === 'network', slopeMode !== 'off')
    : null;
  const flatGraph =
    wantN && graph && slopeMode === 'compare' ? await graphFor(db, caches, surface, norm.radiusM, params.stepPenalty, false, false) : null;
  const dem = graph ? await demSource(db) : null;
  const t2 = performance.now();

  const baseKey = [surface.key, graph?.key ?? '-', flatGraph?.key ?? '-', params.category, norm.radiusM, params.mode].join('|');
  const key = `${baseKey}|${fingerprint(facilities)}`;
  const lru = lruOf<Omit<Analysis, 'cached' | 'computedMs' | 'timings'>>(caches, 'analysis', 6, 2_000_000, (v) => v.surface.cells.count);
  const hit = lru.get(key);
  if (hit) {
    return {
      ...hit,
      params,
      timings: { surfaceMs: t1 - t0, graphMs: t2 - t1, coverageMs: 0 },
      computedMs: performance.now() - t0,
      cached: true,
    };
  }

  const cells = surface.cells;
  const points = pointsOf(facilities);
  const districtCount = surface.districts.length;
  const sumOpts = { ageGroup: norm.ageGroup, districtCount };
  let euclidean: Analysis['euclidean'] = null;
  if (wantE) {
    const { covered, summary } = euclideanOf(caches, surface, baseKey, facilities, points, norm.radiusM, sumOpts);
    euclidean = { cells: { mode: 'euclidean' as const, radiusM: norm.radiusM, covered, noAccess: null }, summary };
  }
  let network: Analysis['network'] = null;
  let join: CellJoin | null = null;
  if (graph) {
    join = surfaceJoin(caches, surface, graph, MAX_ACCESS_M);
    const c = networkCoverage(graph.graph, join, points, { radiusM: norm.radiusM });
    network = { cells: c, summary: summariseCoverage(cells, c, sumOpts) };
  }
  let networkFlat: Analysis['networkFlat'] = null;
  if (flatGraph) {
    const c = networkCoverage(flatGraph.graph, surfaceJoin(caches, surface, flatGraph, MAX_ACCESS_M), points, { radiusM: norm.radiusM });
    networkFlat = { summary: summariseCoverage(cells, c, sumOpts) };
  }
  const used = graph?.graph.slopeUsed === true;
  const slope: SlopeInfo = {
    used,
    source: used ? (dem?.label ?? null) : null,
    note: slopeNote(used, dem?.label ?? null, slopeMode === 'off'),
  };
  const comparison = euclidean && network ? compareCoverage(euclidean.summary, network.summary) : null;
  const value = {
    params,
    surface,
    norm,
    facilities,
    points,
    graph,
    join,
    euclidean,
    network,
    networkFlat,
    slope,
    networkReason: wantN && !graph ? NO_NETWORK : null,
    comparison,
    memo: {},
    fcaSlot: {
      lru: lruOf<FcaState>(caches, 'fcaState', 6, 2_000_000, (v) => v.accessibility.length),
      key: baseKey,
      cellIndex: () => cellIndexOf(caches, surface),
    },
  };
  lru.set(key, value);
  const t3 = performance.now();
  return { ...value, timings: { surfaceMs: t1 - t0, graphMs: t2 - t1, coverageMs: t3 - t2 }, computedMs: t3 - t0, cached: false };
}

/** Categories whose capacity (places) is compared with children: 2SFCA. */
export const CAPACITY_CATEGORIES: ReadonlySet<CategoryId> = new Set(['nursery', 'kindergarten']);

/**
 * 2SFCA places per 1,000 children of the norm's age group, with walking catchments when the
 * analysis has a network, else straight-line ones.
 */
export function capacityOf(a: Analysis): { mode: 'euclidean' | 'network'; fca: FcaResult } | null {
  if (!CAPACITY_CATEGORIES.has(a.params.category)) return null;
  if (a.memo.capacity !== undefined) return a.memo.capacity;
  const cells = a.surface.cells;
  const useNetwork = a.network !== null && a.graph !== null && a.join !== null;
  const r = a.norm.radiusM;
  const one = (j: number): FacilityPoints => ({
    count: 1,
    lng: a.points.lng.subarray(j, j + 1),
    lat: a.points.lat.subarray(j, j + 1),
    capacity: a.points.capacity?.subarray(j, j + 1),
  });
  const catchmentOf = (j: number): Catchment => {
    if (useNetwork) return catchmentsOf(networkPairs(a.graph!.graph, a.join!, one(j), r), 1)[0];
    const idx = a.fcaSlot.cellIndex();
    const cell = Int32Array.from(pointsWithin(idx, a.points.lng[j], a.points.lat[j], r));
    const distanceM = Float64Array.from(cell, (i) => haversineM(a.points.lng[j], a.points.lat[j], cells.lng[i], cells.lat[i]));
    return { cell, distanceM };
  };
  const ids = a.facilities.map((f) => f.id);
  const options = { ageGroup: a.norm.ageGroup, districtCount: a.surface.districts.length };
  const slotKey = `${a.fcaSlot.key}|${useNetwork ? 'network' : 'euclidean'}`;
  const prev = a.fcaSlot.lru.get(slotKey);
  let fca: FcaResult;
  if (prev && prev.ageGroup === options.ageGroup && prev.accessibility.length === cells.count) {
    // after an edit: only the catchments of facilities that were added, moved or re-sized
    const next = updateTwoStepFca(cells, prev, a.points, ids, catchmentOf, options);
    a.fcaSlot.lru.set(slotKey, next.state);
    fca = next.result;
  } else {
    const pairs = useNetwork ? networkPairs(a.graph!.graph, a.join!, a.points, r) : euclideanPairsOf(a, catchmentOf);
    const full = twoStepFcaWithState(cells, a.points, ids, pairs, options);
    a.fcaSlot.lru.set(slotKey, full.state);
    fca = full.result;
  }
  a.memo.capacity = { mode: useNetwork ? 'network' : 'euclidean', fca };
  return a.memo.capacity;
}

/** Straight-line catchment pairs of every facility, on the surface's cached cell index. */
function euclideanPairsOf(a: Analysis, catchmentOf: (j: number) => Catchment) {
  const f: number[] = [],
    c: number[] = [],
    d: number[] = [];
  for (let j = 0; j < a.points.count; j++) {
    const k = catchmentOf(j);
    for (let q = 0; q < k.cell.length; q++) {
      f.push(j);
      c.push(k.cell[q]);
      d.push(k.distanceM[q]);
    }
  }
  return { count: f.length, facility: Int32Array.from(f), cell: Int32Array.from(c), distanceM: Float64Array.from(d) };
}
