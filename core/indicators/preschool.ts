/**
 * Pre-school education, implementation plan §六 (学前教育):
 * - gross enrolment (学前教育毛入园率) 93 % by 2025 — measured here by its proxy,
 *   kindergarten places per 1,000 children aged 3–5 (target 930), because enrolment is
 *   not in the facility register;
 * - 普惠性幼儿园 (inclusive, price-regulated) places ≥ 90 % of all places;
 * - places in public kindergartens (公办园在园幼儿占比) ≥ 55 %, measured on places.
 *
 * Shares are of the places whose status is recorded; the shortfall is the number of
 * places that would have to change status (认定普惠 / 转为公办) with the total unchanged.
 */
import { cityRate, noData, rateResult, joinNotes, type IndicatorDefinition } from './build';
import { NOTES, lowerBoundNote } from './notes';
import { formatCount } from './ratio';
import type { Bilingual } from '../catalogue';
import type { DatasetContext, DistrictAggregates, IndicatorResult } from './types';

/** §六: 93 % gross enrolment, as places per 1,000 children aged 3–5. */
export const KINDERGARTEN_PLACES_TARGET = 930;
export const INCLUSIVE_SHARE_TARGET = 90;
export const PUBLIC_SHARE_TARGET = 55;

const noKgData = NOTES.noCategoryData('幼儿园', 'kindergarten');
const placesText = (n: number): Bilingual => ({
  zh: `还需增加 ${formatCount(n)} 个幼儿园学位`,
  en: `needs ${formatCount(n)} more kindergarten places`,
});

export const kindergartenPlaces: IndicatorDefinition = {
  id: 'kindergarten_places_per_1000_children',
  name: {
    zh: '每千名 3–5 岁儿童幼儿园学位数（毛入园率 93% 的近似）',
    en: 'Kindergarten places per 1,000 children aged 3–5 (proxy for 93 % gross enrolment)',
  },
  short: { zh: '千童学位', en: 'KG places /1,000 aged 3–5' },
  unit: { zh: '个/千名 3–5 岁儿童', en: 'places per 1,000 children aged 3–5' },
  cityUnit: { zh: '个/千名 3–5 岁儿童', en: 'places per 1,000 children aged 3–5' },
  target: KINDERGARTEN_PLACES_TARGET,
  cityTarget: KINDERGARTEN_PLACES_TARGET,
  clause: '实施方案 §六',
  formula: {
    zh: '幼儿园学位数之和 ÷ 3–5 岁儿童数 × 1000；目标 930（对应毛入园率 93%）；缺口 = ⌈0.93 × 儿童数 − 学位数⌉',
    en: 'sum of kindergarten capacities ÷ children aged 3–5 × 1,000; target 930 (93 % gross enrolment); shortfall = ⌈0.93 × children − places⌉',
  },
  dataNeeded: {
    zh: '幼儿园及其学位数（capacity）；3–5 岁儿童数（由 2020 年人口普查年龄结构估算）',
    en: 'kindergartens with their capacity; children aged 3–5 (estimated from the 2020 census age bins)',
  },
  district(a, ctx) {
    const id = 'kindergarten_places_per_1000_children';
    const target = KINDERGARTEN_PLACES_TARGET;
    if (!ctx.cityFacilities.kindergarten) return noData(id, a.code, noKgData, target);
    if (a.children_3_5 === null) return noData(id, a.code, NOTES.noChildren('3–5 岁'), target);
    if (a.children_3_5 === 0) return noData(id, a.code, NOTES.zeroChildren('3–5 岁'), target);
    const k = a.kindergarten;
    if (k.facilities > 0 && k.withCapacity === 0) {
      return noData(
        id,
        a.code,
        { zh: `${k.facilities} 所幼儿园均未记录学位数`, en: `none of the ${k.facilities} kindergartens has a recorded capacity` },
        target,
      );
    }
    return rateResult({
      id,
      district: a.code,
      numerator: k.places,
      denominator: a.children_3_5,
      scale: 1000,
      target: KINDERGARTEN_PLACES_TARGET,
      unit: 'places',
      text: placesText,
      note: lowerBoundNote(k.facilities - k.withCapacity, k.facilities, '学位数', 'capacity'),
    });
  },
  city(_all, results) {
    return cityRate('kindergarten_places_per_1000_children', results, {
      scale: 1000,
      target: KINDERGARTEN_PLACES_TARGET,
      unit: 'places',
      text: placesText,
      noDataNote: noKgData,
    });
  },
};

interface ShareSpec {
  id: 'kindergarten_inclusive_share' | 'kindergarten_public_share';
  target: number;
  part: (k: DistrictAggregates['kindergarten']) => number;
  known: (k: DistrictAggregates['kindergarten']) => number;
  what: Bilingual;
  text: (n: number) => Bilingual;
}

function shareOfPlaces(s: ShareSpec, a: DistrictAggregates, ctx: DatasetContext): IndicatorResult {
  if (!ctx.cityFacilities.kindergarten) return noData(s.id, a.code, noKgData, s.target);
  const k = a.kindergarten;
  const known = s.known(k);
  if (known === 0) {
    return noData(
      s.id,
      a.code,
      k.facilities === 0
        ? { zh: '本区县没有幼儿园记录', en: 'no kindergarten recorded in this district' }
        : { zh: `没有同时记录学位数和${s.what.zh}的幼儿园`, en: `no kindergarten records both its capacity and its ${s.what.en}` },
      s.target,
    );
  }
  const unknownPlaces = k.places - known;
  return rateResult({
    id: s.id,
    district: a.code,
    numerator: s.part(k),
    denominator: known,
    scale: 100,
    target: s.target,
    unit: 'places',
    text: s.text,
    note: joinNotes(
      unknownPlaces > 0
        ? {
            zh: `${formatCount(unknownPlaces)} 个学位未记录${s.what.zh}，不计入分母`,
            en: `${formatCount(unknownPlaces)} places without a recorded ${s.what.en} left out`,
          }
        : null,
      lowerBoundNote(k.facilities - k.withCapacity, k.facilities, '学位数', 'capacity'),
    ),
  });
}

const inclusiveSpec: ShareSpec = {
  id: 'kindergarten_inclusive_share',
  target: INCLUSIVE_SHARE_TARGET,
  part: (k) => k.inclusivePlaces,
  known: (k) => k.inclusiveKnownPlaces,
  what: { zh: '普惠属性', en: '普惠 (inclusive) status' },
  text: (n) => ({
    zh: `还需 ${formatCount(n)} 个学位认定为普惠性学位`,
    en: `${formatCount(n)} more places need to become inclusive (普惠)`,
  }),
};

const publicSpec: ShareSpec = {
  id: 'kindergarten_public_share',
  target: PUBLIC_SHARE_TARGET,
  part: (k) => k.publicPlaces,
  known: (k) => k.ownershipKnownPlaces,
  what: { zh: '办园性质', en: 'ownership' },
  text: (n) => ({ zh: `还需 ${formatCount(n)} 个公办学位`, en: `${formatCount(n)} more places need to be in public kindergartens` }),
};

/** A kindergarten places share (percent, its target for districts and the city), from its spec and its words. */
function shareIndicator(s: ShareSpec, words: Pick<IndicatorDefinition, 'name' | 'short' | 'formula' | 'dataNeeded'>): IndicatorDefinition {
  return {
    id: s.id,
    name: words.name,
    short: words.short,
    unit: { zh: '%', en: '%' },
    cityUnit: { zh: '%', en: '%' },
    target: s.target,
    cityTarget: s.target,
    clause: '实施方案 §六',
    formula: words.formula,
    dataNeeded: words.dataNeeded,
    district: (a, ctx) => shareOfPlaces(s, a, ctx),
    city: (_all, results) =>
      cityRate(s.id, results, {
        scale: 100,
        target: s.target,
        unit: 'places',
        text: s.text,
        noDataNote: noKgData,
      }),
  };
}

export const inclusiveShare = shareIndicator(inclusiveSpec, {
  name: { zh: '普惠性幼儿园学位占比', en: 'Share of kindergarten places that are inclusive (普惠)' },
  short: { zh: '普惠占比', en: 'Inclusive share' },
  formula: {
    zh: '普惠性幼儿园学位 ÷ 已记录普惠属性的学位 × 100；缺口 = ⌈0.9 × 分母 − 普惠学位⌉（总学位不变）',
    en: 'inclusive places ÷ places whose 普惠 status is recorded × 100; shortfall = ⌈0.9 × denominator − inclusive places⌉ (total unchanged)',
  },
  dataNeeded: { zh: '幼儿园学位数（capacity）与普惠属性（inclusive）', en: 'kindergarten capacity and 普惠 flag (inclusive)' },
});

export const publicShare = shareIndicator(publicSpec, {
  name: { zh: '公办幼儿园学位占比', en: 'Share of kindergarten places in public kindergartens' },
  short: { zh: '公办占比', en: 'Public share' },
  formula: {
    zh: '公办幼儿园学位 ÷ 已记录办园性质的学位 × 100；缺口 = ⌈0.55 × 分母 − 公办学位⌉（总学位不变）',
    en: 'places in public kindergartens ÷ places whose ownership is recorded × 100; shortfall = ⌈0.55 × denominator − public places⌉ (total unchanged)',
  },
  dataNeeded: { zh: '幼儿园学位数（capacity）与办园性质（ownership）', en: 'kindergarten capacity and ownership' },
});
