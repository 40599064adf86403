/**
 * Walking-distance coverage: the share of children living within the life-circle
 * distance of GB 50180-2018 (表 4.0.1, 附录 C) of a facility of the category. The plan
 * (§二十, 城市儿童友好空间; §三十一, 儿童友好社区) builds on the 5-, 10- and 15-minute
 * circles but sets no numeric coverage target, so these indicators are monitored without
 * a pass/fail (`not_applicable` once computed).
 *
 * The numbers come from the coverage engine (core/coverage): this module is only the plug-in
 * point. Until its results are handed in (`DatasetContext.coverage`), every result is
 * `no_data` — never an estimate made here.
 *
 * @example
 * const ctx = { ...context, coverage: { kindergarten: coverageInputFromSummary('kindergarten', summary, districtCodes) } };
 */
import { noData, type IndicatorDefinition } from './build';
import { NOTES } from './notes';
import { formatCount, rate } from './ratio';
import type { Bilingual } from '../catalogue';
import { CITY_CODE, type CoverageInput, type DatasetContext, type IndicatorId, type IndicatorResult } from './types';

interface CoverageSpec {
  id: IndicatorId;
  category: string;
  radiusM: number;
  ageGroup: string;
  ageGroupZh: string;
  ageGroupEn: string;
  facility: Bilingual;
  circle: Bilingual;
  shortEn: string;
}

const SPECS: CoverageSpec[] = [
  {
    id: 'coverage_nursery_300m',
    category: 'nursery',
    radiusM: 300,
    ageGroup: 'children_0_2',
    ageGroupZh: '0–2 岁',
    ageGroupEn: '0–2',
    facility: { zh: '托育机构', en: 'a nursery' },
    circle: { zh: '5 分钟生活圈', en: '5-minute circle' },
    shortEn: 'Nursery ≤ 300 m',
  },
  {
    id: 'coverage_kindergarten_300m',
    category: 'kindergarten',
    radiusM: 300,
    ageGroup: 'children_3_5',
    ageGroupZh: '3–5 岁',
    ageGroupEn: '3–5',
    facility: { zh: '幼儿园', en: 'a kindergarten' },
    circle: { zh: '5 分钟生活圈', en: '5-minute circle' },
    shortEn: 'Kindergarten ≤ 300 m',
  },
  {
    id: 'coverage_primary_500m',
    category: 'primary_school',
    radiusM: 500,
    ageGroup: 'children_6_11',
    ageGroupZh: '6–11 岁',
    ageGroupEn: '6–11',
    facility: { zh: '小学', en: 'a primary school' },
    circle: { zh: '10 分钟生活圈', en: '10-minute circle' },
    shortEn: 'Primary ≤ 500 m',
  },
  {
    id: 'coverage_middle_1000m',
    category: 'middle_school',
    radiusM: 1000,
    ageGroup: 'children_12_14',
    ageGroupZh: '12–14 岁',
    ageGroupEn: '12–14',
    facility: { zh: '初中', en: 'a middle school' },
    circle: { zh: '15 分钟生活圈', en: '15-minute circle' },
    shortEn: 'Middle school ≤ 1 km',
  },
  {
    id: 'coverage_playground_300m',
    category: 'playground',
    radiusM: 300,
    ageGroup: 'children_0_14',
    ageGroupZh: '0–14 岁',
    ageGroupEn: '0–14',
    facility: { zh: '儿童游乐场', en: 'a playground' },
    circle: { zh: '5 分钟生活圈', en: '5-minute circle' },
    shortEn: 'Playground ≤ 300 m',
  },
];

function coverageResult(
  s: CoverageSpec,
  district: string,
  input: CoverageInput | undefined,
  pick: (input: CoverageInput) => { children: number; coveredChildren: number } | null,
): IndicatorResult {
  if (!input) return noData(s.id, district, NOTES.noCoverage);
  const row = pick(input);
  if (!row) return noData(s.id, district, { zh: '本区县没有覆盖率结果', en: 'no coverage result for this district' });
  if (!(row.children > 0))
    return { ...noData(s.id, district, NOTES.zeroChildren(s.ageGroupZh)), numerator: row.coveredChildren, denominator: row.children };
  const notes: Bilingual[] = [
    {
      zh: `${input.mode === 'network' ? '沿步行路网' : '直线距离'} ${input.radiusM} 米；全市未设数值目标`,
      en: `${input.mode === 'network' ? 'along the walking network' : 'straight-line'}, ${input.radiusM} m; no numeric target in the plan`,
    },
  ];
  return {
    id: s.id,
    district,
    value: rate(row.coveredChildren, row.children, 100),
    target: null,
    status: 'not_applicable',
    numerator: Math.round(row.coveredChildren),
    denominator: Math.round(row.children),
    shortfall:
      row.children - row.coveredChildren >= 0.5
        ? {
            amount: Math.round(row.children - row.coveredChildren),
            unit: 'children',
            text: {
              zh: `${formatCount(row.children - row.coveredChildren)} 名${s.ageGroupZh}儿童步行 ${input.radiusM} 米内没有${s.facility.zh}`,
              en: `${formatCount(row.children - row.coveredChildren)} children aged ${s.ageGroupEn} have no ${s.facility.en.replace(/^an? /, '')} within ${input.radiusM} m`,
            },
          }
        : null,
    note: notes[0],
  };
}

function definition(s: CoverageSpec): IndicatorDefinition {
  const input = (ctx: DatasetContext) => ctx.coverage?.[s.category];
  return {
    id: s.id,
    name: {
      zh: `${s.facility.zh}${s.radiusM} 米步行覆盖率（${s.ageGroupZh}儿童）`,
      en: `Children aged ${s.ageGroupEn} within ${s.radiusM} m walk of ${s.facility.en}`,
    },
    short: { zh: `${s.facility.zh} ${s.radiusM} 米覆盖`, en: s.shortEn },
    unit: { zh: '%', en: '%' },
    cityUnit: { zh: '%', en: '%' },
    target: null,
    cityTarget: null,
    clause: `GB 50180-2018 表4.0.1（${s.circle.zh}）；实施方案 §二十`,
    formula: {
      zh: `步行 ${s.radiusM} 米内有${s.facility.zh}的 ${s.ageGroupZh}儿童 ÷ ${s.ageGroupZh}儿童 × 100（人口格网，覆盖率引擎计算）`,
      en: `children aged ${s.ageGroupEn} with ${s.facility.en} within ${s.radiusM} m walk ÷ children aged ${s.ageGroupEn} × 100 (population grid, from the coverage engine)`,
    },
    dataNeeded: {
      zh: `覆盖率引擎按区县汇总的结果（人口格网 ${s.ageGroup}、步行路网、${s.facility.zh}位置）`,
      en: `per-district results of the coverage engine (population grid ${s.ageGroup}, walking network, ${s.facility.en.replace(/^an? /, '')} locations)`,
    },
    district: (a, ctx) => coverageResult(s, a.code, input(ctx), (i) => i.districts[a.code] ?? null),
    city: (all, _results, ctx) =>
      coverageResult(s, CITY_CODE, input(ctx), (i) => {
        let children = 0;
        let coveredChildren = 0;
        let any = false;
        for (const a of all) {
          const r = i.districts[a.code];
          if (!r) continue;
          any = true;
          children += r.children;
          coveredChildren += r.coveredChildren;
        }
        return any ? { children, coveredChildren } : null;
      }),
  };
}

export const COVERAGE_INDICATORS: IndicatorDefinition[] = SPECS.map(definition);

/** Categories the coverage indicators expect results for, with their radius and age group. */
export const COVERAGE_PLUG_POINTS: ReadonlyArray<{ id: IndicatorId; category: string; radiusM: number; ageGroup: string }> = SPECS.map(
  ({ id, category, radiusM, ageGroup }) => ({ id, category, radiusM, ageGroup }),
);

/**
 * Adapts a per-district summary of the coverage engine (`summariseCoverage(...)`, whose
 * `districts[i]` are in the order of the district list the cells were built with) to the
 * indicators' input, keyed by district code.
 *
 * @example
 * coverageInputFromSummary('kindergarten', summary, ['500101', '500102']);
 */
export function coverageInputFromSummary(
  category: string,
  summary: {
    mode: 'euclidean' | 'network';
    radiusM: number;
    districts: ReadonlyArray<{ district: number; children: number; coveredChildren: number }>;
  },
  districtCodes: readonly string[],
): CoverageInput {
  const districts: CoverageInput['districts'] = {};
  for (const d of summary.districts) {
    const code = districtCodes[d.district];
    if (code !== undefined) districts[code] = { children: d.children, coveredChildren: d.coveredChildren };
  }
  return { category, radiusM: summary.radiusM, mode: summary.mode, districts };
}
