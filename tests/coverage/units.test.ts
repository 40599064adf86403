/**
 * The coverage feature's own pieces, without a database: the bounded LRU and invalidation,
 * the network window, WKB reading and the edge-row conversion, the fast straight-line
 * coverage flags (against core's nearest-distance pass), and the planner's pure cell
 * geometry (squares that abut exactly) and colours.
 */
import { describe, expect, it } from 'vitest';
import { euclideanCoverage, normFor } from '../../core/coverage/index';
import { syntheticCity } from '../../core/coverage/synthetic';
import { buildPointIndex } from '../../core/coverage/nearest';
import { coverCounts } from '../../core/coverage/coverCounts';
import { cachesFor, invalidateCoverageCache, Lru, lruOf } from '../../server/features/coverage/cache';
import { marginFor, metresToDeg, networkInputFromRows, readWkbLine, windowOf } from '../../server/features/coverage/graph';
import type { EdgeRow } from '../../server/features/coverage/sql';
import { cellColours, cellSquares, gridSquares } from '../../client/src/planner/cells';
import { PLANNER_COLOURS } from '../../client/src/planner/colours';
import { plannerText } from '../../client/src/planner/messages';
import type { CellsData, PlannerView } from '../../client/src/planner/store';
import type { Queryable } from '../../server/db/adapter';

function wkbLine(coords: [number, number][], littleEndian = true): Buffer {
  const b = Buffer.alloc(9 + 16 * coords.length);
  b[0] = littleEndian ? 1 : 0;
  if (littleEndian) {
    b.writeUInt32LE(2, 1);
    b.writeUInt32LE(coords.length, 5);
  } else {
    b.writeUInt32BE(2, 1);
    b.writeUInt32BE(coords.length, 5);
  }
  coords.forEach(([x, y], i) => {
    if (littleEndian) {
      b.writeDoubleLE(x, 9 + 16 * i);
      b.writeDoubleLE(y, 17 + 16 * i);
    } else {
      b.writeDoubleBE(x, 9 + 16 * i);
      b.writeDoubleBE(y, 17 + 16 * i);
    }
  });
  return b;
}

describe('Lru', () => {
  it('evicts the least recently used past its entry count, never the entry just added', () => {
    const l = new Lru<string, number>(2);
    l.set('a', 1);
    l.set('b', 2);
    l.get('a');
    l.set('c', 3);
    expect([l.get('a'), l.get('b'), l.get('c')]).toEqual([1, undefined, 3]);
  });

  it('evicts by total weight, and keeps one oversized entry alone', () => {
    const l = new Lru<string, number[]>(10, 5, (v) => v.length);
    l.set('a', [1, 2, 3]);
    l.set('b', [1, 2]);
    expect(l.size).toBe(2);
    l.set('c', [1]);
    expect(l.get('a')).toBeUndefined();
    l.set('huge', [1, 2, 3, 4, 5, 6, 7]);
    expect(l.size).toBe(1);
    expect(l.get('huge')).toHaveLength(7);
  });
});

describe('invalidateCoverageCache', () => {
  it('clears one database or every database, bumping the generation that keys derived data', () => {
    const db1 = {} as Queryable,
      db2 = {} as Queryable;
    const c1 = cachesFor(db1),
      c2 = cachesFor(db2);
    lruOf<number>(c1, 'x', 4).set('k', 1);
    lruOf<number>(c2, 'x', 4).set('k', 2);
    const [g1, g2] = [c1.generation, c2.generation];
    invalidateCoverageCache(db1);
    expect(lruOf<number>(c1, 'x', 4).get('k')).toBeUndefined();
    expect(lruOf<number>(c2, 'x', 4).get('k')).toBe(2);
    invalidateCoverageCache();
    expect(lruOf<number>(c2, 'x', 4).get('k')).toBeUndefined();
    expect(c1.generation).toBe(g1 + 2);
    expect(c2.generation).toBe(g2 + 1);
  });
});

describe('network window', () => {
  it('widens by the margin and rounds outward to 0.005°', () => {
    const w = windowOf([106.5, 29.54, 106.52, 29.56], 2000);
    const [dx, dy] = metresToDeg(2000, 29.56);
    expect(w[0]).toBeLessThanOrEqual(106.5 - dx);
    expect(w[1]).toBeLessThanOrEqual(29.54 - dy);
    expect(w[2]).toBeGreaterThanOrEqual(106.52 + dx);
    expect(w[3]).toBeGreaterThanOrEqual(29.56 + dy);
    for (const v of w) expect(Math.abs(v / 0.005 - Math.round(v / 0.005))).toBeLessThan(1e-6);
    // a walk of r from a cell stays within r: radius + access leg, at least 2 km, whole km
    expect(marginFor(300, 500)).toBe(2000);
    expect(marginFor(1000, 500)).toBe(2000);
    expect(marginFor(5000, 500)).toBe(6000);
  });
});

describe('edge rows', () => {
  it('reads WKB line strings in either byte order', () => {
    for (const le of [true, false]) {
      const out: number[] = [];
      expect(
        readWkbLine(
          wkbLine(
            [
              [1, 2],
              [3.5, -4.25],
            ],
            le,
          ),
          out,
        ),
      ).toBe(2);
      expect(out).toEqual([1, 2, 3.5, -4.25]);
    }
    expect(() => readWkbLine(Buffer.from([1, 1, 0, 0, 0, 0, 0, 0, 0]), [])).toThrow(/LineString/);
  });

  it('makes nodes from line ends, marks motorways unwalkable, and keeps walkable segments for street density', () => {
    const rows: EdgeRow[] = [
      {
        from_node: 1,
        to_node: 2,
        length_m: 100,
        is_steps: false,
        oneway_foot: false,
        highway: 'footway',
        sidewalk: null,
        wkb: wkbLine([
          [0, 0],
          [0.001, 0],
          [0.001, 0.001],
        ]),
      },
      {
        from_node: 2,
        to_node: 3,
        length_m: 50,
        is_steps: true,
        oneway_foot: true,
        highway: 'steps',
        sidewalk: null,
        wkb: wkbLine([
          [0.001, 0.001],
          [0.002, 0.001],
        ]),
      },
      {
        from_node: 3,
        to_node: 1,
        length_m: 300,
        is_steps: false,
        oneway_foot: false,
        highway: 'motorway',
        sidewalk: null,
        wkb: wkbLine([
          [0.002, 0.001],
          [0, 0],
        ]),
      },
    ];
    const { input, segments } = networkInputFromRows(rows);
    expect(Array.from(input.nodes.id)).toEqual([1, 2, 3]);
    expect(Array.from(input.nodes.lng)).toEqual([0, 0.001, 0.002]);
    expect(Array.from(input.edges.walkable!)).toEqual([1, 1, 0]);
    expect(Array.from(input.edges.isSteps!)).toEqual([0, 1, 0]);
    expect(Array.from(input.edges.onewayFoot!)).toEqual([0, 1, 0]);
    expect(Array.from(input.edges.geometry!.offsets)).toEqual([0, 3, 5, 7]);
    expect(segments.length).toBe(4 * 3); // two pieces of the footway, one of the steps, none of the motorway
  });
});

describe('straight-line coverage flags', () => {
  it('marking discs gives exactly the cells whose nearest facility is within the radius', () => {
    const city = syntheticCity({ seed: 11, widthM: 6000, heightM: 6000, facilityCount: 40, streetSpacingM: 0 });
    for (const r of [150, 300, 1000]) {
      const ids = Array.from({ length: city.facilities.count }, (_, j) => j);
      const fast = coverCounts(buildPointIndex(city.cells.lng, city.cells.lat), city.cells.count, city.facilities, ids, r).covered;
      const slow = euclideanCoverage(city.cells, city.facilities, { radiusM: r }).covered;
      expect(Array.from(fast)).toEqual(Array.from(slow));
    }
  });
});

describe('planner cells (pure)', () => {
  const city = syntheticCity({ seed: 3, widthM: 1000, heightM: 800, facilityCount: 2, streetSpacingM: 0 });
  const spec = city.cells.grid!.spec;
  const grid = {
    cellSizeM: spec.cellSizeM,
    originX: spec.originX,
    originY: spec.originY,
    cols: spec.cols,
    rows: spec.rows,
    projection: spec.projection,
  };
  const squares = gridSquares(grid, city.cells.grid!.col, city.cells.grid!.row);
  const n = city.cells.count;
  const cells: CellsData = {
    count: n,
    cellSizeM: 100,
    lng: city.cells.lng,
    lat: city.cells.lat,
    squares,
    population: Float32Array.from(city.cells.population),
    children: Float32Array.from(city.cells.children.children_3_5),
    populationAvailable: true,
    server: {},
    facilities: { id: [], lng: [], lat: [] },
  };

  it('squares contain their cell and abut their neighbours exactly (no seam)', () => {
    const at = new Map<string, number>();
    for (let i = 0; i < n; i++) at.set(`${city.cells.grid!.col[i]},${city.cells.grid!.row[i]}`, i);
    for (let i = 0; i < n; i++) {
      const [w, s, e, no] = squares.subarray(4 * i, 4 * i + 4);
      expect(city.cells.lng[i]).toBeGreaterThanOrEqual(w);
      expect(city.cells.lng[i]).toBeLessThanOrEqual(e);
      expect(city.cells.lat[i]).toBeGreaterThanOrEqual(s);
      expect(city.cells.lat[i]).toBeLessThanOrEqual(no);
      const east = at.get(`${city.cells.grid!.col[i] + 1},${city.cells.grid!.row[i]}`);
      if (east !== undefined) expect(squares[4 * east]).toBe(e);
      const north = at.get(`${city.cells.grid!.col[i]},${city.cells.grid!.row[i] + 1}`);
      if (north !== undefined) expect(squares[4 * north + 1]).toBe(no);
    }
    const { positions, startIndices } = cellSquares(cells);
    expect(startIndices.length).toBe(n);
    expect(positions.length).toBe(10 * n);
    expect([positions[0], positions[1]]).toEqual([positions[8], positions[9]]); // closed ring
  });

  it('colours: covered, straight-line only, no access, uncovered with people, empty', () => {
    const cov = (f: (i: number) => boolean) => Uint8Array.from({ length: n }, (_, i) => (f(i) ? 1 : 0));
    const people = (i: number) => city.cells.population[i] > 0;
    const empty = [...Array(n).keys()].find((i) => !people(i));
    const view: PlannerView = {
      primary: 'network',
      secondary: 'euclidean',
      source: 'server',
      rows: {},
      gaps: [],
      covered: { network: cov((i) => i % 4 === 0), euclidean: cov((i) => i % 4 <= 1) },
      noAccess: cov((i) => i % 4 === 2),
    };
    const c = cellColours(cells, view);
    const colourOf = (i: number) => Array.from(c.subarray(20 * i, 20 * i + 4));
    const P = PLANNER_COLOURS;
    for (let i = 0; i < n; i++) {
      if (i % 4 === 0) expect(colourOf(i)).toEqual(P.covered);
      else if (i % 4 === 1) expect(colourOf(i)).toEqual(P.overstated);
      else if (people(i)) expect(colourOf(i)).toEqual(i % 4 === 2 ? P.noAccess : P.uncovered);
      else expect(colourOf(i)[3]).toBe(0);
    }
    if (empty !== undefined && empty % 4 >= 2) expect(colourOf(empty)[3]).toBe(0);
  });

  it('the planner speaks both languages with the same placeholders', () => {
    const norm = normFor('kindergarten');
    expect(plannerText('zh', 'normLine', { radius: norm.radiusM, circle: '5 分钟生活圈', age: '3–5 岁' })).toBe(
      '规范：300 米（5 分钟生活圈），服务 3–5 岁 儿童。',
    );
    expect(plannerText('en', 'normLine', { radius: norm.radiusM, circle: '5-minute life circle', age: 'aged 3–5' })).toBe(
      'Norm: 300 m (5-minute life circle), serving children aged 3–5.',
    );
  });
});
