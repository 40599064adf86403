/** The dashboard's HTTP calls (same origin), with the server's error message when it sends one. */
import type { IndicatorId, IndicatorsResponse, SnapshotsResponse } from '../../../core/indicators';
import type { Lang } from './i18n';

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) {
    let message = res.statusText || `HTTP ${res.status}`;
    try {
      message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new Error(message);
  }
  return (await res.json()) as T;
}

export const indicatorApi = {
  indicators: (signal?: AbortSignal) => getJson<IndicatorsResponse>('/api/indicators', signal),
  snapshots: (district: string, signal?: AbortSignal, indicator?: IndicatorId) =>
    getJson<SnapshotsResponse>(`/api/indicators/snapshots?${new URLSearchParams({ district, limit: '50', ...(indicator ? { indicator } : {}) })}`, signal),
};

/** Download links (plain <a href>, so the browser saves the file itself). */
export function downloadUrl(format: 'csv' | 'xlsx', lang: Lang, district?: string): string {
  const q = new URLSearchParams({ lang, ...(district ? { district } : {}) });
  return `/api/indicators.${format}?${q}`;
}
