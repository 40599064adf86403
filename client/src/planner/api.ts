/** The coverage API, typed (./types.ts), with the atlas's ApiError for failures. */
import type { CategoryId } from '../../../core/catalogue';
import { ApiError } from '../api';
import type { CellsResponse, CoverageResponse, GapsResponse, InputsResponse, PlannerMode } from './types';

export interface CoverageQuery {
  category: CategoryId;
  mode: PlannerMode;
  districts: readonly string[];
  radiusM: number | null;
  cellSizeM: number;
  /** Ask the summary for flat and slope-aware walking coverage side by side (slope=compare). */
  slopeCompare?: boolean;
}

function params(q: CoverageQuery, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ category: q.category, mode: q.mode, district: q.districts.join(','), cellSizeM: String(q.cellSizeM), ...extra });
  if (q.radiusM !== null) p.set('radiusM', String(q.radiusM));
  return p.toString();
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    let body: { error?: { code?: string; message?: string; field?: string } } | null = null;
    try {
      body = await res.json();
    } catch {
      /* keep the status */
    }
    throw new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.field);
  }
  return (await res.json()) as T;
}

export interface DistrictOption {
  code: string;
  name_zh: string;
  name_en: string;
  central_urban: boolean;
  population: number | null;
}

export const coverageApi = {
  summary: (q: CoverageQuery, signal?: AbortSignal) => getJson<CoverageResponse>(`/api/coverage?${params(q, q.slopeCompare && q.mode !== 'euclidean' ? { slope: 'compare' } : {})}`, signal),
  gaps: (q: CoverageQuery, signal?: AbortSignal) => getJson<GapsResponse>(`/api/coverage/gaps?${params(q)}`, signal),
  cells: (q: CoverageQuery, signal?: AbortSignal) => getJson<CellsResponse>(`/api/coverage/cells?${params(q, { format: 'json' })}`, signal),
  inputs: (q: CoverageQuery, signal?: AbortSignal) => getJson<InputsResponse>(`/api/coverage/inputs?${params(q)}`, signal),
  /** District names for the picker (coarse geometry: only the properties are used). */
  async districts(signal?: AbortSignal): Promise<DistrictOption[]> {
    const fc = await getJson<{ features: { properties: DistrictOption }[] }>('/api/districts?simplify=0.05', signal);
    return fc.features.map((f) => ({
      code: f.properties.code,
      name_zh: f.properties.name_zh,
      name_en: f.properties.name_en,
      central_urban: f.properties.central_urban,
      population: f.properties.population,
    }));
  },
};
