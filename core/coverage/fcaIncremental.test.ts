import { describe, expect, it } from 'vitest';
import { catchmentsOf, euclideanPairs, networkPairs, twoStepFca, twoStepFcaWithState, updateTwoStepFca, type FcaResult } from './fca';
import { buildWalkingGraph, joinCells } from './graph';
import { syntheticCity } from './synthetic';
import type { Cells, FacilityPoints } from './types';

// A small synthetic city (seeded): 6 km × 6 km, 9 districts, 120 facilities with capacities.
const city = syntheticCity({ seed: 11, widthM: 6000, heightM: 6000, facilityCount: 120 });
const cells = city.cells;
const RADIUS_M = 300;
const opts = { ageGroup: 'children_3_5' as const, districtCount: 9 };

function withCapacity(f: FacilityPoints): FacilityPoints {
  const capacity = f.capacity ?? Float64Array.from({ length: f.count }, (_, j) => (j % 7 === 0 ? NaN : 30 + ((j * 37) % 90)));
  return { ...f, capacity };
}
const base = withCapacity(city.facilities);
const baseIds = Array.from({ length: base.count }, (_, j) => 1000 + j);

function pick(f: FacilityPoints, keep: number[]): FacilityPoints {
  return {
    count: keep.length,
    lng: Float64Array.from(keep, (j) => f.lng[j]),
    lat: Float64Array.from(keep, (j) => f.lat[j]),
    capacity: Float64Array.from(keep, (j) => f.capacity![j]),
  };
}

function expectSame(a: FcaResult, b: FcaResult): void {
  expect(a.ratio.length).toBe(b.ratio.length);
  for (let j = 0; j < a.ratio.length; j++) {
    if (Number.isNaN(b.ratio[j])) expect(a.ratio[j]).toBeNaN();
    else expect(a.ratio[j]).toBeCloseTo(b.ratio[j], 12);
  }
  let maxDiff = 0;
  for (let i = 0; i < a.accessibility.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.accessibility[i] - b.accessibility[i]));
  expect(maxDiff).toBeLessThan(1e-12);
  expect(a.districts.map((d) => d.placesPer1000Children?.toFixed(9) ?? null)).toEqual(
    b.districts.map((d) => d.placesPer1000Children?.toFixed(9) ?? null),
  );
  expect(a.total.reachablePlaces).toBeCloseTo(b.total.reachablePlaces, 9);
  expect([...a.facilitiesWithoutCapacity]).toEqual([...b.facilitiesWithoutCapacity]);
  expect([...a.facilitiesWithoutDemand]).toEqual([...b.facilitiesWithoutDemand]);
}

type PairsOf = (c: Cells, f: FacilityPoints) => ReturnType<typeof euclideanPairs>;

function scenarios(pairsOf: PairsOf) {
  const start = twoStepFcaWithState(cells, base, baseIds, pairsOf(cells, base), opts);
  const incremental = (f: FacilityPoints, ids: number[]) => {
    let calls = 0;
    const r = updateTwoStepFca(
      cells,
      start.state,
      f,
      ids,
      (j) => {
        calls++;
        return catchmentsOf(pairsOf(cells, pick(f, [j])), 1)[0];
      },
      opts,
    );
    expect(r.recomputed).toBe(calls);
    return r;
  };
  const full = (f: FacilityPoints) => twoStepFca(cells, f, pairsOf(cells, f), opts);
  return { start, incremental, full };
}

describe.each([
  ['straight-line catchments', ((c, f) => euclideanPairs(c, f, RADIUS_M)) as PairsOf],
  [
    'walking catchments',
    (() => {
      const graph = buildWalkingGraph(city.network!);
      const join = joinCells(graph, cells);
      return ((_c, f) => networkPairs(graph, join, f, RADIUS_M)) as PairsOf;
    })(),
  ],
])('incremental 2SFCA with %s equals a full recompute', (_label, pairsOf) => {
  const { start, incremental, full } = scenarios(pairsOf);

  it('the state of a full pass gives the full answer', () => {
    expectSame(start.result, full(base));
  });

  it('after adding a facility (one catchment computed)', () => {
    const lng = Float64Array.from([...base.lng, cells.lng[Math.floor(cells.count / 2)]]);
    const lat = Float64Array.from([...base.lat, cells.lat[Math.floor(cells.count / 2)]]);
    const f = { count: base.count + 1, lng, lat, capacity: Float64Array.from([...base.capacity!, 120]) };
    const r = incremental(f, [...baseIds, 9999]);
    expect(r.recomputed).toBe(1);
    expectSame(r.result, full(f));
  });

  it('after moving a facility 150 m east and re-sizing another', () => {
    const f = { ...base, lng: Float64Array.from(base.lng), capacity: Float64Array.from(base.capacity!) };
    f.lng[3] += 150 / (111_320 * Math.cos((f.lat[3] * Math.PI) / 180));
    f.capacity[5] = 300;
    const r = incremental(f, baseIds);
    expect(r.recomputed).toBe(2);
    expectSame(r.result, full(f));
  });

  it('after deleting a facility (nothing computed, its catchment taken out)', () => {
    const keep = [...Array(base.count).keys()].filter((j) => j !== 10);
    const f = pick(base, keep);
    const r = incremental(
      f,
      keep.map((j) => baseIds[j]),
    );
    expect(r.recomputed).toBe(0);
    expectSame(r.result, full(f));
  });

  it('leaves the previous state untouched', () => {
    const before = Float64Array.from(start.state.accessibility);
    incremental(pick(base, [0, 1, 2]), [baseIds[0], baseIds[1], 42]);
    expect(start.state.accessibility).toEqual(before);
    expect(start.state.byId.size).toBe(base.count);
  });
});
