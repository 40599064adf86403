/**
 * What every export says about itself: layer names in Chinese and English, category,
 * mode, distance and norm (for coverage layers), the CRS and what to know about it, data
 * sources with their dates, creation time and app version. The same object is written as
 * `metadata.json` in zips, as the GeoJSON `metadata` member, as an `atlas_metadata` table
 * in GeoPackages, in the FlatGeobuf header, as a sheet in XLSX and (as text) in KML.
 */
import type { Bilingual, DataSource, ExportField } from './types';

export interface ExportMetadata {
  schema: 'child-friendly-city-atlas/export/1';
  title: Bilingual;
  layer: { id: string; name: Bilingual; description: Bilingual; geometry_type: string };
  format: string;
  file_name: string;
  crs: { id: string; epsg: number | null; name: Bilingual; note: Bilingual };
  /** The validated layer parameters of this export. */
  parameters: Record<string, unknown>;
  category: { id: string; zh: string; en: string } | null;
  mode: string | null;
  distance_m: number | null;
  norm: { source: string; citation: string } | null;
  /** Every attribute, with its name in DBF files and its Chinese and English titles. */
  fields: { name: string; dbf: string; type: string; zh: string; en: string }[];
  sources: DataSource[];
  /** The database's `dataset_meta` entries (demo seed, importers' records). */
  dataset: Record<string, unknown>;
  created_at: string;
  app: { name: string; version: string };
  /** Features written; null until the export has finished (streamed formats state it at their end). */
  feature_count: number | null;
  notes: Bilingual[];
}

/** Metadata fields as a field list for `fields.csv` and the XLSX `fields` sheet. */
export function fieldTable(fields: readonly ExportField[], dbf: ReadonlyMap<string, string>): ExportMetadata['fields'] {
  return fields.map((f) => ({ name: f.name, dbf: dbf.get(f.name) ?? f.name, type: f.type, zh: f.zh, en: f.en }));
}

/**
 * Key/value lines for a human reader (KML description, GPKG/FGB description, the XLSX
 * metadata sheet): one `[label, value]` pair per line, bilingual labels.
 */
export function metadataLines(m: ExportMetadata): [string, string][] {
  const lines: [string, string][] = [
    ['标题 Title', `${m.title.zh} / ${m.title.en}`],
    ['图层 Layer', `${m.layer.name.zh} / ${m.layer.name.en} (${m.layer.id})`],
    ['坐标系 CRS', `${m.crs.name.zh} / ${m.crs.name.en}${m.crs.epsg ? ` (EPSG:${m.crs.epsg})` : ' (无 EPSG 代码 / no EPSG code)'}`],
    ['坐标说明 CRS note', `${m.crs.note.zh} ${m.crs.note.en}`],
  ];
  if (m.category) lines.push(['类别 Category', `${m.category.zh} / ${m.category.en} (${m.category.id})`]);
  if (m.mode) lines.push(['方式 Mode', m.mode]);
  if (m.distance_m !== null) lines.push(['距离 Distance', `${m.distance_m} m`]);
  if (m.norm) lines.push(['标准 Norm', `${m.norm.source}: ${m.norm.citation}`]);
  const params = Object.entries(m.parameters).filter(([, v]) => v !== undefined && v !== null);
  if (params.length)
    lines.push(['参数 Parameters', params.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join('; ')]);
  for (const s of m.sources) {
    const dates = [s.sourceDate && `source date ${s.sourceDate}`, s.loadedAt && `loaded ${s.loadedAt}`].filter(Boolean).join(', ');
    lines.push([
      '数据来源 Source',
      `${s.description}${s.records !== undefined ? `; ${s.records} records` : ''}${dates ? `; ${dates}` : ''}${s.note ? `; ${s.note}` : ''}`,
    ]);
  }
  if (m.feature_count !== null) lines.push(['要素数 Features', String(m.feature_count)]);
  lines.push(['创建时间 Created', m.created_at]);
  lines.push(['软件版本 App', `${m.app.name} ${m.app.version}`]);
  for (const n of m.notes) lines.push(['说明 Note', `${n.zh} ${n.en}`]);
  return lines;
}

/** {@link metadataLines} as plain text, one `label: value` per line. */
export function metadataText(m: ExportMetadata): string {
  return metadataLines(m)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
