/**
 * One export as the format writers see it: the layer, its fields and style, the CRS, the
 * metadata (which writers complete as they go), and the features already projected to
 * the CRS and promoted to the layer's geometry type.
 */
import type { ExportCrs } from '../../../core/export/crs';
import { projectLngLat } from '../../../core/export/crs';
import { mapPositions, promote } from '../../../core/export/geometry';
import type { ExportMetadata } from '../../../core/export/metadata';
import { buildQml } from '../../../core/export/qml';
import type { ExportFeature, ExportField, ExportGeometryType, FieldValue, LayerStyle } from '../../../core/export/types';
import type { ExportLayer } from './layer';

export const FORMAT_IDS = ['geojson', 'gpkg', 'shp', 'kml', 'fgb', 'csv', 'xlsx'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** How CSV and XLSX carry geometry: `auto` (points as coordinates, others as WKT in CSV), `wkt`, or `none`. */
export type GeomMode = 'auto' | 'wkt' | 'none';

export interface ExportJob {
  layer: ExportLayer;
  format: FormatId;
  crs: ExportCrs;
  geom: GeomMode;
  fields: readonly ExportField[];
  geometryType: ExportGeometryType;
  /** The download's name without extension: `facilities_kindergarten_500103_cgcs2000_2026-11-29`. */
  baseName: string;
  style: LayerStyle | null;
  /** Field name → DBF name (used by SHP and listed in the metadata for every format). */
  dbfNames: ReadonlyMap<string, string>;
  metadata: ExportMetadata;
  /** Projected, promoted features; iterating counts them into `metadata.feature_count`. */
  features: AsyncIterable<ExportFeature>;
  now: Date;
}

function normalise(v: unknown, type: ExportField['type']): FieldValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'integer':
    case 'real': {
      const n = typeof v === 'bigint' ? Number(v) : Number(v);
      return Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 't' || v === 'true' || v === 1;
    default:
      return String(v);
  }
}

/**
 * The layer's features in the export CRS: every position projected (and rounded to 1 mm),
 * single geometries promoted to the layer's multi type, properties reduced to the declared
 * fields in their order and typed. Counts into `meta.feature_count` as it goes.
 */
export async function* projectFeatures(
  source: AsyncIterable<ExportFeature>,
  crs: ExportCrs,
  geometryType: ExportGeometryType,
  fields: readonly ExportField[],
  meta: ExportMetadata,
): AsyncGenerator<ExportFeature> {
  meta.feature_count = 0;
  for await (const f of source) {
    const geometry = f.geometry
      ? promote(
          mapPositions(f.geometry, (p) => projectLngLat(p, crs.id)),
          geometryType,
        )
      : null;
    const properties: Record<string, FieldValue> = {};
    for (const fd of fields) properties[fd.name] = normalise(f.properties[fd.name], fd.type);
    meta.feature_count++;
    yield { id: f.id, geometry, properties, labelPoint: f.labelPoint ? projectLngLat(f.labelPoint, crs.id) : null };
  }
}

/** The job's style as a `.qml`, with field names as the file has them (`names`: DBF names for SHP). */
export function jobQml(job: ExportJob, names: ReadonlyMap<string, string> = new Map()): string | null {
  if (!job.style) return null;
  return buildQml(job.style, job.geometryType, {
    names,
    aliases: job.fields.map((f) => ({ field: f.name, alias: `${f.zh} ${f.en}` })),
  });
}

/** `fields.csv`: every field's name, DBF name, type and titles (UTF-8 with BOM, for Excel). */
export function fieldsCsv(job: ExportJob): string {
  const esc = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = job.metadata.fields.map((f) => [f.name, f.dbf, f.type, f.zh, f.en].map(esc).join(','));
  return `\ufeffname,dbf_name,type,title_zh,title_en\r\n${rows.join('\r\n')}\r\n`;
}

/** `metadata.json` text (call after the features have been written, so the count is in). */
export function metadataJson(job: ExportJob): string {
  return `${JSON.stringify(job.metadata, null, 2)}\n`;
}
