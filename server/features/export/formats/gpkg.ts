/**
 * GeoPackage 1.3 (OGC 12-128r18), written with sql.js (SQLite compiled to WebAssembly:
 * no native build, no install script) and our own GeoPackage layer on top:
 *
 * - the core tables `gpkg_spatial_ref_sys` (with the three rows §1.1.2.1.2 requires, plus
 *   the export CRS; GCJ-02/BD-09 as custom entries with their WKT), `gpkg_contents`,
 *   `gpkg_geometry_columns`, and the feature table with `StandardGeoPackageBinary`
 *   geometries (core/export/wkb.ts);
 * - the schema extension (`gpkg_data_columns`): each column's Chinese and English titles,
 *   which GDAL 3.7 and later read as field aliases (QGIS gets them from the style too);
 * - the metadata extension (`gpkg_metadata`): the export's metadata in GDAL's XML form,
 *   shown by `ogrinfo` and QGIS's layer information;
 * - `layer_styles`, as QGIS writes it, holding the `.qml` as the default style, so the layer
 *   opens already styled;
 * - `atlas_metadata`, a plain attribute table with the same metadata, readable anywhere.
 *
 * The database is built in WASM memory and sent as one buffer: memory is about twice the
 * file size (8 000 facilities ≈ 4 MB). No R-tree spatial index: sql.js is built without
 * the R*Tree module; QGIS offers to build one, and layers this size do not need it.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { gpkgGeometry } from '../../../../core/export/wkb';
import { EXPORT_CRS } from '../../../../core/export/crs';
import { geometryBounds, unionBounds, type Bounds } from '../../../../core/export/geometry';
import { metadataLines, metadataText } from '../../../../core/export/metadata';
import { xmlEscape } from '../../../../core/export/qml';
import type { ExportField, FieldValue } from '../../../../core/export/types';
import { jobQml, type ExportJob } from '../job';

let sqlJs: Promise<SqlJsStatic> | null = null;
const loadSqlJs = () => (sqlJs ??= initSqlJs());

const SQL_TYPE: Record<ExportField['type'], string> = {
  string: 'TEXT',
  integer: 'INTEGER',
  real: 'REAL',
  boolean: 'BOOLEAN',
  date: 'DATE',
  datetime: 'DATETIME',
};

const GPKG_TYPE = {
  Point: 'POINT',
  MultiPoint: 'MULTIPOINT',
  LineString: 'LINESTRING',
  MultiLineString: 'MULTILINESTRING',
  Polygon: 'POLYGON',
  MultiPolygon: 'MULTIPOLYGON',
} as const;

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

const CORE_TABLES = `
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE gpkg_data_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT,
  mime_type TEXT, constraint_name TEXT,
  CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
  CONSTRAINT gdc_tn UNIQUE (table_name, name));
CREATE TABLE gpkg_data_column_constraints (
  constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN,
  max NUMERIC, max_is_inclusive BOOLEAN, description TEXT,
  CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value));
CREATE TABLE gpkg_metadata (
  id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, md_scope TEXT NOT NULL DEFAULT 'dataset',
  md_standard_uri TEXT NOT NULL, mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '');
CREATE TABLE gpkg_metadata_reference (
  reference_scope TEXT NOT NULL, table_name TEXT, column_name TEXT, row_id_value INTEGER,
  timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, md_parent_id INTEGER,
  CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
  CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id));
CREATE TABLE layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
  f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN,
  description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE atlas_metadata (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT);
`;

/** GeoPackage DATETIME is `YYYY-MM-DDTHH:MM:SS.SSSZ` (§1.1.1.1.1); our SQL gives whole seconds. */
function gpkgValue(v: FieldValue, type: ExportField['type']): string | number | null {
  if (v === null) return null;
  if (type === 'boolean') return v ? 1 : 0;
  if (type === 'datetime' && typeof v === 'string') return v.replace(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z$/, '$1.000Z');
  return v as string | number;
}

/** GDAL's metadata XML (what GDAL itself stores in `gpkg_metadata` for a layer). */
function gdalMetadataXml(items: [string, string][]): string {
  const mdi = items.map(([k, v]) => `    <MDI key="${xmlEscape(k)}">${xmlEscape(v)}</MDI>`).join('\n');
  return `<GDALMultiDomainMetadata>\n  <Metadata>\n${mdi}\n  </Metadata>\n</GDALMultiDomainMetadata>\n`;
}

function writeSchema(db: Database, job: ExportJob): void {
  db.run('PRAGMA application_id = 1196444487'); // 'GPKG'
  db.run('PRAGMA user_version = 10300'); // 1.3.0
  db.run(CORE_TABLES);
  const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
  srs.run(['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system']);
  srs.run(['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system']);
  srs.run([
    'WGS 84 geodetic',
    4326,
    'EPSG',
    4326,
    EXPORT_CRS.wgs84.ogcWkt,
    'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid',
  ]);
  if (job.crs.gpkg.srsId !== 4326) {
    const g = job.crs.gpkg;
    srs.run([g.srsName, g.srsId, g.organization, g.organizationCoordsysId, job.crs.ogcWkt, `${job.crs.note.en} ${job.crs.note.zh}`]);
  }
  srs.free();
  const cols = job.fields.map((f) => `${q(f.name)} ${SQL_TYPE[f.type]}`).join(', ');
  db.run(
    `CREATE TABLE ${q(job.layer.id)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${GPKG_TYPE[job.geometryType]}${cols ? `, ${cols}` : ''})`,
  );
}

export async function* writeGpkg(job: ExportJob): AsyncGenerator<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    writeSchema(db, job);
    const table = job.layer.id;
    const srsId = job.crs.gpkg.srsId;
    const insert = db.prepare(
      `INSERT INTO ${q(table)} (geom${job.fields.map((f) => `, ${q(f.name)}`).join('')}) VALUES (?${', ?'.repeat(job.fields.length)})`,
    );
    let bounds: Bounds | null = null;
    let inTx = false;
    let n = 0;
    for await (const f of job.features) {
      if (!inTx) {
        db.run('BEGIN');
        inTx = true;
      }
      insert.run([
        f.geometry ? gpkgGeometry(f.geometry, srsId) : null,
        ...job.fields.map((fd) => gpkgValue(f.properties[fd.name], fd.type)),
      ]);
      if (f.geometry) bounds = unionBounds(bounds, geometryBounds(f.geometry));
      // commit every page's worth, so the journal stays small
      if (++n % 5000 === 0) {
        db.run('COMMIT');
        inTx = false;
      }
    }
    if (inTx) db.run('COMMIT');
    insert.free();

    const m = job.metadata;
    const now = job.now.toISOString();
    const contents = db.prepare(
      'INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    contents.run([
      table,
      'features',
      `${m.title.zh} / ${m.title.en}`,
      metadataText(m),
      now,
      bounds?.[0] ?? null,
      bounds?.[1] ?? null,
      bounds?.[2] ?? null,
      bounds?.[3] ?? null,
      srsId,
    ]);
    contents.run(['layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', now, null, null, null, null, null]);
    contents.run([
      'atlas_metadata',
      'attributes',
      '导出说明 Export metadata',
      'Metadata of this export (Child-Friendly City Atlas)',
      now,
      null,
      null,
      null,
      null,
      null,
    ]);
    contents.free();
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [table, 'geom', GPKG_TYPE[job.geometryType], srsId]);

    const dc = db.prepare('INSERT INTO gpkg_data_columns (table_name, column_name, name, title, description) VALUES (?, ?, ?, ?, ?)');
    for (const f of job.fields) dc.run([table, f.name, `${f.zh} ${f.en}`, f.en, `${f.zh} / ${f.en}`]);
    dc.free();

    const lines = metadataLines(m);
    const md = db.prepare('INSERT INTO atlas_metadata (key, value) VALUES (?, ?)');
    for (const [k, v] of lines) md.run([k, v]);
    md.run(['metadata.json', JSON.stringify(m, null, 2)]);
    md.free();

    db.run(
      "INSERT INTO gpkg_metadata (id, md_scope, md_standard_uri, mime_type, metadata) VALUES (1, 'dataset', 'http://gdal.org', 'text/xml', ?)",
      [
        gdalMetadataXml([
          ['TITLE_ZH', m.title.zh],
          ['TITLE_EN', m.title.en],
          ['DESCRIPTION', metadataText(m)],
          ['CRS', m.crs.id],
          ['CREATED', m.created_at],
          ['APP_VERSION', `${m.app.name} ${m.app.version}`],
          ['FEATURE_COUNT', String(m.feature_count ?? n)],
        ]),
      ],
    );
    db.run("INSERT INTO gpkg_metadata_reference (reference_scope, table_name, timestamp, md_file_id) VALUES ('table', ?, ?, 1)", [
      table,
      now,
    ]);

    const qml = jobQml(job);
    if (qml) {
      db.run(
        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, update_time) VALUES ('', '', ?, 'geom', ?, ?, '', 1, ?, '', ?)",
        [table, table.slice(0, 30), qml, 'Child-Friendly City Atlas default style', now],
      );
    }

    const ext = db.prepare('INSERT INTO gpkg_extensions VALUES (?, ?, ?, ?, ?)');
    ext.run(['gpkg_data_columns', null, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write']);
    ext.run(['gpkg_data_column_constraints', null, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write']);
    ext.run(['gpkg_metadata', null, 'gpkg_metadata', 'http://www.geopackage.org/spec/#extension_metadata', 'read-write']);
    ext.run(['gpkg_metadata_reference', null, 'gpkg_metadata', 'http://www.geopackage.org/spec/#extension_metadata', 'read-write']);
    ext.free();

    yield db.export();
  } finally {
    db.close();
  }
}
