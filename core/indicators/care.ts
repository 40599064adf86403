/**
 * Infant care for under-3s, implementation plan §五 (托育服务):
 * - 每千人口拥有 3 岁以下婴幼儿托位数 4.5 个 by 2025;
 * - every district builds a demonstration infant-care guidance centre (婴幼儿照护服务指导中心).
 *
 * @example
 * nurseryPlaces.district(aggregates, ctx); // { value: 4.5, target: 4.5, status: 'met', numerator: 450, denominator: 100000, … }
 */
import { cityPresence, cityRate, noData, presenceResult, rateResult, joinNotes, type IndicatorDefinition } from './build';
import { NOTES, lowerBoundNote } from './notes';
import { formatCount } from './ratio';
import type { Bilingual } from '../catalogue';

/** §五: nursery places per 1,000 residents. */
export const NURSERY_PLACES_TARGET = 4.5;

const noNurseryData = NOTES.noCategoryData('托育机构', 'nursery');
const placesText = (n: number): Bilingual => ({
  zh: `还需增加 ${formatCount(n)} 个托位`,
  en: `needs ${formatCount(n)} more nursery places`,
});

export const nurseryPlaces: IndicatorDefinition = {
  id: 'nursery_places_per_1000',
  name: { zh: '每千人口托位数', en: 'Nursery places per 1,000 residents' },
  short: { zh: '千人托位', en: 'Nursery places /1,000' },
  unit: { zh: '个/千人', en: 'places per 1,000 residents' },
  cityUnit: { zh: '个/千人', en: 'places per 1,000 residents' },
  target: NURSERY_PLACES_TARGET,
  cityTarget: NURSERY_PLACES_TARGET,
  clause: '实施方案 §五',
  formula: {
    zh: '托育机构托位数之和 ÷ 常住人口 × 1000；缺口 = ⌈4.5 × 常住人口 ÷ 1000 − 托位数⌉',
    en: 'sum of nursery capacities ÷ resident population × 1,000; shortfall = ⌈4.5 × population ÷ 1,000 − places⌉',
  },
  dataNeeded: {
    zh: '托育机构（category = nursery）及其托位数（capacity）；区县常住人口（2020 年人口普查）',
    en: 'nurseries (category = nursery) with their capacity; district resident population (2020 census)',
  },
  district(a, ctx) {
    const id = 'nursery_places_per_1000';
    const target = NURSERY_PLACES_TARGET;
    if (!ctx.cityFacilities.nursery) return noData(id, a.code, noNurseryData, target);
    if (a.population === null) return noData(id, a.code, NOTES.noPopulation, target);
    if (a.population === 0) return noData(id, a.code, NOTES.zeroPopulation, target);
    const n = a.nursery;
    if (n.facilities > 0 && n.withCapacity === 0) {
      return noData(
        id,
        a.code,
        { zh: `${n.facilities} 个托育机构均未记录托位数`, en: `none of the ${n.facilities} nurseries has a recorded capacity` },
        target,
      );
    }
    return rateResult({
      id,
      district: a.code,
      numerator: n.places,
      denominator: a.population,
      scale: 1000,
      target: NURSERY_PLACES_TARGET,
      unit: 'places',
      text: placesText,
      note: lowerBoundNote(n.facilities - n.withCapacity, n.facilities, '托位数', 'capacity'),
    });
  },
  city(_all, results) {
    return cityRate('nursery_places_per_1000', results, {
      scale: 1000,
      target: NURSERY_PLACES_TARGET,
      unit: 'places',
      text: placesText,
      noDataNote: noNurseryData,
    });
  },
};

export const guidanceCentre: IndicatorDefinition = {
  id: 'infant_care_guidance_centre',
  name: { zh: '示范性婴幼儿照护服务指导中心', en: 'Demonstration infant-care guidance centre' },
  short: { zh: '托育指导中心', en: 'Guidance centre' },
  unit: { zh: '个', en: 'centres' },
  cityUnit: { zh: '%（按区县计）', en: '% of districts' },
  target: 1,
  cityTarget: 100,
  clause: '实施方案 §五',
  formula: {
    zh: '托育机构中 attributes.guidance_centre = true 或名称含“指导中心”的个数；≥ 1 为达标。全市：已建区县占比',
    en: 'nurseries with attributes.guidance_centre = true or a name containing 指导中心; ≥ 1 is met. City: share of districts with one',
  },
  dataNeeded: {
    zh: '托育机构名录，指导中心以 attributes.guidance_centre 标记或以名称识别',
    en: 'the nursery register, guidance centres flagged by attributes.guidance_centre or recognised by name',
  },
  district(a, ctx) {
    if (!ctx.cityFacilities.nursery) return noData('infant_care_guidance_centre', a.code, noNurseryData, 1);
    return presenceResult(
      'infant_care_guidance_centre',
      a.code,
      a.nursery.guidanceCentres,
      'centres',
      () => ({ zh: '尚无示范性婴幼儿照护服务指导中心', en: 'needs a demonstration infant-care guidance centre' }),
      joinNotes(a.nursery.facilities === 0 ? { zh: '本区县没有托育机构记录', en: 'no nursery recorded in this district' } : null),
    );
  },
  city(all, results) {
    return cityPresence('infant_care_guidance_centre', all, results, noNurseryData);
  },
};
