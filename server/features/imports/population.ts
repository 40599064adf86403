/**
 * Population in: census tables per district (→ `districts.population` and the child
 * groups, via core/population.ts `childGroupsFromShares`), grids of cells as CSV/XLSX
 * (lng/lat + size, or H3), and GeoTIFF rasters (WorldPop-style persons per pixel,
 * EPSG:4326) → `population_cells`.
 */
import path from 'node:path';
import { childGroupsFromShares } from '../../../core/population';
import { toWgs84 } from '../../../core/datum';
import { checkLngLat, inBbox, parseDegrees } from '../../../core/import/coordinates';
import {
  gridCellId,
  h3Cell,
  mapGridColumns,
  metresToDegrees,
  parseCensus,
  smallestStep,
  squareRing,
  type PopulationCellInput,
} from '../../../core/import/population';
import { roundCoord } from '../../../core/osm/geometry';
import type { WriteCounts } from '../../../core/import/types';
import type { ImportContext } from './context';
import { loadExtent } from './context';
import type { Table } from './read/table';
import { loadDistrictPopulation, updateDistrictPopulation, type DistrictPopulation } from './sql/districts';
import { CELL_BATCH, deleteMissingCells, deriveCells, DERIVED_CHILDREN, upsertCells } from './sql/population';

// ── census ───────────────────────────────────────────────────────────────────────

export async function importCensus(ctx: ImportContext, table: Table): Promise<void> {
  const { summary } = ctx;
  summary.kinds = ['population'];
  const parsed = parseCensus(table.header, table.rows, table.rowNumbers);
  summary.read = table.rows.length;
  ctx.rejectAll(parsed.rejected.map((r) => ({ ...r, code: 'bad_value' as const })));
  const existing = await loadDistrictPopulation(ctx.db);
  if (!existing.size) ctx.warn('no districts are loaded: import the boundaries first (--kind districts), then the census table');

  const updates: DistrictPopulation[] = [];
  let scaled = 0;
  for (const row of parsed.rows) {
    const d = existing.get(row.code);
    if (!d) {
      ctx.reject({
        row: row.row,
        source_id: row.code,
        code: 'unknown_district',
        reason: `district ${row.code}${row.name ? ` (${row.name})` : ''} is not loaded: import its boundary first`,
      });
      continue;
    }
    const population = row.population ?? d.population;
    if (population === null) {
      ctx.reject({
        row: row.row,
        source_id: row.code,
        code: 'bad_value',
        reason: 'age shares without a population, and the district has none yet: import a population table first',
      });
      continue;
    }
    let groups: Omit<DistrictPopulation, 'code' | 'population' | 'urban_share'>;
    if (row.shares) {
      groups = childGroupsFromShares(population, row.shares);
    } else if (d.population && d.population > 0 && d.children_0_14 !== null) {
      // population only: keep the district's age structure (its current shares)
      const k = population / d.population;
      const s = (v: number | null) => (v === null ? null : Math.round(v * k));
      groups = {
        children_0_2: s(d.children_0_2),
        children_3_5: s(d.children_3_5),
        children_6_11: s(d.children_6_11),
        children_12_14: s(d.children_12_14),
        children_0_14: s(d.children_0_14),
      };
      scaled++;
    } else {
      groups = { children_0_2: null, children_3_5: null, children_6_11: null, children_12_14: null, children_0_14: null };
    }
    updates.push({ code: row.code, population, urban_share: row.urban_share ?? d.urban_share, ...groups });
  }
  if (scaled)
    ctx.warn(
      `${scaled} district(s) had a population but no age shares: their child groups were scaled, keeping their current age structure`,
    );

  await ctx.write(async (tx) => {
    const changed = await updateDistrictPopulation(tx, updates, summary.source);
    summary.updated = changed;
    summary.unchanged = updates.length - changed;
    await deriveCells(tx, null);
  });
  if (summary.status !== 'done') summary.unchanged = 0;
}

// ── grids (CSV/XLSX) ──────────────────────────────────────────────────────────────

export async function importGrid(ctx: ImportContext, table: Table): Promise<void> {
  const { summary, opts } = ctx;
  summary.kinds = ['population'];
  const m = mapGridColumns(table.header);
  const crs = opts.crs ?? 'wgs84';
  summary.crs = crs;
  const city = await loadExtent(ctx.db);
  const extent = opts.extentCheck === false ? null : city.bbox;
  summary.extent = extent ? { bbox: extent, from: city.from } : { bbox: null, from: 'off' };
  const cell = (r: string[], i: number | undefined) => (i === undefined ? '' : (r[i] ?? '').trim());
  const hasChildren =
    m.children_0_2 !== undefined && m.children_3_5 !== undefined && m.children_6_11 !== undefined && m.children_12_14 !== undefined;

  // cell size: a column, or the grid's own spacing
  let stepLng: number | null = null;
  let stepLat: number | null = null;
  if (m.h3 === undefined && m.cell_size_m === undefined && m.cell_size_deg === undefined && m.cell_size === undefined) {
    stepLng = smallestStep(table.rows.map((r) => Number(cell(r, m.lng))).filter(Number.isFinite));
    stepLat = smallestStep(table.rows.map((r) => Number(cell(r, m.lat))).filter(Number.isFinite));
    if (stepLng === null || stepLat === null)
      throw new Error('cannot infer the cell size from a single row: add a cell_size_m or cell_size_deg column');
    ctx.warn(`no cell-size column: cells of ${stepLng}° × ${stepLat}° inferred from the grid spacing`);
  }

  const cells: PopulationCellInput[] = [];
  const seen = new Map<string, number>();
  table.rows.forEach((r, i) => {
    const row = table.rowNumbers[i] ?? i + 2;
    const popText = cell(r, m.population).replace(/[,，]/g, '');
    const population = Number(popText);
    if (!popText || !Number.isFinite(population) || population < 0) {
      ctx.reject({ row, source_id: null, code: 'bad_value', reason: `population "${popText}" is not a non-negative number` });
      return;
    }
    let c: PopulationCellInput | null;
    if (m.h3 !== undefined) {
      c = h3Cell(cell(r, m.h3), population);
      if (!c) {
        ctx.reject({ row, source_id: cell(r, m.h3) || null, code: 'bad_value', reason: `"${cell(r, m.h3)}" is not a valid H3 index` });
        return;
      }
      if (extent && !inBbox(c.lng, c.lat, extent)) {
        ctx.reject({ row, source_id: c.cell_id, code: 'outside_extent', reason: 'H3 cell outside the city extent' });
        return;
      }
    } else {
      const pos = checkLngLat(parseDegrees(cell(r, m.lng)), parseDegrees(cell(r, m.lat)), crs, extent);
      if (!pos.ok) {
        ctx.reject({ row, source_id: cell(r, m.cell_id) || null, code: pos.code, reason: pos.reason });
        return;
      }
      let dLng = stepLng;
      let dLat = stepLat;
      const sizeM = Number(cell(r, m.cell_size_m));
      const sizeDeg = Number(cell(r, m.cell_size_deg));
      const size = Number(cell(r, m.cell_size));
      if (m.cell_size_m !== undefined && sizeM > 0) [dLng, dLat] = metresToDegrees(sizeM, pos.lat);
      else if (m.cell_size_deg !== undefined && sizeDeg > 0) dLng = dLat = sizeDeg;
      else if (m.cell_size !== undefined && size > 0) {
        // bare "cell_size": degrees when ≤ 0.5 (no grid has half-degree metres), metres otherwise
        if (size <= 0.5) dLng = dLat = size;
        else [dLng, dLat] = metresToDegrees(size, pos.lat);
      }
      if (!dLng || !dLat) {
        ctx.reject({ row, source_id: null, code: 'bad_value', reason: 'missing or non-positive cell size' });
        return;
      }
      c = {
        cell_id: cell(r, m.cell_id) || gridCellId(pos.lng, pos.lat),
        population,
        children: null,
        ring: squareRing(pos.lng, pos.lat, dLng, dLat),
        lng: pos.lng,
        lat: pos.lat,
      };
    }
    if (hasChildren) {
      const v = [m.children_0_2, m.children_3_5, m.children_6_11, m.children_12_14].map((k) => Number(cell(r, k)));
      if (v.some((x) => !Number.isFinite(x) || x < 0)) {
        ctx.reject({ row, source_id: c.cell_id, code: 'bad_value', reason: 'children columns must be non-negative numbers' });
        return;
      }
      c.children = { children_0_2: v[0], children_3_5: v[1], children_6_11: v[2], children_12_14: v[3] };
    }
    const first = seen.get(c.cell_id);
    if (first !== undefined) {
      ctx.reject({ row, source_id: c.cell_id, code: 'duplicate_id', reason: `duplicate cell ${c.cell_id} (first seen at row ${first})` });
      return;
    }
    seen.set(c.cell_id, row);
    cells.push(c);
  });
  summary.read = table.rows.length;
  const method = hasChildren
    ? `grid table ${path.basename(ctx.file)}: population and children as given`
    : `grid table ${path.basename(ctx.file)}: population as given; ${DERIVED_CHILDREN}`;
  await writeCells(ctx, cells, [...seen.keys()], method);
}

async function writeCells(ctx: ImportContext, cells: PopulationCellInput[], seen: string[], method: string): Promise<void> {
  const { summary, opts } = ctx;
  const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, retired: 0 };
  await ctx.write(async (tx) => {
    for (let i = 0; i < cells.length; i += CELL_BATCH) {
      await upsertCells(tx, summary.source, method, cells.slice(i, i + CELL_BATCH), counts);
      ctx.progress('write population cells', Math.min(i + CELL_BATCH, cells.length), cells.length);
    }
    if (opts.full) counts.retired = await deleteMissingCells(tx, summary.source, seen);
    await deriveCells(tx, summary.source);
  });
  Object.assign(summary, { inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged, retired: counts.retired });
  summary.details = { ...summary.details, cells: cells.length, method };
}

// ── rasters (GeoTIFF) ─────────────────────────────────────────────────────────────

/** Rows of pixels read per window: bounds memory for country-sized rasters. */
const RASTER_WINDOW_ROWS = 256;

/**
 * A GeoTIFF of persons per pixel in EPSG:4326 (WorldPop's "ppp" products). Pixels that
 * are nodata, non-finite or ≤ 0 are not cells; pixels outside the city extent are
 * skipped and counted (a national raster clipped on the fly), not rejected one by one.
 */
export async function importRaster(ctx: ImportContext): Promise<void> {
  const { summary, opts } = ctx;
  summary.kinds = ['population'];
  // geotiff is loaded with the first raster, not at start (issue 13)
  const { fromFile } = await import('geotiff');
  const tiff = await fromFile(ctx.file);
  const image = await tiff.getImage();
  const keys = (image.getGeoKeys() ?? {}) as Record<string, number>;
  if (keys.ProjectedCSTypeGeoKey && keys.ProjectedCSTypeGeoKey !== 4326) {
    throw new Error(
      `the raster is projected (EPSG:${keys.ProjectedCSTypeGeoKey}); only EPSG:4326 is read — reproject with \`gdalwarp -t_srs EPSG:4326\``,
    );
  }
  if (keys.GeographicTypeGeoKey && keys.GeographicTypeGeoKey !== 4326 && keys.GeographicTypeGeoKey !== 4490) {
    throw new Error(`the raster's geographic CRS is EPSG:${keys.GeographicTypeGeoKey}; expected 4326 (WGS84) or 4490 (CGCS2000)`);
  }
  if (keys.GeographicTypeGeoKey === 4490) ctx.warn('CGCS2000 (EPSG:4490) raster read as WGS84 (centimetre-level difference)');
  const crs = opts.crs ?? 'wgs84';
  summary.crs = crs;
  const width = image.getWidth();
  const height = image.getHeight();
  const [originX, originY] = image.getOrigin();
  const [resX, resY] = image.getResolution();
  const noData = image.getGDALNoData();
  const city = await loadExtent(ctx.db);
  const extent = opts.extentCheck === false ? null : city.bbox;
  summary.extent = extent ? { bbox: extent, from: city.from } : { bbox: null, from: 'off' };

  const cells: PopulationCellInput[] = [];
  let outside = 0;
  let empty = 0;
  const dLng = Math.abs(resX);
  const dLat = Math.abs(resY);
  for (let y0 = 0; y0 < height; y0 += RASTER_WINDOW_ROWS) {
    const y1 = Math.min(height, y0 + RASTER_WINDOW_ROWS);
    const [band] = (await image.readRasters({ window: [0, y0, width, y1], samples: [0] })) as unknown as ArrayLike<number>[];
    for (let y = y0; y < y1; y++) {
      for (let x = 0; x < width; x++) {
        const v = band[(y - y0) * width + x];
        if (!Number.isFinite(v) || v <= 0 || (noData !== null && v === noData)) {
          empty++;
          continue;
        }
        const [lng, lat] = toWgs84([originX + (x + 0.5) * resX, originY + (y + 0.5) * resY], crs);
        if (extent && !inBbox(lng, lat, extent)) {
          outside++;
          continue;
        }
        const cLng = roundCoord(lng);
        const cLat = roundCoord(lat);
        cells.push({
          cell_id: gridCellId(cLng, cLat),
          population: v,
          children: null,
          ring: squareRing(cLng, cLat, dLng, dLat),
          lng: cLng,
          lat: cLat,
        });
      }
    }
    ctx.progress('read raster', y1, height);
    ctx.sampleRss();
  }
  summary.read = cells.length;
  summary.details = { width, height, pixelDeg: [dLng, dLat], emptyPixels: empty, outsideExtent: outside };
  if (outside) ctx.warn(`${outside} populated pixel(s) outside the city extent skipped`);
  await writeCells(
    ctx,
    cells,
    cells.map((c) => c.cell_id),
    `raster ${path.basename(ctx.file)}: persons per pixel; ${DERIVED_CHILDREN}`,
  );
}
