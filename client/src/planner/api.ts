/** The coverage API through the one HTTP client (../http.ts); failures are its ApiError. */
import type { CategoryId } from '../../../core/catalogue';
import { getJson, type QueryParams } from '../http';
import type { CellsResponse, CoverageResponse, GapsResponse, InputsResponse } from '../../../core/api';
import type { PlannerMode } from './types';

export interface CoverageQuery {
  category: CategoryId;
  mode: PlannerMode;
  districts: readonly string[];
  radiusM: number | null;
  cellSizeM: number;
  /** Ask the summary for flat and slope-aware walking coverage side by side (slope=compare). */
  slopeCompare?: boolean;
}

function params(q: CoverageQuery, extra: QueryParams = {}): QueryParams {
  return { category: q.category, mode: q.mode, district: q.districts.join(','), cellSizeM: q.cellSizeM, radiusM: q.radiusM, ...extra };
}

export interface DistrictOption {
  code: string;
  name_zh: string;
  name_en: string;
  central_urban: boolean;
  population: number | null;
}

export const coverageApi = {
  summary: (q: CoverageQuery, signal?: AbortSignal) =>
    getJson<CoverageResponse>(
      '/api/coverage',
      params(q, { slope: q.slopeCompare && q.mode !== 'euclidean' ? 'compare' : undefined }),
      signal,
    ),
  gaps: (q: CoverageQuery, signal?: AbortSignal) => getJson<GapsResponse>('/api/coverage/gaps', params(q), signal),
  cells: (q: CoverageQuery, signal?: AbortSignal) => getJson<CellsResponse>('/api/coverage/cells', params(q, { format: 'json' }), signal),
  inputs: (q: CoverageQuery, signal?: AbortSignal) => getJson<InputsResponse>('/api/coverage/inputs', params(q), signal),
  /** District names for the picker (coarse geometry: only the properties are used). */
  async districts(signal?: AbortSignal): Promise<DistrictOption[]> {
    const fc = await getJson<{ features: { properties: DistrictOption }[] }>('/api/districts', { simplify: 0.05 }, signal);
    return fc.features.map((f) => ({
      code: f.properties.code,
      name_zh: f.properties.name_zh,
      name_en: f.properties.name_en,
      central_urban: f.properties.central_urban,
      population: f.properties.population,
    }));
  },
};
