/**
 * Routes on the real OpenStreetMap extracts of shared/data/osm (SOURCES.md), imported with
 * the atlas's own importer into an in-memory PGlite and routed through the same graph
 * loader the server uses. Skipped cleanly when the shared folder is absent (a fresh clone).
 * Numbers are pinned with ranges: stable for these files, loose enough for a deliberate
 * change of the safety tables (change them with the rule, not around it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/features/imports/index';
import { routingGraph, schoolNetwork } from '../../server/features/routes/index';
import { planRoute, type RoutePlan } from '../../core/routing/route';
import { profileCosts, searchRoute, snapPoint, workspaceFor, PROFILES } from '../../core/routing/index';
import { createRng } from '../../core/random';
import { hasShared, openTestDb, sharedOsm, type TestDb } from '../import/targets';
import type { Db } from '../../server/db/adapter';

const EXTRACTS = ['monaco.osm.pbf', 'singapore_bayfront.osm.pbf', 'moscow.osm.gz', 'changsha_yuelu_taozihu.osm'];
const within = (v: number, lo: number, hi: number) => {
  expect(v).toBeGreaterThanOrEqual(lo);
  expect(v).toBeLessThanOrEqual(hi);
};
const plan = (r: ReturnType<typeof planRoute>): RoutePlan => {
  if (!r.ok) throw new Error(`no route: ${r.reason}`);
  return r.plan;
};

describe.skipIf(!EXTRACTS.every(hasShared))('routes on the real OSM extracts (PGlite)', () => {
  let t: TestDb;
  let db: Db;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    db = t.db;
    for (const f of EXTRACTS) {
      const s = await importFile(db, sharedOsm(f), { source: f, extentCheck: false });
      expect(s.status).toBe('done');
    }
  });
  afterAll(() => t?.close());

  it('one graph holds the four extracts', async () => {
    const e = await routingGraph(db);
    within(e.edges, 3400, 4200);
    expect(e.sources).toBe(4);
  });

  it('Monaco: a route between Fontvieille heights and the Condamine uses steps only when the profile allows', async () => {
    const { graph } = await routingGraph(db);
    const from: [number, number] = [7.41911, 43.73903],
      to: [number, number] = [7.42264, 43.73416];
    const child = plan(planRoute(graph, from, to, { profile: 'child' }));
    within(child.route.lengthM, 700, 900);
    expect(child.route.steps.flights).toBeGreaterThanOrEqual(1);
    expect(child.route.effortM).toBeGreaterThan(child.route.lengthM); // stairs count double
    const free = plan(planRoute(graph, from, to, { profile: 'step_free' }));
    expect(free.route.steps.flights).toBe(0);
    expect(free.shortest!.steps.flights).toBe(0);
    expect(free.route.lengthM).toBeGreaterThan(child.route.lengthM * 1.5);
    const short = plan(planRoute(graph, from, to, { profile: 'shortest' }));
    expect(short.route.lengthM).toBeLessThanOrEqual(child.route.lengthM);
  });

  it('Singapore Bayfront: the safe route counts its signalised crossings and takes the lights the shortest skips', async () => {
    const { graph } = await routingGraph(db);
    const p = plan(planRoute(graph, [103.86018, 1.28072], [103.86089, 1.28752], { profile: 'child' }));
    expect(p.route.crossings.signals).toBeGreaterThanOrEqual(2);
    expect(p.route.crossings.majorUnsignalised).toBe(0);
    expect(p.route.crossingList.filter((c) => c.control === 'signals').every((c) => c.mapped)).toBe(true);
    expect(p.shortest!.crossings.signals).toBeLessThan(p.route.crossings.signals);
    expect(p.shortest!.crossings.majorUnsignalised).toBeGreaterThanOrEqual(1);
    expect(p.comparison!.extraM).toBeGreaterThan(0);
    expect(p.comparison!.ratio).toBeLessThanOrEqual(1.5);
    expect(p.comparison!.text.zh).toMatch(/^安全路线多走 \d+ 米.*避开 \d 处无信号灯的主干道过街/);
  });

  it('A* and plain Dijkstra agree on 60 random pairs in each extract (seeded)', async () => {
    const { graph } = await routingGraph(db);
    const rng = createRng(2024);
    const boxes: [number, number, number, number][] = [
      [7.405, 43.722, 7.439, 43.751],
      [103.853, 1.277, 103.863, 1.291],
      [37.583, 55.806, 37.626, 55.824],
      [112.942, 28.183, 112.948, 28.187],
    ];
    const costs = profileCosts(graph, PROFILES.child);
    const s = workspaceFor(graph).p2p;
    let compared = 0;
    for (const [w, so, e, n] of boxes) {
      for (let i = 0; i < 60; i++) {
        const a = snapPoint(graph, w + rng.next() * (e - w), so + rng.next() * (n - so));
        const b = snapPoint(graph, w + rng.next() * (e - w), so + rng.next() * (n - so));
        if (!a || !b) continue;
        const x = searchRoute(graph, costs, 0, a, b, s, { astar: true });
        const y = searchRoute(graph, costs, 0, a, b, s, { astar: false });
        expect(x === null).toBe(y === null);
        if (x && y) {
          expect(x.cost).toBeCloseTo(y.cost, 6);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(150);
  });

  it('Moscow, Школа №1415: the five most-used unsafe segments with how many children use them', async () => {
    const id = (await db.query<{ id: number }>(`SELECT id FROM facilities WHERE name_zh = 'Школа №1415'`)).rows[0].id;
    const out = await schoolNetwork(db, id);
    if (!out.ok) throw new Error(out.reason);
    const n = out.result.network;
    expect(out.result.population.method).toBe('street_origins');
    within(n.summary.children.inCatchment, 300, 900);
    expect(n.topUnsafe).toHaveLength(5);
    n.topUnsafe.forEach((u, i) => {
      expect(u.rank).toBe(i + 1);
      expect(u.children).toBeGreaterThan(0);
      expect(['unsafe', 'dangerous']).toContain(u.grade);
      if (i > 0) expect(u.children).toBeLessThanOrEqual(n.topUnsafe[i - 1].children);
    });
    // the busiest: crossing 1-я Останкинская улица without a marked crossing, by most of the catchment
    expect(n.topUnsafe[0]).toMatchObject({ kind: 'crossing', name: '1-я Останкинская улица', control: 'unmarked' });
    within(n.topUnsafe[0].children, 100, 300);
    expect(n.topUnsafe.some((u) => u.name === 'улица Академика Королёва')).toBe(true);
  });

  it('Changsha, 湖南师范大学附属中学 (middle school, 1000 m): the unsafe stretches of 桃子湖路', async () => {
    const id = (await db.query<{ id: number }>(`SELECT id FROM facilities WHERE name_zh = '湖南师范大学附属中学'`)).rows[0].id;
    const out = await schoolNetwork(db, id);
    if (!out.ok) throw new Error(out.reason);
    const n = out.result.network;
    expect(out.result.norm.radiusM).toBe(1000);
    expect(n.topUnsafe.length).toBeGreaterThanOrEqual(3);
    expect(n.topUnsafe[0].name).toBe('桃子湖路');
    expect(n.summary.childrenCrossingMajorUnsignalised).toBeGreaterThan(0);
  });
});
