/**
 * Special education, implementation plan §七: every district (区县) of more than 200,000
 * residents runs a special-education school (20万人口以上的区县办好一所特殊教育学校).
 * Districts at or under the threshold are `not_applicable` (their count is still shown).
 */
import { cityPresence, noData, presenceResult, type IndicatorDefinition } from './build';
import { NOTES } from './notes';
import { formatCount } from './ratio';

/** §七: the rule applies to districts of more than this many residents. */
export const SPECIAL_SCHOOL_POPULATION_THRESHOLD = 200_000;

const ID = 'special_school' as const;
const noSpecialData = NOTES.noCategoryData('特殊教育学校', 'special-school');

export const specialSchool: IndicatorDefinition = {
  id: ID,
  name: { zh: '特殊教育学校（常住人口 20 万以上区县）', en: 'Special-education school (districts over 200,000 residents)' },
  short: { zh: '特教学校', en: 'Special school' },
  unit: { zh: '所', en: 'schools' },
  cityUnit: { zh: '%（按 20 万人口以上区县计）', en: '% of districts over 200,000' },
  target: 1,
  cityTarget: 100,
  clause: '实施方案 §七',
  formula: {
    zh: '常住人口 > 200,000 的区县：特殊教育学校数 ≥ 1 为达标；其余区县不适用。全市：适用区县中已有学校的占比',
    en: 'districts of > 200,000 residents: ≥ 1 special-education school is met; others are not applicable. City: share of those districts with one',
  },
  dataNeeded: {
    zh: '特殊教育学校（category = special_school）；区县常住人口',
    en: 'special-education schools (category = special_school); district resident population',
  },
  district(a, ctx) {
    if (!ctx.cityFacilities.special_school) return noData(ID, a.code, noSpecialData, 1);
    if (a.population === null) return noData(ID, a.code, NOTES.noPopulation, 1);
    if (a.population <= SPECIAL_SCHOOL_POPULATION_THRESHOLD) {
      return {
        id: ID,
        district: a.code,
        value: a.specialSchools,
        target: null,
        status: 'not_applicable',
        numerator: a.specialSchools,
        denominator: null,
        shortfall: null,
        note: {
          zh: `常住人口 ${formatCount(a.population)}，未超过 20 万，不作要求`,
          en: `${formatCount(a.population)} residents, not over 200,000: not required`,
        },
      };
    }
    return presenceResult(ID, a.code, a.specialSchools, 'schools', () => ({
      zh: '尚无特殊教育学校',
      en: 'needs a special-education school',
    }));
  },
  city: (all, results) => cityPresence(ID, all, results, noSpecialData),
};
