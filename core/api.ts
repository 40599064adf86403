/**
 * Shapes of what the HTTP API returns, shared by the server (which produces them) and
 * the client (which reads them). Geometry is GeoJSON in WGS84, `[lng, lat]`.
 */
import type { CategoryId } from './catalogue';

export type LngLat = [number, number];

export interface PointGeometry {
  type: 'Point';
  coordinates: LngLat;
}

/** Amenities recorded for a facility; absent key = unknown, not "no". */
export interface Amenities {
  changing_table?: boolean;
  nursing_room?: boolean;
  accessible_entrance?: boolean;
  drinking_water?: boolean;
  toilets?: boolean;
  shade?: boolean;
  childrens_area?: boolean;
  stroller_access?: boolean;
}

/** Amenity keys in display order (facility details, the editor's checkboxes). */
export const AMENITY_KEYS: readonly (keyof Amenities)[] = [
  'changing_table',
  'nursing_room',
  'accessible_entrance',
  'stroller_access',
  'toilets',
  'drinking_water',
  'childrens_area',
  'shade',
];

export type Ownership = 'public' | 'private' | 'unknown';
export type FacilityStatus = 'active' | 'retired' | 'proposed';

/**
 * The descriptive columns of a facility: what the API returns about it, what an importer reads
 * and what an editor sets (core/import/types.ts `FacilityFields`).
 */
export interface FacilityDescription {
  name_zh: string;
  name_en: string | null;
  address: string | null;
  opening_hours: string | null;
  /** Places (nursery, kindergarten) or seats; null when unknown or not meaningful. */
  capacity: number | null;
  age_min_years: number | null;
  age_max_years: number | null;
  ownership: Ownership;
  /** 普惠 (inclusive, price-regulated) kindergarten/nursery; null when unknown or not applicable. */
  inclusive: boolean | null;
  amenities: Amenities;
  phone: string | null;
}

export interface FacilityProperties extends FacilityDescription {
  id: number;
  category: CategoryId;
  district_code: string | null;
  district_name_zh: string | null;
  district_name_en: string | null;
  source: string;
  source_id: string;
  status: FacilityStatus;
  version: number;
  updated_at: string;
  source_updated_at: string | null;
  /** Only on /api/nearby: geodesic distance from the query point in metres. */
  distance_m?: number;
}

/**
 * Properties a client may ask for with `fields=` (`/api/nearby`): the id, the point and
 * `distance_m` always come; the rest only when named. Without `fields`, all of them.
 */
export const FACILITY_FIELDS = [
  'category',
  'name_zh',
  'name_en',
  'address',
  'district_code',
  'district_name_zh',
  'district_name_en',
  'opening_hours',
  'capacity',
  'age_min_years',
  'age_max_years',
  'ownership',
  'inclusive',
  'amenities',
  'phone',
  'source',
  'source_id',
  'status',
  'version',
  'updated_at',
  'source_updated_at',
] as const satisfies readonly (keyof FacilityProperties)[];
export type FacilityField = (typeof FACILITY_FIELDS)[number];

/** A facility with the properties named by `fields=` (and its id, and `distance_m` on /api/nearby). */
export interface FacilityFeatureOf<F extends FacilityField> {
  type: 'Feature';
  id: number;
  geometry: PointGeometry;
  properties: Pick<FacilityProperties, F | 'id' | 'distance_m'>;
}

export interface FacilityFeature {
  type: 'Feature';
  id: number;
  geometry: PointGeometry;
  properties: FacilityProperties;
}

export interface FeatureCollection<F> {
  type: 'FeatureCollection';
  features: F[];
  /** True when the result hit the limit and more features exist. */
  truncated?: boolean;
}

export interface DistrictProperties {
  code: string;
  name_zh: string;
  name_en: string;
  central_urban: boolean;
  population: number | null;
  children_0_14: number | null;
  area_km2: number;
  /** [lng, lat] of a point inside the district, for labels. */
  label_point: LngLat;
}

export interface DistrictFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  properties: DistrictProperties;
}

/**
 * How old the facility counts of `GET /api/health` may be. Counting them (with the OSM-source
 * pattern) took 16 ms on the embedded database, on its one session, for every health check.
 */
export const HEALTH_COUNTS_MAX_AGE_S = 5;

export interface HealthResponse {
  status: 'ok' | 'degraded';
  db: 'pglite' | 'postgres';
  postgis: string | null;
  version: string;
  /** Active facilities; counted at most {@link HEALTH_COUNTS_MAX_AGE_S} s ago (at once after an import). */
  facilities: number;
  /** Some active facilities are synthetic demo data (label them as sample data). */
  demo: boolean;
  /** Some active facilities come from OpenStreetMap (show "© OpenStreetMap contributors"). */
  osm: boolean;
  /** Hot standbys for public reads (DATABASE_READ_URL), when configured: lag, whether each takes reads, reads sent. */
  replicas?: {
    name: string;
    lagMs: number | null;
    serving: boolean;
    reads: number;
    reason?: 'lagging' | 'unreachable' | 'not_in_recovery' | 'unknown';
  }[];
}

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    /** The request field that is wrong, when the error is about one. */
    field?: string;
    details?: unknown;
  };
}

/** One area of imported data the map can go to (`GET /api/extents`). */
export interface ImportedArea {
  /** Stable key: the import source and file. */
  id: string;
  source: string;
  name_zh: string;
  name_en: string;
  /** [west, south, east, north], WGS84. */
  bbox: [number, number, number, number];
  /** The area holds a walking network (routes and walking coverage work there). */
  hasNetwork: boolean;
  importedAt: string | null;
}

/** `GET /api/extents`: where the atlas has data, for the map's bounds and "go to". */
export interface DataExtents {
  /** Districts, facilities and networks together, [w, s, e, n]; null on an empty database. */
  dataBounds: [number, number, number, number] | null;
  /** Bounding boxes of the walking networks held (one per import source). */
  networkBounds: [number, number, number, number][];
  /** Codes of the districts that a walking network reaches. */
  networkDistricts: string[];
  areas: ImportedArea[];
}

/** `GET /api/network/coverage?bbox=`: is there a walking network in this box? */
export interface NetworkCoverage {
  hasNetwork: boolean;
  /** Network edges in the box, counted up to `cap` (then `capped`). */
  edges: number;
  capped: boolean;
}

/**
 * The nearest named street of the walking network to a point (OSM `name`, as imported into
 * `network_edges`): on each suggested site (`POST /api/coverage/suggest`) and from
 * `GET /api/network/street?at=lng,lat` (the planner's what-if suggestions, made in the browser).
 */
export interface NearestStreet {
  /** The street's OSM name (usually Chinese; OSM rarely carries `name:en` on Chongqing's streets). */
  name: string;
  /** Metres from the point to the street's centre line, rounded to 1 m. */
  distanceM: number;
}

/** `GET /api/network/street?at=lng,lat`: the nearest named street within `maxDistanceM`, or null. */
export interface NearestStreetResponse {
  street: NearestStreet | null;
  maxDistanceM: number;
}

/** The coverage API's response shapes (./api/coverage.ts). */
export type * from './api/coverage';

/** `GET /api/config`: what the client needs to know at start. */
export interface ConfigResponse {
  /** An optional online basemap style; null = the atlas's own basemap. */
  basemapStyleUrl: string | null;
}
