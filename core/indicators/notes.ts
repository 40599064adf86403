/** Reasons shown with a result, in both languages. One place, so the wording stays consistent. */
import type { Bilingual } from '../catalogue';

export const NOTES = {
  noPopulation: { zh: '缺少常住人口数据', en: 'no resident population figure' },
  zeroPopulation: { zh: '常住人口为零', en: 'the resident population is zero' },
  noChildren: (group: string): Bilingual => ({ zh: `缺少${group}儿童人口数据`, en: `no figure for children aged ${group}` }),
  zeroChildren: (group: string): Bilingual => ({ zh: `${group}儿童人口为零`, en: `no children aged ${group}` }),
  noCategoryData: (zh: string, en: string): Bilingual => ({ zh: `尚未导入${zh}数据`, en: `no ${en} data loaded` }),
  noStreets: { zh: '尚未导入本区县街道（乡镇）名录', en: 'no streets/townships (街道/乡镇) loaded for this district' },
  noCommunities: { zh: '尚未导入社区名录', en: 'no communities loaded' },
  noCommunitiesHere: { zh: '本区县尚无社区记录', en: 'no communities recorded in this district' },
  noVenueData: { zh: '尚未导入大型公共场所数据', en: 'no large-venue data loaded' },
  noCoverage: {
    zh: '步行可达性结果尚未计算（覆盖率引擎接入后提供）',
    en: 'walking-coverage results not computed yet (they come from the coverage engine)',
  },
} as const;

/** "k of n nurseries have no recorded capacity: the value is a lower bound". */
export function lowerBoundNote(missing: number, total: number, zhWhat: string, enWhat: string): Bilingual | null {
  if (missing <= 0) return null;
  return {
    zh: `${total} 个中有 ${missing} 个未记录${zhWhat}，数值为下限`,
    en: `${missing} of ${total} have no recorded ${enWhat}: the value is a lower bound`,
  };
}
