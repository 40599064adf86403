/**
 * One export from request to bytes, shared by the HTTP route and the CLI: look up the
 * layer, refuse unknown parameters, validate the shared (`format`, `crs`, `bundle`,
 * `geom`) and the layer's own parameters, refuse combinations a format cannot hold, gather
 * the metadata, and start the writer. The first chunk is produced before this returns, so
 * problems found while reading the first rows still become a JSON error instead of a
 * truncated download.
 */
import { z } from 'zod';
import type { Queryable } from '../../db/adapter';
import { NotFoundError, ValidationError } from '../../errors';
import { parse } from '../../http/validate';
import { EXPORT_CRS, EXPORT_CRS_IDS } from '../../../core/export/crs';
import { shortenFieldNames } from '../../../core/export/dbf';
import { exportBaseName } from '../../../core/export/fileName';
import { fieldTable, type ExportMetadata } from '../../../core/export/metadata';
import type { Bilingual } from '../../../core/export/types';
import { SHARED_PARAMS, styleOf, type LayerRegistry } from './layer';
import { FORMAT_IDS, fieldsCsv, jobQml, metadataJson, projectFeatures, type ExportJob } from './job';
import { EXPORT_FORMATS, type ExportFormat } from './formats';
import { datasetMeta } from './sources';
import { zipStream } from './zip';

export const APP_NAME = 'child-friendly-city-atlas';

const SharedQuery = z.object({
  format: z.enum(FORMAT_IDS, { message: `must be one of ${FORMAT_IDS.join(', ')}` }).default('geojson'),
  crs: z.enum(EXPORT_CRS_IDS, { message: `must be one of ${EXPORT_CRS_IDS.join(', ')}` }).default('wgs84'),
  bundle: z.enum(['zip'], { message: "must be 'zip' (a zip with the file, its QGIS style .qml, fields.csv and metadata.json)" }).optional(),
  geom: z.enum(['auto', 'wkt', 'none'], { message: "must be 'auto', 'wkt' or 'none'" }).default('auto'),
});

export interface ExportOptions {
  appVersion: string;
  /** Clock for the file name and metadata (tests pin it). */
  now?: Date;
}

export interface PreparedExport {
  fileName: string;
  contentType: string;
  format: ExportFormat;
  /** The metadata; complete (feature count, notes) once `body` has been read to the end. */
  metadata: ExportMetadata;
  /** The file's bytes. Read it to the end, or call `return()` to release what the writer holds. */
  body: AsyncIterableIterator<Uint8Array>;
}

function formatNotes(job: Pick<ExportJob, 'format' | 'crs'>): Bilingual[] {
  const notes: Bilingual[] = [];
  if (job.format === 'geojson' && job.crs.id !== 'wgs84') {
    notes.push(
      job.crs.epsg
        ? {
            zh: `RFC 7946 GeoJSON 仅用 WGS 84；本文件以旧版 "crs" 成员标注 EPSG:${job.crs.epsg}，GDAL、QGIS、ArcGIS 可识别。`,
            en: `RFC 7946 GeoJSON is WGS 84 only; this file names EPSG:${job.crs.epsg} with the older "crs" member, which GDAL, QGIS and ArcGIS read.`,
          }
        : {
            zh: `${job.crs.id.toUpperCase()} 没有 EPSG 代码，GeoJSON 无法标注：读取软件会当作 WGS 84 显示，这正好与相应的网络底图对齐。`,
            en: `${job.crs.id.toUpperCase()} has no EPSG code for GeoJSON to name: readers take the coordinates as WGS 84, which is what lines them up with that web map’s tiles.`,
          },
    );
  }
  if (job.format === 'kml' && (job.crs.id === 'gcj02' || job.crs.id === 'bd09')) {
    notes.push({
      zh: `KML 规范要求 WGS 84；本文件坐标为 ${job.crs.id.toUpperCase()}，仅适用于同坐标系的底图（在 Google 地球中会偏移数百米）。`,
      en: `KML is defined in WGS 84; these coordinates are ${job.crs.id.toUpperCase()}, for viewers on that offset’s basemap only (in Google Earth they sit a few hundred metres off).`,
    });
  }
  if (job.format === 'csv') {
    notes.push({
      zh: "以 = + - @ 开头的文本前加了 ' ，以免电子表格把它当作公式执行。",
      en: "Text starting with = + - @ is prefixed with ' so that spreadsheets do not run it as a formula.",
    });
  }
  return notes;
}

/** A zip of the file, its `.qml`, `fields.csv` and `metadata.json` (`bundle=zip`). */
async function* bundle(job: ExportJob, format: ExportFormat): AsyncGenerator<Uint8Array> {
  const qml = jobQml(job);
  yield* zipStream(
    [
      { name: `${job.baseName}.${format.ext}`, data: () => format.write(job) },
      ...(qml ? [{ name: `${job.baseName}.qml`, data: qml }] : []),
      { name: 'fields.csv', data: () => fieldsCsv(job) },
      { name: `${job.baseName}.metadata.json`, data: () => metadataJson(job) },
    ],
    job.now,
  );
}

/** `it` with its first result already fetched; `return()` always reaches `it`, started or not. */
class Primed implements AsyncIterableIterator<Uint8Array> {
  constructor(
    private readonly it: AsyncIterator<Uint8Array>,
    private first: IteratorResult<Uint8Array> | null,
  ) {}
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this;
  }
  async next(): Promise<IteratorResult<Uint8Array>> {
    const r = this.first;
    this.first = null;
    return r ?? this.it.next();
  }
  async return(): Promise<IteratorResult<Uint8Array>> {
    this.first = null;
    await this.it.return?.();
    return { done: true, value: undefined };
  }
}

async function primed(it: AsyncIterator<Uint8Array>): Promise<AsyncIterableIterator<Uint8Array>> {
  return new Primed(it, await it.next());
}

/**
 * Validate an export request and start it.
 * @param query parameters as strings (query string or CLI flags)
 * @throws NotFoundError for an unknown or unavailable layer; ValidationError (400) naming the field.
 */
export async function prepareExport(
  db: Queryable,
  registry: LayerRegistry,
  layerId: string,
  query: Record<string, unknown>,
  opts: ExportOptions,
): Promise<PreparedExport> {
  const layer = registry.get(layerId);
  const offered = registry.all().map((l) => l.id);
  if (!layer) throw new NotFoundError(`no export layer '${layerId.slice(0, 40)}'; layers: ${offered.join(', ')}`);
  if (layer.available && !(await layer.available(db))) {
    throw new NotFoundError(`export layer '${layer.id}' is not available in this database (its table is missing)`);
  }
  const own = Object.keys(layer.params.shape);
  const known = [...SHARED_PARAMS, ...own];
  for (const k of Object.keys(query)) {
    if (!known.includes(k))
      throw new ValidationError(k.slice(0, 40), `${k.slice(0, 40)}: unknown parameter for layer ${layer.id}; known: ${known.join(', ')}`);
  }
  const shared = parse(SharedQuery, query);
  const params = parse(layer.params, Object.fromEntries(own.filter((k) => k in query).map((k) => [k, query[k]])));
  const crs = EXPORT_CRS[shared.crs];
  const format = EXPORT_FORMATS[shared.format];
  const problem = format.check({ geometryType: layer.geometryType, crs, geom: shared.geom });
  if (problem) throw new ValidationError(problem.field, problem.message);
  const bundled = shared.bundle === 'zip' && !format.zipped;

  const now = opts.now ?? new Date();
  const lm = await layer.metadata(params, db);
  const baseName = exportBaseName({ layer: layer.id, parts: lm.fileNameParts, crs: crs.id, date: now });
  const fileName = `${baseName}.${bundled ? `${format.ext}.zip` : format.ext}`;
  const dbfNames = shortenFieldNames(layer.fields);
  const [sources, dataset] = await Promise.all([layer.sources ? layer.sources(db, params) : Promise.resolve([]), datasetMeta(db)]);

  const metadata: ExportMetadata = {
    schema: 'child-friendly-city-atlas/export/1',
    title: lm.title,
    layer: { id: layer.id, name: layer.name, description: layer.description, geometry_type: layer.geometryType },
    format: format.id,
    file_name: fileName,
    crs: { id: crs.id, epsg: crs.epsg, name: crs.label, note: crs.note },
    parameters: params as Record<string, unknown>,
    category: lm.category ?? null,
    mode: lm.mode ?? null,
    distance_m: lm.distanceM ?? null,
    norm: lm.norm ?? null,
    fields: fieldTable(layer.fields, dbfNames),
    sources,
    dataset,
    created_at: now.toISOString(),
    app: { name: APP_NAME, version: opts.appVersion },
    feature_count: null,
    notes: [...(lm.notes ?? []), ...formatNotes({ format: format.id, crs })],
  };
  const job: ExportJob = {
    layer,
    format: format.id,
    crs,
    geom: shared.geom,
    fields: layer.fields,
    geometryType: layer.geometryType,
    baseName,
    style: styleOf(layer, params),
    dbfNames,
    metadata,
    features: projectFeatures(layer.rows(db, params), crs, layer.geometryType, layer.fields, metadata),
    now,
  };
  const chunks = bundled ? bundle(job, format) : format.write(job);
  const body = await primed(chunks[Symbol.asyncIterator]());
  return { fileName, contentType: bundled || format.zipped ? 'application/zip' : format.contentType, format, metadata, body };
}
