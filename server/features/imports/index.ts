/**
 * Importers, callable from code (the CLI scripts/import.ts, a later admin API):
 *
 * ```ts
 * const summary = await importFile(db, 'kindergartens.xlsx', { crs: 'gcj02', source: 'edu-2024' });
 * await writeReport(summary, '/tmp/report.csv');
 * ```
 *
 * Every import: detect the file (detect.ts) → parse and validate everything (rejections
 * with row numbers and reasons) → write in ONE transaction, unless `dryRun`, or
 * `strict` with rejections → record the run in `import_runs` with its summary.
 */
import path from 'node:path';
import type { Db } from '../../db/adapter';
import type { ImportKind } from '../../../core/import/types';
import { ImportContext } from './context';
import { detectFile } from './detect';
import { importFacilityRecords } from './facilities';
import { importDistricts } from './districts';
import { importOsm } from './osm';
import { releaseOsmFile } from './osm/read';
import { importCensus, importGrid, importRaster } from './population';
import { importElevation } from './elevation';
import type { ImportOptions, ImportSummary } from './types';

export type { ImportOptions, ImportSummary, NetworkSummary } from './types';
export { writeReport, defaultReportPath } from './report';
export { ImportFileError } from './detect';

function emptySummary(file: string, opts: ImportOptions): ImportSummary {
  return {
    file,
    format: 'unknown',
    kinds: [],
    source: opts.source ?? '',
    crs: opts.crs ?? 'wgs84',
    dryRun: !!opts.dryRun,
    strict: !!opts.strict,
    full: !!opts.full,
    status: 'failed',
    runId: null,
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    retired: 0,
    rejected: 0,
    rejections: [],
    extent: { bbox: null, from: 'off' },
    warnings: [],
    timings: { parseMs: 0, writeMs: 0, totalMs: 0 },
    rates: { featuresPerS: 0, edgesPerS: 0 },
    peakRssMb: 0,
    baselineRssMb: 0,
  };
}

/** The summary as stored in `import_runs.summary`: rejections capped so the row stays small. */
function storedSummary(s: ImportSummary): ImportSummary {
  return { ...s, rejections: s.rejections.slice(0, 100) };
}

/**
 * Import one file into the database. Never throws for bad rows (they are in the
 * summary); throws for unreadable files and database errors, after rolling back and
 * recording the run as failed.
 */
export async function importFile(db: Db, file: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const summary = emptySummary(path.resolve(file), opts);
  const ctx = new ImportContext(db, file, opts, summary);
  let edges = 0;
  try {
    const d = await detectFile(file, opts.kind, opts.sheet);
    const base = path
      .basename(file)
      .replace(/(\.osm)?\.(pbf|gz|osm|json|geojson|csv|tsv|txt|xlsx|xlsm|tif|tiff)$/i, '')
      .replace(/\.osm$/i, '');
    let kind: ImportKind | 'osm';
    if (d.what === 'osm') {
      summary.format = d.osm.format + (d.osm.gzip ? '+gzip' : '');
      summary.source = opts.source ?? 'osm';
      kind = 'osm';
    } else if (d.what === 'raster') {
      summary.format = 'geotiff';
      kind = d.elevation ? 'elevation' : 'population';
    } else if (d.what === 'districts' || d.what === 'facilities-geojson') {
      summary.format = 'geojson';
      kind = d.what === 'districts' ? 'districts' : 'facilities';
    } else {
      summary.format = d.format;
      summary.encoding = d.table.encoding;
      kind = d.what === 'facilities-table' ? 'facilities' : 'population';
    }
    if (opts.kind === 'network' && d.what !== 'osm')
      throw new Error('--kind network needs an OpenStreetMap file (.osm.pbf, .osm, .osm.gz or Overpass JSON)');
    if (opts.kind === 'districts' && d.what !== 'districts')
      throw new Error('--kind districts needs a GeoJSON of polygons with code/adcode properties');
    summary.source ||= base;
    if (!opts.dryRun) {
      const r = await db.query<{ id: number }>(`INSERT INTO import_runs (kind, source, file_name) VALUES ($1, $2, $3) RETURNING id`, [
        kind === 'osm' ? (opts.kind ?? 'osm') : kind,
        summary.source,
        path.basename(file),
      ]);
      summary.runId = r.rows[0].id;
    }

    if (d.what === 'osm') edges = await importOsm(ctx, d.osm);
    else if (d.what === 'raster' && d.elevation) await importElevation(ctx);
    else if (d.what === 'raster') await importRaster(ctx);
    else if (d.what === 'districts') await importDistricts(ctx, d.geojson);
    else if (d.what === 'facilities-geojson') await importFacilityRecords(ctx, { geojson: d.geojson });
    else if (d.what === 'facilities-table') await importFacilityRecords(ctx, { table: d.table });
    else if (d.what === 'census') await importCensus(ctx, d.table);
    else await importGrid(ctx, d.table);

    ctx.finish(edges);
    if (summary.runId !== null) {
      await db.query(`UPDATE import_runs SET status = $2, finished_at = now(), summary = $3::jsonb WHERE id = $1`, [
        summary.runId,
        summary.status === 'done' ? 'done' : 'failed',
        JSON.stringify(storedSummary(summary)),
      ]);
    }
    return summary;
  } catch (e) {
    ctx.stop();
    summary.status = 'failed';
    summary.message = (e as Error).message;
    if (summary.runId !== null) {
      await db
        .query(`UPDATE import_runs SET status = 'failed', finished_at = now(), summary = $2::jsonb WHERE id = $1`, [
          summary.runId,
          JSON.stringify(storedSummary(summary)),
        ])
        .catch(() => {});
    }
    throw e;
  } finally {
    releaseOsmFile(file);
  }
}
