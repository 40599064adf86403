/**
 * The population surface of an area: grid cells (core `buildGrid`, cut exactly by the
 * districts) carrying people and the four child age groups, and a statement of how the
 * numbers were made — returned in every coverage response.
 *
 * Per district, in this order:
 * 1. **Imported cells** (`population_cells`, from the importer: WorldPop rasters, grid
 *    tables, H3) when the district has any. When several sources cover a district the most
 *    recently imported one is used (never two at once: they would double-count). Each
 *    imported cell's people are spread over the grid records of its district that its
 *    bounding box overlaps, by overlap area (so a 1 km WorldPop pixel becomes 100 records
 *    at 100 m, evenly), normalised so that the district keeps exactly the imported total.
 *    Child groups come from the cell when the source gave them, else from the district's
 *    census age shares.
 * 2. **Census, dasymetric** otherwise: `districts.population`, the child groups and the
 *    urban share spread by core `dasymetricPopulation` over the cells with settlement signal
 *    — walkable street length per cell from `network_edges` and facilities of any kind
 *    within 500 m — see core/coverage/dasymetric.ts for the model and its assumptions.
 *
 * Areas outside every district (a bbox over an imported OSM extract of another city) use
 * the bbox's imported cells when there are any; otherwise there is no population at all,
 * and coverage is reported as a share of land area (the statement says so).
 *
 * Every district is built on its own, on one grid projection shared by all districts (centred
 * on the bounds of the whole `districts` table), so that its part can be **persisted**
 * (`population_surfaces`, ./persist.ts) and reused by any set of districts: a surface of
 * several districts is their parts side by side, and the squares line up. The nine central
 * districts at 100 m are built and stored in the background after start; any other part by
 * the first request that needs it. Stored parts are deleted by every import that writes.
 *
 * Surfaces are also cached in memory per (database, districts or bbox, cell size) in a bounded
 * LRU, dropped when an import finishes (./cache.ts). The facility signal is read when a part
 * is built: a facility edited afterwards shifts people only after the next import (a
 * deliberate trade: rebuilding 550 k cells per edit is not worth it).
 */
import type { PopulationSource } from '../../../core/api';
import type { MultiPolygon, Polygon } from 'geojson';
import {
  AGE_GROUPS,
  buildGrid,
  cellsFromGrid,
  coarsenRecords,
  createLocalProjection,
  dasymetricPopulation,
  facilitiesNearCells,
  facilityPoints,
  projectX,
  projectY,
  rectangleRing,
  selectCells,
  streetLengthPerCell,
  type AgeGroup,
  type Cells,
  type DistrictCensus,
  type GridCells,
} from '../../../core/coverage/index';
import { isOfferedCellSize } from '../../../core/api/coverage';
import type { Db } from '../../db/adapter';
import { ValidationError } from '../../errors';
import { lruOf, type CoverageCaches } from './cache';
import { areaNetwork, MIN_MARGIN_M, metresToDeg, windowOf } from './graph';
import { loadParts, saveParts, storedCodes, SURFACE_FORMAT, type DistrictPart, type PartMeta } from './persist';
import {
  allFacilityPoints,
  centralDistrictCodes,
  districtsCentre,
  districtsInBbox,
  latestImportFinished,
  loadDistrictFacts,
  loadDistricts,
  populationCellsInBbox,
  populationCellsOfDistricts,
  populationSources,
  type Bbox,
  type DistrictRow,
  type PopulationCellRow,
} from './sql';

/** Most grid cells one surface may have: the 9 central districts at 100 m are ~556 k. */
export const CELL_CAP = 1_500_000;
/**
 * Over the cap, a surface of whole districts is built at mixed resolution (core/coverage/sparse.ts):
 * grid squares where people live, blocks of about this size elsewhere.
 */
export const BLOCK_M = 1000;
/** Cell sizes offered when a request is over the cap (the API accepts any 50–1000). */
export const SUGGESTED_CELL_SIZES = [50, 100, 150, 200, 250, 300, 400, 500, 750, 1000];
/** Most imported population cells read for one area. */
export const IMPORTED_CELL_CAP = 3_000_000;
/** Facilities within this distance of a cell count as settlement signal (core default). */
export const FACILITY_SIGNAL_RADIUS_M = 500;

export type Area = { kind: 'districts'; codes: string[] } | { kind: 'bbox'; bbox: Bbox };

export interface AreaDistrict {
  /** GB/T 2260 code; null for a bbox outside every district. */
  code: string | null;
  name_zh: string;
  name_en: string;
  /** Census facts when the district has them. */
  census: DistrictCensus | null;
  /** How this district's people were placed. */
  method: 'population_cells' | 'census-dasymetric' | 'none';
}

export type { PopulationSource } from '../../../core/api';

export interface Surface {
  key: string;
  area: Area;
  cells: Cells;
  /** Index = `cells.district`. */
  districts: AreaDistrict[];
  /** Bounds of the area (of the cells' districts, or the requested bbox). */
  bbox: Bbox;
  cellSizeM: number;
  population: {
    available: boolean;
    childrenAvailable: boolean;
    source: PopulationSource;
    /** One paragraph for people. */
    text: string;
    /** One line per district. */
    details: string[];
  };
  buildMs: number;
  /**
   * A mixed-resolution surface (the area was over {@link CELL_CAP} cells at `cellSizeM`): how many
   * records are grid squares, how many are blocks of `blockSizeM`, and the people in the blocks; null: uniform.
   */
  blocks: { blockSizeM: number; kept: number; blocks: number; population: number } | null;
  /** Districts whose part was read from `population_surfaces`, and built now (bbox surfaces: 0, 0). */
  stored: { loaded: number; built: number };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** Smallest suggested cell size that brings `areaM2` under the cap. */
function coarserSize(areaM2: number): number {
  for (const s of SUGGESTED_CELL_SIZES) if (areaM2 / (s * s) <= CELL_CAP * 0.9) return s;
  return 1000;
}

/** Records `areaM2` makes at `cellSizeM`. Border squares split between districts add records; 3 % covers the nine central districts. */
function cellEstimate(areaM2: number, cellSizeM: number): number {
  return Math.ceil((areaM2 / (cellSizeM * cellSizeM)) * 1.03);
}

function capError(cells: number, areaM2: number, cellSizeM: number, what: string): ValidationError {
  return new ValidationError(
    'cellSizeM',
    `cellSizeM: ${cellSizeM} m cells would make ${what}${fmt(cells)} cells for this area (the limit is ${fmt(CELL_CAP)}); ` +
      `use cellSizeM=${coarserSize(areaM2)} or more, or choose fewer districts`,
  );
}

function checkCap(areaM2: number, cellSizeM: number): void {
  const estimate = cellEstimate(areaM2, cellSizeM);
  if (estimate > CELL_CAP) throw capError(estimate, areaM2, cellSizeM, 'about ');
}

function bboxAreaM2(b: Bbox): number {
  const [dx] = metresToDeg(1, (b[1] + b[3]) / 2);
  const [, dy] = metresToDeg(1, 0);
  return ((b[2] - b[0]) / dx) * ((b[3] - b[1]) / dy);
}

function union(boxes: Bbox[]): Bbox {
  return boxes.reduce<Bbox>(
    (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}

function censusOf(d: Omit<DistrictRow, 'geometry'>): DistrictCensus | null {
  if (d.population === null) return null;
  const children: Partial<Record<AgeGroup, number>> = {};
  for (const g of AGE_GROUPS) if (d[g] !== null) children[g] = d[g] as number;
  return { code: d.code, population: d.population, urbanShare: d.urban_share, children };
}

/** Census share of each child group in a district (0 when unknown). */
function childShares(c: DistrictCensus | null): Record<AgeGroup, number> | null {
  if (!c || !(c.population > 0) || !c.children) return null;
  const out = {} as Record<AgeGroup, number>;
  for (const g of AGE_GROUPS) out[g] = (c.children[g] ?? 0) / c.population;
  if (!c.children.children_0_14) out.children_0_14 = out.children_0_2 + out.children_3_5 + out.children_6_11 + out.children_12_14;
  return out;
}

/** Square → grid records, as a head/next chain (dense when the raster is small). */
function squareIndex(grid: GridCells): (c: number, r: number) => number[] {
  const { cols, rows } = grid.grid.spec;
  const next = new Int32Array(grid.count).fill(-1);
  if (cols * rows <= 30_000_000) {
    const head = new Int32Array(cols * rows).fill(-1);
    for (let i = grid.count - 1; i >= 0; i--) {
      const k = grid.grid.row[i] * cols + grid.grid.col[i];
      next[i] = head[k];
      head[k] = i;
    }
    return (c, r) => {
      const out: number[] = [];
      if (c < 0 || r < 0 || c >= cols || r >= rows) return out;
      for (let i = head[r * cols + c]; i >= 0; i = next[i]) out.push(i);
      return out;
    };
  }
  const head = new Map<number, number>();
  for (let i = grid.count - 1; i >= 0; i--) {
    const k = grid.grid.row[i] * cols + grid.grid.col[i];
    next[i] = head.get(k) ?? -1;
    head.set(k, i);
  }
  return (c, r) => {
    const out: number[] = [];
    for (let i = head.get(r * cols + c) ?? -1; i >= 0; i = next[i]) out.push(i);
    return out;
  };
}

/**
 * Spreads imported cells over grid records by bounding-box overlap, normalised per cell so
 * that nothing is lost or made up. `districtOf(row)` restricts a cell to the records of one
 * district index (or -1 for any). Returns the number of imported cells that touched no record.
 */
function spreadImported(
  grid: GridCells,
  rows: readonly PopulationCellRow[],
  districtOf: (row: PopulationCellRow) => number,
  shares: (d: number) => Record<AgeGroup, number> | null,
  population: Float64Array,
  children: Record<AgeGroup, Float64Array>,
): { dropped: number; droppedPopulation: number; childrenFromShares: number; childrenUnknown: number } {
  const { spec } = grid.grid;
  const p = spec.projection;
  const cs = spec.cellSizeM;
  const recordsAt = squareIndex(grid);
  const full = cs * cs;
  const idx: number[] = [];
  const wts: number[] = [];
  let dropped = 0,
    droppedPopulation = 0,
    childrenFromShares = 0,
    childrenUnknown = 0;
  for (const row of rows) {
    const d = districtOf(row);
    const x0 = (projectX(p, row.w) - spec.originX) / cs,
      x1 = (projectX(p, row.e) - spec.originX) / cs;
    const y0 = (projectY(p, row.s) - spec.originY) / cs,
      y1 = (projectY(p, row.n) - spec.originY) / cs;
    idx.length = 0;
    wts.length = 0;
    let sum = 0;
    const take = (c: number, r: number, overlap: number) => {
      for (const i of recordsAt(c, r)) {
        if (d >= 0 && grid.district[i] !== d) continue;
        const w = overlap * (grid.areaM2[i] / full);
        if (w <= 0) continue;
        idx.push(i);
        wts.push(w);
        sum += w;
      }
    };
    if (x1 - x0 < 1e-9 || y1 - y0 < 1e-9) take(Math.floor((x0 + x1) / 2), Math.floor((y0 + y1) / 2), 1);
    else
      for (let r = Math.floor(y0); r < Math.ceil(y1); r++)
        for (let c = Math.floor(x0); c < Math.ceil(x1); c++) {
          const ov = (Math.min(x1, c + 1) - Math.max(x0, c)) * (Math.min(y1, r + 1) - Math.max(y0, r));
          if (ov > 0) take(c, r, ov);
        }
    if (!(sum > 0)) {
      dropped++;
      droppedPopulation += row.population;
      continue;
    }
    const given = row.children_0_2 !== null && row.children_3_5 !== null && row.children_6_11 !== null && row.children_12_14 !== null;
    const sh = given ? null : shares(d >= 0 ? d : grid.district[idx[0]]);
    if (!given) {
      if (sh) childrenFromShares++;
      else childrenUnknown++;
    }
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      const f = wts[k] / sum;
      population[i] += row.population * f;
      if (given) {
        children.children_0_2[i] += row.children_0_2! * f;
        children.children_3_5[i] += row.children_3_5! * f;
        children.children_6_11[i] += row.children_6_11! * f;
        children.children_12_14[i] += row.children_12_14! * f;
      } else if (sh) {
        for (const g of ['children_0_2', 'children_3_5', 'children_6_11', 'children_12_14'] as const)
          children[g][i] += row.population * f * sh[g];
      }
    }
  }
  return { dropped, droppedPopulation, childrenFromShares, childrenUnknown };
}

function emptyChildren(n: number): Record<AgeGroup, Float64Array> {
  const out = {} as Record<AgeGroup, Float64Array>;
  for (const g of AGE_GROUPS) out[g] = new Float64Array(n);
  return out;
}

/**
 * One district's part of a surface, built from scratch: the grid on the shared projection, and
 * its people from its most recently imported population cells, else from the census by the
 * dasymetric model (every district alone: its cells, its network window, its facilities).
 */
export async function buildDistrictPart(
  db: Db,
  caches: CoverageCaches,
  r: DistrictRow,
  cellSizeM: number,
  centre: readonly [number, number],
  blockSquares = 1,
): Promise<DistrictPart> {
  const projection = createLocalProjection(centre[0], centre[1]);
  const grid = buildGrid([r.geometry as Polygon | MultiPolygon], { cellSizeM, projection });
  const census = censusOf(r);
  // imported cells: the most recently imported source of the district
  const sources = await populationSources(db, { codes: [r.code] });
  const perSource = new Map<string, { source: string; method: string; n: number; population: number; last: number }>();
  for (const s of sources) {
    if (s.district_code !== r.code) continue;
    const cur = perSource.get(s.source);
    if (!cur) perSource.set(s.source, { source: s.source, method: s.method, n: s.n, population: s.population, last: s.last_id });
    else {
      cur.n += s.n;
      cur.population += s.population;
      if (s.last_id > cur.last) [cur.last, cur.method] = [s.last_id, s.method];
    }
  }
  let chosen: { source: string; method: string; n: number; population: number; last: number } | null = null;
  for (const c of perSource.values()) if (!chosen || c.last > chosen.last) chosen = c;

  const population = new Float64Array(grid.count);
  const children = emptyChildren(grid.count);
  // where people live, for a mixed-resolution part: settlement signal, or imported people
  let lived: ArrayLike<number> | null = null;
  const meta: PartMeta = {
    method: chosen ? 'population_cells' : census ? 'census-dasymetric' : 'none',
    details: [],
    edgeCount: null,
    imported: null,
  };
  if (chosen) {
    const cellsIn = await populationCellsOfDistricts(db, [{ code: r.code, source: chosen.source }], IMPORTED_CELL_CAP);
    if (cellsIn.length > IMPORTED_CELL_CAP)
      throw new ValidationError(
        'district',
        `district: more than ${fmt(IMPORTED_CELL_CAP)} imported population cells; choose fewer districts`,
      );
    const shares = childShares(census);
    meta.imported = spreadImported(
      grid,
      cellsIn,
      () => 0,
      () => shares,
      population,
      children,
    );
    meta.details.push(
      `${r.code}: ${fmt(chosen.population)} people from ${fmt(chosen.n)} imported cells of source "${chosen.source}" (${chosen.method})`,
    );
    lived = Uint8Array.from(population, (x) => (x > 0 ? 1 : 0));
  } else if (census) {
    const network = await areaNetwork(db, caches, windowOf(r.bbox, MIN_MARGIN_M), 'district');
    const streetLengthM = network ? streetLengthPerCell(grid, network.segments) : undefined;
    const b = r.bbox;
    const [mx, my] = metresToDeg(FACILITY_SIGNAL_RADIUS_M, Math.max(Math.abs(b[1]), Math.abs(b[3])));
    const pts = await allFacilityPoints(db, [b[0] - mx, b[1] - my, b[2] + mx, b[3] + my], 2_000_000);
    const facilityCount = facilitiesNearCells(grid, facilityPoints(pts.map((q) => [q.lng, q.lat])), FACILITY_SIGNAL_RADIUS_M);
    const pop = dasymetricPopulation(grid, [census], { streetLengthM, facilityCount });
    population.set(pop.population);
    for (const g of AGE_GROUPS) children[g].set(pop.children[g]);
    meta.edgeCount = network ? network.edgeCount : null;
    meta.details.push(pop.districtMethods[0]);
    lived = pop.signal;
  } else meta.details.push(`${r.code}: no census population and no imported cells: population 0`);

  const cells = cellsFromGrid(grid, population, children);
  const { spec } = grid.grid;
  let records = {
    count: cells.count,
    lng: cells.lng,
    lat: cells.lat,
    areaM2: cells.areaM2,
    population: cells.population,
    children: cells.children,
    col: cells.grid!.col,
    row: cells.grid!.row,
  };
  if (blockSquares > 1) {
    const c = coarsenRecords(records, lived ?? new Uint8Array(cells.count), blockSquares);
    records = c.records;
    let inBlocks = 0;
    for (let i = c.kept; i < records.count; i++) inBlocks += records.population[i];
    meta.blocks = { kept: c.kept, blocks: c.blocks, population: inBlocks };
  }
  return {
    code: r.code,
    cellSizeM,
    blockSquares,
    lng0: centre[0],
    lat0: centre[1],
    originX: spec.originX,
    originY: spec.originY,
    cols: spec.cols,
    rows: spec.rows,
    ...records,
    meta,
  };
}

/** What a surface's inputs are: compared with every stored part before it is used. */
async function surfaceInputs(db: Db): Promise<string> {
  return `v${SURFACE_FORMAT}|${(await latestImportFinished(db)) ?? 'no-import'}`;
}

/**
 * The parts of `codes`: the stored ones, and the others built now and stored (a failed write —
 * say, a district deleted by an import meanwhile — only costs the next request a rebuild).
 * Only at the sizes the planner offers: writing a part is the largest statement an analysis
 * makes (hundreds of kB), on the embedded database's one connection; a size asked for through
 * the API alone (an editor's 63 m) would add a row per size and is kept in this thread's cache.
 */
async function partsOf(
  db: Db,
  caches: CoverageCaches,
  codes: readonly string[],
  cellSizeM: number,
  centre: readonly [number, number],
  blockSquares: number,
): Promise<{ parts: Map<string, DistrictPart>; loaded: number; built: number }> {
  const inputs = await surfaceInputs(db);
  const parts = await loadParts(db, codes, { cellSizeM, inputs, lng0: centre[0], lat0: centre[1], blockSquares });
  const loaded = parts.size;
  const todo = codes.filter((c) => !parts.has(c));
  if (todo.length) {
    // one district's geometry at a time (a rural district at 100 m is ~500 k squares before its
    // blocks), each stored when built: a request stopped by its time budget leaves its parts done
    for (const code of todo) {
      const [r] = await loadDistricts(db, [code]);
      if (!r) continue;
      const p = await buildDistrictPart(db, caches, r, cellSizeM, centre, blockSquares);
      parts.set(r.code, p);
      if (isOfferedCellSize(cellSizeM)) await saveParts(db, [p], inputs).catch(() => undefined);
    }
  }
  return { parts, loaded, built: todo.length };
}

/**
 * Builds and stores the surfaces of the central districts that have none at `cellSizeM` (run
 * in the analysis pool after start: server/main.ts). Returns how many were built.
 *
 * It does not load their whole surface at the end: the worker thread is ended when the
 * background precompute is done (issue 13: an idle atlas holds no surface), and the first
 * request that needs the surface reads the stored parts.
 */
export async function precomputeSurfaces(db: Db, caches: CoverageCaches, cellSizeM: number): Promise<{ built: number; stored: number }> {
  const codes = await centralDistrictCodes(db);
  const centre = await districtsCentre(db);
  if (!codes.length || !centre) return { built: 0, stored: 0 };
  const inputs = await surfaceInputs(db);
  const have = new Set(await storedCodes(db, codes, { cellSizeM, inputs, lng0: centre[0], lat0: centre[1] }));
  let built = 0;
  for (const code of codes) {
    if (have.has(code)) continue;
    const [r] = await loadDistricts(db, [code]);
    if (!r) continue;
    await saveParts(db, [await buildDistrictPart(db, caches, r, cellSizeM, centre)], inputs);
    built++;
  }
  return { built, stored: have.size + built };
}

/** Blocks of a mixed-resolution part at `cellSizeM` (squares a side). */
export function blockSquaresFor(cellSizeM: number): number {
  return Math.max(1, Math.round(BLOCK_M / cellSizeM));
}

/**
 * Builds and stores one district's mixed-resolution part at `cellSizeM` when it has none (run in
 * the analysis pool after start, district by district, for every district: so that the whole
 * municipality at 100 m is answered from stored parts). Returns whether it was built.
 */
export async function precomputeBlocks(db: Db, caches: CoverageCaches, code: string, cellSizeM: number): Promise<boolean> {
  const centre = await districtsCentre(db);
  const b = blockSquaresFor(cellSizeM);
  if (!centre || b === 1) return false;
  const inputs = await surfaceInputs(db);
  if ((await storedCodes(db, [code], { cellSizeM, inputs, lng0: centre[0], lat0: centre[1], blockSquares: b })).length) return false;
  const [r] = await loadDistricts(db, [code]);
  if (!r) return false;
  await saveParts(db, [await buildDistrictPart(db, caches, r, cellSizeM, centre, b)], inputs);
  return true;
}

/** The surface of whole districts: their stored parts (built when missing), side by side on one grid. */
async function buildDistrictSurface(db: Db, caches: CoverageCaches, codes: string[], cellSizeM: number, key: string): Promise<Surface> {
  const t0 = performance.now();
  const rows = await loadDistrictFacts(db, codes);
  const found = new Set(rows.map((r) => r.code));
  const missing = codes.filter((c) => !found.has(c));
  if (missing.length) throw new ValidationError('district', `district: unknown district code ${missing.join(', ')}`);
  const areaM2 = rows.reduce((s, r) => s + r.area_km2 * 1e6, 0);
  // over the cap: mixed resolution (squares where people live, blocks elsewhere), when blocks are coarser than squares
  const blockSquares = cellEstimate(areaM2, cellSizeM) > CELL_CAP ? blockSquaresFor(cellSizeM) : 1;
  if (blockSquares === 1) checkCap(areaM2, cellSizeM);
  const centre = (await districtsCentre(db))!;
  const { parts: byCode, loaded, built } = await partsOf(db, caches, codes, cellSizeM, centre, blockSquares);
  const parts = rows.map((r) => byCode.get(r.code)!);
  const bbox = union(rows.map((r) => r.bbox));

  // one grid: the parts share the projection and their origins are whole squares apart
  const originX = Math.min(...parts.map((p) => p.originX));
  const originY = Math.min(...parts.map((p) => p.originY));
  const cols = Math.max(...parts.map((p) => Math.round((p.originX - originX) / cellSizeM) + p.cols));
  const gridRows = Math.max(...parts.map((p) => Math.round((p.originY - originY) / cellSizeM) + p.rows));
  const n = parts.reduce((s, p) => s + p.count, 0);
  if (n > CELL_CAP) throw capError(n, areaM2, cellSizeM, blockSquares > 1 ? 'with blocks where nobody lives still ' : '');
  const cells: Cells = {
    count: n,
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    areaM2: new Float64Array(n),
    district: new Int32Array(n),
    population: new Float64Array(n),
    children: emptyChildren(n),
    grid: {
      spec: { cellSizeM, originX, originY, cols, rows: gridRows, projection: createLocalProjection(centre[0], centre[1]) },
      col: new Int32Array(n),
      row: new Int32Array(n),
    },
  };
  let at = 0;
  parts.forEach((p, d) => {
    cells.lng.set(p.lng, at);
    cells.lat.set(p.lat, at);
    cells.areaM2.set(p.areaM2, at);
    cells.population.set(p.population, at);
    for (const g of AGE_GROUPS) cells.children[g].set(p.children[g], at);
    cells.district.fill(d, at, at + p.count);
    const dc = Math.round((p.originX - originX) / cellSizeM);
    const dr = Math.round((p.originY - originY) / cellSizeM);
    for (let k = 0; k < p.count; k++) {
      cells.grid!.col[at + k] = p.col[k] + dc;
      cells.grid!.row[at + k] = p.row[k] + dr;
    }
    at += p.count;
  });

  const districts: AreaDistrict[] = rows.map((r, d) => ({
    code: r.code,
    name_zh: r.name_zh,
    name_en: r.name_en,
    census: censusOf(r),
    method: parts[d].meta.method,
  }));
  const censusParts = parts.filter((p) => p.meta.method === 'census-dasymetric');
  const importedParts = parts.filter((p) => p.meta.method === 'population_cells');
  const noData = parts.filter((p) => p.meta.method === 'none');
  const details = [...censusParts, ...importedParts, ...noData].flatMap((p) => p.meta.details);
  let dasymetricText = '';
  if (censusParts.length) {
    const withNetwork = censusParts.filter((p) => p.meta.edgeCount !== null);
    const edges = withNetwork.reduce((s, p) => s + (p.meta.edgeCount ?? 0), 0);
    const edgeText =
      censusParts.length === 1 ? `${fmt(edges)} imported network edges` : `${fmt(edges)} imported network edges (counted per district)`;
    dasymetricText =
      `Census-dasymetric: each district's 2020 census population spread over its cells by settlement signal ` +
      `(${withNetwork.length ? `walkable street length from ${edgeText}` : 'no street network imported, so'} ` +
      `${withNetwork.length ? 'and ' : ''}facilities of any kind within ${FACILITY_SIGNAL_RADIUS_M} m), urban share to cells with signal, the rest evenly by area; ` +
      `child age groups in the district's census proportions.`;
  }
  let importedText = '';
  if (importedParts.length) {
    const sum = (f: (x: NonNullable<PartMeta['imported']>) => number) =>
      importedParts.reduce((s, p) => s + (p.meta.imported ? f(p.meta.imported) : 0), 0);
    const dropped = sum((x) => x.dropped);
    importedText =
      `Imported population cells (population_cells) spread onto ${cellSizeM} m cells by overlap area, totals kept` +
      (sum((x) => x.childrenFromShares) ? `; children from district census shares where the source gave none` : '') +
      (dropped
        ? `; ${fmt(dropped)} imported cells (${fmt(sum((x) => x.droppedPopulation))} people) touched no cell of their district and were left out`
        : '') +
      '.';
  }

  const kinds = new Set(districts.map((d) => d.method));
  const source: PopulationSource = kinds.size > 1 ? 'mixed' : ([...kinds][0] ?? 'none');
  let blocks: Surface['blocks'] = null;
  let cellText = `${fmt(cells.count)} cells of ${cellSizeM} m, cut exactly by the district boundaries.`;
  if (blockSquares > 1) {
    const sum = (f: (b: NonNullable<PartMeta['blocks']>) => number) =>
      parts.reduce((s, p) => s + (p.meta.blocks ? f(p.meta.blocks) : 0), 0);
    blocks = {
      blockSizeM: blockSquares * cellSizeM,
      kept: sum((b) => b.kept),
      blocks: sum((b) => b.blocks),
      population: sum((b) => b.population),
    };
    cellText =
      `Mixed resolution: at ${cellSizeM} m this area would be about ${fmt(cellEstimate(areaM2, cellSizeM))} cells (the limit is ${fmt(CELL_CAP)}), ` +
      `so ${fmt(blocks.kept)} cells of ${cellSizeM} m cover where people live (settlement signal, or imported people) and ` +
      `${fmt(blocks.blocks)} blocks of ${fmt(blocks.blockSizeM)} m the rest (holding ${fmt(blocks.population)} people), ` +
      `cut exactly by the district boundaries; a block counts as covered when its centre is within the distance.`;
  }
  const text = `${[importedText, dasymetricText, noData.length ? `No population data for ${noData.map((d) => d.code).join(', ')}.` : '']
    .filter(Boolean)
    .join(' ')} ${cellText}`;
  return {
    key,
    area: { kind: 'districts', codes },
    cells,
    districts,
    bbox,
    cellSizeM,
    population: { available: noData.length < districts.length, childrenAvailable: noData.length < districts.length, source, text, details },
    buildMs: performance.now() - t0,
    blocks,
    stored: { loaded, built },
  };
}

/** A bbox with no district: imported cells in it, or no population at all. */
async function buildBboxSurface(db: Db, bbox: Bbox, cellSizeM: number, key: string): Promise<Surface> {
  const t0 = performance.now();
  checkCap(bboxAreaM2(bbox), cellSizeM);
  const [w, s, e, n] = bbox;
  const grid = buildGrid([{ type: 'Polygon', coordinates: [rectangleRing(w, s, e, n)] }], { cellSizeM });
  const population = new Float64Array(grid.count);
  const children = emptyChildren(grid.count);
  const sources = await populationSources(db, { bbox });
  const districts: AreaDistrict[] = [{ code: null, name_zh: '所选范围', name_en: 'Selected area', census: null, method: 'none' }];
  let text: string,
    available = false,
    childrenAvailable = false;
  const details: string[] = [];
  if (sources.length) {
    const latest = sources.reduce((a, b) => (b.last_id > a.last_id ? b : a));
    const rows = await populationCellsInBbox(db, bbox, latest.source, IMPORTED_CELL_CAP);
    if (rows.length > IMPORTED_CELL_CAP)
      throw new ValidationError('bbox', `bbox: more than ${fmt(IMPORTED_CELL_CAP)} imported population cells; choose a smaller bbox`);
    const r = spreadImported(
      grid,
      rows,
      () => 0,
      () => null,
      population,
      children,
    );
    available = true;
    childrenAvailable = rows.some((x) => x.children_3_5 !== null);
    districts[0].method = 'population_cells';
    const total = rows.reduce((a, x) => a + x.population, 0);
    details.push(`bbox: ${fmt(total)} people from ${fmt(rows.length)} imported cells of source "${latest.source}" (${latest.method})`);
    text =
      `Imported population cells (population_cells, source "${latest.source}") whose centre lies in the bbox, spread onto ${cellSizeM} m cells by overlap area. ` +
      (childrenAvailable
        ? ''
        : 'The source gives no child age groups and no district census applies here, so children are not available. ') +
      (r.dropped ? `${fmt(r.dropped)} cells touched no grid cell. ` : '');
  } else {
    text =
      'Population is not available for this area: it lies outside every district with census figures and no population cells are imported. ' +
      'Coverage is reported as the share of land area within the distance.';
  }
  const cells = cellsFromGrid(grid, population, children);
  return {
    key,
    area: { kind: 'bbox', bbox },
    cells,
    districts,
    bbox,
    cellSizeM,
    population: {
      available,
      childrenAvailable,
      source: available ? 'population_cells' : 'none',
      text: `${text} ${fmt(cells.count)} cells of ${cellSizeM} m.`,
      details,
    },
    buildMs: performance.now() - t0,
    blocks: null,
    stored: { loaded: 0, built: 0 },
  };
}

/**
 * The population surface of an area (cached).
 * @throws ValidationError naming `district`, `bbox` or `cellSizeM`
 * @example const s = await populationSurface(db, caches, { kind: 'districts', codes: ['500103'] }, 100);
 */
export async function populationSurface(db: Db, caches: CoverageCaches, area: Area, cellSizeM: number): Promise<Surface> {
  const areaKey = area.kind === 'districts' ? `d:${[...area.codes].sort().join(',')}` : `b:${area.bbox.join(',')}`;
  const key = `${caches.generation}|${areaKey}|${cellSizeM}`;
  // ~85 bytes per cell: 1.6 M cells ≈ 135 MB (the nine central districts at 100 m and a few more)
  const lru = lruOf<Surface>(caches, 'surface', 8, 1_600_000, (v) => v.cells.count);
  const hit = lru.get(key);
  if (hit) return hit;
  return caches.inFlight.run(`surface|${key}`, async () => {
    let s: Surface;
    if (area.kind === 'districts') s = await buildDistrictSurface(db, caches, [...area.codes].sort(), cellSizeM, key);
    else {
      const codes = await districtsInBbox(db, area.bbox);
      if (codes.length === 0) s = await buildBboxSurface(db, area.bbox, cellSizeM, key);
      else {
        // inside districts: their surface, cut to the cells whose centre lies in the bbox
        const whole = await populationSurface(db, caches, { kind: 'districts', codes }, cellSizeM);
        const [w, so, e, n] = area.bbox;
        const keep: number[] = [];
        for (let i = 0; i < whole.cells.count; i++) {
          const x = whole.cells.lng[i],
            y = whole.cells.lat[i];
          if (x >= w && x <= e && y >= so && y <= n) keep.push(i);
        }
        s = {
          ...whole,
          key,
          area,
          cells: selectCells(whole.cells, keep),
          bbox: area.bbox,
          population: {
            ...whole.population,
            text: `${whole.population.text} Only the ${fmt(keep.length)} cells whose centre lies in the bbox are counted.`,
          },
        };
      }
    }
    lru.set(key, s);
    return s;
  }) as Promise<Surface>;
}
