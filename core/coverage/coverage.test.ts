import { describe, expect, it } from 'vitest';
import { analyseCategory, compareCoverage, euclideanCoverage, networkCoverage, summariseCoverage } from './coverage';
import { buildWalkingGraph, joinCells } from './graph';
import { buildGrid, cellsFromGrid } from './grid';
import { FIXTURE_PROJECTION, loadFixture } from './fixtures/load';

// Distances below are worked out by hand from the layouts in fixtures/README.md (metres).
// Straight-line distances carry the projection's sub-metre error, walking ones the given
// edge lengths plus straight legs, hence the 1 m tolerance.
const close = (got: number, want: number, tolM = 1) => expect(Math.abs(got - want)).toBeLessThan(tolM);

describe('river-one-bridge: a river between the banks, one bridge 2 km away', () => {
  const fx = loadFixture('river-one-bridge');
  const cells = fx.cells!;
  const graph = buildWalkingGraph(fx.network!);
  const join = joinCells(graph, cells);

  it('euclidean distances are the straight lines', () => {
    const e = euclideanCoverage(cells, fx.facilities, { radiusM: 300 });
    close(e.distanceM[0], Math.hypot(200, 30)); // c0 (300,-50) → K (100,-20)
    close(e.distanceM[1], 270); // c1 (100,250): straight across the river
    close(e.distanceM[2], Math.hypot(300, 280));
    close(e.distanceM[3], Math.hypot(1400, 20));
    expect([...e.covered]).toEqual([1, 1, 0, 0]);
    expect([...e.nearest]).toEqual([0, 0, 0, 0]);
  });

  it('network distances go round by the bridge', () => {
    const n = networkCoverage(graph, join, fx.facilities, { radiusM: 300 });
    close(n.distanceM[0], 50 + 200 + 20); // leg, along the south road, facility leg
    close(n.distanceM[1], 50 + 1900 + 300 + 1900 + 20); // leg, north road east, bridge, south road west, leg
    close(n.distanceM[2], 40 + 1600 + 300 + 1900 + 20);
    close(n.distanceM[3], 40 + 1400 + 20);
    expect([...n.covered]).toEqual([1, 0, 0, 0]);
    expect([...n.noAccess!]).toEqual([0, 0, 0, 0]);
  });

  it('network coverage is below euclidean, and the comparison says by how much', () => {
    const r = analyseCategory({ category: 'kindergarten', cells, facilities: fx.facilities, graph, join });
    expect(r.norm.radiusM).toBe(300);
    expect(r.norm.ageGroup).toBe('children_3_5');
    const e = r.euclidean.summary,
      n = r.network!.summary;
    expect(e.districts[0].coveredPopulation).toBe(1000);
    expect(e.districts[1].coveredPopulation).toBe(800);
    expect(n.districts[1].coveredPopulation).toBe(0);
    expect(n.total.coveredChildren).toBeLessThan(e.total.coveredChildren);
    expect(r.comparison!.total.overstatedPopulation).toBe(800);
    expect(r.comparison!.total.overstatedChildren).toBe(24);
    expect(r.comparison!.districts[1].overstatedSharePoints).toBeCloseTo((100 * 24) / 39, 9);
    expect(r.comparison!.text).toContain('800 people');
  });
});

describe('cliff-steps: a short flight of steps against a long road round the cliff', () => {
  const fx = loadFixture('cliff-steps');
  const cells = fx.cells!;
  const viaSteps = (factor: number) => 30 + 20 + 80 * factor + 20 + 20; // leg, to B, steps, C → x=520, leg
  const viaRoad = 30 + 20 + 200 + 150 + 180 + 20; // leg, B → E, ramp, F → x=520, leg = 600
  const run = (factor: number) => {
    const graph = buildWalkingGraph(fx.network!, { stepPenaltyFactor: factor });
    return networkCoverage(graph, joinCells(graph, cells), fx.facilities, { radiusM: 300 });
  };

  it('with the default penalty (×2) the steps are the way, and the cell is covered', () => {
    const n = run(2);
    close(n.distanceM[0], viaSteps(2)); // 250
    expect(n.covered[0]).toBe(1);
  });

  it('a heavy penalty (×10) sends the walk round by the road', () => {
    const n = run(10);
    expect(viaSteps(10)).toBeGreaterThan(viaRoad);
    close(n.distanceM[0], viaRoad);
    expect(n.covered[0]).toBe(0);
  });

  it('no penalty (×1) and no steps at all (pushchair, ×∞)', () => {
    close(run(1).distanceM[0], viaSteps(1)); // 170
    close(run(Infinity).distanceM[0], viaRoad);
  });

  it('straight-line distance ignores the cliff', () => {
    close(euclideanCoverage(cells, fx.facilities, { radiusM: 300 }).distanceM[0], Math.hypot(40, 110));
  });
});

describe('empty-category: no facility', () => {
  const fx = loadFixture('empty-category');
  const cells = fx.cells!;
  it('nobody is covered and nothing breaks', () => {
    const graph = buildWalkingGraph(fx.network!);
    const r = analyseCategory({ category: 'kindergarten', cells, facilities: fx.facilities, graph, join: joinCells(graph, cells) });
    for (const m of [r.euclidean, r.network!]) {
      expect([...m.cells.distanceM]).toEqual([Infinity, Infinity]);
      expect([...m.cells.nearest]).toEqual([-1, -1]);
      expect(m.summary.total.coveredPopulation).toBe(0);
      expect(m.summary.total.shareCoveredChildren).toBe(0);
      expect(m.summary.districts[1].uncoveredChildren).toBe(9);
    }
    expect(r.comparison!.total.overstatedPopulation).toBe(0);
  });
});

describe('facility-outside-districts', () => {
  const fx = loadFixture('facility-outside-districts');
  const grid = buildGrid(fx.districts, { cellSizeM: 100, projection: FIXTURE_PROJECTION });
  const cells = cellsFromGrid(grid, new Float64Array(grid.count).fill(100), { children_3_5: new Float64Array(grid.count).fill(3) });

  it('the grid is the 10 × 10 squares of the district', () => {
    expect(grid.count).toBe(100);
    for (const a of grid.areaM2) expect(a).toBeCloseTo(10_000, 3);
  });

  it('a facility 100 m outside the border still covers the cells near it', () => {
    // centroids at x = 50 (|dy| ≤ 259.8: 6 cells) and x = 150 (|dy| ≤ 165.8: 4 cells) from (-100, 500)
    const e = euclideanCoverage(cells, fx.facilities, { radiusM: 300 });
    const s = summariseCoverage(cells, e, { ageGroup: 'children_3_5' });
    expect(s.districts[0].coveredPopulation).toBe(1000);
    expect(s.districts[0].coveredChildren).toBe(30);
    expect(s.districts[0].shareCoveredChildren).toBeCloseTo(0.1, 12);
    expect(s.districts[0].coveredAreaKm2).toBeCloseTo(0.1, 6);
  });
});

describe('zero-population-district', () => {
  const fx = loadFixture('zero-population-district');
  it('a district without people has null shares, never NaN', () => {
    const e = euclideanCoverage(fx.cells!, fx.facilities, { radiusM: 300 });
    const s = summariseCoverage(fx.cells!, e, { ageGroup: 'children_3_5', districtCount: 3 });
    expect(s.districts[1].population).toBe(0);
    expect(s.districts[1].shareCoveredPopulation).toBeNull();
    expect(s.districts[1].shareCoveredChildren).toBeNull();
    expect(s.districts[2].cellCount).toBe(0); // a district with no cells at all
    expect(s.districts[2].shareCoveredChildren).toBeNull();
    expect(s.districts[0].shareCoveredChildren).toBe(1);
    expect(JSON.stringify(s)).not.toContain('NaN');
    const cmp = compareCoverage(s, s);
    expect(cmp.districts[1].overstatedSharePoints).toBeNull();
  });
});

describe('no network access', () => {
  it('cells farther than maxAccessM from any edge are reported, not covered', () => {
    const fx = loadFixture('river-one-bridge');
    const graph = buildWalkingGraph(fx.network!);
    const join = joinCells(graph, fx.cells!, { maxAccessM: 45 }); // c0 and c1 are 50 m from their roads
    const n = networkCoverage(graph, join, fx.facilities, { radiusM: 300 });
    expect([...n.noAccess!]).toEqual([1, 1, 0, 0]);
    expect(n.distanceM[0]).toBe(Infinity);
    const s = summariseCoverage(fx.cells!, n, { ageGroup: 'children_3_5' });
    expect(s.total.noAccessPopulation).toBe(1800);
    expect(s.total.coveredPopulation).toBe(0);
  });

  it('a facility beyond reach of the network covers nobody on foot and is listed', () => {
    const fx = loadFixture('river-one-bridge');
    const graph = buildWalkingGraph(fx.network!);
    const join = joinCells(graph, fx.cells!);
    const n = networkCoverage(graph, join, fx.facilities, { radiusM: 300, maxAccessM: 10 });
    expect([...n.unsnappedFacilities]).toEqual([0]);
    expect([...n.covered]).toEqual([0, 0, 0, 0]);
  });
});
