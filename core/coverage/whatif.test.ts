import { describe, expect, it } from 'vitest';
import { euclideanCoverage, networkCoverage, type CellCoverage } from './coverage';
import { unproject } from './geo';
import { buildWalkingGraph, joinCells } from './graph';
import { buildGrid, cellsFromGrid } from './grid';
import { FIXTURE_PROJECTION } from './fixtures/load';
import { syntheticCity } from './synthetic';
import type { FacilityPoints } from './types';
import { addFacilities, createScenario, removeFacilities, suggestSites, type Scenario } from './whatif';

const city = syntheticCity({ seed: 11, widthM: 3000, heightM: 3000, facilityCount: 25, stepShare: 0.1 });
const graph = buildWalkingGraph(city.network!);
const join = joinCells(graph, city.cells);

/** Full recomputation on the scenario's active facilities, with nearest mapped back to scenario ids. */
function fullRecompute(s: Scenario): CellCoverage {
  const ids: number[] = [];
  for (let j = 0; j < s.facilities.count; j++) if (s.facilities.active[j]) ids.push(j);
  const f: FacilityPoints = {
    count: ids.length,
    lng: Float64Array.from(ids, (j) => s.facilities.lng[j]),
    lat: Float64Array.from(ids, (j) => s.facilities.lat[j]),
  };
  const opts = { radiusM: s.radiusM, maxDistanceM: s.maxDistanceM };
  const c = s.mode === 'euclidean' ? euclideanCoverage(s.cells, f, opts) : networkCoverage(graph, join, f, opts);
  return { ...c, nearest: c.nearest.map((k) => (k < 0 ? -1 : ids[k])) };
}

function expectSame(a: CellCoverage, b: CellCoverage) {
  let maxDiff = 0;
  for (let i = 0; i < a.distanceM.length; i++) {
    if (a.distanceM[i] === Infinity || b.distanceM[i] === Infinity) expect(a.distanceM[i]).toBe(b.distanceM[i]);
    else maxDiff = Math.max(maxDiff, Math.abs(a.distanceM[i] - b.distanceM[i]));
  }
  expect(maxDiff).toBeLessThan(1e-6);
  expect([...a.covered]).toEqual([...b.covered]);
  expect([...a.nearest]).toEqual([...b.nearest]);
}

const proposals: [number, number][] = [
  unproject(city.projection, -1000, 1100),
  unproject(city.projection, 1200, -900),
  unproject(city.projection, 40, 60),
];

describe.each([
  ['euclidean', Infinity],
  ['euclidean', 1500],
  ['network', Infinity],
  ['network', 1500],
] as const)('what-if in %s mode (maxDistanceM %s) equals a full recomputation', (mode, maxDistanceM) => {
  const base = createScenario({ mode, cells: city.cells, facilities: city.facilities, radiusM: 300, maxDistanceM, graph, join });

  it('after adding three proposed facilities', () => {
    const { scenario, ids, changedCells } = addFacilities(base, proposals);
    expect(ids).toEqual([25, 26, 27]);
    expect(changedCells.length).toBeGreaterThan(0);
    expectSame(scenario.coverage, fullRecompute(scenario));
  });

  it('after removing existing facilities and a proposed one', () => {
    const added = addFacilities(base, proposals).scenario;
    const { scenario } = removeFacilities(added, [0, 3, 7, 26]);
    expectSame(scenario.coverage, fullRecompute(scenario));
    // and removing everything leaves nobody covered
    const none = removeFacilities(scenario, [...Array(28).keys()]).scenario;
    expect(none.coverage.covered.every((c) => c === 0)).toBe(true);
    expectSame(none.coverage, fullRecompute(none));
  });

  it('never changes the scenario it starts from', () => {
    const before = Float64Array.from(base.coverage.distanceM);
    addFacilities(base, proposals);
    removeFacilities(base, [1, 2]);
    expect([...base.coverage.distanceM]).toEqual([...before]);
    expect(base.facilities.count).toBe(25);
  });
});

describe('greedy site suggestion', () => {
  // A 2 km square of 100 m cells, one child in each, and a cluster around cell (15, 15):
  // 200 children in it, 100 in its four neighbours, 50 in its four diagonal ones. One
  // kindergarten far away at cell (2, 2). Radius 150 m reaches a cell's 8 neighbours
  // (≤ 141 m) but nothing two cells away, so only the cluster's centre gets all of it.
  const P = FIXTURE_PROJECTION;
  const rect = (x0: number, y0: number, x1: number, y1: number) => ({
    type: 'Polygon' as const,
    coordinates: [[unproject(P, x0, y0), unproject(P, x1, y0), unproject(P, x1, y1), unproject(P, x0, y1), unproject(P, x0, y0)]],
  });
  const grid = buildGrid([rect(0, 0, 2000, 2000)], { cellSizeM: 100, projection: P });
  const kids = new Float64Array(grid.count).fill(1);
  for (let i = 0; i < grid.count; i++) {
    const dc = Math.abs(grid.grid.col[i] - 15),
      dr = Math.abs(grid.grid.row[i] - 15);
    if (dc === 0 && dr === 0) kids[i] = 200;
    else if (dc + dr === 1) kids[i] = 100;
    else if (dc === 1 && dr === 1) kids[i] = 50;
  }
  const cells = cellsFromGrid(
    grid,
    kids.map((k) => k * 30),
    { children_3_5: kids },
  );
  const existing: FacilityPoints = {
    count: 1,
    lng: Float64Array.of(unproject(P, 250, 250)[0]),
    lat: Float64Array.of(unproject(P, 250, 250)[1]),
  };
  const centre = grid.grid.row.findIndex((r, i) => r === 15 && grid.grid.col[i] === 15);

  it('straight-line: picks the cluster centre first, with everything it adds', () => {
    const s = createScenario({ mode: 'euclidean', cells, facilities: existing, radiusM: 150 });
    const { sites, scenario } = suggestSites(s, { k: 2, ageGroup: 'children_3_5' });
    expect(sites[0].cell).toBe(centre);
    expect(sites[0].addedChildren).toBe(200 + 4 * 100 + 4 * 50);
    expect(sites[1].addedChildren).toBe(9); // then any 9 uncovered background cells
    expect(scenario.facilities.count).toBe(3);
  });

  it('walking on a street grid through the cell centres: still the centre, diagonals now 200 m away', () => {
    const ids: number[] = [],
      lng: number[] = [],
      lat: number[] = [];
    for (let r = 0; r < 20; r++)
      for (let c = 0; c < 20; c++) {
        const [x, y] = unproject(P, 50 + 100 * c, 50 + 100 * r);
        ids.push(r * 20 + c);
        lng.push(x);
        lat.push(y);
      }
    const from: number[] = [],
      to: number[] = [],
      lengthM: number[] = [];
    for (let r = 0; r < 20; r++)
      for (let c = 0; c < 20; c++) {
        if (c < 19) {
          from.push(r * 20 + c);
          to.push(r * 20 + c + 1);
          lengthM.push(100);
        }
        if (r < 19) {
          from.push(r * 20 + c);
          to.push((r + 1) * 20 + c);
          lengthM.push(100);
        }
      }
    const g = buildWalkingGraph({ nodes: { id: ids, lng, lat }, edges: { from, to, lengthM } });
    const s = createScenario({ mode: 'network', cells, facilities: existing, radiusM: 150, graph: g, join: joinCells(g, cells) });
    const { sites } = suggestSites(s, { k: 1, ageGroup: 'children_3_5' });
    expect(sites[0].cell).toBe(centre);
    expect(sites[0].addedChildren).toBe(200 + 4 * 100);
  });
});
