import { describe, expect, it } from 'vitest';
import { coarsenRecords, type GridRecords } from './sparse';
import { AGE_GROUPS, type AgeGroup } from './types';

/** A 20 × 20 grid of 100 m squares (0.001° apart), people only in the lower-left 3 × 3. */
function records(): GridRecords {
  const n = 400;
  const r: GridRecords = {
    count: n,
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    areaM2: new Float64Array(n).fill(10_000),
    population: new Float64Array(n),
    children: {} as Record<AgeGroup, Float64Array>,
    col: new Int32Array(n),
    row: new Int32Array(n),
  };
  for (const g of AGE_GROUPS) r.children[g] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    r.col[i] = i % 20;
    r.row[i] = Math.floor(i / 20);
    r.lng[i] = 106 + r.col[i] * 0.001;
    r.lat[i] = 29 + r.row[i] * 0.001;
    r.population[i] = r.col[i] < 3 && r.row[i] < 3 ? 100 : 1;
    r.children.children_3_5[i] = r.population[i] * 0.03;
  }
  return r;
}

const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);

describe('coarsenRecords', () => {
  it('keeps the marked records, merges the rest into blocks, and loses no area, people or children', () => {
    const r = records();
    const keep = Uint8Array.from(r.population, (p) => (p > 1 ? 1 : 0));
    const { records: out, kept, blocks } = coarsenRecords(r, keep, 10);
    expect(kept).toBe(9);
    expect(blocks).toBe(4); // the 20 × 20 squares fall in 2 × 2 blocks of 10 × 10
    expect(out.count).toBe(13);
    expect(sum(out.areaM2)).toBeCloseTo(sum(r.areaM2), 6);
    expect(sum(out.population)).toBeCloseTo(sum(r.population), 6);
    expect(sum(out.children.children_3_5)).toBeCloseTo(sum(r.children.children_3_5), 9);
    // kept records unchanged, first and in order
    expect(Array.from(out.population.subarray(0, 9))).toEqual(new Array(9).fill(100));
    expect([out.col[0], out.row[0], out.lng[0]]).toEqual([0, 0, 106]);
    // the upper-right block: 100 squares, its point their mean, its square the lower-left one
    const ur = [...Array(out.count).keys()].find((o) => out.col[o] === 10 && out.row[o] === 10)!;
    expect(out.areaM2[ur]).toBe(1_000_000);
    expect(out.population[ur]).toBe(100);
    expect(out.lng[ur]).toBeCloseTo(106 + 14.5 * 0.001, 9);
    expect(out.lat[ur]).toBeCloseTo(29 + 14.5 * 0.001, 9);
  });

  it('does not change its input', () => {
    const r = records();
    const before = Float64Array.from(r.population);
    coarsenRecords(r, new Uint8Array(r.count), 5);
    expect(Array.from(r.population)).toEqual(Array.from(before));
  });

  it('keeping everything gives the same records', () => {
    const r = records();
    const { records: out, blocks } = coarsenRecords(r, new Uint8Array(r.count).fill(1), 10);
    expect(blocks).toBe(0);
    expect(Array.from(out.lng)).toEqual(Array.from(r.lng));
  });
});
