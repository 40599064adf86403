/**
 * The route network of one school: which street segments and crossings carry how many
 * children on their way to it, how safe each is, and the most-used unsafe ones — the
 * candidates for 爱心斑马线, guarded crossings (护学岗) and new walkways (plan §十九).
 *
 * **Homes** are either population cells (their centroids, weighted by the cells' child
 * group: `children_6_11` for primary, `children_12_14` for middle schools) or, when there
 * are no cells, {@link streetOrigins}: points every `spacingM` along the streets within the
 * school's radius, the children of the disk (`childrenPerKm2` × π r²) spread over them in
 * proportion to street length — homes line streets (the street-density idea of
 * core/coverage/dasymetric.ts).
 *
 * **Catchment**: a home belongs to the school when its shortest walk (straight legs
 * included) is within the school's norm radius (GB 50180-2018: 500 m primary, 1000 m
 * middle; core/coverage/norms.ts) and no other school of the same kind is nearer on foot —
 * 就近入学, enrolment by nearness (《中华人民共和国义务教育法》第十二条).
 *
 * **Routes**: one reverse search per ladder level from the school (./search.ts
 * `reverseTree`) answers every home at once. Each home takes the first level whose route is
 * within `detourCap` × its shortest walk (the same ladder as a single route, so a home gets
 * the same route from `/api/route`), else the shortest.
 *
 * @example
 * const origins = streetOrigins(g, school, 500, { childrenPerKm2: 1150 });
 * const net = schoolRouteNetwork(g, school, origins, { radiusM: 500 });
 * net.ok && net.network.topUnsafe;
 */
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { snapPoints } from '../coverage/graph';
import { boundedSearch, facilitySeeds } from '../coverage/dijkstra';
import { haversineM, projectX, projectY } from '../coverage/geo';
import { DEFAULT_WALK_PARAMS } from '../coverage/norms';
import { forEachRayCrossed, profileCosts, rayEdge, type RoutingGraph } from './graph';
import { cheapestMoves, edgeSlice, isListedCrossing, pathFromTree, pointAt, rayCrossing, type CrossingFact } from './facts';
import { reverseTree, treeStart, type ArcScratch, type Snap, type TreeStart } from './search';
import { snapSchool, treeScratch, workspaceFor, type LngLat, type Outline } from './route';
import {
  CONTROL,
  DEFAULT_DETOUR_CAP,
  DETOUR_LADDER,
  PROFILES,
  ROAD_CLASS_IDS,
  SIDEWALK,
  crossingGrade,
  crossingReasons,
  edgeGrade,
  edgeReasons,
  isMajorRoad,
  isUnsafe,
  referenceProfile,
  type Grade,
  type ReasonId,
  type RoadClassId,
} from './safety';
import { r1 } from '../round';

/** Homes joined to the network (null = no walkable street within reach), with their children. */
export interface Origins {
  snaps: (Snap | null)[];
  weight: Float64Array;
}

/**
 * Homes at points (population-cell centroids), joined to the nearest walkable edge.
 * @example pointOrigins(g, cells.lng, cells.lat, cells.children_6_11);
 */
export function pointOrigins(
  g: RoutingGraph,
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weight: ArrayLike<number>,
  maxAccessM = DEFAULT_WALK_PARAMS.maxAccessM,
): Origins {
  const s = snapPoints(g.walk, lng, lat, maxAccessM);
  const snaps: (Snap | null)[] = [];
  for (let i = 0; i < s.count; i++) {
    const k = s.edge[i];
    if (k < 0) {
      snaps.push(null);
      continue;
    }
    const [plng, plat] = pointAt(g, k, s.t[i]);
    snaps.push({ edge: k, t: s.t[i], legM: s.legM[i], lng: plng, lat: plat, inputLng: lng[i], inputLat: lat[i] });
  }
  return { snaps, weight: Float64Array.from(weight) };
}

export interface StreetOriginOptions {
  /** Distance between origin points along a street, metres. Default 50. */
  spacingM?: number;
  /** Children (of the school's age group) per km² to spread over the streets of the disk. */
  childrenPerKm2: number;
}

/**
 * Homes along the streets within `radiusM` (straight line) of `centre`: a point every
 * `spacingM` on every walkable edge except steps, crossing ways and carriageways whose
 * sidewalks are separate ways (`sidewalk=separate`: the homes are on those), each carrying an
 * equal share of `childrenPerKm2 × π r²`.
 */
export function streetOrigins(
  g: RoutingGraph,
  centre: LngLat,
  radiusM: number,
  o: StreetOriginOptions,
): Origins & { streetLengthM: number } {
  const spacing = o.spacingM ?? 50;
  const p = g.walk.projection;
  const cx = projectX(p, centre[0]),
    cy = projectY(p, centre[1]);
  const edges = edgesNear(g, cx, cy, radiusM * 1.01 + spacing);
  const snaps: Snap[] = [];
  for (const k of edges) {
    // not on stairs or crossings, nor on a carriageway whose sidewalks are mapped as their own ways (homes are on those)
    if (g.walk.edgeIsSteps[k] || g.edgeCrossing[k] || g.edgeSidewalk[k] === SIDEWALK.SEPARATE) continue;
    const L = g.walk.edgeLengthM[k];
    const n = Math.max(1, Math.round(L / spacing));
    for (let q = 0; q < n; q++) {
      const t = (q + 0.5) / n;
      const [lng, lat] = pointAt(g, k, t);
      if (haversineM(centre[0], centre[1], lng, lat) > radiusM) continue;
      snaps.push({ edge: k, t, legM: 0, lng, lat, inputLng: lng, inputLat: lat });
    }
  }
  const total = (o.childrenPerKm2 * Math.PI * radiusM * radiusM) / 1e6;
  const each = snaps.length ? total / snaps.length : 0;
  return { snaps, weight: new Float64Array(snaps.length).fill(each), streetLengthM: snaps.length * spacing };
}

/** Graph edges with a straight piece within `r` metres (projected) of (x, y), via the snapping buckets. */
function edgesNear(g: RoutingGraph, x: number, y: number, r: number): number[] {
  const B = g.walk.buckets;
  if (B.cols === 0) return [];
  const c0 = Math.max(0, Math.floor((x - r - B.originX) / B.sizeM)),
    c1 = Math.min(B.cols - 1, Math.floor((x + r - B.originX) / B.sizeM));
  const r0 = Math.max(0, Math.floor((y - r - B.originY) / B.sizeM)),
    r1 = Math.min(B.rows - 1, Math.floor((y + r - B.originY) / B.sizeM));
  const seen = new Set<number>();
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) {
      const b = row * B.cols + col;
      for (let q = B.offsets[b]; q < B.offsets[b + 1]; q++) seen.add(g.walk.pieceEdge[B.items[q]]);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

export interface SchoolNetworkOptions {
  /** The school's norm radius, metres of walking. */
  radiusM: number;
  detourCap?: number;
  /** Other schools of the same kind (for 就近入学). */
  competitors?: { lng: ArrayLike<number>; lat: ArrayLike<number> };
  maxAccessM?: number;
  /** How many unsafe segments to list. Default 5. */
  top?: number;
  /** The school's grounds: homes walk to its nearest gate (./route.ts snapSchool). */
  outline?: Outline | null;
}

export interface NetworkSegmentProps {
  edgeId: number;
  children: number;
  lengthM: number;
  name: string | null;
  highway: string;
  roadClass: RoadClassId;
  factor: number;
  /** 100 / factor. */
  score: number;
  grade: Grade;
  reasons: ReasonId[];
  /** (factor − 1) × length, m-eq: what walking it costs beyond a safe walkway. */
  riskM: number;
}

export interface NetworkCrossingProps extends Omit<CrossingFact, 'coordinates'> {
  children: number;
}

export interface UnsafeItem {
  rank: number;
  kind: 'segment' | 'crossing';
  children: number;
  /** Edge id (segments) or node id (crossings, null for a crossing way priced on its own). */
  id: number | null;
  name: string | null;
  roadClass: RoadClassId;
  grade: Grade;
  reasons: ReasonId[];
  /** Segment risk or crossing penalty, m-eq; and children × that. */
  riskM: number;
  exposure: number;
  lengthM: number | null;
  control: string | null;
  coordinates: [number, number];
}

export interface SchoolNetwork {
  /** The school's point, its gate (nearest outline point to the network, or the point), and where that joins the network. */
  school: { input: LngLat; gate: LngLat; snapped: LngLat; accessM: number };
  parameters: { radiusM: number; detourCap: number; maxAccessM: number; ladder: readonly number[] };
  summary: {
    /** Children by what happened to their homes. */
    children: { total: number; inCatchment: number; beyondRadius: number; nearerOtherSchool: number; noNetworkAccess: number };
    origins: { total: number; inCatchment: number };
    /** Child-weighted means over the catchment. */
    meanLengthM: number | null;
    meanSafetyScore: number | null;
    /** Children whose safe route differs from their shortest / whose pure safest route broke the cap. */
    detouredChildren: number;
    cappedChildren: number;
    childrenCrossingMajorUnsignalised: number;
    childrenUsingSteps: number;
  };
  segments: FeatureCollection<LineString, NetworkSegmentProps>;
  crossings: FeatureCollection<Point, NetworkCrossingProps>;
  topUnsafe: UnsafeItem[];
  stats: { ms: number; pops: number; trees: number };
}

export type SchoolNetworkAnswer = { ok: true; network: SchoolNetwork } | { ok: false; reason: 'no_network' | 'school_far' };

/**
 * The route network of a school from its homes (see the module comment).
 * @example schoolRouteNetwork(g, [106.55, 29.56], origins, { radiusM: 500 });
 */
export function schoolRouteNetwork(g: RoutingGraph, school: LngLat, origins: Origins, o: SchoolNetworkOptions): SchoolNetworkAnswer {
  const t0 = performance.now();
  const cap = o.detourCap ?? DEFAULT_DETOUR_CAP;
  const maxAccessM = o.maxAccessM ?? DEFAULT_WALK_PARAMS.maxAccessM;
  const radius = o.radiusM;
  if (g.edgeCount === 0) return { ok: false, reason: 'no_network' };
  const dst = snapSchool(g, school, o.outline ?? null, { maxAccessM });
  if (!dst) return { ok: false, reason: 'school_far' };

  const shortCosts = profileCosts(g, referenceProfile(PROFILES.child));
  const childCosts = profileCosts(g, PROFILES.child);
  const shortTree = treeScratch(g, 0);
  reverseTree(g, shortCosts, 0, dst, shortTree, radius);
  let pops = shortTree.pops;
  let trees = 1;

  // 就近入学: distance to the nearest other school of the kind, per node (lengths, bounded by the radius)
  let compDist: Float64Array | null = null;
  if (o.competitors?.lng.length) {
    const ws = workspaceFor(g);
    const snaps = snapPoints(g.walk, o.competitors.lng, o.competitors.lat, maxAccessM);
    boundedSearch(g.walk, facilitySeeds(g.walk, snaps), radius, ws.nodes);
    compDist = ws.nodes.dist;
  }
  const competitorM = (s: Snap): number => {
    if (!compDist) return Infinity;
    const k = s.edge,
      L = g.walk.edgeLengthM[k];
    let d = (1 - s.t) * L + compDist[g.walk.edgeTo[k]];
    if (!g.walk.edgeOneway[k]) d = Math.min(d, s.t * L + compDist[g.walk.edgeFrom[k]]);
    return d + s.legM;
  };

  const ladder: { mu: number; scratch: ArcScratch | null }[] = DETOUR_LADDER.map((mu) => ({ mu, scratch: null }));
  const levelTree = (i: number): ArcScratch => {
    const L = ladder[i];
    if (!L.scratch) {
      L.scratch = treeScratch(g, 1 + i);
      reverseTree(g, childCosts, L.mu, dst, L.scratch, cap * radius);
      pops += L.scratch.pops;
      trees++;
    }
    return L.scratch;
  };

  const edgeFlow = new Map<number, number>();
  const crossFlow = new Map<number, { w: number; node: number }>();
  const wayCrossFlow = new Map<number, number>();
  const sum = {
    total: 0,
    inCatchment: 0,
    beyond: 0,
    nearer: 0,
    noAccess: 0,
    originsIn: 0,
    len: 0,
    cost: 0,
    detoured: 0,
    capped: 0,
    major: 0,
    steps: 0,
  };

  for (let i = 0; i < origins.snaps.length; i++) {
    const s = origins.snaps[i];
    const w = origins.weight[i];
    sum.total += w;
    if (!s) {
      sum.noAccess += w;
      continue;
    }
    const st = treeStart(g, shortCosts, 0, shortTree, s, dst);
    const shortLen = st ? st.lengthM + s.legM + dst.legM : Infinity;
    if (!st || shortLen > radius) {
      sum.beyond += w;
      continue;
    }
    if (competitorM(s) < shortLen - 0.5) {
      sum.nearer += w;
      continue;
    }
    sum.inCatchment += w;
    sum.originsIn++;
    let chosen: { start: TreeStart; tree: ArcScratch; mu: number } | null = null;
    for (let l = 0; l < ladder.length; l++) {
      const tree = levelTree(l);
      const cs = treeStart(g, childCosts, ladder[l].mu, tree, s, dst);
      if (cs && cs.lengthM + s.legM + dst.legM <= cap * shortLen + 1e-6) {
        chosen = { start: cs, tree, mu: ladder[l].mu };
        break;
      }
      if (l === 0) sum.capped += w;
    }
    if (!chosen) chosen = { start: st, tree: shortTree, mu: Infinity };
    const walked = follow(g, chosen.tree, chosen.start, s, dst, w, childCosts.walkCost, edgeFlow, crossFlow, wayCrossFlow);
    const len = chosen.start.lengthM + s.legM + dst.legM;
    sum.len += w * len;
    sum.cost += w * (walked.cost + s.legM + dst.legM);
    if (len > shortLen + 1) sum.detoured += w;
    if (walked.majorUnsignalised) sum.major += w;
    if (walked.steps) sum.steps += w;
  }

  // describe
  const segFeatures: Feature<LineString, NetworkSegmentProps>[] = [];
  for (const [k, w] of edgeFlow) {
    const steps = g.walk.edgeIsSteps[k] === 1;
    const factor = g.edgeFactor[k];
    const len = g.walk.edgeLengthM[k];
    segFeatures.push({
      type: 'Feature',
      id: g.edgeId[k],
      properties: {
        edgeId: g.edgeId[k],
        children: r1(w),
        lengthM: r1(len),
        name: g.edgeName[k],
        highway: g.edgeHighway[k],
        roadClass: ROAD_CLASS_IDS[g.edgeClass[k]],
        factor,
        score: Math.round(100 / factor),
        grade: edgeGrade(factor, steps),
        reasons: edgeReasons({ cls: g.edgeClass[k], sidewalk: g.edgeSidewalk[k], lit: g.edgeLit[k], isSteps: steps }),
        riskM: r1((factor - 1) * len),
      },
      geometry: {
        type: 'LineString',
        coordinates: edgeSlice(g, k, 0, 1).map(([x, y]) => [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7]),
      },
    });
  }
  segFeatures.sort((a, b) => b.properties.children - a.properties.children || a.properties.edgeId - b.properties.edgeId);
  const crossFeatures: Feature<Point, NetworkCrossingProps>[] = [];
  // one item per node and road: children crossing either arm of a street at a junction cross the same street
  const merged = new Map<string, Feature<Point, NetworkCrossingProps>>();
  for (const [ray, c] of crossFlow) {
    if (!isListedCrossing(g.edgeClass[rayEdge(g, c.node, ray)])) continue;
    const { coordinates, ...rest } = rayCrossing(g, c.node, ray);
    const key = `${c.node}|${rest.roadClass}|${rest.roadName ?? ''}`;
    const m = merged.get(key);
    if (m) m.properties.children = r1(m.properties.children + c.w);
    else
      merged.set(key, {
        type: 'Feature',
        properties: { ...rest, node: g.nodeRef[c.node], children: r1(c.w) },
        geometry: { type: 'Point', coordinates },
      });
  }
  crossFeatures.push(...merged.values());
  for (const [k, w] of wayCrossFlow) {
    const control = g.edgeCrossCode[k] & 7;
    const mid = pointAt(g, k, 0.5);
    const penaltyM = g.edgeCrossPenalty[k];
    crossFeatures.push({
      type: 'Feature',
      properties: {
        node: -1,
        roadClass: 'unknown',
        roadName: null,
        control: (['none', 'signals', 'marked', 'unmarked', 'unknown'] as const)[control],
        mapped: true,
        island: false,
        penaltyM: r1(penaltyM),
        grade: crossingGrade(penaltyM),
        reasons: crossingReasons(8, control),
        children: r1(w),
      },
      geometry: { type: 'Point', coordinates: [Math.round(mid[0] * 1e7) / 1e7, Math.round(mid[1] * 1e7) / 1e7] },
    });
  }
  crossFeatures.sort((a, b) => b.properties.children - a.properties.children);

  const unsafe: Omit<UnsafeItem, 'rank'>[] = [];
  for (const f of segFeatures) {
    const p = f.properties;
    if (!isUnsafe(p.grade) || p.children <= 0) continue;
    const cs = f.geometry.coordinates;
    const mid = cs[Math.floor(cs.length / 2)];
    unsafe.push({
      kind: 'segment',
      children: p.children,
      id: p.edgeId,
      name: p.name,
      roadClass: p.roadClass,
      grade: p.grade,
      reasons: p.reasons,
      riskM: p.riskM,
      exposure: Math.round(p.children * p.riskM),
      lengthM: p.lengthM,
      control: null,
      coordinates: [mid[0], mid[1]],
    });
  }
  for (const f of crossFeatures) {
    const p = f.properties;
    if (!isUnsafe(p.grade) || p.children <= 0) continue;
    unsafe.push({
      kind: 'crossing',
      children: p.children,
      id: p.node >= 0 ? p.node : null,
      name: p.roadName,
      roadClass: p.roadClass,
      grade: p.grade,
      reasons: p.reasons,
      riskM: p.penaltyM,
      exposure: Math.round(p.children * p.penaltyM),
      lengthM: null,
      control: p.control,
      coordinates: f.geometry.coordinates as [number, number],
    });
  }
  unsafe.sort((a, b) => b.children - a.children || b.riskM - a.riskM);
  const topUnsafe = unsafe.slice(0, o.top ?? 5).map((u, i) => ({ rank: i + 1, ...u }));

  return {
    ok: true,
    network: {
      school: { input: school, gate: [dst.inputLng, dst.inputLat], snapped: [dst.lng, dst.lat], accessM: r1(dst.legM) },
      parameters: { radiusM: radius, detourCap: cap, maxAccessM, ladder: DETOUR_LADDER },
      summary: {
        children: {
          total: r1(sum.total),
          inCatchment: r1(sum.inCatchment),
          beyondRadius: r1(sum.beyond),
          nearerOtherSchool: r1(sum.nearer),
          noNetworkAccess: r1(sum.noAccess),
        },
        origins: { total: origins.snaps.length, inCatchment: sum.originsIn },
        meanLengthM: sum.inCatchment > 0 ? Math.round(sum.len / sum.inCatchment) : null,
        meanSafetyScore: sum.cost > 0 ? Math.round((100 * sum.len) / sum.cost) : null,
        detouredChildren: r1(sum.detoured),
        cappedChildren: r1(sum.capped),
        childrenCrossingMajorUnsignalised: r1(sum.major),
        childrenUsingSteps: r1(sum.steps),
      },
      segments: { type: 'FeatureCollection', features: segFeatures },
      crossings: { type: 'FeatureCollection', features: crossFeatures },
      topUnsafe,
      stats: { ms: Math.round((performance.now() - t0) * 10) / 10, pops, trees },
    },
  };
}

/** Walks one home's route along a tree, adding its children to edges and crossings; returns its child-rule cost. */
function follow(
  g: RoutingGraph,
  tree: ArcScratch,
  start: TreeStart,
  o: Snap,
  dst: Snap,
  w: number,
  /** Per arc (2k forwards, 2k + 1 backwards). */
  childWalkCost: Float64Array,
  edgeFlow: Map<number, number>,
  crossFlow: Map<number, { w: number; node: number }>,
  wayCrossFlow: Map<number, number>,
): { cost: number; majorUnsignalised: boolean; steps: boolean } {
  const path = pathFromTree(g, tree, start, o, dst);
  let cost = 0;
  let major = false;
  let steps = false;
  for (const pc of path.pieces) {
    const k = pc.edge;
    const frac = Math.abs(pc.f1 - pc.f0);
    edgeFlow.set(k, (edgeFlow.get(k) ?? 0) + w);
    cost += frac * childWalkCost[pc.f1 >= pc.f0 ? 2 * k : 2 * k + 1];
    if (g.walk.edgeIsSteps[k]) steps = true;
    if (frac >= 1 - 1e-9 && g.edgeCrossCode[k]) {
      wayCrossFlow.set(k, (wayCrossFlow.get(k) ?? 0) + w);
      cost += g.edgeCrossPenalty[k];
    }
  }
  for (const mv of cheapestMoves(g, path.arcs)) {
    forEachRayCrossed(g, mv.node, mv.from, mv.to, (ray) => {
      cost += g.rayPenalty[ray];
      if (isMajorRoad(g.edgeClass[rayEdge(g, mv.node, ray)]) && g.nodeCtl[mv.node] !== CONTROL.SIGNALS) major = true;
      const c = crossFlow.get(ray);
      if (c) c.w += w;
      else crossFlow.set(ray, { w, node: mv.node });
    });
  }
  return { cost, majorUnsignalised: major, steps };
}
