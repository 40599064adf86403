/**
 * The what-if engine: the same core/coverage functions the server runs, on the compact
 * inputs of `GET /api/coverage/inputs`, kept as immutable scenarios so that an added or
 * removed facility updates coverage incrementally (core `addFacilities` /
 * `removeFacilities`, exact) and an undo is a pop of the history.
 *
 * Pure: no DOM, no fetch. It runs in the planner's Web Worker (./worker.ts) and in Node
 * tests (tests/coverage), where it is checked against the server's own numbers.
 *
 * @example
 * const engine = createEngine(inputs, ['euclidean', 'network']);
 * engine.add(106.55, 29.56).modes.euclidean!.total.uncoveredChildren;
 */
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import {
  addFacilities,
  buildWalkingGraph,
  cellsFromGrid,
  coverageGaps,
  coverageRowJson,
  createScenario,
  gapPropertiesJson,
  joinCells,
  removeFacilities,
  suggestSites,
  summariseCoverage,
  type AgeGroup,
  type Cells,
  type GridCells,
  type Scenario,
} from '../../../core/coverage/index';
import type { CoverageRow, GapProperties, InputsResponse, MeasureMode } from '../../../core/api';
import { r1 } from '../../../core/round';

/** The coverage of one mode after the current edits. */
export interface ModeResult {
  districts: CoverageRow[];
  total: CoverageRow;
  /** Per cell, 1 = within the distance (same order as the inputs' cells). */
  covered: Uint8Array;
  /** Network mode: 1 = no walkable edge within reach. */
  noAccess: Uint8Array | null;
  gaps: FeatureCollection<Polygon, GapProperties>;
}

export interface FacilityState {
  /** Existing facilities first (inputs order), then proposed ones. */
  count: number;
  lng: Float64Array;
  lat: Float64Array;
  active: Uint8Array;
  proposed: Uint8Array;
}

export interface EngineResult {
  modes: Partial<Record<MeasureMode, ModeResult>>;
  facilities: FacilityState;
  /** Number of edits applied (0 = the baseline). */
  edits: number;
  /** Time of the last update, ms. */
  ms: number;
}

export interface Suggestion {
  mode: MeasureMode;
  lng: number;
  lat: number;
  addedChildren: number;
  addedPopulation: number;
  districtCode: string | null;
  name_zh: string | null;
  name_en: string | null;
}

export interface Engine {
  readonly cells: Cells;
  readonly ageGroup: AgeGroup;
  readonly primary: MeasureMode;
  result(): EngineResult;
  add(lng: number, lat: number): EngineResult;
  /** Removes a facility by its number in {@link FacilityState} (existing or proposed). */
  remove(facility: number): EngineResult;
  undo(): EngineResult;
  reset(): EngineResult;
  /** The next best site (greedy maximal coverage) in the primary mode, or null when no site adds children. */
  suggest(): Suggestion | null;
}

/** Rebuilds the grid-backed cells of the inputs (one age group: the norm's). */
export function cellsFromInputs(inputs: InputsResponse): Cells {
  const c = inputs.cells;
  const grid: GridCells = {
    count: c.count,
    lng: Float64Array.from(c.lng),
    lat: Float64Array.from(c.lat),
    areaM2: Float64Array.from(c.areaM2),
    district: Int32Array.from(c.district),
    grid: { spec: { ...c.grid }, col: Int32Array.from(c.col), row: Int32Array.from(c.row) },
  };
  const children: Partial<Record<AgeGroup, ArrayLike<number>>> = { [c.ageGroup]: c.children };
  if (c.ageGroup !== 'children_0_14') children.children_0_14 = c.children;
  return cellsFromGrid(grid, c.population, children);
}

/** History entries kept for undo (each holds copies of the per-cell arrays). */
export const MAX_HISTORY = 50;

/**
 * The engine for one area and category. `modes` are the measures to keep up to date; network
 * is dropped when the inputs have no network.
 */
export function createEngine(inputs: InputsResponse, modes: readonly MeasureMode[]): Engine {
  const cells = cellsFromInputs(inputs);
  const ageGroup = inputs.cells.ageGroup;
  const districts = inputs.area.districts;
  const { populationAvailable, childrenAvailable } = inputs.cells;
  const radiusM = inputs.norm.radiusM;
  const facilities = {
    count: inputs.facilities.count,
    lng: Float64Array.from(inputs.facilities.lng),
    lat: Float64Array.from(inputs.facilities.lat),
  };
  const wanted = modes.filter((m) => m === 'euclidean' || inputs.network !== null);
  const scenarios: Partial<Record<MeasureMode, Scenario>> = {};
  if (wanted.includes('euclidean')) scenarios.euclidean = createScenario({ mode: 'euclidean', cells, facilities, radiusM });
  if (wanted.includes('network') && inputs.network) {
    const n = inputs.network;
    const graph = buildWalkingGraph(
      {
        nodes: { id: Array.from({ length: n.nodes.lng.length }, (_, i) => i), lng: n.nodes.lng, lat: n.nodes.lat },
        edges: {
          from: n.edges.from,
          to: n.edges.to,
          lengthM: n.edges.lengthM,
          isSteps: n.edges.isSteps,
          onewayFoot: n.edges.onewayFoot,
          geometry: { offsets: n.edges.offsets, lngLat: n.edges.lngLat },
        },
      },
      { stepPenaltyFactor: inputs.walk.stepPenalty },
    );
    const join = joinCells(graph, cells, { maxAccessM: inputs.walk.maxAccessM });
    scenarios.network = createScenario({ mode: 'network', cells, facilities, radiusM, graph, join });
  }
  const primary: MeasureMode = scenarios.network ? 'network' : 'euclidean';
  const base = { ...scenarios };
  const history: Partial<Record<MeasureMode, Scenario>>[] = [];
  let current = base;
  let lastMs = 0;

  const modeResult = (s: Scenario): ModeResult => {
    const sum = summariseCoverage(cells, s.coverage, { ageGroup, districtCount: districts.length });
    const gaps = coverageGaps(cells, s.coverage, { ageGroup, include: populationAvailable ? 'populated' : 'all' });
    const features = gaps.features.map(
      (f): Feature<Polygon, GapProperties> => ({
        type: 'Feature',
        geometry: f.geometry,
        properties: gapPropertiesJson(f.properties, s.mode, districts[f.properties.district], populationAvailable, childrenAvailable),
      }),
    );
    return {
      districts: sum.districts.map((r, d) => coverageRowJson(r, districts[d], populationAvailable, childrenAvailable)),
      total: coverageRowJson(sum.total, undefined, populationAvailable, childrenAvailable),
      covered: Uint8Array.from(s.coverage.covered),
      noAccess: s.coverage.noAccess ? Uint8Array.from(s.coverage.noAccess) : null,
      gaps: { type: 'FeatureCollection', features },
    };
  };

  const result = (): EngineResult => {
    const out: EngineResult['modes'] = {};
    for (const m of ['euclidean', 'network'] as const) if (current[m]) out[m] = modeResult(current[m]!);
    const f = current[primary]!.facilities;
    return {
      modes: out,
      facilities: {
        count: f.count,
        lng: Float64Array.from(f.lng),
        lat: Float64Array.from(f.lat),
        active: Uint8Array.from(f.active),
        proposed: Uint8Array.from(f.proposed),
      },
      edits: history.length,
      ms: lastMs,
    };
  };

  const apply = (fn: (s: Scenario) => Scenario): EngineResult => {
    const t0 = performance.now();
    const next: typeof current = {};
    for (const m of ['euclidean', 'network'] as const) if (current[m]) next[m] = fn(current[m]!);
    history.push(current);
    if (history.length > MAX_HISTORY) history.shift();
    current = next;
    lastMs = performance.now() - t0;
    return result();
  };

  return {
    cells,
    ageGroup,
    primary,
    result,
    add: (lng, lat) => apply((s) => addFacilities(s, [[lng, lat]]).scenario),
    remove: (facility) => apply((s) => (s.facilities.active[facility] ? removeFacilities(s, [facility]).scenario : s)),
    undo() {
      if (history.length) current = history.pop()!;
      return result();
    },
    reset() {
      history.length = 0;
      current = base;
      return result();
    },
    suggest() {
      const s = current[primary]!;
      const { sites } = suggestSites(s, { k: 1, ageGroup });
      const site = sites[0];
      if (!site || !(site.addedChildren > 0)) return null;
      const d = districts[cells.district[site.cell]];
      return {
        mode: primary,
        lng: site.lng,
        lat: site.lat,
        addedChildren: r1(site.addedChildren),
        addedPopulation: r1(site.addedPopulation),
        districtCode: d?.code ?? null,
        name_zh: d?.name_zh ?? null,
        name_en: d?.name_en ?? null,
      };
    },
  };
}
