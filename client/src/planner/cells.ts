/**
 * The cells layer's binary data, pure (tested in Node): each cell's grid square as a closed
 * ring and one colour per vertex for the current coverage.
 */
import { unprojectLat, unprojectLng } from '../../../core/coverage/geo';
import { PLANNER_COLOURS as C, type Rgba } from './colours';
import type { CellsData, PlannerView } from './store';
import type { GridJson } from '../../../core/api';

/**
 * Each cell's grid square as west, south, east, north (4 numbers per cell): exact lng/lat
 * rectangles (the grid's projection is cylindrical), neighbours' shared edges computed from
 * the same integers, so they are equal bit for bit.
 */
export function gridSquares(grid: GridJson, col: ArrayLike<number>, row: ArrayLike<number>): Float64Array {
  const { projection: p, originX, originY, cellSizeM: cs } = grid;
  const n = col.length;
  const out = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    out[4 * i] = unprojectLng(p, originX + col[i] * cs);
    out[4 * i + 1] = unprojectLat(p, originY + row[i] * cs);
    out[4 * i + 2] = unprojectLng(p, originX + (col[i] + 1) * cs);
    out[4 * i + 3] = unprojectLat(p, originY + (row[i] + 1) * cs);
  }
  return out;
}

/** Cell classes, in palette order. */
const CLASS_NONE = 0,
  CLASS_COVERED = 1,
  CLASS_UNCOVERED = 2,
  CLASS_OVERSTATED = 3,
  CLASS_NO_ACCESS = 4;
const PALETTE: Rgba[] = [[0, 0, 0, 0], C.covered, C.uncovered, C.overstated, C.noAccess];

/** Vertices per cell square: a closed ring, counter-clockwise from the south-west corner. */
const RING = 5;

/**
 * Binary polygon data for the cells layer (pure): each cell's grid square as an exact ring
 * (neighbours share their corner coordinates bit for bit, so squares abut with no seam), and
 * one colour per vertex for the current coverage. Positions depend only on the cells;
 * colours are rebuilt when coverage changes.
 */
export function cellSquares(cells: CellsData): { positions: Float64Array; startIndices: Uint32Array } {
  const n = cells.count;
  const positions = new Float64Array(2 * RING * n);
  const startIndices = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const o = 2 * RING * i;
    const [w, s, e, no] = cells.squares.subarray(4 * i, 4 * i + 4);
    positions.set([w, s, e, s, e, no, w, no, w, s], o);
    startIndices[i] = RING * i;
  }
  return { positions, startIndices };
}

export function cellColours(cells: CellsData, view: PlannerView): Uint8Array {
  const n = cells.count;
  const colours = new Uint8Array(4 * RING * n);
  const p = view.covered[view.primary];
  const e = view.secondary ? view.covered[view.secondary] : undefined;
  const na = view.noAccess;
  for (let i = 0; i < n; i++) {
    const people = cells.populationAvailable ? cells.population[i] > 0 : true;
    let k = CLASS_NONE;
    if (p?.[i]) k = CLASS_COVERED;
    else if (e?.[i]) k = CLASS_OVERSTATED;
    else if (na?.[i] && people) k = CLASS_NO_ACCESS;
    else if (people) k = CLASS_UNCOVERED;
    for (let v = 0; v < RING; v++) colours.set(PALETTE[k], 4 * (RING * i + v));
  }
  return colours;
}
