/**
 * Which OpenStreetMap ways a child and a carer can walk on, and the attributes the
 * routing and the "steps / crossings" indicators need (table `network_edges`,
 * migration 002).
 *
 * Walkable (`highway=*`, wiki Key:highway), keeping the road class in `highway`:
 * - foot-only: footway (incl. `footway=sidewalk|crossing`), path, steps, pedestrian,
 *   corridor (indoor passages of malls and stations), track, bridleway;
 * - streets, with or without sidewalks: living_street, residential, service,
 *   unclassified, road, tertiary(_link), secondary(_link), primary(_link);
 * - cycleway only with `foot=yes|designated|permissive` (many cities forbid walking on it);
 * - trunk(_link) and motorway(_link) only with explicit foot access (`foot=yes|designated|
 *   permissive`) or a sidewalk tag — in China expressways and 快速路 are closed to walkers
 *   (道路交通安全法 §67), elsewhere trunk roads sometimes are not.
 * Excluded everywhere: `foot=no|use_sidepath`, `access=private|no` without foot access,
 * `area=yes` + `highway=pedestrian` is kept (squares are walkable), anything under
 * construction or proposed (`highway=construction|proposed`).
 *
 * @example
 * isWalkableWay({ highway: 'steps' }); // true
 * isWalkableWay({ highway: 'motorway' }); // false
 */
import type { OsmTags } from './tags';

const FOOT_ONLY = new Set(['footway', 'path', 'steps', 'pedestrian', 'corridor', 'track', 'bridleway']);
const STREETS = new Set([
  'living_street',
  'residential',
  'service',
  'unclassified',
  'road',
  'tertiary',
  'tertiary_link',
  'secondary',
  'secondary_link',
  'primary',
  'primary_link',
]);
const FAST_ROADS = new Set(['trunk', 'trunk_link', 'motorway', 'motorway_link']);
const FOOT_ALLOWED = /^(yes|designated|permissive|destination)$/;

/** Road classes that are walkable unconditionally (documentation and tests). */
export const WALKABLE_HIGHWAYS: readonly string[] = [...FOOT_ONLY, ...STREETS];

/** Whether a way belongs to the walking network (see the module comment). */
export function isWalkableWay(t: OsmTags): boolean {
  const hw = t.highway;
  if (!hw) return false;
  const foot = t.foot;
  if (foot === 'no' || foot === 'use_sidepath') return false;
  const footOk = foot !== undefined && FOOT_ALLOWED.test(foot);
  if ((t.access === 'private' || t.access === 'no') && !footOk) return false;
  if (FOOT_ONLY.has(hw) || STREETS.has(hw)) return true;
  if (hw === 'cycleway') return footOk;
  if (FAST_ROADS.has(hw)) return footOk || hasSidewalk(t);
  return false;
}

function hasSidewalk(t: OsmTags): boolean {
  const v = t.sidewalk ?? t['sidewalk:both'];
  if (v && /^(both|left|right|yes|separate)$/.test(v)) return true;
  return /^yes$/.test(t['sidewalk:left'] ?? '') || /^yes$/.test(t['sidewalk:right'] ?? '');
}

/** Edge attributes kept in `network_edges` columns (the rest go to `tags`). */
export interface EdgeAttributes {
  highway: string;
  name: string | null;
  is_steps: boolean;
  step_count: number | null;
  footway: string | null;
  crossing: string | null;
  sidewalk: string | null;
  lit: string | null;
  incline: string | null;
  surface: string | null;
  oneway_foot: boolean;
  /** `oneway:foot=-1` (or `oneway=-1` on a foot-only way): walkable against the way's direction only. */
  reverse: boolean;
  /** Other tags worth keeping for routing (wheelchair, smoothness, width, ramp:stroller, tactile_paving…). */
  tags: Record<string, string>;
}

const EXTRA_TAGS = [
  'wheelchair',
  'smoothness',
  'width',
  'ramp',
  'ramp:stroller',
  'ramp:wheelchair',
  'handrail',
  'tactile_paving',
  'bridge',
  'tunnel',
  'layer',
  'covered',
  'indoor',
  'level',
  'maxspeed',
  'lanes',
  'crossing:signals',
  'crossing:markings',
  'kerb',
];

/** Column values for one walkable way. */
export function edgeAttributes(t: OsmTags): EdgeAttributes {
  const hw = t.highway ?? 'unknown';
  const footOnly = FOOT_ONLY.has(hw);
  const onewayFoot = t['oneway:foot'] ?? (footOnly ? t.oneway : undefined);
  const stepCount = t.step_count !== undefined && /^\d{1,4}$/.test(t.step_count.trim()) ? Number(t.step_count.trim()) : null;
  let crossing: string | null = null;
  if (t.footway === 'crossing' || t.highway === 'crossing' || t.crossing !== undefined) {
    crossing = t['crossing:signals'] === 'yes' ? 'traffic_signals' : (t.crossing ?? 'unknown');
  }
  const tags: Record<string, string> = {};
  for (const k of EXTRA_TAGS) if (t[k] !== undefined) tags[k] = t[k];
  return {
    highway: hw,
    name: t.name ?? t['name:zh'] ?? null,
    is_steps: hw === 'steps',
    step_count: stepCount,
    footway: t.footway ?? null,
    crossing,
    sidewalk: t.sidewalk ?? t['sidewalk:both'] ?? null,
    lit: t.lit ?? null,
    incline: t.incline ?? null,
    surface: t.surface ?? null,
    oneway_foot: onewayFoot === 'yes' || onewayFoot === '-1' || onewayFoot === 'true' || onewayFoot === '1',
    reverse: onewayFoot === '-1',
    tags,
  };
}

/**
 * A node that is a pedestrian crossing (wiki Tag:highway=crossing, Key:crossing,
 * Key:crossing:signals) or a traffic signal with a crossing. These nodes become network
 * nodes (ways are split there) so routing can price crossing a road.
 */
export function isCrossingNode(t: OsmTags): boolean {
  return t.highway === 'crossing' || (t.highway === 'traffic_signals' && t.crossing !== undefined) || t.railway === 'crossing';
}

const NODE_TAGS = [
  'highway',
  'crossing',
  'crossing:signals',
  'crossing:markings',
  'crossing:island',
  'crossing_ref',
  'kerb',
  'tactile_paving',
  'button_operated',
  'traffic_signals:sound',
  'railway',
];

/** The tags of a crossing node kept in `network_nodes.tags`. */
export function crossingNodeTags(t: OsmTags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of NODE_TAGS) if (t[k] !== undefined) out[k] = t[k];
  return out;
}
