/**
 * Places in the city, implementation plan:
 * - §十八: a mother-and-baby room in every public venue of ≥ 10,000 m² floor area or
 *   ≥ 10,000 visitors a day (建筑面积超过 1 万平方米或日客流量超过 1 万人次的公共场所);
 * - §二十六: a minor-protection station (未成年人保护工作站) in every 街道/乡镇;
 * - §三十一: 100 child-friendly communities (儿童友好社区) across the city.
 */
import { noData, rateResult, type IndicatorDefinition } from './build';
import { NOTES } from './notes';
import { formatCount } from './ratio';
import type { Bilingual } from '../catalogue';
import { CITY_CODE, type IndicatorResult, type ShortfallItem } from './types';

/** §十八: the size from which a venue must have a room. */
export const LARGE_VENUE_FLOOR_AREA_M2 = 10_000;
export const LARGE_VENUE_DAILY_VISITORS = 10_000;
/** §三十一: child-friendly communities city-wide by 2025. */
export const CHILD_FRIENDLY_COMMUNITIES_TARGET = 100;

const ROOMS = 'mother_baby_room_large_venues' as const;
const STATIONS = 'protection_station_street_share' as const;
const COMMUNITIES = 'child_friendly_communities' as const;

const venuesText = (n: number): Bilingual => ({
  zh: `${formatCount(n)} 处大型公共场所尚无母婴室`,
  en: `${formatCount(n)} large venue${n === 1 ? '' : 's'} without a mother-and-baby room`,
});
const streetsText = (n: number): Bilingual => ({
  zh: `${formatCount(n)} 个街道（乡镇）尚无未成年人保护工作站`,
  en: `${formatCount(n)} street${n === 1 ? '' : 's'}/township${n === 1 ? '' : 's'} without a minor-protection station`,
});
const communitiesText = (n: number): Bilingual => ({
  zh: `还需创建 ${formatCount(n)} 个儿童友好社区`,
  en: `needs ${formatCount(n)} more child-friendly communities`,
});

export const motherBabyRooms: IndicatorDefinition = {
  id: ROOMS,
  name: { zh: '大型公共场所母婴室配置率', en: 'Large public venues with a mother-and-baby room' },
  short: { zh: '母婴室配置', en: 'Venues with room' },
  unit: { zh: '%', en: '%' },
  cityUnit: { zh: '%', en: '%' },
  target: 100,
  cityTarget: 100,
  clause: '实施方案 §十八',
  formula: {
    zh: '建筑面积 ≥ 1 万 m² 或日客流 ≥ 1 万人次的场所中，100 米内有母婴室（或登记关联）的占比；缺口 = 无母婴室的场所数',
    en: 'share of venues with ≥ 10,000 m² floor area or ≥ 10,000 daily visitors that have a mother-and-baby room within 100 m (or a recorded link); shortfall = venues without one',
  },
  dataNeeded: {
    zh: '大型公共场所（venues 表，或设施的 attributes.floor_area_m2 / daily_visitors）及母婴室（category = mother_baby_room）',
    en: 'large venues (the venues table, or facilities with attributes.floor_area_m2 / daily_visitors) and mother-and-baby rooms',
  },
  district(a, ctx) {
    if (ctx.venueRecords === 0) return noData(ROOMS, a.code, NOTES.noVenueData, 100);
    return venueResult(a.code, a.largeVenues);
  },
  city(all, _results, ctx) {
    if (ctx.venueRecords === 0) return noData(ROOMS, CITY_CODE, NOTES.noVenueData, 100);
    return venueResult(
      CITY_CODE,
      all.flatMap((a) => a.largeVenues),
      false,
    );
  },
};

function venueResult(
  district: string,
  venues: readonly { kind: 'facility' | 'venue'; id: number; name: Bilingual; point: [number, number]; hasMotherBabyRoom: boolean }[],
  listItems = true,
): IndicatorResult {
  if (venues.length === 0) {
    return {
      id: ROOMS,
      district,
      value: null,
      target: 100,
      status: 'not_applicable',
      numerator: 0,
      denominator: 0,
      shortfall: null,
      note: { zh: '没有建筑面积或日客流达到 1 万的场所记录', en: 'no venue of ≥ 10,000 m² or ≥ 10,000 daily visitors recorded' },
    };
  }
  const without = venues.filter((v) => !v.hasMotherBabyRoom);
  const items: ShortfallItem[] = without.map((v) => ({ kind: v.kind, id: v.id, name: v.name, point: v.point }));
  return rateResult({
    id: ROOMS,
    district,
    numerator: venues.length - without.length,
    denominator: venues.length,
    scale: 100,
    target: 100,
    unit: 'venues',
    amount: without.length,
    text: venuesText,
    items: listItems ? items : undefined,
  });
}

export const protectionStations: IndicatorDefinition = {
  id: STATIONS,
  name: { zh: '街道（乡镇）未成年人保护工作站覆盖率', en: 'Streets/townships with a minor-protection station' },
  short: { zh: '未保站覆盖', en: 'Protection stations' },
  unit: { zh: '%', en: '%' },
  cityUnit: { zh: '%', en: '%' },
  target: 100,
  cityTarget: 100,
  clause: '实施方案 §二十六',
  formula: {
    zh: '有工作站的街道（乡镇）÷ 街道（乡镇）总数 × 100；工作站按 street_code 或名称归属街道',
    en: 'streets/townships with a station ÷ all streets/townships × 100; stations are linked by street_code or by name',
  },
  dataNeeded: {
    zh: '街道（乡镇）名录（统计用区划代码 2023）；未成年人保护工作站（category = protection_station）',
    en: 'the street/township list (official 2023 codes); minor-protection stations (category = protection_station)',
  },
  district(a, ctx) {
    if (!ctx.cityFacilities.protection_station)
      return noData(STATIONS, a.code, NOTES.noCategoryData('未成年人保护工作站', 'protection-station'), 100);
    if (a.streets.total === 0) return noData(STATIONS, a.code, NOTES.noStreets, 100);
    const items: ShortfallItem[] = a.streets.withoutStation.map((s) => ({
      kind: 'street',
      id: s.code,
      name: { zh: s.name_zh, en: s.name_zh },
    }));
    return rateResult({
      id: STATIONS,
      district: a.code,
      numerator: a.streets.withStation,
      denominator: a.streets.total,
      scale: 100,
      target: 100,
      unit: 'streets',
      amount: a.streets.total - a.streets.withStation,
      text: streetsText,
      items,
    });
  },
  city(_all, results) {
    const ok = results.filter((r) => r.status === 'met' || r.status === 'not_met');
    if (!ok.length) return noData(STATIONS, CITY_CODE, results[0]?.note ?? NOTES.noStreets, 100);
    const num = ok.reduce((s, r) => s + (r.numerator ?? 0), 0);
    const den = ok.reduce((s, r) => s + (r.denominator ?? 0), 0);
    const missing = results.length - ok.length;
    return rateResult({
      id: STATIONS,
      district: CITY_CODE,
      numerator: num,
      denominator: den,
      scale: 100,
      target: 100,
      unit: 'streets',
      amount: den - num,
      text: streetsText,
      note:
        missing > 0
          ? { zh: `${missing} 个区县缺少数据，未计入`, en: `${missing} district${missing === 1 ? '' : 's'} without data left out` }
          : null,
    });
  },
};

export const childFriendlyCommunities: IndicatorDefinition = {
  id: COMMUNITIES,
  name: { zh: '儿童友好社区数', en: 'Child-friendly communities' },
  short: { zh: '友好社区', en: 'CF communities' },
  unit: { zh: '个', en: 'communities' },
  cityUnit: { zh: '个', en: 'communities' },
  target: null,
  cityTarget: CHILD_FRIENDLY_COMMUNITIES_TARGET,
  clause: '实施方案 §三十一',
  formula: {
    zh: 'communities.child_friendly = true 的社区数；全市目标 100 个，区县不设目标',
    en: 'communities with child_friendly = true; a city-wide target of 100, none per district',
  },
  dataNeeded: {
    zh: '社区名录（communities 表）及儿童友好社区认定',
    en: 'the community list (communities table) with the child-friendly designation',
  },
  district(a, ctx) {
    if (ctx.communityRecords === 0) return noData(COMMUNITIES, a.code, NOTES.noCommunities);
    if (a.communities.total === 0) return noData(COMMUNITIES, a.code, NOTES.noCommunitiesHere);
    return {
      id: COMMUNITIES,
      district: a.code,
      value: a.communities.childFriendly,
      target: null,
      status: 'not_applicable',
      numerator: a.communities.childFriendly,
      denominator: a.communities.total,
      shortfall: null,
      note: { zh: '仅设全市目标（100 个）', en: 'city-wide target only (100)' },
    };
  },
  city(all, _results, ctx) {
    if (ctx.communityRecords === 0) return noData(COMMUNITIES, CITY_CODE, NOTES.noCommunities, CHILD_FRIENDLY_COMMUNITIES_TARGET);
    const n = all.reduce((s, a) => s + a.communities.childFriendly, 0);
    const met = n >= CHILD_FRIENDLY_COMMUNITIES_TARGET;
    return {
      id: COMMUNITIES,
      district: CITY_CODE,
      value: n,
      target: CHILD_FRIENDLY_COMMUNITIES_TARGET,
      status: met ? 'met' : 'not_met',
      numerator: n,
      denominator: null,
      shortfall: met
        ? null
        : {
            amount: CHILD_FRIENDLY_COMMUNITIES_TARGET - n,
            unit: 'communities',
            text: communitiesText(CHILD_FRIENDLY_COMMUNITIES_TARGET - n),
          },
      note: null,
    };
  },
};
