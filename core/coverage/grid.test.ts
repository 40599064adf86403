import { area, booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createLocalProjection, haversineM, unproject } from './geo';
import { buildGrid, cellRing, cellsFromGrid, selectCells, squareOf } from './grid';

const TURF_AREA_BIAS = 1.00123; // mean-radius sphere vs the local Gaussian sphere at 29.5° N
const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);

const triangle: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [106.6, 29.5],
      [106.65, 29.51],
      [106.62, 29.56],
      [106.6, 29.5],
    ],
  ],
};
const withHole: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [106.5, 29.5],
      [106.53, 29.5],
      [106.53, 29.52],
      [106.5, 29.52],
      [106.5, 29.5],
    ],
    [
      [106.51, 29.505],
      [106.511, 29.512],
      [106.52, 29.51],
      [106.51, 29.505],
    ],
  ],
};

describe('buildGrid', () => {
  it('cut squares add up to the polygon area (a triangle: every edge slanted)', () => {
    const g = buildGrid([triangle], { cellSizeM: 100 });
    expect(sum(g.areaM2) / (area(triangle) / TURF_AREA_BIAS)).toBeCloseTo(1, 4);
    for (const a of g.areaM2) expect(a).toBeLessThanOrEqual(10_000 + 1e-6);
  });

  it('holes are left out, whichever way the rings are wound', () => {
    const g = buildGrid([withHole], { cellSizeM: 100 });
    expect(sum(g.areaM2) / (area(withHole) / TURF_AREA_BIAS)).toBeCloseTo(1, 4);
    const reversed: Polygon = { type: 'Polygon', coordinates: withHole.coordinates.map((r) => [...r].reverse()) };
    expect(sum(buildGrid([reversed], { cellSizeM: 100 }).areaM2)).toBeCloseTo(sum(g.areaM2), 3);
  });

  it('two districts sharing a border split the border squares between them, no area lost or doubled', () => {
    const west: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [106.5, 29.5],
          [106.5137, 29.5],
          [106.5123, 29.52],
          [106.5, 29.52],
          [106.5, 29.5],
        ],
      ],
    };
    const east: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [106.5137, 29.5],
          [106.53, 29.5],
          [106.53, 29.52],
          [106.5123, 29.52],
          [106.5137, 29.5],
        ],
      ],
    };
    const g = buildGrid([west, east], { cellSizeM: 100 });
    const union = buildGrid(
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [106.5, 29.5],
              [106.53, 29.5],
              [106.53, 29.52],
              [106.5, 29.52],
              [106.5, 29.5],
            ],
          ],
        },
      ],
      { cellSizeM: 100, projection: g.grid.spec.projection },
    );
    expect(sum(g.areaM2)).toBeCloseTo(sum(union.areaM2), 2);
    const shared = new Map<string, number>();
    for (let i = 0; i < g.count; i++) {
      const k = `${g.grid.col[i]},${g.grid.row[i]}`;
      shared.set(k, (shared.get(k) ?? 0) + g.areaM2[i]);
    }
    expect(shared.size).toBe(union.count);
    expect([...g.district].filter((d) => d === 1).length).toBeGreaterThan(0);
  });

  it('a multipolygon is one district; the points of cut squares lie inside their district', () => {
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [triangle.coordinates, withHole.coordinates] };
    const g = buildGrid([multi], { cellSizeM: 250 });
    expect(new Set(g.district)).toEqual(new Set([0]));
    expect(sum(g.areaM2) / ((area(triangle) + area(withHole)) / TURF_AREA_BIAS)).toBeCloseTo(1, 4);
    let outside = 0;
    for (let i = 0; i < g.count; i++) if (!booleanPointInPolygon([g.lng[i], g.lat[i]], multi)) outside++;
    // 4 × 4 sub-sampling can miss a sliver thinner than 1/8 of a square; allow a handful
    expect(outside / g.count).toBeLessThan(0.01);
  });

  it('squares are exact lng/lat rectangles of the right size', () => {
    const p = createLocalProjection(106.55, 29.56);
    const spec = { cellSizeM: 100, originX: 0, originY: 0, cols: 1, rows: 1, projection: p };
    const ring = cellRing(spec, 3, 4);
    expect(haversineM(ring[0][0], ring[0][1], ring[1][0], ring[1][1])).toBeCloseTo(100, 0);
    expect(area({ type: 'Polygon', coordinates: [ring] }) / TURF_AREA_BIAS).toBeCloseTo(10_000, 0);
    const [lng, lat] = unproject(p, 350, 450);
    expect(squareOf(spec, lng, lat)).toEqual([3, 4]);
  });

  it('empty input gives an empty grid; cellsFromGrid sums the child groups', () => {
    expect(buildGrid([]).count).toBe(0);
    const g = buildGrid([triangle], { cellSizeM: 1000 });
    const cells = cellsFromGrid(g, new Float64Array(g.count).fill(10), {
      children_0_2: new Float64Array(g.count).fill(1),
      children_3_5: new Float64Array(g.count).fill(2),
    });
    expect(cells.children.children_0_14[0]).toBe(3);
    expect(cells.children.children_6_11[0]).toBe(0);
  });
});

describe('selectCells', () => {
  it('copies the chosen records, grid positions included', () => {
    const g = buildGrid([triangle], { cellSizeM: 500 });
    const cells = cellsFromGrid(
      g,
      Float64Array.from(g.areaM2, (a) => a / 100),
      { children_3_5: new Float64Array(g.count).fill(2) },
    );
    const sub = selectCells(cells, [3, 1]);
    expect(sub.count).toBe(2);
    expect([sub.lng[0], sub.population[1], sub.children.children_3_5[0]]).toEqual([cells.lng[3], cells.population[1], 2]);
    expect([sub.grid!.col[0], sub.grid!.row[0]]).toEqual([cells.grid!.col[3], cells.grid!.row[3]]);
    sub.population[0] = -1;
    expect(cells.population[3]).not.toBe(-1);
  });
});
