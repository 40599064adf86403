/**
 * The planner's strings, Chinese (reference) and English. They live here rather than in
 * ../i18n.ts so that the resident map's first load does not carry them: the planner is a
 * lazy chunk and brings its own words. Same rules as ../i18n.ts: `en` must have exactly
 * the keys of `zh` (the type checks it), `{name}` placeholders.
 */
import type { Lang } from '../i18n';
import { formatMessage } from '../messageFormat';

const zh = {
  heading: '覆盖与缺口',
  intro: '谁住在规范步行距离之内，谁不在？按实际人口和儿童计算，直线距离与步行路网对比。',
  categoryLabel: '设施类别',
  modeLegend: '距离计算方式',
  modeEuclidean: '直线距离',
  modeNetwork: '步行路网',
  modeBoth: '两者对比',
  radiusLabel: '服务距离（米）',
  radiusReset: '恢复规范值',
  normLine: '规范：{radius} 米（{circle}），服务 {age} 儿童。',
  normLineDefault: '默认值：{radius} 米（{circle}），服务 {age} 儿童。',
  normSourceGb: '依据 GB 50180-2018',
  normSourceDefault: '无国家距离标准，本地图默认值',
  normCitation: '出处',
  circle5: '5 分钟生活圈',
  circle10: '10 分钟生活圈',
  circle15: '15 分钟生活圈',
  circleNone: '无生活圈',
  districtsLegend: '区县',
  districtsChosen: '已选 {n} 个区县',
  districtsNone: '请选择至少一个区县',
  districtsCentral: '主城中心区',
  districtsOther: '其他区县',
  cellSizeLabel: '网格大小',
  cellSizeOption: '{n} 米',
  pickDistrict: '选择一个区县开始分析，例如渝中区。',
  computing: '正在计算…',
  computed: '已计算（{ms} 毫秒）',
  errorPrefix: '无法计算：',
  noNetwork: '该区域尚未导入步行路网，只能按直线距离计算。',
  noPopulation: '该区域没有人口数据，按面积计算覆盖比例。',
  headline: '{area}：{age}儿童 {children} 人中，有 {uncovered} 人（{share}）{mode} {radius} 米内没有{category}。',
  headlineArea: '{area}：{share} 的面积{mode} {radius} 米内没有{category}。',
  headlineModeEuclidean: '直线',
  headlineModeNetwork: '步行',
  areaSeveral: '所选 {n} 个区县',
  comparison: '直线距离高估了覆盖：按直线算有 {e} 名儿童在 {radius} 米内，实际步行只有 {n} 名，相差 {diff} 名（{points} 个百分点）。',
  comparisonSame: '在该区域，直线距离与步行路网的结果相同。',
  comparisonArea: '直线距离高估了覆盖面积：直线 {e} 平方公里，步行 {n} 平方公里。',
  slopeCompare: '比较平地与计入坡度的步行覆盖',
  slopeComparison: '步行覆盖：按平地计算 {flat} 名儿童在范围内，计入坡度（Tobler 步行函数）后 {slope} 名。',
  slopeUsed: '已计入坡度；{source}',
  slopeNone: '未计入坡度（此区域没有高程数据）。',
  capacityLine: '{age}儿童每千人在 {radius} 米{mode}内可达的学位/托位：{value}（2SFCA，现有设施）。',
  capacityNone: '没有记录学位/托位数，无法计算供给。',
  methodSummary: '人口数据与计算方法',
  methodCoverage: '距离计算',
  methodLimitations: '局限',

  legendHeading: '图例',
  legendCovered: '距离内（已覆盖）',
  legendUncovered: '距离外（有儿童居住）',
  legendOverstated: '仅直线距离内（步行到不了）',
  legendNoAccess: '离步行路网太远',
  legendGap: '缺口区域（红框）',
  legendExisting: '现有设施',
  legendProposed: '拟建设施',
  legendRemoved: '拟撤除设施',
  legendSuggested: '建议选址',

  tableCaption: '各区县覆盖情况（点击表头排序）',
  colDistrict: '区县',
  colChildren: '{age}儿童',
  colUncoveredChildren: '未覆盖儿童',
  colShare: '覆盖率',
  colUncoveredPeople: '未覆盖人口',
  colNoAccess: '无路网可达',
  colOverstated: '直线高估',
  colPlaces: '每千童学位',
  colArea: '面积（平方公里）',
  colCoveredArea: '覆盖面积',
  rowTotal: '合计',
  sortAsc: '升序',
  sortDesc: '降序',
  sortBy: '按{col}排序',
  notAvailable: '—',

  whatIfHeading: '假设分析',
  whatIfIntro: '点击地图添加一处拟建{category}；点击现有设施可选中并撤除。数字即时更新。',
  whatIfLoading: '正在准备假设分析…',
  whatIfUnavailable: '假设分析不可用：{reason}',
  whatIfTooBig: '区域太大（{n} 个网格），请少选区县或使用更大的网格。',
  addAtCentre: '在地图中心添加',
  undo: '撤销',
  reset: '全部重置',
  edits: '已做 {n} 项改动',
  editsNone: '尚未改动',
  lastUpdate: '更新用时 {ms} 毫秒',
  proposedList: '拟建设施',
  proposedItem: '拟建 {n}',
  removeProposed: '删除',
  removeExistingLabel: '撤除现有设施',
  removeExistingPlaceholder: '选择设施…',
  removeExisting: '撤除',
  selectedExisting: '已选中：{name}',
  removedNote: '已撤除：{name}',
  suggest: '建议下一个最佳选址',
  suggesting: '正在寻找…',
  suggestion: '建议在{place}新建，可使 {n} 名{age}儿童进入 {radius} 米{mode}范围。',
  sitePlaceStreet: '{district}{street}附近（{coords}）',
  sitePlace: '{district}（{coords}）',
  siteStreetLooking: '正在查找最近的街道…',
  suggestionNone: '没有能增加覆盖的位置了。',
  suggestionAdd: '采纳此选址',
  changeLine: '未覆盖儿童：{before} → {after}（{delta}）',
  mapHint: '规划模式：点击地图添加拟建设施',
  layersLabel: '规划图层',
  closePlanner: '返回居民地图',
};

export type PlannerKey = keyof typeof zh;

const en: { readonly [K in PlannerKey]: string } = {
  heading: 'Coverage and gaps',
  intro:
    'Who lives within the planning-norm walking distance, and who does not? Weighted by people and children, straight line and street network side by side.',
  categoryLabel: 'Facility type',
  modeLegend: 'Distance measured',
  modeEuclidean: 'Straight line',
  modeNetwork: 'Walking network',
  modeBoth: 'Both, compared',
  radiusLabel: 'Service distance (m)',
  radiusReset: 'Back to the norm',
  normLine: 'Norm: {radius} m ({circle}), serving children {age}.',
  normLineDefault: 'Default: {radius} m ({circle}), serving children {age}.',
  normSourceGb: 'Source: GB 50180-2018',
  normSourceDefault: 'No national distance standard; atlas default',
  normCitation: 'Citation',
  circle5: '5-minute life circle',
  circle10: '10-minute life circle',
  circle15: '15-minute life circle',
  circleNone: 'no life circle',
  districtsLegend: 'Districts',
  districtsChosen: '{n, plural, one {# district} other {# districts}} chosen',
  districtsNone: 'Choose at least one district',
  districtsCentral: 'Central urban districts',
  districtsOther: 'Other districts',
  cellSizeLabel: 'Grid cell size',
  cellSizeOption: '{n} m',
  pickDistrict: 'Choose a district to start, for example Yuzhong.',
  computing: 'Computing…',
  computed: 'Computed ({ms} ms)',
  errorPrefix: 'Could not compute: ',
  noNetwork: 'No walking network is imported for this area; only straight-line distance can be measured.',
  noPopulation: 'No population data for this area; coverage is the share of land area.',
  headline: '{area}: of {children} children {age}, {uncovered} ({share}) have no {category} within {radius} m {mode}.',
  headlineArea: '{area}: {share} of the land has no {category} within {radius} m {mode}.',
  headlineModeEuclidean: 'in a straight line',
  headlineModeNetwork: 'on foot',
  areaSeveral: 'The {n} chosen districts',
  comparison:
    'Straight lines overstate coverage: {e, plural, one {# child is} other {# children are}} within {radius} m in a straight line, but only {n} on foot — {diff} fewer ({points} percentage points).',
  comparisonSame: 'Here straight-line and walking distance give the same answer.',
  comparisonArea: 'Straight lines overstate the area covered: {e} km² in a straight line, {n} km² on foot.',
  slopeCompare: 'Compare flat and slope-aware walking coverage',
  slopeComparison: 'Walking coverage: {flat} children within reach on the level, {slope} with slope (Tobler’s hiking function).',
  slopeUsed: 'Slope priced; {source}',
  slopeNone: 'Slope not priced (no elevation data for this area).',
  capacityLine: 'Places within {radius} m {mode} per 1,000 children {age}: {value} (2SFCA, existing facilities).',
  capacityNone: 'No capacities are recorded, so supply cannot be compared.',
  methodSummary: 'Population data and method',
  methodCoverage: 'Distances',
  methodLimitations: 'Limitations',

  legendHeading: 'Legend',
  legendCovered: 'Within the distance (covered)',
  legendUncovered: 'Beyond the distance (children live here)',
  legendOverstated: 'Within a straight line only (not on foot)',
  legendNoAccess: 'Too far from the walking network',
  legendGap: 'Gap areas (red outline)',
  legendExisting: 'Existing facility',
  legendProposed: 'Proposed facility',
  legendRemoved: 'Facility removed (what-if)',
  legendSuggested: 'Suggested site',

  tableCaption: 'Coverage by district (select a column heading to sort)',
  colDistrict: 'District',
  colChildren: 'Children {age}',
  colUncoveredChildren: 'Not covered',
  colShare: 'Covered',
  colUncoveredPeople: 'People not covered',
  colNoAccess: 'No network access',
  colOverstated: 'Overstated by straight line',
  colPlaces: 'Places per 1,000',
  colArea: 'Area (km²)',
  colCoveredArea: 'Covered area',
  rowTotal: 'Total',
  sortAsc: 'ascending',
  sortDesc: 'descending',
  sortBy: 'Sort by {col}',
  notAvailable: '—',

  whatIfHeading: 'What if',
  whatIfIntro: 'Click the map to propose a new {category}; click an existing one to select and remove it. The numbers update at once.',
  whatIfLoading: 'Preparing what-if…',
  whatIfUnavailable: 'What-if is not available: {reason}',
  whatIfTooBig: 'the area is too large ({n} cells); choose fewer districts or larger cells.',
  addAtCentre: 'Add at map centre',
  undo: 'Undo',
  reset: 'Reset all',
  edits: '{n, plural, one {# change} other {# changes}}',
  editsNone: 'No changes yet',
  lastUpdate: 'Updated in {ms} ms',
  proposedList: 'Proposed facilities',
  proposedItem: 'Proposed {n}',
  removeProposed: 'Delete',
  removeExistingLabel: 'Remove an existing facility',
  removeExistingPlaceholder: 'Choose a facility…',
  removeExisting: 'Remove',
  selectedExisting: 'Selected: {name}',
  removedNote: 'Removed: {name}',
  suggest: 'Suggest the next best site',
  suggesting: 'Searching…',
  suggestion: 'A new one {place} would bring {n, plural, one {# more child} other {# more children}} {age} within {radius} m {mode}.',
  sitePlaceStreet: 'near {street} in {district} ({coords})',
  sitePlace: 'in {district} ({coords})',
  siteStreetLooking: 'Looking up the nearest street…',
  suggestionNone: 'No site would add coverage.',
  suggestionAdd: 'Add this site',
  changeLine: 'Uncovered children: {before} → {after} ({delta})',
  mapHint: 'Planner: click the map to propose a facility',
  layersLabel: 'Planner layers',
  closePlanner: 'Back to the resident map',
};

const DICTIONARIES: Record<Lang, { readonly [K in PlannerKey]: string }> = { zh, en };

export type PlannerTranslate = (key: PlannerKey, params?: Record<string, string | number>) => string;

export function plannerText(lang: Lang, key: PlannerKey, params?: Record<string, string | number>): string {
  return formatMessage(lang, DICTIONARIES[lang][key], params);
}

/** Age-group label inside a sentence. */
export function ageLabel(lang: Lang, group: string): string {
  const m = /children_(\d+)_(\d+)/.exec(group);
  if (!m) return group;
  return lang === 'zh' ? `${m[1]}–${m[2]} 岁` : `aged ${m[1]}–${m[2]}`;
}

/** Age range alone, for table headings: "3–5 岁" / "3–5". */
export function ageShort(lang: Lang, group: string): string {
  const m = /children_(\d+)_(\d+)/.exec(group);
  if (!m) return group;
  return lang === 'zh' ? `${m[1]}–${m[2]} 岁` : `${m[1]}–${m[2]}`;
}

/** A category name inside an English sentence ("no kindergarten"); Chinese unchanged. */
export function inSentence(lang: Lang, name: string): string {
  return lang === 'en' ? name.charAt(0).toLowerCase() + name.slice(1) : name;
}

/** A whole number for people: 12,345 / 12,345. */
export function formatCount(lang: Lang, x: number | null): string {
  if (x === null) return '—';
  return Math.round(x).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
}

/** A share as a percentage with one decimal. */
export function formatShare(lang: Lang, x: number | null): string {
  if (x === null) return '—';
  return `${(x * 100).toFixed(1)}${lang === 'zh' ? '%' : ' %'}`;
}
