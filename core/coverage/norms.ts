/**
 * Planning norms: how far each kind of facility should be from the children it serves.
 *
 * The national standard is GB 50180-2018《城市居住区规划设计标准》(Standard for urban
 * residential area planning and design, in force 2018-12-01). It organises a city into
 * walking "life circles" (生活圈):
 *
 * | life circle | walking distance (表 4.0.1) | minutes (§2.0.2–2.0.4) | facilities (附录 B; 服务半径 附录 C)          |
 * |-------------|----------------------------|------------------------|----------------------------------------------|
 * | 15-minute   | 800–1000 m                 | 15                     | 初中 ≤ 1000 m, 社区卫生服务中心 ≤ 1000 m      |
 * | 10-minute   | 500 m                      | 10                     | 小学 ≤ 500 m                                  |
 * | 5-minute    | 300 m                      | 5                      | 幼儿园 ≤ 300 m, 托儿所 ≤ 300 m, 儿童活动场地 |
 *
 * The standard's radii are **walking distances**, so the atlas measures them along the
 * walking network (and, side by side, as straight lines, which overstate coverage in a
 * city of rivers and cliffs). Categories without a distance in the standard carry
 * `source: 'atlas default'` and say why the number was chosen; they are defaults a
 * planner can override, not norms.
 *
 * Clause references: 表 4.0.1 for the life-circle walking distances, 附录 B for which
 * facility belongs to which circle, 附录 C for the "服务半径不宜大于 … m" radii. They were
 * checked against secondary sources only; check them against the printed standard before
 * a figure is published.
 *
 * @example
 * import { normFor, DEFAULT_WALK_PARAMS } from './norms';
 * normFor('kindergarten'); // { radiusM: 300, walkMinutes: 5, ageGroup: 'children_3_5', source: 'GB 50180-2018', ... }
 */
import type { CategoryId } from '../catalogue';
import type { AgeGroup } from './types';

export type LifeCircle = '5-minute' | '10-minute' | '15-minute';

export interface CoverageNorm {
  category: CategoryId;
  /** Service distance, metres of walking. */
  radiusM: number;
  /** The life circle's walking time, minutes (the standard's pairing, not radiusM / speed). */
  walkMinutes: number;
  lifeCircle: LifeCircle | null;
  /** The child group whose homes are the demand for this category. */
  ageGroup: AgeGroup;
  source: 'GB 50180-2018' | 'atlas default';
  /** Clause of the standard, or the reasoning behind a default. */
  citation: string;
}

const GB = 'GB 50180-2018' as const;
const DEFAULT = 'atlas default' as const;

/** One norm per catalogue category. */
export const COVERAGE_NORMS: Readonly<Record<CategoryId, CoverageNorm>> = {
  playground: {
    category: 'playground',
    radiusM: 300,
    walkMinutes: 5,
    lifeCircle: '5-minute',
    ageGroup: 'children_0_14',
    source: GB,
    citation: 'GB 50180-2018 表4.0.1 (五分钟生活圈 步行距离 300 m); 附录B/附录C: 儿童、老年人活动场地 is a 五分钟生活圈 社区服务设施',
  },
  mother_baby_room: {
    category: 'mother_baby_room',
    radiusM: 500,
    walkMinutes: 10,
    lifeCircle: '10-minute',
    ageGroup: 'children_0_2',
    source: DEFAULT,
    citation:
      'No distance standard: 国卫妇幼发〔2016〕63号《关于加快推进母婴设施建设的指导意见》 sets which venues must have a room, not how far apart. ' +
      'Default: the 10-minute circle (500 m), a walk a parent with an infant makes to a mall, station or park that has one.',
  },
  nursery: {
    category: 'nursery',
    radiusM: 300,
    walkMinutes: 5,
    lifeCircle: '5-minute',
    ageGroup: 'children_0_2',
    source: GB,
    citation: 'GB 50180-2018 表4.0.1 (五分钟生活圈 300 m); 附录B/附录C: 托儿所 服务半径不宜大于 300 m',
  },
  kindergarten: {
    category: 'kindergarten',
    radiusM: 300,
    walkMinutes: 5,
    lifeCircle: '5-minute',
    ageGroup: 'children_3_5',
    source: GB,
    citation: 'GB 50180-2018 表4.0.1 (五分钟生活圈 300 m); 附录B/附录C: 幼儿园 服务半径不宜大于 300 m',
  },
  primary_school: {
    category: 'primary_school',
    radiusM: 500,
    walkMinutes: 10,
    lifeCircle: '10-minute',
    ageGroup: 'children_6_11',
    source: GB,
    citation: 'GB 50180-2018 表4.0.1 (十分钟生活圈 500 m); 附录B/附录C: 小学 服务半径不宜大于 500 m',
  },
  middle_school: {
    category: 'middle_school',
    radiusM: 1000,
    walkMinutes: 15,
    lifeCircle: '15-minute',
    ageGroup: 'children_12_14',
    source: GB,
    citation: 'GB 50180-2018 表4.0.1 (十五分钟生活圈 800–1000 m); 附录B/附录C: 初中 服务半径不宜大于 1000 m',
  },
  special_school: {
    category: 'special_school',
    radiusM: 1000,
    walkMinutes: 15,
    lifeCircle: '15-minute',
    ageGroup: 'children_0_14',
    source: DEFAULT,
    citation:
      'No walking norm: special schools are district-level (实施方案 §七: one per district of 200,000+ people), reached by bus or car. ' +
      'Default: the 15-minute circle (1000 m), so the map shows who can walk; judge provision per district, not by this radius.',
  },
  park: {
    category: 'park',
    radiusM: 500,
    walkMinutes: 10,
    lifeCircle: '10-minute',
    ageGroup: 'children_0_14',
    source: DEFAULT,
    citation:
      'GB 50180-2018 requires 公共绿地 in every life circle but gives sizes, not a radius for a park of any size. ' +
      'Default: 500 m, the radius conventionally used for the 公园绿地服务半径覆盖率 indicator of the 国家园林城市 standards (parks ≥ 5000 m²).',
  },
  library: {
    category: 'library',
    radiusM: 1000,
    walkMinutes: 15,
    lifeCircle: '15-minute',
    ageGroup: 'children_0_14',
    source: DEFAULT,
    citation:
      "No distance standard for children's libraries. Default: the 15-minute circle (1000 m), where GB 50180-2018 附录B places the 文化活动中心 that usually houses a children's reading room.",
  },
  child_health: {
    category: 'child_health',
    radiusM: 1000,
    walkMinutes: 15,
    lifeCircle: '15-minute',
    ageGroup: 'children_0_14',
    source: GB,
    citation: 'GB 50180-2018 表4.0.1 (十五分钟生活圈 1000 m); 附录B/附录C: 社区卫生服务中心 服务半径不宜大于 1000 m',
  },
  protection_station: {
    category: 'protection_station',
    radiusM: 1000,
    walkMinutes: 15,
    lifeCircle: '15-minute',
    ageGroup: 'children_0_14',
    source: DEFAULT,
    citation:
      'No distance standard: the plan asks for one station per 街道/乡镇 (实施方案 §二十六). A 街道 is the scale of the 15-minute circle ' +
      '(GB 50180-2018 表4.0.1: 50,000–100,000 residents), so the default is 1000 m.',
  },
  activity_centre: {
    category: 'activity_centre',
    radiusM: 500,
    walkMinutes: 10,
    lifeCircle: '10-minute',
    ageGroup: 'children_0_14',
    source: DEFAULT,
    citation:
      'No distance standard: 儿童之家 are to be in every 城乡社区 (实施方案 §三十一). A 社区 is the scale of the 5–10-minute circle ' +
      '(GB 50180-2018 表4.0.1), so the default is the 10-minute circle, 500 m.',
  },
};

/**
 * The norm of a category, optionally with an overridden radius (a planner's what-if).
 * @example normFor('primary_school', { radiusM: 800 }).radiusM; // 800
 */
export function normFor(category: CategoryId, override?: Partial<Pick<CoverageNorm, 'radiusM' | 'ageGroup'>>): CoverageNorm {
  const base = COVERAGE_NORMS[category];
  if (!base) throw new Error(`no coverage norm for category: ${category}`);
  return override ? { ...base, ...override } : base;
}

/** Parameters that turn network lengths into walking effort and time. */
export interface WalkParams {
  /**
   * Walking speed of a child with an accompanying adult, m/s. Planning default: GB 50180-2018
   * pairs 5 min with 300 m (1.0 m/s), 10 min with 500 m (0.83 m/s) and 15 min with
   * 800–1000 m (0.9–1.1 m/s); we take 1.0 m/s. Only used to report minutes.
   */
  walkSpeedMps: number;
  /**
   * Multiplier on the length of `highway=steps` edges: walking a metre of stairs costs as
   * much as `stepPenaltyFactor` metres on the level. Default 2: Weidmann (1993,
   * *Transporttechnik der Fussgänger*, ETH IVT Schriftenreihe 90) gives horizontal speeds
   * on stairs of 0.61 m/s up and 0.69 m/s down against 1.34 m/s on the level, i.e. ×2.2
   * and ×1.9; edges are walked both ways (to school and home), so ≈ 2. `Infinity`
   * excludes steps altogether (pushchair / wheelchair routing).
   */
  stepPenaltyFactor: number;
  /**
   * Longest straight walk from a cell's centroid (or a facility) to the nearest walkable
   * edge, metres; beyond it the cell has "no network access". Default 500 m: more than a
   * city block, less than the 5-minute radius plus a block.
   */
  maxAccessM: number;
}

export const DEFAULT_WALK_PARAMS: Readonly<WalkParams> = {
  walkSpeedMps: 1.0,
  stepPenaltyFactor: 2,
  maxAccessM: 500,
};

/**
 * Minutes to walk `effortM` metres of (penalised) network at `walkSpeedMps`.
 * @example walkMinutesFor(300); // 5
 */
export function walkMinutesFor(effortM: number, walkSpeedMps: number = DEFAULT_WALK_PARAMS.walkSpeedMps): number {
  return effortM / walkSpeedMps / 60;
}
