/**
 * Every indicator for every district, and the city total built from the districts.
 *
 * @example
 * const { districts, city } = computeIndicators(aggregates, context);
 * districts[0].results.find((r) => r.id === 'nursery_places_per_1000')?.status; // 'not_met'
 */
import { INDICATORS } from './definitions';
import { CITY_CODE, type DatasetContext, type DistrictAggregates, type IndicatorId, type IndicatorResult } from './types';

export interface ComputedIndicators {
  /** Same order as the input districts; results in indicator order. */
  districts: { code: string; results: IndicatorResult[] }[];
  city: { code: typeof CITY_CODE; results: IndicatorResult[] };
}

export function computeIndicators(
  districts: readonly DistrictAggregates[],
  context: DatasetContext,
  only?: readonly IndicatorId[],
): ComputedIndicators {
  const defs = only ? INDICATORS.filter((d) => only.includes(d.id)) : INDICATORS;
  const perDistrict = districts.map((a) => ({ code: a.code, results: defs.map((d) => d.district(a, context)) }));
  const city = defs.map((d, i) =>
    d.city(
      districts,
      perDistrict.map((p) => p.results[i]),
      context,
    ),
  );
  return { districts: perDistrict, city: { code: CITY_CODE, results: city } };
}
