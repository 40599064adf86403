/**
 * Plain shapes shared by every importer: a facility ready to upsert (whatever file it
 * came from), a rejected row with its reason, and the summary an import returns. Pure
 * data, no I/O: the server fills the database from these, the CLI prints them, a later
 * admin API returns them as JSON.
 */
import type { CategoryId } from '../catalogue';
import type { FacilityDescription } from '../api';

export type Geometry2D = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

/**
 * The facility columns an importer or an editor sets (all but id, category, source, status and
 * the geometries), with the marker as lng/lat. Shared by {@link FacilityInput} and the editing
 * feature's facility state.
 */
export interface FacilityFields extends FacilityDescription {
  /** Everything else the source said (unrecognised columns, OSM rule, …), JSON-safe. */
  attributes: Record<string, unknown>;
  /** Marker position, WGS84 degrees, rounded to 1e-7. */
  lng: number;
  lat: number;
}

/** One facility as every importer hands it to the database layer (WGS84, validated). */
export interface FacilityInput extends FacilityFields {
  /** Stable id inside its source: 'node/123' for OSM, the register's 编号, or a derived key. */
  source_id: string;
  category: CategoryId;
  /** Outline of parks and school grounds (WGS84), or null. */
  footprint: Geometry2D | null;
}

/** Why a row was not imported (a stable code for programs, a sentence for people). */
export type RejectionCode =
  | 'missing_coordinate'
  | 'bad_coordinate'
  | 'out_of_range'
  | 'swapped_coordinates'
  | 'projected_coordinates'
  | 'outside_extent'
  | 'unknown_category'
  | 'duplicate_id'
  | 'missing_name'
  | 'bad_value'
  | 'unknown_district'
  | 'no_geometry';

export interface Rejection {
  /** 1-based row number in the file as a spreadsheet shows it (header = row 1); null for OSM. */
  row: number | null;
  /** The row's id when it has one ('way/456', 编号). */
  source_id: string | null;
  code: RejectionCode;
  reason: string;
}

/** Counts of one table's upsert. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Facilities: marked retired (`--full`); network/population: stale rows deleted. */
  retired: number;
}

export const ZERO_COUNTS: Readonly<WriteCounts> = Object.freeze({ inserted: 0, updated: 0, unchanged: 0, retired: 0 });

/** `elevation`: a DEM GeoTIFF → per-edge elevation of the walking network (server/features/imports/elevation.ts). */
export type ImportKind = 'facilities' | 'network' | 'population' | 'districts' | 'elevation';
