/**
 * How many synthetic facilities of each category a district gets in the demo dataset.
 *
 * Per-capita rates are round numbers close to Chongqing's real provision, so that the
 * pattern between districts (more in 渝北 than in 城口) is plausible:
 *
 * | category            | rate (full density)          | why                                                        |
 * |---------------------|------------------------------|------------------------------------------------------------|
 * | kindergarten        | 1 per 5,500 residents        | ≈ 5,800 kindergartens for 32 M (Chongqing had ~5,600 in 2020) |
 * | primary_school      | 1 per 11,000                 | ≈ 2,900 primary schools                                    |
 * | middle_school       | 1 per 25,000                 | ≈ 1,300 junior/complete middle schools                     |
 * | nursery             | 1 per 8,000                  | 托育 is young; ≈ 4,000 providers incl. small private ones |
 * | playground          | 1 per 6,000                  | community play spaces (GB 50180-2018 5-minute life circle) |
 * | mother_baby_room    | 1 per 15,000                 | malls, stations, hospitals, parks (plan §十八)             |
 * | park                | 1 per 20,000                 | city and community parks                                   |
 * | library             | 1–3 per district             | a district library's children's branch, reading rooms      |
 * | child_health        | 2–6 per district             | 妇幼保健院, hospital paediatrics, community centres       |
 * | protection_station  | 1 per 35,000 (≤ 1 per 街道/乡镇) | plan §二十六: a station in every 街道/乡镇               |
 * | activity_centre     | 1–4 per district             | 青少年宫 plus 儿童之家                                     |
 * | special_school      | 1 per district > 200,000     | plan §七; three districts deliberately left without       |
 *
 * The per-capita rates at full density give ≈ 24,000 facilities, too many for a demo that
 * is committed to git and seeded on every first start, so the per-capita categories are
 * thinned uniformly by {@link DEMO_DENSITY} (0.3 → ≈ 8,000 in all). Absolute indicators
 * computed on the demo (places per 1,000 children, walking coverage) therefore read
 * lower than a full register would; the differences between districts are what it shows.
 * Per-district categories (library, child_health, activity_centre, special_school) and
 * protection stations (a coverage policy, not a density) are not thinned.
 */
import type { CategoryId } from '../catalogue';

/** Share of the full per-capita density the demo keeps (see the table above). */
export const DEMO_DENSITY = 0.3;

/** Residents per facility at full density, for the per-capita categories. */
export const RESIDENTS_PER_FACILITY: Readonly<Partial<Record<CategoryId, number>>> = {
  kindergarten: 5_500,
  primary_school: 11_000,
  middle_school: 25_000,
  nursery: 8_000,
  playground: 6_000,
  mother_baby_room: 15_000,
  park: 20_000,
};

/** Residents per protection station; capped by the district's number of 街道/乡镇. */
export const RESIDENTS_PER_PROTECTION_STATION = 35_000;

/**
 * Plan §七: "every district or county over 200,000 people runs a special-education school".
 */
export const SPECIAL_SCHOOL_MIN_POPULATION = 200_000;

/**
 * Districts over the threshold deliberately left without a special school in the demo,
 * so the plan-compliance indicator has something to find. Synthetic: the real districts
 * do have one. 大渡口 (central, 421,904), 武隆 (356,748), 巫溪 (388,685).
 */
export const SPECIAL_SCHOOL_GAPS: ReadonlySet<string> = new Set(['500104', '500156', '500238']);

export interface DistrictForCounts {
  code: string;
  population: number;
  /** Number of 街道/镇/乡 in the district (official 2023 list). */
  townshipCount: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * Facility counts per category for one district. Deterministic: the same district always
 * gets the same counts, and they grow with population.
 *
 * @example
 * facilityCounts({ code: '500229', population: 197_497, townshipCount: 25 }).kindergarten; // 11
 */
export function facilityCounts(d: DistrictForCounts): Record<CategoryId, number> {
  const perCapita = (c: CategoryId) => Math.max(1, Math.round((d.population / RESIDENTS_PER_FACILITY[c]!) * DEMO_DENSITY));
  return {
    playground: perCapita('playground'),
    mother_baby_room: perCapita('mother_baby_room'),
    nursery: perCapita('nursery'),
    kindergarten: perCapita('kindergarten'),
    primary_school: perCapita('primary_school'),
    middle_school: perCapita('middle_school'),
    special_school: d.population > SPECIAL_SCHOOL_MIN_POPULATION && !SPECIAL_SCHOOL_GAPS.has(d.code) ? 1 : 0,
    park: perCapita('park'),
    library: 1 + (d.population >= 700_000 ? 1 : 0) + (d.population >= 1_400_000 ? 1 : 0),
    child_health: clamp(2 + Math.floor(d.population / 400_000), 2, 6),
    protection_station: clamp(Math.round(d.population / RESIDENTS_PER_PROTECTION_STATION), 1, Math.max(1, d.townshipCount)),
    activity_centre: clamp(1 + Math.floor(d.population / 500_000), 1, 4),
  };
}
