/**
 * The safety rule for walking routes to school (issue #6; implementation plan §十九: safe
 * crossings, continuous walkways and optimised routes around campuses). Everything that
 * turns street attributes into a cost lives here, so the rule can be read, argued with and
 * tuned in one place.
 *
 * ## The rule
 *
 * A route's **safety cost** is in *metres-equivalent* (m-eq): the distance a carer would
 * rather walk than take the risk.
 *
 *     cost = Σ length × factor (walking along each edge)  +  Σ crossing penalties
 *
 * - **factor** ≥ 1 per edge (`edgeFactor`): 1 on footways, paths, pedestrian streets and
 *   streets with a sidewalk; more along carriageways without (or with unknown) sidewalks,
 *   the more so the faster the traffic; +0.1 where `lit=no`. Steps are *effort*, not
 *   traffic risk: the child profile multiplies their length by the step factor of
 *   core/coverage/norms.ts (2, Weidmann 1993), the step-free profile leaves them out.
 * - **crossing penalty** (`crossingPenaltyM`) for every road crossed at grade:
 *   `base(road class) × control multiplier (× 0.75 with a refuge island)`.
 *
 * | road crossed (OSM `highway`)        | base m-eq | walking along it: sidewalk yes / unknown / no |
 * |-------------------------------------|-----------|-----------------------------------------------|
 * | trunk(_link), motorway (foot access) | 400       | 1.3 / 2.5 / 4.0                              |
 * | primary(_link) 主干路                | 300       | 1.15 / 1.8 / 3.0                             |
 * | secondary(_link) 次干路              | 200       | 1.1 / 1.5 / 2.5                              |
 * | tertiary(_link)                      | 100       | 1.05 / 1.3 / 1.8                             |
 * | residential, unclassified, road 支路 | 30        | 1.0 / 1.15 / 1.3                             |
 * | service, living_street               | 10        | 1.0 / 1.1 (living_street 1.05) / 1.2         |
 * | a mapped crossing of an unknown road | 100       | —                                            |
 * | footway, path, pedestrian, steps…    | 0         | 1.0                                          |
 *
 * | control of the crossing                                   | multiplier |
 * |-----------------------------------------------------------|------------|
 * | traffic signals (`crossing=traffic_signals`, `crossing:signals=yes`, `highway=traffic_signals`, pelican/toucan…) | 0.2 |
 * | marked, uncontrolled (zebra 斑马线: `crossing=zebra|marked|uncontrolled`, `crossing:markings=yes`) | 0.5 |
 * | a mapped crossing of unknown type (`highway=crossing` alone) | 0.6 |
 * | unmarked (`crossing=unmarked`, or crossing at a junction with nothing mapped) | 1.0 |
 *
 * So crossing a primary road at an unmarked junction costs 300 m-eq, at a zebra 150, at
 * lights 60: the safest route accepts up to 240 m of detour to use the lights. A residential
 * street costs 30 unmarked, 6 at lights. The **detour cap** (`DEFAULT_DETOUR_CAP` = 1.5×
 * the shortest walk) keeps "safest" reasonable: GB 50180-2018 表4.0.1 pairs a primary
 * school's 500 m with the 10-minute life circle; 1.5 × 500 m = 750 m is still well inside
 * the 15-minute circle (800–1000 m). When the pure safest route is longer than the cap,
 * length is blended in (cost + μ·length for growing μ) until it fits (a Lagrangian
 * relaxation of the constrained shortest path, which is NP-hard in general).
 *
 * **Why these numbers.** They are atlas defaults, chosen to order risks sensibly, not
 * measured: pedestrian fatality risk rises steeply with impact speed (WHO, *Pedestrian
 * safety: a road safety manual for decision-makers and practitioners*, 2013, module 1),
 * and the design speeds of CJJ 37-2012《城市道路工程设计规范》§3 rise with the
 * road class (支路 20–40, 次干路 30–50, 主干路 40–60 km/h; 快速路 60–100). Signals
 * remove most conflicts but not turning traffic (hence 0.2, not 0); an uncontrolled zebra
 * halves the risk only when drivers yield. Check the clause numbers against the printed
 * standards before publishing; tune the tables below with local crash data when there is any.
 *
 * `sidewalk=separate` prices the carriageway line like "no sidewalk": the sidewalk is mapped
 * as its own way, and walking the road's line means walking in the road.
 *
 * **Crossings are found by geometry**, not only by tags (see `crossingAt`): at a node the
 * walker passes from one edge to another; a crossing is counted when carriageway edges lie
 * on *both* sides of the walker's line through the node (walking straight through a junction
 * or across a road from one footway to the next), never when the road is only on one side
 * (walking past a T-junction, turning a corner). Its class is the lower of the highest class
 * on each side; its control comes from the node's tags, else the crossing way's tags, else
 * "unmarked". Stepping between a mapped crossing way and a carriageway at the node where
 * they meet (walking off the middle of a zebra along the road, or on to it from the road)
 * counts as crossing that carriageway — otherwise a walker could enter the road at one
 * crossing and leave it at another without ever paying for either. A mapped crossing way that meets no carriageway (the road is not in the
 * walking network, e.g. a trunk road closed to pedestrians) counts as a crossing of an
 * unknown road. Limitations: which side of a street a child walks on is unknown, so turning
 * a corner is free and a side street's mouth on the far side is not counted; grade-separated
 * crossings (footbridges 天桥, underpasses 地下通道) are free because they share no node
 * with the road.
 *
 * @example
 * edgeFactor({ cls: ROAD.PRIMARY, sidewalk: SIDEWALK.NO, lit: LIT.UNKNOWN }); // 3
 * crossingPenaltyM(ROAD.PRIMARY, CONTROL.SIGNALS, false); // 60
 */
import { DEFAULT_WALK_PARAMS } from '../coverage/norms';

/** Road classes (Uint8 codes), ordered by traffic risk. 0 = not a carriageway. */
export const ROAD = {
  FOOT: 0,
  LIVING: 1,
  SERVICE: 2,
  MINOR: 3,
  TERTIARY: 4,
  SECONDARY: 5,
  PRIMARY: 6,
  TRUNK: 7,
  /** A crossing way that meets no carriageway of the network (the road crossed is unknown). */
  UNKNOWN: 8,
} as const;
export type RoadClass = (typeof ROAD)[keyof typeof ROAD];

export const ROAD_CLASS_IDS = [
  'foot',
  'living_street',
  'service',
  'minor',
  'tertiary',
  'secondary',
  'primary',
  'trunk',
  'unknown',
] as const;
export type RoadClassId = (typeof ROAD_CLASS_IDS)[number];

/** Sidewalk tagging of an edge (`sidewalk`, `sidewalk:both`). */
export const SIDEWALK = { UNKNOWN: 0, YES: 1, NO: 2, SEPARATE: 3 } as const;
/** Lighting (`lit`). */
export const LIT = { UNKNOWN: 0, YES: 1, NO: 2 } as const;
/** How a crossing is controlled. 0 = not a crossing (edge) / no tag (node). */
export const CONTROL = { NONE: 0, SIGNALS: 1, MARKED: 2, UNMARKED: 3, UNKNOWN: 4 } as const;
export type Control = (typeof CONTROL)[keyof typeof CONTROL];
export const CONTROL_IDS = ['none', 'signals', 'marked', 'unmarked', 'unknown'] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/** The road class of an OSM `highway` value (links count as their road). */
export function roadClassOf(highway: string): RoadClass {
  switch (highway) {
    case 'trunk':
    case 'trunk_link':
    case 'motorway':
    case 'motorway_link':
      return ROAD.TRUNK;
    case 'primary':
    case 'primary_link':
      return ROAD.PRIMARY;
    case 'secondary':
    case 'secondary_link':
      return ROAD.SECONDARY;
    case 'tertiary':
    case 'tertiary_link':
      return ROAD.TERTIARY;
    case 'residential':
    case 'unclassified':
    case 'road':
      return ROAD.MINOR;
    case 'service':
      return ROAD.SERVICE;
    case 'living_street':
      return ROAD.LIVING;
    default:
      // footway, path, pedestrian, steps, corridor, track, bridleway, cycleway, elevator…
      return ROAD.FOOT;
  }
}

/** Primary, secondary and faster roads: the "主干道" a parent worries about. */
export function isMajorRoad(cls: number): boolean {
  return cls >= ROAD.SECONDARY && cls <= ROAD.TRUNK;
}

export function sidewalkOf(value: string | null | undefined): number {
  if (!value) return SIDEWALK.UNKNOWN;
  if (/^(both|left|right|yes)$/.test(value)) return SIDEWALK.YES;
  if (/^(no|none)$/.test(value)) return SIDEWALK.NO;
  if (value === 'separate') return SIDEWALK.SEPARATE;
  return SIDEWALK.UNKNOWN;
}

export function litOf(value: string | null | undefined): number {
  if (!value) return LIT.UNKNOWN;
  if (/^(no|disused)$/.test(value)) return LIT.NO;
  if (/^(yes|24\/7|automatic|limited|interval|sunset-sunrise|dusk-dawn)$/.test(value) || /^\d/.test(value)) return LIT.YES;
  return LIT.UNKNOWN;
}

/**
 * The control of a crossing from OSM tags — of a node (`highway=crossing|traffic_signals`,
 * `crossing`, `crossing:signals`, `crossing:markings`, `crossing_ref`) or of a crossing way
 * (`crossing` column of `network_edges`, which the importer already set to `traffic_signals`
 * when `crossing:signals=yes`). `CONTROL.NONE` when the tags say nothing about a crossing.
 */
export function controlOf(t: {
  highway?: string | null;
  crossing?: string | null;
  'crossing:signals'?: string | null;
  'crossing:markings'?: string | null;
  crossing_ref?: string | null;
}): Control {
  const c = t.crossing ?? undefined;
  const ref = t.crossing_ref ?? undefined;
  if (
    t['crossing:signals'] === 'yes' ||
    c === 'traffic_signals' ||
    /^(pelican|toucan|puffin|pegasus|tiger)$/.test(ref ?? '') ||
    t.highway === 'traffic_signals'
  )
    return CONTROL.SIGNALS;
  if (t['crossing:signals'] === 'no' && (c === 'marked' || c === 'uncontrolled' || c === 'zebra')) return CONTROL.MARKED;
  if (
    c === 'zebra' ||
    c === 'marked' ||
    c === 'uncontrolled' ||
    ref === 'zebra' ||
    (t['crossing:markings'] !== undefined && t['crossing:markings'] !== null && t['crossing:markings'] !== 'no')
  )
    return CONTROL.MARKED;
  if (c === 'unmarked' || c === 'no' || t['crossing:markings'] === 'no') return CONTROL.UNMARKED;
  if (t.highway === 'crossing' || c !== undefined) return CONTROL.UNKNOWN;
  return CONTROL.NONE;
}

/** Tunable tables of the rule (see the module comment); a profile may override them. */
export interface SafetyParams {
  /** Crossing base penalty per road class, m-eq (indexed by `ROAD`). */
  crossingBaseM: readonly number[];
  /** Multiplier per control (indexed by `CONTROL`; NONE is priced as unmarked). */
  controlMultiplier: readonly number[];
  /** Multiplier with a refuge island (`crossing:island=yes`). */
  islandMultiplier: number;
  /** Walking-along factor per road class for sidewalk [yes, unknown, no] (indexed by `ROAD`). */
  alongFactor: readonly (readonly [number, number, number])[];
  /** Added to the factor where `lit=no`. */
  unlitExtra: number;
}

export const DEFAULT_SAFETY: Readonly<SafetyParams> = {
  //            foot living service minor tertiary secondary primary trunk unknown
  crossingBaseM: [0, 10, 10, 30, 100, 200, 300, 400, 100],
  //               none signals marked unmarked unknown
  controlMultiplier: [1.0, 0.2, 0.5, 1.0, 0.6],
  islandMultiplier: 0.75,
  alongFactor: [
    [1.0, 1.0, 1.0], // foot-only ways
    [1.0, 1.05, 1.2], // living_street: shared surface built for walking pace
    [1.0, 1.1, 1.2], // service (compound roads 小区道路, parking aisles)
    [1.0, 1.15, 1.3], // residential / unclassified 支路
    [1.05, 1.3, 1.8], // tertiary
    [1.1, 1.5, 2.5], // secondary 次干路
    [1.15, 1.8, 3.0], // primary 主干路
    [1.3, 2.5, 4.0], // trunk with foot access
    [1.0, 1.0, 1.0], // (unknown: not used for edges)
  ],
  unlitExtra: 0.1,
};

/**
 * Walking-along factor (≥ 1) of an edge: traffic exposure by road class and sidewalk, plus
 * `unlitExtra` where `lit=no`. Steps' effort is not in here (see {@link ProfileSpec}).
 * @example edgeFactor({ cls: ROAD.SECONDARY, sidewalk: SIDEWALK.UNKNOWN, lit: LIT.NO }); // 1.6
 */
export function edgeFactor(e: { cls: number; sidewalk: number; lit: number }, p: SafetyParams = DEFAULT_SAFETY): number {
  const row = p.alongFactor[e.cls] ?? p.alongFactor[0];
  // `sidewalk=separate`: the sidewalk is its own way, so walking this line is walking in the carriageway
  const f = e.sidewalk === SIDEWALK.YES ? row[0] : e.sidewalk === SIDEWALK.NO || e.sidewalk === SIDEWALK.SEPARATE ? row[2] : row[1];
  return f + (e.lit === LIT.NO ? p.unlitExtra : 0);
}

/**
 * Penalty for crossing a road of class `cls` with `control`, m-eq.
 * @example crossingPenaltyM(ROAD.PRIMARY, CONTROL.UNMARKED, false); // 300
 */
export function crossingPenaltyM(cls: number, control: number, island: boolean, p: SafetyParams = DEFAULT_SAFETY): number {
  const base = p.crossingBaseM[cls] ?? 0;
  const m = p.controlMultiplier[control] ?? 1;
  return base * m * (island ? p.islandMultiplier : 1);
}

/** Safety grades, shown as words and line patterns, never by colour alone. */
export const GRADES = ['safe', 'caution', 'unsafe', 'dangerous'] as const;
export type Grade = (typeof GRADES)[number];

/** Grade of an edge by its walking-along factor (steps are at least "caution"). */
export function edgeGrade(factor: number, isSteps: boolean): Grade {
  const g: Grade = factor <= 1.05 ? 'safe' : factor <= 1.3 ? 'caution' : factor <= 2.0 ? 'unsafe' : 'dangerous';
  return isSteps && g === 'safe' ? 'caution' : g;
}

/** Grade of a crossing by its penalty, m-eq. */
export function crossingGrade(penaltyM: number): Grade {
  return penaltyM <= 15 ? 'safe' : penaltyM <= 60 ? 'caution' : penaltyM <= 150 ? 'unsafe' : 'dangerous';
}

/** Whether a grade counts as "unsafe" for the planners' list. */
export function isUnsafe(g: Grade): boolean {
  return g === 'unsafe' || g === 'dangerous';
}

/** Route profiles of the API. */
export const PROFILE_IDS = ['child', 'shortest', 'step_free'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/** What a search prices: safety on or off, and the steps' multiplier (Infinity = no steps). */
export interface ProfileSpec {
  safety: boolean;
  stepFactor: number;
}

/**
 * - `child` (default): the safety rule, steps × 2 (norms.ts, Weidmann 1993).
 * - `shortest`: plain length, steps at their length (the reference for the detour).
 * - `step_free`: the safety rule without steps (pushchairs, wheelchairs, a child on a scooter).
 */
export const PROFILES: Readonly<Record<ProfileId, ProfileSpec>> = {
  child: { safety: true, stepFactor: DEFAULT_WALK_PARAMS.stepPenaltyFactor },
  shortest: { safety: false, stepFactor: 1 },
  step_free: { safety: true, stepFactor: Infinity },
};

/** The shortest-walk reference for a profile: the same steps rule, no safety pricing. */
export function referenceProfile(p: ProfileSpec): ProfileSpec {
  return { safety: false, stepFactor: p.stepFactor === Infinity ? Infinity : 1 };
}

/**
 * Longest safe route accepted, as a multiple of the shortest walk between the same points
 * (see the module comment: 1.5 × 500 m stays inside the 15-minute life circle).
 */
export const DEFAULT_DETOUR_CAP = 1.5;

/**
 * Blending weights μ tried in turn (cost + μ·length) when the pure safest route breaks the
 * detour cap; after the last, the shortest route is used. The same ladder serves single
 * routes and the school route networks, so one home gets the same route from both.
 */
export const DETOUR_LADDER: readonly number[] = [0, 0.5, 1.5, 4];

/** Human words for a road class, zh and en. */
export const ROAD_CLASS_NAMES: Readonly<Record<RoadClassId, { zh: string; en: string }>> = {
  foot: { zh: '步行道', en: 'footway' },
  living_street: { zh: '生活街道', en: 'living street' },
  service: { zh: '小区/服务道路', en: 'service road' },
  minor: { zh: '支路', en: 'minor street' },
  tertiary: { zh: '三级道路', en: 'tertiary road' },
  secondary: { zh: '次干路', en: 'secondary road' },
  primary: { zh: '主干路', en: 'primary road' },
  trunk: { zh: '快速路', en: 'trunk road' },
  unknown: { zh: '未知道路', en: 'unknown road' },
};

export const CONTROL_NAMES: Readonly<Record<ControlId, { zh: string; en: string }>> = {
  none: { zh: '无', en: 'none' },
  signals: { zh: '信号灯', en: 'traffic signals' },
  marked: { zh: '斑马线', en: 'zebra / marked' },
  unmarked: { zh: '无标线', en: 'unmarked' },
  unknown: { zh: '类型未知', en: 'type unknown' },
};

/** Reasons attached to unsafe segments, with their words. */
export const REASONS = {
  steps: { zh: '台阶', en: 'steps' },
  no_sidewalk: { zh: '无人行道（已标注）', en: 'no sidewalk (tagged)' },
  in_carriageway: { zh: '人行道另行绘制，此处为车行道', en: 'in the carriageway (sidewalk mapped separately)' },
  sidewalk_unknown: { zh: '人行道情况未标注', en: 'sidewalk not mapped' },
  major_road: { zh: '沿主次干路步行', en: 'along a primary/secondary road' },
  unlit: { zh: '无照明（已标注）', en: 'unlit (tagged)' },
  crossing_unsignalised_major: { zh: '无信号灯穿越主次干路', en: 'crossing a main road without signals' },
  crossing_unmarked: { zh: '无斑马线过街', en: 'unmarked crossing' },
  crossing_marked: { zh: '斑马线过街（无信号灯）', en: 'zebra crossing without signals' },
  crossing_signals: { zh: '信号灯过街', en: 'signalised crossing' },
  crossing_unknown: { zh: '过街设施类型未知', en: 'crossing of unknown type' },
} as const;
export type ReasonId = keyof typeof REASONS;

/** Reasons for an edge's factor (empty on a safe footway). */
export function edgeReasons(e: { cls: number; sidewalk: number; lit: number; isSteps: boolean }): ReasonId[] {
  const r: ReasonId[] = [];
  if (e.isSteps) r.push('steps');
  if (e.cls >= ROAD.LIVING && e.cls <= ROAD.TRUNK) {
    if (e.sidewalk === SIDEWALK.NO) r.push('no_sidewalk');
    else if (e.sidewalk === SIDEWALK.SEPARATE) r.push('in_carriageway');
    else if (e.sidewalk === SIDEWALK.UNKNOWN && e.cls >= ROAD.MINOR) r.push('sidewalk_unknown');
    if (isMajorRoad(e.cls)) r.push('major_road');
  }
  if (e.lit === LIT.NO) r.push('unlit');
  return r;
}

/** Reasons for a crossing. */
export function crossingReasons(cls: number, control: number): ReasonId[] {
  const r: ReasonId[] = [];
  if (isMajorRoad(cls) && control !== CONTROL.SIGNALS) r.push('crossing_unsignalised_major');
  if (control === CONTROL.SIGNALS) r.push('crossing_signals');
  else if (control === CONTROL.MARKED) r.push('crossing_marked');
  else if (control === CONTROL.UNKNOWN) r.push('crossing_unknown');
  else r.push('crossing_unmarked');
  return r;
}
