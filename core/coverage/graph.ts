/**
 * The walking graph in compact typed arrays, and how points join it.
 *
 * Built once from the `network_edges` rows (from/to node ids, length, steps, one-way for
 * foot, optional geometry), it holds:
 * - a **CSR adjacency of the reversed walking graph**: an arc a → b means "from b one can
 *   walk to a". Searching outward from facilities on it gives, at every node, the effort to
 *   walk *from that node to* the nearest facility — the direction a child actually walks —
 *   so one-way footways are honoured with a single search;
 * - per edge: endpoints, length (m) and effort (m) **per direction**: `highway=steps` edges
 *   cost `length × stepPenaltyFactor` (see `WalkParams` in ./norms.ts), `Infinity` removes
 *   them; other edges with an elevation profile cost Tobler's hiking function summed over
 *   the profile, up and down separately (./slope.ts); edges without one are flat;
 * - **closed ways** (a loop touching the network at one node, from = to) split in two at the
 *   interior vertex nearest half their length, so they are kept (both graphs build on this);
 * - **connected components**, so that points snap only to edges of the main network
 *   (components of ≥ {@link MIN_COMPONENT_NODES} nodes, capped at the largest);
 * - a bucket index of the edges' straight pieces, for snapping cell centroids and
 *   facilities to the nearest point of the nearest walkable edge.
 *
 * Effort is measured in "level-walking metres": on a network without steps it equals
 * distance; with steps it is the distance one could walk on the level in the same effort.
 *
 * Limitations: a point joins its *nearest* walkable edge, even when that edge is across a
 * river or up a cliff from it (a riverside cell 40 m from the far bank's road and 60 m from
 * its own joins the far bank); the straight legs to and from the network are not checked
 * against barriers; slopes are priced only where a DEM was imported (`network_edges.ele_profile`);
 * a point partway along an edge pays a proportional share of the edge's effort in each
 * direction (the slope is taken as even along the edge for that share). Keep cells small near rivers (100 m) and
 * treat single riverside cells with care.
 *
 * @example
 * const graph = buildWalkingGraph({ nodes, edges }, { stepPenaltyFactor: 2 });
 * const join = joinCells(graph, cells, { maxAccessM: 500 });
 */
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { bboxCentre, createLocalProjection, haversineM, projectX, projectY, unprojectLat, unprojectLng, type LocalProjection } from './geo';
import { DEFAULT_WALK_PARAMS } from './norms';
import { profileClimb, profileEffort } from './slope';

/** Edge list input: parallel arrays, as read from `network_edges` / `network_nodes`. */
export interface WalkingNetworkInput {
  nodes: { id: ArrayLike<number>; lng: ArrayLike<number>; lat: ArrayLike<number> };
  edges: {
    from: ArrayLike<number>;
    to: ArrayLike<number>;
    lengthM: ArrayLike<number>;
    /** Non-zero for `highway=steps`. */
    isSteps?: ArrayLike<number | boolean>;
    /** Non-zero when walking is allowed only from `from` to `to` (`oneway:foot=yes`). */
    onewayFoot?: ArrayLike<number | boolean>;
    /** Zero to leave an edge out (e.g. a motorway without sidewalk); default all walkable. */
    walkable?: ArrayLike<number | boolean>;
    /** Optional polylines: edge e's vertices are lngLat[2·offsets[e] … 2·offsets[e+1]), from → to. */
    geometry?: { offsets: ArrayLike<number>; lngLat: ArrayLike<number> };
    /**
     * Optional elevation profiles: edge e's elevations (m) are values[offsets[e] … offsets[e+1]),
     * equally spaced along it from → to; fewer than 2 values = no elevation (flat). See ./slope.ts.
     */
    elevation?: { offsets: ArrayLike<number>; values: ArrayLike<number> };
  };
}

export interface GraphOptions {
  /** Multiplier on steps' length; Infinity removes steps. Default {@link DEFAULT_WALK_PARAMS}.stepPenaltyFactor. */
  stepPenaltyFactor?: number;
  /** Snapping index bucket size, metres. Default: about one piece per bucket, 50–2000 m. */
  bucketM?: number;
  projection?: LocalProjection;
  /** Price slopes by Tobler's hiking function where edges have elevation profiles (./slope.ts). Default true. */
  slope?: boolean;
  /**
   * Points snap only to edges of components with at least this many nodes (capped at the
   * largest component's size), so that a point never joins a small island of the network
   * (Valhalla's "minimum reachability"). Default {@link MIN_COMPONENT_NODES}; 1 = any edge.
   */
  minComponentNodes?: number;
}

/**
 * Default minimum component size for snapping, nodes. 50 nodes is a few blocks of streets:
 * more than any courtyard, tunnel stub or clipped extract edge seen in the 渝中 and Monaco
 * extracts, fewer than the smallest real neighbourhood (Valhalla's default is 50 too).
 */
export const MIN_COMPONENT_NODES = 50;

export interface WalkingGraph {
  nodeCount: number;
  edgeCount: number;
  nodeLng: Float64Array;
  nodeLat: Float64Array;
  /** Reversed-walking CSR: arcs of node a are targets[offsets[a] … offsets[a+1]). */
  offsets: Int32Array;
  targets: Int32Array;
  arcCostM: Float64Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeLengthM: Float64Array;
  /** Effort to walk the whole edge from → to, level-walking metres. */
  edgeCostM: Float64Array;
  /** Effort to walk it to → from (equal to edgeCostM unless slope is priced). */
  edgeCostBackM: Float64Array;
  /** Climb and descent walking from → to, m (null when no edge has elevation). */
  edgeRiseM: Float64Array | null;
  edgeFallM: Float64Array | null;
  /** 1 where the edge has an elevation profile (null when none has). */
  edgeHasElevation: Uint8Array | null;
  /** Whether any edge's cost came from an elevation profile. */
  slopeUsed: boolean;
  /** Edges with an elevation profile. */
  edgesWithElevation: number;
  /** Vertex range of each edge in the input geometry (first, last; -1 without geometry), from → to. */
  edgeGeomFirst: Int32Array;
  edgeGeomLast: Int32Array;
  /** Nodes of the input (split closed ways add nodes after them). */
  inputNodeCount: number;
  /** Input node index of each node (-1 for a node added by splitting a closed way). */
  nodeInput: Int32Array;
  /** Closed ways (from = to) split in two at an interior vertex. */
  splitLoops: number;
  /** Connected component (walking either way) of each node, and nodes per component. */
  nodeComponent: Int32Array;
  componentNodes: Int32Array;
  /** 1 when the edge's component has at least `minComponentNodes` nodes: points may snap to it. */
  edgeMain: Uint8Array;
  minComponentNodes: number;
  edgeOneway: Uint8Array;
  edgeIsSteps: Uint8Array;
  /** Index of the edge in the input. */
  edgeInput: Int32Array;
  /** Node → incident edges (both directions). */
  incOffsets: Int32Array;
  incEdges: Int32Array;
  projection: LocalProjection;
  /** Straight pieces, projected: x0, y0, x1, y1 per piece. */
  pieces: Float64Array;
  pieceEdge: Int32Array;
  /** Fraction along the edge at each end of the piece. */
  pieceT0: Float64Array;
  pieceT1: Float64Array;
  buckets: { sizeM: number; originX: number; originY: number; cols: number; rows: number; offsets: Int32Array; items: Int32Array };
  stepPenaltyFactor: number;
  /** Input edges left out: unknown node, not walkable, steps with an infinite penalty, or loops without an interior vertex. */
  skippedEdges: number;
}

const truthy = (a: ArrayLike<number | boolean> | undefined, i: number): boolean => (a ? Boolean(a[i]) : false);

/**
 * Builds the compact walking graph from edge lists. Inputs are not modified.
 * @example
 * buildWalkingGraph({
 *   nodes: { id: [1, 2], lng: [106.5, 106.501], lat: [29.5, 29.5] },
 *   edges: { from: [1], to: [2], lengthM: [96.9] },
 * });
 */
export function buildWalkingGraph(input: WalkingNetworkInput, options: GraphOptions = {}): WalkingGraph {
  const factor = options.stepPenaltyFactor ?? DEFAULT_WALK_PARAMS.stepPenaltyFactor;
  if (!(factor >= 1)) throw new Error('buildWalkingGraph: stepPenaltyFactor must be ≥ 1 (or Infinity)');
  const useSlope = options.slope ?? true;
  const { nodes, edges } = input;
  const inputNodeCount = nodes.id.length;
  const byId = new Map<number, number>();
  for (let i = 0; i < inputNodeCount; i++) byId.set(Number(nodes.id[i]), i);
  const [cx, cy] = bboxCentre(Float64Array.from(nodes.lng), Float64Array.from(nodes.lat));
  const projection = options.projection ?? createLocalProjection(cx, cy);
  const geom = edges.geometry;
  const ele = edges.elevation;

  const m = edges.from.length;
  const keep: number[] = [];
  const kFrom: number[] = [],
    kTo: number[] = [],
    kFirst: number[] = [],
    kLast: number[] = [],
    kF0: number[] = [],
    kF1: number[] = [];
  const extraLng: number[] = [],
    extraLat: number[] = [];
  let skipped = 0,
    splitLoops = 0;
  const push = (e: number, u: number, v: number, first: number, last: number, f0: number, f1: number) => {
    keep.push(e);
    kFrom.push(u);
    kTo.push(v);
    kFirst.push(first);
    kLast.push(last);
    kF0.push(f0);
    kF1.push(f1);
  };
  for (let e = 0; e < m; e++) {
    const u = byId.get(Number(edges.from[e]));
    const v = byId.get(Number(edges.to[e]));
    const walkable = edges.walkable ? Boolean(edges.walkable[e]) : true;
    const steps = truthy(edges.isSteps, e);
    if (u === undefined || v === undefined || !walkable || (steps && factor === Infinity) || !(edges.lengthM[e] >= 0)) {
      skipped++;
      continue;
    }
    const first = geom && Number(geom.offsets[e + 1]) - Number(geom.offsets[e]) >= 2 ? Number(geom.offsets[e]) : -1;
    const last = first >= 0 ? Number(geom!.offsets[e + 1]) - 1 : -1;
    if (u !== v) {
      push(e, u, v, first, last, 0, 1);
      continue;
    }
    // a closed way (loop touching the network at one node): split at the interior vertex
    // nearest half its length, so that both halves are kept (a new node there)
    if (first < 0 || last - first < 2) {
      skipped++;
      continue;
    }
    const cum: number[] = [0];
    for (let q = first + 1; q <= last; q++) {
      const dx = projectX(projection, geom!.lngLat[2 * q]) - projectX(projection, geom!.lngLat[2 * q - 2]);
      const dy = projectY(projection, geom!.lngLat[2 * q + 1]) - projectY(projection, geom!.lngLat[2 * q - 1]);
      cum.push(cum[cum.length - 1] + Math.hypot(dx, dy));
    }
    const total = cum[cum.length - 1];
    let mid = -1;
    for (let q = first + 1; q < last; q++)
      if (mid < 0 || Math.abs(cum[q - first] - total / 2) < Math.abs(cum[mid - first] - total / 2)) mid = q;
    if (!(total > 0)) {
      skipped++;
      continue;
    }
    const f = cum[mid - first] / total;
    const w = inputNodeCount + extraLng.length;
    extraLng.push(Number(geom!.lngLat[2 * mid]));
    extraLat.push(Number(geom!.lngLat[2 * mid + 1]));
    push(e, u, w, first, mid, 0, f);
    push(e, w, u, mid, last, f, 1);
    splitLoops++;
  }
  const nodeCount = inputNodeCount + extraLng.length;
  const nodeLng = new Float64Array(nodeCount);
  const nodeLat = new Float64Array(nodeCount);
  const nodeInput = new Int32Array(nodeCount).fill(-1);
  for (let i = 0; i < inputNodeCount; i++) {
    nodeLng[i] = Number(nodes.lng[i]);
    nodeLat[i] = Number(nodes.lat[i]);
    nodeInput[i] = i;
  }
  for (let j = 0; j < extraLng.length; j++) {
    nodeLng[inputNodeCount + j] = extraLng[j];
    nodeLat[inputNodeCount + j] = extraLat[j];
  }

  const edgeCount = keep.length;
  const edgeFrom = Int32Array.from(kFrom);
  const edgeTo = Int32Array.from(kTo);
  const edgeLengthM = new Float64Array(edgeCount);
  const edgeCostM = new Float64Array(edgeCount);
  const edgeCostBackM = new Float64Array(edgeCount);
  const edgeOneway = new Uint8Array(edgeCount);
  const edgeIsSteps = new Uint8Array(edgeCount);
  const edgeInput = Int32Array.from(keep);
  let edgeRiseM: Float64Array | null = null,
    edgeFallM: Float64Array | null = null,
    edgeHasElevation: Uint8Array | null = null;
  let edgesWithElevation = 0;
  let slopeUsed = false;
  for (let k = 0; k < edgeCount; k++) {
    const e = keep[k];
    const steps = truthy(edges.isSteps, e);
    const fullM = Number(edges.lengthM[e]);
    const f0 = kF0[k],
      f1 = kF1[k];
    const len = fullM * (f1 - f0);
    edgeLengthM[k] = len;
    edgeOneway[k] = truthy(edges.onewayFoot, e) ? 1 : 0;
    edgeIsSteps[k] = steps ? 1 : 0;
    const p0 = ele ? Number(ele.offsets[e]) : 0,
      p1 = ele ? Number(ele.offsets[e + 1]) : 0;
    const hasEle = ele !== undefined && p1 - p0 >= 2;
    if (hasEle) {
      edgesWithElevation++;
      if (!edgeRiseM) {
        edgeRiseM = new Float64Array(edgeCount);
        edgeFallM = new Float64Array(edgeCount);
        edgeHasElevation = new Uint8Array(edgeCount);
      }
      edgeHasElevation![k] = 1;
      const c = profileClimb(ele!.values, f0, f1, p0, p1);
      edgeRiseM[k] = c.riseM;
      edgeFallM![k] = c.fallM;
    }
    if (steps) {
      // stairs: the stair factor (Weidmann 1993) instead of Tobler, both ways
      edgeCostM[k] = edgeCostBackM[k] = len * factor;
    } else if (hasEle && useSlope) {
      edgeCostM[k] = profileEffort(ele!.values, fullM, f0, f1, p0, p1);
      edgeCostBackM[k] = profileEffort(ele!.values, fullM, f1, f0, p0, p1);
      slopeUsed = true;
    } else {
      edgeCostM[k] = edgeCostBackM[k] = len;
    }
  }

  // connected components (walking either way), for snapping to the main network only
  const parent = new Int32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let k = 0; k < edgeCount; k++) {
    const a = find(edgeFrom[k]),
      b = find(edgeTo[k]);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const nodeComponent = new Int32Array(nodeCount);
  const rootComp = new Int32Array(nodeCount).fill(-1);
  const compSizes: number[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const r = find(i);
    if (rootComp[r] < 0) {
      rootComp[r] = compSizes.length;
      compSizes.push(0);
    }
    nodeComponent[i] = rootComp[r];
    compSizes[rootComp[r]]++;
  }
  // nodes that no kept edge touches are no network: count only nodes with edges
  const touched = new Uint8Array(nodeCount);
  for (let k = 0; k < edgeCount; k++) touched[edgeFrom[k]] = touched[edgeTo[k]] = 1;
  const componentNodes = new Int32Array(compSizes.length);
  for (let i = 0; i < nodeCount; i++) if (touched[i]) componentNodes[nodeComponent[i]]++;
  let largest = 0;
  for (let c = 0; c < componentNodes.length; c++) largest = Math.max(largest, componentNodes[c]);
  const minComponentNodes = Math.max(1, Math.min(options.minComponentNodes ?? MIN_COMPONENT_NODES, largest));
  const edgeMain = new Uint8Array(edgeCount);
  for (let k = 0; k < edgeCount; k++) edgeMain[k] = componentNodes[nodeComponent[edgeFrom[k]]] >= minComponentNodes ? 1 : 0;

  // reversed-walking CSR: walking u→v (always) gives arc v→u; walking v→u (two-way) gives arc u→v
  const degree = new Int32Array(nodeCount + 1);
  const incDegree = new Int32Array(nodeCount + 1);
  for (let k = 0; k < edgeCount; k++) {
    degree[edgeTo[k] + 1]++;
    if (!edgeOneway[k]) degree[edgeFrom[k] + 1]++;
    incDegree[edgeFrom[k] + 1]++;
    incDegree[edgeTo[k] + 1]++;
  }
  for (let i = 0; i < nodeCount; i++) {
    degree[i + 1] += degree[i];
    incDegree[i + 1] += incDegree[i];
  }
  const offsets = degree;
  const incOffsets = incDegree;
  const targets = new Int32Array(offsets[nodeCount]);
  const arcCostM = new Float64Array(offsets[nodeCount]);
  const incEdges = new Int32Array(incOffsets[nodeCount]);
  const fill = offsets.slice(0, nodeCount);
  const incFill = incOffsets.slice(0, nodeCount);
  for (let k = 0; k < edgeCount; k++) {
    const u = edgeFrom[k],
      v = edgeTo[k];
    let a = fill[v]++;
    targets[a] = u;
    arcCostM[a] = edgeCostM[k];
    if (!edgeOneway[k]) {
      a = fill[u]++;
      targets[a] = v;
      arcCostM[a] = edgeCostBackM[k];
    }
    incEdges[incFill[u]++] = k;
    incEdges[incFill[v]++] = k;
  }

  // straight pieces for snapping
  const px: number[] = [],
    pe: number[] = [],
    pt0: number[] = [],
    pt1: number[] = [];
  for (let k = 0; k < edgeCount; k++) {
    let xs: number[], ys: number[];
    if (geom && kFirst[k] >= 0) {
      xs = [];
      ys = [];
      for (let q = kFirst[k]; q <= kLast[k]; q++) {
        xs.push(projectX(projection, geom.lngLat[2 * q]));
        ys.push(projectY(projection, geom.lngLat[2 * q + 1]));
      }
    } else {
      xs = [projectX(projection, nodeLng[edgeFrom[k]]), projectX(projection, nodeLng[edgeTo[k]])];
      ys = [projectY(projection, nodeLat[edgeFrom[k]]), projectY(projection, nodeLat[edgeTo[k]])];
    }
    let total = 0;
    for (let q = 1; q < xs.length; q++) total += Math.hypot(xs[q] - xs[q - 1], ys[q] - ys[q - 1]);
    let run = 0;
    for (let q = 1; q < xs.length; q++) {
      const len = Math.hypot(xs[q] - xs[q - 1], ys[q] - ys[q - 1]);
      px.push(xs[q - 1], ys[q - 1], xs[q], ys[q]);
      pe.push(k);
      pt0.push(total > 0 ? run / total : 0);
      run += len;
      pt1.push(total > 0 ? run / total : 1);
    }
  }
  const pieces = Float64Array.from(px);
  const buckets = bucketPieces(pieces, options.bucketM ?? defaultBucketM(pieces));

  return {
    nodeCount,
    edgeCount,
    nodeLng,
    nodeLat,
    offsets,
    targets,
    arcCostM,
    edgeFrom,
    edgeTo,
    edgeLengthM,
    edgeCostM,
    edgeCostBackM,
    edgeRiseM,
    edgeFallM,
    edgeHasElevation,
    slopeUsed,
    edgesWithElevation,
    edgeGeomFirst: Int32Array.from(kFirst),
    edgeGeomLast: Int32Array.from(kLast),
    inputNodeCount,
    nodeInput,
    splitLoops,
    nodeComponent,
    componentNodes,
    edgeMain,
    minComponentNodes,
    edgeOneway,
    edgeIsSteps,
    edgeInput,
    incOffsets,
    incEdges,
    projection,
    pieces,
    pieceEdge: Int32Array.from(pe),
    pieceT0: Float64Array.from(pt0),
    pieceT1: Float64Array.from(pt1),
    buckets,
    stepPenaltyFactor: factor,
    skippedEdges: skipped,
  };
}

/** [minX, minY, maxX, maxY] of the pieces' end points (±Infinity when there are none). */
function piecesBounds(pieces: Float64Array): [number, number, number, number] {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (let i = 0; i < pieces.length; i += 2) {
    minX = Math.min(minX, pieces[i]);
    maxX = Math.max(maxX, pieces[i]);
    minY = Math.min(minY, pieces[i + 1]);
    maxY = Math.max(maxY, pieces[i + 1]);
  }
  return [minX, minY, maxX, maxY];
}

function defaultBucketM(pieces: Float64Array): number {
  const n = pieces.length / 4;
  if (n === 0) return 100;
  const [minX, minY, maxX, maxY] = piecesBounds(pieces);
  const size = Math.sqrt(((maxX - minX + 1) * (maxY - minY + 1)) / n);
  return Math.min(2000, Math.max(50, size));
}

function bucketPieces(pieces: Float64Array, sizeM: number): WalkingGraph['buckets'] {
  const n = pieces.length / 4;
  const [minX, minY, maxX, maxY] = piecesBounds(pieces);
  if (n === 0) return { sizeM, originX: 0, originY: 0, cols: 0, rows: 0, offsets: new Int32Array(1), items: new Int32Array(0) };
  const originX = minX,
    originY = minY;
  const cols = Math.max(1, Math.floor((maxX - minX) / sizeM) + 1);
  const rows = Math.max(1, Math.floor((maxY - minY) / sizeM) + 1);
  const range = (i: number) => {
    const x0 = pieces[4 * i],
      y0 = pieces[4 * i + 1],
      x1 = pieces[4 * i + 2],
      y1 = pieces[4 * i + 3];
    return [
      Math.floor((Math.min(x0, x1) - originX) / sizeM),
      Math.floor((Math.min(y0, y1) - originY) / sizeM),
      Math.min(cols - 1, Math.floor((Math.max(x0, x1) - originX) / sizeM)),
      Math.min(rows - 1, Math.floor((Math.max(y0, y1) - originY) / sizeM)),
    ];
  };
  const counts = new Int32Array(cols * rows + 1);
  for (let i = 0; i < n; i++) {
    const [c0, r0, c1, r1] = range(i);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) counts[r * cols + c + 1]++;
  }
  for (let b = 0; b < cols * rows; b++) counts[b + 1] += counts[b];
  const items = new Int32Array(counts[cols * rows]);
  const fill = counts.slice(0, cols * rows);
  for (let i = 0; i < n; i++) {
    const [c0, r0, c1, r1] = range(i);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) items[fill[r * cols + c]++] = i;
  }
  return { sizeM, originX, originY, cols, rows, offsets: counts, items };
}

/** Where points meet the network: per point, the edge (-1 = none within reach), fraction along it and the straight leg. */
export interface Snaps {
  count: number;
  edge: Int32Array;
  /** Fraction 0–1 along the edge from its `from` node. */
  t: Float64Array;
  /** Straight walk from the point to the edge, metres (haversine); Infinity when not snapped. */
  legM: Float64Array;
}

let stamp = new Int32Array(0);
let stampNow = 0;

/**
 * Nearest point on the nearest walkable edge within `maxM` metres of each point, among the
 * edges of the main network (components of at least `graph.minComponentNodes` nodes,
 * `edgeMain`): a point beside a small island (a gated courtyard, a tunnel stub, an edge cut
 * off by the extract's border) joins the nearest street that leads somewhere instead. Only
 * when no main-network edge is within `maxM` does the point join the nearest edge of any
 * component (a lone piece of network is better than none; routes then say "disconnected"
 * when the other end is elsewhere). `anyComponent` lifts the rule altogether.
 * @example const s = snapPoints(graph, [106.55], [29.56], 500); s.edge[0], s.t[0], s.legM[0]
 */
export function snapPoints(
  graph: WalkingGraph,
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  maxM: number,
  o: { anyComponent?: boolean } = {},
): Snaps {
  const all = o.anyComponent || graph.minComponentNodes <= 1;
  const first = snapWithin(graph, lng, lat, maxM, all ? null : graph.edgeMain);
  if (all) return first;
  const missing: number[] = [];
  for (let i = 0; i < first.count; i++) if (first.edge[i] < 0) missing.push(i);
  if (!missing.length) return first;
  const second = snapWithin(
    graph,
    missing.map((i) => lng[i]),
    missing.map((i) => lat[i]),
    maxM,
    null,
  );
  missing.forEach((i, j) => {
    first.edge[i] = second.edge[j];
    first.t[i] = second.t[j];
    first.legM[i] = second.legM[j];
  });
  return first;
}

function snapWithin(graph: WalkingGraph, lng: ArrayLike<number>, lat: ArrayLike<number>, maxM: number, main: Uint8Array | null): Snaps {
  const n = lng.length;
  const edge = new Int32Array(n).fill(-1);
  const t = new Float64Array(n);
  const legM = new Float64Array(n).fill(Infinity);
  const { pieces, pieceEdge, pieceT0, pieceT1, buckets: B, projection: p } = graph;
  const pieceCount = pieceEdge.length;
  if (stamp.length < pieceCount) stamp = new Int32Array(pieceCount);
  if (B.cols === 0) return { count: n, edge, t, legM };
  // planar search radius a little wider than maxM, then the haversine leg decides
  const searchM = maxM * 1.01 + 1;
  for (let i = 0; i < n; i++) {
    const qx = projectX(p, lng[i]);
    const qy = projectY(p, lat[i]);
    const bc = Math.floor((qx - B.originX) / B.sizeM);
    const br = Math.floor((qy - B.originY) / B.sizeM);
    // distance from the query to the bucket grid (0 inside), in buckets, to start the rings there
    const outC = bc < 0 ? -bc : bc >= B.cols ? bc - B.cols + 1 : 0;
    const outR = br < 0 ? -br : br >= B.rows ? br - B.rows + 1 : 0;
    const kStart = Math.max(outC, outR);
    const kMax = Math.max(B.cols, B.rows) + kStart;
    stampNow++;
    if (stampNow === 0x7fffffff) {
      stamp.fill(0);
      stampNow = 1;
    }
    let bestD2 = searchM * searchM;
    let best = -1;
    let bestU = 0;
    for (let k = kStart; k <= kMax; k++) {
      if ((k - 1) * B.sizeM > searchM) break;
      if (best >= 0 && bestD2 <= (k - 1) * B.sizeM * ((k - 1) * B.sizeM) && k > kStart) break;
      const r0 = br - k,
        r1 = br + k,
        c0 = bc - k,
        c1 = bc + k;
      for (let r = Math.max(0, r0); r <= Math.min(B.rows - 1, r1); r++) {
        const edgeRow = r === r0 || r === r1;
        for (let c = Math.max(0, c0); c <= Math.min(B.cols - 1, c1); c++) {
          if (!edgeRow && c !== c0 && c !== c1) continue;
          const b = r * B.cols + c;
          for (let q = B.offsets[b]; q < B.offsets[b + 1]; q++) {
            const s = B.items[q];
            if (stamp[s] === stampNow) continue;
            stamp[s] = stampNow;
            if (main && !main[pieceEdge[s]]) continue;
            const x0 = pieces[4 * s],
              y0 = pieces[4 * s + 1],
              x1 = pieces[4 * s + 2],
              y1 = pieces[4 * s + 3];
            const dx = x1 - x0,
              dy = y1 - y0;
            const len2 = dx * dx + dy * dy;
            let u = len2 > 0 ? ((qx - x0) * dx + (qy - y0) * dy) / len2 : 0;
            u = u < 0 ? 0 : Math.min(u, 1);
            const ex = x0 + u * dx - qx,
              ey = y0 + u * dy - qy;
            const d2 = ex * ex + ey * ey;
            if (d2 < bestD2 || (d2 === bestD2 && best >= 0 && s < best)) {
              bestD2 = d2;
              best = s;
              bestU = u;
            }
          }
        }
      }
    }
    if (best < 0) continue;
    const x = pieces[4 * best] + bestU * (pieces[4 * best + 2] - pieces[4 * best]);
    const y = pieces[4 * best + 1] + bestU * (pieces[4 * best + 3] - pieces[4 * best + 1]);
    const leg = haversineM(lng[i], lat[i], unprojectLng(p, x), unprojectLat(p, y));
    if (leg > maxM) continue;
    edge[i] = pieceEdge[best];
    t[i] = pieceT0[best] + bestU * (pieceT1[best] - pieceT0[best]);
    legM[i] = leg;
  }
  return { count: n, edge, t, legM };
}

/** Cells joined to the network, with the reverse map edge → cells for incremental updates. */
export interface CellJoin extends Snaps {
  maxAccessM: number;
  /** Cells on edge k: cellsByEdge[edgeCellOffsets[k] … edgeCellOffsets[k+1]). */
  edgeCellOffsets: Int32Array;
  cellsByEdge: Int32Array;
}

/**
 * Joins every cell to its nearest walkable edge; cells farther than `maxAccessM` get edge -1
 * ("no network access").
 * @example const join = joinCells(graph, cells, { maxAccessM: 500 });
 */
export function joinCells(
  graph: WalkingGraph,
  cells: { lng: ArrayLike<number>; lat: ArrayLike<number> },
  options: { maxAccessM?: number } = {},
): CellJoin {
  const maxAccessM = options.maxAccessM ?? DEFAULT_WALK_PARAMS.maxAccessM;
  const s = snapPoints(graph, cells.lng, cells.lat, maxAccessM);
  const counts = new Int32Array(graph.edgeCount + 1);
  for (let i = 0; i < s.count; i++) if (s.edge[i] >= 0) counts[s.edge[i] + 1]++;
  for (let k = 0; k < graph.edgeCount; k++) counts[k + 1] += counts[k];
  const cellsByEdge = new Int32Array(counts[graph.edgeCount]);
  const fill = counts.slice(0, graph.edgeCount);
  for (let i = 0; i < s.count; i++) if (s.edge[i] >= 0) cellsByEdge[fill[s.edge[i]]++] = i;
  return { ...s, maxAccessM, edgeCellOffsets: counts, cellsByEdge };
}

/**
 * Flat [lng0, lat0, lng1, lat1, …] of the graph's straight pieces, e.g. for street density.
 * @example streetLengthPerCell(grid, graphSegments(graph));
 */
export function graphSegments(graph: WalkingGraph): Float64Array {
  const p = graph.projection;
  const out = new Float64Array(graph.pieces.length);
  for (let i = 0; i < graph.pieces.length; i += 2) {
    out[i] = unprojectLng(p, graph.pieces[i]);
    out[i + 1] = unprojectLat(p, graph.pieces[i + 1]);
  }
  return out;
}

/** Highway values that are not for walking unless tagged otherwise (OSM access defaults). */
export const NOT_WALKABLE_HIGHWAYS: ReadonlySet<string> = new Set([
  'motorway',
  'motorway_link',
  'construction',
  'proposed',
  'raceway',
  'bus_guideway',
  'busway',
  'abandoned',
  'escape',
]);

/**
 * Whether a `network_edges.highway` is walkable (sidewalk tags make a motorway walkable: rare, but respected).
 * @example isWalkableHighway('motorway'); // false
 */
export function isWalkableHighway(highway: string, sidewalk?: string | null): boolean {
  if (!NOT_WALKABLE_HIGHWAYS.has(highway)) return true;
  return sidewalk !== undefined && sidewalk !== null && sidewalk !== 'no' && sidewalk !== 'none';
}

/** Properties read from a LineString feature of a network GeoJSON. */
interface EdgeProps {
  from_node?: number | string;
  to_node?: number | string;
  length_m?: number;
  highway?: string;
  is_steps?: boolean;
  oneway_foot?: boolean;
  sidewalk?: string | null;
}

/**
 * Edge lists from a GeoJSON FeatureCollection of LineStrings with `network_edges`-style
 * properties (`from_node`, `to_node`, `length_m`, `highway`, `is_steps`, `oneway_foot`).
 * Node positions are the lines' end points; missing node ids are made from positions;
 * missing lengths are the lines' haversine lengths. Other geometries are ignored.
 * @example buildWalkingGraph(networkFromGeoJSON(fc));
 */
export function networkFromGeoJSON(fc: FeatureCollection): WalkingNetworkInput {
  const nodeIds: number[] = [],
    nodeLng: number[] = [],
    nodeLat: number[] = [];
  const seen = new Map<string, number>();
  const posIds = new Map<string, number>();
  let nextSynthetic = -1;
  const nodeAt = (id: number | string | undefined, lng: number, lat: number): number => {
    let key: number;
    if (id === undefined || id === null) {
      const pk = `${lng},${lat}`;
      if (!posIds.has(pk)) posIds.set(pk, nextSynthetic--);
      key = posIds.get(pk)!;
    } else key = Number(id);
    if (!seen.has(String(key))) {
      seen.set(String(key), nodeIds.length);
      nodeIds.push(key);
      nodeLng.push(lng);
      nodeLat.push(lat);
    }
    return key;
  };
  const from: number[] = [],
    to: number[] = [],
    lengthM: number[] = [],
    isSteps: number[] = [],
    oneway: number[] = [],
    walkable: number[] = [];
  const offsets: number[] = [0];
  const coords: number[] = [];
  for (const f of fc.features as Feature[]) {
    if (f.geometry?.type !== 'LineString') continue;
    const line = (f.geometry as LineString).coordinates;
    if (line.length < 2) continue;
    const pr = (f.properties ?? {}) as EdgeProps;
    const a = line[0],
      b = line[line.length - 1];
    from.push(nodeAt(pr.from_node, a[0], a[1]));
    to.push(nodeAt(pr.to_node, b[0], b[1]));
    let len = pr.length_m;
    if (typeof len !== 'number') {
      len = 0;
      for (let q = 1; q < line.length; q++) len += haversineM(line[q - 1][0], line[q - 1][1], line[q][0], line[q][1]);
    }
    lengthM.push(len);
    isSteps.push(pr.is_steps || pr.highway === 'steps' ? 1 : 0);
    oneway.push(pr.oneway_foot ? 1 : 0);
    walkable.push(pr.highway ? (isWalkableHighway(pr.highway, pr.sidewalk) ? 1 : 0) : 1);
    for (const c of line) coords.push(c[0], c[1]);
    offsets.push(coords.length / 2);
  }
  return {
    nodes: { id: nodeIds, lng: nodeLng, lat: nodeLat },
    edges: { from, to, lengthM, isSteps, onewayFoot: oneway, walkable, geometry: { offsets, lngLat: coords } },
  };
}
