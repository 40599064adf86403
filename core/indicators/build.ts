/**
 * The building blocks every indicator is made of: a definition (what the plan asks, the
 * formula, the data it needs) and the three result shapes (a rate against a target, a
 * "one in every district" presence, and "no data"), plus the city totals built from
 * district results.
 */
import type { Bilingual } from '../catalogue';
import { meetsRate, rate, unitsShort } from './ratio';
import {
  CITY_CODE,
  type DatasetContext,
  type DistrictAggregates,
  type IndicatorDefinitionView,
  type IndicatorId,
  type IndicatorResult,
  type Shortfall,
  type ShortfallItem,
  type ShortfallUnit,
} from './types';

/** An indicator: its definition as the API lists it, and how a district's and the city's results are computed. */
export interface IndicatorDefinition extends IndicatorDefinitionView {
  district(a: DistrictAggregates, ctx: DatasetContext): IndicatorResult;
  city(all: readonly DistrictAggregates[], results: readonly IndicatorResult[], ctx: DatasetContext): IndicatorResult;
}

/** A result with nothing known: value null, status `no_data`, the reason in `note`. */
export function noData(id: IndicatorId, district: string, note: Bilingual, target: number | null = null): IndicatorResult {
  return { id, district, value: null, target, status: 'no_data', numerator: null, denominator: null, shortfall: null, note };
}

/** Builds the shortfall sentence for `amount` missing units. */
export type ShortfallText = (amount: number) => Bilingual;

export function shortfall(amount: number, unit: ShortfallUnit, text: ShortfallText, items?: ShortfallItem[]): Shortfall | null {
  if (amount <= 0) return null;
  return items ? { amount, unit, text: text(amount), items } : { amount, unit, text: text(amount) };
}

export interface RateArgs {
  id: IndicatorId;
  district: string;
  numerator: number;
  denominator: number;
  /** 1000 for "per 1,000", 100 for a percentage. */
  scale: number;
  target: number;
  unit: ShortfallUnit;
  text: ShortfallText;
  items?: ShortfallItem[];
  /** Shortfall amount when it is not "units to add to the numerator" (e.g. venues without a room). */
  amount?: number;
  note?: Bilingual | null;
}

/**
 * A rate against a target: `numerator / denominator × scale ≥ target`. A zero denominator
 * gives `no_data` (never a division by zero dressed up as 0 or ∞).
 */
export function rateResult(a: RateArgs): IndicatorResult {
  if (!(a.denominator > 0)) {
    return { ...noData(a.id, a.district, a.note ?? NOTE_ZERO_DENOMINATOR, a.target), numerator: a.numerator, denominator: a.denominator };
  }
  const met = meetsRate(a.numerator, a.denominator, a.scale, a.target);
  const amount = a.amount ?? unitsShort(a.numerator, a.denominator, a.scale, a.target);
  return {
    id: a.id,
    district: a.district,
    value: rate(a.numerator, a.denominator, a.scale),
    target: a.target,
    status: met ? 'met' : 'not_met',
    numerator: a.numerator,
    denominator: a.denominator,
    shortfall: met ? null : shortfall(amount, a.unit, a.text, a.items),
    note: a.note ?? null,
  };
}

/** "At least one in the district": value = how many, target 1. */
export function presenceResult(
  id: IndicatorId,
  district: string,
  count: number,
  unit: ShortfallUnit,
  text: ShortfallText,
  note: Bilingual | null = null,
): IndicatorResult {
  const met = count >= 1;
  return {
    id,
    district,
    value: count,
    target: 1,
    status: met ? 'met' : 'not_met',
    numerator: count,
    denominator: null,
    shortfall: met ? null : shortfall(1, unit, text),
    note,
  };
}

const NOTE_ZERO_DENOMINATOR: Bilingual = { zh: '分母为零，无法计算', en: 'the denominator is zero: nothing to compute' };

/** Districts whose result could be judged (met or not met). */
function judged(results: readonly IndicatorResult[]): IndicatorResult[] {
  return results.filter((r) => r.status === 'met' || r.status === 'not_met');
}

function excludedNote(results: readonly IndicatorResult[], extra: Bilingual | null = null): Bilingual | null {
  const missing = results.filter((r) => r.status === 'no_data').length;
  const parts: Bilingual[] = [];
  if (missing > 0)
    parts.push({ zh: `${missing} 个区县缺少数据，未计入`, en: `${missing} district${missing === 1 ? '' : 's'} without data left out` });
  if (extra) parts.push(extra);
  if (!parts.length) return null;
  return { zh: parts.map((p) => p.zh).join('；'), en: parts.map((p) => p.en).join('; ') };
}

/**
 * City total of a rate: the sums of the judged districts' numerators and denominators
 * (so the city value is population-weighted, not a mean of district rates). The note
 * adds what the districts below target need in all, which is more than the city-level
 * shortfall when other districts are above target.
 */
export function cityRate(
  id: IndicatorId,
  results: readonly IndicatorResult[],
  o: { scale: number; target: number; unit: ShortfallUnit; text: ShortfallText; noDataNote: Bilingual },
): IndicatorResult {
  const ok = judged(results);
  if (!ok.length) return noData(id, CITY_CODE, o.noDataNote, o.target);
  const numerator = ok.reduce((s, r) => s + (r.numerator ?? 0), 0);
  const denominator = ok.reduce((s, r) => s + (r.denominator ?? 0), 0);
  const below = ok.filter((r) => r.status === 'not_met');
  const sumShort = below.reduce((s, r) => s + (r.shortfall?.amount ?? 0), 0);
  const extra =
    below.length > 0
      ? {
          zh: `${below.length} 个区县未达标，合计${o.text(sumShort).zh}`,
          en: `${below.length} district${below.length === 1 ? '' : 's'} below target, together: ${o.text(sumShort).en}`,
        }
      : null;
  return rateResult({
    id,
    district: CITY_CODE,
    numerator,
    denominator,
    scale: o.scale,
    target: o.target,
    unit: o.unit,
    text: o.text,
    note: excludedNote(results, extra),
  });
}

/**
 * City total of a presence indicator: the share of judged districts that have one
 * (target 100 %); the shortfall names the districts without one.
 */
export function cityPresence(
  id: IndicatorId,
  all: readonly DistrictAggregates[],
  results: readonly IndicatorResult[],
  noDataNote: Bilingual,
): IndicatorResult {
  const ok = judged(results);
  if (!ok.length) return noData(id, CITY_CODE, noDataNote, 100);
  const names = new Map(all.map((a) => [a.code, a.name]));
  const without = ok.filter((r) => r.status === 'not_met');
  const items: ShortfallItem[] = without.map((r) => ({
    kind: 'district',
    id: r.district,
    name: names.get(r.district) ?? { zh: r.district, en: r.district },
  }));
  return rateResult({
    id,
    district: CITY_CODE,
    numerator: ok.length - without.length,
    denominator: ok.length,
    scale: 100,
    target: 100,
    unit: 'districts',
    amount: without.length,
    items,
    text: (n) => ({ zh: `${n} 个区县尚未达到`, en: `${n} district${n === 1 ? '' : 's'} without one` }),
    note: excludedNote(results),
  });
}

/** Joins notes that may be null. */
export function joinNotes(...notes: (Bilingual | null | undefined)[]): Bilingual | null {
  const ns = notes.filter((n): n is Bilingual => !!n);
  if (!ns.length) return null;
  return { zh: ns.map((n) => n.zh).join('；'), en: ns.map((n) => n.en).join('; ') };
}
