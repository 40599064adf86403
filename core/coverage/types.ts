/**
 * Shared shapes of the coverage engine. Everything is typed arrays indexed by cell or
 * facility number, so that the same data moves between the server and a Web Worker as
 * transferable buffers.
 */
import type { GridSpec } from './grid';

/** The child age groups of the population surface (columns of `population_cells`), plus all children. */
export const AGE_GROUPS = ['children_0_2', 'children_3_5', 'children_6_11', 'children_12_14', 'children_0_14'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/**
 * A population surface: one record per cell (or per piece of a grid square inside one
 * district, see {@link buildGrid}). `children_0_14` is the sum of the four service groups
 * when not given.
 */
export interface Cells {
  count: number;
  /** Representative point (centroid of the cell's part inside its district), WGS84. */
  lng: Float64Array;
  lat: Float64Array;
  /** Land area of the record, m². */
  areaM2: Float64Array;
  /** Index into the caller's district list; -1 = in no district. */
  district: Int32Array;
  population: Float64Array;
  children: Record<AgeGroup, Float64Array>;
  /** Present when the cells come from a regular grid: the square each record lies in. */
  grid?: { spec: GridSpec; col: Int32Array; row: Int32Array };
}

/** Facilities of one category as parallel arrays (index = facility number). */
export interface FacilityPoints {
  count: number;
  lng: Float64Array;
  lat: Float64Array;
  /** Places / seats; NaN when unknown. Optional: only 2SFCA reads it. */
  capacity?: Float64Array;
}

/** Point facilities from plain lng/lat pairs (and optional capacities). */
export function facilityPoints(points: ReadonlyArray<readonly [number, number]>, capacity?: ReadonlyArray<number | null>): FacilityPoints {
  const n = points.length;
  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lng[i] = points[i][0];
    lat[i] = points[i][1];
  }
  const out: FacilityPoints = { count: n, lng, lat };
  if (capacity) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = capacity[i];
      c[i] = v === null || v === undefined || !Number.isFinite(v) ? NaN : v;
    }
    out.capacity = c;
  }
  return out;
}
