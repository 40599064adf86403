/**
 * What a file is and what it should fill, decided from its bytes and its header row:
 *
 * | file                                             | detected as                         |
 * |--------------------------------------------------|-------------------------------------|
 * | `.osm.pbf`, OSM XML (`.osm`, `.osm.gz`), Overpass JSON | `osm` → facilities AND network |
 * | GeoTIFF that looks like a DEM (core/import/dem.ts `looksLikeElevation`: file name, GDAL metadata, a projected CRS, Int16 with nodata −32768) or `--kind elevation` | `raster` → network edges' elevation |
 * | other GeoTIFF (`II*\0` / `MM\0*`)                 | `raster` → population cells         |
 * | GeoJSON of polygons whose features have a 6-digit `code`/`adcode` | `districts`      |
 * | other GeoJSON                                     | `facilities`                        |
 * | CSV/XLSX with a district code + population or age shares | `census` → districts' population |
 * | CSV/XLSX with lng/lat (or H3) + population, no name column | `grid` → population cells |
 * | other CSV/XLSX                                    | `facilities`                        |
 */
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isCensusHeader, isGridHeader } from '../../../core/import/population';
import { mapColumns } from '../../../core/import/columns';
import type { ImportKind } from '../../../core/import/types';
import { detectOsmFormat, type OsmFileInfo } from './osm/read';
import { readCsvTable, readXlsxTable, type Table } from './read/table';
import { decodeText } from './read/text';
import { looksLikeElevation } from '../../../core/import/dem';

export type Detected =
  | { what: 'osm'; osm: OsmFileInfo }
  | { what: 'raster'; elevation: boolean }
  | { what: 'districts'; geojson: GeoJsonFile }
  | { what: 'facilities-geojson'; geojson: GeoJsonFile }
  | { what: 'census'; table: Table; format: 'csv' | 'xlsx' }
  | { what: 'grid'; table: Table; format: 'csv' | 'xlsx' }
  | { what: 'facilities-table'; table: Table; format: 'csv' | 'xlsx' };

export interface GeoJsonFile {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> | null }[];
}

export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${path.basename(file)}: ${message}`);
    this.name = 'ImportFileError';
  }
}

async function head(file: string, n: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Detect a file's format and default kind; `kind` (from `--kind`) settles ambiguous tables. */
export async function detectFile(file: string, kind?: ImportKind, sheet?: string): Promise<Detected> {
  const h = await head(file, 8);
  const lower = file.toLowerCase();
  if ((h[0] === 0x49 && h[1] === 0x49 && h[2] === 0x2a && h[3] === 0) || (h[0] === 0x4d && h[1] === 0x4d && h[2] === 0 && h[3] === 0x2a)) {
    if (kind === 'elevation' || kind === 'population') return { what: 'raster', elevation: kind === 'elevation' };
    return { what: 'raster', elevation: await rasterLooksLikeElevation(file) };
  }
  if (kind === 'elevation') throw new ImportFileError(file, '--kind elevation needs a GeoTIFF DEM');
  if (h[0] === 0x50 && h[1] === 0x4b && h[2] === 3 && h[3] === 4) {
    if (!/\.xlsx$|\.xlsm$/.test(lower)) throw new ImportFileError(file, 'a ZIP archive that is not an .xlsx workbook (unpack it first)');
    return classifyTable(await readXlsxTable(file, sheet), 'xlsx', kind);
  }
  const osm = await detectOsmFormat(file);
  if (osm) return { what: 'osm', osm };
  const { text } = decodeText(await readFile(file));
  const start = text.trimStart();
  if (start.startsWith('{')) {
    let doc: GeoJsonFile;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new ImportFileError(file, `not valid JSON: ${(e as Error).message}`);
    }
    if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features))
      throw new ImportFileError(file, 'JSON that is neither a GeoJSON FeatureCollection nor an Overpass answer');
    if (kind === 'districts' || (kind === undefined && looksLikeDistricts(doc))) return { what: 'districts', geojson: doc };
    return { what: 'facilities-geojson', geojson: doc };
  }
  if (start.startsWith('<')) throw new ImportFileError(file, 'XML that is not OSM XML (<osm>)');
  return classifyTable(await readCsvTable(file), 'csv', kind);
}

async function rasterLooksLikeElevation(file: string): Promise<boolean> {
  // geotiff is loaded with the first raster, not at start (issue 13)
  const { fromFile } = await import('geotiff');
  const tiff = await fromFile(file);
  const image = await tiff.getImage();
  const keys = (image.getGeoKeys() ?? {}) as Record<string, number>;
  const fd = image.getFileDirectory() as unknown as Record<string, unknown>;
  const sf = fd.SampleFormat as ArrayLike<number> | number | undefined;
  const sampleFormat = typeof sf === 'number' ? sf : sf?.length ? Number(sf[0]) : 1;
  const metadata = [fd.GDAL_METADATA, fd.ImageDescription].filter((x) => typeof x === 'string').join(' ');
  const projected = !!keys.ProjectedCSTypeGeoKey && keys.ProjectedCSTypeGeoKey !== 4326;
  return looksLikeElevation({ fileName: path.basename(file), projected, sampleFormat, noData: image.getGDALNoData(), metadata });
}

function classifyTable(table: Table, format: 'csv' | 'xlsx', kind?: ImportKind): Detected {
  if (kind === 'facilities') return { what: 'facilities-table', table, format };
  const f = mapColumns(table.header).fields;
  const hasCoords = f.lnglat !== undefined || (f.lng !== undefined && f.lat !== undefined);
  // a census table names districts but has no coordinates; a grid has coordinates but no names
  if (isCensusHeader(table.header) && (kind === 'population' || !hasCoords)) return { what: 'census', table, format };
  if (isGridHeader(table.header) && (kind === 'population' || f.name === undefined)) return { what: 'grid', table, format };
  if (kind === 'population') {
    throw new Error(
      '--kind population: the table has neither census columns (code + population/age shares) nor grid columns (lng, lat or h3 + population)',
    );
  }
  return { what: 'facilities-table', table, format };
}

function looksLikeDistricts(doc: GeoJsonFile): boolean {
  const fs = doc.features;
  if (!fs.length) return false;
  return fs.every((f) => {
    const p = f.properties ?? {};
    const code = String(p.adcode ?? p.code ?? p.CODE ?? '');
    return /^\d{6}$/.test(code) && (f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon');
  });
}
