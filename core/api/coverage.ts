/**
 * Response shapes of the coverage API (issue 14 "One API contract"), declared once: the server
 * builds them (server/features/coverage/respond.ts, typed with these, so the compiler fails when
 * it drifts) and the planner reads them (client/src/planner). Numbers are rounded for the wire
 * (people to 0.1, shares and km² to 1e-4, coordinates to 1e-6° or 1e-7°); `null` means "not
 * available" (no population data, no children data, no network), never 0.
 *
 * | route | shape |
 * |---|---|
 * | `GET /api/coverage` | {@link CoverageResponse} |
 * | `GET /api/coverage/gaps` | {@link GapsResponse} |
 * | `GET /api/coverage/cells` | {@link CellsResponse} |
 * | `GET /api/coverage/inputs` | {@link InputsResponse} |
 * | `POST /api/coverage/suggest` | {@link SuggestResponse} |
 */
import type { FeatureCollection, Polygon } from 'geojson';
import type { Bilingual, CategoryId } from '../catalogue';
import type { GridSpec } from '../coverage/grid';
import type { CoverageNorm } from '../coverage/norms';
import type { SlopeInfo } from '../coverage/slope';
import type { AgeGroup } from '../coverage/types';
import type { NearestStreet } from '../api';

/**
 * The cell sizes (m) the planner offers. The server stores population surfaces for these only
 * (server/features/coverage/population.ts): another size, which an editor may ask for through
 * the API, is built for the request and kept in the analysis thread's cache, not written.
 */
export const OFFERED_CELL_SIZES_M = [50, 100, 200, 500, 1000] as const;

export function isOfferedCellSize(m: number): boolean {
  return (OFFERED_CELL_SIZES_M as readonly number[]).includes(m);
}

/** `mode` of a coverage request: one pass, or both (then the comparison). */
export type CoverageMode = 'euclidean' | 'network' | 'both';
/** One pass: straight line or along the walking network. */
export type MeasureMode = 'euclidean' | 'network';
/** `[west, south, east, north]`, WGS84 degrees. */
export type BboxJson = [number, number, number, number];

/**
 * Method prose the coverage API sends (GET /api/coverage `method.coverage`, `capacity.method`): in both
 * languages, so the Chinese UI never shows an English server sentence.
 */
export interface CoverageMethodStatements {
  euclidean: Bilingual;
  network: Bilingual;
  limitations: Bilingual;
}

/** A district as the API names it; the total row has `code: null` and 合计 / Total. */
export interface DistrictRef {
  code: string | null;
  name_zh: string;
  name_en: string;
}

/** One row of a coverage summary (core/coverage/wire.ts `coverageRowJson`). */
export interface CoverageRow extends DistrictRef {
  cellCount: number;
  areaKm2: number;
  coveredAreaKm2: number;
  shareCoveredArea: number | null;
  population: number | null;
  coveredPopulation: number | null;
  uncoveredPopulation: number | null;
  shareCoveredPopulation: number | null;
  children: number | null;
  coveredChildren: number | null;
  uncoveredChildren: number | null;
  shareCoveredChildren: number | null;
  noAccessPopulation: number | null;
  noAccessChildren: number | null;
}

export interface CoverageSummaryJson {
  districts: CoverageRow[];
  total: CoverageRow;
}

/** The planning norm applied, and the one the standard sets (`normRadiusM`) when `radiusM` overrides it. */
export interface NormJson {
  category: CategoryId;
  radiusM: number;
  normRadiusM: number;
  overridden: boolean;
  lifeCircle: CoverageNorm['lifeCircle'];
  walkMinutes: number;
  walkMinutesAtSpeed: number;
  ageGroup: AgeGroup;
  source: CoverageNorm['source'];
  citation: string;
}

export type PopulationSource = 'population_cells' | 'census-dasymetric' | 'mixed' | 'none';

/** How the population surface was made (server/features/coverage/population.ts). */
export interface PopulationMethod {
  available: boolean;
  childrenAvailable: boolean;
  source: PopulationSource;
  /** One paragraph for people. */
  text: string;
  /** One line per district. */
  details: string[];
  cellSizeM: number;
  cellCount: number;
  /**
   * Mixed resolution (an area over the cell limit, e.g. all 38 districts at 100 m): `kept` cells of
   * `cellSizeM` where people live, `blocks` blocks of `blockSizeM` elsewhere holding `population`
   * people; null when every record is a grid square.
   */
  blocks: { blockSizeM: number; kept: number; blocks: number; population: number } | null;
}

export interface AreaJson {
  kind: 'districts' | 'bbox';
  districts: DistrictRef[];
  bbox: BboxJson;
  cellSizeM: number;
  cellCount: number;
}

export interface MethodJson {
  population: PopulationMethod;
  coverage: CoverageMethodStatements;
}

export interface WalkJson {
  walkSpeedMps: number;
  stepPenalty: number;
  maxAccessM: number;
}

export interface ComparisonRow extends DistrictRef {
  overstatedPopulation: number | null;
  overstatedChildren: number | null;
  overstatedSharePoints: number | null;
  overstatedAreaKm2: number;
}

export interface CapacityRow extends DistrictRef {
  children: number;
  placesPer1000Children: number | null;
  reachablePlaces: number;
}

/** The walking graph an answer used. */
export interface CoverageGraphJson {
  edges: number;
  skippedEdges: number;
  splitClosedWays: number;
  edgesWithElevation: number;
  minComponentNodes: number;
  window: BboxJson;
  unsnappedFacilities: number;
}

/** `GET /api/coverage` */
export interface CoverageResponse {
  category: CategoryId;
  mode: CoverageMode;
  norm: NormJson;
  walk: WalkJson;
  area: AreaJson;
  method: MethodJson;
  facilities: { count: number; withCapacity: number };
  euclidean: CoverageSummaryJson | null;
  network: (CoverageSummaryJson & { graph: CoverageGraphJson | null }) | null;
  /** Whether the walking pass priced slope, and from which DEM (core/coverage/slope.ts). */
  slope: SlopeInfo;
  /** slope=compare: the walking pass on the flat graph and with slope. */
  slopeComparison: { flat: CoverageSummaryJson; slope: CoverageSummaryJson } | null;
  networkReason: string | null;
  comparison: { text: Bilingual; total: ComparisonRow; districts: ComparisonRow[] } | null;
  /** 2SFCA places per 1,000 children (nursery, kindergarten), when children and capacities are known. */
  capacity: {
    mode: MeasureMode;
    ageGroup: AgeGroup;
    method: Bilingual;
    facilitiesWithCapacity: number;
    facilitiesWithoutCapacity: number;
    districts: CapacityRow[];
    total: CapacityRow;
  } | null;
  computedMs: number;
  /**
   * `cached`: the worker's in-memory analysis was reused; `stored`: the answer stored in the
   * database (server/features/coverage/answers.ts) was served — its other timings are those of the
   * computation that made it, and `computedMs` is the lookup's.
   */
  timings: { surfaceMs: number; graphMs: number; coverageMs: number; surfaceBuildMs: number; cached: boolean; stored: boolean };
}

/** One gap polygon's properties (core/coverage/wire.ts `gapPropertiesJson`). */
export interface GapProperties {
  mode: MeasureMode;
  districtCode: string | null;
  name_zh: string | null;
  name_en: string | null;
  squareCount: number;
  areaKm2: number;
  uncoveredPopulation: number | null;
  uncoveredChildren: number | null;
  noAccessPopulation: number | null;
  ageGroup: AgeGroup;
}

export interface GapTotals {
  features: number;
  uncoveredPopulation: number | null;
  uncoveredChildren: number | null;
  areaKm2: number;
}

/** `GET /api/coverage/gaps`: dissolved uncovered cells of each computed mode, most children first. */
export type GapsResponse = FeatureCollection<Polygon, GapProperties> & {
  category: CategoryId;
  radiusM: number;
  ageGroup: AgeGroup;
  include: 'populated' | 'all';
  totals: Partial<Record<MeasureMode, GapTotals>>;
  truncated: boolean;
  networkReason: string | null;
  /** The population method paragraph. */
  method: string;
  computedMs: number;
};

/** Where the grid squares are: square (col, row) spans originX + col·cellSizeM … in `projection` (core/coverage/geo.ts). */
export type GridJson = GridSpec;

export interface CellModeArrays {
  /** Metres to the nearest facility, rounded; null = unreachable. */
  distanceM: (number | null)[];
  covered: number[];
  noAccess: number[] | null;
}

/** `GET /api/coverage/cells`: one entry per cell, parallel arrays, in surface order. */
export interface CellsResponse {
  category: CategoryId;
  count: number;
  cellSizeM: number;
  radiusM: number;
  ageGroup: AgeGroup;
  populationAvailable: boolean;
  childrenAvailable: boolean;
  districts: DistrictRef[];
  lng: number[];
  lat: number[];
  /** The grid square of each cell (a border square split between districts appears once per district). */
  grid: GridJson;
  col: number[];
  row: number[];
  population: number[];
  children: number[];
  district: number[];
  euclidean: CellModeArrays | null;
  network: CellModeArrays | null;
  networkReason: string | null;
  /** The facilities counted (the category's, in and around the area), to draw with the cells. */
  facilities: { count: number; id: number[]; lng: number[]; lat: number[] };
  computedMs: number;
}

/** Walkable edges as index-based arrays (node ids replaced by positions); `offsets` index `lngLat` pairs. */
export interface NetworkArrays {
  edgeCount: number;
  nodes: { lng: number[]; lat: number[] };
  edges: {
    from: number[];
    to: number[];
    lengthM: number[];
    isSteps: number[];
    onewayFoot: number[];
    offsets: number[];
    lngLat: number[];
  };
}

export interface FacilityArrays {
  count: number;
  id: number[];
  lng: number[];
  lat: number[];
  capacity: (number | null)[];
  name_zh: string[];
  name_en: (string | null)[];
}

/** `GET /api/coverage/inputs`: what the browser what-if worker needs to run the same analysis. */
export interface InputsResponse {
  category: CategoryId;
  norm: NormJson;
  walk: WalkJson;
  area: AreaJson;
  method: MethodJson;
  cells: {
    count: number;
    populationAvailable: boolean;
    childrenAvailable: boolean;
    ageGroup: AgeGroup;
    grid: GridJson;
    col: number[];
    row: number[];
    lng: number[];
    lat: number[];
    areaM2: number[];
    district: number[];
    population: number[];
    children: number[];
  };
  facilities: FacilityArrays;
  network: NetworkArrays | null;
  networkReason: string | null;
}

export interface SuggestedSite {
  rank: number;
  lng: number;
  lat: number;
  districtCode: string | null;
  name_zh: string | null;
  name_en: string | null;
  /** The nearest named street of the walking network within 500 m (null: none, or no network imported there). */
  street: NearestStreet | null;
  addedChildren: number;
  addedPopulation: number;
  cumulativeAddedChildren: number;
}

/** `POST /api/coverage/suggest`: greedy best new sites and the children each adds. */
export interface SuggestResponse {
  category: CategoryId;
  mode: MeasureMode;
  k: number;
  radiusM: number;
  ageGroup: AgeGroup;
  before: { uncoveredChildren: number; coveredChildren: number };
  sites: SuggestedSite[];
  after: { uncoveredChildren: number; coveredChildren: number };
  method: string;
  computedMs: number;
}
