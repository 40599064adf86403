/**
 * Straight-line coverage kept as a count per cell of the facilities within the radius, so that
 * after an edit only the edited facilities' discs are visited (issue 13: an edit's answer in a
 * few milliseconds instead of every facility's disc and a pass over every cell).
 *
 * A cell is covered when its count is > 0 — the same set as "nearest facility within the radius"
 * (./coverage.ts `euclideanCoverage`), since both use the exact haversine test of
 * ./nearest.ts `pointsWithin`.
 */
import { pointsWithin, type PointIndex } from './nearest';
import type { Cells, FacilityPoints } from './types';
import { finishRow, type CoverageSummary, type DistrictCoverage } from './coverage';

/** Per cell, how many facilities are within the radius; per facility id, the position counted. */
export interface CoverCounts {
  radiusM: number;
  byId: Map<number, { lng: number; lat: number }>;
  count: Int32Array;
  /** count > 0, as 0/1 (the shape of CellCoverage.covered). */
  covered: Uint8Array;
}

function addDisc(index: PointIndex, c: CoverCounts, lng: number, lat: number, sign: 1 | -1, flipped: number[] | null): void {
  for (const i of pointsWithin(index, lng, lat, c.radiusM)) {
    const before = c.count[i];
    const after = before + sign;
    c.count[i] = after;
    c.covered[i] = after > 0 ? 1 : 0;
    if (flipped && before > 0 !== after > 0) flipped.push(i);
  }
}

/**
 * The cover counts of a facility set from scratch. `ids` identify the facilities (unique, e.g.
 * database ids) for {@link updateCoverCounts}.
 * @example const c = coverCounts(buildPointIndex(cells.lng, cells.lat), cells.count, kgs, ids, 300); c.covered
 */
export function coverCounts(
  index: PointIndex,
  cellCount: number,
  points: FacilityPoints,
  ids: ArrayLike<number>,
  radiusM: number,
): CoverCounts {
  const c: CoverCounts = { radiusM, byId: new Map(), count: new Int32Array(cellCount), covered: new Uint8Array(cellCount) };
  for (let j = 0; j < points.count; j++) {
    c.byId.set(ids[j], { lng: points.lng[j], lat: points.lat[j] });
    addDisc(index, c, points.lng[j], points.lat[j], 1, null);
  }
  return c;
}

/**
 * The cover counts of a new facility set from those of the previous one on the same cells and
 * radius: the discs of facilities added or moved are counted, those of facilities moved or gone
 * are taken away. `prev` is not modified.
 * @returns the new counts and the cells whose covered flag changed (each once)
 * @example const { next, flipped } = updateCoverCounts(index, prev, kgs, ids);
 */
export function updateCoverCounts(
  index: PointIndex,
  prev: CoverCounts,
  points: FacilityPoints,
  ids: ArrayLike<number>,
): { next: CoverCounts; flipped: Int32Array } {
  const next: CoverCounts = { radiusM: prev.radiusM, byId: new Map(), count: prev.count.slice(), covered: prev.covered.slice() };
  const touched: number[] = [];
  for (let j = 0; j < points.count; j++) {
    const at = { lng: points.lng[j], lat: points.lat[j] };
    const old = prev.byId.get(ids[j]);
    if (old && old.lng === at.lng && old.lat === at.lat) {
      next.byId.set(ids[j], old);
      continue;
    }
    next.byId.set(ids[j], at);
    addDisc(index, next, at.lng, at.lat, 1, touched);
  }
  for (const [id, old] of prev.byId) if (next.byId.get(id) !== old) addDisc(index, next, old.lng, old.lat, -1, touched);
  // a cell may flip twice (off by one disc, on by another): keep those that differ from before
  const flipped = new Set<number>();
  for (const i of touched) if (next.covered[i] !== prev.covered[i]) flipped.add(i);
  return { next, flipped: Int32Array.from(flipped) };
}

/** Below this, a covered sum (people, children, km²) is float residue: a millionth of a person, a square metre. */
const RESIDUE = 1e-6;

/**
 * A coverage summary (./coverage.ts `summariseCoverage`, no `noAccess`) after the covered flags of
 * the `flipped` cells changed to `covered`: only those cells' people, children and area move
 * between covered and uncovered. Equal to the summary from scratch up to float rounding (the
 * sums are added in another order). `prev` is not modified.
 * @example updateCoverageSummary(cells, prev.summary, next.covered, flipped)
 */
export function updateCoverageSummary(cells: Cells, prev: CoverageSummary, covered: Uint8Array, flipped: Int32Array): CoverageSummary {
  const districts = prev.districts.map((r) => ({ ...r }));
  const total = { ...prev.total };
  const ch = cells.children[prev.ageGroup];
  const move = (row: DistrictCoverage, i: number, sign: number) => {
    row.coveredPopulation += sign * cells.population[i];
    row.coveredChildren += sign * ch[i];
    row.coveredAreaKm2 += (sign * cells.areaM2[i]) / 1e6;
  };
  for (let k = 0; k < flipped.length; k++) {
    const i = flipped[k];
    const sign = covered[i] ? 1 : -1;
    const d = cells.district[i];
    if (d >= 0 && d < districts.length) move(districts[d], i, sign);
    move(total, i, sign);
  }
  for (const row of [...districts, total]) {
    // what is left of subtracting what was added is float residue (~1e-13), never people: a row
    // whose last covered cell went is 0, not -1e-13 (which would round to -0)
    if (row.coveredPopulation < RESIDUE) row.coveredPopulation = 0;
    if (row.coveredChildren < RESIDUE) row.coveredChildren = 0;
    if (row.coveredAreaKm2 < RESIDUE) row.coveredAreaKm2 = 0;
    finishRow(row);
  }
  return { ...prev, districts, total };
}
