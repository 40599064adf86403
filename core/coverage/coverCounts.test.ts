import { describe, expect, it } from 'vitest';
import { summariseCoverage, type CoverageSummary } from './coverage';
import { coverCounts, updateCoverCounts, updateCoverageSummary, type CoverCounts } from './coverCounts';
import { buildPointIndex } from './nearest';
import { syntheticCity } from './synthetic';
import type { FacilityPoints } from './types';

// A small synthetic city (seeded): 6 km × 6 km, 9 districts, 60 facilities.
const city = syntheticCity({ seed: 11, widthM: 6000, heightM: 6000, facilityCount: 60, streetSpacingM: 0 });
const cells = city.cells;
const index = buildPointIndex(cells.lng, cells.lat);
const RADIUS_M = 300;
const opts = { ageGroup: 'children_3_5' as const, districtCount: 9 };
const baseIds = Array.from({ length: city.facilities.count }, (_, j) => 1000 + j);

function points(lng: number[], lat: number[]): FacilityPoints {
  return { count: lng.length, lng: Float64Array.from(lng), lat: Float64Array.from(lat) };
}

function summaryOf(c: CoverCounts): CoverageSummary {
  return summariseCoverage(cells, { mode: 'euclidean', radiusM: RADIUS_M, covered: c.covered, noAccess: null } as never, opts);
}

function expectSameSummary(a: CoverageSummary, b: CoverageSummary): void {
  for (const [x, y] of [...a.districts.map((r, d) => [r, b.districts[d]] as const), [a.total, b.total] as const]) {
    expect(x.coveredPopulation).toBeCloseTo(y.coveredPopulation, 6);
    expect(x.coveredChildren).toBeCloseTo(y.coveredChildren, 6);
    expect(x.coveredAreaKm2).toBeCloseTo(y.coveredAreaKm2, 9);
    expect(x.uncoveredPopulation).toBeCloseTo(y.uncoveredPopulation, 6);
    expect(x.shareCoveredChildren ?? -1).toBeCloseTo(y.shareCoveredChildren ?? -1, 12);
  }
}

describe('incremental straight-line coverage', () => {
  const lng = Array.from(city.facilities.lng);
  const lat = Array.from(city.facilities.lat);
  const start = coverCounts(index, cells.count, points(lng, lat), baseIds, RADIUS_M);
  const startSummary = summaryOf(start);

  // each edit as the database would give it: ids with positions, in id order
  const edits: [string, number[], number[], number[]][] = [
    ['one facility moved ~50 m', baseIds, lng.map((x, j) => (j === 7 ? x + 0.0005 : x)), lat],
    ['one facility removed', baseIds.filter((_, j) => j !== 3), lng.filter((_, j) => j !== 3), lat.filter((_, j) => j !== 3)],
    ['one facility added', [...baseIds, 5000], [...lng, lng[0] + 0.004], [...lat, lat[0] - 0.003]],
    ['two moved onto each other', baseIds, lng.map((x, j) => (j === 2 ? lng[5] : x)), lat.map((y, j) => (j === 2 ? lat[5] : y))],
    ['nothing changed', baseIds, lng, lat],
  ];

  for (const [name, ids, x, y] of edits) {
    it(`${name}: the same flags and summary as from scratch`, () => {
      const fresh = coverCounts(index, cells.count, points(x, y), ids, RADIUS_M);
      const { next, flipped } = updateCoverCounts(index, start, points(x, y), ids);
      expect(Array.from(next.count)).toEqual(Array.from(fresh.count));
      expect(Array.from(next.covered)).toEqual(Array.from(fresh.covered));
      for (const i of flipped) expect(next.covered[i]).not.toBe(start.covered[i]);
      expectSameSummary(updateCoverageSummary(cells, startSummary, next.covered, flipped), summaryOf(fresh));
    });
  }

  it('a chain of edits (moved there and back, then removed) ends where a computation from scratch does', () => {
    let state = start;
    let summary = startSummary;
    const back: (typeof edits)[number] = ['back', baseIds, lng, lat];
    for (const [, ids, x, y] of [edits[0], back, edits[1], edits[2]]) {
      const u = updateCoverCounts(index, state, points(x, y), ids);
      summary = updateCoverageSummary(cells, summary, u.next.covered, u.flipped);
      state = u.next;
    }
    const [, ids, x, y] = edits[2];
    const fresh = coverCounts(index, cells.count, points(x, y), ids, RADIUS_M);
    expect(Array.from(state.covered)).toEqual(Array.from(fresh.covered));
    expectSameSummary(summary, summaryOf(fresh));
  });

  it('a district whose every covering facility goes is covered by exactly 0 (no float residue, no -0)', () => {
    const none = points([], []);
    const { next, flipped } = updateCoverCounts(index, start, none, []);
    const s = updateCoverageSummary(cells, startSummary, next.covered, flipped);
    for (const row of [...s.districts, s.total]) {
      expect(Object.is(row.coveredPopulation, 0)).toBe(true);
      expect(Object.is(row.coveredChildren, 0)).toBe(true);
      expect(Object.is(row.coveredAreaKm2, 0)).toBe(true);
    }
  });

  it('does not modify the previous counts', () => {
    const before = Array.from(start.count);
    updateCoverCounts(index, start, points(edits[0][2], edits[0][3]), baseIds);
    expect(Array.from(start.count)).toEqual(before);
  });
});
