/**
 * Multi-source Dijkstra on the compact walking graph, with a typed-array binary heap.
 *
 * One pass per category from all its facilities at once gives every node the effort to
 * the nearest facility and which facility that is (the "label"): O((V + E) log V) for the
 * whole city instead of one isochrone per facility. The same routine, given existing
 * distances, does incremental updates: it only follows improvements, so adding a facility
 * touches just the area where it becomes the nearest.
 *
 * @example
 * const seeds = facilitySeeds(graph, snaps);
 * const { dist, label } = multiSourceDijkstra(graph, seeds);
 */
import type { Snaps, WalkingGraph } from './graph';

/** Initial efforts at nodes (a facility sits between two nodes, so it usually seeds two). */
export interface Seeds {
  node: Int32Array;
  costM: Float64Array;
  /** Facility number each seed belongs to. */
  label: Int32Array;
}

/**
 * Seeds for snapped facilities: a facility at fraction t of edge (u → v) with a straight leg L
 * seeds u with L + t·cost(u → v) (walk forward along the edge, always allowed) and v with
 * L + (1 − t)·cost(v → u) when the edge can be walked backwards. Facilities with edge −1 are skipped.
 * `ids` maps snap i to a facility number (default i).
 * @example facilitySeeds(graph, snapPoints(graph, lng, lat, 500));
 */
export function facilitySeeds(graph: WalkingGraph, snaps: Snaps, ids?: ArrayLike<number>): Seeds {
  const node: number[] = [],
    cost: number[] = [],
    label: number[] = [];
  for (let i = 0; i < snaps.count; i++) {
    const e = snaps.edge[i];
    if (e < 0) continue;
    const id = ids ? ids[i] : i;
    node.push(graph.edgeFrom[e]);
    cost.push(snaps.legM[i] + snaps.t[i] * graph.edgeCostM[e]);
    label.push(id);
    if (!graph.edgeOneway[e]) {
      node.push(graph.edgeTo[e]);
      cost.push(snaps.legM[i] + (1 - snaps.t[i]) * graph.edgeCostBackM[e]);
      label.push(id);
    }
  }
  return { node: Int32Array.from(node), costM: Float64Array.from(cost), label: Int32Array.from(label) };
}

export interface DijkstraOptions {
  /** Stop expanding beyond this effort (level-walking metres). Default Infinity. */
  cutoffM?: number;
  /**
   * Existing distances and labels to improve on (incremental mode). They are copied, never
   * modified; nodes are only updated where the new seeds do strictly better.
   */
  dist?: Float64Array;
  label?: Int32Array;
}

export interface DijkstraResult {
  /** Effort to the nearest source, level-walking metres (Infinity = beyond cutoff / unreachable). */
  dist: Float64Array;
  /** Facility number of the nearest source (-1 none). */
  label: Int32Array;
  /** Nodes whose distance was set or improved by this run, in settle order. */
  changed: Int32Array;
  /** Heap pops (for edges/s figures). */
  pops: number;
  /** Arcs relaxed. */
  relaxed: number;
}

/** A growable binary min-heap of (key, node) in typed arrays; stale entries are skipped by the caller. */
export class Heap {
  keys: Float64Array;
  vals: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.vals = new Int32Array(Math.max(16, capacity));
  }
  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      const v = new Int32Array(this.size * 2);
      v.set(this.vals);
      this.keys = k;
      this.vals = v;
    }
    let i = this.size++;
    const keys = this.keys,
      vals = this.vals;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent];
      vals[i] = vals[parent];
      i = parent;
    }
    keys[i] = key;
    vals[i] = val;
  }
  /** Removes the top; read `topKey`/`topVal` before calling. */
  pop(): void {
    const keys = this.keys,
      vals = this.vals;
    const n = --this.size;
    if (n === 0) return;
    const key = keys[n],
      val = vals[n];
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      if (c + 1 < n && keys[c + 1] < keys[c]) c++;
      if (keys[c] >= key) break;
      keys[i] = keys[c];
      vals[i] = vals[c];
      i = c;
    }
    keys[i] = key;
    vals[i] = val;
  }
}

/**
 * Dijkstra from many sources at once on the reversed-walking graph.
 * @example const r = multiSourceDijkstra(graph, seeds, { cutoffM: 1000 });
 */
export function multiSourceDijkstra(graph: WalkingGraph, seeds: Seeds, options: DijkstraOptions = {}): DijkstraResult {
  const n = graph.nodeCount;
  const cutoff = options.cutoffM ?? Infinity;
  const dist = options.dist ? Float64Array.from(options.dist) : new Float64Array(n).fill(Infinity);
  const label = options.label ? Int32Array.from(options.label) : new Int32Array(n).fill(-1);
  const heap = new Heap(Math.min(n, 1024) + seeds.node.length);
  const changed: number[] = [];
  const done = new Uint8Array(n);
  for (let s = 0; s < seeds.node.length; s++) {
    const v = seeds.node[s],
      c = seeds.costM[s];
    if (c > cutoff) continue;
    if (c < dist[v] || (c === dist[v] && seeds.label[s] < label[v] && !options.dist)) {
      dist[v] = c;
      label[v] = seeds.label[s];
      heap.push(c, v);
    }
  }
  const { offsets, targets, arcCostM } = graph;
  let pops = 0,
    relaxed = 0;
  while (heap.size > 0) {
    const d = heap.keys[0];
    const u = heap.vals[0];
    heap.pop();
    if (done[u] || d > dist[u]) continue;
    done[u] = 1;
    pops++;
    changed.push(u);
    const lu = label[u];
    for (let a = offsets[u]; a < offsets[u + 1]; a++) {
      const v = targets[a];
      const nd = d + arcCostM[a];
      relaxed++;
      if (nd > cutoff) continue;
      if (nd < dist[v]) {
        dist[v] = nd;
        label[v] = lu;
        heap.push(nd, v);
      }
    }
  }
  return { dist, label, changed: Int32Array.from(changed), pops, relaxed };
}

/**
 * Reusable arrays for many small bounded searches (2SFCA catchments, site candidates):
 * only the nodes a search touched are reset before the next one, so a search costs its
 * catchment, not the whole graph.
 */
export interface SearchScratch {
  dist: Float64Array;
  label: Int32Array;
  touched: Int32Array;
  touchedCount: number;
  /** Nodes settled by the last search, in order; valid until the next search. */
  settled: Int32Array;
  settledCount: number;
  heap: Heap;
}

/** Scratch space for {@link boundedSearch} on a graph of `nodeCount` nodes. */
export function createSearchScratch(nodeCount: number): SearchScratch {
  return {
    dist: new Float64Array(nodeCount).fill(Infinity),
    label: new Int32Array(nodeCount).fill(-1),
    touched: new Int32Array(nodeCount),
    touchedCount: 0,
    settled: new Int32Array(nodeCount),
    settledCount: 0,
    heap: new Heap(1024),
  };
}

/**
 * A Dijkstra bounded by `cutoffM` that reuses `scratch`. Afterwards `scratch.dist` /
 * `scratch.label` hold the result (Infinity / -1 elsewhere) and `scratch.settled` the
 * nodes reached. Returns the number of arcs relaxed.
 * @example const s = createSearchScratch(graph.nodeCount); boundedSearch(graph, seeds, 300, s);
 */
export function boundedSearch(graph: WalkingGraph, seeds: Seeds, cutoffM: number, scratch: SearchScratch): number {
  const { dist, label, touched, settled } = scratch;
  for (let k = 0; k < scratch.touchedCount; k++) {
    dist[touched[k]] = Infinity;
    label[touched[k]] = -1;
  }
  scratch.touchedCount = 0;
  scratch.settledCount = 0;
  const heap = scratch.heap;
  heap.size = 0;
  const touch = (v: number) => {
    if (dist[v] === Infinity) touched[scratch.touchedCount++] = v;
  };
  for (let s = 0; s < seeds.node.length; s++) {
    const v = seeds.node[s],
      c = seeds.costM[s];
    if (c > cutoffM || c >= dist[v]) continue;
    touch(v);
    dist[v] = c;
    label[v] = seeds.label[s];
    heap.push(c, v);
  }
  const { offsets, targets, arcCostM } = graph;
  let relaxed = 0;
  while (heap.size > 0) {
    const d = heap.keys[0];
    const u = heap.vals[0];
    heap.pop();
    if (d > dist[u]) continue;
    settled[scratch.settledCount++] = u;
    const lu = label[u];
    for (let a = offsets[u]; a < offsets[u + 1]; a++) {
      const v = targets[a];
      const nd = d + arcCostM[a];
      relaxed++;
      if (nd > cutoffM || nd >= dist[v]) continue;
      touch(v);
      dist[v] = nd;
      label[v] = lu;
      heap.push(nd, v);
    }
  }
  return relaxed;
}
