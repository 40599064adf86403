/**
 * The atlas HTTP API, same origin. Response types come from core/api.ts; errors become
 * `ApiError` with the server's `{ error: { code, message, field } }` body when it has one.
 */
import type {
  DistrictFeature,
  FacilityFeature,
  FeatureCollection,
  HealthResponse,
  LngLat,
  ApiErrorBody,
} from '../../core/api';
import { CATEGORY_IDS, type CategoryId } from '../../core/catalogue';

/** `[west, south, east, north]` in degrees, WGS84. */
export type Bbox = [number, number, number, number];

export interface ConfigResponse {
  basemapStyleUrl: string | null;
}

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never reached the server. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

async function getJson<T>(path: string, params: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) qs.set(k, v);
  const url = qs.size ? `${path}?${qs}` : path;
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    let body: ApiErrorBody | null = null;
    try {
      body = (await res.json()) as ApiErrorBody;
    } catch {
      /* not JSON: keep the status */
    }
    throw new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.field);
  }
  return (await res.json()) as T;
}

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
  facilities: (
    q: { bbox?: Bbox; categories: readonly CategoryId[]; text?: string; limit?: number },
    signal?: AbortSignal,
  ) =>
    getJson<FeatureCollection<FacilityFeature>>(
      '/api/facilities',
      {
        bbox: q.bbox ? bboxParam(q.bbox) : undefined,
        category: categoryParam(q.categories),
        q: q.text || undefined,
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

export { isAbort };
