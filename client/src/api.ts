/**
 * The atlas map API, same origin, through the one HTTP client (./http.ts). Response types
 * come from core/api.ts; failures are `ApiError`.
 */
import type { ConfigResponse, DistrictFeature, FacilityFeature, FeatureCollection, HealthResponse, LngLat } from '../../core/api';
import { CATEGORY_IDS, type CategoryId } from '../../core/catalogue';
import { getJson } from './http';

/** `[west, south, east, north]` in degrees, WGS84. */
export type Bbox = [number, number, number, number];

/**
 * The `category` query value: omitted when every category is selected (the server's
 * default), so URLs stay short and the tile cache is shared.
 */
export function categoryParam(categories: readonly CategoryId[]): string | undefined {
  if (categories.length === CATEGORY_IDS.length) return undefined;
  return categories.join(',');
}

function bboxParam(b: Bbox): string {
  return b.map((v) => v.toFixed(6)).join(',');
}

export const api = {
  health: (signal?: AbortSignal) => getJson<HealthResponse>('/api/health', {}, signal),
  config: (signal?: AbortSignal) => getJson<ConfigResponse>('/api/config', {}, signal),
  districts: (signal?: AbortSignal) => getJson<FeatureCollection<DistrictFeature>>('/api/districts', {}, signal),
  /** With `text`, most relevant first, then nearest to `near` ([lng, lat]). */
  facilities: (
    q: { bbox?: Bbox; categories: readonly CategoryId[]; text?: string; near?: [number, number]; limit?: number },
    signal?: AbortSignal,
  ) =>
    getJson<FeatureCollection<FacilityFeature>>(
      '/api/facilities',
      {
        bbox: q.bbox ? bboxParam(q.bbox) : undefined,
        category: categoryParam(q.categories),
        q: q.text || undefined,
        near: q.near ? q.near.map((n) => n.toFixed(6)).join(',') : undefined,
        limit: q.limit !== undefined ? String(q.limit) : undefined,
      },
      signal,
    ),
  facility: (id: number, signal?: AbortSignal) => getJson<FacilityFeature>(`/api/facilities/${encodeURIComponent(id)}`, {}, signal),
  nearby: (q: { point: LngLat; categories: readonly CategoryId[]; limit?: number }, signal?: AbortSignal) =>
    getJson<FeatureCollection<FacilityFeature>>(
      '/api/nearby',
      {
        lng: q.point[0].toFixed(6),
        lat: q.point[1].toFixed(6),
        category: categoryParam(q.categories),
        limit: q.limit !== undefined ? String(q.limit) : undefined,
      },
      signal,
    ),
};

/**
 * The facility vector-tile URL template. MapLibre fetches tiles from its worker, so the
 * URL must be absolute. Category filtering happens on the layer (`setFilter`), not here,
 * so a filter change never refetches tiles.
 */
export function facilityTileUrl(): string {
  return `${location.origin}/api/tiles/facilities/{z}/{x}/{y}.pbf`;
}
