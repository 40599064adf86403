/**
 * Every string of the indicator dashboard, in Chinese (reference) and English. `en` must
 * have exactly the keys of `zh` (the type checks it). Placeholders are `{name}`, filled
 * by `t()`. Indicator names, units, shortfall sentences and notes come from the API
 * (core/indicators), already in both languages.
 */
import type { IndicatorStatus } from '../../../core/indicators';
import { formatMessage, type Lang } from '../messageFormat';

export type { Lang } from '../messageFormat';

const zh = {
  title: '儿童友好城市建设指标监测',
  subtitle: '对照《重庆市儿童友好城市建设实施方案》2025 年目标（§三十六 监测评估）',
  sampleData: '设施为虚构示例数据，人口为 2020 年人口普查数据；数值仅供演示',
  loading: '正在计算指标…',
  loadError: '指标无法加载：{message}',
  retry: '重试',
  computedAt: '计算时间：{time}',

  summaryHeading: '概览',
  summaryMet: '{met} / {judged} 个区县达标',
  summaryCity: '全市 {value}',
  summaryWithoutData: '暂无数据：{list}',

  tableCaption: '各区县指标一览',
  tableCaptionHelp: '每格显示数值与状态：✓ 达标，✗ 未达标，? 无数据，– 不适用。点击列标题排序，点击区县名称查看详情。',
  tableScrollLabel: '指标表（可横向滚动）',
  columnDistrict: '区县',
  columnPopulation: '常住人口',
  cityRow: '全市',
  sortAscending: '按{column}升序排列',
  sortDescending: '按{column}降序排列',
  onlyWithData: '只显示有数据的指标',
  shortBy: '缺 {amount}',
  openDistrict: '查看{name}详情',

  download: '下载',
  downloadCsv: '下载 CSV',
  downloadXlsx: '下载 Excel',
  downloadHint: '含中文表头：区县、指标、数值、目标、状态、缺口、依据条款、计算时间',

  back: '返回全部区县',
  districtHeading: '{name}',
  population: '常住人口 {n}',
  missingHeading: '尚缺什么',
  missingNone: '所有可评估的指标均已达标。',
  missingDetail: '{name}：{value} / {target} {unit}（{clause}）',
  nameAndNote: '{name}：{note}',
  noDataHeading: '缺少数据的指标',
  showOnMap: '在地图上显示',
  showOnMapFor: '在地图上显示：{what}',
  showDistrictOnMap: '在地图上显示{name}',
  andMore: '另有 {n} 个',
  detailsHeading: '全部指标',
  detailsCaption: '{name}各项指标',
  columnIndicator: '指标',
  columnValue: '数值',
  columnTarget: '目标',
  columnStatus: '状态',
  columnShortfall: '缺口',
  columnClause: '依据条款',
  columnTrend: '趋势',
  trendLoading: '正在读取历史快照…',
  trendNone: '暂无快照',
  trendOne: '仅 1 次快照',
  trendNoValues: '各次快照均无数据',
  trendLabel: '趋势：{points}（{n} 次快照，{from} 至 {to}）',
  trendError: '历史快照无法读取',
  howComputed: '计算方法',
  formula: '计算方法：{formula}',
  dataNeeded: '所需数据：{data}',

  legendHeading: '图例：{indicator}',
  legendMet: '达标',
  legendNear: '未达标（已达目标的 75% 以上）',
  legendMid: '未达标（50%–75%）',
  legendFar: '未达标（不足 50%）',
  legendNoData: '无数据',
  legendNotApplicable: '不适用',
  legendShare: '{from}%–{to}%',
  legendComputing: '计算中…',
  legendStraightLine: '其中 {n} 个区县按直线距离计算（未导入步行路网）',

  statusComputing: '计算中…',
  measureStraightLine: '直线距离',
  measureMixed: '部分为直线距离',
  summaryComputing: '正在后台计算：{list}',
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  title: 'Child-friendly city targets: monitoring',
  subtitle: 'Against the 2025 targets of the Chongqing Child-Friendly City Implementation Plan (§36, monitoring and evaluation)',
  sampleData: 'Facilities are synthetic sample data; population is the 2020 census. Values are for demonstration only',
  loading: 'Computing indicators…',
  loadError: 'The indicators could not be loaded: {message}',
  retry: 'Try again',
  computedAt: 'Computed {time}',

  summaryHeading: 'Overview',
  summaryMet: '{met} of {judged, plural, one {# district meets} other {# districts meet}} the target',
  summaryCity: 'City {value}',
  summaryWithoutData: 'No data yet: {list}',

  tableCaption: 'Indicators by district',
  tableCaptionHelp:
    'Each cell shows the value and its status: ✓ met, ✗ not met, ? no data, – not applicable. Sort by a column heading; open a district by its name.',
  tableScrollLabel: 'Indicator table (scrolls sideways)',
  columnDistrict: 'District',
  columnPopulation: 'Residents',
  cityRow: 'Whole city',
  sortAscending: 'Sort by {column}, ascending',
  sortDescending: 'Sort by {column}, descending',
  onlyWithData: 'Only indicators with data',
  shortBy: 'short {amount}',
  openDistrict: 'Open {name}',

  download: 'Download',
  downloadCsv: 'Download CSV',
  downloadXlsx: 'Download Excel',
  downloadHint: 'Columns: district, indicator, value, target, status, shortfall, clause, computed at',

  back: 'Back to all districts',
  districtHeading: '{name}',
  population: '{n, plural, one {# resident} other {# residents}}',
  missingHeading: 'What is missing',
  missingNone: 'Every indicator that can be judged meets its target.',
  missingDetail: '{name}: {value} / {target} {unit} ({clause})',
  nameAndNote: '{name}: {note}',
  noDataHeading: 'Indicators without data',
  showOnMap: 'Show on map',
  showOnMapFor: 'Show on map: {what}',
  showDistrictOnMap: 'Show {name} on the map',
  andMore: 'and {n} more',
  detailsHeading: 'All indicators',
  detailsCaption: 'Indicators of {name}',
  columnIndicator: 'Indicator',
  columnValue: 'Value',
  columnTarget: 'Target',
  columnStatus: 'Status',
  columnShortfall: 'Shortfall',
  columnClause: 'Clause',
  columnTrend: 'Trend',
  trendLoading: 'Reading saved snapshots…',
  trendNone: 'No snapshots yet',
  trendOne: 'Only 1 snapshot',
  trendNoValues: 'No value in any snapshot',
  trendLabel: 'Trend: {points} ({n, plural, one {# snapshot} other {# snapshots}}, {from} to {to})',
  trendError: 'Saved snapshots could not be read',
  howComputed: 'How it is computed',
  formula: 'Formula: {formula}',
  dataNeeded: 'Data needed: {data}',

  legendHeading: 'Legend: {indicator}',
  legendMet: 'Met',
  legendNear: 'Not met (75 % of target or more)',
  legendMid: 'Not met (50–75 %)',
  legendFar: 'Not met (under 50 %)',
  legendNoData: 'No data',
  legendNotApplicable: 'Not applicable',
  legendShare: '{from}–{to} %',
  legendComputing: 'Computing…',
  legendStraightLine: '{n, plural, one {# district} other {# districts}} measured in a straight line (no walking network imported)',

  statusComputing: 'Computing…',
  measureStraightLine: 'straight line',
  measureMixed: 'partly straight line',
  summaryComputing: 'Computing in the background: {list}',
};

const MESSAGES: Record<Lang, Record<MessageKey, string>> = { zh, en };

export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The translator for a language: `t('summaryMet', { met: 3, judged: 38 })`. */
export function translator(lang: Lang): T {
  const m = MESSAGES[lang];
  return (key, vars) => formatMessage(lang, m[key], vars);
}

export const STATUS_LABEL: Record<IndicatorStatus, Record<Lang, string>> = {
  met: { zh: '达标', en: 'Met' },
  not_met: { zh: '未达标', en: 'Not met' },
  no_data: { zh: '无数据', en: 'No data' },
  not_applicable: { zh: '不适用', en: 'Not applicable' },
};
