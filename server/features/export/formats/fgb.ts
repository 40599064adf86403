/**
 * FlatGeobuf (flatgeobuf.org, spec 3.x), streamed: magic bytes, the header, then one
 * size-prefixed feature at a time, using the `flatgeobuf` package's own FlatBuffers tables
 * and feature encoder. Streaming means no spatial index (it needs every feature first) and
 * `features_count = 0` ("unknown", which the spec allows); readers then read sequentially.
 *
 * The header carries the CRS (EPSG code and WKT; GCJ-02/BD-09 as WKT with a name and no
 * code), the export's title and description, the metadata JSON, and each column's Chinese
 * title and English description.
 */
import * as flatbuffers from 'flatbuffers';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { Crs } from 'flatgeobuf/lib/mjs/flat-geobuf/crs.js';
import { Column } from 'flatgeobuf/lib/mjs/flat-geobuf/column.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { buildFeature } from 'flatgeobuf/lib/mjs/generic/feature.js';
import { parseGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js';
import type { Geometry } from 'geojson';
import { metadataText } from '../../../../core/export/metadata';
import type { ExportField, ExportGeometryType } from '../../../../core/export/types';
import type { ExportJob } from '../job';

/** FlatGeobuf's magic bytes: "fgb", spec major version 3, "fgb", patch 1. */
const MAGIC = new Uint8Array([0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x01]);

const COLUMN_TYPE: Record<ExportField['type'], ColumnType> = {
  string: ColumnType.String,
  integer: ColumnType.Long,
  real: ColumnType.Double,
  boolean: ColumnType.Bool,
  date: ColumnType.String,
  datetime: ColumnType.DateTime,
};

const GEOMETRY_TYPE: Record<ExportGeometryType, GeometryType> = {
  Point: GeometryType.Point,
  MultiPoint: GeometryType.MultiPoint,
  LineString: GeometryType.LineString,
  MultiLineString: GeometryType.MultiLineString,
  Polygon: GeometryType.Polygon,
  MultiPolygon: GeometryType.MultiPolygon,
};

function columnsMeta(fields: readonly ExportField[]): ColumnMeta[] {
  return fields.map((f) => ({
    name: f.name,
    type: COLUMN_TYPE[f.type],
    title: f.zh,
    description: f.en,
    width: -1,
    precision: -1,
    scale: -1,
    nullable: true,
    unique: false,
    primary_key: false,
  }));
}

function buildHeader(job: ExportJob, columns: ColumnMeta[]): Uint8Array {
  const b = new flatbuffers.Builder(4096);
  const cols = columns.map((c) => {
    const name = b.createString(c.name);
    const title = b.createString(c.title ?? '');
    const description = b.createString(c.description ?? '');
    Column.startColumn(b);
    Column.addName(b, name);
    Column.addType(b, c.type);
    Column.addTitle(b, title);
    Column.addDescription(b, description);
    Column.addNullable(b, true);
    return Column.endColumn(b);
  });
  const columnsVec = Header.createColumnsVector(b, cols);
  const crs = job.crs;
  const org = crs.epsg ? b.createString('EPSG') : 0;
  const crsName = b.createString(crs.gpkg.srsName);
  const crsDescription = b.createString(`${crs.note.zh} ${crs.note.en}`);
  const wkt = b.createString(crs.ogcWkt);
  Crs.startCrs(b);
  if (org) Crs.addOrg(b, org);
  Crs.addCode(b, crs.epsg ?? 0);
  Crs.addName(b, crsName);
  Crs.addDescription(b, crsDescription);
  Crs.addWkt(b, wkt);
  const crsOffset = Crs.endCrs(b);
  const name = b.createString(job.layer.id);
  const title = b.createString(`${job.metadata.title.zh} / ${job.metadata.title.en}`);
  const description = b.createString(metadataText(job.metadata));
  const { feature_count: _n, ...meta } = job.metadata;
  const metadata = b.createString(JSON.stringify(meta));
  Header.startHeader(b);
  Header.addName(b, name);
  Header.addGeometryType(b, GEOMETRY_TYPE[job.geometryType]);
  Header.addColumns(b, columnsVec);
  Header.addFeaturesCount(b, 0n);
  Header.addIndexNodeSize(b, 0);
  Header.addCrs(b, crsOffset);
  Header.addTitle(b, title);
  Header.addDescription(b, description);
  Header.addMetadata(b, metadata);
  b.finishSizePrefixed(Header.endHeader(b));
  return b.asUint8Array();
}

export async function* writeFgb(job: ExportJob): AsyncGenerator<Uint8Array> {
  const columns = columnsMeta(job.fields);
  const header = buildHeader(job, columns);
  const first = new Uint8Array(MAGIC.length + header.length);
  first.set(MAGIC);
  first.set(header, MAGIC.length);
  // buildFeature reads only `columns` from the header meta.
  const meta = { columns } as HeaderMeta;
  const type = GEOMETRY_TYPE[job.geometryType];
  // The header goes out with the first features, so a database error on the first page
  // still reaches the client as a JSON error rather than a cut download.
  let parts: Uint8Array[] = [first];
  let size = first.length;
  for await (const f of job.features) {
    const parsed = f.geometry
      ? parseGeometry(f.geometry as Exclude<Geometry, GeoJSON.GeometryCollection>)
      : { xy: [], ends: [], parts: [], type };
    const bytes = buildFeature(parsed, f.properties, meta);
    parts.push(bytes);
    size += bytes.length;
    if (size >= 64 * 1024) {
      yield concat(parts, size);
      parts = [];
      size = 0;
    }
  }
  if (size) yield concat(parts, size);
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
