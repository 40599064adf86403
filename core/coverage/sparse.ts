/**
 * A mixed-resolution population surface (issue 13: the whole municipality at 100 m): grid
 * records where people live stay as they are; the others are merged into blocks of
 * `blockSquares` × `blockSquares` grid squares, one record per block (and district, since
 * records never straddle a district). Most of Chongqing's 82,400 km² is rural: its 38
 * districts are 8.2 M squares of 100 m, of which a few per cent carry settlement signal.
 *
 * A block keeps exactly the area, people and children of its records; its point is their
 * area-weighted mean (where a straight-line or walking distance is measured from), its
 * col/row the lower-left square of the block. So totals are exact, and a block counts as
 * covered when its point is within the distance — an approximation stated with the answer.
 */
import { AGE_GROUPS, type AgeGroup } from './types';

/** The arrays of one grid part (the persisted unit: server/features/coverage/persist.ts). */
export interface GridRecords {
  count: number;
  lng: Float64Array;
  lat: Float64Array;
  areaM2: Float64Array;
  population: Float64Array;
  children: Record<AgeGroup, Float64Array>;
  col: Int32Array;
  row: Int32Array;
}

/**
 * Keeps the records with `keep[i]` and merges the others into blocks.
 * @returns the records (kept ones first, in their order, then one per block) and how many blocks
 * @example const { records, blocks } = coarsenRecords(part, signal, 10); // 1 km blocks of 100 m squares
 */
export function coarsenRecords(
  r: GridRecords,
  keep: ArrayLike<number | boolean>,
  blockSquares: number,
): { records: GridRecords; kept: number; blocks: number } {
  const b = Math.max(1, Math.floor(blockSquares));
  const blockOf = new Map<string, number>();
  const member = new Int32Array(r.count).fill(-1);
  let kept = 0;
  for (let i = 0; i < r.count; i++) {
    if (keep[i]) {
      kept++;
      continue;
    }
    const key = `${Math.floor(r.col[i] / b)},${Math.floor(r.row[i] / b)}`;
    let k = blockOf.get(key);
    if (k === undefined) {
      k = blockOf.size;
      blockOf.set(key, k);
    }
    member[i] = k;
  }
  const blocks = blockOf.size;
  const n = kept + blocks;
  const out: GridRecords = {
    count: n,
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    areaM2: new Float64Array(n),
    population: new Float64Array(n),
    children: {} as Record<AgeGroup, Float64Array>,
    col: new Int32Array(n),
    row: new Int32Array(n),
  };
  for (const g of AGE_GROUPS) out.children[g] = new Float64Array(n);
  let at = 0;
  for (let i = 0; i < r.count; i++) {
    const o = member[i] < 0 ? at++ : kept + member[i];
    const a = r.areaM2[i];
    if (member[i] < 0) {
      out.lng[o] = r.lng[i];
      out.lat[o] = r.lat[i];
      out.col[o] = r.col[i];
      out.row[o] = r.row[i];
    } else {
      // area-weighted sums, divided below
      out.lng[o] += r.lng[i] * a;
      out.lat[o] += r.lat[i] * a;
      out.col[o] = Math.floor(r.col[i] / b) * b;
      out.row[o] = Math.floor(r.row[i] / b) * b;
    }
    out.areaM2[o] += a;
    out.population[o] += r.population[i];
    for (const g of AGE_GROUPS) out.children[g][o] += r.children[g][i];
  }
  for (let o = kept; o < n; o++) {
    out.lng[o] /= out.areaM2[o];
    out.lat[o] /= out.areaM2[o];
  }
  return { records: out, kept, blocks };
}
