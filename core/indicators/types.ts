/**
 * Shapes of the plan-target indicators (issue #5, implementation plan §三十六 监测评估):
 * what goes in (per-district aggregates of the database's facts) and what comes out (one
 * result per indicator, district and the city total). Shared by the server, which
 * computes and stores them, and the dashboard, which shows them.
 */
import type { Bilingual } from '../catalogue';

export const INDICATOR_IDS = [
  'nursery_places_per_1000',
  'infant_care_guidance_centre',
  'kindergarten_places_per_1000_children',
  'kindergarten_inclusive_share',
  'kindergarten_public_share',
  'special_school',
  'mch_institution',
  'paediatricians_per_1000_children',
  'mother_baby_room_large_venues',
  'protection_station_street_share',
  'child_friendly_communities',
  'coverage_nursery_300m',
  'coverage_kindergarten_300m',
  'coverage_primary_500m',
  'coverage_middle_1000m',
  'coverage_playground_300m',
] as const;

export type IndicatorId = (typeof INDICATOR_IDS)[number];

/**
 * - `met` / `not_met`: the value is known and compared with the target (≥ target is met).
 * - `no_data`: the data the formula needs is missing; `value` is null. Never a guess.
 * - `not_applicable`: the value may be known, but this target does not apply here
 *   (a district under the 200,000-resident threshold of §七, a district with no large
 *   venue, an indicator with a city-wide target only, or one with no numeric target).
 */
export type IndicatorStatus = 'met' | 'not_met' | 'no_data' | 'not_applicable';

export const INDICATOR_STATUSES: readonly IndicatorStatus[] = ['met', 'not_met', 'no_data', 'not_applicable'];

/** The city total's code in results and snapshots: Chongqing's own GB/T 2260 code. */
export const CITY_CODE = '500000';

/** What a shortfall is counted in. */
export type ShortfallUnit =
  | 'places'
  | 'centres'
  | 'schools'
  | 'institutions'
  | 'paediatricians'
  | 'venues'
  | 'streets'
  | 'communities'
  | 'districts'
  | 'children';

/** A thing that is missing or out of compliance, for "show on map" links. */
export interface ShortfallItem {
  kind: 'facility' | 'venue' | 'street' | 'district';
  /** Facility or venue id (number), street or district code (string). */
  id: number | string;
  name: Bilingual;
  /** [lng, lat] WGS84, when the item has a position. */
  point?: [number, number];
}

/** What is missing to reach the target. */
export interface Shortfall {
  /** How many more (whole units, rounded up). */
  amount: number;
  unit: ShortfallUnit;
  /** One sentence: "needs 1,240 more nursery places" / "还需增加 1,240 个托位". */
  text: Bilingual;
  /** The missing things themselves when they can be named (venues without a room, 街道 without a station…). */
  items?: ShortfallItem[];
}

/** The outcome of one indicator for one district (or the city). */
export interface IndicatorResult {
  id: IndicatorId;
  /** District code, or {@link CITY_CODE} for the city total. */
  district: string;
  value: number | null;
  /** Null when the plan sets no numeric target for this row. */
  target: number | null;
  status: IndicatorStatus;
  numerator: number | null;
  denominator: number | null;
  shortfall: Shortfall | null;
  /** Why the value is missing, approximate or not applicable; null when there is nothing to say. */
  note: Bilingual | null;
}

/**
 * How a walking-coverage result (`coverage_*`) stands, for the UI to say it in its own words:
 * `state` — `computing` (no result yet, the background run is on), `stale` (the last results
 * while newer data is computed), `failed`, or `ready`; `measure` — how distance was measured
 * in this district (`network`: along the walking network, `straight_line`: no network
 * imported, `mixed`: the city total over districts measured both ways), null without a value.
 */
export interface CoverageBasis {
  state: 'ready' | 'stale' | 'computing' | 'failed';
  measure: 'network' | 'straight_line' | 'mixed' | null;
}

/** The result as the API serves it: definition fields inlined, plus when it was computed. */
export interface IndicatorResultView extends IndicatorResult {
  name: Bilingual;
  unit: Bilingual;
  clause: string;
  computed_at: string;
  /** Walking-coverage indicators only (absent on the others, and without a coverage source). */
  coverage?: CoverageBasis;
}

export interface DistrictIndicatorsView {
  code: string;
  name_zh: string;
  name_en: string;
  population: number | null;
  indicators: IndicatorResultView[];
}

/** The definition of an indicator as the API lists it (the formula and the data it needs). */
export interface IndicatorDefinitionView {
  id: IndicatorId;
  name: Bilingual;
  /** A short column label for tables. */
  short: Bilingual;
  unit: Bilingual;
  /** The city total's unit when it differs (presence indicators: % of districts). */
  cityUnit: Bilingual;
  /** The district target (null: none, e.g. a city-wide target only). */
  target: number | null;
  cityTarget: number | null;
  /** The plan clause (or standard) the target comes from. */
  clause: string;
  formula: Bilingual;
  dataNeeded: Bilingual;
}

/** `GET /api/indicators`. */
export interface IndicatorsResponse {
  computed_at: string;
  definitions: IndicatorDefinitionView[];
  districts: DistrictIndicatorsView[];
  /** The city total; null when one district was asked for. */
  city: DistrictIndicatorsView | null;
}

/** One saved snapshot in a trend. */
export interface SnapshotPoint {
  taken_at: string;
  reason: string;
  indicators: Partial<Record<IndicatorId, Pick<IndicatorResult, 'value' | 'target' | 'status' | 'numerator' | 'denominator'>>>;
}

/** `GET /api/indicators/snapshots`. */
export interface SnapshotsResponse {
  district: string;
  snapshots: SnapshotPoint[];
}

// ---------------------------------------------------------------------------------------
// Inputs

/** A large venue (≥ 10,000 m² or ≥ 10,000 visitors a day) and whether it has a room. */
export interface LargeVenue {
  kind: 'facility' | 'venue';
  id: number;
  name: Bilingual;
  venueKind: string;
  point: [number, number];
  hasMotherBabyRoom: boolean;
}

export interface StreetRef {
  code: string;
  name_zh: string;
}

/**
 * Everything the formulas read about one district, already summed. Counts are of active
 * facilities. A `null` population or child group means the census figure is missing.
 */
export interface DistrictAggregates {
  code: string;
  name: Bilingual;
  population: number | null;
  children_0_2: number | null;
  children_3_5: number | null;
  children_0_14: number | null;
  nursery: {
    facilities: number;
    /** Nurseries with a recorded capacity, and the sum of those capacities. */
    withCapacity: number;
    places: number;
    /** Nurseries that are demonstration infant-care guidance centres (§五). */
    guidanceCentres: number;
  };
  kindergarten: {
    facilities: number;
    withCapacity: number;
    places: number;
    /** Places in kindergartens whose 普惠 status is recorded, and those that are 普惠. */
    inclusiveKnownPlaces: number;
    inclusivePlaces: number;
    /** Places in kindergartens whose ownership is recorded (public/private), and the public ones. */
    ownershipKnownPlaces: number;
    publicPlaces: number;
  };
  specialSchools: number;
  childHealth: {
    facilities: number;
    /** Maternal-and-child health institutions (妇幼保健院/所). */
    mch: number;
    /** Facilities that record a paediatrician count, and the sum of those counts. */
    withPaediatricians: number;
    paediatricians: number;
  };
  largeVenues: LargeVenue[];
  streets: {
    total: number;
    withStation: number;
    withoutStation: StreetRef[];
  };
  communities: {
    total: number;
    childFriendly: number;
  };
}

/**
 * Walking-coverage results of one category, per district, from the coverage engine
 * (core/coverage, `summariseCoverage`), keyed by district code. Structurally a subset of
 * its `DistrictCoverage`, so that this module needs nothing else from it.
 */
export interface CoverageInput {
  category: string;
  radiusM: number;
  mode: 'euclidean' | 'network';
  districts: Record<string, { children: number; coveredChildren: number }>;
}

/** What tells "none here" from "no data loaded" across the whole city. */
export interface DatasetContext {
  /** Active facilities per category in the whole city. */
  cityFacilities: Partial<Record<string, number>>;
  /** Venue records (any size) plus facilities that carry floor_area_m2/daily_visitors. */
  venueRecords: number;
  /** Rows of the streets and communities tables. */
  streetRecords: number;
  communityRecords: number;
  /** Walking-coverage results per category id; absent = not computed yet. */
  coverage?: Partial<Record<string, CoverageInput>>;
}
