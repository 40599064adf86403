/**
 * Facility registers: CSV/XLSX tables and GeoJSON, with Chinese or English headers
 * (core/import/columns.ts), coordinates in any supported datum converted to WGS84 at the
 * edge, validated row by row (core/import/facilityRecords.ts), written in one transaction.
 */
import type { Crs } from '../../../core/datum';
import { isCategoryId } from '../../../core/catalogue';
import { mapColumns, type FacilityField } from '../../../core/import/columns';
import { facilitiesFromRecords, type FacilityRecord } from '../../../core/import/facilityRecords';
import { CHINA_BBOX, inBbox } from '../../../core/import/coordinates';
import type { ImportContext } from './context';
import { loadExtent } from './context';
import type { GeoJsonFile } from './detect';
import type { Table } from './read/table';
import { assignDistricts, retireMissing, upsertFacilities } from './sql/facilities';

/** Facility rows from a table, mapped by header. */
function tableRecords(table: Table, ctx: ImportContext): { records: FacilityRecord[]; headerCrs: Crs | null } {
  const mapping = mapColumns(table.header, ctx.opts.map);
  if (mapping.unknownOverrides.length)
    throw new Error(`--map names no column: ${mapping.unknownOverrides.join(', ')} (columns: ${table.header.join(', ')})`);
  const missing: string[] = [];
  if (mapping.fields.name === undefined) missing.push('name (名称)');
  if (mapping.fields.lnglat === undefined && (mapping.fields.lng === undefined || mapping.fields.lat === undefined))
    missing.push('lng/lat (经度/纬度)');
  if (mapping.fields.category === undefined && !ctx.opts.category) missing.push('category (类别) or --category');
  if (missing.length) {
    throw new Error(`cannot find the column(s) ${missing.join(', ')} among: ${table.header.join(', ')} — name them with --map field=表头`);
  }
  const records = table.rows.map((cells, i): FacilityRecord => {
    const fields: Partial<Record<FacilityField, string>> = {};
    for (const [f, idx] of Object.entries(mapping.fields) as [FacilityField, number][]) fields[f] = cells[idx] ?? '';
    const extra: Record<string, unknown> = {};
    for (const c of mapping.extra) if ((cells[c.index] ?? '') !== '') extra[c.header] = cells[c.index];
    return { row: table.rowNumbers[i] ?? i + 2, fields, extra };
  });
  return { records, headerCrs: mapping.crs };
}

/**
 * Facility records from GeoJSON features: properties mapped like table headers, per
 * feature (features of one file may name the same thing differently: `name` here, `名称` there).
 */
function geojsonRecords(doc: GeoJsonFile, ctx: ImportContext): { records: FacilityRecord[]; headerCrs: Crs | null } {
  const cache = new Map<string, ReturnType<typeof mapColumns>>();
  let headerCrs: Crs | null = null;
  const records = doc.features.map((feat, i): FacilityRecord => {
    const p = feat.properties ?? {};
    const keys = Object.keys(p);
    const sig = keys.join('\u0000');
    let mapping = cache.get(sig);
    if (!mapping) {
      mapping = mapColumns(keys, ctx.opts.map);
      cache.set(sig, mapping);
      headerCrs ??= mapping.crs;
    }
    const fields: Partial<Record<FacilityField, string>> = {};
    for (const [f, idx] of Object.entries(mapping.fields) as [FacilityField, number][]) {
      const v = p[keys[idx]];
      fields[f] = v === null || v === undefined ? '' : String(v);
    }
    const extra: Record<string, unknown> = {};
    for (const c of mapping.extra)
      if (p[c.header] !== undefined && p[c.header] !== null && p[c.header] !== '') extra[c.header] = p[c.header];
    // A feature's own geometry wins over lng/lat properties.
    return { row: i + 1, fields, extra, geometry: feat.geometry ?? undefined };
  });
  return { records, headerCrs };
}

export async function importFacilityRecords(ctx: ImportContext, input: { table: Table } | { geojson: GeoJsonFile }): Promise<void> {
  const { opts, summary } = ctx;
  summary.kinds = ['facilities'];
  if (opts.category && !isCategoryId(opts.category)) throw new Error(`--category ${opts.category}: not a category id`);
  const { records, headerCrs } = 'table' in input ? tableRecords(input.table, ctx) : geojsonRecords(input.geojson, ctx);

  const crs: Crs = opts.crs ?? headerCrs ?? 'wgs84';
  if (opts.crs && headerCrs && opts.crs !== headerCrs) {
    ctx.warn(`--crs ${opts.crs} given, but the coordinate headers say ${headerCrs}; using --crs ${opts.crs}`);
  }
  if (!opts.crs && !headerCrs) {
    const sample = records.find((r) => r.fields.lng && r.fields.lat);
    if (sample && inBbox(Number(sample.fields.lng), Number(sample.fields.lat), CHINA_BBOX)) {
      ctx.warn(
        'no --crs given and the headers name no datum: coordinates read as WGS84. Lists picked on Amap/Tencent maps are GCJ-02 (--crs gcj02), on Baidu BD-09 (--crs bd09)',
      );
    }
  }
  if (crs === 'cgcs2000') ctx.warn('CGCS2000 is treated as WGS84 (they differ by centimetres, far below the data’s accuracy)');
  summary.crs = crs;

  const city = await loadExtent(ctx.db);
  const extent = opts.extentCheck === false ? null : city.bbox;
  summary.extent = extent ? { bbox: extent, from: city.from } : { bbox: null, from: 'off' };

  const result = facilitiesFromRecords(records, { crs, extent, category: opts.category });
  summary.read = records.length;
  ctx.rejectAll(result.rejected);
  summary.byCategory = {};
  for (const f of result.facilities) summary.byCategory[f.category] = (summary.byCategory[f.category] ?? 0) + 1;
  const swapped = result.rejected.filter((r) => r.code === 'swapped_coordinates').length;
  if (swapped > records.length / 2)
    ctx.warn(
      `${swapped} of ${records.length} rows look like lng/lat are swapped: use --map lng=<纬度列>,lat=<经度列> if the columns are mislabelled`,
    );

  const source = summary.source;
  const changedBy = `import:${source}`;
  await ctx.write(async (tx) => {
    const c = await upsertFacilities(tx, source, result.facilities, new Date(), changedBy, (d) =>
      ctx.progress('write facilities', d, result.facilities.length),
    );
    Object.assign(summary, { inserted: c.inserted, updated: c.updated, unchanged: c.unchanged });
    if (opts.full) summary.retired = await retireMissing(tx, source, result.seenIds, changedBy);
    await assignDistricts(tx, source);
  });
}
