/**
 * Searches on the routing graph's (arc, side) states (./graph.ts), so the roads a child
 * crosses at a node — moving from one street corner (sector) to another — are part of the
 * search, not an afterthought.
 *
 * - {@link searchRoute}: point to point, A* by default (a lower bound of the great-circle
 *   distance to the target: edge lengths are haversine sums and cost per metre is never
 *   below 1 + μ on the level, min Tobler factor + μ where slope is priced) or plain Dijkstra (`astar: false`,
 *   the benchmark's baseline). Turning back on the same edge (a U-turn) is never allowed; it
 *   never helps a walker who may start either way along their edge. Profiles that do not
 *   price safety search arcs only (sides cost nothing there).
 * - {@link reverseTree}: one search *from* a school over reversed states gives, for every
 *   state, the cost of the rest of the walk to the school after arriving along it, and the
 *   next state — a tree that answers every home at once (no per-origin search).
 *
 * Costs: an arc costs `fullCost[arc] + μ·length`, a move between sectors `sectorCost` when
 * the profile prices safety; partial edges at the ends cost their fraction of
 * `walkCost + μ·length`. A home or a school may be on either side of its street (both sides
 * start free). Scratch arrays are reused; only the states a search touched are reset.
 *
 * @example
 * const s = createArcScratch(g);
 * const r = searchRoute(g, profileCosts(g, PROFILES.child), 0, from, to, s);
 * const arcs = r && pathArcs(s, r);
 */
import { Heap } from '../coverage/dijkstra';
import { EARTH_RADIUS_M } from '../coverage/geo';
import { arcHead, isCarriageway, profileCosts, type ProfileCosts, type RoutingGraph } from './graph';
import { TOBLER_MIN_FACTOR } from '../coverage/slope';

/** A point on the network: graph edge, fraction along it (from → to), straight leg and where it is. */
export interface Snap {
  edge: number;
  t: number;
  legM: number;
  /** The point on the edge. */
  lng: number;
  lat: number;
  /** The point asked for. */
  inputLng: number;
  inputLat: number;
}

export interface ArcScratch {
  /** Cost to reach a state (searchRoute), or of the rest of the walk after it (reverseTree). */
  dist: Float64Array;
  /** Previous state (searchRoute) or next state (reverseTree; -2 / -3 = then onto the target edge forwards / backwards). */
  link: Int32Array;
  /** reverseTree: length of the rest of the walk after the state's node, metres. */
  lenR: Float32Array;
  closed: Uint8Array;
  touched: Int32Array;
  touchedCount: number;
  heap: Heap;
  /** States settled by the last search. */
  pops: number;
}

/** Scratch for searches on `g` (two sides per arc, two arcs per edge). */
export function createArcScratch(g: RoutingGraph): ArcScratch {
  const N = g.stateCount;
  return {
    dist: new Float64Array(N).fill(Infinity),
    link: new Int32Array(N).fill(-1),
    lenR: new Float32Array(N),
    closed: new Uint8Array(N),
    touched: new Int32Array(N),
    touchedCount: 0,
    heap: new Heap(1024),
    pops: 0,
  };
}

function reset(s: ArcScratch): void {
  const { dist, link, closed, touched } = s;
  for (let q = 0; q < s.touchedCount; q++) {
    const a = touched[q];
    dist[a] = Infinity;
    link[a] = -1;
    closed[a] = 0;
  }
  s.touchedCount = 0;
  s.heap.size = 0;
  s.pops = 0;
}

export type EndMode = 'same' | 'from' | 'to';

export interface SearchResult {
  /** Total cost, m-eq (with μ·length). */
  cost: number;
  /** Last state before the target edge (-1 when the route stays on the start edge). */
  lastState: number;
  /** 'same': along the shared edge; 'from'/'to': onto the target edge from its from/to node. */
  mode: EndMode;
  pops: number;
}

export interface SearchOptions {
  /** A* (default) or plain Dijkstra. */
  astar?: boolean;
}

/**
 * Cheapest walk from `src` to `dst` under `costs` + μ·length. Null when `dst` cannot be
 * reached (different islands, one-way footways, steps the profile forbids).
 */
export function searchRoute(
  g: RoutingGraph,
  costs: ProfileCosts,
  mu: number,
  src: Snap,
  dst: Snap,
  s: ArcScratch,
  o: SearchOptions = {},
): SearchResult | null {
  reset(s);
  const { walkCost, fullCost } = costs;
  const safety = costs.spec.safety;
  const { edgeFrom, edgeTo, edgeOneway, edgeLengthM, incOffsets, incEdges } = g.walk;
  const { arcHeadSlot, arcTailSlot, edgeClass, slotSectorCw, slotSectorCcw, sectorOffset, sectorCost, rayOffset } = g;
  const { dist, link, closed, touched, heap } = s;
  // A*: a lower bound of the great-circle distance to the target (edge lengths are haversine
  // sums, so it never overestimates): the equirectangular distance with the smaller cosine of
  // the two latitudes, less 0.5 % for the curvature terms it leaves out (< 0.1 % below 50 km)
  const { nodeLng, nodeLat } = g.walk;
  const nodeCos = g.nodeCosLat;
  const RAD = Math.PI / 180;
  const tLat = dst.lat * RAD,
    tLng = dst.lng * RAD,
    cosT = Math.cos(tLat);
  // downhill walking may cost less than a level metre (Tobler's fastest slope, −5 %)
  const minPerM = g.walk.slopeUsed ? TOBLER_MIN_FACTOR : 1;
  const hScale = o.astar === false ? 0 : 0.995 * EARTH_RADIUS_M * (minPerM + mu);
  const h = (v: number) => {
    if (hScale === 0) return 0;
    const dPhi = nodeLat[v] * RAD - tLat;
    let dLam = Math.abs(nodeLng[v] * RAD - tLng);
    if (dLam > Math.PI) dLam = 2 * Math.PI - dLam;
    const c = Math.min(nodeCos[v], cosT);
    return hScale * Math.sqrt(dPhi * dPhi + c * c * dLam * dLam);
  };
  /** Fraction f of arc a's walk (a = 2k forwards, 2k + 1 backwards). */
  const part = (a: number, f: number) => f * (walkCost[a] + mu * edgeLengthM[a >> 1]);
  const sides = (k: number) => (safety && isCarriageway(edgeClass[k]) ? 2 : 1);
  const move = (v: number, i: number, j: number) => (i === j ? 0 : sectorCost[sectorOffset[v] + i * (rayOffset[v + 1] - rayOffset[v]) + j]);

  const kd = dst.edge;
  const dFrom = edgeFrom[kd],
    dTo = edgeTo[kd];
  const dOneway = edgeOneway[kd] === 1;
  let best = Infinity,
    bestState = -1;
  let mode: EndMode = 'same';
  const ks = src.edge;
  if (ks === kd) {
    if (dst.t >= src.t) best = part(2 * kd, dst.t - src.t);
    else if (!dOneway) best = part(2 * kd + 1, src.t - dst.t);
  }
  const seed = (a: number, c: number) => {
    if (!(c < Infinity)) return;
    for (let side = 0; side < sides(a >> 1); side++) {
      const st = 2 * a + side;
      dist[st] = c;
      touched[s.touchedCount++] = st;
      heap.push(c + h(arcHead(g, a)), st);
    }
  };
  seed(2 * ks, part(2 * ks, 1 - src.t));
  if (!edgeOneway[ks]) seed(2 * ks + 1, part(2 * ks + 1, src.t));
  const dSides = sides(kd);
  const qFromD = incOffsets[dFrom] + arcTailSlot[2 * kd]; // kd's slot at dFrom (leaving forwards)
  const qToD = incOffsets[dTo] + arcHeadSlot[2 * kd]; // kd's slot at dTo (leaving backwards)
  const dFromCost = part(2 * kd, dst.t);
  const dToCost = dOneway ? Infinity : part(2 * kd + 1, 1 - dst.t);

  while (heap.size > 0) {
    const key = heap.keys[0];
    const st = heap.vals[0];
    heap.pop();
    if (key >= best) break;
    if (closed[st]) continue;
    closed[st] = 1;
    s.pops++;
    const d = dist[st];
    const a = st >> 1;
    const v = arcHead(g, a);
    const base = incOffsets[v];
    const i = arcHeadSlot[a];
    const sigma = st & 1 ? slotSectorCcw[base + i] : slotSectorCw[base + i];
    if (v === dFrom && base + i !== qFromD) {
      for (let side = 0; side < dSides; side++) {
        const c = d + (safety ? move(v, sigma, side ? slotSectorCw[qFromD] : slotSectorCcw[qFromD]) : 0) + dFromCost;
        if (c < best) {
          best = c;
          bestState = st;
          mode = 'from';
        }
      }
    }
    if (v === dTo && base + i !== qToD) {
      for (let side = 0; side < dSides; side++) {
        const c = d + (safety ? move(v, sigma, side ? slotSectorCw[qToD] : slotSectorCcw[qToD]) : 0) + dToCost;
        if (c < best) {
          best = c;
          bestState = st;
          mode = 'to';
        }
      }
    }
    const deg = incOffsets[v + 1] - base;
    for (let j = 0; j < deg; j++) {
      if (j === i) continue;
      const k = incEdges[base + j];
      const fwd = edgeFrom[k] === v;
      if (!fwd && edgeOneway[k]) continue;
      const b = fwd ? 2 * k : 2 * k + 1;
      const c = fullCost[b];
      if (c === Infinity) continue;
      const along = d + c + mu * edgeLengthM[k];
      const hb = h(fwd ? edgeTo[k] : edgeFrom[k]);
      for (let side = 0; side < sides(k); side++) {
        const sb = 2 * b + side;
        if (closed[sb]) continue;
        const nd = along + (safety ? move(v, sigma, side ? slotSectorCw[base + j] : slotSectorCcw[base + j]) : 0);
        if (nd < dist[sb]) {
          if (dist[sb] === Infinity) touched[s.touchedCount++] = sb;
          dist[sb] = nd;
          link[sb] = st;
          heap.push(nd + hb, sb);
        }
      }
    }
  }
  if (best === Infinity) return null;
  return { cost: best, lastState: bestState, mode, pops: s.pops };
}

/** The arcs of a found route, first (the start edge) to last (before the target edge). */
export function pathArcs(s: ArcScratch, r: SearchResult): number[] {
  const arcs: number[] = [];
  for (let st = r.lastState; st >= 0; st = s.link[st]) arcs.push(st >> 1);
  return arcs.reverse();
}

/**
 * The reverse tree to `dst` (a school): afterwards, for every reached state x, `s.dist[x]`
 * is the cost of the rest of the walk after arriving at the arc's head along it on its side,
 * `s.link[x]` the next state (-2: then along the target edge forwards from its from-node;
 * -3: backwards from its to-node) and `s.lenR[x]` that rest's length. States whose rest is
 * longer than `maxLenM` are not expanded (the search stays within reach of the school).
 */
export function reverseTree(g: RoutingGraph, costs: ProfileCosts, mu: number, dst: Snap, s: ArcScratch, maxLenM: number): void {
  reset(s);
  const { walkCost, fullCost } = costs;
  const safety = costs.spec.safety;
  const { edgeFrom, edgeTo, edgeOneway, edgeLengthM, incOffsets, incEdges } = g.walk;
  const { arcHeadSlot, arcTailSlot, edgeClass, slotSectorCw, slotSectorCcw, sectorOffset, sectorCost, rayOffset } = g;
  const { dist, link, lenR, closed, touched, heap } = s;
  const kd = dst.edge;
  const sides = (k: number) => (safety && isCarriageway(edgeClass[k]) ? 2 : 1);
  const move = (v: number, i: number, j: number) => (i === j ? 0 : sectorCost[sectorOffset[v] + i * (rayOffset[v + 1] - rayOffset[v]) + j]);
  /** The arc that arrives at u along edge k (-1 when k cannot be walked that way). */
  const arrivingAt = (u: number, k: number) => (edgeTo[k] === u ? 2 * k : edgeOneway[k] ? -1 : 2 * k + 1);
  const relax = (x: number, nd: number, next: number, len: number) => {
    if (closed[x] || !(nd < dist[x])) return;
    if (dist[x] === Infinity) touched[s.touchedCount++] = x;
    dist[x] = nd;
    link[x] = next;
    lenR[x] = len;
    heap.push(nd, x);
  };

  /** Seeds: every state arriving at u (not along kd itself), then onto kd from slot q. */
  const seedAt = (u: number, q: number, cost: number, len: number, code: number) => {
    if (!(cost < Infinity)) return;
    const base = incOffsets[u];
    const deg = incOffsets[u + 1] - base;
    for (let j = 0; j < deg; j++) {
      if (base + j === q) continue;
      const a = arrivingAt(u, incEdges[base + j]);
      if (a < 0) continue;
      for (let side = 0; side < sides(a >> 1); side++) {
        const sigma = side ? slotSectorCcw[base + j] : slotSectorCw[base + j];
        let m = Infinity;
        for (let sd = 0; sd < sides(kd); sd++) m = Math.min(m, safety ? move(u, sigma, sd ? slotSectorCw[q] : slotSectorCcw[q]) : 0);
        relax(2 * a + side, cost + m, code, len);
      }
    }
  };
  const part = (a: number, f: number) => f * (walkCost[a] + mu * edgeLengthM[kd]);
  seedAt(edgeFrom[kd], incOffsets[edgeFrom[kd]] + arcTailSlot[2 * kd], part(2 * kd, dst.t), dst.t * edgeLengthM[kd], -2);
  if (!edgeOneway[kd])
    seedAt(edgeTo[kd], incOffsets[edgeTo[kd]] + arcHeadSlot[2 * kd], part(2 * kd + 1, 1 - dst.t), (1 - dst.t) * edgeLengthM[kd], -3);

  while (heap.size > 0) {
    const key = heap.keys[0];
    const x = heap.vals[0];
    heap.pop();
    if (closed[x] || key > dist[x]) continue;
    closed[x] = 1;
    s.pops++;
    const b = x >> 1;
    const kb = b >> 1;
    const cb = fullCost[b];
    if (cb === Infinity || lenR[x] > maxLenM) continue;
    const u = b & 1 ? edgeTo[kb] : edgeFrom[kb]; // tail of b
    const base = incOffsets[u];
    const jb = arcTailSlot[b];
    const sigmaB = x & 1 ? slotSectorCw[base + jb] : slotSectorCcw[base + jb];
    const rest = dist[x] + cb + mu * edgeLengthM[kb];
    const len = lenR[x] + edgeLengthM[kb];
    const deg = incOffsets[u + 1] - base;
    for (let j = 0; j < deg; j++) {
      if (j === jb) continue;
      const a = arrivingAt(u, incEdges[base + j]);
      if (a < 0) continue;
      for (let side = 0; side < sides(a >> 1); side++) {
        const sigmaA = side ? slotSectorCcw[base + j] : slotSectorCw[base + j];
        relax(2 * a + side, rest + (safety ? move(u, sigmaA, sigmaB) : 0), x, len);
      }
    }
  }
}

/** How a home joins a reverse tree: the start state, the cost and length of its whole walk (network part). */
export interface TreeStart {
  /** First state (its arc is partial), or -1 when the walk stays on the target edge. */
  state: number;
  cost: number;
  lengthM: number;
}

/** The best way into a reverse tree from `o` (null when the tree does not reach it). */
export function treeStart(g: RoutingGraph, costs: ProfileCosts, mu: number, s: ArcScratch, o: Snap, dst: Snap): TreeStart | null {
  const k = o.edge;
  const { edgeLengthM, edgeOneway } = g.walk;
  const w = costs.walkCost[2 * k] + mu * edgeLengthM[k];
  const wb = costs.walkCost[2 * k + 1] + mu * edgeLengthM[k];
  const L = edgeLengthM[k];
  let best: TreeStart | null = null;
  if (k === dst.edge && w < Infinity) {
    if (dst.t >= o.t) best = { state: -1, cost: (dst.t - o.t) * w, lengthM: (dst.t - o.t) * L };
    else if (!edgeOneway[k]) best = { state: -1, cost: (o.t - dst.t) * wb, lengthM: (o.t - dst.t) * L };
  }
  if (!(w < Infinity)) return best;
  const nSides = costs.spec.safety && isCarriageway(g.edgeClass[k]) ? 2 : 1;
  for (let side = 0; side < nSides; side++) {
    const f = s.dist[2 * (2 * k) + side];
    if (f < Infinity) {
      const c = (1 - o.t) * w + f;
      if (!best || c < best.cost) best = { state: 2 * (2 * k) + side, cost: c, lengthM: (1 - o.t) * L + s.lenR[2 * (2 * k) + side] };
    }
    if (!edgeOneway[k]) {
      const x = 2 * (2 * k + 1) + side;
      const b = s.dist[x];
      if (b < Infinity) {
        const c = o.t * wb + b;
        if (!best || c < best.cost) best = { state: x, cost: c, lengthM: o.t * L + s.lenR[x] };
      }
    }
  }
  return best;
}

/** Re-export for callers that only need costs. */
export { profileCosts };
