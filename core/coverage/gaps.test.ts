import { area, booleanClockwise, booleanPointInPolygon } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { euclideanCoverage } from './coverage';
import { FIXTURE_PROJECTION, loadFixture, readFixture, roundCoords } from './fixtures/load';
import { coverageGaps, dissolveSquares } from './gaps';
import { buildGrid, cellsFromGrid, type GridSpec } from './grid';
import { facilityPoints } from './types';
import { unproject } from './geo';

// The fixture grid: 100 m squares with square (0, 0) at the projection centre.
const SPEC: GridSpec = { cellSizeM: 100, originX: 0, originY: 0, cols: 10, rows: 10, projection: FIXTURE_PROJECTION };
// Turf's area uses the mean-radius sphere, 0.12 % larger than our local (Gaussian-radius) one at 29.56° N.
const TURF_AREA_BIAS = 1.00123;

function dissolveFixture(name: string) {
  const fc = readFixture('in', name);
  const comps = dissolveSquares(SPEC, { col: fc.features.map((f) => f.properties!.col), row: fc.features.map((f) => f.properties!.row) });
  return {
    type: 'FeatureCollection' as const,
    features: comps.map((c) => ({
      type: 'Feature' as const,
      properties: { squareCount: c.squareCount, members: c.members },
      geometry: { type: 'Polygon' as const, coordinates: c.rings },
    })),
  };
}

describe('dissolveSquares (golden: fixtures/out)', () => {
  it.each(['gap-l-shape', 'gap-hole', 'gap-diagonal'])('%s matches its golden output', (name) => {
    expect(roundCoords(dissolveFixture(name), 7)).toEqual(readFixture('out', name));
  });

  it('an L of five squares is one polygon of six corners and five squares of area', () => {
    const fc = dissolveFixture('gap-l-shape');
    expect(fc.features).toHaveLength(1);
    const ring = fc.features[0].geometry.coordinates[0];
    expect(ring).toHaveLength(7); // six corners + closing point: collinear corners dropped
    expect(area(fc.features[0]) / TURF_AREA_BIAS).toBeCloseTo(50_000, -1);
    expect(booleanClockwise(ring)).toBe(false); // RFC 7946: outer rings counter-clockwise
  });

  it('a ring of eight squares is one polygon with one clockwise hole', () => {
    const fc = dissolveFixture('gap-hole');
    expect(fc.features).toHaveLength(1);
    const [outer, hole] = fc.features[0].geometry.coordinates;
    expect(fc.features[0].geometry.coordinates).toHaveLength(2);
    expect(outer).toHaveLength(5);
    expect(hole).toHaveLength(5);
    expect(booleanClockwise(hole)).toBe(true);
    expect(area(fc.features[0]) / TURF_AREA_BIAS).toBeCloseTo(80_000, -1);
    const centre = unproject(FIXTURE_PROJECTION, 150, 150);
    expect(booleanPointInPolygon(centre, fc.features[0] as Feature<Polygon>)).toBe(false);
  });

  it('squares touching only at a corner stay separate polygons', () => {
    const fc = dissolveFixture('gap-diagonal');
    expect(fc.features.map((f) => f.properties.squareCount)).toEqual([1, 1, 2]);
  });

  it('no squares, no polygons', () => {
    expect(dissolveSquares(SPEC, { col: [], row: [] })).toEqual([]);
  });
});

describe('coverageGaps', () => {
  const fx = loadFixture('facility-outside-districts');
  const grid = buildGrid(fx.districts, { cellSizeM: 100, projection: FIXTURE_PROJECTION });
  const cells = cellsFromGrid(grid, new Float64Array(grid.count).fill(100), { children_3_5: new Float64Array(grid.count).fill(3) });

  it('a facility at the edge leaves one gap without a hole, holding the uncovered children', () => {
    const cov = euclideanCoverage(cells, fx.facilities, { radiusM: 300 });
    const gaps = coverageGaps(cells, cov, { ageGroup: 'children_3_5' });
    expect(gaps.features).toHaveLength(1);
    const g = gaps.features[0];
    expect(g.geometry.coordinates).toHaveLength(1);
    expect(g.properties).toMatchObject({ district: 0, squareCount: 90, uncoveredPopulation: 9000, uncoveredChildren: 270 });
    expect(g.properties.areaKm2).toBeCloseTo(0.9, 6);
    expect(area(g) / TURF_AREA_BIAS / 1e6).toBeCloseTo(0.9, 4);
  });

  it('a facility in the middle leaves a gap with a hole where it covers', () => {
    const centre = facilityPoints([unproject(FIXTURE_PROJECTION, 500, 500)]);
    const cov = euclideanCoverage(cells, centre, { radiusM: 300 });
    let covered = 0;
    for (const c of cov.covered) covered += c;
    // cell centres (50 + 100i, 50 + 100j) within 300 m of (500, 500): 32 of them
    expect(covered).toBe(32);
    const gaps = coverageGaps(cells, cov, { ageGroup: 'children_3_5' });
    expect(gaps.features).toHaveLength(1);
    expect(gaps.features[0].geometry.coordinates).toHaveLength(2);
    expect(gaps.features[0].properties.squareCount).toBe(68);
    expect(area(gaps.features[0]) / TURF_AREA_BIAS / 1e6).toBeCloseTo(0.68, 4);
  });

  it("'populated' skips empty cells, 'all' keeps them", () => {
    const empty = cellsFromGrid(grid, new Float64Array(grid.count));
    const cov = euclideanCoverage(empty, fx.facilities, { radiusM: 300 });
    expect(coverageGaps(empty, cov, { ageGroup: 'children_3_5' }).features).toHaveLength(0);
    expect(coverageGaps(empty, cov, { ageGroup: 'children_3_5', include: 'all' }).features).toHaveLength(1);
  });
});
