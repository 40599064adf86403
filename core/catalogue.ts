/**
 * The facility catalogue: every kind of place the atlas shows, in one table.
 *
 * Each category has a stable `id` (used in the API, the database and URLs), Chinese and
 * English names, a colour, a short badge per language (one character; one or two Latin
 * letters) and a distinct marker shape (so that colour is never the only signal, WCAG 2.1
 * SC 1.4.1), the age range it serves, and the clause of the Chongqing Child-Friendly City Implementation Plan (2022) it answers to.
 *
 * Colours are chosen to keep ≥ 3:1 contrast against the light basemap (WCAG 2.1
 * SC 1.4.11, non-text contrast) and against the white badge glyph drawn on them.
 *
 * @example
 * import { CATEGORY_IDS, categoryById } from './catalogue';
 * categoryById('kindergarten').name.zh; // '幼儿园'
 */

export const CATEGORY_IDS = [
  'playground',
  'mother_baby_room',
  'nursery',
  'kindergarten',
  'primary_school',
  'middle_school',
  'special_school',
  'park',
  'library',
  'child_health',
  'protection_station',
  'activity_centre',
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

export type MarkerShape = 'circle' | 'square' | 'diamond' | 'triangle' | 'hexagon' | 'pentagon';

export type CategoryGroup = 'care' | 'education' | 'play' | 'health' | 'protection' | 'culture';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface Category {
  id: CategoryId;
  name: Bilingual;
  /** Short description shown in the legend and details panel. */
  description: Bilingual;
  group: CategoryGroup;
  /** Marker fill colour, hex. */
  colour: string;
  /**
   * What is drawn on the marker, in the UI's language: one Chinese character, or one or two
   * Latin letters in English (a reader of the English UI cannot be expected to read 游/母/托).
   */
  badge: Bilingual;
  shape: MarkerShape;
  /** Age range served, in years; `null` upper bound = all ages (families). */
  ageYears: [number, number | null];
  /** Whether `capacity` (places / seats) is meaningful for this category. */
  hasCapacity: boolean;
  /** The plan clause or standard the category answers to. */
  planClause: string;
}

export const CATEGORIES: readonly Category[] = [
  {
    id: 'playground',
    name: { zh: '儿童游乐场', en: 'Playground' },
    description: { zh: '户外儿童游戏场地', en: 'Outdoor play space for children' },
    group: 'play',
    colour: '#c2410c',
    badge: { zh: '游', en: 'Pg' },
    shape: 'triangle',
    ageYears: [0, 12],
    hasCapacity: false,
    planClause: '实施方案 §二十（儿童友好空间）; GB 50180-2018 5分钟生活圈',
  },
  {
    id: 'mother_baby_room',
    name: { zh: '母婴室', en: 'Mother-and-baby room' },
    description: { zh: '哺乳、换尿布的独立空间', en: 'Private room for nursing and nappy changing' },
    group: 'care',
    colour: '#be185d',
    badge: { zh: '母', en: 'B' },
    shape: 'circle',
    ageYears: [0, 3],
    hasCapacity: false,
    planClause: '实施方案 §十八（母婴室建设）',
  },
  {
    id: 'nursery',
    name: { zh: '托育机构', en: 'Nursery (0–3)' },
    description: { zh: '3岁以下婴幼儿照护服务', en: 'Day care for children under 3' },
    group: 'care',
    colour: '#7c3aed',
    badge: { zh: '托', en: 'N' },
    shape: 'hexagon',
    ageYears: [0, 3],
    hasCapacity: true,
    planClause: '实施方案 §五（每千人口托位数 4.5 个）',
  },
  {
    id: 'kindergarten',
    name: { zh: '幼儿园', en: 'Kindergarten' },
    description: { zh: '3–6岁学前教育', en: 'Pre-school education, ages 3–6' },
    group: 'education',
    colour: '#1d4ed8',
    badge: { zh: '幼', en: 'K' },
    shape: 'square',
    ageYears: [3, 6],
    hasCapacity: true,
    planClause: '实施方案 §六（学前教育毛入园率 93%）; GB 50180-2018 5分钟生活圈',
  },
  {
    id: 'primary_school',
    name: { zh: '小学', en: 'Primary school' },
    description: { zh: '6–12岁义务教育', en: 'Compulsory education, ages 6–12' },
    group: 'education',
    colour: '#0369a1',
    badge: { zh: '小', en: 'P' },
    shape: 'square',
    ageYears: [6, 12],
    hasCapacity: true,
    planClause: '实施方案 §七; GB 50180-2018 10分钟生活圈',
  },
  {
    id: 'middle_school',
    name: { zh: '中学', en: 'Middle school' },
    description: { zh: '12–15岁初中教育', en: 'Lower secondary education, ages 12–15' },
    group: 'education',
    colour: '#0f766e',
    badge: { zh: '中', en: 'M' },
    shape: 'square',
    ageYears: [12, 15],
    hasCapacity: true,
    planClause: '实施方案 §七; GB 50180-2018 15分钟生活圈',
  },
  {
    id: 'special_school',
    name: { zh: '特殊教育学校', en: 'Special-education school' },
    description: { zh: '残疾儿童少年特殊教育', en: 'School for children with disabilities' },
    group: 'education',
    colour: '#4338ca',
    badge: { zh: '特', en: 'S' },
    shape: 'pentagon',
    ageYears: [3, 18],
    hasCapacity: true,
    planClause: '实施方案 §七（20万人口以上区县办好一所特殊教育学校）',
  },
  {
    id: 'park',
    name: { zh: '公园', en: 'Park' },
    description: { zh: '城市公园，可含儿童活动区', en: 'Public park, possibly with a children’s area' },
    group: 'play',
    colour: '#15803d',
    badge: { zh: '园', en: 'Pk' },
    shape: 'circle',
    ageYears: [0, null],
    hasCapacity: false,
    planClause: '实施方案 §二十（公园儿童友好改造）',
  },
  {
    id: 'library',
    name: { zh: '儿童图书馆/阅览室', en: 'Children’s library' },
    description: { zh: '少儿图书馆或儿童阅览室', en: 'Children’s library or reading room' },
    group: 'culture',
    colour: '#a16207',
    badge: { zh: '书', en: 'L' },
    shape: 'diamond',
    ageYears: [0, 18],
    hasCapacity: false,
    planClause: '实施方案 §十五（公共文化服务）',
  },
  {
    id: 'child_health',
    name: { zh: '儿科/妇幼保健', en: 'Paediatric & maternal-child health' },
    description: { zh: '儿科门诊、妇幼保健院', en: 'Paediatric clinic or maternal-and-child health centre' },
    group: 'health',
    colour: '#b91c1c',
    badge: { zh: '医', en: 'H' },
    shape: 'diamond',
    ageYears: [0, 18],
    hasCapacity: false,
    planClause: '实施方案 §十（妇幼保健机构标准化建设）',
  },
  {
    id: 'protection_station',
    name: { zh: '未成年人保护工作站', en: 'Minor-protection station' },
    description: { zh: '街道（乡镇）未成年人保护工作站', en: 'Street/township child-protection office' },
    group: 'protection',
    colour: '#9333ea',
    badge: { zh: '护', en: 'Pr' },
    shape: 'pentagon',
    ageYears: [0, 18],
    hasCapacity: false,
    planClause: '实施方案 §二十六（街道全覆盖）',
  },
  {
    id: 'activity_centre',
    name: { zh: '儿童活动中心', en: 'Children’s activity centre' },
    description: { zh: '少年宫、儿童之家、活动中心', en: 'Youth palace, children’s home or activity centre' },
    group: 'culture',
    colour: '#b45309',
    badge: { zh: '活', en: 'A' },
    shape: 'hexagon',
    ageYears: [3, 18],
    hasCapacity: false,
    planClause: '实施方案 §十五、§三十一（儿童之家）',
  },
];

const BY_ID: ReadonlyMap<string, Category> = new Map(CATEGORIES.map((c) => [c.id, c]));

/** True when `id` names a category of the catalogue. */
export function isCategoryId(id: string): id is CategoryId {
  return BY_ID.has(id);
}

/**
 * The category with this id.
 * @throws Error when the id is not in the catalogue (an invariant: ids are validated at the edge).
 */
export function categoryById(id: CategoryId | string): Category {
  const c = BY_ID.get(id);
  if (!c) throw new Error(`unknown category: ${id}`);
  return c;
}
