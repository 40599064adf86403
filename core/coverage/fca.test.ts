import { describe, expect, it } from 'vitest';
import { euclideanPairs, networkPairs, twoStepFca, type CatchmentPairs } from './fca';
import { buildWalkingGraph, joinCells } from './graph';
import { buildGrid, cellsFromGrid } from './grid';
import { FIXTURE_PROJECTION, loadFixture } from './fixtures/load';

// fca-two-by-three, by hand (Luo & Wang 2003):
//   step 1: R_A = 60 / (100 + 200) = 0.2;  R_B = 150 / (200 + 300) = 0.3
//   step 2: A_0 = 0.2, A_1 = 0.2 + 0.3 = 0.5, A_2 = 0.3 places per child
//   district: 1000 · (0.2·100 + 0.5·200 + 0.3·300) / 600 = 1000 · 210 / 600 = 350 per 1,000 children
//   (all 210 places are reached, so Σ A·D equals the total supply)
describe('2SFCA: two kindergartens × three cells', () => {
  const fx = loadFixture('fca-two-by-three');
  const cells = fx.cells!;
  const check = (pairs: CatchmentPairs) => {
    const sorted = [...Array(pairs.count).keys()].map((p) => `${pairs.facility[p]}-${pairs.cell[p]}`).sort();
    expect(sorted).toEqual(['0-0', '0-1', '1-1', '1-2']);
    const r = twoStepFca(cells, fx.facilities, pairs, { ageGroup: 'children_3_5' });
    expect(r.ratio[0]).toBeCloseTo(0.2, 12);
    expect(r.ratio[1]).toBeCloseTo(0.3, 12);
    expect([...r.accessibility].map((a) => +a.toFixed(12))).toEqual([0.2, 0.5, 0.3]);
    expect([...r.placesPer1000].map((a) => +a.toFixed(9))).toEqual([200, 500, 300]);
    expect(r.districts[0].placesPer1000Children).toBeCloseTo(350, 9);
    expect(r.districts[0].reachablePlaces).toBeCloseTo(210, 9);
  };

  it('with straight-line catchments', () => check(euclideanPairs(cells, fx.facilities, 300)));

  it('with walking catchments (the road runs through every point, so the same pairs)', () => {
    const graph = buildWalkingGraph(fx.network!);
    const pairs = networkPairs(graph, joinCells(graph, cells), fx.facilities, 300);
    check(pairs);
    for (const d of pairs.distanceM) expect(Math.abs(d - 200)).toBeLessThan(0.5);
  });

  it('unknown capacity and empty catchments are reported, not NaN in the totals', () => {
    const noCap = { ...fx.facilities, capacity: Float64Array.from([NaN, 150]) };
    const r = twoStepFca(cells, noCap, euclideanPairs(cells, noCap, 300), { ageGroup: 'children_3_5' });
    expect([...r.facilitiesWithoutCapacity]).toEqual([0]);
    expect([...r.accessibility].map((a) => +a.toFixed(12))).toEqual([0, 0.3, 0.3]);
    const far = twoStepFca(cells, fx.facilities, euclideanPairs(cells, fx.facilities, 50), { ageGroup: 'children_3_5', districtCount: 2 });
    expect([...far.facilitiesWithoutDemand]).toEqual([0, 1]);
    expect(far.districts[0].placesPer1000Children).toBe(0);
    expect(far.districts[1].placesPer1000Children).toBeNull();
  });

  it('a distance-decay weight (E2SFCA) is applied in both steps', () => {
    const r = twoStepFca(cells, fx.facilities, euclideanPairs(cells, fx.facilities, 300), { ageGroup: 'children_3_5', weight: () => 0.5 });
    // every weight 0.5: R doubles, A = Σ 0.5·R → unchanged
    expect(r.ratio[0]).toBeCloseTo(0.4, 12);
    expect(r.accessibility[1]).toBeCloseTo(0.5, 12);
  });
});

describe('2SFCA with a facility outside the districts', () => {
  it('its places serve the children it reaches inside', () => {
    const fx = loadFixture('facility-outside-districts');
    const grid = buildGrid(fx.districts, { cellSizeM: 100, projection: FIXTURE_PROJECTION });
    const cells = cellsFromGrid(grid, new Float64Array(grid.count).fill(100), { children_3_5: new Float64Array(grid.count).fill(3) });
    const r = twoStepFca(cells, fx.facilities, euclideanPairs(cells, fx.facilities, 300), { ageGroup: 'children_3_5' });
    expect(r.ratio[0]).toBeCloseTo(60 / 30, 12); // 10 cells × 3 children in reach
    expect(r.districts[0].placesPer1000Children).toBeCloseTo((1000 * 60) / 300, 9);
  });
});
