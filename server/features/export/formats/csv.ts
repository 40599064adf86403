/**
 * CSV, streamed: UTF-8 with BOM (Excel), the layer's fields, then the coordinate columns
 * named after the CRS's axes (`lng`,`lat` or `x`,`y`: the point, or the layer's label point
 * for polygons), then `wkt` with the whole geometry in the export CRS. GDAL and QGIS pick up
 * a column named `wkt` as geometry; `geom=none` leaves the geometry columns out.
 */
import { csvRow, UTF8_BOM } from '../../../../core/export/csv';
import { toWkt } from '../../../../core/export/wkt';
import type { FieldValue } from '../../../../core/export/types';
import type { ExportJob } from '../job';
import { TextChunker } from './buffer';

/** The coordinate pair a table row shows: the point itself, else the label point. */
export function tablePoint(f: { geometry: GeoJSON.Geometry | null; labelPoint?: [number, number] | null }): [number, number] | null {
  if (f.geometry?.type === 'Point') return [f.geometry.coordinates[0], f.geometry.coordinates[1]];
  return f.labelPoint ?? null;
}

export async function* writeCsv(job: ExportJob): AsyncGenerator<Uint8Array> {
  const c = new TextChunker();
  const withGeom = job.geom !== 'none';
  const header: string[] = job.fields.map((f) => f.name);
  if (withGeom) header.push(job.crs.axes[0], job.crs.axes[1], 'wkt');
  c.add(UTF8_BOM + csvRow(header));
  for await (const f of job.features) {
    const row: FieldValue[] = job.fields.map((fd) => f.properties[fd.name]);
    if (withGeom) {
      const p = tablePoint(f);
      row.push(p?.[0] ?? null, p?.[1] ?? null, toWkt(f.geometry));
    }
    const chunk = c.add(csvRow(row));
    if (chunk) yield chunk;
  }
  const last = c.flush();
  if (last) yield last;
}
