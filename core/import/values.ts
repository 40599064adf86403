/**
 * Cell values as registers write them: categories in Chinese or English (the catalogue's
 * own names plus the synonyms agencies use), yes/no in every spelling, 公办/民办,
 * "120人", dates. Pure parsing; each returns `undefined` for "cannot read" so the
 * caller can reject the row with the column's name.
 *
 * @example
 * categoryFromText('托育机构'); // 'nursery'
 * ownershipFromText('普惠性民办'); // { ownership: 'private', inclusive: true }
 */
import { CATEGORIES, type CategoryId } from '../catalogue';
import type { Ownership } from '../api';

/**
 * Synonyms beyond the catalogue's `id`, `name.zh` and `name.en`. A 九年一贯制 school is a
 * primary school here, with the same rule as OSM's `isced:level=1;2` (core/osm/tags.ts).
 */
const CATEGORY_SYNONYMS: Record<CategoryId, string[]> = {
  playground: ['游乐场', '儿童乐园', '儿童游戏场', '儿童游戏场地', '游戏场地', '儿童游乐区', '儿童游乐设施', 'play area'],
  mother_baby_room: [
    '哺乳室',
    '母婴护理室',
    '母婴关爱室',
    '母婴休息室',
    '第三卫生间母婴室',
    'nursing room',
    'baby care room',
    'mother and baby room',
    'mother-baby room',
  ],
  nursery: [
    '托育',
    '托儿所',
    '托育中心',
    '托育园',
    '托育服务机构',
    '婴幼儿照护服务机构',
    '普惠托育',
    'childcare',
    'daycare',
    'day care',
    'creche',
    'crèche',
  ],
  kindergarten: ['幼稚园', '公办幼儿园', '民办幼儿园', '普惠性幼儿园', 'preschool', 'pre-school'],
  primary_school: ['小学', '完全小学', '九年一贯制', '九年一贯制学校', 'primary', 'elementary school'],
  middle_school: ['初中', '初级中学', '完全中学', '中学', '高级中学', 'secondary school', 'junior high school', 'middle'],
  special_school: ['特殊教育学校', '特教学校', '特殊学校', '培智学校', 'special school'],
  park: ['城市公园', '社区公园', '口袋公园', '街头游园', '游园', '综合公园', 'park'],
  library: ['图书馆', '少儿图书馆', '儿童图书馆', '阅览室', '儿童阅览室', '少儿阅览室', '绘本馆', 'library', "children's library"],
  child_health: [
    '儿科',
    '妇幼保健院',
    '妇幼保健',
    '妇幼保健计划生育服务中心',
    '儿童医院',
    '妇幼',
    '儿童保健',
    'paediatrics',
    'pediatrics',
    'child health',
  ],
  protection_station: ['未成年人保护工作站', '未保站', '未成年人保护站', '儿童保护站', 'protection station'],
  activity_centre: [
    '少年宫',
    '儿童之家',
    '青少年活动中心',
    '儿童活动中心',
    '青少年宫',
    '活动中心',
    'activity centre',
    'activity center',
    'youth centre',
  ],
};

function norm(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s_’']/g, '')
    .replace(/centre$/, 'center');
}

const CATEGORY_BY_TEXT = new Map<string, CategoryId>();
for (const c of CATEGORIES) {
  for (const t of [c.id, c.name.zh, c.name.en, ...CATEGORY_SYNONYMS[c.id]]) CATEGORY_BY_TEXT.set(norm(t), c.id);
  // "儿童图书馆/阅览室" → each half too
  for (const part of c.name.zh.split('/')) CATEGORY_BY_TEXT.set(norm(part), c.id);
}

/** The category named by a cell (id, Chinese or English name, or a synonym), or undefined. */
export function categoryFromText(v: string): CategoryId | undefined {
  return CATEGORY_BY_TEXT.get(norm(v));
}

/** Every spelling accepted, for error messages. */
export function categoryHint(): string {
  return CATEGORIES.map((c) => `${c.name.zh}/${c.id}`).join(', ');
}

const TRUE = /^(是|有|y|yes|true|t|1|√|✓|✔|对|普惠|公办)$/i;
const FALSE = /^(否|无|n|no|false|f|0|×|✗|非普惠|不是)$/i;

/** Yes/no in Chinese, English, 1/0, ticks; null for empty; undefined when unreadable. */
export function booleanFromText(v: string): boolean | null | undefined {
  const s = v.trim();
  if (!s) return null;
  if (TRUE.test(s)) return true;
  if (FALSE.test(s)) return false;
  return undefined;
}

/** 公办/民办 and friends; 普惠性民办 also says "inclusive". Undefined when unreadable. */
export function ownershipFromText(v: string): { ownership: Ownership; inclusive?: boolean } | undefined {
  const s = v.trim().toLowerCase();
  if (!s) return { ownership: 'unknown' };
  const inclusive = /普惠/.test(s) && !/非普惠/.test(s) ? true : /非普惠/.test(s) ? false : undefined;
  if (/公办|公立|国有|政府|事业单位|机关|集体|public|state|government/.test(s)) return { ownership: 'public', inclusive };
  if (/民办|私立|私营|民营|企业|社会力量|private/.test(s)) return { ownership: 'private', inclusive };
  if (/^(普惠|非普惠)$/.test(s)) return { ownership: 'unknown', inclusive };
  if (/未知|不详|unknown/.test(s)) return { ownership: 'unknown' };
  return undefined;
}

/** A non-negative whole number such as "120", "120人", "1,200", "120个托位"; null empty; undefined bad. */
export function wholeNumberFromText(v: string): number | null | undefined {
  const s = v.trim().replace(/[,，]/g, '');
  if (!s) return null;
  const m = /^(\d{1,9})(\.0+)?\s*(人|个|张|位|座|名|托位|学位|places|seats)?$/.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** Age in years: "3", "3岁", "0.5", "6个月" (→ 0.5). */
export function ageFromText(v: string): number | null | undefined {
  const s = v.trim();
  if (!s) return null;
  const months = /^(\d{1,3})\s*(个月|月|months?)$/.exec(s);
  if (months) return Math.round((Number(months[1]) / 12) * 100) / 100;
  const years = /^(\d{1,2}(?:\.\d+)?)\s*(岁|周岁|years?)?$/.exec(s);
  return years ? Number(years[1]) : undefined;
}

/**
 * A date or timestamp: ISO 8601, 2024/3/1, 2024年3月1日, or an Excel serial day number
 * (days since 1899-12-30, Excel's epoch with its 1900 leap-year bug). Undefined when unreadable.
 */
export function dateFromText(v: string): Date | null | undefined {
  const s = v.trim();
  if (!s) return null;
  const zh = /^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (zh) {
    const [, y, mo, d, h = '0', mi = '0', se = '0'] = zh;
    // Chinese registers mean China Standard Time (UTC+8)
    const t = Date.UTC(+y, +mo - 1, +d, +h - 8, +mi, +se);
    return Number.isNaN(t) ? undefined : new Date(t);
  }
  if (/^\d{5}(\.\d+)?$/.test(s)) return new Date(Math.round((Number(s) - 25569) * 86400_000));
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}
