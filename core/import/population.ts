/**
 * Population inputs: per-district census tables and population grids (CSV of cells,
 * H3 cells, raster pixels). Pure: recognises columns, validates values and builds cell
 * polygons; the server reads files and writes `districts` / `population_cells`.
 *
 * Census tables: the columns of data/census/chongqing_2020_districts.csv and of the
 * shared 2020 census files (`CODE, NAME, POPU, POPU_URB, AGES_0, AGES_1-4, AGES_5-9,
 * AGES_10-14, AGES_0-14` — thebamboogrove/tudigong, from NBS *Tabulation on the 2020
 * China Population Census by County*), or their Chinese equivalents. Shares may be given
 * as fractions (0.1396) or percentages (13.96); any value above 1 in the age-share
 * columns means all of them are in percent (likewise for the urban share). A table with population only keeps the
 * districts' current age structure; one with shares only keeps their population.
 *
 * Grids: `lng, lat, population[, cell size]` with the cell centred on the point, or an
 * H3 index column (h3-js computes the hexagon). Cell size columns: `cell_size_m` (metres)
 * or `cell_size_deg` (degrees); a bare `cell_size` is degrees when ≤ 0.5, metres
 * otherwise. Without a size column the grid spacing is taken from the data (the
 * smallest gap between distinct longitudes and latitudes).
 *
 * @example
 * recogniseCensus(['CODE', 'NAME', 'POPU', 'AGES_0-14']).kind; // 'census'
 */
import { cellToBoundary, cellToLatLng, isValidCell } from 'h3-js';
import { normalizeHeader } from './columns';
import { roundCoord } from '../osm/geometry';
import { rectangleRing } from '../coverage/geo';

// ── census ───────────────────────────────────────────────────────────────────────

export const CENSUS_FIELDS = [
  'code',
  'name',
  'population',
  'urban_share',
  'ages0',
  'ages1to4',
  'ages5to9',
  'ages10to14',
  'ages0to14',
] as const;
export type CensusField = (typeof CENSUS_FIELDS)[number];

const CENSUS_ALIASES: Record<CensusField, string[]> = {
  code: ['code', 'adcode', '代码', '区划代码', '行政区划代码', '区县代码', 'districtcode'],
  name: ['name', '名称', '区县', '区县名称', '地区'],
  population: ['popu', 'population', '常住人口', '人口', '总人口', '人口数', '常住人口数'],
  urban_share: ['popuurb', 'urbanshare', '城镇化率', '城镇人口比重', '城镇人口占比'],
  ages0: ['ages0', '0岁', '0岁占比'],
  ages1to4: ['ages14', '1-4岁', '14岁', '1-4岁占比', '14岁占比'],
  ages5to9: ['ages59', '5-9岁', '59岁', '5-9岁占比', '59岁占比'],
  ages10to14: ['ages1014', '10-14岁', '1014岁', '10-14岁占比', '1014岁占比'],
  ages0to14: ['ages014', '0-14岁', '014岁', '0-14岁占比', '014岁占比'],
};

const CENSUS_BY_ALIAS = new Map<string, CensusField>();
for (const f of CENSUS_FIELDS) for (const a of CENSUS_ALIASES[f]) CENSUS_BY_ALIAS.set(normalizeHeader(a), f);

export function mapCensusColumns(header: readonly string[]): Partial<Record<CensusField, number>> {
  const out: Partial<Record<CensusField, number>> = {};
  header.forEach((h, i) => {
    const f = CENSUS_BY_ALIAS.get(normalizeHeader(h));
    if (f && out[f] === undefined) out[f] = i;
  });
  return out;
}

/** Whether a header looks like a census table: a district code and population or age shares. */
export function isCensusHeader(header: readonly string[]): boolean {
  const m = mapCensusColumns(header);
  return m.code !== undefined && (m.population !== undefined || m.ages0to14 !== undefined);
}

export interface CensusRow {
  row: number;
  code: string;
  name: string | null;
  population: number | null;
  urban_share: number | null;
  /** Age shares 0–1, all five or none. */
  shares: { ages0: number; ages1to4: number; ages5to9: number; ages10to14: number; ages0to14: number } | null;
}

export interface CensusParse {
  rows: CensusRow[];
  rejected: { row: number; source_id: string | null; reason: string }[];
}

/** Validate a census table (header + rows of text cells). */
export function parseCensus(header: readonly string[], rows: readonly (readonly string[])[], rowNumbers: readonly number[]): CensusParse {
  const m = mapCensusColumns(header);
  const shareFields = ['ages0', 'ages1to4', 'ages5to9', 'ages10to14', 'ages0to14'] as const;
  const hasShares = shareFields.every((f) => m[f] !== undefined);
  // percent or fraction: decided for the age columns together (a small bin such as AGES_0
  // stays below 1 even in percent) and for the urban share on its own
  const percent = new Set<CensusField>();
  const anyAbove1 = (fs: readonly CensusField[]) => fs.some((f) => m[f] !== undefined && rows.some((r) => Number(r[m[f]!]) > 1));
  if (anyAbove1(shareFields)) for (const f of shareFields) percent.add(f);
  if (anyAbove1(['urban_share'])) percent.add('urban_share');
  const out: CensusRow[] = [];
  const rejected: CensusParse['rejected'] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, k) => {
    const row = rowNumbers[k] ?? k + 2;
    const cell = (f: CensusField) => (m[f] === undefined ? '' : (r[m[f]!] ?? '').trim());
    const code = cell('code').replace(/\.0+$/, '');
    if (!/^\d{6}$/.test(code)) {
      rejected.push({ row, source_id: code || null, reason: `district code "${code}" is not a 6-digit GB/T 2260 code` });
      return;
    }
    if (seen.has(code)) {
      rejected.push({ row, source_id: code, reason: `duplicate district code ${code} (first seen at row ${seen.get(code)})` });
      return;
    }
    seen.set(code, row);
    const num = (f: CensusField): number | null | undefined => {
      const s = cell(f).replace(/[,，%]/g, '');
      if (!s) return null;
      const v = Number(s);
      if (!Number.isFinite(v) || v < 0) return undefined;
      return percent.has(f) ? v / 100 : v;
    };
    const population = num('population');
    if (population === undefined) {
      rejected.push({ row, source_id: code, reason: `population "${cell('population')}" is not a non-negative number` });
      return;
    }
    const urban = num('urban_share');
    if (urban === undefined || (urban !== null && urban > 1)) {
      rejected.push({ row, source_id: code, reason: `urban share "${cell('urban_share')}" is not a share between 0 and 1 (or 0–100 %)` });
      return;
    }
    let shares: CensusRow['shares'] = null;
    if (hasShares) {
      const vals = shareFields.map((f) => num(f));
      if (vals.some((v) => v === undefined || v === null || v > 1)) {
        rejected.push({ row, source_id: code, reason: 'age shares must all be present and between 0 and 1 (or 0–100 %)' });
        return;
      }
      const [ages0, ages1to4, ages5to9, ages10to14, ages0to14] = vals as number[];
      shares = { ages0, ages1to4, ages5to9, ages10to14, ages0to14 };
    }
    if (population === null && !shares) {
      rejected.push({ row, source_id: code, reason: 'neither a population nor age shares' });
      return;
    }
    out.push({
      row,
      code,
      name: cell('name') || null,
      population: population === null ? null : Math.round(population),
      urban_share: urban ?? null,
      shares,
    });
  });
  return { rows: out, rejected };
}

// ── grids ────────────────────────────────────────────────────────────────────────

export const GRID_FIELDS = [
  'lng',
  'lat',
  'population',
  'cell_size_m',
  'cell_size_deg',
  'cell_size',
  'h3',
  'cell_id',
  'children_0_2',
  'children_3_5',
  'children_6_11',
  'children_12_14',
] as const;
export type GridField = (typeof GRID_FIELDS)[number];

const GRID_ALIASES: Record<GridField, string[]> = {
  lng: ['lng', 'lon', 'long', 'longitude', 'x', '经度'],
  lat: ['lat', 'latitude', 'y', '纬度'],
  population: ['population', 'pop', 'popu', '人口', '人口数', 'value', 'count', 'persons'],
  cell_size_m: ['cellsizem', 'sizem', 'cellm', 'resolutionm', '网格边长米', '边长米'],
  cell_size_deg: ['cellsizedeg', 'sizedeg', 'celldeg', 'resolutiondeg'],
  cell_size: ['cellsize', 'size', 'resolution', '网格边长', '边长'],
  h3: ['h3', 'h3index', 'h3cell', 'h3id', 'hex'],
  cell_id: ['cellid', 'gridid', 'id', '网格编号'],
  children_0_2: ['children02'],
  children_3_5: ['children35'],
  children_6_11: ['children611'],
  children_12_14: ['children1214'],
};

const GRID_BY_ALIAS = new Map<string, GridField>();
for (const f of GRID_FIELDS) for (const a of GRID_ALIASES[f]) GRID_BY_ALIAS.set(normalizeHeader(a), f);

export function mapGridColumns(header: readonly string[]): Partial<Record<GridField, number>> {
  const out: Partial<Record<GridField, number>> = {};
  header.forEach((h, i) => {
    const f = GRID_BY_ALIAS.get(normalizeHeader(h));
    if (f && out[f] === undefined) out[f] = i;
  });
  return out;
}

/** Whether a header looks like a population grid (and not a facility register). */
export function isGridHeader(header: readonly string[]): boolean {
  const m = mapGridColumns(header);
  return m.population !== undefined && (m.h3 !== undefined || (m.lng !== undefined && m.lat !== undefined));
}

/** One population cell ready to write (WGS84). */
export interface PopulationCellInput {
  cell_id: string;
  population: number;
  /** Given by the source; null = derive from the district's census shares. */
  children: { children_0_2: number; children_3_5: number; children_6_11: number; children_12_14: number } | null;
  /** Outer ring, closed, `[lng, lat]`. */
  ring: [number, number][];
  lng: number;
  lat: number;
}

const M_PER_DEG_LAT = 110_574; // WGS84 meridian degree at mid-latitudes (≈ 30° N)

/** Degrees of longitude and latitude spanned by `sizeM` metres at latitude `lat`. */
export function metresToDegrees(sizeM: number, lat: number): [number, number] {
  return [sizeM / (111_320 * Math.cos((lat * Math.PI) / 180)), sizeM / M_PER_DEG_LAT];
}

/** A closed square ring centred on a point, `dLng × dLat` degrees, rounded to 1e-7°. */
export function squareRing(lng: number, lat: number, dLng: number, dLat: number): [number, number][] {
  const w = roundCoord(lng - dLng / 2);
  const e = roundCoord(lng + dLng / 2);
  const s = roundCoord(lat - dLat / 2);
  const n = roundCoord(lat + dLat / 2);
  return rectangleRing(w, s, e, n);
}

/** The smallest positive gap between distinct sorted values (the grid spacing), or null. */
export function smallestStep(values: readonly number[]): number | null {
  const v = [...new Set(values.map((x) => Math.round(x * 1e9) / 1e9))].sort((a, b) => a - b);
  let best = Infinity;
  for (let i = 1; i < v.length; i++) best = Math.min(best, v[i] - v[i - 1]);
  return Number.isFinite(best) && best > 0 ? best : null;
}

/** An H3 cell as a population cell (hexagon from h3-js). Null for an invalid index. */
export function h3Cell(index: string, population: number): PopulationCellInput | null {
  const h = index.trim().toLowerCase();
  if (!isValidCell(h)) return null;
  const ring = cellToBoundary(h, true).map(([x, y]) => [roundCoord(x), roundCoord(y)] as [number, number]);
  if (ring.length && (ring[0][0] !== ring[ring.length - 1][0] || ring[0][1] !== ring[ring.length - 1][1])) ring.push(ring[0]);
  const [lat, lng] = cellToLatLng(h);
  return { cell_id: h, population, children: null, ring, lng: roundCoord(lng), lat: roundCoord(lat) };
}

/** Stable id of a square cell from its WGS84 centre. */
export function gridCellId(lng: number, lat: number): string {
  return `${lng.toFixed(6)},${lat.toFixed(6)}`;
}
