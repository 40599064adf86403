/**
 * The strings of the route-to-school panel, in Chinese (reference) and English, kept with
 * the feature so the shared dictionary (client/src/i18n.ts) stays small. Words for road
 * classes, controls and reasons come from core/routing/safety.ts (one source of truth with
 * the server's texts).
 */
import { useCallback } from 'react';
import {
  CONTROL_NAMES,
  REASONS,
  ROAD_CLASS_NAMES,
  type ControlId,
  type Grade,
  type ReasonId,
  type RoadClassId,
} from '../../../core/routing/safety';
import { useAtlas } from '../store';
import type { Lang } from '../i18n';
import { formatMessage } from '../messageFormat';

const zh = {
  toggle: '上学路线',
  /** The toggle's visible label where the header is narrow (phones; English below 1440 px). */
  toggleShort: '上学路线',
  planHere: '规划步行上学路线',
  heading: '上学路线',
  intro: '选择学校和家的位置，查看适合孩子步行的安全路线：避开危险过街，尽量走人行道。',
  schoolLabel: '学校',
  schoolNone: '尚未选择学校。',
  schoolPickLabel: '当前视野内的中小学',
  schoolPickPlaceholder: '选择一所学校…',
  schoolPickLoading: '正在查找视野内的学校…',
  schoolPickEmpty: '当前视野内没有中小学，请移动或缩放地图。',
  schoolHint: '也可以在学校的详情中点击“规划步行上学路线”。',
  schoolChange: '更换学校',
  homeLabel: '家的位置',
  homePick: '在地图上点选家的位置',
  homeUseLocation: '使用我的位置',
  homeUseCentre: '以地图中心为家',
  homeSet: '已选定家的位置。',
  homeNone: '尚未选择家的位置：请点击地图，或使用上面的按钮。',
  homeMarker: '家的位置',
  schoolMarker: '学校',
  mapHint: '点击地图选择家的位置',
  profileLabel: '步行方式',
  profileChild: '孩子步行（可走台阶）',
  profileStepFree: '不走台阶（婴儿车、轮椅）',
  computing: '正在规划路线…',
  routeHeading: '推荐路线',
  legendSafest: '实线：安全路线',
  legendShortest: '虚线：最短路线',
  length: '长度',
  time: '步行时间',
  timeValue: '约 {min} 分钟（按儿童步速 {speed} 米/秒）',
  score: '安全评分',
  scoreValue: '{n} / 100',
  crossings: '过街',
  crossingsValue: '{total} 处：信号灯 {signals}，斑马线 {marked}，无标线 {unmarked}，类型未知 {unknown}',
  crossingsNone: '不需要穿越道路',
  majorValue: '其中穿越主次干路 {major} 处，无信号灯 {unsig} 处',
  steps: '台阶',
  stepsValue: '{flights} 段，约 {count} 级',
  stepsValueUnknown: '{flights} 段（级数未标注）',
  stepsNone: '无',
  climb: '坡度',
  climbSource: '按 Tobler 步行函数计入坡度；高程：{source}',
  climbFlat: '未计坡度（此处没有高程数据）',
  noSidewalk: '无人行道（已标注）',
  unlit: '无照明（已标注）',
  sidewalkUnknown: '人行道情况未标注',
  metres: '{n} 米',
  crossingListLabel: '沿途过街',
  crossingItem: '{road}（{cls}）· {control}',
  unnamedRoad: '未命名道路',
  shortestLine: '最短路线：{length}，{crossings} 处过街（无信号灯穿越主次干路 {unsig} 处）',
  capped: '（已超过绕行上限，未采用更远的路线）',
  dataNote: '路线根据 OpenStreetMap 路网计算；人行道、照明等仅在已标注处计入。请结合实际路况，并教孩子走人行横道。',
  saveButton: '保存为推荐路线',
  saveName: '路线名称',
  saveDone: '已保存为推荐路线。',
  saveFailed: '保存失败（{msg}）。',
  saveNeedsEditor: '保存推荐路线需要编辑账号。',
  plannerSwitch: '规划师视图：学校周边上学路网',
  plannerLoading: '正在计算该校的上学路网…',
  plannerPopulation: '学生来源',
  plannerSummary: '步行 {radius} 米范围内约 {children} 名儿童以此校为最近学校；其中 {major} 名需无信号灯穿越主次干路，{steps} 名要走台阶。',
  plannerLegend: '线越粗，经过的儿童越多；线型表示安全等级：实线 安全，长虚线 注意，短虚线 不安全，点线 危险。',
  plannerTopHeading: '儿童最多的不安全路段',
  plannerTopEmpty: '没有不安全的路段或过街。',
  plannerTopItem: '{rank}. {name} · {what} · {children} 名儿童 · {grade}',
  plannerTopShow: '在地图上查看',
  topMarker: '第 {rank} 位：{name}，{children} 名儿童，{grade}',
  plannerCrossing: '过街（{control}）',
  plannerSegment: '路段 {length}',
  plannerNeedsSchool: '请先选择一所学校。',
  storedHeading: '已发布的推荐路线',
  storedNone: '视野内没有已发布的推荐路线。',
  storedItem: '{name} · {length}',
  errorNoRoute: '无法规划路线：{msg}',
  errorNetwork: '网络错误，请稍后重试。',
  errorServer: '服务器出错（{code}），请稍后重试。',
  grade_safe: '安全',
  grade_caution: '注意',
  grade_unsafe: '不安全',
  grade_dangerous: '危险',
  close: '关闭',
};

type Dict = Record<keyof typeof zh, string>;

const en: Dict = {
  toggle: 'Route to school',
  toggleShort: 'To school',
  planHere: 'Plan a walking route here',
  heading: 'Route to school',
  intro: 'Choose a school and your home to see a safe walking route for a child: it avoids dangerous crossings and keeps to sidewalks.',
  schoolLabel: 'School',
  schoolNone: 'No school chosen yet.',
  schoolPickLabel: 'Primary and middle schools in view',
  schoolPickPlaceholder: 'Choose a school…',
  schoolPickLoading: 'Looking for schools in view…',
  schoolPickEmpty: 'No schools in view: move or zoom the map.',
  schoolHint: 'You can also choose "Plan a walking route here" in a school’s details.',
  schoolChange: 'Change school',
  homeLabel: 'Home',
  homePick: 'Pick home on the map',
  homeUseLocation: 'Use my location',
  homeUseCentre: 'Use the map centre as home',
  homeSet: 'Home is set.',
  homeNone: 'No home yet: click the map, or use a button above.',
  homeMarker: 'Home',
  schoolMarker: 'School',
  mapHint: 'Click the map to set home',
  profileLabel: 'Walking with',
  profileChild: 'A child on foot (steps are fine)',
  profileStepFree: 'No steps (pushchair, wheelchair)',
  computing: 'Planning the route…',
  routeHeading: 'Suggested route',
  legendSafest: 'Solid line: the safe route',
  legendShortest: 'Dashed line: the shortest route',
  length: 'Length',
  time: 'Walking time',
  timeValue: 'about {min} min (at a child’s {speed} m/s)',
  score: 'Safety score',
  scoreValue: '{n} / 100',
  crossings: 'Crossings',
  crossingsValue: '{total}: {signals} with lights, {marked} zebra, {unmarked} unmarked, {unknown} of unknown type',
  crossingsNone: 'no road to cross',
  majorValue: '{major} across a main road, {unsig} of them without lights',
  steps: 'Steps',
  stepsValue: '{flights, plural, one {# flight} other {# flights}}, about {count, plural, one {# step} other {# steps}}',
  stepsValueUnknown: '{flights} flight(s) (number of steps not mapped)',
  stepsNone: 'none',
  climb: 'Slope',
  climbSource: 'slope priced by Tobler’s hiking function; {source}',
  climbFlat: 'slope not priced (no elevation data here)',
  noSidewalk: 'No sidewalk (tagged)',
  unlit: 'Unlit (tagged)',
  sidewalkUnknown: 'Sidewalk not mapped',
  metres: '{n} m',
  crossingListLabel: 'Crossings on the way',
  crossingItem: '{road} ({cls}) · {control}',
  unnamedRoad: 'unnamed road',
  shortestLine: 'Shortest route: {length}, {crossings} crossing(s) ({unsig} across a main road without lights)',
  capped: ' (beyond the detour limit; a longer route was not used)',
  dataNote:
    'Routes are computed on the OpenStreetMap network; sidewalks and lighting count only where they are mapped. Check the streets yourself and teach your child to use the crossings.',
  saveButton: 'Save as a recommended route',
  saveName: 'Route name',
  saveDone: 'Saved as a recommended route.',
  saveFailed: 'Could not save ({msg}).',
  saveNeedsEditor: 'Saving recommended routes needs an editor account.',
  plannerSwitch: 'Planner view: the school’s route network',
  plannerLoading: 'Computing the school’s route network…',
  plannerPopulation: 'Where the children come from',
  plannerSummary:
    'About {children} children within {radius} m on foot have this as their nearest school; {major} of them cross a main road without lights, {steps} climb steps.',
  plannerLegend:
    'Thicker lines carry more children; the line pattern shows safety: solid safe, long dashes caution, short dashes unsafe, dots dangerous.',
  plannerTopHeading: 'Unsafe segments used by the most children',
  plannerTopEmpty: 'No unsafe segment or crossing.',
  plannerTopItem: '{rank}. {name} · {what} · {children} children · {grade}',
  plannerTopShow: 'Show on the map',
  topMarker: 'No. {rank}: {name}, {children} children, {grade}',
  plannerCrossing: 'crossing ({control})',
  plannerSegment: 'segment, {length}',
  plannerNeedsSchool: 'Choose a school first.',
  storedHeading: 'Published recommended routes',
  storedNone: 'No published recommended route in view.',
  storedItem: '{name} · {length}',
  errorNoRoute: 'No route: {msg}',
  errorNetwork: 'Network error, please try again.',
  errorServer: 'Server error ({code}), please try again.',
  grade_safe: 'safe',
  grade_caution: 'caution',
  grade_unsafe: 'unsafe',
  grade_dangerous: 'dangerous',
  close: 'Close',
};

export type RouteMessageKey = keyof typeof zh;
const DICTS: Record<Lang, Dict> = { zh, en };

export function routeText(lang: Lang, key: RouteMessageKey, params?: Record<string, string | number>): string {
  return formatMessage(lang, DICTS[lang][key], params);
}

export type RouteT = (key: RouteMessageKey, params?: Record<string, string | number>) => string;

/** `t(key, params)` in the atlas's current language. */
export function useRouteT(): RouteT {
  const lang = useAtlas((s) => s.lang);
  return useCallback((key: RouteMessageKey, params?: Record<string, string | number>) => routeText(lang, key, params), [lang]);
}

export const roadClassName = (c: RoadClassId, lang: Lang) => ROAD_CLASS_NAMES[c][lang];
export const controlName = (c: ControlId, lang: Lang) => CONTROL_NAMES[c][lang];
export const reasonText = (r: ReasonId, lang: Lang) => REASONS[r][lang];
export const gradeText = (g: Grade, lang: Lang) => routeText(lang, `grade_${g}` as RouteMessageKey);
