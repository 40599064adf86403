import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { dasymetricPopulation, facilitiesNearCells, streetLengthPerCell } from './dasymetric';
import { unproject } from './geo';
import { buildGrid } from './grid';
import { FIXTURE_PROJECTION } from './fixtures/load';
import { facilityPoints } from './types';

const P = FIXTURE_PROJECTION;
const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[unproject(P, x0, y0), unproject(P, x1, y0), unproject(P, x1, y1), unproject(P, x0, y1), unproject(P, x0, y0)]],
});
const sum = (a: ArrayLike<number>, pick: (i: number) => boolean = () => true) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (pick(i)) s += a[i];
  return s;
};

// A 2 km × 1 km district: a dense street grid (every 100 m, both ways) in the western
// kilometre, one country road across the eastern one.
function town() {
  const grid = buildGrid([rect(0, 0, 2000, 1000), rect(2000, 0, 3000, 1000)], { cellSizeM: 100, projection: P });
  const seg: number[] = [];
  const line = (x0: number, y0: number, x1: number, y1: number) => seg.push(...unproject(P, x0, y0), ...unproject(P, x1, y1));
  for (let k = 50; k < 1000; k += 100) {
    line(0, k, 1000, k);
    line(k, 0, k, 1000);
  }
  line(1000, 500, 2000, 520);
  return { grid, segments: new Float64Array(seg) };
}

describe('dasymetric population', () => {
  it('street lengths are cut exactly by square', () => {
    const { grid, segments } = town();
    const len = streetLengthPerCell(grid, segments);
    // 10 + 10 streets of 1000 m in the west, a 1000.2 m road in the east
    expect(sum(len)).toBeCloseTo(20_000 + Math.hypot(1000, 20), 0);
    expect(len[0]).toBeCloseTo(200, 6); // a square crossed by one street each way
  });

  it('urban people go where the streets are, the rural rest thinly by area; totals are exact', () => {
    const { grid, segments } = town();
    const streetLengthM = streetLengthPerCell(grid, segments);
    const r = dasymetricPopulation(
      grid,
      [
        { code: 'T', population: 10_000, urbanShare: 0.8, children: { children_3_5: 300, children_0_2: 200 } },
        { code: 'Z', population: 0, urbanShare: 0.5 },
      ],
      { streetLengthM },
    );
    const inTown = (i: number) => grid.district[i] === 0;
    expect(sum(r.population, inTown)).toBeCloseTo(10_000, 6);
    const west = (i: number) => inTown(i) && grid.grid.col[i] < 10;
    // the street grid's density is 20 km/km² ≥ 8: signal; the country road smooths to ~2: no signal
    // (the 2–3 squares next to the town take some urban weight through the smoothing window)
    expect(sum(r.population, west)).toBeGreaterThan(7_500);
    const east = [...Array(grid.count).keys()].filter((i) => inTown(i) && grid.grid.col[i] >= 13 && !r.signal[i]);
    const perCell = r.population[east[0]];
    for (const i of east) expect(r.population[i]).toBeCloseTo(perCell, 9);
    // the rural 20 % lands exactly on the cells without signal, thinly
    expect(sum(r.population, (i) => inTown(i) && !r.signal[i])).toBeCloseTo(2_000, 6);
    const centre = [...Array(grid.count).keys()].find((i) => inTown(i) && grid.grid.col[i] === 5 && grid.grid.row[i] === 5)!;
    expect(r.signal[centre]).toBe(1);
    expect(perCell).toBeLessThan(r.population[centre] / 2);
    // children follow the district's shares
    expect(sum(r.children.children_3_5, inTown)).toBeCloseTo(300, 6);
    expect(r.children.children_3_5[centre] / r.population[centre]).toBeCloseTo(0.03, 12);
    expect(sum(r.children.children_0_14, inTown)).toBeCloseTo(500, 6);
    // a district of nobody stays empty and says so
    expect(sum(r.population, (i) => grid.district[i] === 1)).toBe(0);
    expect(r.districtMethods[1]).toContain('population 0');
    expect(r.method).toMatch(/^dasymetric/);
  });

  it('facilities are settlement signal too; without any signal the spread is even', () => {
    const { grid } = town();
    const shop = facilityPoints([unproject(P, 2550, 550)]);
    const near = facilitiesNearCells(grid, shop, 500);
    expect(Math.max(...near)).toBe(1);
    const r = dasymetricPopulation(
      grid,
      [
        { population: 1000, urbanShare: 0.5 },
        { population: 1000, urbanShare: 0.5 },
      ],
      { facilityCount: near },
    );
    const d1 = (i: number) => grid.district[i] === 1;
    expect(sum(r.population, (i) => d1(i) && r.signal[i] === 1)).toBeCloseTo(500, 6);
    const even = dasymetricPopulation(grid, [{ population: 1000, urbanShare: 0.5 }], {});
    expect(even.population[0]).toBeCloseTo(1000 / 200, 9);
    expect(even.districtMethods[0]).toContain('evenly by area');
  });
});
