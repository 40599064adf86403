import { describe, expect, it } from 'vitest';
import { buildRoutingGraph, profileCosts } from './graph';
import { routingNetworkFromGeoJSON } from './fixtures/geojson';
import { planRoute, snapPoint, workspaceFor } from './route';
import { searchRoute } from './search';
import { PROFILES } from './safety';
import { loadRoutingFixture, readRoutingFixture } from './fixtures/load';
import { GOLDEN_CASES, goldenRoutes } from './fixtures/make-goldens';

const ok = (r: ReturnType<typeof planRoute>) => {
  if (!r.ok) throw new Error(`no route: ${r.reason}`);
  return r.plan;
};

describe('a route with a signalised crossing and a cheaper dangerous one', () => {
  const f = loadRoutingFixture('signalised-crossing-detour');
  const home = f.point('home'),
    school = f.point('school');

  it('the safest route takes the lights, the shortest the unmarked crossing, and the detour is stated', () => {
    const p = ok(planRoute(f.graph, home, school, { profile: 'child' }));
    expect(p.route.lengthM).toBeCloseTo(800, 0);
    expect(p.route.costM).toBeCloseTo(860, 0);
    expect(p.route.crossings).toMatchObject({ total: 1, signals: 1, unmarked: 0, majorRoad: 1, majorUnsignalised: 0 });
    expect(p.route.crossingList[0]).toMatchObject({
      roadName: '解放路',
      roadClass: 'primary',
      control: 'signals',
      mapped: true,
      penaltyM: 60,
    });
    expect(p.shortest!.lengthM).toBeCloseTo(600, 0);
    expect(p.shortest!.costM).toBeCloseTo(900, 0);
    expect(p.shortest!.crossings).toMatchObject({ total: 1, unmarked: 1, majorUnsignalised: 1 });
    expect(p.comparison).toMatchObject({ extraM: 200, sameRoute: false, capped: false, avoided: { majorUnsignalised: 1 } });
    expect(p.comparison!.text.zh).toBe('安全路线多走 200 米（约 3 分钟），避开 1 处无信号灯的主干道过街。');
    expect(p.comparison!.text.en).toBe(
      'The safer route is 200 m longer (about 3 min) and avoids 1 crossing of a main road without traffic lights.',
    );
    expect(p.route.walkSeconds).toBe(800); // 1.0 m/s
    expect(p.route.safetyScore).toBe(Math.round((100 * 800) / 860));
  });

  it('profile=shortest answers the shortest route alone', () => {
    const p = ok(planRoute(f.graph, home, school, { profile: 'shortest' }));
    expect(p.route.lengthM).toBeCloseTo(600, 0);
    expect(p.shortest).toBeNull();
    expect(p.comparison).toBeNull();
  });

  it('a detour cap of 1.2× refuses the 800 m route and says so', () => {
    const p = ok(planRoute(f.graph, home, school, { profile: 'child', detourCap: 1.2 }));
    expect(p.route.lengthM).toBeCloseTo(600, 0);
    expect(p.comparison).toMatchObject({ capped: true, uncappedLengthM: 800, sameRoute: true });
    expect(p.comparison!.text.zh).toContain('超过最短路线的 1.2 倍');
  });

  it('A* and plain Dijkstra find routes of the same cost, A* settling fewer states', () => {
    const from = snapPoint(f.graph, home[0], home[1])!;
    const to = snapPoint(f.graph, school[0], school[1])!;
    const ws = workspaceFor(f.graph);
    const costs = profileCosts(f.graph, PROFILES.child);
    const a = searchRoute(f.graph, costs, 0, from, to, ws.p2p, { astar: true })!;
    const d = searchRoute(f.graph, costs, 0, from, to, ws.p2p, { astar: false })!;
    expect(a.cost).toBeCloseTo(d.cost, 9);
    expect(a.pops).toBeLessThanOrEqual(d.pops);
  });
});

describe('steps', () => {
  const f = loadRoutingFixture('steps-shortcut');
  it('the child profile climbs the steps (×2 effort), the step-free profile takes the ramp', () => {
    const child = ok(planRoute(f.graph, f.point('home'), f.point('school'), { profile: 'child' }));
    expect(child.route.lengthM).toBeCloseTo(220, 0);
    expect(child.route.steps).toEqual({ flights: 1, lengthM: 60, stepCount: 40 });
    expect(child.route.effortM).toBeCloseTo(280, 0);
    expect(child.route.walkSeconds).toBe(280);
    const free = ok(planRoute(f.graph, f.point('home'), f.point('school'), { profile: 'step_free' }));
    expect(free.route.lengthM).toBeCloseTo(654.2, 1);
    expect(free.route.steps.flights).toBe(0);
    expect(free.shortest!.steps.flights).toBe(0);
  });
});

describe('a dead end', () => {
  const f = loadRoutingFixture('dead-end');
  it('walks out of the spur without a crossing', () => {
    const p = ok(planRoute(f.graph, f.point('home'), f.point('school')));
    expect(p.route.lengthM).toBeCloseTo(510, 0);
    expect(p.route.crossings.total).toBe(0);
    expect(p.comparison!.sameRoute).toBe(true);
    expect(p.comparison!.text.en).toBe('The shortest route is also the safest.');
  });
  it('a home beyond the end joins at the end of the street', () => {
    const p = ok(planRoute(f.graph, f.point('home_beyond_end'), f.point('school')));
    expect(p.from.accessM).toBeCloseTo(60, 1);
    expect(p.route.lengthM).toBeCloseTo(580, 0);
  });
});

describe('no walking route', () => {
  const f = loadRoutingFixture('islands');
  it('between islands of the network', () => {
    const r = planRoute(f.graph, f.point('home'), f.point('school'));
    expect(r).toMatchObject({ ok: false, reason: 'disconnected', field: null });
  });
  it('from a point too far from any street', () => {
    expect(planRoute(f.graph, f.point('home'), f.point('far'))).toMatchObject({ ok: false, reason: 'to_far', field: 'to' });
    expect(planRoute(f.graph, f.point('far'), f.point('home'))).toMatchObject({ ok: false, reason: 'from_far', field: 'from' });
  });
  it('on an empty network, or too far apart to walk', () => {
    const empty = buildRoutingGraph({ nodes: { id: [], lng: [], lat: [] }, edges: { from: [], to: [], lengthM: [], highway: [] } });
    expect(planRoute(empty, [106.55, 29.56], [106.56, 29.56])).toMatchObject({ ok: false, reason: 'no_network' });
    expect(planRoute(f.graph, [106.55, 29.56], [106.7, 29.56])).toMatchObject({ ok: false, reason: 'too_far_apart', field: 'to' });
  });
});

describe('golden routes', () => {
  const round = (fc: unknown) => JSON.parse(JSON.stringify(fc, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e7) / 1e7 : v)));
  it.each(GOLDEN_CASES)('$fixture matches out/$fixture.geojson', ({ fixture, profiles }) => {
    expect(round(goldenRoutes(fixture, profiles))).toEqual(round(readRoutingFixture('out', fixture)));
  });
});

describe('inputs are never modified', () => {
  it('building the graph and routing leave the input and the graph arrays unchanged', () => {
    const fc = readRoutingFixture('in', 'signalised-crossing-detour');
    const before = JSON.stringify(fc);
    const input = routingNetworkFromGeoJSON(fc);
    const inputBefore = JSON.stringify(input, (_k, v) => (v instanceof Map ? [...v] : v));
    const g = buildRoutingGraph(input);
    const arrays = [g.walk.edgeLengthM, g.edgeFactor, g.sectorCost, g.rayPenalty, g.geomLngLat];
    const snapshot = arrays.map((a) => Array.from(a as ArrayLike<number>));
    const home = fc.features.find((x) => x.properties?.kind === 'home')!.geometry as unknown as { coordinates: [number, number] };
    const school = fc.features.find((x) => x.properties?.kind === 'school')!.geometry as unknown as { coordinates: [number, number] };
    planRoute(g, home.coordinates, school.coordinates);
    expect(JSON.stringify(fc)).toBe(before);
    expect(JSON.stringify(input, (_k, v) => (v instanceof Map ? [...v] : v))).toBe(inputBefore);
    for (const [i, a] of arrays.entries()) expect(Array.from(a as ArrayLike<number>)).toEqual(snapshot[i]);
  });
});
