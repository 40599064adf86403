/**
 * The routes API (server/features/routes) through the one HTTP client (../http.ts).
 * Response shapes come from core/routing (the same types the server builds them with).
 */
import type { FeatureCollection, LineString } from 'geojson';
import type { RoutePlan } from '../../../core/routing/route';
import type { SchoolNetwork } from '../../../core/routing/network';
import type { ProfileId } from '../../../core/routing/safety';
import type { Bilingual } from '../../../core/routing/text';
import type { LngLat } from '../../../core/api';
import type { Bbox } from '../api';
import { ApiError, getJson, request } from '../http';

export type RouteAnswer = RoutePlan & {
  graph: { edges: number; builtAt: string };
  slope?: { used: boolean; source: string | null; note: string };
};

export interface SchoolNetworkAnswer extends Omit<SchoolNetwork, 'school'> {
  school: {
    id: number;
    category: string;
    name_zh: string;
    name_en: string | null;
    coordinates: LngLat;
    gate: LngLat;
    snapped: LngLat;
    accessM: number;
  };
  norm: { radiusM: number; walkMinutes: number; ageGroup: string; citation: string };
  population: {
    method: 'population_cells' | 'street_origins';
    source: string | null;
    cells: number;
    childrenPerKm2: number | null;
    note: Bilingual;
  };
}

export interface StoredRouteProps {
  id: number;
  school_id: number | null;
  school_name_zh: string | null;
  name_zh: string;
  name_en: string | null;
  kind: 'computed' | 'drawn';
  status: string;
  length_m: number;
  walk_minutes: number | null;
  safety_score: number | null;
}

/** The server's reason and words (both languages) when it finds no walking route (422 `no_walking_route`). */
export function noRouteOf(e: unknown): { reason: string; words: Bilingual } | null {
  if (!(e instanceof ApiError) || e.status !== 422 || e.code !== 'no_walking_route') return null;
  const words = e.details?.message as Bilingual | undefined;
  return words ? { reason: typeof e.details?.reason === 'string' ? e.details.reason : 'unknown', words } : null;
}

const ll = (p: LngLat) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`;

export const routesApi = {
  route: (q: { from: LngLat; schoolId: number; profile: ProfileId }, signal?: AbortSignal) =>
    getJson<RouteAnswer>('/api/route', { from: ll(q.from), school: q.schoolId, profile: q.profile }, signal),
  schoolNetwork: (id: number, signal?: AbortSignal) => getJson<SchoolNetworkAnswer>(`/api/routes/school/${id}`, { top: 5 }, signal),
  stored: (bbox: Bbox, signal?: AbortSignal) =>
    getJson<FeatureCollection<LineString, StoredRouteProps>>(
      '/api/routes',
      { bbox: bbox.map((v) => v.toFixed(6)).join(','), limit: 100 },
      signal,
    ),
  save: (body: { name_zh: string; from: LngLat; school_id: number; profile: ProfileId }) =>
    request<{ id: number }>('POST', '/api/routes', { body: { kind: 'computed', ...body } }),
};
