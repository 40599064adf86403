/**
 * The strings of the data-extent features (where street networks are loaded, "go to an
 * imported area"), in Chinese (reference) and English, kept with the feature.
 */
import { useCallback } from 'react';
import { useAtlas } from '../store';
import type { Lang } from '../i18n';
import { formatMessage } from '../messageFormat';

const zh = {
  goToLabel: '前往已导入地区',
  goToPlaceholder: '前往…',
  goToNetwork: '有步行路网',
  noNetworkTitle: '这里没有加载街道路网',
  noNetworkRoutes: '当前地图范围内没有步行路网，无法规划上学路线。目前有路网的地区：{areas}。',
  noNetworkPlanner: '所选地区（{districts}）没有步行路网，只能按直线距离计算；“步行路网”需要街道数据。目前有路网的区：{areas}。',
  noNetworkPlannerView: '当前地图范围内没有步行路网：“步行路网”方式在这里只能按直线距离计算。请选择有路网的区：{areas}。',
  noNetworkImport: '导入本市的 OpenStreetMap 数据即可使用：',
  noNetworkGo: '前往{area}',
  networkChecking: '正在检查这里是否有步行路网…',
  noAreas: '无',
};

const en: Record<ExtentKey, string> = {
  goToLabel: 'Go to an imported area',
  goToPlaceholder: 'Go to…',
  goToNetwork: 'walking network',
  noNetworkTitle: 'No street network is loaded here',
  noNetworkRoutes: 'The map view has no walking network, so no route to school can be planned here. Areas with one: {areas}.',
  noNetworkPlanner:
    'The chosen districts ({districts}) have no walking network: only straight-line distance can be measured; "Walking network" needs street data. Districts with one: {areas}.',
  noNetworkPlannerView:
    'The map view has no walking network: here "Walking network" can only measure straight-line distance. Choose a district with one: {areas}.',
  noNetworkImport: 'Import your city’s OpenStreetMap data to use it:',
  noNetworkGo: 'Go to {area}',
  networkChecking: 'Checking for a walking network here…',
  noAreas: 'none',
};

export type ExtentKey = keyof typeof zh;

/** The import command shown wherever a network is missing (docs/importing.md). */
export const IMPORT_COMMAND = 'npm run import -- city.osm.pbf';

export function extentText(lang: Lang, key: ExtentKey, params?: Record<string, string | number>): string {
  return formatMessage(lang, (lang === 'en' ? en : zh)[key], params);
}

export type ExtentT = (key: ExtentKey, params?: Record<string, string | number>) => string;

export function useExtentT(): ExtentT {
  const lang = useAtlas((s) => s.lang);
  return useCallback((key: ExtentKey, params?: Record<string, string | number>) => extentText(lang, key, params), [lang]);
}
