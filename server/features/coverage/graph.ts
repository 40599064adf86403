/**
 * The walking graph of an area, built once from `network_edges` into core's compact
 * {@link WalkingGraph} and cached (per database, per area, per step penalty), plus the cell
 * join of a population surface onto it.
 *
 * The edges are read for the area's bbox widened by a margin of at least the service
 * radius plus the longest access leg: a walk of `radiusM` from a cell never leaves that
 * window, so the network answer inside the area is exact even though the graph is cut.
 * The window is rounded outward to {@link WINDOW_STEP_DEG} so that nearby requests share a
 * graph.
 *
 * No edge in the window → `null`: the routes answer "no street network imported for this
 * area" rather than a number (see routes.ts).
 */
import {
  buildWalkingGraph,
  isWalkableHighway,
  joinCells,
  type CellJoin,
  type WalkingGraph,
  type WalkingNetworkInput,
} from '../../../core/coverage/index';
import { ValidationError } from '../../errors';
import type { Db } from '../../db/adapter';
import { lruOf, type CoverageCaches } from './cache';
import { networkEdges, type Bbox, type EdgeRow } from './sql';
import type { Surface } from './population';

/** Most edges one area may load (a city the size of central Chongqing has ~1–2 M walkable pieces). */
export const EDGE_CAP = 4_000_000;
/** Windows are rounded outward to this many degrees (≈ 500 m) so that similar areas share a graph. */
export const WINDOW_STEP_DEG = 0.005;
/** Smallest margin around the area, metres (also what the population surface's street signal reads). */
export const MIN_MARGIN_M = 2000;

export interface AreaNetwork {
  key: string;
  window: Bbox;
  input: WalkingNetworkInput;
  edgeCount: number;
  /** Flat [lng0, lat0, lng1, lat1, …] of the walkable edges' straight pieces (street density). */
  segments: Float64Array;
  loadMs: number;
}

export interface AreaGraph {
  key: string;
  network: AreaNetwork;
  graph: WalkingGraph;
  stepPenaltyFactor: number;
  /** Whether slope was asked for (it is used only where edges have elevation: `graph.slopeUsed`). */
  slope: boolean;
  buildMs: number;
}

/** Degrees of longitude and latitude for `m` metres at latitude `lat`. */
export function metresToDeg(m: number, lat: number): [number, number] {
  const dLat = m / 111_320;
  return [m / (111_320 * Math.max(0.05, Math.cos((lat * Math.PI) / 180))), dLat];
}

/** The bbox widened by `marginM` and rounded outward to the window step. */
export function windowOf(b: Bbox, marginM: number): Bbox {
  const [dx, dy] = metresToDeg(marginM, Math.max(Math.abs(b[1]), Math.abs(b[3])));
  const down = (v: number) => Math.floor(v / WINDOW_STEP_DEG) * WINDOW_STEP_DEG;
  const up = (v: number) => Math.ceil(v / WINDOW_STEP_DEG) * WINDOW_STEP_DEG;
  return [
    Math.max(-180, +down(b[0] - dx).toFixed(6)),
    Math.max(-90, +down(b[1] - dy).toFixed(6)),
    Math.min(180, +up(b[2] + dx).toFixed(6)),
    Math.min(90, +up(b[3] + dy).toFixed(6)),
  ];
}

/** Margin for a radius: radius + the access leg, at least {@link MIN_MARGIN_M}, in whole km. */
export function marginFor(radiusM: number, maxAccessM: number): number {
  return Math.max(MIN_MARGIN_M, Math.ceil((radiusM + maxAccessM) / 1000) * 1000);
}

/** Reads a 2D WKB LineString (either byte order). */
export function readWkbLine(buf: Buffer, out: number[]): number {
  const le = buf[0] === 1;
  const type = le ? buf.readUInt32LE(1) : buf.readUInt32BE(1);
  if ((type & 0xffff) % 1000 !== 2) throw new Error(`network_edges.geom: expected a LineString, got WKB type ${type}`);
  const n = le ? buf.readUInt32LE(5) : buf.readUInt32BE(5);
  let o = 9;
  for (let i = 0; i < n; i++, o += 16)
    out.push(le ? buf.readDoubleLE(o) : buf.readDoubleBE(o), le ? buf.readDoubleLE(o + 8) : buf.readDoubleBE(o + 8));
  return n;
}

/**
 * Edge rows to core's edge-list input. Node positions are the lines' end points (an edge's
 * geometry runs from `from_node` to `to_node`), so no second query is needed.
 */
export function networkInputFromRows(rows: readonly EdgeRow[]): { input: WalkingNetworkInput; segments: Float64Array } {
  const nodeIndex = new Map<number, number>();
  const nodeIds: number[] = [],
    nodeLng: number[] = [],
    nodeLat: number[] = [];
  const node = (id: number, lng: number, lat: number) => {
    if (!nodeIndex.has(id)) {
      nodeIndex.set(id, nodeIds.length);
      nodeIds.push(id);
      nodeLng.push(lng);
      nodeLat.push(lat);
    }
  };
  const m = rows.length;
  const from = new Float64Array(m),
    to = new Float64Array(m),
    lengthM = new Float64Array(m);
  const isSteps = new Uint8Array(m),
    oneway = new Uint8Array(m),
    walkable = new Uint8Array(m);
  const offsets = new Int32Array(m + 1);
  const coords: number[] = [];
  const seg: number[] = [];
  const eleOffsets = new Int32Array(m + 1);
  const eleValues: number[] = [];
  for (let e = 0; e < m; e++) {
    const r = rows[e];
    const start = coords.length;
    const n = readWkbLine(r.wkb, coords);
    offsets[e + 1] = coords.length / 2;
    node(r.from_node, coords[start], coords[start + 1]);
    node(r.to_node, coords[coords.length - 2], coords[coords.length - 1]);
    from[e] = r.from_node;
    to[e] = r.to_node;
    lengthM[e] = r.length_m;
    isSteps[e] = r.is_steps ? 1 : 0;
    oneway[e] = r.oneway_foot ? 1 : 0;
    walkable[e] = isWalkableHighway(r.highway, r.sidewalk) ? 1 : 0;
    if (r.ele_profile && r.ele_profile.length >= 2) for (const v of r.ele_profile) eleValues.push(Number(v));
    eleOffsets[e + 1] = eleValues.length;
    if (walkable[e])
      for (let q = 1; q < n; q++)
        seg.push(coords[start + 2 * q - 2], coords[start + 2 * q - 1], coords[start + 2 * q], coords[start + 2 * q + 1]);
  }
  return {
    input: {
      nodes: { id: nodeIds, lng: nodeLng, lat: nodeLat },
      edges: {
        from,
        to,
        lengthM,
        isSteps,
        onewayFoot: oneway,
        walkable,
        geometry: { offsets, lngLat: Float64Array.from(coords) },
        ...(eleValues.length ? { elevation: { offsets: eleOffsets, values: Float64Array.from(eleValues) } } : {}),
      },
    },
    segments: Float64Array.from(seg),
  };
}

/**
 * The network rows of a window (cached); null when no edge touches it.
 * @throws ValidationError (field `district`/`bbox`) when the window holds more than {@link EDGE_CAP} edges
 */
export async function areaNetwork(db: Db, caches: CoverageCaches, window: Bbox, field: 'district' | 'bbox'): Promise<AreaNetwork | null> {
  const key = `${caches.generation}|${window.join(',')}`;
  const lru = lruOf<AreaNetwork | null>(caches, 'network', 6, 2 * EDGE_CAP, (v) => (v ? v.edgeCount : 1));
  const hit = lru.get(key);
  if (hit !== undefined) return hit;
  return caches.inFlight.run(`network|${key}`, async () => {
    const t0 = performance.now();
    const rows = await networkEdges(db, window, EDGE_CAP);
    if (rows.length > EDGE_CAP) {
      throw new ValidationError(
        field,
        `${field}: the area's street network has more than ${EDGE_CAP.toLocaleString('en-US')} edges; choose fewer districts or a smaller bbox`,
      );
    }
    let value: AreaNetwork | null = null;
    if (rows.length > 0) {
      const { input, segments } = networkInputFromRows(rows);
      value = { key, window, input, edgeCount: rows.length, segments, loadMs: performance.now() - t0 };
    }
    lru.set(key, value);
    return value;
  }) as Promise<AreaNetwork | null>;
}

/**
 * The walking graph of a window for a step penalty, slope-aware or flat (cached); null when
 * there is no network. Slope is priced only on edges with elevation (`npm run import -- dem.tif`).
 */
export async function areaGraph(
  db: Db,
  caches: CoverageCaches,
  window: Bbox,
  stepPenaltyFactor: number,
  field: 'district' | 'bbox',
  slope = true,
): Promise<AreaGraph | null> {
  const network = await areaNetwork(db, caches, window, field);
  if (!network) return null;
  const key = `${network.key}|steps=${stepPenaltyFactor}|slope=${slope ? 1 : 0}`;
  const lru = lruOf<AreaGraph>(caches, 'graph', 6, 2 * EDGE_CAP, (v) => v.graph.edgeCount);
  const hit = lru.get(key);
  if (hit) return hit;
  const t0 = performance.now();
  const graph = buildWalkingGraph(network.input, { stepPenaltyFactor, slope });
  const value: AreaGraph = { key, network, graph, stepPenaltyFactor, slope, buildMs: performance.now() - t0 };
  lru.set(key, value);
  return value;
}

/** The cells of a surface joined to a graph (cached per surface × graph × access distance). */
export function surfaceJoin(caches: CoverageCaches, surface: Surface, g: AreaGraph, maxAccessM: number): CellJoin {
  const key = `${surface.key}|${g.key}|access=${maxAccessM}`;
  const lru = lruOf<CellJoin>(caches, 'join', 6, 4_000_000, (v) => v.count);
  const hit = lru.get(key);
  if (hit) return hit;
  const join = joinCells(g.graph, surface.cells, { maxAccessM });
  lru.set(key, join);
  return join;
}
