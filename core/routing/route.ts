/**
 * One walking route for one home: the safest reasonable route and the shortest, their facts,
 * and the detour stated in words ("安全路线多走 120 米，避开 2 处无信号灯的主干道过街").
 *
 * 1. Both points join the network at the nearest point of the nearest walkable edge within
 *    `maxAccessM` (500 m, core/coverage/norms.ts); farther → "no walking route"
 *    (`from_far` / `to_far`). The step-free profile moves a point that lands on steps to the
 *    nearer end of the flight.
 * 2. The shortest walk (the profile's reference: plain length, same steps rule). None →
 *    `disconnected` (the points are on islands of the network that no walkable way joins).
 * 3. The safest walk under the rule of ./safety.ts; if it is longer than `detourCap` × the
 *    shortest, length is blended in (`DETOUR_LADDER`) until it fits, else the shortest is
 *    taken. The answer says which (`capped`, `mu`).
 *
 * @example
 * const r = planRoute(g, [106.551, 29.561], [106.556, 29.563], { profile: 'child' });
 * if (r.ok) r.plan.comparison?.text.zh;
 */
import { haversineM } from '../coverage/geo';
import { snapPoints } from '../coverage/graph';
import { createSearchScratch, type SearchScratch } from '../coverage/dijkstra';
import { DEFAULT_WALK_PARAMS } from '../coverage/norms';
import { profileCosts, type RoutingGraph } from './graph';
import { pathFromSearch, pointAt, walkFacts, type RouteFacts, type WalkPath } from './facts';
import { createArcScratch, searchRoute, type ArcScratch, type SearchResult, type Snap } from './search';
import { DEFAULT_DETOUR_CAP, DETOUR_LADDER, PROFILES, referenceProfile, type ProfileId, type ProfileSpec } from './safety';
import { climbText, comparisonText, type Bilingual, type ComparisonNumbers } from './text';

export type LngLat = [number, number];

/** Reusable search space per graph (searches are synchronous, so one set per graph is enough). */
export interface RoutingWorkspace {
  p2p: ArcScratch;
  /** One per ladder level + the shortest tree (school networks). */
  trees: ArcScratch[];
  nodes: SearchScratch;
}

const workspaces = new WeakMap<RoutingGraph, RoutingWorkspace>();

/** The workspace of `g` (created on first use). */
export function workspaceFor(g: RoutingGraph): RoutingWorkspace {
  let w = workspaces.get(g);
  if (!w) {
    w = { p2p: createArcScratch(g), trees: [], nodes: createSearchScratch(g.nodeCount) };
    workspaces.set(g, w);
  }
  return w;
}

/** Tree scratch number i of `g`'s workspace. */
export function treeScratch(g: RoutingGraph, i: number): ArcScratch {
  const w = workspaceFor(g);
  while (w.trees.length <= i) w.trees.push(createArcScratch(g));
  return w.trees[i];
}

export interface SnapOptions {
  maxAccessM?: number;
  /** Never join on steps (step-free profile): a point on steps moves to the nearer end of the flight. */
  noSteps?: boolean;
}

/**
 * Where a point joins the network (null when no walkable edge is within `maxAccessM`).
 * @example snapPoint(g, 106.55, 29.56, { maxAccessM: 500 });
 */
export function snapPoint(g: RoutingGraph, lng: number, lat: number, o: SnapOptions = {}): Snap | null {
  const maxM = o.maxAccessM ?? DEFAULT_WALK_PARAMS.maxAccessM;
  if (g.edgeCount === 0) return null;
  const s = snapPoints(g.walk, [lng], [lat], maxM);
  const k = s.edge[0];
  if (k < 0) return null;
  if (o.noSteps && g.walk.edgeIsSteps[k]) {
    const ends = [g.walk.edgeFrom[k], g.walk.edgeTo[k]]
      .map((v) => ({ v, d: haversineM(lng, lat, g.walk.nodeLng[v], g.walk.nodeLat[v]) }))
      .sort((a, b) => a.d - b.d);
    for (const { v, d } of ends) {
      if (d > maxM) continue;
      const { incOffsets, incEdges } = g.walk;
      for (let q = incOffsets[v]; q < incOffsets[v + 1]; q++) {
        const k2 = incEdges[q];
        if (g.walk.edgeIsSteps[k2]) continue;
        return {
          edge: k2,
          t: g.walk.edgeFrom[k2] === v ? 0 : 1,
          legM: d,
          lng: g.walk.nodeLng[v],
          lat: g.walk.nodeLat[v],
          inputLng: lng,
          inputLat: lat,
        };
      }
    }
    return null;
  }
  const [plng, plat] = pointAt(g, k, s.t[0]);
  return { edge: k, t: s.t[0], legM: s.legM[0], lng: plng, lat: plat, inputLng: lng, inputLat: lat };
}

/** Polygon rings (`[lng, lat]` vertices), e.g. a school's grounds. */
export type Outline = readonly (readonly (readonly number[])[])[];

/**
 * Where a campus joins the network: the point of its outline nearest to a walkable edge (its
 * gate, as far as the map can tell), or the point `at` when there is no outline or the point
 * is nearer. Outline edges are sampled every `stepM` metres (default 10).
 * @example snapSchool(g, [lng, lat], footprint.coordinates);
 */
export function snapSchool(g: RoutingGraph, at: LngLat, outline: Outline | null, o: SnapOptions & { stepM?: number } = {}): Snap | null {
  let best = snapPoint(g, at[0], at[1], o);
  if (!outline?.length) return best;
  const step = o.stepM ?? 10;
  const lng: number[] = [],
    lat: number[] = [];
  for (const ring of outline) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i],
        b = ring[(i + 1) % ring.length];
      const n = Math.max(1, Math.ceil(haversineM(a[0], a[1], b[0], b[1]) / step));
      for (let q = 0; q < n; q++) {
        lng.push(a[0] + ((b[0] - a[0]) * q) / n);
        lat.push(a[1] + ((b[1] - a[1]) * q) / n);
        if (lng.length > 20_000) break;
      }
    }
  }
  const s = snapPoints(g.walk, lng, lat, o.maxAccessM ?? DEFAULT_WALK_PARAMS.maxAccessM);
  let bi = -1;
  for (let i = 0; i < s.count; i++) if (s.edge[i] >= 0 && (bi < 0 || s.legM[i] < s.legM[bi])) bi = i;
  if (bi < 0 || (best && best.legM <= s.legM[bi])) return best;
  const gate = snapPoint(g, lng[bi], lat[bi], o);
  if (gate) best = gate;
  return best;
}

export interface RouteOptions {
  /** The destination's outline (a school's grounds): the route ends at its nearest gate. */
  toOutline?: Outline | null;
  profile?: ProfileId;
  detourCap?: number;
  maxAccessM?: number;
  walkSpeedMps?: number;
  /** Longest straight distance between the two points, metres (default 10 km: beyond it nobody walks to school). */
  maxDistanceM?: number;
  /** Plain Dijkstra instead of A* (benchmarks). */
  astar?: boolean;
}

export const DEFAULT_MAX_ROUTE_DISTANCE_M = 10_000;

export type NoRouteReason = 'no_network' | 'from_far' | 'to_far' | 'disconnected' | 'too_far_apart';

export interface NoRoute {
  ok: false;
  reason: NoRouteReason;
  field: 'from' | 'to' | null;
  message: Bilingual;
}

export interface PlannedRoute extends RouteFacts {
  /** Blending weight used (0 = the pure safest route; null for the shortest). */
  mu: number | null;
}

export interface Comparison extends ComparisonNumbers {
  /** Safest length / shortest length. */
  ratio: number;
  text: Bilingual;
}

export interface RoutePlan {
  profile: ProfileId;
  parameters: { walkSpeedMps: number; detourCap: number; maxAccessM: number; stepFactor: number | null; ladder: readonly number[] };
  /**
   * Where each point joined the network: the snapped point, the straight distance to it and
   * the street's name and class (points join only the main network, never a small island:
   * core/coverage/graph.ts `snapPoints`).
   */
  from: SnapReport;
  to: SnapReport;
  /** Whether slope (elevation) priced any edge of the route; the climb is in `route.climb`. */
  slopeUsed: boolean;
  /** The route's climb in words (null without elevation). */
  climbText: Bilingual | null;
  /** The route of the profile (for `child`/`step_free`: the safest reasonable route). */
  route: PlannedRoute;
  /** The shortest walk (same steps rule), when the profile is not `shortest`. */
  shortest: PlannedRoute | null;
  comparison: Comparison | null;
  /** Search statistics: arcs settled, milliseconds. */
  stats: { pops: number; ms: number };
}

export type RouteAnswer = { ok: true; plan: RoutePlan } | NoRoute;

export interface SnapReport {
  input: LngLat;
  snapped: LngLat;
  accessM: number;
  /** The same straight distance, as `distance_m` in snapping answers. */
  distanceM: number;
  edgeName: string | null;
  highway: string;
}

function snapReport(g: RoutingGraph, input: LngLat, s: Snap): SnapReport {
  const d = Math.round(s.legM * 10) / 10;
  return { input, snapped: [s.lng, s.lat], accessM: d, distanceM: d, edgeName: g.edgeName[s.edge], highway: g.edgeHighway[s.edge] };
}

const noRoute = (reason: NoRouteReason, field: 'from' | 'to' | null, zh: string, en: string): NoRoute => ({
  ok: false,
  reason,
  field,
  message: { zh, en },
});

interface Found {
  result: SearchResult;
  path: WalkPath;
}

function find(g: RoutingGraph, spec: ProfileSpec, mu: number, src: Snap, dst: Snap, s: ArcScratch, astar: boolean): Found | null {
  const r = searchRoute(g, profileCosts(g, spec), mu, src, dst, s, { astar });
  return r ? { result: r, path: pathFromSearch(g, s, r, src, dst) } : null;
}

/** Whether slope priced any edge the walk uses (elevation there, and slope on in the graph). */
const slopeOnPath = (g: RoutingGraph, p: WalkPath) =>
  g.walk.slopeUsed &&
  g.walk.edgeHasElevation !== null &&
  p.pieces.some((pc) => g.walk.edgeHasElevation![pc.edge] === 1 && !g.walk.edgeIsSteps[pc.edge]);

const pathLength = (g: RoutingGraph, p: WalkPath) =>
  p.pieces.reduce((sum, pc) => sum + Math.abs(pc.f1 - pc.f0) * g.walk.edgeLengthM[pc.edge], 0);

/**
 * The route between two points for a profile, or why there is none.
 * @example planRoute(g, home, school, { profile: 'child' });
 */
export function planRoute(g: RoutingGraph, from: LngLat, to: LngLat, o: RouteOptions = {}): RouteAnswer {
  const t0 = performance.now();
  const profile = o.profile ?? 'child';
  const spec = PROFILES[profile];
  const cap = o.detourCap ?? DEFAULT_DETOUR_CAP;
  const maxAccessM = o.maxAccessM ?? DEFAULT_WALK_PARAMS.maxAccessM;
  const speed = o.walkSpeedMps ?? DEFAULT_WALK_PARAMS.walkSpeedMps;
  const astar = o.astar ?? true;
  if (g.edgeCount === 0)
    return noRoute('no_network', null, '尚未导入步行路网，无法规划路线。', 'No walking network has been imported yet.');
  const apart = haversineM(from[0], from[1], to[0], to[1]);
  const maxApart = o.maxDistanceM ?? DEFAULT_MAX_ROUTE_DISTANCE_M;
  if (apart > maxApart) {
    return noRoute(
      'too_far_apart',
      'to',
      `两点直线相距 ${Math.round(apart / 100) / 10} 公里，超过步行上学的上限 ${maxApart / 1000} 公里。`,
      `The points are ${Math.round(apart / 100) / 10} km apart, more than the ${maxApart / 1000} km limit for a walk to school.`,
    );
  }
  const snapO = { maxAccessM, noSteps: spec.stepFactor === Infinity };
  const src = snapPoint(g, from[0], from[1], snapO);
  if (!src)
    return noRoute(
      'from_far',
      'from',
      `起点 ${maxAccessM} 米内没有可步行的道路。`,
      `There is no walkable street within ${maxAccessM} m of the start.`,
    );
  const dst = o.toOutline ? snapSchool(g, to, o.toOutline, snapO) : snapPoint(g, to[0], to[1], snapO);
  if (!dst)
    return noRoute(
      'to_far',
      'to',
      `终点 ${maxAccessM} 米内没有可步行的道路。`,
      `There is no walkable street within ${maxAccessM} m of the destination.`,
    );

  const ws = workspaceFor(g);
  // time and cost always at a child's pace and by the child rule, whichever route the profile picked
  const factOpts = { walkSpeedMps: speed };
  const short = find(g, referenceProfile(spec), 0, src, dst, ws.p2p, astar);
  let pops = ws.p2p.pops;
  if (!short) {
    return noRoute(
      'disconnected',
      null,
      '两点之间没有相连的步行道路（位于互不相通的路网上）。',
      'No walking route joins the two points: they are on parts of the network that no walkable way connects.',
    );
  }
  const shortLen = pathLength(g, short.path);
  const shortest: PlannedRoute = { ...walkFacts(g, short.path, factOpts), mu: null };
  const ends = { from: snapReport(g, from, src), to: snapReport(g, to, dst) };
  const parameters = {
    walkSpeedMps: speed,
    detourCap: cap,
    maxAccessM,
    stepFactor: spec.stepFactor === Infinity ? null : spec.stepFactor,
    ladder: DETOUR_LADDER,
  };
  /** The answer walking `route` (along `path`), with the shortest and the comparison when it is the safest. */
  const answer = (route: PlannedRoute, path: Found['path'], vsShortest: Pick<RoutePlan, 'shortest' | 'comparison'>): RouteAnswer => {
    const used = slopeOnPath(g, path);
    return {
      ok: true,
      plan: {
        profile,
        parameters,
        ...ends,
        slopeUsed: used,
        climbText: climbText(route.climb, used),
        route,
        ...vsShortest,
        stats: { pops, ms: performance.now() - t0 },
      },
    };
  };
  if (!spec.safety) return answer(shortest, short.path, { shortest: null, comparison: null });

  let chosen: Found | null = null;
  let mu: number | null = null;
  let uncappedLen: number | null = null;
  for (const m of DETOUR_LADDER) {
    const f = find(g, spec, m, src, dst, ws.p2p, astar);
    pops += ws.p2p.pops;
    if (!f) break;
    const len = pathLength(g, f.path);
    if (m === 0 && len > cap * shortLen + 1e-6) uncappedLen = len + src.legM + dst.legM;
    if (len <= cap * shortLen + 1e-6) {
      chosen = f;
      mu = m;
      break;
    }
  }
  const route: PlannedRoute = chosen ? { ...walkFacts(g, chosen.path, factOpts), mu } : { ...shortest, mu: null };
  return answer(route, (chosen ?? short).path, { shortest, comparison: compare(route, shortest, uncappedLen, cap) });
}

function sameLine(a: RouteFacts, b: RouteFacts): boolean {
  const ca = a.geometry.coordinates,
    cb = b.geometry.coordinates;
  return ca.length === cb.length && ca.every((c, i) => c[0] === cb[i][0] && c[1] === cb[i][1]);
}

/** Safest against shortest, with the detour in words. */
export function compare(safest: RouteFacts, shortest: RouteFacts, uncappedLengthM: number | null, cap: number): Comparison {
  const unsig = (f: RouteFacts) => f.crossings.total - f.crossings.signals;
  const extraM = Math.max(0, Math.round(safest.lengthM - shortest.lengthM));
  const c: Omit<Comparison, 'text'> = {
    extraM,
    extraMinutes: Math.round(((safest.walkSeconds - shortest.walkSeconds) / 60) * 10) / 10,
    ratio: shortest.lengthM > 0 ? Math.round((safest.lengthM / shortest.lengthM) * 1000) / 1000 : 1,
    sameRoute: sameLine(safest, shortest),
    capped: uncappedLengthM !== null,
    uncappedLengthM: uncappedLengthM === null ? null : Math.round(uncappedLengthM),
    avoided: {
      majorUnsignalised: shortest.crossings.majorUnsignalised - safest.crossings.majorUnsignalised,
      unsignalisedCrossings: unsig(shortest) - unsig(safest),
      stepFlights: shortest.steps.flights - safest.steps.flights,
      alongMajorRoadM: Math.round(shortest.alongMajorRoadM - safest.alongMajorRoadM),
      noSidewalkM: Math.round(shortest.noSidewalkM - safest.noSidewalkM),
      costM: Math.round(shortest.costM - safest.costM),
    },
  };
  return { ...c, text: comparisonText(c, cap) };
}
