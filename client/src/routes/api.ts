/**
 * The routes API (server/features/routes), same origin. Response shapes come from
 * core/routing (the same types the server builds them with).
 */
import type { FeatureCollection, LineString } from 'geojson';
import type { RoutePlan } from '../../../core/routing/route';
import type { SchoolNetwork } from '../../../core/routing/network';
import type { ProfileId } from '../../../core/routing/safety';
import type { Bilingual } from '../../../core/routing/text';
import type { LngLat } from '../../../core/api';
import { ApiError, type Bbox } from '../api';

export type RouteAnswer = RoutePlan & { graph: { edges: number; builtAt: string }; slope?: { used: boolean; source: string | null; note: string } };

export interface SchoolNetworkAnswer extends Omit<SchoolNetwork, 'school'> {
  school: { id: number; category: string; name_zh: string; name_en: string | null; coordinates: LngLat; gate: LngLat; snapped: LngLat; accessM: number };
  norm: { radiusM: number; walkMinutes: number; ageGroup: string; citation: string };
  population: { method: 'population_cells' | 'street_origins'; source: string | null; cells: number; childrenPerKm2: number | null; note: Bilingual };
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

/** A "no walking route" answer: the server's reason and its words in both languages. */
export class NoRouteError extends Error {
  constructor(readonly reason: string, readonly words: Bilingual) {
    super(words.en);
    this.name = 'NoRouteError';
  }
}

async function request<T>(method: string, url: string, o: { signal?: AbortSignal; body?: unknown; csrf?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  if (o.csrf) headers['X-CSRF-Token'] = o.csrf;
  let res: Response;
  try {
    res = await fetch(url, { method, signal: o.signal, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), credentials: 'same-origin' });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    let body: { error?: { code?: string; message?: string; field?: string; details?: { reason?: string; message?: Bilingual } } } | null = null;
    try {
      body = await res.json();
    } catch {
      /* not JSON */
    }
    const err = body?.error;
    if (res.status === 422 && err?.code === 'no_walking_route' && err.details?.message) throw new NoRouteError(err.details.reason ?? 'unknown', err.details.message);
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.field);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const ll = (p: LngLat) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`;

export const routesApi = {
  route: (q: { from: LngLat; schoolId: number; profile: ProfileId }, signal?: AbortSignal) =>
    request<RouteAnswer>('GET', `/api/route?from=${ll(q.from)}&school=${q.schoolId}&profile=${q.profile}`, { signal }),
  schoolNetwork: (id: number, signal?: AbortSignal) => request<SchoolNetworkAnswer>('GET', `/api/routes/school/${id}?top=5`, { signal }),
  stored: (bbox: Bbox, signal?: AbortSignal) =>
    request<FeatureCollection<LineString, StoredRouteProps>>('GET', `/api/routes?bbox=${bbox.map((v) => v.toFixed(6)).join(',')}&limit=100`, { signal }),
  me: (signal?: AbortSignal) => request<{ user: { role: string; username: string } | null; csrfToken?: string }>('GET', '/api/auth/me', { signal }),
  save: (body: { name_zh: string; from: LngLat; school_id: number; profile: ProfileId }, csrf: string) =>
    request<{ id: number }>('POST', '/api/routes', { body: { kind: 'computed', ...body }, csrf }),
};
