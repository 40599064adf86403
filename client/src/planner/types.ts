/**
 * Shapes of the coverage API (server/features/coverage/respond.ts) as the planner reads
 * them. `null` means "not available" (no population data, no children data, no network).
 */
import type { FeatureCollection, Polygon } from 'geojson';
import type { CategoryId } from '../../../core/catalogue';
import type { CoverageMethodStatements } from '../../../core/api';
import type { AgeGroup, LocalProjection } from '../../../core/coverage/index';

export type PlannerMode = 'euclidean' | 'network' | 'both';
export type MeasureMode = 'euclidean' | 'network';
export type Bilingual = { en: string; zh: string };

export interface DistrictRef {
  code: string | null;
  name_zh: string;
  name_en: string;
}

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

export interface NormJson {
  category: CategoryId;
  radiusM: number;
  normRadiusM: number;
  overridden: boolean;
  lifeCircle: string | null;
  walkMinutes: number;
  walkMinutesAtSpeed: number;
  ageGroup: AgeGroup;
  source: 'GB 50180-2018' | 'atlas default';
  citation: string;
}

export interface PopulationMethod {
  available: boolean;
  childrenAvailable: boolean;
  source: 'population_cells' | 'census-dasymetric' | 'mixed' | 'none';
  text: string;
  details: string[];
  cellSizeM: number;
  cellCount: number;
}

export interface AreaJson {
  kind: 'districts' | 'bbox';
  districts: DistrictRef[];
  bbox: [number, number, number, number];
  cellSizeM: number;
  cellCount: number;
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

export interface CoverageResponse {
  category: CategoryId;
  mode: PlannerMode;
  norm: NormJson;
  walk: { walkSpeedMps: number; stepPenalty: number; maxAccessM: number };
  area: AreaJson;
  method: { population: PopulationMethod; coverage: CoverageMethodStatements };
  facilities: { count: number; withCapacity: number };
  euclidean: CoverageSummaryJson | null;
  network: (CoverageSummaryJson & { graph: { edges: number; skippedEdges: number; unsnappedFacilities: number } | null }) | null;
  networkReason: string | null;
  /** Whether the walking pass priced slope, and from which DEM (server/features/coverage/analysis.ts). */
  slope?: { used: boolean; source: string | null; note: string };
  /** slope=compare: the walking pass on the flat graph and with slope. */
  slopeComparison?: { flat: CoverageSummaryJson; slope: CoverageSummaryJson } | null;
  comparison: { text: Bilingual; total: ComparisonRow; districts: ComparisonRow[] } | null;
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
}

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

export type GapsResponse = FeatureCollection<Polygon, GapProperties> & {
  totals: Partial<
    Record<MeasureMode, { features: number; uncoveredPopulation: number | null; uncoveredChildren: number | null; areaKm2: number }>
  >;
  truncated: boolean;
  networkReason: string | null;
};

export interface GridJson {
  cellSizeM: number;
  originX: number;
  originY: number;
  cols: number;
  rows: number;
  projection: LocalProjection;
}

export interface CellModeArrays {
  distanceM: (number | null)[];
  covered: number[];
  noAccess: number[] | null;
}

export interface CellsResponse {
  count: number;
  cellSizeM: number;
  radiusM: number;
  ageGroup: AgeGroup;
  populationAvailable: boolean;
  childrenAvailable: boolean;
  districts: DistrictRef[];
  lng: number[];
  lat: number[];
  grid: GridJson;
  col: number[];
  row: number[];
  population: number[];
  children: number[];
  district: number[];
  euclidean: CellModeArrays | null;
  network: CellModeArrays | null;
  networkReason: string | null;
  facilities: { count: number; id: number[]; lng: number[]; lat: number[] };
}

export interface InputsResponse {
  category: CategoryId;
  norm: NormJson;
  walk: { walkSpeedMps: number; stepPenalty: number; maxAccessM: number };
  area: AreaJson;
  method: CoverageResponse['method'];
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
  facilities: {
    count: number;
    id: number[];
    lng: number[];
    lat: number[];
    capacity: (number | null)[];
    name_zh: string[];
    name_en: (string | null)[];
  };
  network: {
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
  } | null;
  networkReason: string | null;
}

export interface SuggestedSite {
  rank: number;
  lng: number;
  lat: number;
  districtCode: string | null;
  name_zh: string | null;
  name_en: string | null;
  addedChildren: number;
  addedPopulation: number;
  cumulativeAddedChildren: number;
}
