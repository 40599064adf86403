/**
 * Slope-aware effort (Tobler 1993), stairs, closed ways and snapping to the main network,
 * on small hand-made networks whose answers are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { buildWalkingGraph, joinCells, snapPoints, type WalkingNetworkInput } from './graph';
import { facilityPoints } from './types';
import { networkCoverage } from './coverage';
import { profileClimb, profileEffort, toblerFactor, toblerSpeedKmh, TOBLER_MIN_FACTOR } from './slope';
import { buildRoutingGraph } from '../routing/graph';
import { planRoute } from '../routing/route';

// a metre of longitude at 29.56° N ≈ 96.86 m; of latitude ≈ 110.8 m
const LNG_M = 1 / 96_860,
  LAT_M = 1 / 110_800;
const X0 = 106.55,
  Y0 = 29.56;
const at = (xm: number, ym: number): [number, number] => [X0 + xm * LNG_M, Y0 + ym * LAT_M];

describe('Tobler (1993) by hand', () => {
  it('speeds: 6·exp(−3.5·|S + 0.05|) km/h', () => {
    expect(toblerSpeedKmh(-0.05)).toBeCloseTo(6, 10);
    expect(toblerSpeedKmh(0)).toBeCloseTo(6 * Math.exp(-0.175), 10); // 5.036 km/h
    expect(toblerSpeedKmh(0)).toBeCloseTo(5.0367, 4);
    expect(toblerSpeedKmh(0.1)).toBeCloseTo(3.5493, 4); // 6·e^−0.525
  });
  it('factors against the level: +10 % 1.419, −10 % 1.000, −5 % 0.839, +20 % 2.014, −20 % 1.419', () => {
    expect(toblerFactor(0)).toBe(1);
    expect(toblerFactor(0.1)).toBeCloseTo(1.4191, 4); // e^0.35
    expect(toblerFactor(-0.1)).toBeCloseTo(1, 10); // |−0.05| − 0.05 = 0
    expect(toblerFactor(-0.05)).toBeCloseTo(0.8395, 4); // e^−0.175, the fastest
    expect(TOBLER_MIN_FACTOR).toBeCloseTo(toblerFactor(-0.05), 12);
    expect(toblerFactor(0.2)).toBeCloseTo(2.0138, 4); // e^0.7
    expect(toblerFactor(-0.2)).toBeCloseTo(1.4191, 4);
  });
  it('a profile is summed segment by segment, each way: up ≠ down', () => {
    // 100 m rising 10 m evenly (10 %)
    expect(profileEffort([200, 205, 210], 100, 0, 1)).toBeCloseTo(141.91, 2);
    expect(profileEffort([200, 205, 210], 100, 1, 0)).toBeCloseTo(100, 6);
    // up 10 m then down 10 m over 200 m: the end points alone would say "flat" (200 m)
    const hill = [0, 10, 0];
    expect(profileEffort(hill, 200, 0, 1)).toBeCloseTo(100 * 1.4191 + 100 * 1, 2);
    expect(profileEffort(hill, 200, 0, 1)).toBeGreaterThan(200);
    // a part of an edge: the first quarter of the 10 % climb
    expect(profileEffort([200, 205, 210], 100, 0, 0.25)).toBeCloseTo(25 * 1.4191, 2);
    expect(profileClimb(hill, 0, 1)).toEqual({ riseM: 10, fallM: 10 });
    expect(profileClimb([0, 10], 0.5, 0)).toEqual({ riseM: 0, fallM: 5 });
  });
});

/** A straight street A–B–C of 100 m pieces, climbing 10 m on B–C, plus steps C–D (100 m) climbing 20 m. */
function hillNetwork(): WalkingNetworkInput {
  const pts = [at(0, 0), at(100, 0), at(200, 0), at(300, 0)];
  return {
    nodes: { id: [1, 2, 3, 4], lng: pts.map((p) => p[0]), lat: pts.map((p) => p[1]) },
    edges: {
      from: [1, 2, 3],
      to: [2, 3, 4],
      lengthM: [100, 100, 100],
      isSteps: [0, 0, 1],
      elevation: { offsets: [0, 2, 5, 7], values: [200, 200, 200, 205, 210, 210, 230] },
    },
  };
}

describe('directed costs in the coverage graph', () => {
  it('up costs Tobler, down less; flat edges stay flat; stairs use the stair factor instead of Tobler', () => {
    const g = buildWalkingGraph(hillNetwork(), { stepPenaltyFactor: 2 });
    expect(g.slopeUsed).toBe(true);
    expect(g.edgesWithElevation).toBe(3);
    expect(g.edgeCostM[0]).toBeCloseTo(100, 9);
    expect(g.edgeCostBackM[0]).toBeCloseTo(100, 9);
    expect(g.edgeCostM[1]).toBeCloseTo(141.91, 2); // 2 → 3 uphill
    expect(g.edgeCostBackM[1]).toBeCloseTo(100, 6); // 3 → 2 at −10 %
    expect(g.edgeCostM[2]).toBe(200); // steps: ×2 (Weidmann 1993), not Tobler's e^(3.5·0.2)
    expect(g.edgeCostBackM[2]).toBe(200);
    expect(g.edgeRiseM![1]).toBeCloseTo(10, 9);
    expect(g.edgeFallM![1]).toBe(0);
    const flat = buildWalkingGraph(hillNetwork(), { stepPenaltyFactor: 2, slope: false });
    expect(flat.slopeUsed).toBe(false);
    expect(flat.edgeCostM[1]).toBe(100);
  });

  it('coverage: a facility at the top reaches less far down than one at the bottom reaches up', () => {
    const g = buildWalkingGraph(hillNetwork(), { stepPenaltyFactor: 2 });
    const cells = { lng: [at(100, 0)[0], at(200, 0)[0]], lat: [at(100, 0)[1], at(200, 0)[1]] };
    const join = joinCells(g, cells, { maxAccessM: 50 });
    // a facility at C (top of the slope): the child at B walks up 100 m → 141.9 m of effort
    const top = networkCoverage(g, join, facilityPoints([at(200, 0)]), { radiusM: 120 });
    expect(top.distanceM[0]).toBeCloseTo(141.91, 1);
    expect(top.covered[0]).toBe(0);
    // a facility at B: the child at C walks down → 100 m
    const bottom = networkCoverage(g, join, facilityPoints([at(100, 0)]), { radiusM: 120 });
    expect(bottom.distanceM[1]).toBeCloseTo(100, 1);
    expect(bottom.covered[1]).toBe(1);
  });

  it('routing: effort and climb per direction, slope stated', () => {
    const g = buildRoutingGraph({
      nodes: hillNetwork().nodes,
      edges: { ...hillNetwork().edges, highway: ['footway', 'footway', 'steps'] } as never,
    });
    const up = planRoute(g, at(100, 0), at(200, 0), { profile: 'shortest', maxAccessM: 50 });
    const down = planRoute(g, at(200, 0), at(100, 0), { profile: 'shortest', maxAccessM: 50 });
    if (!up.ok || !down.ok) throw new Error('no route');
    expect(up.plan.route.effortM).toBeCloseTo(141.9, 1);
    expect(down.plan.route.effortM).toBeCloseTo(100, 1);
    expect(up.plan.route.climb).toEqual({ riseM: 10, fallM: 0 });
    expect(down.plan.route.climb).toEqual({ riseM: 0, fallM: 10 });
    expect(up.plan.slopeUsed).toBe(true);
    expect(up.plan.climbText).toEqual({ zh: '上坡 10 米，下坡 0 米', en: 'climb 10 m, descent 0 m' });
  });
});

describe('closed ways', () => {
  // a street 1–2 and a loop (a cul-de-sac ring) leaving 2 and coming back to 2
  const ring = [at(100, 0), at(150, 50), at(200, 0), at(150, -50), at(100, 0)];
  const net = (): WalkingNetworkInput => ({
    nodes: { id: [1, 2], lng: [at(0, 0)[0], at(100, 0)[0]], lat: [at(0, 0)[1], at(100, 0)[1]] },
    edges: {
      from: [1, 2],
      to: [2, 2],
      lengthM: [100, 282.8],
      geometry: { offsets: [0, 2, 7], lngLat: [...at(0, 0), ...at(100, 0), ...ring.flat()] },
    },
  });
  it('a loop touching the network at one node is split in two at its far vertex and kept', () => {
    const g = buildWalkingGraph(net());
    expect(g.splitLoops).toBe(1);
    expect(g.skippedEdges).toBe(0);
    expect(g.edgeCount).toBe(3);
    expect(g.nodeCount).toBe(3);
    expect(g.nodeLng[2]).toBeCloseTo(at(200, 0)[0], 10); // the vertex half-way round
    expect(g.edgeLengthM[1] + g.edgeLengthM[2]).toBeCloseTo(282.8, 6);
    expect(g.edgeLengthM[1]).toBeCloseTo(141.4, 1);
    // a point beside the far side of the loop snaps onto the loop, not the street
    const s = snapPoints(g, [at(205, 0)[0]], [at(205, 0)[1]], 100);
    expect(g.edgeInput[s.edge[0]]).toBe(1);
    expect(s.legM[0]).toBeCloseTo(5, 0);
  });
  it('the routing graph keeps it too, with each half of the geometry', () => {
    const r = buildRoutingGraph({ ...net(), edges: { ...net().edges, highway: ['residential', 'footway'] } });
    expect(r.edgeCount).toBe(3);
    expect(r.nodeRef[2]).toBe(-1); // the split vertex is not an input node
    const p = planRoute(r, at(0, 0), at(205, 0), { profile: 'shortest', maxAccessM: 100 });
    if (!p.ok) throw new Error(p.reason);
    expect(p.plan.to.accessM).toBeCloseTo(5, 0);
    expect(p.plan.route.lengthM).toBeCloseTo(100 + 141.4 + 5, 0);
  });
});

describe('snapping to the main network (minimum reachability)', () => {
  // the main network: a 60-node street line along y = 0, 20 m apart; an island of 2 nodes
  // (a gated courtyard) 8 m from the query point; the main street is 30 m away
  const main = Array.from({ length: 60 }, (_, i) => at(i * 20, 0));
  const island = [at(500, 22), at(540, 22)];
  const input = (): WalkingNetworkInput => ({
    nodes: {
      id: [...main.map((_, i) => i + 1), 1001, 1002],
      lng: [...main, ...island].map((p) => p[0]),
      lat: [...main, ...island].map((p) => p[1]),
    },
    edges: {
      from: [...main.slice(1).map((_, i) => i + 1), 1001],
      to: [...main.slice(1).map((_, i) => i + 2), 1002],
      lengthM: [...main.slice(1).map(() => 20), 40],
    },
  });
  const q = at(520, 30);
  it('components are found; the island is not main', () => {
    const g = buildWalkingGraph(input());
    expect(g.minComponentNodes).toBe(50);
    expect(g.edgeMain[g.edgeCount - 1]).toBe(0);
    expect(g.edgeMain[0]).toBe(1);
  });
  it('a point 8 m from the island and 30 m from the street snaps to the street', () => {
    const g = buildWalkingGraph(input());
    const s = snapPoints(g, [q[0]], [q[1]], 500);
    expect(g.edgeMain[s.edge[0]]).toBe(1);
    expect(s.legM[0]).toBeCloseTo(30, 0);
    const any = snapPoints(g, [q[0]], [q[1]], 500, { anyComponent: true });
    expect(any.edge[0]).toBe(g.edgeCount - 1);
    expect(any.legM[0]).toBeCloseTo(8, 0);
  });
  it('the route to a point on the main street is found, and says where it snapped', () => {
    const n = input().edges.from.length;
    const highway = Array.from({ length: n }, () => 'footway');
    const name = Array.from({ length: n }, (_, i) => (i < 59 ? '民生路' : '院内'));
    const g = buildRoutingGraph({ ...input(), edges: { ...input().edges, highway, name } });
    const p = planRoute(g, q, at(0, 10), { profile: 'shortest' });
    if (!p.ok) throw new Error(p.reason);
    expect(p.plan.from.edgeName).toBe('民生路');
    expect(p.plan.from.distanceM).toBeCloseTo(30, 0);
    expect(p.plan.from.snapped[1]).toBeCloseTo(Y0, 6);
  });
  it('with no main-network edge within reach, the nearest piece of any size is taken', () => {
    const g = buildWalkingGraph(input());
    const s = snapPoints(g, [q[0]], [q[1]], 20); // the street is 30 m away, the island 8 m
    expect(s.edge[0]).toBe(g.edgeCount - 1);
    expect(s.legM[0]).toBeCloseTo(8, 0);
  });
  it('a network smaller than the minimum: its largest component still takes points', () => {
    const g = buildWalkingGraph(input(), { minComponentNodes: 1000 });
    expect(g.minComponentNodes).toBe(60);
    expect(snapPoints(g, [q[0]], [q[1]], 500).legM[0]).toBeCloseTo(30, 0);
  });
});
