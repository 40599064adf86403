/**
 * From a found walk (pieces of edges, and the street corners it moves between at nodes) to what a parent reads:
 * length, time at a child's pace, crossings by type, steps, stretches without sidewalk or
 * lighting (where tagged), the safety cost and score, and the line to draw.
 *
 * Time: `(length + steps' length × (stepFactor − 1)) / walkSpeedMps`, with the child
 * defaults of core/coverage/norms.ts — 1.0 m/s (GB 50180-2018 pairs 5/10/15 minutes with
 * 300/500/800–1000 m, ≈ 1 m/s) and stairs at half speed (Weidmann 1993, ×2). Waiting at
 * lights is not added. The straight legs from the home to the street and from the street to
 * the school gate are included in length and time (`accessM`).
 *
 * @example
 * const facts = walkFacts(g, pathFromSearch(g, scratch, result, from, to));
 * facts.crossings.majorUnsignalised; // crossings of primary/secondary roads without lights
 */
import type { LineString } from 'geojson';
import { DEFAULT_WALK_PARAMS } from '../coverage/norms';
import { arcHead, arriveSector, forEachRayCrossed, isCarriageway, leaveSector, rayEdge, sectorCostAt, type RoutingGraph } from './graph';
import type { ArcScratch, SearchResult, Snap, TreeStart } from './search';
import { pathArcs } from './search';
import {
  CONTROL_IDS,
  PROFILES,
  ROAD,
  ROAD_CLASS_IDS,
  SIDEWALK,
  LIT,
  crossingGrade,
  crossingReasons,
  edgeGrade,
  edgeReasons,
  isMajorRoad,
  type ControlId,
  type Grade,
  type ReasonId,
  type RoadClassId,
} from './safety';

/** Part of edge `edge` walked from fraction f0 to f1 (fractions from its from-node; f0 > f1 = backwards). */
export interface Piece {
  edge: number;
  f0: number;
  f1: number;
}

export interface WalkPath {
  src: Snap;
  dst: Snap;
  pieces: Piece[];
  /** The arc of each piece (its direction); empty when the walk stays on one edge. */
  arcs: number[];
}

const fullPiece = (a: number): Piece => ({ edge: a >> 1, f0: a & 1 ? 1 : 0, f1: a & 1 ? 0 : 1 });

/** The walk a point-to-point search found. */
export function pathFromSearch(_g: RoutingGraph, s: ArcScratch, r: SearchResult, src: Snap, dst: Snap): WalkPath {
  if (r.mode === 'same') return { src, dst, pieces: [{ edge: src.edge, f0: src.t, f1: dst.t }], arcs: [] };
  return assemble(src, dst, pathArcs(s, r), r.mode === 'from' ? 2 * dst.edge : 2 * dst.edge + 1);
}

/** The walk from `o` along a reverse tree (./search.ts reverseTree) to its target. */
export function pathFromTree(_g: RoutingGraph, s: ArcScratch, start: TreeStart, o: Snap, dst: Snap): WalkPath {
  if (start.state < 0) return { src: o, dst, pieces: [{ edge: o.edge, f0: o.t, f1: dst.t }], arcs: [] };
  const arcs: number[] = [];
  let x = start.state;
  for (;;) {
    arcs.push(x >> 1);
    const nx = s.link[x];
    if (nx < 0) return assemble(o, dst, arcs, nx === -2 ? 2 * dst.edge : 2 * dst.edge + 1);
    x = nx;
  }
}

/** Pieces of: the start arc (partial), full arcs, then `finalArc` (the target edge, partial). */
function assemble(src: Snap, dst: Snap, arcs: number[], finalArc: number): WalkPath {
  const pieces: Piece[] = [];
  const first = arcs[0];
  pieces.push({ edge: first >> 1, f0: src.t, f1: first & 1 ? 0 : 1 });
  for (let i = 1; i < arcs.length; i++) pieces.push(fullPiece(arcs[i]));
  pieces.push({ edge: dst.edge, f0: finalArc & 1 ? 1 : 0, f1: dst.t });
  return { src, dst, pieces, arcs: [...arcs, finalArc] };
}

/** A move between sectors at a node: where a walk crosses roads. */
export interface Move {
  node: number;
  from: number;
  to: number;
}

/**
 * The sides a walk keeps along its arcs so that it crosses as little as possible (a
 * two-state Viterbi pass), as the moves at each node between consecutive arcs.
 */
export function cheapestMoves(g: RoutingGraph, arcs: readonly number[]): Move[] {
  const m = arcs.length;
  if (m < 2) return [];
  const sides = (a: number) => (isCarriageway(g.edgeClass[a >> 1]) ? 2 : 1);
  const cost: number[][] = [[0, 0]];
  const back: number[][] = [[0, 0]];
  for (let i = 1; i < m; i++) {
    const v = arcHead(g, arcs[i - 1]);
    cost.push([Infinity, Infinity]);
    back.push([0, 0]);
    for (let s1 = 0; s1 < sides(arcs[i]); s1++) {
      const to = leaveSector(g, arcs[i], s1);
      for (let s0 = 0; s0 < sides(arcs[i - 1]); s0++) {
        const c = cost[i - 1][s0] + sectorCostAt(g, v, arriveSector(g, arcs[i - 1], s0), to);
        if (c < cost[i][s1]) {
          cost[i][s1] = c;
          back[i][s1] = s0;
        }
      }
    }
  }
  let side = sides(arcs[m - 1]) === 2 && cost[m - 1][1] < cost[m - 1][0] ? 1 : 0;
  const moves: Move[] = [];
  for (let i = m - 1; i >= 1; i--) {
    const prev = back[i][side];
    moves.push({ node: arcHead(g, arcs[i - 1]), from: arriveSector(g, arcs[i - 1], prev), to: leaveSector(g, arcs[i], side) });
    side = prev;
  }
  return moves.reverse();
}

/** One road crossed on a route. */
export interface CrossingFact {
  coordinates: [number, number];
  /** Graph node index (or -1 for a crossing way priced on its own); networks report the node's id (`nodeRef`). */
  node: number;
  roadClass: RoadClassId;
  roadName: string | null;
  control: ControlId;
  /** Whether the control is mapped (node or crossing way) rather than inferred "unmarked". */
  mapped: boolean;
  island: boolean;
  penaltyM: number;
  grade: Grade;
  reasons: ReasonId[];
}

/** A run of the route along streets of one kind. */
export interface SegmentFact {
  name: string | null;
  highway: string;
  roadClass: RoadClassId;
  lengthM: number;
  factor: number;
  grade: Grade;
  reasons: ReasonId[];
  /** Caller's ids (`network_edges.id`) of the edges walked. */
  edgeIds: number[];
  geometry: LineString;
}

export interface CrossingCounts {
  total: number;
  signals: number;
  marked: number;
  unmarked: number;
  unknown: number;
  /** Crossings of primary, secondary or trunk roads … */
  majorRoad: number;
  /** … of which without traffic signals. */
  majorUnsignalised: number;
}

export interface RouteFacts {
  lengthM: number;
  /**
   * Level-walking metres: steps count `stepFactor` times their length; where the network has
   * elevation and slope is priced, other edges count Tobler's slope effort (core/coverage/slope.ts).
   */
  effortM: number;
  /** Climb and descent along the network part of the walk, m (0 without elevation; partial edges pro rata). */
  climb: { riseM: number; fallM: number };
  walkSeconds: number;
  walkMinutes: number;
  /** Straight legs: home → street, street → destination. */
  accessM: { from: number; to: number };
  /** Safety cost under the child rule, m-eq (./safety.ts). */
  costM: number;
  /** 100 × level-walking length / cost: 100 = every metre on a safe walkway with no crossing penalty. */
  safetyScore: number;
  crossings: CrossingCounts;
  crossingList: CrossingFact[];
  /** Crossings of service roads and living streets (driveways, compound roads): in the cost, not in the counts. */
  minorCrossings: number;
  steps: { flights: number; lengthM: number; stepCount: number | null };
  /** Along carriageways tagged `sidewalk=no`, or walked in the carriageway where the sidewalk is a separate way (`sidewalk=separate`). */
  noSidewalkM: number;
  /** Along streets (minor and up) with no sidewalk tag at all. */
  sidewalkUnknownM: number;
  alongMajorRoadM: number;
  /** Tagged `lit=no`. */
  unlitM: number;
  segments: SegmentFact[];
  geometry: LineString;
}

export interface FactOptions {
  walkSpeedMps?: number;
  /** Stairs' multiplier for effort, time and cost (default the child profile's). */
  stepFactor?: number;
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
const round1 = (v: number) => Math.round(v * 10) / 10;

/** The position at fraction f along graph edge k. */
export function pointAt(g: RoutingGraph, k: number, f: number): [number, number] {
  const o0 = g.geomOffsets[k],
    o1 = g.geomOffsets[k + 1];
  const { geomFrac: F, geomLngLat: P } = g;
  if (f <= 0) return [P[2 * o0], P[2 * o0 + 1]];
  if (f >= 1) return [P[2 * (o1 - 1)], P[2 * (o1 - 1) + 1]];
  let q = o0 + 1;
  while (q < o1 - 1 && F[q] < f) q++;
  const span = F[q] - F[q - 1];
  const u = span > 0 ? (f - F[q - 1]) / span : 0;
  return [P[2 * (q - 1)] + u * (P[2 * q] - P[2 * (q - 1)]), P[2 * (q - 1) + 1] + u * (P[2 * q + 1] - P[2 * (q - 1) + 1])];
}

/** The vertices of edge k between fractions f0 and f1, in walking order. */
export function edgeSlice(g: RoutingGraph, k: number, f0: number, f1: number): [number, number][] {
  const o0 = g.geomOffsets[k],
    o1 = g.geomOffsets[k + 1];
  const out: [number, number][] = [pointAt(g, k, f0)];
  const lo = Math.min(f0, f1),
    hi = Math.max(f0, f1);
  const inner: [number, number][] = [];
  for (let q = o0 + 1; q < o1 - 1; q++)
    if (g.geomFrac[q] > lo && g.geomFrac[q] < hi) inner.push([g.geomLngLat[2 * q], g.geomLngLat[2 * q + 1]]);
  if (f0 > f1) inner.reverse();
  out.push(...inner, pointAt(g, k, f1));
  return out;
}

function pushCoords(line: number[][], pts: readonly (readonly number[])[]): void {
  for (const p of pts) {
    const c = [round7(p[0]), round7(p[1])];
    const last = line[line.length - 1];
    if (!last || last[0] !== c[0] || last[1] !== c[1]) line.push(c);
  }
}

/** The crossing of carriageway ray `ray` at node v. */
export function rayCrossing(g: RoutingGraph, v: number, ray: number): CrossingFact {
  const k = rayEdge(g, v, ray);
  const cls = g.edgeClass[k];
  const penaltyM = g.rayPenalty[ray];
  return {
    coordinates: [round7(g.walk.nodeLng[v]), round7(g.walk.nodeLat[v])],
    node: v,
    roadClass: ROAD_CLASS_IDS[cls],
    roadName: g.edgeName[k] ?? nearbyRoadName(g, v, cls),
    control: CONTROL_IDS[g.nodeCtl[v]],
    mapped: g.nodeCtlMapped[v] === 1,
    island: false,
    penaltyM: round1(penaltyM),
    grade: crossingGrade(penaltyM),
    reasons: crossingReasons(cls, g.nodeCtl[v]),
  };
}

/** Crossings of service roads and living streets (driveways, compound roads): priced, not listed. */
export function isListedCrossing(cls: number): boolean {
  return cls >= ROAD.MINOR;
}

function nearbyRoadName(g: RoutingGraph, v: number, cls: number): string | null {
  const { incOffsets, incEdges } = g.walk;
  for (let q = incOffsets[v]; q < incOffsets[v + 1]; q++) {
    const k = incEdges[q];
    if (g.edgeClass[k] === cls && g.edgeName[k]) return g.edgeName[k];
  }
  return null;
}

/** A crossing way priced on its own (it meets no carriageway), as a fact at its middle. */
export function edgeCrossing(g: RoutingGraph, k: number): CrossingFact {
  const control = g.edgeCrossCode[k] & 7;
  const penaltyM = g.edgeCrossPenalty[k];
  const mid = pointAt(g, k, 0.5);
  return {
    coordinates: [round7(mid[0]), round7(mid[1])],
    node: -1,
    roadClass: 'unknown',
    roadName: null,
    control: CONTROL_IDS[control],
    mapped: true,
    island: false,
    penaltyM: round1(penaltyM),
    grade: crossingGrade(penaltyM),
    reasons: crossingReasons(ROAD.UNKNOWN, control),
  };
}

/**
 * Everything a parent or planner reads about one walk.
 * @example walkFacts(g, path, { walkSpeedMps: 1.0 }).walkMinutes
 */
export function walkFacts(g: RoutingGraph, path: WalkPath, o: FactOptions = {}): RouteFacts {
  const speed = o.walkSpeedMps ?? DEFAULT_WALK_PARAMS.walkSpeedMps;
  const stepFactor = o.stepFactor ?? PROFILES.child.stepFactor;
  const stepCost = stepFactor === Infinity ? PROFILES.child.stepFactor : stepFactor;
  const L = g.walk.edgeLengthM;
  let lengthM = path.src.legM + path.dst.legM;
  let cost = lengthM;
  // level-walking metres of the walk apart from stairs' extra (slope by Tobler where priced)
  let levelM = lengthM;
  let riseM = 0,
    fallM = 0;
  const { edgeCostM, edgeCostBackM, edgeRiseM, edgeFallM } = g.walk;
  let stepsLen = 0,
    flights = 0,
    stepCount = 0,
    stepCountKnown = true,
    prevSteps = false;
  let noSidewalkM = 0,
    sidewalkUnknownM = 0,
    alongMajorRoadM = 0,
    unlitM = 0;
  const crossingList: CrossingFact[] = [];
  let minorCrossings = 0;
  const moves = cheapestMoves(g, path.arcs);
  const segments: SegmentFact[] = [];
  const line: number[][] = [];
  pushCoords(line, [
    [path.src.inputLng, path.src.inputLat],
    [path.src.lng, path.src.lat],
  ]);

  for (let i = 0; i < path.pieces.length; i++) {
    const pc = path.pieces[i];
    const k = pc.edge;
    const frac = Math.abs(pc.f1 - pc.f0);
    const len = frac * L[k];
    const steps = g.walk.edgeIsSteps[k] === 1;
    const cls = g.edgeClass[k];
    lengthM += len;
    const fwd = pc.f1 >= pc.f0;
    // the walking graph was built with stepPenaltyFactor 1: steps' cost there is their length
    const base = frac * (fwd ? edgeCostM[k] : edgeCostBackM[k]);
    levelM += base;
    if (edgeRiseM && edgeFallM) {
      riseM += frac * (fwd ? edgeRiseM[k] : edgeFallM[k]);
      fallM += frac * (fwd ? edgeFallM[k] : edgeRiseM[k]);
    }
    cost += base * g.edgeFactor[k] * (steps ? stepCost : 1);
    if (frac >= 1 - 1e-9 && g.edgeCrossCode[k]) {
      crossingList.push(edgeCrossing(g, k));
      cost += g.edgeCrossPenalty[k];
    }
    if (steps) {
      stepsLen += len;
      if (!prevSteps) flights++;
      if (g.edgeStepCount[k] >= 0) stepCount += Math.round(g.edgeStepCount[k] * frac);
      else stepCountKnown = false;
    }
    prevSteps = steps && len > 0;
    if (isCarriageway(cls)) {
      if (g.edgeSidewalk[k] === SIDEWALK.NO || g.edgeSidewalk[k] === SIDEWALK.SEPARATE) noSidewalkM += len;
      else if (g.edgeSidewalk[k] === SIDEWALK.UNKNOWN && cls >= ROAD.MINOR) sidewalkUnknownM += len;
    }
    if (isMajorRoad(cls)) alongMajorRoadM += len;
    if (g.edgeLit[k] === LIT.NO) unlitM += len;

    const slice = edgeSlice(g, k, pc.f0, pc.f1);
    pushCoords(line, slice);
    const grade = edgeGrade(g.edgeFactor[k], steps);
    const name = g.edgeName[k];
    const prev = segments[segments.length - 1];
    if (prev && prev.name === name && prev.highway === g.edgeHighway[k] && prev.grade === grade) {
      prev.lengthM += len;
      if (prev.edgeIds[prev.edgeIds.length - 1] !== g.edgeId[k]) prev.edgeIds.push(g.edgeId[k]);
      pushCoords(prev.geometry.coordinates, slice);
    } else if (len > 0 || path.pieces.length === 1) {
      const coords: number[][] = [];
      pushCoords(coords, slice);
      segments.push({
        name,
        highway: g.edgeHighway[k],
        roadClass: ROAD_CLASS_IDS[cls],
        lengthM: len,
        factor: g.edgeFactor[k],
        grade,
        reasons: edgeReasons({ cls, sidewalk: g.edgeSidewalk[k], lit: g.edgeLit[k], isSteps: steps }),
        edgeIds: [g.edgeId[k]],
        geometry: { type: 'LineString', coordinates: coords },
      });
    }
    if (i < moves.length) {
      const mv = moves[i];
      forEachRayCrossed(g, mv.node, mv.from, mv.to, (ray) => {
        cost += g.rayPenalty[ray];
        if (isListedCrossing(g.edgeClass[rayEdge(g, mv.node, ray)])) crossingList.push(rayCrossing(g, mv.node, ray));
        else minorCrossings++;
      });
    }
  }
  pushCoords(line, [
    [path.dst.lng, path.dst.lat],
    [path.dst.inputLng, path.dst.inputLat],
  ]);
  if (line.length === 1) line.push([...line[0]]);
  for (const s of segments) {
    s.lengthM = round1(s.lengthM);
    if (s.geometry.coordinates.length === 1) s.geometry.coordinates.push([...s.geometry.coordinates[0]]);
  }

  const counts: CrossingCounts = {
    total: crossingList.length,
    signals: 0,
    marked: 0,
    unmarked: 0,
    unknown: 0,
    majorRoad: 0,
    majorUnsignalised: 0,
  };
  for (const c of crossingList) {
    if (c.control === 'signals') counts.signals++;
    else if (c.control === 'marked') counts.marked++;
    else if (c.control === 'unknown') counts.unknown++;
    else counts.unmarked++;
    const cls = ROAD_CLASS_IDS.indexOf(c.roadClass);
    if (isMajorRoad(cls)) {
      counts.majorRoad++;
      if (c.control !== 'signals') counts.majorUnsignalised++;
    }
  }
  const effortM = levelM + stepsLen * (stepCost - 1);
  return {
    lengthM: round1(lengthM),
    effortM: round1(effortM),
    walkSeconds: Math.round(effortM / speed),
    walkMinutes: Math.round((effortM / speed / 60) * 10) / 10,
    accessM: { from: round1(path.src.legM), to: round1(path.dst.legM) },
    costM: round1(cost),
    safetyScore: levelM > 0 ? Math.round((100 * levelM) / cost) : 100,
    climb: { riseM: round1(riseM), fallM: round1(fallM) },
    crossings: counts,
    crossingList,
    minorCrossings,
    steps: { flights, lengthM: round1(stepsLen), stepCount: flights === 0 ? 0 : stepCountKnown ? stepCount : null },
    noSidewalkM: round1(noSidewalkM),
    sidewalkUnknownM: round1(sidewalkUnknownM),
    alongMajorRoadM: round1(alongMajorRoadM),
    unlitM: round1(unlitM),
    segments,
    geometry: { type: 'LineString', coordinates: line },
  };
}
