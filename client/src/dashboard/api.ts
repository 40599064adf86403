/** The dashboard's HTTP calls, through the one HTTP client (../http.ts). */
import type { IndicatorId, IndicatorsResponse, SnapshotsResponse } from '../../../core/indicators';
import type { Lang } from './i18n';
import { getJson } from '../http';

export const indicatorApi = {
  indicators: (signal?: AbortSignal) => getJson<IndicatorsResponse>('/api/indicators', {}, signal),
  snapshots: (district: string, signal?: AbortSignal, indicator?: IndicatorId) =>
    getJson<SnapshotsResponse>('/api/indicators/snapshots', { district, limit: 50, indicator }, signal),
};

/** Download links (plain <a href>, so the browser saves the file itself). */
export function downloadUrl(format: 'csv' | 'xlsx', lang: Lang, district?: string): string {
  const q = new URLSearchParams({ lang, ...(district ? { district } : {}) });
  return `/api/indicators.${format}?${q}`;
}
