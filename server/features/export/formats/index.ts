/**
 * The export formats: what each is called, its extension and media type, how it is
 * produced, which layer/CRS combinations it cannot hold (a clear 400 names the problem),
 * and its writer. Writers are async generators of byte chunks; the route pipes them to
 * the response, the CLI to a file.
 */
import type { ExportCrs } from '../../../../core/export/crs';
import type { ExportGeometryType } from '../../../../core/export/types';
import type { ExportJob, FormatId, GeomMode } from '../job';
import { writeCsv } from './csv';
import { writeFgb } from './fgb';
import { writeGeoJson } from './geojson';
import { writeGpkg } from './gpkg';
import { writeKml } from './kml';
import { writeShp } from './shp';
import { writeXlsx } from './xlsx';

export interface FormatProblem {
  field: 'format' | 'crs' | 'geom' | 'bundle';
  message: string;
}

export interface ExportFormat {
  id: FormatId;
  name: string;
  /** Extension of the file the writer produces. */
  ext: string;
  contentType: string;
  /** How the bytes are produced: streamed row by row, built in memory, or through temporary files. */
  delivery: 'streamed' | 'memory' | 'temp-files';
  /** Whether the writer's output is already a zip (with style and metadata inside). */
  zipped: boolean;
  check(c: { geometryType: ExportGeometryType; crs: ExportCrs; geom: GeomMode }): FormatProblem | null;
  write(job: ExportJob): AsyncIterable<Uint8Array>;
}

const GEOM_TABLES_ONLY: FormatProblem = {
  field: 'geom',
  message: 'geom: applies to csv and xlsx only (other formats always carry the geometry itself); leave it out',
};

function onlyTables(c: { geom: GeomMode }): FormatProblem | null {
  return c.geom !== 'auto' ? GEOM_TABLES_ONLY : null;
}

export const EXPORT_FORMATS: Readonly<Record<FormatId, ExportFormat>> = {
  geojson: {
    id: 'geojson',
    name: 'GeoJSON',
    ext: 'geojson',
    contentType: 'application/geo+json; charset=utf-8',
    delivery: 'streamed',
    zipped: false,
    check: onlyTables,
    write: writeGeoJson,
  },
  gpkg: {
    id: 'gpkg',
    name: 'GeoPackage',
    ext: 'gpkg',
    contentType: 'application/geopackage+sqlite3',
    delivery: 'memory',
    zipped: false,
    check: onlyTables,
    write: writeGpkg,
  },
  shp: {
    id: 'shp',
    name: 'ESRI Shapefile (zip)',
    ext: 'zip',
    contentType: 'application/zip',
    delivery: 'temp-files',
    zipped: true,
    check: onlyTables,
    write: writeShp,
  },
  kml: {
    id: 'kml',
    name: 'KML',
    ext: 'kml',
    contentType: 'application/vnd.google-earth.kml+xml; charset=utf-8',
    delivery: 'streamed',
    zipped: false,
    check(c) {
      if (c.crs.projected) {
        return {
          field: 'crs',
          message: `crs: KML coordinates are always longitude,latitude (OGC KML 2.2 §6.2), so crs=${c.crs.id} cannot be written as KML; use crs=wgs84, cgcs2000, gcj02 or bd09, or choose gpkg, shp, fgb or geojson for ${c.crs.id}`,
        };
      }
      return onlyTables(c);
    },
    write: writeKml,
  },
  fgb: {
    id: 'fgb',
    name: 'FlatGeobuf',
    ext: 'fgb',
    contentType: 'application/flatgeobuf',
    delivery: 'streamed',
    zipped: false,
    check: onlyTables,
    write: writeFgb,
  },
  csv: {
    id: 'csv',
    name: 'CSV (UTF-8 with BOM, WKT)',
    ext: 'csv',
    contentType: 'text/csv; charset=utf-8',
    delivery: 'streamed',
    zipped: false,
    check: () => null,
    write: writeCsv,
  },
  xlsx: {
    id: 'xlsx',
    name: 'Excel workbook',
    ext: 'xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    delivery: 'streamed',
    zipped: false,
    check(c) {
      if (c.geometryType !== 'Point' && c.geom === 'auto') {
        return {
          field: 'format',
          message: `format: XLSX holds tables, not ${c.geometryType} geometry; add geom=wkt to write each geometry as WKT text (Excel cells hold at most 32,767 characters) or geom=none for the attributes only, or choose gpkg, shp, fgb, geojson, kml or csv`,
        };
      }
      return null;
    },
    write: writeXlsx,
  },
};
