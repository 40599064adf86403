import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { buildRoutingGraph } from './graph';
import { routingNetworkFromGeoJSON } from './fixtures/geojson';
import { pointOrigins, schoolRouteNetwork, streetOrigins, type SchoolNetwork } from './network';
import { snapPoint, treeScratch, workspaceFor } from './route';
import { profileCosts } from './graph';
import { reverseTree, searchRoute, treeStart } from './search';
import { pathFromTree, walkFacts } from './facts';
import { PROFILES } from './safety';
import { haversineM } from '../coverage/geo';
import { loadRoutingFixture, readRoutingFixture } from './fixtures/load';

const f = loadRoutingFixture('school-grid');
const cells = f.points('cell');
const origins = (g = f.graph) =>
  pointOrigins(
    g,
    cells.map((c) => c.coordinates[0]),
    cells.map((c) => c.coordinates[1]),
    cells.map((c) => c.properties.children_6_11 as number),
  );
const net = (answer: ReturnType<typeof schoolRouteNetwork>): SchoolNetwork => {
  if (!answer.ok) throw new Error(answer.reason);
  return answer.network;
};

describe('the route network of a school (school-grid fixture)', () => {
  const n = net(schoolRouteNetwork(f.graph, f.point('school'), origins(), { radiusM: 500 }));

  it('accounts for every child: in the catchment, beyond the walking radius, or nearer another school', () => {
    const c = n.summary.children;
    expect(c.total).toBe(360);
    expect(c.inCatchment).toBe(310);
    expect(c.beyondRadius).toBe(50);
    expect(c.inCatchment + c.beyondRadius + c.nearerOtherSchool + c.noNetworkAccess).toBe(c.total);
  });

  it('the street of the school gate carries every child; the children north of 中山路 cross it at the lights', () => {
    expect(n.segments.features[0].properties).toMatchObject({ name: '纵3街', children: 310 });
    const zhongshan = n.crossings.features.filter((x) => x.properties.roadName === '中山路');
    expect(zhongshan).toHaveLength(1);
    expect(zhongshan[0].properties).toMatchObject({ control: 'signals', children: 130, roadClass: 'primary' });
    expect(n.summary.childrenCrossingMajorUnsignalised).toBe(0);
    expect(n.topUnsafe).toEqual([]); // signals make the main-road crossing "caution", not unsafe
  });

  it('one reverse tree gives each home a route as good as its own point-to-point search', () => {
    const dst = snapPoint(f.graph, f.point('school')[0], f.point('school')[1])!;
    const costs = profileCosts(f.graph, PROFILES.child);
    const tree = treeScratch(f.graph, 0);
    reverseTree(f.graph, costs, 0, dst, tree, Infinity);
    let compared = 0;
    for (const o of origins().snaps) {
      const r = searchRoute(f.graph, costs, 0, o!, dst, workspaceFor(f.graph).p2p)!;
      const st = treeStart(f.graph, costs, 0, tree, o!, dst)!;
      expect(st.cost).toBeCloseTo(r.cost, 6);
      // and the facts of the tree's walk cost the same as the search's
      const a = walkFacts(f.graph, pathFromTree(f.graph, tree, st, o!, dst));
      expect(a.costM).toBeCloseTo(r.cost + o!.legM + dst.legM, 0);
      compared++;
    }
    expect(compared).toBe(36);
  });

  it('就近入学: homes nearer to another primary school on foot are left to it', () => {
    const comp = f.points('competitor');
    const m = net(
      schoolRouteNetwork(f.graph, f.point('school'), origins(), {
        radiusM: 500,
        competitors: { lng: [comp[0].coordinates[0]], lat: [comp[0].coordinates[1]] },
      }),
    );
    expect(m.summary.children.nearerOtherSchool).toBe(40);
    expect(m.summary.children.inCatchment).toBe(270);
  });

  it('without the lights the main-road crossings are the most-used unsafe segments', () => {
    const fc = readRoutingFixture('in', 'school-grid');
    const noSignals: FeatureCollection = { ...fc, features: fc.features.filter((x) => x.properties?.kind !== 'node') };
    const g = buildRoutingGraph(routingNetworkFromGeoJSON(noSignals));
    const m = net(schoolRouteNetwork(g, f.point('school'), origins(g), { radiusM: 500 }));
    const top = m.topUnsafe;
    expect(top.length).toBeGreaterThan(0);
    expect(top.length).toBeLessThanOrEqual(5);
    expect(top[0]).toMatchObject({
      rank: 1,
      kind: 'crossing',
      name: '中山路',
      roadClass: 'primary',
      control: 'unmarked',
      grade: 'dangerous',
    });
    for (let i = 1; i < top.length; i++) expect(top[i].children).toBeLessThanOrEqual(top[i - 1].children);
    const crossingZhongshan = m.crossings.features
      .filter((x) => x.properties.roadName === '中山路')
      .reduce((s, x) => s + x.properties.children, 0);
    expect(crossingZhongshan).toBe(130);
    expect(m.summary.childrenCrossingMajorUnsignalised).toBe(130);
  });

  it("street origins spread the disk's children over the streets when there are no cells", () => {
    const school = f.point('school');
    const so = streetOrigins(f.graph, school, 500, { childrenPerKm2: 1000, spacingM: 50 });
    const total = so.weight.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1000 * Math.PI * 0.25, 6);
    for (const s of so.snaps) expect(haversineM(school[0], school[1], s!.lng, s!.lat)).toBeLessThanOrEqual(500);
    const m = net(schoolRouteNetwork(f.graph, school, so, { radiusM: 500 }));
    expect(m.summary.children.total).toBeCloseTo(total, 0);
    expect(m.summary.children.inCatchment).toBeGreaterThan(0);
  });

  it('a school far from any street has no network', () => {
    expect(schoolRouteNetwork(f.graph, [106.6, 29.6], origins(), { radiusM: 500 })).toEqual({ ok: false, reason: 'school_far' });
  });
});
