/**
 * Children's health services, implementation plan §十:
 * - a standardised maternal-and-child health institution (妇幼保健机构) in every district;
 * - paediatricians per 1,000 children, target 0.7, where doctor counts are recorded
 *   (`attributes.paediatricians` on child-health facilities); otherwise `no_data`.
 */
import { cityPresence, cityRate, noData, presenceResult, rateResult, type IndicatorDefinition } from './build';
import { NOTES, lowerBoundNote } from './notes';
import { formatCount } from './ratio';
import type { Bilingual } from '../catalogue';

export const PAEDIATRICIANS_TARGET = 0.7;

const MCH = 'mch_institution' as const;
const DOCS = 'paediatricians_per_1000_children' as const;
const noHealthData = NOTES.noCategoryData('儿科/妇幼保健机构', 'child-health facility');
const noDoctorCounts: Bilingual = { zh: '未记录儿科医生数', en: 'paediatrician counts not recorded' };
const doctorsText = (n: number): Bilingual => ({
  zh: `还需增加 ${formatCount(n)} 名儿科医生`,
  en: `needs ${formatCount(n)} more paediatricians`,
});

export const mchInstitution: IndicatorDefinition = {
  id: MCH,
  name: { zh: '标准化妇幼保健机构', en: 'Standardised maternal-and-child health institution' },
  short: { zh: '妇幼保健机构', en: 'MCH institution' },
  unit: { zh: '个', en: 'institutions' },
  cityUnit: { zh: '%（按区县计）', en: '% of districts' },
  target: 1,
  cityTarget: 100,
  clause: '实施方案 §十',
  formula: {
    zh: '儿科/妇幼保健设施中 attributes.kind = "mch" 或名称含“妇幼保健”的个数；≥ 1 为达标。全市：已有区县占比',
    en: 'child-health facilities with attributes.kind = "mch" or a name containing 妇幼保健; ≥ 1 is met. City: share of districts with one',
  },
  dataNeeded: {
    zh: '儿科/妇幼保健设施（category = child_health）。是否“标准化”无法从名录判断，以机构存在计',
    en: 'child-health facilities (category = child_health). Whether it is "standardised" is not in the register: presence is counted',
  },
  district(a, ctx) {
    if (!ctx.cityFacilities.child_health) return noData(MCH, a.code, noHealthData, 1);
    return presenceResult(MCH, a.code, a.childHealth.mch, 'institutions', () => ({
      zh: '尚无妇幼保健机构',
      en: 'needs a maternal-and-child health institution',
    }));
  },
  city: (all, results) => cityPresence(MCH, all, results, noHealthData),
};

export const paediatricians: IndicatorDefinition = {
  id: DOCS,
  name: { zh: '每千名儿童儿科医生数', en: 'Paediatricians per 1,000 children' },
  short: { zh: '千童儿科医生', en: 'Paediatricians /1,000' },
  unit: { zh: '人/千名儿童', en: 'per 1,000 children aged 0–14' },
  cityUnit: { zh: '人/千名儿童', en: 'per 1,000 children aged 0–14' },
  target: PAEDIATRICIANS_TARGET,
  cityTarget: PAEDIATRICIANS_TARGET,
  clause: '实施方案 §十',
  formula: {
    zh: '已记录的儿科医生数之和 ÷ 0–14 岁儿童数 × 1000；无记录时为“无数据”',
    en: 'sum of recorded paediatricians ÷ children aged 0–14 × 1,000; no_data where no count is recorded',
  },
  dataNeeded: {
    zh: '儿科/妇幼保健设施的 attributes.paediatricians（儿科执业医师数）；0–14 岁儿童数（2020 年人口普查）',
    en: 'attributes.paediatricians (licensed paediatricians) on child-health facilities; children aged 0–14 (2020 census)',
  },
  district(a, ctx) {
    if (!ctx.cityFacilities.child_health) return noData(DOCS, a.code, noHealthData, PAEDIATRICIANS_TARGET);
    const h = a.childHealth;
    if (h.withPaediatricians === 0) return noData(DOCS, a.code, noDoctorCounts, PAEDIATRICIANS_TARGET);
    if (a.children_0_14 === null) return noData(DOCS, a.code, NOTES.noChildren('0–14 岁'), PAEDIATRICIANS_TARGET);
    if (a.children_0_14 === 0) return noData(DOCS, a.code, NOTES.zeroChildren('0–14 岁'), PAEDIATRICIANS_TARGET);
    return rateResult({
      id: DOCS,
      district: a.code,
      numerator: h.paediatricians,
      denominator: a.children_0_14,
      scale: 1000,
      target: PAEDIATRICIANS_TARGET,
      unit: 'paediatricians',
      text: doctorsText,
      note: lowerBoundNote(h.facilities - h.withPaediatricians, h.facilities, '儿科医生数', 'paediatrician count'),
    });
  },
  city: (_all, results) =>
    cityRate(DOCS, results, {
      scale: 1000,
      target: PAEDIATRICIANS_TARGET,
      unit: 'paediatricians',
      text: doctorsText,
      noDataNote: noDoctorCounts,
    }),
};
