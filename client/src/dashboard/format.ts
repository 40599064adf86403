/**
 * Pure helpers of the dashboard: number formatting, sorting the district rows, and the
 * per-indicator summary ("3 of 38 districts meet the target"). No React, no DOM.
 */
import type { DistrictIndicatorsView, IndicatorId, IndicatorResultView } from '../../../core/indicators';
import type { Lang, MessageKey } from './i18n';

/** A value for a table cell: up to 2 decimals (1 for percentages over 10), grouped thousands; '—' for null. */
export function formatValue(v: number | null, lang: Lang): string {
  if (v === null) return '—';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatCount(n: number, lang: Lang): string {
  return Math.round(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
}

export function resultOf(d: DistrictIndicatorsView, id: IndicatorId): IndicatorResultView | undefined {
  return d.indicators.find((r) => r.id === id);
}

/** `code`: the official order (by GB/T 2260 code), the initial one. */
export type SortKey = 'code' | 'district' | 'population' | IndicatorId;
export type SortDir = 'ascending' | 'descending';

/**
 * Districts sorted by a column. Indicator columns sort by value; districts without a
 * value (no data) always come last, whichever the direction, so that sorting never hides
 * a missing value among real ones. Ties keep code order. The input is not mutated.
 */
export function sortDistricts(rows: readonly DistrictIndicatorsView[], key: SortKey, dir: SortDir, lang: Lang): DistrictIndicatorsView[] {
  const sign = dir === 'ascending' ? 1 : -1;
  const byCode = (a: DistrictIndicatorsView, b: DistrictIndicatorsView) => a.code.localeCompare(b.code);
  if (key === 'code') return [...rows].sort((a, b) => sign * byCode(a, b));
  if (key === 'district') {
    const collator = new Intl.Collator(lang === 'zh' ? 'zh-Hans-CN' : 'en');
    const name = (d: DistrictIndicatorsView) => (lang === 'zh' ? d.name_zh : d.name_en);
    return [...rows].sort((a, b) => sign * collator.compare(name(a), name(b)) || byCode(a, b));
  }
  const val = (d: DistrictIndicatorsView): number | null => (key === 'population' ? d.population : (resultOf(d, key)?.value ?? null));
  return [...rows].sort((a, b) => {
    const va = val(a);
    const vb = val(b);
    if (va === null && vb === null) return byCode(a, b);
    if (va === null) return 1;
    if (vb === null) return -1;
    return sign * (va - vb) || byCode(a, b);
  });
}

export interface IndicatorSummary {
  id: IndicatorId;
  met: number;
  /** Districts judged against a target (met + not met). */
  judged: number;
  noData: number;
}

/** How many districts meet each indicator's target. */
export function summarise(rows: readonly DistrictIndicatorsView[], ids: readonly IndicatorId[]): IndicatorSummary[] {
  return ids.map((id) => {
    let met = 0;
    let judged = 0;
    let noData = 0;
    for (const d of rows) {
      const r = resultOf(d, id);
      if (!r) continue;
      if (r.status === 'met') met++;
      if (r.status === 'met' || r.status === 'not_met') judged++;
      if (r.status === 'no_data') noData++;
    }
    return { id, met, judged, noData };
  });
}

/** Indicators with at least one value (in a district or the city). */
export function indicatorsWithData(rows: readonly DistrictIndicatorsView[], ids: readonly IndicatorId[]): IndicatorId[] {
  return ids.filter((id) => rows.some((d) => resultOf(d, id)?.status !== 'no_data'));
}

/** A walking-coverage result with no value yet because the background run is still on (not "no data"). */
export function isComputing(r: Pick<IndicatorResultView, 'status' | 'coverage'> | undefined): boolean {
  return r?.status === 'no_data' && r.coverage?.state === 'computing';
}

/** How a walking-coverage value was measured, when it is not (only) along the walking network: the words' key, else null. */
export function measureKey(r: Pick<IndicatorResultView, 'coverage'> | undefined): MessageKey | null {
  const m = r?.coverage?.measure;
  return m === 'straight_line' ? 'measureStraightLine' : m === 'mixed' ? 'measureMixed' : null;
}

/** Whether any walking-coverage result is still to come (computing, or stale while recomputed): the views reload then. */
export function coveragePending(rows: readonly DistrictIndicatorsView[]): boolean {
  return rows.some((d) => d.indicators.some((r) => r.coverage?.state === 'computing' || r.coverage?.state === 'stale'));
}

/** How often the views ask again while walking coverage computes (the whole city takes about half a minute). */
export const COVERAGE_POLL_MS = 5_000;
