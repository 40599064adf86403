import { describe, expect, it } from 'vitest';
import { haversineM, lineLengthM, pointInRings, pointOnSurface, roundCoord } from './geometry';
import { assembleRings } from './rings';

describe('geometry', () => {
  it('haversine agrees with the reference length of 1° of latitude (111.195 km on the mean sphere)', () => {
    expect(haversineM(0, 0, 0, 1)).toBeCloseTo(111_195.08, 1);
    expect(lineLengthM([106.55, 29.56, 106.553, 29.56, 106.556, 29.56])).toBeCloseTo(2 * haversineM(106.55, 29.56, 106.553, 29.56), 6);
  });

  it('pointOnSurface lies inside L-shapes, holes and the largest part of a multipolygon', () => {
    const square: [number, number][][] = [
      [
        [0, 0],
        [4, 0],
        [4, 4],
        [0, 4],
        [0, 0],
      ],
    ];
    expect(pointOnSurface(square)).toEqual([2, 2]);
    // a C shape whose bbox centre (2, 2) is outside
    const c: number[][][] = [
      [
        [0, 0],
        [4, 0],
        [4, 1],
        [1, 1],
        [1, 3],
        [4, 3],
        [4, 4],
        [0, 4],
        [0, 0],
      ],
    ];
    const p = pointOnSurface(c as never);
    expect(pointInRings(p[0], p[1], c)).toBe(true);
    // a square with a hole in the middle
    const holed = [
      square[0],
      [
        [1, 1],
        [3, 1],
        [3, 3],
        [1, 3],
        [1, 1],
      ],
    ];
    const q = pointOnSurface(holed as never);
    expect(pointInRings(q[0], q[1], holed)).toBe(true);
    const multi = [
      [
        [
          [10, 10],
          [11, 10],
          [11, 11],
          [10, 11],
          [10, 10],
        ],
      ],
      square,
    ];
    const m = pointOnSurface(multi as never);
    expect(pointInRings(m[0], m[1], square)).toBe(true);
  });

  it('rounds to OSM precision', () => {
    expect(roundCoord(106.123456789)).toBe(106.1234568);
  });

  it('assembles rings from ways in either direction and reports open chains', () => {
    expect(
      assembleRings([
        [1, 2, 3],
        [1, 4, 3],
      ]),
    ).toEqual({ rings: [[1, 2, 3, 4, 1]], open: 0 });
    expect(
      assembleRings([
        [1, 2, 3],
        [3, 4],
      ]),
    ).toEqual({ rings: [], open: 2 });
    const input = [
      [1, 2],
      [2, 3, 1],
    ];
    assembleRings(input);
    expect(input).toEqual([
      [1, 2],
      [2, 3, 1],
    ]); // not mutated
  });
});
