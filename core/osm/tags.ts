/**
 * OpenStreetMap tags → atlas categories: THE one table (issue #3). Rules are tried in
 * order and the first that matches decides the category; every row says why it is there.
 * Tag meanings follow the OSM wiki pages named in each row; the child-specific choices
 * follow Babykarte's tag schema (babykarte/babykarte.github.io `taginfo.json`, `filters.js`:
 * `healthcare:speciality=paediatrics`, `healthcare=midwife|birthing_center`,
 * `amenity=kindergarten|childcare`, `leisure=playground|park` without `access=private`,
 * `changing_table`/`diaper`), extended for Chinese names (幼儿园, 托育, 妇幼, 少儿 …)
 * because Chinese mappers often tag only the generic key and put the kind in the name.
 *
 * | #  | tags (first match wins)                                                        | category            |
 * |----|--------------------------------------------------------------------------------|---------------------|
 * | 1  | `amenity=baby_hatch`                                                            | protection_station  |
 * | 2  | `amenity=social_facility` + `social_facility:for` ∋ juvenile/child/orphan       | protection_station  |
 * | 3  | `healthcare:speciality` ∋ paediatrics/pediatrics/neonatology                    | child_health        |
 * | 4  | `healthcare=midwife|birthing_center`                                            | child_health        |
 * | 5  | `amenity|healthcare=hospital|clinic|doctors|doctor|centre` + child name         | child_health        |
 * | 6  | `amenity=childcare`, or `amenity=kindergarten` named 托育/托儿所/nursery/crèche  | nursery             |
 * | 7  | `amenity=kindergarten`                                                          | kindergarten        |
 * | 8  | `amenity=school` special needs (`school=special_education…`, 特殊教育/特教/培智) | special_school      |
 * | 9  | `amenity=school` (split by `isced:level`, `school`, `grades`, name; see below)  | primary/middle      |
 * | 10 | `amenity=library` (any; `attributes.childrens` says if it is a children's one)  | library             |
 * | 11 | `amenity=community_centre` for children/youth, or named 少年宫/儿童之家 …        | activity_centre     |
 * | 12 | `leisure=playground` (not `access=private|no`)                                  | playground          |
 * | 13 | `leisure=park` (not `access=private|no`)                                        | park                |
 * | 14 | `baby_feeding=room`, or named 母婴室/哺乳室/nursing room (no category above)     | mother_baby_room    |
 *
 * Excluded before the table: `amenity=school` named 大学/学院/university with no school
 * word (小学, 中学, 附中, 幼儿园, school) — universities mis-tagged as schools, such as
 * node 3933408807 "湖南师范大学" in the Changsha extract; a university serves no child.
 *
 * School split (row 9), decided in this order:
 * 1. `isced:level` (UNESCO ISCED 2011): contains 1 → primary_school; else 2 or 3 →
 *    middle_school (a Chinese 中学 usually combines 初中 and 高中, so upper-secondary-only
 *    schools are middle schools too). A 九年一贯制 school (1;2) is a primary school with
 *    `attributes.also_middle = true`.
 * 2. `school=primary|secondary|…` and `grades=*` (grades ≤ 6 → primary, ≥ 7 → middle).
 * 3. Names: 小学/primary/elementary/Grundschule/начальн → primary; 中学/初中/高中/附中/
 *    secondary/middle/high school/Gymnasium/гимназ/лице → middle.
 * 4. Otherwise **primary_school**: primary schools are the most numerous and the ones
 *    whose walking distance matters most (GB 50180-2018 puts them in the 10-minute
 *    circle, middle schools in the 15-minute one), so an unknown school counts where an
 *    error does least harm. `attributes.school_level_guessed = true` marks it.
 *
 * Libraries (row 10): the catalogue's category is 儿童图书馆/阅览室, but OSM rarely tags a
 * children's library separately, and public libraries must run children's services
 * (公共图书馆服务规范 GB/T 28220-2011 §5). So every `amenity=library` is imported as
 * `library`; `attributes.childrens = true` when `library=children`, `min_age`/`max_age`
 * say so, or the name says 少儿/儿童/children/kids/Kinder/детск.
 *
 * Flags, not categories: `changing_table=yes` → `amenities.changing_table`;
 * `baby_feeding=yes|room` → `amenities.nursing_room`; `wheelchair=yes` →
 * `accessible_entrance`; `drinking_water=yes`, `toilets=yes`, `covered|shade=yes`,
 * `stroller=yes` likewise. A toilet with a changing table is *not* a 母婴室 (a room for
 * nursing is what the plan counts, 实施方案 §十八), so it only carries the flag.
 * `amenities.childrens_area` is set on parks that contain a playground (see extract.ts)
 * or carry `playground=*`.
 *
 * @example
 * classifyOsm({ amenity: 'school', 'isced:level': '2' })?.category; // 'middle_school'
 */
import type { CategoryId } from '../catalogue';
import type { Amenities, Ownership } from '../api';

export type OsmTags = Readonly<Record<string, string>>;

export interface OsmClassification {
  category: CategoryId;
  /** The id of the rule that matched (kept in `attributes.osm_rule` for audits). */
  rule: string;
  /** Extra facts the rule found (school level guessed, children's library…). */
  attributes: Record<string, string | number | boolean>;
}

interface OsmCategoryRule {
  id: string;
  category: CategoryId;
  match: (t: OsmTags) => boolean | Record<string, string | number | boolean>;
}

const has = (v: string | undefined, re: RegExp) => v !== undefined && re.test(v);
const names = (t: OsmTags) => [t.name, t['name:zh'], t['name:en'], t.official_name, t.alt_name].filter(Boolean).join(' | ');
const PRIVATE = /^(private|no)$/;

/** Names that say "for children": Chinese, English, German, French, Russian. */
const CHILD_NAME = /少儿|儿童|妇幼|妇女儿童|婴幼|children|child|kids|paediatric|pediatric|enfant|kinder|детск|педиатр/i;
const CHILD_HEALTH_NAME =
  /妇幼|儿童医院|儿科|妇女儿童|children'?s hospital|paediatric|pediatric|kinderklinik|kinderarzt|hôpital pour enfants|детск|педиатр/i;
const NURSERY_NAME = /托育|托儿所|托儿|育婴|早教|nursery|cr[eè]che|daycare|day care|kita\b|krippe|ясли/i;
const SPECIAL_NAME = /特殊教育|特教|培智|启智|聋哑|盲校|聋校|special school|special education|förderschule|коррекц/i;
const ACTIVITY_NAME =
  /少年宫|少年之家|儿童之家|儿童活动中心|青少年活动中心|青少年宫|妇女儿童活动中心|youth (centre|center|club)|children'?s (centre|center|palace)|jugendzentrum|дом детского творчества|дворец пионеров/i;
const MOTHER_BABY_NAME =
  /母婴室|哺乳室|母婴护理|母婴关爱|nursing room|lactation room|baby care room|mother.{0,5}baby room|babywickelraum|stillraum/i;

/**
 * The rule table. Order matters: specific before generic (a juvenile social facility is
 * not a generic social facility, a children's hospital is not a generic hospital).
 */
export const OSM_CATEGORY_RULES: readonly OsmCategoryRule[] = [
  // 1. Baby hatch (婴儿安全岛): a child-protection service, not a medical one (wiki Tag:amenity=baby_hatch).
  { id: 'baby_hatch', category: 'protection_station', match: (t) => t.amenity === 'baby_hatch' },
  // 2. Social facilities for minors (wiki Key:social_facility:for): group homes, shelters, 未保站.
  {
    id: 'social_facility_juvenile',
    category: 'protection_station',
    match: (t) =>
      t.amenity === 'social_facility' &&
      (has(t['social_facility:for'], /juvenile|child|orphan|youth/) || has(names(t), /未成年人保护|儿童福利|救助保护/)),
  },
  // 3. Paediatric specialty (wiki Key:healthcare:speciality), Babykarte's main health filter.
  { id: 'paediatrics', category: 'child_health', match: (t) => has(t['healthcare:speciality'], /paediatric|pediatric|neonatolog/) },
  // 4. Midwives and birthing centres: maternal care, Babykarte's other two health filters.
  { id: 'midwife', category: 'child_health', match: (t) => has(t.healthcare, /^(midwife|birthing_center)$/) },
  // 5. Hospitals and clinics whose name says children or 妇幼 (maternal-child health, 实施方案 §十).
  {
    id: 'child_hospital_by_name',
    category: 'child_health',
    match: (t) =>
      (has(t.amenity, /^(hospital|clinic|doctors)$/) || has(t.healthcare, /^(hospital|clinic|doctor|centre)$/)) &&
      CHILD_HEALTH_NAME.test(names(t)),
  },
  // 6. Childcare for the under-3s (wiki Tag:amenity=childcare); kindergartens named as nurseries.
  {
    id: 'childcare',
    category: 'nursery',
    match: (t) => t.amenity === 'childcare' || (t.amenity === 'kindergarten' && NURSERY_NAME.test(names(t)) && !/幼儿园/.test(names(t))),
  },
  // 7. Kindergarten, ages 3–6 (wiki Tag:amenity=kindergarten).
  { id: 'kindergarten', category: 'kindergarten', match: (t) => t.amenity === 'kindergarten' },
  // 8. Special-education schools (wiki Key:school, `school=special_education_needs`; names).
  {
    id: 'special_school',
    category: 'special_school',
    match: (t) => t.amenity === 'school' && (has(t.school, /special/) || t.special_education === 'yes' || SPECIAL_NAME.test(names(t))),
  },
  // 9a/9b. Schools, split into primary and middle (see the module comment for the rule).
  {
    id: 'school_primary',
    category: 'primary_school',
    match: (t) => t.amenity === 'school' && schoolLevel(t).level === 'primary' && schoolLevel(t).facts,
  },
  {
    id: 'school_middle',
    category: 'middle_school',
    match: (t) => t.amenity === 'school' && schoolLevel(t).level === 'middle' && schoolLevel(t).facts,
  },
  // 10. Libraries: all imported, children's ones flagged (see module comment).
  {
    id: 'library',
    category: 'library',
    match: (t) =>
      t.amenity === 'library' && {
        childrens: t.library === 'children' || has(t.max_age, /^([0-9]|1[0-8])$/) || CHILD_NAME.test(names(t)),
      },
  },
  // 11. Community centres for children or youth (wiki Key:community_centre, `community_centre:for`).
  {
    id: 'activity_centre',
    category: 'activity_centre',
    match: (t) =>
      (t.amenity === 'community_centre' &&
        (has(t.community_centre, /youth|child/) ||
          has(t['community_centre:for'], /child|juvenile|youth/) ||
          CHILD_NAME.test(names(t)) ||
          ACTIVITY_NAME.test(names(t)))) ||
      ((t.amenity !== undefined || t.leisure !== undefined || t.building !== undefined) && ACTIVITY_NAME.test(names(t))),
  },
  // 12. Playgrounds (wiki Tag:leisure=playground); private ones (小区 playgrounds behind a gate) are not public provision.
  { id: 'playground', category: 'playground', match: (t) => t.leisure === 'playground' && !has(t.access, PRIVATE) },
  // 13. Parks (wiki Tag:leisure=park); same access rule as Babykarte.
  { id: 'park', category: 'park', match: (t) => t.leisure === 'park' && !has(t.access, PRIVATE) },
  // 14. Mother-and-baby rooms: a room for nursing (`baby_feeding=room`, Babykarte's `diaper=room`) or the name says so.
  {
    id: 'mother_baby_room',
    category: 'mother_baby_room',
    match: (t) => t.baby_feeding === 'room' || t.diaper === 'room' || t.amenity === 'baby_feeding_room' || MOTHER_BABY_NAME.test(names(t)),
  },
];

interface SchoolLevel {
  level: 'primary' | 'middle';
  facts: Record<string, string | number | boolean>;
}

/** The school split of row 9 (see module comment). */
export function schoolLevel(t: OsmTags): SchoolLevel {
  const isced = t['isced:level'];
  if (isced) {
    const levels = new Set<number>();
    for (const part of isced.split(/[;,]/)) {
      const range = part.trim().match(/^(\d)\s*-\s*(\d)$/);
      if (range) for (let l = Number(range[1]); l <= Number(range[2]); l++) levels.add(l);
      else if (/^\d$/.test(part.trim())) levels.add(Number(part.trim()));
    }
    if (levels.has(1))
      return {
        level: 'primary',
        facts: levels.has(2) ? { also_middle: true, school_level_from: 'isced:level' } : { school_level_from: 'isced:level' },
      };
    if (levels.has(2) || levels.has(3)) return { level: 'middle', facts: { school_level_from: 'isced:level' } };
  }
  const school = t.school ?? t['school:type'];
  if (school) {
    if (/primary|elementary/.test(school)) return { level: 'primary', facts: { school_level_from: 'school' } };
    if (/secondary|middle|high|junior/.test(school)) return { level: 'middle', facts: { school_level_from: 'school' } };
  }
  if (t.grades) {
    const nums = t.grades.match(/\d+/g)?.map(Number) ?? [];
    if (nums.length) {
      const lo = Math.min(...nums);
      const hi = Math.max(...nums);
      if (lo <= 6)
        return { level: 'primary', facts: hi >= 7 ? { also_middle: true, school_level_from: 'grades' } : { school_level_from: 'grades' } };
      return { level: 'middle', facts: { school_level_from: 'grades' } };
    }
  }
  const n = names(t);
  if (/小学|primary|elementary|grundschule|volksschule|école (primaire|élémentaire)|начальн/i.test(n))
    return { level: 'primary', facts: { school_level_from: 'name' } };
  if (/中学|初中|高中|附中|secondary|middle school|high school|junior high|gymnasium|lycée|collège|гимназ|лице/i.test(n)) {
    return { level: 'middle', facts: { school_level_from: 'name' } };
  }
  return { level: 'primary', facts: { school_level_guessed: true } };
}

const UNIVERSITY_NAME = /大学|学院|university|universität|université|университет/i;
const SCHOOL_WORD = /小学|中学|附中|附小|幼儿园|学校|school|schule|école|школ/i;

/** Universities mis-tagged `amenity=school` (see the module comment). */
export function isMistaggedUniversity(t: OsmTags): boolean {
  const n = names(t);
  return t.amenity === 'school' && UNIVERSITY_NAME.test(n) && !SCHOOL_WORD.test(n);
}

/** The category of an OSM object, or null when it is none of the atlas's. */
export function classifyOsm(tags: OsmTags): OsmClassification | null {
  if (isMistaggedUniversity(tags)) return null;
  for (const rule of OSM_CATEGORY_RULES) {
    const m = rule.match(tags);
    if (m) return { category: rule.category, rule: rule.id, attributes: typeof m === 'object' ? { ...m } : {} };
  }
  return null;
}

/**
 * Categories whose outline is kept in `footprint`: grounds children use (parks, school
 * and kindergarten grounds, playgrounds). Buildings (libraries, clinics) keep only the
 * marker — their outline says nothing about access and only costs storage.
 */
export const FOOTPRINT_CATEGORIES: ReadonlySet<CategoryId> = new Set([
  'park',
  'playground',
  'kindergarten',
  'nursery',
  'primary_school',
  'middle_school',
  'special_school',
]);

const YES = /^(yes|designated|limited|room|true|1)$/;

/** Amenity flags from tags (absent key = unknown, as core/api.ts `Amenities` says). */
export function osmAmenities(t: OsmTags): Amenities {
  const a: Amenities = {};
  const flag = (key: keyof Amenities, v: string | undefined) => {
    if (v === undefined) return;
    if (YES.test(v)) a[key] = true;
    else if (v === 'no') a[key] = false;
  };
  flag('changing_table', t.changing_table ?? t.diaper);
  flag('nursing_room', t.baby_feeding);
  flag('accessible_entrance', t.wheelchair);
  flag('drinking_water', t.drinking_water);
  flag('toilets', t.toilets);
  flag('shade', t.shade ?? t.covered);
  flag('stroller_access', t.stroller);
  if (t.leisure === 'park' && t.playground !== undefined && t.playground !== 'no') a.childrens_area = true;
  return a;
}

/** Names: `name:zh` (and its script variants) first, then `name`, then `name:en`. */
export function osmNames(t: OsmTags): { name_zh: string | null; name_en: string | null } {
  const zh = t['name:zh'] ?? t['name:zh-Hans'] ?? t['name:zh-CN'] ?? t['name:zh-Hant'] ?? t.name ?? t['name:en'] ?? null;
  const en = t['name:en'] ?? null;
  return { name_zh: zh?.trim() || null, name_en: en?.trim() || null };
}

/**
 * An address from `addr:full`, or from the `addr:*` parts in the order a reader of the
 * place expects: Chinese big-to-small (省市区街道门牌) when the parts are in Chinese,
 * "number street, city" otherwise.
 */
export function osmAddress(t: OsmTags): string | null {
  if (t['addr:full']) return t['addr:full'];
  const street = t['addr:street'] ?? t['addr:place'];
  if (!street && !t['addr:housenumber']) return null;
  const parts = [t['addr:province'], t['addr:city'], t['addr:district'], t['addr:subdistrict'], street, t['addr:housenumber']];
  if (/[\u4e00-\u9fff]/.test(street ?? ''))
    return parts.filter(Boolean).join('') + (t['addr:housenumber'] && !/号$/.test(t['addr:housenumber']) ? '号' : '');
  const line = [t['addr:housenumber'], street].filter(Boolean).join(' ');
  return [line, t['addr:city']].filter(Boolean).join(', ') || null;
}

/** Ownership from `operator:type` (wiki Key:operator:type). */
export function osmOwnership(t: OsmTags): Ownership {
  const v = t['operator:type'] ?? t['school:ownership'];
  if (!v) return 'unknown';
  if (/public|government|state|municipal|community/.test(v)) return 'public';
  if (/private|business|commercial|religious|ngo|cooperative/.test(v)) return 'private';
  return 'unknown';
}

/** A whole number from a tag such as `capacity=120` (null when absent or not a number). */
export function osmInteger(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = v.trim().match(/^\d{1,7}$/);
  return m ? Number(m[0]) : null;
}
