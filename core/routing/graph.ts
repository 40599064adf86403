/**
 * The routing graph: the coverage engine's compact walking graph (core/coverage/graph.ts,
 * reused as is for snapping, edge lengths and multi-source searches) plus what routing
 * needs and it does not keep — per-edge safety attributes in typed arrays aligned with its
 * edges, directed **arcs**, and per node the **sectors** a walker can stand in.
 *
 * **Sides and sectors.** A child walks on one side of a street. At node v the carriageway
 * edges (cars drive on them) are rays sorted by bearing; the gaps between consecutive rays
 * are the node's sectors (its street corners). Walking along a carriageway on its left or
 * right side puts the walker, at each end, in the sector on that side of the edge; walking
 * a footway puts them in the sector its ray lies in. Going from one sector to another at a
 * node crosses the carriageway rays in between, the cheaper way round — so a search whose
 * states are (arc, side) pays for every road it crosses, including the ones a walker would
 * dodge by "turning onto a main road and off it again" on the far side.
 *
 * Indexing: arc `2k` walks graph edge k from `edgeFrom[k]` to `edgeTo[k]`, arc `2k + 1`
 * backwards (only when the edge is not one-way for walkers); a search state is `2·arc +
 * side` (side 0 = the walker's left, 1 = right; footways only use side 0). At node v the
 * incident edges are `walk.incEdges[walk.incOffsets[v] …]` (an edge's position there is
 * its *slot*); the carriageway rays are `raySlot[rayOffset[v] …]` sorted counter-clockwise;
 * sector i lies counter-clockwise from ray i. Moving from sector i to j costs
 * `sectorCost[sectorOffset[v] + i·S + j]` (S = the number of rays), crossing the rays in the
 * direction `sectorDir[…]` (+1 counter-clockwise, −1 clockwise). A node with fewer than two
 * rays has one sector.
 *
 * Built once per network (tens of ms for the real extracts, ~1 s per million edges) and
 * never modified; profiles' edge costs are derived lazily and cached on the graph.
 *
 * @example
 * const g = buildRoutingGraph(routingNetworkFromGeoJSON(fc));
 * sectorCostAt(g, v, arriveSector(g, a, 0), leaveSector(g, b, 1)); // crossing cost of that move, m-eq
 */
import { buildWalkingGraph, isWalkableHighway, type WalkingGraph, type WalkingNetworkInput } from '../coverage/graph';
import { haversineM, projectX, projectY } from '../coverage/geo';
import {
  CONTROL,
  DEFAULT_SAFETY,
  ROAD,
  controlOf,
  crossingPenaltyM,
  edgeFactor,
  litOf,
  roadClassOf,
  sidewalkOf,
  type ProfileSpec,
  type SafetyParams,
} from './safety';

/** Parallel arrays as read from `network_edges` (+ tags of crossing nodes from `network_nodes`). */
export interface RoutingNetworkInput {
  /** `ref`: the id to report (an OSM node id) when `id` had to be made unique across sources; default `id`. */
  nodes: WalkingNetworkInput['nodes'] & { ref?: ArrayLike<number> };
  /** Tags of tagged nodes (crossings, signals), by node id. */
  nodeTags?: ReadonlyMap<number, Readonly<Record<string, string>>>;
  /** The coverage graph's edge columns (from, to, lengthM, onewayFoot, geometry, elevation: see core/coverage/graph.ts), plus OSM attributes. */
  edges: Pick<WalkingNetworkInput['edges'], 'from' | 'to' | 'lengthM' | 'onewayFoot' | 'geometry' | 'elevation'> & {
    /** The caller's edge ids (`network_edges.id`); default the input index. */
    id?: ArrayLike<number>;
    highway: ArrayLike<string>;
    name?: ArrayLike<string | null>;
    stepCount?: ArrayLike<number | null>;
    footway?: ArrayLike<string | null>;
    crossing?: ArrayLike<string | null>;
    sidewalk?: ArrayLike<string | null>;
    lit?: ArrayLike<string | null>;
    /** Extra tags (`crossing:island`, `crossing:markings`…), as kept in `network_edges.tags`. */
    tags?: ArrayLike<Readonly<Record<string, string>> | null>;
  };
}

/** One edge's OSM attributes as `network_edges` stores them (GeoJSON fixtures carry the same properties). */
export interface NetworkEdgeAttrs {
  highway: string;
  name?: string | null;
  step_count?: number | null;
  footway?: string | null;
  crossing?: string | null;
  sidewalk?: string | null;
  lit?: string | null;
  oneway_foot?: boolean;
  tags?: Record<string, string> | null;
}

/**
 * The edge columns of a {@link RoutingNetworkInput}, filled one edge at a time (the database
 * reader and the GeoJSON fixtures), and the geometry's offsets and vertices.
 * @example const b = routingEdgeColumns(); b.push(7, 0, 1, 42.5, { highway: 'footway' }); b.edges.id; // [7]
 */
export function routingEdgeColumns() {
  const edges = {
    id: [] as number[],
    from: [] as number[],
    to: [] as number[],
    lengthM: [] as number[],
    highway: [] as string[],
    name: [] as (string | null)[],
    stepCount: [] as (number | null)[],
    footway: [] as (string | null)[],
    crossing: [] as (string | null)[],
    sidewalk: [] as (string | null)[],
    lit: [] as (string | null)[],
    onewayFoot: [] as number[],
    tags: [] as (Record<string, string> | null)[],
  };
  const push = (id: number, from: number, to: number, lengthM: number, a: NetworkEdgeAttrs): void => {
    edges.id.push(id);
    edges.from.push(from);
    edges.to.push(to);
    edges.lengthM.push(lengthM);
    edges.highway.push(a.highway);
    edges.name.push(a.name ?? null);
    edges.stepCount.push(a.step_count ?? null);
    edges.footway.push(a.footway ?? null);
    edges.crossing.push(a.crossing ?? null);
    edges.sidewalk.push(a.sidewalk ?? null);
    edges.lit.push(a.lit ?? null);
    edges.onewayFoot.push(a.oneway_foot ? 1 : 0);
    edges.tags.push(a.tags ?? null);
  };
  return { edges, push };
}

export interface RoutingGraphOptions {
  safety?: SafetyParams;
  /** Price slope where edges have elevation (default true); false = flat. */
  slope?: boolean;
  /** Minimum component size for snapping (core/coverage/graph.ts `MIN_COMPONENT_NODES`). */
  minComponentNodes?: number;
}

export interface RoutingGraph {
  walk: WalkingGraph;
  nodeCount: number;
  edgeCount: number;
  /** Input node ids per node, and the ids to report (OSM ids). */
  nodeId: Float64Array;
  nodeRef: Float64Array;
  /** cos(latitude) per node, for the A* bound. */
  nodeCosLat: Float64Array;
  /** Control of the crossing mapped at a node (CONTROL.NONE when untagged). */
  nodeControl: Uint8Array;
  nodeIsland: Uint8Array;
  /** Per edge: the caller's id, road class, sidewalk, lit, crossing-way control, step count (-1 unknown). */
  edgeId: Float64Array;
  edgeClass: Uint8Array;
  edgeSidewalk: Uint8Array;
  edgeLit: Uint8Array;
  edgeCrossing: Uint8Array;
  edgeStepCount: Int32Array;
  edgeHighway: string[];
  edgeName: (string | null)[];
  /** Walking-along factor of the safety rule (steps' effort excluded). */
  edgeFactor: Float64Array;
  /** A crossing way that meets no carriageway: its own crossing code and penalty (else 0). */
  edgeCrossCode: Uint8Array;
  edgeCrossPenalty: Float64Array;
  /** Polyline per graph edge, from → to. */
  geomOffsets: Int32Array;
  geomLngLat: Float64Array;
  /** Cumulative planar length fraction at each vertex (0 … 1), for cutting edges. */
  geomFrac: Float64Array;
  /** Bearing (radians, projected, counter-clockwise from east) leaving node v along the edge in each incidence slot. */
  slotBearing: Float64Array;
  /** Slot of arc a's edge at the arc's head / tail node. */
  arcHeadSlot: Int32Array;
  arcTailSlot: Int32Array;
  /** Control of crossings at a node: its tags, else its crossing ways', else unmarked; and whether mapped. */
  nodeCtl: Uint8Array;
  nodeCtlMapped: Uint8Array;
  /** Carriageway rays per node (local slots, counter-clockwise) and each ray's crossing penalty, m-eq. */
  rayOffset: Int32Array;
  raySlot: Int32Array;
  rayPenalty: Float32Array;
  /** Per incidence (global slot index): the sector clockwise / counter-clockwise of it (a footway's own sector for both). */
  slotSectorCw: Int32Array;
  slotSectorCcw: Int32Array;
  sectorOffset: Int32Array;
  sectorCost: Float32Array;
  sectorDir: Int8Array;
  /** Number of search states (2 per arc). */
  stateCount: number;
  safety: SafetyParams;
  /** Edge costs per profile, filled lazily by {@link profileCosts}. */
  costCache: Map<string, ProfileCosts>;
}

/** Arc costs under a profile (index = arc: 2k forwards, 2k + 1 backwards): walking it (Infinity = not allowed), and with the penalty of a full traversal. */
export interface ProfileCosts {
  spec: ProfileSpec;
  walkCost: Float64Array;
  fullCost: Float64Array;
}

const strAt = (a: ArrayLike<string | null> | undefined, i: number): string | null => (a ? (a[i] ?? null) : null);

/** Counter-clockwise angle from a to b, in [0, 2π). */
export function ccw(a: number, b: number): number {
  const d = (b - a) % (2 * Math.PI);
  return d < 0 ? d + 2 * Math.PI : d;
}

/**
 * Builds the routing graph. Inputs are not modified. Edges that are not walkable
 * (`isWalkableHighway`) and edges with unknown nodes are left out; closed ways are split in two
 * (both as in the coverage graph, which this one builds on).
 *
 * Each stage below computes its own arrays from the previous stages' results; the graph is
 * assembled once, complete, at the end.
 * @example buildRoutingGraph({ nodes, edges: { from, to, lengthM, highway } });
 */
export function buildRoutingGraph(input: RoutingNetworkInput, options: RoutingGraphOptions = {}): RoutingGraph {
  const safety = options.safety ?? DEFAULT_SAFETY;
  const walk = walkingGraphOf(input, options);
  const nodeAttrs = nodeAttributes(input, walk);
  const edgeAttrs = edgeAttributes(input.edges, walk, safety);
  const geometry = edgeGeometry(input.edges.geometry, walk);
  const slots = slotBearings(walk, geometry);
  const sectors = buildSectors(walk, nodeAttrs, edgeAttrs, slots.slotBearing, safety);
  const crossingWays = crossingWaysOffRoad(walk, edgeAttrs, safety);
  const { edgeIsland: _island, ...edges } = edgeAttrs;
  return {
    walk,
    nodeCount: walk.nodeCount,
    edgeCount: walk.edgeCount,
    ...nodeAttrs,
    ...edges,
    ...crossingWays,
    ...geometry,
    ...slots,
    ...sectors,
    stateCount: 4 * walk.edgeCount,
    safety,
    costCache: new Map(),
  };
}

/** The coverage engine's walking graph of the walkable edges (steps at their length: profiles price them). */
function walkingGraphOf(input: RoutingNetworkInput, options: RoutingGraphOptions): WalkingGraph {
  const { nodes, edges } = input;
  const m = edges.from.length;
  const walkable = new Uint8Array(m);
  const isSteps = new Uint8Array(m);
  for (let e = 0; e < m; e++) {
    walkable[e] = isWalkableHighway(edges.highway[e], strAt(edges.sidewalk, e)) ? 1 : 0;
    isSteps[e] = edges.highway[e] === 'steps' ? 1 : 0;
  }
  return buildWalkingGraph(
    {
      nodes,
      edges: {
        from: edges.from,
        to: edges.to,
        lengthM: edges.lengthM,
        isSteps,
        onewayFoot: edges.onewayFoot,
        walkable,
        geometry: edges.geometry,
        elevation: edges.elevation,
      },
    },
    { stepPenaltyFactor: 1, slope: options.slope, minComponentNodes: options.minComponentNodes },
  );
}

type NodeAttributes = Pick<RoutingGraph, 'nodeId' | 'nodeRef' | 'nodeCosLat' | 'nodeControl' | 'nodeIsland'>;

/** Ids, cos(latitude) and the tagged crossing control of every node. */
function nodeAttributes(input: RoutingNetworkInput, walk: WalkingGraph): NodeAttributes {
  const { nodes } = input;
  const n = walk.nodeCount;
  // nodes added by splitting closed ways have no id of their own: -1
  const nodeId = new Float64Array(n).fill(-1);
  const nodeRef = new Float64Array(n).fill(-1);
  for (let v = 0; v < walk.inputNodeCount; v++) {
    nodeId[v] = Number(nodes.id[v]);
    nodeRef[v] = Number(nodes.ref ? nodes.ref[v] : nodes.id[v]);
  }
  const nodeCosLat = new Float64Array(n);
  for (let v = 0; v < n; v++) nodeCosLat[v] = Math.cos((walk.nodeLat[v] * Math.PI) / 180);
  const nodeControl = new Uint8Array(n);
  const nodeIsland = new Uint8Array(n);
  if (input.nodeTags?.size) {
    for (let v = 0; v < walk.inputNodeCount; v++) {
      const t = input.nodeTags.get(nodeId[v]);
      if (!t) continue;
      nodeControl[v] = controlOf(t);
      nodeIsland[v] = t['crossing:island'] === 'yes' || t.crossing === 'island' ? 1 : 0;
    }
  }
  return { nodeId, nodeRef, nodeCosLat, nodeControl, nodeIsland };
}

type EdgeAttributes = Pick<
  RoutingGraph,
  'edgeId' | 'edgeClass' | 'edgeSidewalk' | 'edgeLit' | 'edgeCrossing' | 'edgeStepCount' | 'edgeHighway' | 'edgeName' | 'edgeFactor'
> & {
  /** Whether a crossing way has a refuge island (used while building, not kept). */
  edgeIsland: Uint8Array;
};

/** Safety attributes per graph edge, read from its input edge. */
function edgeAttributes(edges: RoutingNetworkInput['edges'], walk: WalkingGraph, safety: SafetyParams): EdgeAttributes {
  const E = walk.edgeCount;
  const edgeId = new Float64Array(E);
  const edgeClass = new Uint8Array(E);
  const edgeSidewalk = new Uint8Array(E);
  const edgeLit = new Uint8Array(E);
  const edgeCrossing = new Uint8Array(E);
  const edgeIsland = new Uint8Array(E);
  const edgeStepCount = new Int32Array(E).fill(-1);
  const edgeHighway: string[] = new Array(E);
  const edgeName: (string | null)[] = new Array(E);
  const edgeFactorArr = new Float64Array(E);
  for (let k = 0; k < E; k++) {
    const e = walk.edgeInput[k];
    edgeId[k] = edges.id ? Number(edges.id[e]) : e;
    const hw = edges.highway[e];
    edgeHighway[k] = hw;
    edgeName[k] = strAt(edges.name, e);
    edgeClass[k] = roadClassOf(hw);
    edgeSidewalk[k] = sidewalkOf(strAt(edges.sidewalk, e));
    edgeLit[k] = litOf(strAt(edges.lit, e));
    const tags = edges.tags ? edges.tags[e] : null;
    const crossingCol = strAt(edges.crossing, e);
    const footway = strAt(edges.footway, e);
    if (crossingCol !== null || footway === 'crossing') {
      const c = controlOf({
        highway: 'crossing',
        crossing: crossingCol === 'unknown' ? null : crossingCol,
        'crossing:signals': tags?.['crossing:signals'] ?? null,
        'crossing:markings': tags?.['crossing:markings'] ?? null,
      });
      edgeCrossing[k] = c === CONTROL.NONE ? CONTROL.UNKNOWN : c;
      edgeIsland[k] = tags?.['crossing:island'] === 'yes' ? 1 : 0;
    }
    const sc = edges.stepCount ? edges.stepCount[e] : null;
    if (sc !== null && sc !== undefined && Number.isFinite(Number(sc))) edgeStepCount[k] = Number(sc);
    edgeFactorArr[k] = edgeFactor({ cls: edgeClass[k], sidewalk: edgeSidewalk[k], lit: edgeLit[k] }, safety);
  }
  return {
    edgeId,
    edgeClass,
    edgeSidewalk,
    edgeLit,
    edgeCrossing,
    edgeIsland,
    edgeStepCount,
    edgeHighway,
    edgeName,
    edgeFactor: edgeFactorArr,
  };
}

type EdgeGeometry = Pick<RoutingGraph, 'geomOffsets' | 'geomLngLat' | 'geomFrac'>;

/**
 * Geometry per graph edge (from → to), with planar length fractions; a split closed way takes
 * its half of the way's vertices (walk.edgeGeomFirst … edgeGeomLast); an edge without
 * geometry is the straight line between its nodes.
 */
function edgeGeometry(geom: RoutingNetworkInput['edges']['geometry'], walk: WalkingGraph): EdgeGeometry {
  const E = walk.edgeCount;
  const geomOffsets = new Int32Array(E + 1);
  const { edgeGeomFirst, edgeGeomLast } = walk;
  for (let k = 0; k < E; k++) {
    const count = geom && edgeGeomFirst[k] >= 0 ? edgeGeomLast[k] - edgeGeomFirst[k] + 1 : 0;
    geomOffsets[k + 1] = geomOffsets[k] + Math.max(count, 2);
  }
  const geomLngLat = new Float64Array(2 * geomOffsets[E]);
  const geomFrac = new Float64Array(geomOffsets[E]);
  for (let k = 0; k < E; k++) {
    const count = geomOffsets[k + 1] - geomOffsets[k];
    const o = geomOffsets[k];
    if (geom && edgeGeomFirst[k] >= 0 && edgeGeomLast[k] - edgeGeomFirst[k] >= 1) {
      const src = edgeGeomFirst[k];
      for (let q = 0; q < count; q++) {
        geomLngLat[2 * (o + q)] = Number(geom.lngLat[2 * (src + q)]);
        geomLngLat[2 * (o + q) + 1] = Number(geom.lngLat[2 * (src + q) + 1]);
      }
    } else {
      const u = walk.edgeFrom[k],
        v = walk.edgeTo[k];
      geomLngLat[2 * o] = walk.nodeLng[u];
      geomLngLat[2 * o + 1] = walk.nodeLat[u];
      geomLngLat[2 * o + 2] = walk.nodeLng[v];
      geomLngLat[2 * o + 3] = walk.nodeLat[v];
    }
    let total = 0;
    for (let q = 1; q < count; q++) {
      total += haversineM(
        geomLngLat[2 * (o + q - 1)],
        geomLngLat[2 * (o + q - 1) + 1],
        geomLngLat[2 * (o + q)],
        geomLngLat[2 * (o + q) + 1],
      );
      geomFrac[o + q] = total;
    }
    for (let q = 1; q < count; q++) geomFrac[o + q] = total > 0 ? geomFrac[o + q] / total : q / (count - 1);
  }
  return { geomOffsets, geomLngLat, geomFrac };
}

type SlotBearings = Pick<RoutingGraph, 'slotBearing' | 'arcHeadSlot' | 'arcTailSlot'>;

/** Bearing leaving each node along each incident edge (its first distinct vertex), and the arcs' slots. */
function slotBearings(walk: WalkingGraph, geometry: EdgeGeometry): SlotBearings {
  const { incOffsets, incEdges, edgeFrom, projection: p } = walk;
  const { geomOffsets, geomLngLat } = geometry;
  const E = walk.edgeCount;
  const slotBearing = new Float64Array(incEdges.length);
  const arcHeadSlot = new Int32Array(2 * E);
  const arcTailSlot = new Int32Array(2 * E);
  const px = (q: number) => projectX(p, geomLngLat[2 * q]);
  const py = (q: number) => projectY(p, geomLngLat[2 * q + 1]);
  for (let v = 0; v < walk.nodeCount; v++) {
    for (let q = incOffsets[v]; q < incOffsets[v + 1]; q++) {
      const k = incEdges[q];
      const s = q - incOffsets[v];
      const o0 = geomOffsets[k],
        o1 = geomOffsets[k + 1] - 1;
      let bx: number, by: number;
      if (edgeFrom[k] === v) {
        let r = o0 + 1;
        while (r < o1 && px(r) === px(o0) && py(r) === py(o0)) r++;
        bx = px(r) - px(o0);
        by = py(r) - py(o0);
        arcTailSlot[2 * k] = s;
        arcHeadSlot[2 * k + 1] = s;
      } else {
        let r = o1 - 1;
        while (r > o0 && px(r) === px(o1) && py(r) === py(o1)) r--;
        bx = px(r) - px(o1);
        by = py(r) - py(o1);
        arcHeadSlot[2 * k] = s;
        arcTailSlot[2 * k + 1] = s;
      }
      slotBearing[q] = Math.atan2(by, bx);
    }
  }
  return { slotBearing, arcHeadSlot, arcTailSlot };
}

type CrossingWays = Pick<RoutingGraph, 'edgeCrossCode' | 'edgeCrossPenalty'>;

/** Crossing ways that meet no carriageway at either end: priced on the edge itself. */
function crossingWaysOffRoad(walk: WalkingGraph, edges: EdgeAttributes, safety: SafetyParams): CrossingWays {
  const { incOffsets, incEdges, edgeFrom, edgeTo } = walk;
  const { edgeClass, edgeCrossing, edgeIsland } = edges;
  const E = walk.edgeCount;
  const edgeCrossCode = new Uint8Array(E);
  const edgeCrossPenalty = new Float64Array(E);
  const touchesRoad = (v: number) => {
    for (let q = incOffsets[v]; q < incOffsets[v + 1]; q++) if (isCarriageway(edgeClass[incEdges[q]])) return true;
    return false;
  };
  for (let k = 0; k < E; k++) {
    if (!edgeCrossing[k] || touchesRoad(edgeFrom[k]) || touchesRoad(edgeTo[k])) continue;
    edgeCrossCode[k] = (ROAD.UNKNOWN << 3) | edgeCrossing[k];
    edgeCrossPenalty[k] = crossingPenaltyM(ROAD.UNKNOWN, edgeCrossing[k], edgeIsland[k] === 1, safety);
  }
  return { edgeCrossCode, edgeCrossPenalty };
}

/** Whether a road class is a carriageway (cars drive on it). */
export function isCarriageway(cls: number): boolean {
  return cls >= ROAD.LIVING && cls <= ROAD.TRUNK;
}

/** Crossing-way controls by preference when several meet at a node. */
const CONTROL_RANK = [0, 4, 3, 1, 2]; // none < unmarked < unknown < marked < signals

type Sectors = Pick<
  RoutingGraph,
  | 'nodeCtl'
  | 'nodeCtlMapped'
  | 'rayOffset'
  | 'raySlot'
  | 'rayPenalty'
  | 'slotSectorCw'
  | 'slotSectorCcw'
  | 'sectorOffset'
  | 'sectorCost'
  | 'sectorDir'
>;

/** Rays, sectors and the sector-to-sector crossing costs of every node (see the module comment). */
function buildSectors(
  walk: WalkingGraph,
  nodes: NodeAttributes,
  edges: EdgeAttributes,
  slotBearing: Float64Array,
  safety: SafetyParams,
): Sectors {
  const { incOffsets, incEdges } = walk;
  const { edgeClass, edgeCrossing, edgeIsland } = edges;
  const n = walk.nodeCount;
  const rayOffset = new Int32Array(n + 1);
  const sectorOffset = new Int32Array(n + 1);
  const slotSectorCw = new Int32Array(incEdges.length);
  const slotSectorCcw = new Int32Array(incEdges.length);
  const nodeCtl = new Uint8Array(n);
  const nodeCtlMapped = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    let rays = 0;
    for (let q = incOffsets[v]; q < incOffsets[v + 1]; q++) if (isCarriageway(edgeClass[incEdges[q]])) rays++;
    rayOffset[v + 1] = rayOffset[v] + rays;
    const S = rays >= 2 ? rays : 1;
    sectorOffset[v + 1] = sectorOffset[v] + S * S;
  }
  const raySlot = new Int32Array(rayOffset[n]);
  const rayPenalty = new Float32Array(rayOffset[n]);
  const sectorCost = new Float32Array(sectorOffset[n]);
  const sectorDir = new Int8Array(sectorOffset[n]);
  const order: number[] = [];
  for (let v = 0; v < n; v++) {
    const base = incOffsets[v];
    const d = incOffsets[v + 1] - base;
    // control of crossings here: the node's tags, else the best of its crossing ways
    let ctl: number = nodes.nodeControl[v];
    let island = nodes.nodeIsland[v] === 1;
    if (!ctl) {
      for (let q = base; q < base + d; q++) {
        const c = edgeCrossing[incEdges[q]];
        if (CONTROL_RANK[c] > CONTROL_RANK[ctl]) ctl = c;
        if (c && edgeIsland[incEdges[q]]) island = true;
      }
    }
    nodeCtlMapped[v] = ctl ? 1 : 0;
    nodeCtl[v] = ctl || CONTROL.UNMARKED;
    order.length = 0;
    for (let s = 0; s < d; s++) if (isCarriageway(edgeClass[incEdges[base + s]])) order.push(s);
    order.sort((a, b) => slotBearing[base + a] - slotBearing[base + b] || a - b);
    const r0 = rayOffset[v];
    const c = order.length;
    for (let i = 0; i < c; i++) {
      raySlot[r0 + i] = order[i];
      rayPenalty[r0 + i] = crossingPenaltyM(edgeClass[incEdges[base + order[i]]], nodeCtl[v], island, safety);
    }
    // sectors of slots: sector i lies ccw from ray i (to ray i+1)
    for (let s = 0; s < d; s++) {
      const q = base + s;
      if (c <= 1) {
        slotSectorCw[q] = 0;
        slotSectorCcw[q] = 0;
        continue;
      }
      const ri = order.indexOf(s);
      if (ri >= 0) {
        slotSectorCcw[q] = ri;
        slotSectorCw[q] = (ri - 1 + c) % c;
        continue;
      }
      // a footway: the sector its bearing lies in (on a ray: the sector ccw of it)
      const t0 = slotBearing[base + order[0]];
      const a = ccw(t0, slotBearing[q]);
      let sec = c - 1;
      for (let i = 1; i < c; i++) {
        if (a < ccw(t0, slotBearing[base + order[i]])) {
          sec = i - 1;
          break;
        }
      }
      slotSectorCw[q] = sec;
      slotSectorCcw[q] = sec;
    }
    if (c <= 1) continue;
    const so = sectorOffset[v];
    for (let i = 0; i < c; i++) {
      for (let j = 0; j < c; j++) {
        if (i === j) continue;
        let up = 0; // ccw from sector i to j crosses rays i+1 … j
        for (let r = (i + 1) % c; ; r = (r + 1) % c) {
          up += rayPenalty[r0 + r];
          if (r === j) break;
        }
        let down = 0; // cw crosses rays i, i-1, … j+1
        for (let r = i; ; r = (r - 1 + c) % c) {
          down += rayPenalty[r0 + r];
          if (r === (j + 1) % c) break;
        }
        sectorCost[so + i * c + j] = Math.min(up, down);
        sectorDir[so + i * c + j] = up <= down ? 1 : -1;
      }
    }
  }
  return {
    nodeCtl,
    nodeCtlMapped,
    rayOffset,
    raySlot,
    rayPenalty,
    slotSectorCw,
    slotSectorCcw,
    sectorOffset,
    sectorCost,
    sectorDir,
  };
}

/** Number of sides (states) of edge k: 2 along a carriageway, 1 along a footway. */
export function sidesOfEdge(g: RoutingGraph, k: number): number {
  return isCarriageway(g.edgeClass[k]) ? 2 : 1;
}

/** The sector at head(a) of a walker arriving along arc a on `side` (0 left, 1 right). */
export function arriveSector(g: RoutingGraph, a: number, side: number): number {
  const q = g.walk.incOffsets[arcHead(g, a)] + g.arcHeadSlot[a];
  return side === 0 ? g.slotSectorCw[q] : g.slotSectorCcw[q];
}

/** The sector at tail(b) of a walker leaving along arc b on `side`. */
export function leaveSector(g: RoutingGraph, b: number, side: number): number {
  const q = g.walk.incOffsets[arcTail(g, b)] + g.arcTailSlot[b];
  return side === 0 ? g.slotSectorCcw[q] : g.slotSectorCw[q];
}

/** Crossing cost of moving from sector i to sector j at node v, m-eq. */
export function sectorCostAt(g: RoutingGraph, v: number, i: number, j: number): number {
  if (i === j) return 0;
  const c = g.rayOffset[v + 1] - g.rayOffset[v];
  return g.sectorCost[g.sectorOffset[v] + i * c + j];
}

/** Calls `fn(ray)` (global ray index) for each carriageway ray crossed moving from sector i to j at v. */
export function forEachRayCrossed(g: RoutingGraph, v: number, i: number, j: number, fn: (ray: number) => void): void {
  if (i === j) return;
  const r0 = g.rayOffset[v];
  const c = g.rayOffset[v + 1] - r0;
  if (g.sectorDir[g.sectorOffset[v] + i * c + j] > 0) {
    for (let r = (i + 1) % c; ; r = (r + 1) % c) {
      fn(r0 + r);
      if (r === j) break;
    }
  } else {
    for (let r = i; ; r = (r - 1 + c) % c) {
      fn(r0 + r);
      if (r === (j + 1) % c) break;
    }
  }
}

/** The graph edge of a ray (global ray index) at node v. */
export function rayEdge(g: RoutingGraph, v: number, ray: number): number {
  return g.walk.incEdges[g.walk.incOffsets[v] + g.raySlot[ray]];
}

/**
 * Arc costs under a profile (cached on the graph), indexed by arc (`2k` = edge k walked
 * from → to, `2k + 1` backwards): `walkCost[a]` = the walk's effort that way (length, or
 * Tobler's slope effort where the edge has an elevation profile, core/coverage/slope.ts) ×
 * factor (safety on) × step factor (steps; stairs use the stair factor instead of Tobler),
 * Infinity for steps when the profile has none; `fullCost[a]` adds the penalty of a crossing
 * way that meets no carriageway.
 */
export function profileCosts(g: RoutingGraph, spec: ProfileSpec): ProfileCosts {
  const key = `${spec.safety ? 1 : 0}|${spec.stepFactor}`;
  const hit = g.costCache.get(key);
  if (hit) return hit;
  const E = g.edgeCount;
  const walkCost = new Float64Array(2 * E);
  const fullCost = new Float64Array(2 * E);
  for (let a = 0; a < 2 * E; a++) {
    const k = a >> 1;
    // the walking graph was built with stepPenaltyFactor 1: steps cost their length there
    let c = a & 1 ? g.walk.edgeCostBackM[k] : g.walk.edgeCostM[k];
    if (spec.safety) c *= g.edgeFactor[k];
    if (g.walk.edgeIsSteps[k]) c = spec.stepFactor === Infinity ? Infinity : c * spec.stepFactor;
    walkCost[a] = c;
    fullCost[a] = c + (spec.safety ? g.edgeCrossPenalty[k] : 0);
  }
  const r = { spec, walkCost, fullCost };
  g.costCache.set(key, r);
  return r;
}

/** The slot of edge k at node v (-1 when k does not touch v). */
export function slotOf(g: RoutingGraph, v: number, k: number): number {
  if (g.walk.edgeFrom[k] === v) return g.arcTailSlot[2 * k];
  if (g.walk.edgeTo[k] === v) return g.arcHeadSlot[2 * k];
  return -1;
}

/** Head and tail node of arc a. */
export function arcHead(g: RoutingGraph, a: number): number {
  const k = a >> 1;
  return a & 1 ? g.walk.edgeFrom[k] : g.walk.edgeTo[k];
}
export function arcTail(g: RoutingGraph, a: number): number {
  const k = a >> 1;
  return a & 1 ? g.walk.edgeTo[k] : g.walk.edgeFrom[k];
}
